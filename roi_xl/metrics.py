"""Return metrics: ROI, marketing ROI, ROAS, CPA, CVR and LTV.

Every function takes numbers, NumPy arrays or pandas Series (broadcast like NumPy) and
returns a float, an ndarray or a Series accordingly. Ratios are fractions: 1.39 is 139 %.
Scalar calls raise a typed :class:`~roi_xl.errors.InvalidInputError` for input outside
the domain; array calls put NaN in the bad elements only (the ``*_checked`` variants also
say which Excel error each bad element is).
"""

from __future__ import annotations

import numpy as np

from ._checked import ArrayLike, Checked, Rule, as_array, deliver, finish
from .options import BASIS_WORDS, normalise


def _roi(revenue, cost_of_sales, investment, basis):
    basis = normalise("roi", "basis", basis, BASIS_WORDS)
    r = as_array("roi", "revenue", revenue)
    c = as_array("roi", "cost_of_sales", cost_of_sales)
    i = as_array("roi", "investment", investment)
    with np.errstate(all="ignore"):  # one expression each, so NumPy can reuse temporaries
        out = (r - c - i) / i if basis == "net" else (r - c) / i
    return out, [Rule("investment", i, "positive")]


def roi_checked(
    revenue: ArrayLike, cost_of_sales: ArrayLike, investment: ArrayLike, basis: str = "net"
) -> Checked:
    """:func:`roi` with the Excel error code of every bad element.

    Parameters
    ----------
    revenue, cost_of_sales, investment, basis
        As for :func:`roi`.

    Returns
    -------
    Checked
        The values (NaN where an element failed) and, when some did, an int8
        :class:`~roi_xl.errors.ExcelError` code per element and the rules they broke.
    """
    return finish(*_roi(revenue, cost_of_sales, investment, basis))


def roi(
    revenue: ArrayLike, cost_of_sales: ArrayLike, investment: ArrayLike, basis: str = "net"
) -> float | np.ndarray:
    """Return on investment.

    Parameters
    ----------
    revenue : array_like
        Sales the investment brought in.
    cost_of_sales : array_like
        Cost of the goods or services sold (売上原価).
    investment : array_like
        What was invested (投資額); must be > 0.
    basis : {"net", "gross"}
        ``"net"`` (default): (revenue − cost_of_sales − investment) ÷ investment, break-even
        at 0 % (seeds 002, 004). ``"gross"``: (revenue − cost_of_sales) ÷ investment, the
        "return ratio" of seed 001, break-even at 100 %.

    Returns
    -------
    float, ndarray or Series
        A float for scalar inputs (a bad value raises
        :class:`~roi_xl.errors.InvalidInputError` naming the argument), an ndarray with NaN in
        the bad elements for arrays, a Series with the caller's index for pandas input.

    Examples
    --------
    Seed 002: sales 8 000 000 + 2 000 000, cost of sales 3 000 000 + 500 000, investment
    500 000 + 300 000 + 120 000 + 800 000 + 1 000 000:

    >>> round(roi(10_000_000, 3_500_000, 2_720_000), 4)
    1.3897
    >>> round(roi(10_000_000, 3_500_000, 2_720_000, basis="gross"), 4)
    2.3897

    Seed 004: revenue 9 000 000, cost of sales 2 400 000, investment 3 000 000 → 120 %:

    >>> roi(9_000_000, 2_400_000, 3_000_000)
    1.2
    >>> roi([9e6, 1e6], [2.4e6, 0], [3e6, 0])
    array([1.2, nan])
    """
    out, rules = _roi(revenue, cost_of_sales, investment, basis)
    return deliver("roi", finish(out, rules), rules, revenue, cost_of_sales, investment)


def _marketing_roi(revenue, cost_of_sales, selling_expenses, marketing_cost):
    r = as_array("marketing_roi", "revenue", revenue)
    c = as_array("marketing_roi", "cost_of_sales", cost_of_sales)
    s = as_array("marketing_roi", "selling_expenses", selling_expenses)
    m = as_array("marketing_roi", "marketing_cost", marketing_cost)
    with np.errstate(all="ignore"):
        out = (r - c - s - m) / m
    return out, [Rule("marketing_cost", m, "positive")]


def marketing_roi_checked(
    revenue: ArrayLike,
    cost_of_sales: ArrayLike,
    selling_expenses: ArrayLike,
    marketing_cost: ArrayLike,
) -> Checked:
    """:func:`marketing_roi` with the Excel error code of every bad element.

    Parameters
    ----------
    revenue, cost_of_sales, selling_expenses, marketing_cost
        As for :func:`marketing_roi`.

    Returns
    -------
    Checked
        The values (NaN where an element failed) and, when some did, an int8
        :class:`~roi_xl.errors.ExcelError` code per element and the rules they broke.
    """
    return finish(*_marketing_roi(revenue, cost_of_sales, selling_expenses, marketing_cost))


