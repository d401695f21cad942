"""Saturation: each extra yen of carried-over spend adds less than the one before.

Both forms map carried-over spend ``x ≥ 0`` to a share of the channel's largest effect
(0 … 1), and both are 0.5 at ``x = half``:

- ``"hill"``: ``x^shape / (x^shape + half^shape)``; ``shape > 1`` gives an S-curve (a
  threshold before the channel works), ``shape ≤ 1`` a curve that bends from the start;
- ``"logistic"``: ``(1 − e^(−λx)) / (1 + e^(−λx))`` with ``λ = ln 3 / half``
  (PyMC-Marketing's logistic saturation, read by its half point; ``shape`` is unused).
"""

from __future__ import annotations

import math

import numpy as np

FORMS = ("hill", "logistic")
_LN3 = math.log(3.0)


def saturation(
    x: np.ndarray, form: str, half: float | np.ndarray, shape: float | np.ndarray = 1.0
) -> np.ndarray:
    """Share of the channel's largest effect reached at carried-over spend ``x``
    (``half`` and ``shape`` may be arrays that broadcast against ``x``).

    >>> saturation(np.array([0.0, 50, 100, 200]), "hill", 100, 2)
    array([0. , 0.2, 0.5, 0.8])
    >>> saturation(np.array([100.0]), "logistic", 100)
    array([0.5])
    """
    x = np.maximum(np.asarray(x, dtype=float), 0.0)
    if form == "hill":
        z = (x / half) ** shape
        return z / (1.0 + z)
    return np.tanh(_LN3 * x / (2.0 * half))


def derivatives(
    x: np.ndarray,
    form: str,
    half: float | np.ndarray,
    shape: float | np.ndarray = 1.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(f, ∂f/∂x, ∂f/∂ln half, ∂f/∂shape)`` at ``x`` (``∂f/∂shape`` is 0 for logistic).

    ``half`` and ``shape`` may be arrays that broadcast against ``x`` (one value per
    column: every channel of a fit in one call).

    >>> f, dx, dh, dk = derivatives(np.array([[0.0, 0], [100, 100]]), "hill",
    ...                             np.array([100.0, 50]), np.array([1.0, 2]))
    >>> f.round(4).tolist(), dx.round(4).tolist()   # shape 1 starts at 1/half, shape 2 at 0
    ([[0.0, 0.0], [0.5, 0.8]], [[0.01, 0.0], [0.0025, 0.0032]])
    """
    x = np.maximum(np.asarray(x, dtype=float), 0.0)
    if form == "hill":
        shape = np.asarray(shape, dtype=float)
        positive = x > 0
        everywhere = bool(positive.all())  # the allocator's case: no masking needed
        safe = x if everywhere else np.where(positive, x, 1.0)
        # ln x − ln half, not ln(x ÷ half): a carried-over spend of 1e-300 (a decay of
        # 1e-37 on a dark week) over a half of 1e5 underflows to 0
        log_ratio = np.log(safe) - np.log(half)
        if not everywhere:
            log_ratio = np.where(positive, log_ratio, 0.0)
        z = np.exp(np.minimum(np.maximum(shape * log_ratio, -700.0), 700.0))
        if not everywhere:
            z = np.where(positive, z, 0.0)
        f = z / (1.0 + z)
        g = f * (1.0 - f)
        df_dx = shape * g / safe
        if not everywhere:
            # the slope at 0: infinite for shape < 1 (the next yen's value is not defined),
            # 1 / half for shape 1, 0 above
            with np.errstate(divide="ignore"):
                at_zero = np.where(shape < 1, np.inf, np.where(shape == 1, 1.0 / half, 0.0))
            df_dx = np.where(positive, df_dx, at_zero)
        return f, df_dx, -shape * g, g * log_ratio
    u = _LN3 * x / (2.0 * half)
    f = np.tanh(u)
    sech2 = 1.0 - f * f
    return f, sech2 * _LN3 / (2.0 * half), -sech2 * u, np.zeros_like(x)
