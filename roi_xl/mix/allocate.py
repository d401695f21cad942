"""Where the next yen goes: the split of a budget that brings the most incremental revenue,
and the least budget that reaches a revenue target (seed 000's 逆算法 with diminishing
returns). Both read only a :class:`~roi_xl.mix.model.MixModel`.

The split maximises ``Σ_c response_c(spend_c)`` with ``Σ_c spend_c = budget`` and
``min_c ≤ spend_c ≤ max_c``. At the optimum every channel that is not held by a bound
returns the same on its next yen (equal marginal ROAS): the budget's shadow price. S-shaped
curves (Hill shape > 1) are not concave, so a local method alone can stop early: the
split is first found on a fine grid of each channel's curve by the shadow price (a
channel's best spend for a given price is a global search over its grid), then polished
by SLSQP with the exact gradient.

>>> from roi_xl.mix.model import ChannelCurve, MixModel
>>> a = ChannelCurve("a", "geometric", "hill", 1000, 0, 0, 100, 1, current_spend=100)
>>> b = ChannelCurve("b", "geometric", "hill", 2000, 0, 0, 100, 1, current_spend=100)
>>> plan = allocate(MixModel((a, b), baseline=5000), 200, min_spend=0, max_spend=1000)
>>> [round(float(x), 1) for x in plan.recommended]   # (b + 100) = √2 · (a + 100)
[65.7, 134.3]
>>> [round(float(m), 3) for m in plan.marginal_roas]  # equal: the next yen returns the same
[3.643, 3.643]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from ..errors import InfeasibleBudget, ModelError
from .model import MixModel

#: Default bounds, as multiples of today's spend (SPEC §3c).
DEFAULT_MIN = 0.5
DEFAULT_MAX = 2.0
_GRID = 801


@dataclass(frozen=True)
class Allocation:
    """A split of the budget per period and what it is expected to bring."""

    channels: list[str]
    today: np.ndarray
    recommended: np.ndarray
    revenue_today: np.ndarray
    revenue_recommended: np.ndarray
    marginal_roas: np.ndarray
    baseline: float
    at_bound: np.ndarray
    #: 90 % ranges over models drawn from the fit's posterior (:func:`with_spread`)
    recommended_low: np.ndarray | None = None
    recommended_high: np.ndarray | None = None
    uplift_low: float | None = None
    uplift_high: float | None = None
    #: of a target's plan (:func:`target_with_spread`): the least budget's 90 % range
    #: (``inf`` when more than 5 % of the drawn models cannot reach the target at all)
    budget_low: float | None = None
    budget_high: float | None = None

    @property
    def change(self) -> np.ndarray:
        return self.recommended - self.today

    @property
    def budget(self) -> float:
        return float(self.recommended.sum())

    @property
    def uplift(self) -> float:
        """Incremental revenue per period gained over today's split."""
        return float(self.revenue_recommended.sum() - self.revenue_today.sum())

    @property
    def expected_revenue(self) -> float:
        """Revenue per period at the recommended split, baseline included."""
        return float(self.baseline + self.revenue_recommended.sum())