def marketing_roi(
    revenue: ArrayLike,
    cost_of_sales: ArrayLike,
    selling_expenses: ArrayLike,
    marketing_cost: ArrayLike,
) -> float | np.ndarray:
    """Marketing ROI: (revenue − cost_of_sales − selling_expenses − marketing_cost) ÷ marketing_cost.

    Selling expenses (販売費: commissions, freight, sales salaries, travel…) are the costs
    of selling that are not marketing; subtracting all of them and the marketing cost
    separately avoids counting advertising twice (seed 003).

    Parameters
    ----------
    revenue, cost_of_sales : array_like
        Sales and their cost of sales.
    selling_expenses : array_like
        Selling expenses other than marketing.
    marketing_cost : array_like
        The marketing spend; must be > 0.

    Returns
    -------
    float, ndarray or Series
        A float for scalar inputs (a bad value raises
        :class:`~roi_xl.errors.InvalidInputError` naming the argument), an ndarray with NaN in
        the bad elements for arrays, a Series with the caller's index for pandas input.

    Examples
    --------
    Seed 003: revenue 100 000 000, cost of sales 70 000 000, selling expenses 5 000 000,
    marketing 10 000 000 → 150 %:

    >>> marketing_roi(100_000_000, 70_000_000, 5_000_000, 10_000_000)
    1.5
    """
    out, rules = _marketing_roi(revenue, cost_of_sales, selling_expenses, marketing_cost)
    return deliver(
        "marketing_roi",
        finish(out, rules),
        rules,
        revenue,
        cost_of_sales,
        selling_expenses,
        marketing_cost,
    )


def _ratio(function, num_name, num, den_name, den, extra_rules=()):
    n = as_array(function, num_name, num)
    d = as_array(function, den_name, den)
    with np.errstate(all="ignore"):
        out = n / d
    rules = [Rule(den_name, d, "positive")]
    for kind, *rest in extra_rules:
        if kind == "nonneg":
            rules.append(Rule(num_name, n, "nonneg"))
        elif kind == "at_most":
            rules.append(Rule(num_name, n, "at_most", d, den_name))
    return out, rules


def _roas(revenue, ad_spend):
    return _ratio("roas", "revenue", revenue, "ad_spend", ad_spend)


def roas_checked(revenue: ArrayLike, ad_spend: ArrayLike) -> Checked:
    """:func:`roas` with the Excel error code of every bad element.

    Parameters
    ----------
    revenue, ad_spend
        As for :func:`roas`.

    Returns
    -------
    Checked
        The values (NaN where an element failed) and, when some did, an int8
        :class:`~roi_xl.errors.ExcelError` code per element and the rules they broke.
    """
    return finish(*_roas(revenue, ad_spend))


def roas(revenue: ArrayLike, ad_spend: ArrayLike) -> float | np.ndarray:
    """Return on ad spend: revenue ÷ ad_spend.

    Parameters
    ----------
    revenue : array_like
        Revenue from the ads.
    ad_spend : array_like
        The ad spend; must be > 0.

    Returns
    -------
    float, ndarray or Series
        A float for scalar inputs (a bad value raises
        :class:`~roi_xl.errors.InvalidInputError` naming the argument), an ndarray with NaN in
        the bad elements for arrays, a Series with the caller's index for pandas input.

    Examples
    --------
    Seed 004: 4 000 000 of sales from 200 000 of advertising → 20 (2 000 %):

    >>> roas(4_000_000, 200_000)
    20.0
    """
    out, rules = _roas(revenue, ad_spend)
    return deliver("roas", finish(out, rules), rules, revenue, ad_spend)


def _cpa(cost, conversions):
    c = as_array("cpa", "cost", cost)
    n = as_array("cpa", "conversions", conversions)
    with np.errstate(all="ignore"):
        out = c / n
    return out, [Rule("conversions", n, "positive"), Rule("cost", c, "nonneg")]


def cpa_checked(cost: ArrayLike, conversions: ArrayLike) -> Checked:
    """:func:`cpa` with the Excel error code of every bad element.

    Parameters
    ----------
    cost, conversions
        As for :func:`cpa`.

    Returns
    -------
    Checked
        The values (NaN where an element failed) and, when some did, an int8
        :class:`~roi_xl.errors.ExcelError` code per element and the rules they broke.
    """
    return finish(*_cpa(cost, conversions))


