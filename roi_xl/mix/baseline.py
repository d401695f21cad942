"""The revenue that comes without media: intercept, linear trend, yearly seasonality
(Fourier terms) and controls, as the columns of a linear design.

>>> design = baseline_design(104, periods_per_year=52, controls=None)
>>> design.names
['intercept', 'trend', 'sin_1', 'cos_1', 'sin_2', 'cos_2']
>>> design.columns.shape
(104, 6)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Fourier pairs of the yearly seasonality (PyMC-Marketing's and Robyn's usual order).
SEASONALITY_ORDER = 2
#: Fewest periods for which a yearly seasonality is fitted (SPEC §3c).
MIN_PERIODS_SEASONAL = 26


@dataclass(frozen=True)
class BaselineDesign:
    """Columns of the baseline (``n × p``), their names, and how each was scaled (a
    coefficient of the scaled column divided by ``scale`` is in the column's own units)."""

    columns: np.ndarray
    names: list[str]
    scale: np.ndarray


def fourier(n: int, periods_per_year: float, order: int = SEASONALITY_ORDER) -> np.ndarray:
    """``sin(2π j t / P), cos(2π j t / P)`` for ``j = 1 … order``, ``t = 0 … n − 1``."""
    t = np.arange(n, dtype=float)
    cols = []
    for j in range(1, order + 1):
        angle = 2.0 * np.pi * j * t / periods_per_year
        cols += [np.sin(angle), np.cos(angle)]
    return np.column_stack(cols) if cols else np.empty((n, 0))


def baseline_design(
    n: int,
    periods_per_year: float | None,
    controls: np.ndarray | None,
    control_names: list[str] | None = None,
    trend_span: int | None = None,
) -> BaselineDesign:
    """The baseline's columns for ``n`` periods; no seasonality when ``periods_per_year``
    is ``None``. ``trend_span``: the periods the trend runs 0 → 1 over (a holdout fit
    keeps the full history's, so that its trend coefficient means the same)."""
    span = max((trend_span or n) - 1, 1)
    cols = [np.ones(n), np.arange(n, dtype=float) / span]
    names = ["intercept", "trend"]
    scale = [1.0, 1.0]
    if periods_per_year:
        f = fourier(n, periods_per_year)
        cols += list(f.T)
        names += [f"{w}_{j}" for j in range(1, SEASONALITY_ORDER + 1) for w in ("sin", "cos")]
        scale += [1.0] * f.shape[1]
    if controls is not None and controls.size:
        controls = np.asarray(controls, dtype=float).reshape(n, -1)
        for j in range(controls.shape[1]):
            sd = float(np.std(controls[:, j])) or float(np.abs(controls[:, j]).max()) or 1.0
            cols.append(controls[:, j] / sd)
            scale.append(1.0 / sd)
            names.append(control_names[j] if control_names else f"control_{j + 1}")
    return BaselineDesign(np.column_stack(cols), names, np.array(scale))
