"""Funnels: back-calculate what a revenue target needs, or project what a top count yields.

A funnel is a list of stage-to-stage conversion rates in funnel order, top first
(calls → appointments → proposals → deals needs three rates). Counts come back top first,
deals last, one more count than rates.
"""

from __future__ import annotations

import numpy as np

from ._checked import ArrayLike, Checked, Rule, as_array, deliver, finish
from .errors import ExcelError
from .options import ROUNDING_WORDS, normalise


# Ceil that ignores floating-point dust: 6.000000000000001 deals are 6, not 7.
_CEIL_SLACK = 1e-9


def _ceil(x: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.ceil(x - np.abs(x) * _CEIL_SLACK)


def _rates(function: str, rates: ArrayLike) -> np.ndarray:
    r = as_array(function, "rates", rates).ravel()
    if r.size == 0:
        from .errors import InvalidInputError

        raise InvalidInputError(
            function, "rates", rates, "must hold at least one rate", ExcelError.VALUE
        )
    return r


def backcalc_funnel_checked(
    target_revenue: float, unit_price: float, rates: ArrayLike, rounding: str = "ceil"
) -> Checked:
    """:func:`backcalc_funnel` with an Excel error code per stage.

    A bad rate spoils the stages above it only: deals and the stages between deals and the
    bad rate are still computed.

    Parameters
    ----------
    target_revenue, unit_price, rates, rounding
        As for :func:`backcalc_funnel`.

    Returns
    -------
    Checked
        The values (NaN where an element failed) and, when some did, an int8
        :class:`~roi_xl.errors.ExcelError` code per element and the rules they broke.
    """
    fn = "backcalc_funnel"
    rounding = normalise(fn, "rounding", rounding, ROUNDING_WORDS)
    t = as_array(fn, "target_revenue", target_revenue)
    p = as_array(fn, "unit_price", unit_price)
    r = _rates(fn, rates)
    rules = [Rule("unit_price", p, "positive"), Rule("target_revenue", t, "nonneg")]
    with np.errstate(all="ignore"):
        deals = finish(t / p, rules)
    n = r.size + 1
    values = np.empty(n)
    codes = np.zeros(n, dtype=np.int8)
    values[-1] = _ceil(deals.value) if rounding == "ceil" else deals.value
    codes[-1] = 0 if deals.error is None else deals.error
    rate_rules = []
    for k in range(n - 2, -1, -1):  # from the stage above deals up to the top
        rate = r[k]
        rule = Rule("rates", np.asarray(rate), "rate")
        if codes[k + 1]:
            codes[k], values[k] = codes[k + 1], np.nan
            continue
        if not rule.holds():
            rate_rules.append(rule)
            codes[k], values[k] = ExcelError.NUM, np.nan
            continue
        with np.errstate(all="ignore"):
            count = values[k + 1] / rate
        values[k] = _ceil(count) if rounding == "ceil" else count
        if not np.isfinite(values[k]):
            codes[k], values[k] = ExcelError.NUM, np.nan
    if not codes.any():
        return Checked(values, None)
    return Checked(values, codes, tuple(rules + rate_rules))


def backcalc_funnel(
    target_revenue: float, unit_price: float, rates: ArrayLike, rounding: str = "ceil"
) -> np.ndarray:
    """Counts each funnel stage needs so that the deals reach ``target_revenue``.

    Deals = target_revenue ÷ unit_price; each stage above is the stage below divided by
    the rate between them. ``rounding="ceil"`` (default) rounds every stage up to a whole
    number before dividing again, so the plan always reaches the target;
    ``rounding="none"`` keeps expected values.

    Parameters
    ----------
    target_revenue : float
        The revenue to reach; at least 0.
    unit_price : float
        Revenue per deal; must be > 0.
    rates : array_like
        Stage-to-stage conversion rates in funnel order, top first, each in (0, 1].
    rounding : {"ceil", "none"}
        Round every stage up (default) or keep expected values.

    Returns
    -------
    ndarray
        The counts, top of the funnel first, deals last (one more than the rates). A bad
        input raises :class:`~roi_xl.errors.InvalidInputError` naming it.

    Examples
    --------
    Seed 001, outbound sales: target 3 000 000, 500 000 a deal, calls → appointments 6.66 %,
    → proposals 40 %, → deals 33 %. The seed says 6 750 calls; 45 appointments ÷ 6.66 % is
    676, and rounding every stage up gives 721 (19 proposals, 48 appointments):

    >>> backcalc_funnel(3_000_000, 500_000, [0.0666, 0.40, 0.33])
    array([721.,  48.,  19.,   6.])
    >>> backcalc_funnel(3_000_000, 500_000, [0.0666, 0.40, 0.33], rounding="none").round(1)
    array([682.5,  45.5,  18.2,   6. ])
    """
    checked = backcalc_funnel_checked(target_revenue, unit_price, rates, rounding)
    problem = checked.problem("backcalc_funnel")
    if problem is not None:
        raise problem
    return checked.value


def funnel_forecast_checked(top_count: float, rates: ArrayLike) -> Checked:
    """:func:`funnel_forecast` with an Excel error code per stage.

    Parameters
    ----------
    top_count, rates
        As for :func:`funnel_forecast`.

    Returns
    -------
    Checked
        The values (NaN where an element failed) and, when some did, an int8
        :class:`~roi_xl.errors.ExcelError` code per element and the rules they broke.
    """
    fn = "funnel_forecast"
    top = as_array(fn, "top_count", top_count)
    r = _rates(fn, rates)
    rules = [Rule("top_count", top, "nonneg")]
    top_checked = finish(top * 1.0, rules)
    n = r.size + 1
    values = np.empty(n)
    codes = np.zeros(n, dtype=np.int8)
    values[0] = top_checked.value
    codes[0] = 0 if top_checked.error is None else top_checked.error
    for k in range(1, n):
        rule = Rule("rates", np.asarray(r[k - 1]), "rate")
        if codes[k - 1]:
            codes[k], values[k] = codes[k - 1], np.nan
        elif not rule.holds():
            rules.append(rule)
            codes[k], values[k] = ExcelError.NUM, np.nan
        else:
            with np.errstate(all="ignore"):
                values[k] = values[k - 1] * r[k - 1]
    if not codes.any():
        return Checked(values, None)
    return Checked(values, codes, tuple(rules))


def funnel_forecast(top_count: float, rates: ArrayLike) -> np.ndarray:
    """Project a funnel forward: the expected count at every stage from ``top_count``.

    Parameters
    ----------
    top_count : float
        The count at the top of the funnel (leads, calls…); at least 0.
    rates : array_like
        Stage-to-stage conversion rates in funnel order, top first, each in (0, 1].

    Returns
    -------
    ndarray
        The counts, top of the funnel first, deals last (one more than the rates). A bad
        input raises :class:`~roi_xl.errors.InvalidInputError` naming it.

    Examples
    --------
    Seed 001, exhibition: 50 leads, lead → MQL 50 %, MQL → SAL 30 %, SAL → SQL 2/3,
    SQL → order 30 % → 1.5 orders:

    >>> funnel_forecast(50, [0.5, 0.3, 2 / 3, 0.3]).round(3)
    array([50. , 25. ,  7.5,  5. ,  1.5])
    """
    checked = funnel_forecast_checked(top_count, rates)
    problem = checked.problem("funnel_forecast")
    if problem is not None:
        raise problem
    return checked.value


def _budget(top_count, cost_per_top):
    c = as_array("funnel_budget", "top_count", top_count)
    k = as_array("funnel_budget", "cost_per_top", cost_per_top)
    with np.errstate(all="ignore"):
        out = c * k
    return out, [Rule("top_count", c, "nonneg"), Rule("cost_per_top", k, "nonneg")]


def funnel_budget_checked(top_count: ArrayLike, cost_per_top: ArrayLike) -> Checked:
    """:func:`funnel_budget` with the Excel error code of every bad element.

    Parameters
    ----------
    top_count, cost_per_top
        As for :func:`funnel_budget`.

    Returns
    -------
    Checked
        The values (NaN where an element failed) and, when some did, an int8
        :class:`~roi_xl.errors.ExcelError` code per element and the rules they broke.
    """
    return finish(*_budget(top_count, cost_per_top))


def funnel_budget(top_count: ArrayLike, cost_per_top: ArrayLike) -> float | np.ndarray:
    """Budget for the top of the funnel: top_count × cost_per_top (seed 000).

    Parameters
    ----------
    top_count : array_like
        Count needed at the top of the funnel (calls, leads…), at least 0.
    cost_per_top : array_like
        Cost of one unit at the top, at least 0.

    Returns
    -------
    float or ndarray
        The budget.

    Examples
    --------
    >>> funnel_budget(721, 1_000)
    721000.0
    """
    out, rules = _budget(top_count, cost_per_top)
    return deliver("funnel_budget", finish(out, rules), rules, top_count, cost_per_top)


def _revenue(deals, unit_price):
    d = as_array("forecast_revenue", "deals", deals)
    p = as_array("forecast_revenue", "unit_price", unit_price)
    with np.errstate(all="ignore"):
        out = d * p
    return out, [Rule("deals", d, "nonneg"), Rule("unit_price", p, "nonneg")]


def forecast_revenue_checked(deals: ArrayLike, unit_price: ArrayLike) -> Checked:
    """:func:`forecast_revenue` with the Excel error code of every bad element.

    Parameters
    ----------
    deals, unit_price
        As for :func:`forecast_revenue`.

    Returns
    -------
    Checked
        The values (NaN where an element failed) and, when some did, an int8
        :class:`~roi_xl.errors.ExcelError` code per element and the rules they broke.
    """
    return finish(*_revenue(deals, unit_price))


def forecast_revenue(deals: ArrayLike, unit_price: ArrayLike) -> float | np.ndarray:
    """Revenue a funnel forecast brings: the deals at its bottom × unit_price (seed 001).

    Parameters
    ----------
    deals : array_like
        Expected deals (the last count of :func:`funnel_forecast`), at least 0.
    unit_price : array_like
        Revenue per deal, at least 0.

    Returns
    -------
    float or ndarray
        The expected revenue.

    Examples
    --------
    Seed 001's exhibition: 1.5 orders of 5 000 000:

    >>> forecast_revenue(1.5, 5_000_000)
    7500000.0
    """
    out, rules = _revenue(deals, unit_price)
    return deliver("forecast_revenue", finish(out, rules), rules, deals, unit_price)
