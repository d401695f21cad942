"""Carryover (adstock): how much of a period's spend still works in the periods after.

Two forms (SPEC §3c):

- ``"geometric"``: ``a_t = spend_t + decay · a_(t−1)``; a steady spend ``s`` carries over
  to ``s / (1 − decay)``.
- ``"delayed"``: the effect peaks ``peak_lag`` periods after the spend (TV often does):
  ``a_t = Σ_l w_l · spend_(t−l)`` with ``w_l = decay^((l − peak_lag)²)`` for
  ``l = 0 … MAX_LAG − 1`` (PyMC-Marketing's delayed adstock, not normalised, so that
  ``peak_lag = 0`` still gives the spend its full weight in its own period).

Carried-over spend is in the spend's own units, so a saturation curve's ``half`` is read
in yen of carried-over spend.
"""

from __future__ import annotations

import numpy as np

#: Carryover allowed in a fit and in a hand-edited model (SPEC §3c: decay in [0, 0.95]).
MAX_DECAY = 0.95
#: Periods a delayed carryover reaches (the weight at 12 periods past the peak with decay
#: 0.95 is 0.95**144 ≈ 0.0006).
MAX_LAG = 13
FORMS = ("geometric", "delayed")


def weights(form: str, decay: float, peak_lag: float = 0.0, length: int = MAX_LAG) -> np.ndarray:
    """The weight of the spend ``l`` periods back, ``l = 0 … length − 1``.

    >>> weights("geometric", 0.5, length=4)
    array([1.   , 0.5  , 0.25 , 0.125])
    >>> weights("delayed", 0.5, 1, length=4)
    array([0.5   , 1.    , 0.5   , 0.0625])
    """
    lags = np.arange(length, dtype=float)
    if form == "geometric":
        return decay**lags
    return decay ** ((lags - peak_lag) ** 2)


def steady_factor(form: str, decay: float, peak_lag: float = 0.0) -> float:
    """Carried-over spend per unit of a spend that never changes (steady state).

    >>> steady_factor("geometric", 0.5), round(steady_factor("delayed", 0.5, 1), 4)
    (2.0, 2.0645)
    """
    if form == "geometric":
        return 1.0 / (1.0 - decay)
    return float(weights(form, decay, peak_lag).sum())


def _recursive(x: np.ndarray, decay: float | np.ndarray) -> np.ndarray:
    """``a_t = x_t + decay · a_(t−1)`` along the first axis; ``decay`` may hold one value
    per column.

    A doubling scan: after the step of offset ``s``, ``a_t = Σ_(j<2s) d^j x_(t−j)``, and
    the next step adds ``d^(2s) · a_(t−2s)``; ⌈log₂ n⌉ array operations instead of one per
    period (208 weeks: 8). The terms are ≥ 0 for spends, so nothing cancels, and ``d^s``
    only underflows to 0 where the terms no longer count. SciPy's lfilter would do it, but
    importing scipy.signal costs seconds.

    >>> _recursive(np.array([1.0, 0, 0, 2]), 0.5)
    array([1.   , 0.5  , 0.25 , 2.125])
    """
    a = np.array(x, dtype=float)  # a copy
    power = np.broadcast_to(np.asarray(decay, dtype=float), a.shape[1:])
    step = 1
    while step < a.shape[0]:
        a[step:] += power * a[:-step]
        step, power = 2 * step, power * power
    return a


def _fir(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``a_t = Σ_l w_l · x_(t−l)`` along the first axis."""
    if x.ndim == 1:
        return np.convolve(x, w)[: x.shape[0]]
    return np.column_stack([np.convolve(col, w)[: x.shape[0]] for col in x.T])


def carryover(spend: np.ndarray, form: str, decay: float, peak_lag: float = 0.0) -> np.ndarray:
    """Carried-over spend per period (along the first axis); nothing carries in before the
    first period.

    Examples
    --------
    Five periods, a geometric decay of 0.5: each period keeps half of the last one's.

    >>> carryover(np.array([100.0, 0, 0, 50, 0]), "geometric", 0.5)
    array([100.  ,  50.  ,  25.  ,  62.5 ,  31.25])
    """
    spend = np.asarray(spend, dtype=float)
    if form == "geometric":
        return _recursive(spend, decay)
    return _fir(spend, weights(form, decay, peak_lag))


def carryover_d_decay(
    spend: np.ndarray, carried: np.ndarray, form: str, decay: float, peak_lag: float = 0.0
) -> np.ndarray:
    """∂(carried-over spend)/∂decay, per period (for the fit's Jacobian)."""
    if form == "geometric":  # a_t = s_t + d·a_(t−1)  ⇒  a'_t = a_(t−1) + d·a'_(t−1)
        shifted = np.concatenate([[0.0], carried[:-1]])
        return _recursive(shifted, decay)
    lags = np.arange(MAX_LAG, dtype=float)
    power = (lags - peak_lag) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        dw = np.where(power > 0, power * decay ** np.maximum(power - 1, 0), 0.0)
    return _fir(spend, dw)