def cpa(cost: ArrayLike, conversions: ArrayLike) -> float | np.ndarray:
    """Cost per acquisition: cost ÷ conversions.

    Parameters
    ----------
    cost : array_like
        What the conversions cost; at least 0.
    conversions : array_like
        Conversions (acquisitions); must be > 0.

    Returns
    -------
    float, ndarray or Series
        A float for scalar inputs (a bad value raises
        :class:`~roi_xl.errors.InvalidInputError` naming the argument), an ndarray with NaN in
        the bad elements for arrays, a Series with the caller's index for pandas input.

    Examples
    --------
    Seed 004: 100 000 a month for 125 conversions → 800:

    >>> cpa(100_000, 125)
    800.0
    """
    out, rules = _cpa(cost, conversions)
    return deliver("cpa", finish(out, rules), rules, cost, conversions)


def _cvr(conversions, visits):
    return _ratio(
        "cvr",
        "conversions",
        conversions,
        "visits",
        visits,
        extra_rules=[("nonneg",), ("at_most",)],
    )


def cvr_checked(conversions: ArrayLike, visits: ArrayLike) -> Checked:
    """:func:`cvr` with the Excel error code of every bad element.

    Parameters
    ----------
    conversions, visits
        As for :func:`cvr`.

    Returns
    -------
    Checked
        The values (NaN where an element failed) and, when some did, an int8
        :class:`~roi_xl.errors.ExcelError` code per element and the rules they broke.
    """
    return finish(*_cvr(conversions, visits))


def cvr(conversions: ArrayLike, visits: ArrayLike) -> float | np.ndarray:
    """Conversion rate: conversions ÷ visits (conversions may not exceed visits).

    Parameters
    ----------
    conversions : array_like
        Conversions; at least 0 and at most ``visits``.
    visits : array_like
        Visits or sessions; must be > 0.

    Returns
    -------
    float, ndarray or Series
        A float for scalar inputs (a bad value raises
        :class:`~roi_xl.errors.InvalidInputError` naming the argument), an ndarray with NaN in
        the bad elements for arrays, a Series with the caller's index for pandas input.

    Examples
    --------
    Seed 004: 200 conversions from 4 000 visits → 5 %:

    >>> cvr(200, 4_000)
    0.05
    """
    out, rules = _cvr(conversions, visits)
    return deliver("cvr", finish(out, rules), rules, conversions, visits)


def _ltv(average_order_value, purchase_frequency, retention_periods, gross_margin):
    a = as_array("ltv", "average_order_value", average_order_value)
    f = as_array("ltv", "purchase_frequency", purchase_frequency)
    p = as_array("ltv", "retention_periods", retention_periods)
    g = as_array("ltv", "gross_margin", gross_margin)
    with np.errstate(all="ignore"):
        out = a * f * p * g
    rules = [
        Rule("average_order_value", a, "nonneg"),
        Rule("purchase_frequency", f, "nonneg"),
        Rule("retention_periods", p, "nonneg"),
        Rule("gross_margin", g, "rate"),
    ]
    return out, rules


def ltv_checked(
    average_order_value: ArrayLike,
    purchase_frequency: ArrayLike,
    retention_periods: ArrayLike,
    gross_margin: ArrayLike = 1.0,
) -> Checked:
    """:func:`ltv` with the Excel error code of every bad element.

    Parameters
    ----------
    average_order_value, purchase_frequency, retention_periods, gross_margin
        As for :func:`ltv`.

    Returns
    -------
    Checked
        The values (NaN where an element failed) and, when some did, an int8
        :class:`~roi_xl.errors.ExcelError` code per element and the rules they broke.
    """
    return finish(*_ltv(average_order_value, purchase_frequency, retention_periods, gross_margin))


def ltv(
    average_order_value: ArrayLike,
    purchase_frequency: ArrayLike,
    retention_periods: ArrayLike,
    gross_margin: ArrayLike = 1.0,
) -> float | np.ndarray:
    """Customer lifetime value: order value × purchase frequency × retention periods × margin.

    ``gross_margin`` (default 1, i.e. revenue LTV) turns it into a profit LTV.

    Parameters
    ----------
    average_order_value, purchase_frequency, retention_periods : array_like
        Order value, purchases per period and periods a customer stays; each at least 0.
    gross_margin : array_like
        A rate in (0, 1]; default 1 (revenue LTV).

    Returns
    -------
    float, ndarray or Series
        A float for scalar inputs (a bad value raises
        :class:`~roi_xl.errors.InvalidInputError` naming the argument), an ndarray with NaN in
        the bad elements for arrays, a Series with the caller's index for pandas input.

    Examples
    --------
    Seed 004: 1 500 a month, once a month, for 6 months → 9 000:

    >>> ltv(1_500, 1, 6)
    9000.0
    """
    out, rules = _ltv(average_order_value, purchase_frequency, retention_periods, gross_margin)
    return deliver(
        "ltv",
        finish(out, rules),
        rules,
        average_order_value,
        purchase_frequency,
        retention_periods,
        gross_margin,
    )


