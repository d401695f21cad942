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


def saturation(x: np.ndarray, form: str, half: float, shape: float = 1.0) -> np.ndarray:
    """Share of the channel's largest effect reached at carried-over spend ``x``.

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
    x: np.ndarray, form: str, half: float, shape: float = 1.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(f, ∂f/∂x, ∂f/∂ln half, ∂f/∂shape)`` at ``x`` (``∂f/∂shape`` is 0 for logistic)."""
    x = np.maximum(np.asarray(x, dtype=float), 0.0)
    if form == "hill":
        with np.errstate(divide="ignore"):
            log_ratio = np.where(x > 0, np.log(np.where(x > 0, x, 1.0) / half), 0.0)
        z = np.exp(np.clip(shape * log_ratio, -700, 700))
        z = np.where(x > 0, z, 0.0)
        f = z / (1.0 + z)
        g = f * (1.0 - f)
        with np.errstate(divide="ignore", invalid="ignore"):
            df_dx = np.where(x > 0, shape * g / np.where(x > 0, x, 1.0), 0.0)
        if shape < 1:  # the slope at 0 is infinite: the next yen's value is not defined
            df_dx = np.where(x > 0, df_dx, np.inf)
        elif shape == 1:
            df_dx = np.where(x > 0, df_dx, 1.0 / half)
        return f, df_dx, -shape * g, g * log_ratio
    u = _LN3 * x / (2.0 * half)
    f = np.tanh(u)
    sech2 = 1.0 - f * f
    return f, sech2 * _LN3 / (2.0 * half), -sech2 * u, np.zeros_like(x)