def bounds(
    model: MixModel,
    min_spend: float | Sequence[float] | np.ndarray | None = None,
    max_spend: float | Sequence[float] | np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Per-channel bounds: one value for every channel, or one per channel; by default
    0.5× and 2× today's spend."""
    today = model.current_spend
    k = today.size

    def expand(value: object, default: np.ndarray, what: str) -> np.ndarray:
        if value is None:
            return default
        arr = np.asarray(value, dtype=float).reshape(-1)
        if arr.size == 1:
            arr = np.full(k, float(arr[0]))
        if arr.size != k:
            raise InfeasibleBudget(f"{what}: {arr.size} values for {k} channels", "#VALUE!")
        if not np.all(np.isfinite(arr)) or np.any(arr < 0):
            raise InfeasibleBudget(f"{what} must be ≥ 0")
        return arr

    lo = expand(min_spend, DEFAULT_MIN * today, "min_spend")
    hi = expand(max_spend, DEFAULT_MAX * today, "max_spend")
    bad = np.flatnonzero(lo > hi)
    if bad.size:
        c = model.channels[int(bad[0])].channel
        raise InfeasibleBudget(
            f"{c}: min_spend {lo[bad[0]]:,.0f} is above max_spend {hi[bad[0]]:,.0f}"
        )
    return lo, hi


class _Grid:
    """Each channel's response on a fine grid of its bounds, and the split a shadow price
    gives (every channel's best spend for that price: a global search over its grid).

    The best grid point for a price is a vertex of the channel's upper concave hull, the
    one where the hull's slopes fall below the price: found by a binary search of the
    hull's slopes (``np.argmax(values − price · grid)`` over every point, with its choice
    of the first of equal ones, is the fallback when a hull is not found)."""

    def __init__(self, model: MixModel, lo: np.ndarray, hi: np.ndarray) -> None:
        self.lo, self.hi = lo, hi
        self.grids = np.linspace(lo, hi, _GRID).T  # k × G
        self.values = model.responses(self.grids)
        rows = np.arange(len(lo))
        top = np.nanmax(
            np.diff(self.values, axis=1) / np.maximum(np.diff(self.grids, axis=1), 1e-300)
        )
        self.top = float(top) * 2 if np.isfinite(top) and top > 0 else 1e9
        self._rows = rows
        hulls = [_upper_hull(g, v) for g, v in zip(self.grids, self.values)]
        self._hulls: list[tuple[np.ndarray, np.ndarray]] | None = None
        self._prices: np.ndarray | None = None
        if all(h is not None for h in hulls):
            self._hulls = []
            for g, v, h in zip(self.grids, self.values, hulls):
                assert h is not None
                slopes = np.diff(v[h]) / np.diff(g[h]) if h.size > 1 else np.empty(0)
                self._hulls.append((h, -slopes))  # increasing, for searchsorted

    def split(self, price: float) -> tuple[np.ndarray, float]:
        if self._hulls is None:
            best = np.argmax(self.values - price * self.grids, axis=1)
        else:  # the vertex after every hull edge steeper than the price
            best = np.array([h[np.searchsorted(s, -price)] for h, s in self._hulls])
        return self.grids[self._rows, best], float(self.values[self._rows, best].sum())

    def _breaks(self) -> np.ndarray:
        """The prices where a split can change: every hull slope within (0, top), with the
        ends a bisection of (0, top] reaches (the price after 60 halvings, and top)."""
        if self._prices is None:
            tiny = self.top * 0.5**60
            slopes = np.unique(np.concatenate([-s for _, s in self._hulls or []]))
            inside = slopes[(slopes > tiny) & (slopes < self.top)]
            self._prices = np.concatenate([[tiny], inside, [self.top]])
        return self._prices

    def _price(self, wanted: Callable[[np.ndarray, float], bool]) -> float:
        """The least price whose split is not ``wanted`` (bisection; wanted at price 0).

        With the hulls, the split only changes at a hull slope: a binary search over the
        slopes (about 14 splits) finds the price the bisection of 60 closes in on."""
        if self._hulls is not None:
            prices = self._breaks()
            first, last = 0, prices.size - 1  # the answer is in prices[first : last + 1]
            while first < last:
                mid = (first + last) // 2
                if wanted(*self.split(float(prices[mid]))):
                    first = mid + 1
                else:
                    last = mid
            return float(prices[first])
        low, high = 0.0, self.top
        for _ in range(60):
            mid = 0.5 * (low + high)
            if wanted(*self.split(mid)):
                low = mid
            else:
                high = mid
        return high

    def for_budget(self, budget: float) -> np.ndarray:
        x, _ = self.split(self._price(lambda x, r: x.sum() > budget))
        return _fill(x, budget, self.lo, self.hi)

    def for_revenue(self, revenue: float) -> float:
        """The budget of the cheapest grid split that brings ``revenue``."""
        price = self._price(lambda x, r: r >= revenue)
        x, r = self.split(price)
        if r < revenue:  # the price just below reaches it
            x, r = self.split(price * (1 - 1e-9))
        return float(x.sum())


_HULL_PASSES = 40


def _upper_hull(g: np.ndarray, v: np.ndarray) -> np.ndarray | None:
    """Indices of the vertices of the upper concave hull of the points ``(g_i, v_i)``
    (``g`` increasing), without the points on an edge: the only points an argmax of
    ``v − price · g`` picks (of equal ones, the first). ``None`` when a few passes do not
    find it.

    Each pass drops every point on or below the chord of its neighbours, and the points
    below the tangent from the point before the first of them (an S-curve's convex start
    goes in one step); none of them is a vertex, so the hull stays the same, and when no
    point is dropped the slopes fall strictly: the points left are the hull.

    >>> g = np.arange(6.0)
    >>> _upper_hull(g, np.array([0.0, 0.1, 0.4, 2.0, 2.5, 2.6])).tolist()   # an S-curve
    [0, 3, 4, 5]
    >>> _upper_hull(g, np.array([0.0, 1, 2, 2.5, 3, 3])).tolist()   # collinear points go
    [0, 2, 4, 5]
    """
    n = g.size
    if n == 0 or g[-1] == g[0]:
        return np.zeros(min(n, 1), dtype=int)
    if not (np.all(np.isfinite(v)) and np.all(np.diff(g) > 0)):
        return None
    keep = np.arange(n)
    for _ in range(_HULL_PASSES):
        gk, vk = g[keep], v[keep]
        s = np.diff(vk) / np.diff(gk)
        bad = np.flatnonzero(s[1:] >= s[:-1]) + 1  # positions in keep
        if bad.size == 0:
            return keep
        drop = np.zeros(keep.size, dtype=bool)
        drop[bad] = True
        left = int(bad[0]) - 1
        slopes = (vk[left + 1 :] - vk[left]) / (gk[left + 1 :] - gk[left])
        tangent = left + slopes.size - int(np.argmax(slopes[::-1]))  # the last of equal ones
        drop[left + 1 : tangent] = True
        keep = keep[~drop]
    return None


def _fill(x: np.ndarray, budget: float, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """The budget left over by the grid's steps goes to the channels with room, pro rata."""
    gap = budget - x.sum()
    room = (hi - x) if gap > 0 else (x - lo)
    if room.sum() > 0:
        x = x + np.sign(gap) * room * min(abs(gap) / room.sum(), 1.0)
    return np.clip(x, lo, hi)


def _polish(
    model: MixModel, x0: np.ndarray, lo: np.ndarray, hi: np.ndarray, budget: float
) -> np.ndarray:
    from scipy.optimize import minimize

    scale = max(budget, 1.0)
    eps = 1e-9 * scale

    def negative(z: np.ndarray) -> tuple[float, np.ndarray]:
        x = np.maximum(z * scale, eps)
        grad = model.marginals(x)
        grad = np.where(np.isfinite(grad), grad, 1e12)
        return -float(model.responses(x).sum()) / scale, -grad

    free = hi > lo
    if free.sum() <= 1:
        return x0
    res = minimize(
        negative,
        x0 / scale,
        jac=True,
        method="SLSQP",
        bounds=list(zip(lo / scale, hi / scale)),
        constraints=[
            {
                "type": "eq",
                "fun": lambda z: z.sum() - budget / scale,
                "jac": lambda z: np.ones_like(z),
            }
        ],
        options={"ftol": 1e-13, "maxiter": 300},
    )
    x = np.clip(res.x * scale, lo, hi)
    x = x + (budget - x.sum()) * free / free.sum()  # exact total after clipping
    x = np.clip(x, lo, hi)
    return x if model.responses(x).sum() >= model.responses(x0).sum() else x0


def _plan(model: MixModel, x: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> Allocation:
    today = model.current_spend
    tol = 1e-6 * max(float(hi.max()), 1.0)
    return Allocation(
        channels=model.names,
        today=today,
        recommended=x,
        revenue_today=model.responses(today),
        revenue_recommended=model.responses(x),
        marginal_roas=model.marginals(x),
        baseline=model.baseline,
        at_bound=(x <= lo + tol) | (x >= hi - tol),
    )


def allocate(
    model: MixModel,
    budget: float,
    min_spend: float | Sequence[float] | np.ndarray | None = None,
    max_spend: float | Sequence[float] | np.ndarray | None = None,
) -> Allocation:
    """The split of ``budget`` per period that maximises expected incremental revenue.

    Parameters
    ----------
    model : MixModel
        A fitted (or hand-written) marketing mix.
    budget : float
        Total spend per period to split.
    min_spend, max_spend : float or array_like, optional
        Bounds per channel (one value for all, or one per channel); default 0.5× and 2×
        today's spend.

    Returns
    -------
    Allocation
        Today's and the recommended spend, the incremental revenue of each, the marginal
        ROAS at the recommendation (equal across the channels off their bounds), uplift.

    Raises
    ------
    InfeasibleBudget
        When the bounds cannot add up to the budget.
    """
    lo, hi = bounds(model, min_spend, max_spend)
    if not np.isfinite(budget) or budget < 0:
        raise InfeasibleBudget(f"budget {budget} must be a number ≥ 0")
    tol = 1e-9 * max(budget, 1.0)
    if budget < lo.sum() - tol or budget > hi.sum() + tol:
        raise InfeasibleBudget(
            f"budget {budget:,.0f} is outside what the bounds allow "
            f"({lo.sum():,.0f} to {hi.sum():,.0f} per period)"
        )
    x0 = _Grid(model, lo, hi).for_budget(budget)
    return _plan(model, _polish(model, x0, lo, hi, budget), lo, hi)


def budget_for_target(
    model: MixModel,
    target_revenue: float,
    min_spend: float | Sequence[float] | np.ndarray | None = None,
    max_spend: float | Sequence[float] | np.ndarray | None = None,
) -> Allocation:
    """The least total budget per period whose best split reaches ``target_revenue`` per
    period (baseline included), and that split (seed 000's 逆算法, with diminishing returns).

    Parameters
    ----------
    model : MixModel
        A fitted (or hand-written) marketing mix.
    target_revenue : float
        Revenue per period to reach, baseline included.
    min_spend, max_spend : float or array_like, optional
        Bounds per channel, as for :func:`allocate`.

    Returns
    -------
    Allocation
        The split of the least budget (``.budget``) that reaches the target.

    Raises
    ------
    InfeasibleBudget
        When even the largest spends the bounds allow fall short (the message names the
        largest reachable revenue).

    Examples
    --------
    >>> from roi_xl.mix.model import ChannelCurve, MixModel
    >>> a = ChannelCurve("a", "geometric", "hill", 1000, 0, 0, 100, 1, current_spend=100)
    >>> b = ChannelCurve("b", "geometric", "hill", 2000, 0, 0, 100, 1, current_spend=100)
    >>> plan = budget_for_target(MixModel((a, b), 5000), 6500, 0, 1000)
    >>> round(plan.budget, 2)       # 400/(1 + √2)·(1 + √2)… worked out in tests/test_mix.py
    188.56
    """
    if not np.isfinite(target_revenue):
        raise InfeasibleBudget("target_revenue must be a number")
    lo, hi = bounds(model, min_spend, max_spend)

    grid = _Grid(model, lo, hi)

    def best(budget: float) -> Allocation:
        budget = float(np.clip(budget, lo.sum(), hi.sum()))
        if budget >= hi.sum() or budget <= lo.sum():  # every channel at its bound
            return _plan(model, hi.copy() if budget >= hi.sum() else lo.copy(), lo, hi)
        return _plan(model, _polish(model, grid.for_budget(budget), lo, hi, budget), lo, hi)

    most = best(float(hi.sum()))
    if most.expected_revenue < target_revenue * (1 - 1e-12):
        raise InfeasibleBudget(
            f"target {target_revenue:,.0f} cannot be reached within the bounds: the most "
            f"revenue per period is {most.expected_revenue:,.0f}"
        )
    least = best(float(lo.sum()))
    if least.expected_revenue >= target_revenue:
        return least
    # the grid's cheapest split that reaches the target, then Newton on the budget (its
    # slope is the shadow price: the marginal ROAS of the channels off their bounds)
    plan = best(grid.for_revenue(target_revenue - model.baseline))
    for _ in range(8):
        gap = target_revenue - plan.expected_revenue
        if abs(gap) <= 1e-9 * max(abs(target_revenue), 1.0) and gap <= 0:
            break
        free = ~plan.at_bound
        slope = float(np.median(plan.marginal_roas[free])) if free.any() else 0.0
        if not (slope > 0 and np.isfinite(slope)):
            break
        plan = best(plan.budget + gap / slope + (1e-9 * plan.budget if gap > 0 else 0.0))
    if plan.expected_revenue < target_revenue * (1 - 1e-9):  # never report one that falls short
        low, high = plan.budget, float(hi.sum())
        for _ in range(50):
            mid = best(0.5 * (low + high))
            if mid.expected_revenue >= target_revenue:
                high, plan = mid.budget, mid
            else:
                low = mid.budget
            if high - low <= 1e-7 * high:
                break
        plan = best(high) if plan.expected_revenue < target_revenue else plan
    return plan


def with_spread(
    plan: Allocation,
    models: Sequence[MixModel],
    min_spend: float | Sequence[float] | np.ndarray | None = None,
    max_spend: float | Sequence[float] | np.ndarray | None = None,
) -> Allocation:
    """``plan`` with how sure it is: over ``models`` drawn from the fit's posterior
    (:meth:`roi_xl.mix.fit.Posterior.draws`), the 5th–95th percentiles of the uplift the
    plan brings and of each channel's best spend for the same budget.

    >>> from roi_xl.mix.simulate import simulate
    >>> from roi_xl.mix.fit import fit_mix
    >>> sim = simulate(seed=1, periods=104, channels=2)
    >>> fit = fit_mix(sim.revenue, sim.spends)
    >>> budget = float(fit.model.current_spend.sum())
    >>> plan = with_spread(allocate(fit.model, budget), fit.posterior.draws(20))
    >>> bool(plan.uplift_low <= plan.uplift <= plan.uplift_high)
    True
    """
    from dataclasses import replace

    uplifts, best = [], []
    for m in models:
        uplifts.append(float(m.responses(plan.recommended).sum() - m.responses(plan.today).sum()))
        try:
            best.append(allocate(m, plan.budget, min_spend, max_spend).recommended)
        except InfeasibleBudget:
            continue
    spends = np.array(best) if best else np.array([plan.recommended])
    return replace(
        plan,
        recommended_low=np.percentile(spends, 5, axis=0),
        recommended_high=np.percentile(spends, 95, axis=0),
        uplift_low=float(np.percentile(uplifts, 5)),
        uplift_high=float(np.percentile(uplifts, 95)),
    )


def target_with_spread(
    plan: Allocation,
    models: Sequence[MixModel],
    target_revenue: float,
    min_spend: float | Sequence[float] | np.ndarray | None = None,
    max_spend: float | Sequence[float] | np.ndarray | None = None,
) -> Allocation:
    """A target's ``plan`` (:func:`budget_for_target`) with how sure it is: over ``models``
    drawn from the fit's posterior, the 5th–95th percentiles of the least budget that
    reaches ``target_revenue`` and of each channel's spend in it. A drawn model that
    cannot reach the target counts as an infinite budget (its spends at their upper bounds).

    >>> from roi_xl.mix.simulate import simulate
    >>> from roi_xl.mix.fit import fit_mix
    >>> sim = simulate(seed=1, periods=104, channels=2)
    >>> fit = fit_mix(sim.revenue, sim.spends)
    >>> target = 1.02 * allocate(fit.model, float(fit.model.current_spend.sum())).expected_revenue
    >>> plan = budget_for_target(fit.model, target)
    >>> plan = target_with_spread(plan, fit.posterior.draws(20), target)
    >>> bool(plan.budget_low <= plan.budget <= plan.budget_high)
    True
    """
    from dataclasses import replace

    budgets, spends = [], []
    for m in models:
        try:
            found = budget_for_target(m, target_revenue, min_spend, max_spend)
        except InfeasibleBudget:
            budgets.append(np.inf)
            spends.append(bounds(m, min_spend, max_spend)[1])
            continue
        budgets.append(found.budget)
        spends.append(found.recommended)
    if not budgets:
        budgets, spends = [plan.budget], [plan.recommended]
    # "higher"/"lower": an infinite budget stays one (interpolating would give nan)
    return replace(
        plan,
        recommended_low=np.percentile(spends, 5, axis=0),
        recommended_high=np.percentile(spends, 95, axis=0),
        budget_low=float(np.percentile(budgets, 5, method="lower")),
        budget_high=float(np.percentile(budgets, 95, method="higher")),
    )


def check_model(model: MixModel) -> None:
    """Raise :class:`~roi_xl.mix.model.ModelError` for a model with no channel."""
    if not model.channels:
        raise ModelError("the model has no channel", "#VALUE!")