def _allowable_cpa(ltv, target_roi):
    v = as_array("allowable_cpa", "ltv", ltv)
    t = as_array("allowable_cpa", "target_roi", target_roi)
    with np.errstate(all="ignore"):
        out = v / (1 + t)
    rules = [Rule("ltv", v, "nonneg"), Rule("1 + target_roi", 1 + t, "positive")]
    return out, rules


def allowable_cpa_checked(ltv: ArrayLike, target_roi: ArrayLike = 0.0) -> Checked:
    """:func:`allowable_cpa` with the Excel error code of every bad element.

    Parameters
    ----------
    ltv, target_roi : array_like
        As for :func:`allowable_cpa`.

    Returns
    -------
    Checked
        The values (NaN where bad) and the int8 Excel error codes (``None`` when all fine).
    """
    return finish(*_allowable_cpa(ltv, target_roi))


def allowable_cpa(ltv: ArrayLike, target_roi: ArrayLike = 0.0) -> float | np.ndarray:
    """The CPA a customer's lifetime value pays for: ltv ÷ (1 + target_roi).

    With ``target_roi`` 0 (default) this is the break-even CPA (限界CPA): a customer who
    costs more than their LTV loses money. A target ROI of 0.5 leaves 50 % of the
    acquisition cost as profit. Use a profit-basis LTV (:func:`ltv`'s ``gross_margin``);
    ``target_roi`` must be above −1.

    Parameters
    ----------
    ltv : array_like
        Lifetime value per customer, profit basis (≥ 0).
    target_roi : array_like
        ROI to keep on the acquisition cost (default 0 = break-even; above −1).

    Returns
    -------
    float or ndarray or Series
        The allowable CPA, shaped like the inputs.

    Examples
    --------
    Seed 004 (「LTVから逆算してCPAやCVRを計算」): LTV 9 000 at a 30 % gross margin is
    2 700 of profit per customer; at a target ROI of 50 %:

    >>> allowable_cpa(2_700)
    2700.0
    >>> allowable_cpa(2_700, 0.5)
    1800.0
    """
    out, rules = _allowable_cpa(ltv, target_roi)
    return deliver("allowable_cpa", finish(out, rules), rules, ltv, target_roi)


def _required_cvr(cost_per_click, allowable_cpa):
    c = as_array("required_cvr", "cost_per_click", cost_per_click)
    a = as_array("required_cvr", "allowable_cpa", allowable_cpa)
    with np.errstate(all="ignore"):
        out = c / a
    return out, [Rule("allowable_cpa", a, "positive"), Rule("cost_per_click", c, "nonneg")]


def required_cvr_checked(cost_per_click: ArrayLike, allowable_cpa: ArrayLike) -> Checked:
    """:func:`required_cvr` with the Excel error code of every bad element.

    Parameters
    ----------
    cost_per_click, allowable_cpa : array_like
        As for :func:`required_cvr`.

    Returns
    -------
    Checked
        The values (NaN where bad) and the int8 Excel error codes (``None`` when all fine).
    """
    return finish(*_required_cvr(cost_per_click, allowable_cpa))


def required_cvr(cost_per_click: ArrayLike, allowable_cpa: ArrayLike) -> float | np.ndarray:
    """The conversion rate that brings CPA down to ``allowable_cpa``: cost_per_click ÷ allowable_cpa.

    Since CPA = cost per click ÷ CVR, a page must convert at least this rate for the
    clicks to pay for themselves. Above 1 no rate can: the clicks cost more than a
    customer is worth.

    Parameters
    ----------
    cost_per_click : array_like
        Cost per click or visit (≥ 0).
    allowable_cpa : array_like
        The CPA you can afford (> 0), e.g. from :func:`allowable_cpa`.

    Returns
    -------
    float or ndarray or Series
        The required conversion rate (a fraction), shaped like the inputs.

    Examples
    --------
    Clicks at 90 each and an allowable CPA of 1 800 (seed 004's chain): 5 % of the
    visitors must convert, which is seed 004's CVR:

    >>> required_cvr(90, 1_800)
    0.05
    """
    out, rules = _required_cvr(cost_per_click, allowable_cpa)
    return deliver("required_cvr", finish(out, rules), rules, cost_per_click, allowable_cpa)
