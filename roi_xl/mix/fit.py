"""Fitting the marketing mix: a deterministic search, then a regularised least-squares
refinement, then uncertainty from the curvature at the optimum.

1. **Search.** Each channel's carryover and saturation parameters are chosen from a grid,
   one channel at a time with the others held (coordinate descent, three sweeps). For a
   candidate, the fit's improvement is exact and needs no refit: by the Frisch–Waugh–Lovell
   theorem it is ``(r·x̃)² / (x̃·x̃)``, with ``x̃`` the candidate's column and ``r`` the
   revenue, both with the other columns projected out. Every candidate of a channel is
   scored in one matrix product; candidates whose coefficient would be negative (media
   cannot lower sales) are skipped (when every candidate's would, the channel keeps its
   current curve).
2. **Refinement.** From the best grid point, every parameter at once (baseline, betas ≥ 0,
   decays in [0, 0.95], halves, shapes) by bounded least squares with the exact Jacobian
   (SciPy's trust-region reflective). Weak priors keep it sensible on short or collinear
   histories (the first two are PyMC-Marketing's defaults in this parameterisation): each
   channel's half near its typical carried-over spend *at its current decay* (lognormal,
   sd ``HALF_PRIOR_SD`` = 0.63, the spread of ln λ under PyMC-Marketing's Gamma(3, 1) on
   the logistic's λ), its decay Beta(1, ``DECAY_PRIOR_B`` = 3) (carryover is usually
   short: without it a long carryover with a saturated curve, a nearly constant
   contribution, trades against the intercept and inflates the channel's ROAS), its Hill
   shape near 1.5 (sd ``SHAPE_PRIOR_SD`` in logs), and a ridge on each channel's mean
   contribution (sd ``CONTRIBUTION_PRIOR_SD`` of mean revenue), which splits two channels
   that always move together evenly instead of arbitrarily. The search scores its
   candidates with the same priors. Lift tests enter as more residuals, each weighted by
   its standard error.
3. **Uncertainty.** The covariance of the parameters is the inverse of ``JᵀJ`` at the
   optimum (the Laplace approximation of the posterior under these priors); the ROAS
   interval follows by the delta method. One fit, no resampling: it takes milliseconds.
   A channel whose beta ends at its bound (0: its most likely effect is none) is reported
   at its posterior mean instead, that of the Laplace Gaussian truncated at 0 (centred
   where the unconstrained Newton step puts the beta): the data rarely rule a channel's
   effect out, and a ROAS of exactly 0 is the largest error a ROAS can have short of
   doubling (on nine PyMC-Marketing histories the large channels' ROAS error fell from
   0.508 to 0.446, PyMC-Marketing's posterior means 0.496).

Everything is deterministic: the same history gives the same model on every runtime.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from ..errors import FitError
from ..i18n import label
from . import adstock as _adstock
from . import saturation as _saturation
from .baseline import MIN_PERIODS_SEASONAL, BaselineDesign, baseline_design
from .model import ChannelCurve, MixModel

#: sd of ln(half ÷ typical carried-over spend): PyMC-Marketing's Gamma(3, 1) prior on the
#: logistic's λ (∝ 1 ÷ half) has sd(ln λ) = √ψ′(3) = 0.63
HALF_PRIOR_SD = 0.63
SHAPE_PRIOR_CENTRE = 1.5
SHAPE_PRIOR_SD = 0.5
CONTRIBUTION_PRIOR_SD = 1.0
#: b of the Beta(1, b) prior on each decay: PyMC-Marketing's default Beta(1, 3) (mean 0.25;
#: a decay of 0.9 is 49× less likely than one of 0.3)
DECAY_PRIOR_B = 3.0
SHAPE_BOUNDS = (0.5, 4.0)
HALF_BOUNDS = (math.log(0.02), math.log(50.0))  # half ÷ typical carried-over spend
INTERVAL_Z = 1.6448536269514722  # 90 % two-sided
HOLDOUT_SHARE = 0.10
#: A geometric fit warns that a channel's effect peaks later when a delayed carryover
#: would improve its fit by this many σ² (χ²₁ at p = 0.001 is 10.8). Measured on the
#: recovery histories (2 × 27 per truth): no channel of a geometric truth warned (0 of 222,
#: none even at 7), 68 % of a delayed truth's did (73 % of those with ≥ 5 % of the
#: effect), 97 % of them naming the true lag
LATER_PEAK_GAIN = 11.0
#: Models drawn from the fit's posterior to say how sure an allocation is (the same draws
#: in Python, the CLI and MMM's "draws" table, which BUDGET_ALLOCATE's "range" reads)
SPREAD_DRAWS = 40
#: A beta below this share of its standard deviation is at its bound (0), where the fit
#: reports the truncated Laplace posterior's mean (``_bounded_beta_means``)
AT_BOUND_SD = 0.01

_DECAYS = np.array([0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
_DELAYED_DECAYS = np.array([0.1, 0.3, 0.5, 0.7, 0.85])
_PEAKS = np.array([0.0, 1.0, 2.0, 3.0])
_HALF_RATIOS = np.array([0.3, 0.6, 1.0, 1.7, 3.0])
_SHAPES = np.array([0.7, 1.0, 1.5, 2.2, 3.0])
_SWEEPS = 3


@dataclass(frozen=True)
class LiftTest:
    """A measured increment: what ``channel`` added over periods ``first … last``
    (counted from 1, the history's first row), with its standard error."""

    channel: str
    first: int
    last: int
    incremental_revenue: float
    standard_error: float


@dataclass
class MixFit:
    """Everything one fit found (statsmodels' results object, for a marketing mix).

    Arrays are per channel in the order given; ``contributions`` and ``baseline`` per
    period. ``roas_low``/``roas_high`` bound the 90 % interval.
    """

    channels: list[str]
    model: MixModel
    spend: np.ndarray
    contributions: np.ndarray
    baseline: np.ndarray
    fitted: np.ndarray
    revenue: np.ndarray
    roas: np.ndarray
    roas_low: np.ndarray
    roas_high: np.ndarray
    marginal_roas: np.ndarray
    r2: float
    mape: float
    nrmse: float
    decomp_rssd: float
    holdout_mape: float
    warnings: list[str] = field(default_factory=list)
    baseline_coefficients: dict[str, float] = field(default_factory=dict)
    posterior: "Posterior | None" = None

    @property
    def contribution(self) -> np.ndarray:
        """Incremental revenue per channel over the whole history."""
        return self.contributions.sum(axis=0)

    @property
    def share_of_spend(self) -> np.ndarray:
        total = self.spend.sum()
        return self.spend / total if total > 0 else np.zeros_like(self.spend)

    @property
    def share_of_effect(self) -> np.ndarray:
        total = self.contribution.sum()
        return self.contribution / total if total > 0 else np.zeros_like(self.spend)

    def roi(self, gross_margin: float = 1.0) -> np.ndarray:
        """Net-basis ROI per channel: (contribution × gross margin − spend) ÷ spend."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return (self.contribution * gross_margin - self.spend) / self.spend


@dataclass(frozen=True)
class Posterior:
    """The fit's parameters and their covariance (the Laplace approximation), enough to
    draw plausible models: how sure the allocation is comes from these draws, without a
    refit."""

    theta: np.ndarray
    covariance: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    p0: int
    hill: bool
    y_scale: float
    spend_scale: np.ndarray
    peaks: np.ndarray
    model: MixModel

    def draws(self, count: int = SPREAD_DRAWS, seed: int = 0) -> list[MixModel]:
        """``count`` models drawn from the approximate posterior (deterministic in
        ``seed``), each within the parameters' bounds; the baseline is the fit's."""
        rng = np.random.default_rng(seed)
        values, vectors = np.linalg.eigh((self.covariance + self.covariance.T) / 2)
        root = vectors * np.sqrt(np.clip(values, 0.0, None))
        k = self.spend_scale.size
        out = []
        for _ in range(count):
            t = np.clip(
                self.theta + root @ rng.standard_normal(self.theta.size), self.lower, self.upper
            )
            beta = t[self.p0 : self.p0 + k]
            decay = t[self.p0 + k : self.p0 + 2 * k]
            log_half = t[self.p0 + 2 * k : self.p0 + 3 * k]
            shape = t[self.p0 + 3 * k : self.p0 + 4 * k] if self.hill else np.ones(k)
            curves = tuple(
                ChannelCurve(
                    c.channel,
                    c.adstock,
                    c.saturation,
                    beta=float(beta[i] * self.y_scale),
                    decay=float(min(decay[i], _adstock.MAX_DECAY)),
                    peak_lag=float(self.peaks[i]),
                    half=float(self.spend_scale[i] * math.exp(log_half[i])),
                    shape=float(shape[i]),
                    current_spend=c.current_spend,
                )
                for i, c in enumerate(self.model.channels)
            )
            out.append(MixModel(curves, self.model.baseline))
        return out


# The design of one fit -----------------------------------------------------------------------


@dataclass
class _Problem:
    y: np.ndarray  # revenue ÷ y_scale
    y_scale: float
    spends: np.ndarray  # n × k
    spend_scale: np.ndarray  # k: mean spend per period (1 where a channel never spent)
    base: BaselineDesign
    adstock: str
    saturation: str
    lifts: list[tuple[int, int, int, float, float]]  # channel, first, last (0-based), value, se

    @property
    def n(self) -> int:
        return self.y.size

    @property
    def k(self) -> int:
        return self.spends.shape[1]

    @property
    def hill(self) -> bool:
        return self.saturation == "hill"


@dataclass
class _Curves:
    """The nonlinear parameters of every channel: decay, peak lag, ln(half ÷ scale), shape."""

    decay: np.ndarray
    peak: np.ndarray
    log_half: np.ndarray
    shape: np.ndarray

    def copy(self) -> "_Curves":
        return _Curves(self.decay.copy(), self.peak.copy(), self.log_half.copy(), self.shape.copy())


def _column(p: _Problem, c: int, curves: _Curves) -> np.ndarray:
    a = _adstock.carryover(p.spends[:, c], p.adstock, curves.decay[c], curves.peak[c])
    half = p.spend_scale[c] * math.exp(curves.log_half[c])
    return _saturation.saturation(a, p.saturation, half, curves.shape[c])


def _prior_centre(p: _Problem, c: int, decay: float, peak: float) -> float:
    """ln(typical carried-over spend ÷ spend scale): where the half prior is centred."""
    return math.log(_adstock.steady_factor(p.adstock, decay, peak))


def _centres_and_slopes(
    p: _Problem, decay: np.ndarray, peak: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The half prior's centre at each channel's decay (``_prior_centre``), and its
    derivative in the decay: the prior follows the decay, so that a longer carryover does
    not by itself make a channel look saturated (a saturated channel's contribution is
    nearly constant and trades against the intercept)."""
    if p.adstock == "geometric":
        return -np.log1p(-decay), 1.0 / (1.0 - decay)
    lags = np.arange(_adstock.MAX_LAG, dtype=float)
    power = (lags[None, :] - peak[:, None]) ** 2
    d = decay[:, None]
    w = d**power
    with np.errstate(divide="ignore", invalid="ignore"):
        dw = np.where(power > 0, power * d ** np.maximum(power - 1, 0), 0.0)
    total = w.sum(axis=1)
    return np.log(total), dw.sum(axis=1) / total


def _decay_prior(decay: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """Residual and its derivative for the Beta(1, b) prior on a decay: −2 ln p is
    −2(b − 1) ln(1 − decay) + const; the residual is its square root with the constant
    (b − 1) that makes Gauss–Newton's curvature at decay 0 the prior's, (b − 1)."""
    b1 = DECAY_PRIOR_B - 1.0
    decay = np.asarray(decay, dtype=float)
    if b1 == 0:
        return np.zeros_like(decay), np.zeros_like(decay)
    r = np.sqrt(b1 * (1.0 - 2.0 * np.log1p(-decay)))
    return r, b1 / ((1.0 - decay) * r)


# 1. Search -------------------------------------------------------------------------------------


def _candidates(p: _Problem, c: int, sigma2: float) -> tuple[np.ndarray, list[tuple], np.ndarray]:
    """Every grid candidate of channel ``c``: columns (n × G), parameters, prior penalties.

    The candidates are ordered decay, peak lag, half ratio, shape (the last varies
    fastest); every carryover of the channel comes from one call, every saturation from
    one broadcast call."""
    decays = _DECAYS if p.adstock == "geometric" else _DELAYED_DECAYS
    peaks = _PEAKS if p.adstock == "delayed" else np.array([0.0])
    shapes = _SHAPES if p.hill else np.array([1.0])
    s = p.spends[:, c]
    pairs = [(d, lag) for d in decays for lag in peaks]
    if p.adstock == "geometric":  # one column per decay
        carried = _adstock.carryover(np.repeat(s[:, None], len(pairs), axis=1), "geometric", decays)
    else:
        carried = np.column_stack([_adstock.carryover(s, p.adstock, d, lag) for d, lag in pairs])
    params, penalty = [], []
    halves = np.empty((len(pairs), _HALF_RATIOS.size))
    for i, (d, lag) in enumerate(pairs):
        centre = _prior_centre(p, c, d, lag)
        decay_pen = float(_decay_prior(d)[0]) ** 2
        for j, ratio in enumerate(_HALF_RATIOS):
            log_half = centre + math.log(ratio)
            halves[i, j] = p.spend_scale[c] * math.exp(log_half)
            for k in shapes:
                params.append((d, lag, log_half, k))
                pen = (math.log(ratio) / HALF_PRIOR_SD) ** 2 + decay_pen
                if p.hill:
                    pen += (math.log(k / SHAPE_PRIOR_CENTRE) / SHAPE_PRIOR_SD) ** 2
                penalty.append(sigma2 * pen)
    cols = _saturation.saturation(
        carried[:, :, None, None], p.saturation, halves[None, :, :, None], shapes
    )
    return cols.reshape(p.n, -1), params, np.array(penalty)


def _gains(
    p: _Problem, columns: np.ndarray, c: int, cand: np.ndarray, norms: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The exact improvement in fit of each candidate column ``cand`` (n × G) for channel
    ``c``, the baseline and the other channels' ``columns`` held: by Frisch–Waugh–Lovell
    ``(r·x̃)² / (x̃·x̃)``, with ``x̃`` and ``r`` the candidate and the revenue with those
    projected out; and which candidates are valid (a positive coefficient). ``x̃·x̃ =
    cand·cand − ‖qᵀcand‖²`` and ``r·x̃ = r·cand`` (r ⟂ q): no projected copy of the
    candidates is formed; ``norms`` (cand·cand) may be given when the candidates repeat."""
    others = np.column_stack([p.base.columns, np.delete(columns, c, axis=1)])
    q, _ = np.linalg.qr(others)
    r = p.y - q @ (q.T @ p.y)
    qc = q.T @ cand
    if norms is None:
        norms = np.einsum("ij,ij->j", cand, cand)
    xx = norms - np.einsum("ij,ij->j", qc, qc)
    rx = r @ cand
    valid = (rx > 0) & (xx > 1e-12)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(valid, rx * rx / xx, 0.0), valid


def _search(p: _Problem) -> _Curves:
    k = p.k
    start_decay = 0.5 if p.adstock == "geometric" else 0.5
    curves = _Curves(
        decay=np.full(k, start_decay),
        peak=np.zeros(k),
        log_half=np.array([_prior_centre(p, c, start_decay, 0.0) for c in range(k)]),
        shape=np.full(k, SHAPE_PRIOR_CENTRE if p.hill else 1.0),
    )
    columns = np.column_stack([_column(p, c, curves) for c in range(k)])
    full = np.column_stack([p.base.columns, columns])
    coef, *_ = np.linalg.lstsq(full, p.y, rcond=None)
    sigma2 = float(np.sum((p.y - full @ coef) ** 2)) / max(p.n - full.shape[1], 1)
    cache = [_candidates(p, c, sigma2) for c in range(k)]
    norms = [np.einsum("ij,ij->j", cand, cand) for cand, _, _ in cache]
    for _ in range(_SWEEPS):
        changed = False
        for c in range(k):
            cand, params, penalty = cache[c]
            gain, valid = _gains(p, columns, c, cand, norms[c])
            if not valid.any():  # no candidate with a positive coefficient: keep the current
                continue
            best = int(np.argmax(np.where(valid, gain - penalty, -np.inf)))
            d, lag, log_half, shape = params[best]
            if (d, lag, log_half, shape) != (
                curves.decay[c],
                curves.peak[c],
                curves.log_half[c],
                curves.shape[c],
            ):
                changed = True
            curves.decay[c], curves.peak[c], curves.log_half[c], curves.shape[c] = params[best]
            columns[:, c] = cand[:, best]
        if not changed:
            break
    return curves


# 2. Refinement ----------------------------------------------------------------------------------


@dataclass
class _Layout:
    p0: int
    k: int
    hill: bool

    @property
    def size(self) -> int:
        return self.p0 + self.k * (4 if self.hill else 3)

    def split(
        self, theta: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        p0, k = self.p0, self.k
        lin = theta[:p0]
        beta = theta[p0 : p0 + k]
        decay = theta[p0 + k : p0 + 2 * k]
        log_half = theta[p0 + 2 * k : p0 + 3 * k]
        shape = theta[p0 + 3 * k : p0 + 4 * k] if self.hill else np.ones(k)
        return lin, beta, decay, log_half, shape

    def index(self, part: int, c: int) -> int:
        """Index of channel ``c``'s beta (0), decay (1), log half (2), shape (3)."""
        return self.p0 + part * self.k + c


class _Objective:
    """Residuals (data ÷ σ, priors, lift tests) and their exact Jacobian."""

    def __init__(
        self, p: _Problem, peak: np.ndarray, centres: np.ndarray, sigma: float, rows: slice
    ):
        self.p, self.peak, self.centres, self.sigma = p, peak, centres, sigma
        self.rows = rows
        self.layout = _Layout(p.base.columns.shape[1], p.k, p.hill)
        self._at: np.ndarray | None = None

    def _evaluate(self, theta: np.ndarray) -> None:
        if self._at is not None and np.array_equal(theta, self._at):
            return
        p, lay = self.p, self.layout
        lin, beta, decay, log_half, shape = lay.split(theta)
        k = p.k
        if p.adstock == "geometric":  # every channel at once
            carried = _adstock.carryover(p.spends, "geometric", decay)
            shifted = np.vstack([np.zeros((1, k)), carried[:-1]])
            d_carried = _adstock.carryover(shifted, "geometric", decay)
        else:
            carried = np.column_stack(
                [
                    _adstock.carryover(p.spends[:, c], p.adstock, decay[c], self.peak[c])
                    for c in range(k)
                ]
            )
            d_carried = np.column_stack(
                [
                    _adstock.carryover_d_decay(
                        p.spends[:, c], carried[:, c], p.adstock, decay[c], self.peak[c]
                    )
                    for c in range(k)
                ]
            )
        half = p.spend_scale * np.exp(log_half)  # every channel in one call
        f, dx, d_half, d_shape = _saturation.derivatives(carried, p.saturation, half, shape)
        d_decay = np.where(np.isfinite(dx), dx, 0.0) * d_carried
        self._at = theta.copy()
        self.f, self.d_decay, self.d_half, self.d_shape = f, d_decay, d_half, d_shape
        self.fitted = p.base.columns @ lin + f @ beta
        self.beta, self.log_half, self.shape, self.decay = beta, log_half, shape, decay

    def model_jacobian(self, theta: np.ndarray) -> np.ndarray:
        """∂(fitted revenue ÷ y_scale)/∂θ, n × size."""
        self._evaluate(theta)
        lay, beta = self.layout, self.beta
        parts = [self.p.base.columns, self.f, self.d_decay * beta, self.d_half * beta]
        if lay.hill:
            parts.append(self.d_shape * beta)
        return np.column_stack(parts)

    def residuals(self, theta: np.ndarray) -> np.ndarray:
        self._evaluate(theta)
        p, rows = self.p, self.rows
        out = [(p.y[rows] - self.fitted[rows]) / self.sigma]
        centres, _ = _centres_and_slopes(p, self.decay, self.peak)
        out.append((self.log_half - centres) / HALF_PRIOR_SD)
        out.append(_decay_prior(self.decay)[0])
        if p.hill:
            out.append(np.log(self.shape / SHAPE_PRIOR_CENTRE) / SHAPE_PRIOR_SD)
        mean_f = self.f[rows].mean(axis=0)
        out.append(self.beta * mean_f / (p.y[rows].mean() * CONTRIBUTION_PRIOR_SD))
        for c, first, last, value, se in p.lifts:
            if last < rows.stop:
                got = self.beta[c] * self.f[first : last + 1, c].sum() * p.y_scale
                out.append(np.array([(got - value) / se]))
        return np.concatenate(out)

    def jacobian(self, theta: np.ndarray) -> np.ndarray:
        jm = self.model_jacobian(theta)
        p, lay, rows, k = self.p, self.layout, self.rows, self.p.k
        blocks = [-jm[rows] / self.sigma]
        decay_cols = [lay.index(1, c) for c in range(k)]
        _, slopes = _centres_and_slopes(p, self.decay, self.peak)
        prior_half = np.zeros((k, lay.size))
        prior_half[np.arange(k), [lay.index(2, c) for c in range(k)]] = 1.0 / HALF_PRIOR_SD
        prior_half[np.arange(k), decay_cols] = -slopes / HALF_PRIOR_SD
        blocks.append(prior_half)
        prior_decay = np.zeros((k, lay.size))
        prior_decay[np.arange(k), decay_cols] = _decay_prior(self.decay)[1]
        blocks.append(prior_decay)
        if p.hill:
            prior_shape = np.zeros((k, lay.size))
            idx = [lay.index(3, c) for c in range(k)]
            prior_shape[np.arange(k), idx] = 1.0 / (self.shape * SHAPE_PRIOR_SD)
            blocks.append(prior_shape)
        ridge = np.zeros((k, lay.size))
        ybar = p.y[rows].mean() * CONTRIBUTION_PRIOR_SD
        means = jm[rows].mean(axis=0)
        for part in range(4 if p.hill else 3):  # channel c's row: its own parameters' columns
            cols = lay.p0 + part * k + np.arange(k)
            ridge[np.arange(k), cols] = means[cols] / ybar
        blocks.append(ridge)
        for c, first, last, value, se in p.lifts:
            if last < rows.stop:
                cols = [lay.index(part, c) for part in range(4 if p.hill else 3)]
                row = np.zeros((1, lay.size))
                row[0, cols] = jm[first : last + 1][:, cols].sum(axis=0) * p.y_scale / se
                blocks.append(row)
        return np.vstack(blocks)


def _bounds(lay: _Layout, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    k = lay.k
    lo = np.concatenate(
        [
            np.full(lay.p0, -np.inf),
            np.zeros(k),
            np.zeros(k),
            centres + HALF_BOUNDS[0],
            *([np.full(k, SHAPE_BOUNDS[0])] if lay.hill else []),
        ]
    )
    hi = np.concatenate(
        [
            np.full(lay.p0, np.inf),
            np.full(k, np.inf),
            np.full(k, _adstock.MAX_DECAY),
            centres + HALF_BOUNDS[1],
            *([np.full(k, SHAPE_BOUNDS[1])] if lay.hill else []),
        ]
    )
    return lo, hi


def _start(p: _Problem, curves: _Curves) -> np.ndarray:
    """θ at the grid point, with the linear part solved by non-negative least squares."""
    from scipy.optimize import nnls

    columns = np.column_stack([_column(p, c, curves) for c in range(p.k)])
    base = p.base.columns
    # the baseline is free: project it out, NNLS on the media, then solve the baseline
    q, _ = np.linalg.qr(base)
    xm = columns - q @ (q.T @ columns)
    ym = p.y - q @ (q.T @ p.y)
    beta, _ = nnls(xm, ym)
    lin, *_ = np.linalg.lstsq(base, p.y - columns @ beta, rcond=None)
    parts = [lin, beta, curves.decay, curves.log_half]
    if p.hill:
        parts.append(curves.shape)
    return np.concatenate(parts)


def _refine(p: _Problem, theta0: np.ndarray, obj: _Objective, max_nfev: int = 80) -> np.ndarray:
    from scipy.optimize import least_squares

    lo, hi = _bounds(obj.layout, obj.centres)
    theta0 = np.clip(theta0, lo, hi)
    res = least_squares(
        obj.residuals,
        theta0,
        jac=obj.jacobian,
        bounds=(lo, hi),
        method="trf",
        x_scale="jac",
        ftol=1e-7,
        xtol=1e-8,
        gtol=1e-8,
        max_nfev=max_nfev,
    )
    return res.x


# 3. Everything a reader needs ------------------------------------------------------------------


def _covariance(obj: _Objective, theta: np.ndarray, sigma_ratio: float) -> np.ndarray:
    j = obj.jacobian(theta)
    lay = obj.layout
    lo, hi = _bounds(lay, obj.centres)
    # a parameter held at a bound (a beta at 0, a decay at 0.95) is not free: its row of the
    # curvature says nothing about the others' spread
    at_bound = (np.isfinite(lo) & np.isclose(theta, lo)) | (np.isfinite(hi) & np.isclose(theta, hi))
    at_bound[: lay.p0 + lay.k] = False  # a beta at 0 stays free: its interval grows
    free = ~at_bound
    cov = np.zeros((lay.size, lay.size))
    jf = j[:, free]
    cov_free = np.linalg.pinv(jf.T @ jf)
    cov[np.ix_(free, free)] = cov_free
    return cov * sigma_ratio**2


def _bounded_beta_means(
    obj: _Objective, theta: np.ndarray, cov: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each channel's beta, with those at the bound 0 replaced by their posterior mean,
    and which were at the bound.

    At the bound the posterior of a beta is, to the Laplace approximation, a Gaussian
    truncated at 0: its centre ``μ`` is where the unconstrained Newton step from the
    optimum puts the beta (≤ 0 when the constraint holds it), its sd ``s`` the beta's
    marginal one (``cov``), and its mean ``μ + s·φ(μ/s)/Φ(μ/s)`` (about ``s²/|μ|`` for a
    ``μ`` far below 0). A beta inside its bounds is the optimum's."""
    from scipy.special import log_ndtr

    lay = obj.layout
    idx = lay.p0 + np.arange(lay.k)
    beta = theta[idx].copy()
    sd = np.sqrt(np.clip(np.diag(cov)[idx], 0.0, None))
    bounded = (beta <= AT_BOUND_SD * sd) & (sd > 0)
    if not bounded.any():
        return beta, bounded
    j = obj.jacobian(theta)
    g = j.T @ obj.residuals(theta)
    free = np.abs(cov).sum(axis=0) > 0  # the parameters _covariance left free
    step = np.zeros(lay.size)
    jf = j[:, free]
    step[free] = -np.linalg.pinv(jf.T @ jf) @ g[free]
    mu = beta[bounded] + step[idx][bounded]
    a = mu / sd[bounded]
    mills = np.exp(-0.5 * a * a - 0.5 * math.log(2 * math.pi) - log_ndtr(a))
    beta[bounded] = np.maximum(mu + sd[bounded] * mills, 0.0)
    return beta, bounded


def _one_blas_thread(function: Callable[..., MixFit]) -> Callable[..., MixFit]:
    """Run on one BLAS thread: the fit's matrices are small, and on a busy 2-core machine
    BLAS threads made one projection 25× slower (5 ms vs 0.2 ms)."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> MixFit:
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:  # Pyodide: no BLAS threads to limit
            return function(*args, **kwargs)
        with threadpool_limits(1, user_api="blas"):
            return function(*args, **kwargs)

    return wrapper


@_one_blas_thread
def fit_mix(
    revenue: Sequence[float] | np.ndarray,
    spends: np.ndarray,
    channel_names: Sequence[str] | None = None,
    controls: np.ndarray | None = None,
    control_names: Sequence[str] | None = None,
    *,
    adstock: str = "geometric",
    saturation: str = "hill",
    periods_per_year: float | None = 52,
    lift_tests: Sequence[LiftTest] = (),
    holdout: bool = True,
) -> MixFit:
    """Fit the marketing mix of SPEC §3c to a history.

    Parameters
    ----------
    revenue : array_like, n
        Revenue per period (≥ 0).
    spends : array_like, n × k
        Spend per period per channel (≥ 0).
    channel_names : list of str, optional
        Default ``channel_1`` …
    controls : array_like, n × m, optional
        What else moved revenue (price, promotions, holidays): part of the baseline.
    adstock, saturation : str
        ``"geometric"`` or ``"delayed"``; ``"hill"`` or ``"logistic"``.
    periods_per_year : float or None
        52 weekly, 12 monthly, 365 daily; ``None`` fits no seasonality.
    lift_tests : list of LiftTest
        Measured increments the fit is pulled toward.
    holdout : bool
        Also fit without the last 10 % of periods and report the error there.

    Returns
    -------
    MixFit

    Examples
    --------
    A two-channel history simulated from a known truth (:mod:`roi_xl.mix.simulate`):

    >>> from roi_xl.mix.simulate import simulate
    >>> sim = simulate(seed=1, periods=156, channels=2, noise=0.05)
    >>> fit = fit_mix(sim.revenue, sim.spends, sim.channel_names)
    >>> [round(float(r), 1) for r in sim.roas], [round(float(r), 1) for r in fit.roas]
    ([2.4, 1.8], [2.6, 1.6])
    """
    if adstock not in _adstock.FORMS:
        raise FitError(f"adstock must be one of {_adstock.FORMS}, not {adstock!r}")
    if saturation not in _saturation.FORMS:
        raise FitError(f"saturation must be one of {_saturation.FORMS}, not {saturation!r}")
    y = np.asarray(revenue, dtype=float).reshape(-1)
    s = np.asarray(spends, dtype=float)
    if s.ndim == 1:
        s = s.reshape(-1, 1)
    n, k = s.shape
    if y.size != n:
        raise FitError(f"revenue has {y.size} periods but spends has {n} rows")
    names = (
        [str(c) for c in channel_names] if channel_names else [f"channel_{i + 1}" for i in range(k)]
    )
    if len(names) != k:
        raise FitError(f"{len(names)} channel names for {k} spend columns")
    ctrl = None if controls is None else np.asarray(controls, dtype=float).reshape(n, -1)
    if ctrl is not None and ctrl.shape[0] != n:
        raise FitError(f"controls has {ctrl.shape[0]} rows, revenue {n}")
    for what, arr in (("revenue", y), ("spends", s), ("controls", ctrl)):
        if arr is not None and not np.all(np.isfinite(arr)):
            raise FitError(f"{what} holds a value that is not a finite number", "#NUM!")
    if np.any(y < 0):
        raise FitError(f"revenue is negative in period {int(np.argmax(y < 0)) + 1}", "#NUM!")
    if np.any(s < 0):
        row, col = np.argwhere(s < 0)[0]
        raise FitError(f"spend of {names[col]} is negative in period {row + 1}", "#NUM!")
    m = 0 if ctrl is None else ctrl.shape[1]
    nonlinear = 4 if saturation == "hill" else 3
    seasonal = periods_per_year is not None
    p_count = 2 + (4 if seasonal else 0) + m + k * nonlinear
    minimum = max(p_count + 1, MIN_PERIODS_SEASONAL if seasonal else 0)
    if n < minimum:
        raise FitError(
            f"{n} periods are too few: this model ({k} channels, {m} controls"
            f"{', yearly seasonality' if seasonal else ''}) needs at least {minimum}"
        )
    y_scale = float(y.mean())
    if y_scale <= 0:
        raise FitError("revenue is 0 in every period", "#NUM!")

    spend_scale = np.array([float(col.mean()) if col.max() > 0 else 1.0 for col in s.T])
    base = baseline_design(n, periods_per_year, ctrl, list(control_names or []) or None)
    lifts = []
    for t in lift_tests:
        c = _channel_index(names, t.channel)
        first, last = int(t.first) - 1, int(t.last) - 1
        if not (0 <= first <= last < n):
            raise FitError(
                f"lift test of {t.channel}: periods {t.first}–{t.last} are not within 1–{n}"
            )
        if not (t.standard_error > 0 and np.isfinite(t.incremental_revenue)):
            raise FitError(f"lift test of {t.channel}: its standard error must be > 0", "#NUM!")
        lifts.append((c, first, last, float(t.incremental_revenue), float(t.standard_error)))

    problem = _Problem(y / y_scale, y_scale, s, spend_scale, base, adstock, saturation, lifts)
    curves = _search(problem)
    centres = np.array(
        [_prior_centre(problem, c, curves.decay[c], curves.peak[c]) for c in range(k)]
    )
    theta0 = _start(problem, curves)
    resid0 = problem.y - (problem.base.columns @ theta0[: base.columns.shape[1]])
    lay = _Layout(base.columns.shape[1], k, problem.hill)
    _, beta0, *_ = lay.split(theta0)
    media0 = np.column_stack([_column(problem, c, curves) for c in range(k)]) @ beta0
    sigma = float(np.sqrt(np.sum((resid0 - media0) ** 2) / max(n - p_count, 1))) or 1e-6
    all_rows = slice(0, n)
    obj = _Objective(problem, curves.peak, centres, sigma, all_rows)
    theta = _refine(problem, theta0, obj)
    obj._evaluate(theta)
    resid = problem.y - obj.fitted
    sigma_hat = float(np.sqrt(np.sum(resid**2) / max(n - p_count, 1))) or 1e-9
    cov = _covariance(obj, theta, sigma_hat / sigma)

    lin, beta_map, decay, log_half, shape = lay.split(theta)
    beta, at_bound = _bounded_beta_means(obj, theta, cov)
    contributions = obj.f * beta * y_scale
    baseline_t = base.columns @ lin * y_scale
    fitted = baseline_t + contributions.sum(axis=1)
    spend_total = s.sum(axis=0)

    jm = obj.model_jacobian(theta)
    roas = np.zeros(k)
    sd = np.zeros(k)
    for c in range(k):
        if spend_total[c] <= 0:
            roas[c] = np.nan
            continue
        roas[c] = contributions[:, c].sum() / spend_total[c]
        grad = np.zeros(lay.size)
        cols = [lay.index(part, c) for part in range(4 if problem.hill else 3)]
        grad[cols] = jm[:, cols].sum(axis=0) * y_scale / spend_total[c]
        sd[c] = math.sqrt(max(float(grad @ cov @ grad), 0.0))
    # on the log scale (a ratio's spread grows with it; the interval never reaches below 0)
    with np.errstate(all="ignore"):
        spread = np.where(roas > 0, INTERVAL_Z * sd / roas, np.inf)
        low = np.where(roas > 0, roas * np.exp(-spread), 0.0)
        high = np.where(roas > 0, roas * np.exp(spread), INTERVAL_Z * sd)
        # a ROAS of almost 0 (a beta near its bound) overflows the log scale: the linear
        # interval, as for a ROAS of 0
        high = np.where(np.isfinite(high), high, roas + INTERVAL_Z * sd)
    low[spend_total <= 0] = high[spend_total <= 0] = np.nan  # no spend: no ROAS

    recent = slice(max(n - _quarter(periods_per_year), 0), n)
    current = s[recent].mean(axis=0)
    curves_out = tuple(
        ChannelCurve(
            names[c],
            adstock,
            saturation,
            beta=float(beta[c] * y_scale),
            decay=float(decay[c]),
            peak_lag=float(curves.peak[c]),
            half=float(spend_scale[c] * math.exp(log_half[c])),
            shape=float(shape[c]),
            current_spend=float(current[c]),
        )
        for c in range(k)
    )
    model = MixModel(curves_out, float(baseline_t[recent].mean()))
    marginal = model.marginals(current)

    ss_res = float(np.sum((y - fitted) ** 2))
    ss_tot = float(np.sum((y - y.mean()) ** 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        mape = float(np.mean(np.abs((y - fitted) / y)[y > 0]))
    span = float(y.max() - y.min()) or 1.0
    result = MixFit(
        channels=names,
        model=model,
        spend=spend_total,
        contributions=contributions,
        baseline=baseline_t,
        fitted=fitted,
        revenue=y,
        roas=roas,
        roas_low=low,
        roas_high=high,
        marginal_roas=marginal,
        r2=1.0 - ss_res / ss_tot if ss_tot > 0 else float("nan"),
        mape=mape,
        nrmse=math.sqrt(ss_res / n) / span,
        decomp_rssd=0.0,
        holdout_mape=float("nan"),
        baseline_coefficients={
            name: float(v * y_scale * sc) for name, v, sc in zip(base.names, lin, base.scale)
        },
    )
    result.decomp_rssd = float(
        np.sqrt(np.sum((result.share_of_effect - result.share_of_spend) ** 2))
    )
    if holdout:
        result.holdout_mape = _holdout_mape(problem, theta, curves.peak, centres, sigma, p_count)
    fitted_curves = _Curves(decay.copy(), curves.peak, log_half.copy(), shape.copy())
    later = (
        _later_peaks(problem, obj.f, fitted_curves, sigma_hat**2) if adstock == "geometric" else []
    )
    result.warnings = _warnings(result, s, at_bound | (beta_map <= 0), sd)
    result.warnings += [
        label("mmm_warn_later", channel=names[c], lag=f"{lag:.0f}")
        for c, lag, gain in later
        if gain > LATER_PEAK_GAIN
    ]
    lo_b, hi_b = _bounds(lay, centres)
    result.posterior = Posterior(
        theta,
        cov,
        lo_b,
        hi_b,
        lay.p0,
        problem.hill,
        y_scale,
        spend_scale,
        curves.peak.copy(),
        model,
    )
    return result


def _quarter(periods_per_year: float | None) -> int:
    """Periods in the "today" window: a quarter of a year (13 weeks, 3 months)."""
    return max(int(round((periods_per_year or 52) / 4)), 1)


def _channel_index(names: list[str], channel: str) -> int:
    key = str(channel).strip().casefold()
    for i, name in enumerate(names):
        if name.strip().casefold() == key:
            return i
    raise FitError(f"lift test names channel {channel!r}, which is not among {names}", "#N/A")


def _holdout_mape(
    p: _Problem,
    theta: np.ndarray,
    peak: np.ndarray,
    centres: np.ndarray,
    sigma: float,
    p_count: int,
) -> float:
    n = p.n
    test = max(int(round(n * HOLDOUT_SHARE)), 1)
    train = n - test
    if train <= p_count:
        return float("nan")
    obj = _Objective(p, peak, centres, sigma, slice(0, train))
    theta_h = _refine(p, theta, obj, max_nfev=20)
    obj._evaluate(theta_h)
    y = p.y[train:]
    ok = y > 0
    return float(np.mean(np.abs((y - obj.fitted[train:]) / y)[ok])) if ok.any() else float("nan")


def _later_peaks(
    p: _Problem, f: np.ndarray, curves: "_Curves", sigma2: float
) -> list[tuple[int, float, float]]:
    """For a geometric fit: each channel's best *delayed* carryover (its effect peaking
    1–3 periods after the spend), as (channel, peak lag, gain in fit ÷ σ²).

    With the other channels' fitted columns and the baseline held, the gain of a
    candidate column is exact (``_gains``, as in the search). The
    candidates keep the channel's fitted saturation (its half scaled by the steady
    carryover), and are compared with its fitted geometric column."""
    out = []
    pairs = [(d, lag) for d in _DELAYED_DECAYS for lag in _PEAKS if lag >= 1]
    for c in range(p.k):
        geometric = _adstock.steady_factor("geometric", curves.decay[c])
        half = p.spend_scale[c] * math.exp(curves.log_half[c])
        cols = [f[:, c]]
        for d, lag in pairs:
            a = _adstock.carryover(p.spends[:, c], "delayed", d, lag)
            scaled = half * _adstock.steady_factor("delayed", d, lag) / geometric
            cols.append(_saturation.saturation(a, p.saturation, scaled, curves.shape[c]))
        gain, _ = _gains(p, f, c, np.column_stack(cols))
        best = 1 + int(np.argmax(gain[1:]))
        out.append((c, float(pairs[best - 1][1]), float((gain[best] - gain[0]) / sigma2)))
    return out


def _warnings(fit: MixFit, s: np.ndarray, no_effect: np.ndarray, sd: np.ndarray) -> list[str]:
    out = []
    names = fit.channels
    k = len(names)
    varies = np.array([np.ptp(col) > 1e-9 * max(abs(col).max(), 1.0) for col in s.T])
    for c in range(k):
        if not varies[c]:
            out.append(label("mmm_warn_flat", channel=names[c]))
    if k > 1:
        with np.errstate(invalid="ignore", divide="ignore"):
            corr = np.corrcoef(s.T)
        for i in range(k):
            for j in range(i + 1, k):
                if varies[i] and varies[j] and abs(corr[i, j]) >= 0.9:
                    out.append(
                        label("mmm_warn_together", a=names[i], b=names[j], r=f"{corr[i, j]:.2f}")
                    )
    for c in range(k):
        if not varies[c] or fit.spend[c] <= 0:
            continue
        if no_effect[c] or fit.contribution[c] <= 1e-9 * max(fit.revenue.sum(), 1.0):
            out.append(label("mmm_warn_none", channel=names[c]))
        elif fit.roas[c] > 0 and sd[c] / fit.roas[c] > 0.5:
            out.append(
                label(
                    "mmm_warn_uncertain",
                    channel=names[c],
                    low=f"{fit.roas_low[c]:.2f}",
                    high=f"{fit.roas_high[c]:.2f}",
                )
            )
    if fit.r2 < 0.5:
        out.append(label("mmm_warn_r2", r2=f"{fit.r2:.2f}"))
    return out
