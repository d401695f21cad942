"""Lift tests: did the treated group convert better than the control group, and by how much?

Two-proportion z-test with pooled variance (what ``statsmodels.stats.proportion.
proportions_ztest`` computes by default), Wald interval for the difference
(``confint_proportions_2indep(method="wald", compare="diff")``), and the sample size a
test needs. Only the standard library's normal distribution is used, so the functions run
where SciPy is not installed (xlwings Lite / Pyodide included).
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np

from ._checked import ArrayLike, Checked, Rule, as_array, deliver, finish
from .options import MEASURE_WORDS, MEASURES, normalise


_erfc = np.frompyfunc(math.erfc, 1, 1)


def two_groups(
    function: str,
    treated_conversions: ArrayLike,
    treated_size: ArrayLike,
    control_conversions: ArrayLike,
    control_size: ArrayLike,
    size_rule: str,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[Rule]]:
    """The four counts of a two-group test as arrays, with their rules.

    Parameters
    ----------
    function : str
        The library function asking (for error messages).
    treated_conversions, treated_size, control_conversions, control_size : array_like
        The counts of the two groups.
    size_rule : str
        The :class:`~roi_xl._checked.Rule` kind the sizes must meet (``"positive"``,
        ``"nonneg"``); conversions are always ≥ 0 and at most their group's size.

    Returns
    -------
    tuple
        The four float arrays and the list of rules.
    """
    tc = as_array(function, "treated_conversions", treated_conversions)
    tn = as_array(function, "treated_size", treated_size)
    cc = as_array(function, "control_conversions", control_conversions)
    cn = as_array(function, "control_size", control_size)
    rules = [
        Rule("treated_size", tn, size_rule),
        Rule("control_size", cn, size_rule),
        Rule("treated_conversions", tc, "nonneg"),
        Rule("control_conversions", cc, "nonneg"),
        Rule("treated_conversions", tc, "at_most", tn, "treated_size"),
        Rule("control_conversions", cc, "at_most", cn, "control_size"),
    ]
    return tc, tn, cc, cn, rules


def _lift(
    treated_conversions, treated_size, control_conversions, control_size, measure, confidence
):
    fn = "lift"
    measure = normalise(fn, "measure", measure, MEASURE_WORDS)
    tc, tn, cc, cn, rules = two_groups(
        fn, treated_conversions, treated_size, control_conversions, control_size, "positive"
    )
    conf = as_array(fn, "confidence", confidence)
    with np.errstate(all="ignore"):
        p1 = tc / tn
        p2 = cc / cn
        diff = p1 - p2
        if measure == "treated_rate":
            out = p1
        elif measure == "control_rate":
            out = p2
        elif measure == "lift":
            out = diff
        elif measure == "relative":
            rules.append(Rule("control_conversions", cc, "nonzero"))
            out = diff / p2
        elif measure == "incremental":
            out = tn * diff
        elif measure in ("z", "p_value"):
            pooled = (tc + cc) / (tn + cn)
            var = pooled * (1 - pooled) * (1 / tn + 1 / cn)
            rules.append(
                Rule("pooled conversion rate (all converted or none)", np.asarray(var), "nonzero")
            )
            z = diff / np.sqrt(var)
            out = z if measure == "z" else _p_two_sided(z)
        else:  # ci_low, ci_high
            rules.append(Rule("confidence", conf, "open_unit"))
            with np.errstate(all="ignore"):
                q = _quantile(np.where((conf > 0) & (conf < 1), 1 - (1 - conf) / 2, 0.5))
            half = q * np.sqrt(p1 * (1 - p1) / tn + p2 * (1 - p2) / cn)
            out = diff - half if measure == "ci_low" else diff + half
    return out, rules


_inv_cdf = np.vectorize(NormalDist().inv_cdf, otypes=[float])


def _quantile(p: np.ndarray) -> np.ndarray:
    """Standard normal quantile, element by element. A probability that rounds to 1 (an
    alpha of 1e-20 halved and taken from 1) gives +inf, so the result is #NUM! rather than
    an exception; NaN stays NaN."""
    p = np.asarray(p, dtype=float)
    inside = (p > 0) & (p < 1)
    q = _inv_cdf(np.where(inside, p, 0.5))
    return np.where(inside, q, np.where(p >= 1, np.inf, np.where(p <= 0, -np.inf, np.nan)))


def _p_two_sided(z: np.ndarray) -> np.ndarray:
    z = np.asarray(z, dtype=float)
    return np.asarray(_erfc(np.abs(z) / math.sqrt(2)), dtype=float)


def lift_checked(
    treated_conversions: ArrayLike,
    treated_size: ArrayLike,
    control_conversions: ArrayLike,
    control_size: ArrayLike,
    measure: str = "lift",
    confidence: ArrayLike = 0.95,
) -> Checked:
    """:func:`lift` with the Excel error code of every bad element.

    Parameters
    ----------
    treated_conversions, treated_size, control_conversions, control_size, measure, confidence
        As for :func:`lift`.

    Returns
    -------
    Checked
        The values (NaN where an element failed) and, when some did, an int8
        :class:`~roi_xl.errors.ExcelError` code per element and the rules they broke.
    """
    return finish(
        *_lift(
            treated_conversions,
            treated_size,
            control_conversions,
            control_size,
            measure,
            confidence,
        )
    )


def lift(
    treated_conversions: ArrayLike,
    treated_size: ArrayLike,
    control_conversions: ArrayLike,
    control_size: ArrayLike,
    measure: str = "lift",
    confidence: ArrayLike = 0.95,
) -> float | np.ndarray:
    """Compare a treated group with a control group (seed 003's 純増 calculation).

    Parameters
    ----------
    treated_conversions, treated_size : array_like
        Conversions and size of the group that received the campaign.
    control_conversions, control_size : array_like
        The same for the control group that did not.
    measure : str
        ``"lift"`` (default): treated rate − control rate. ``"relative"``: lift ÷ control
        rate. ``"incremental"``: treated_size × lift, the conversions the campaign added.
        ``"treated_rate"``, ``"control_rate"``. ``"z"``, ``"p_value"``: two-sided
        two-proportion z-test, pooled variance. ``"ci_low"``, ``"ci_high"``: Wald interval
        of the difference at ``confidence``.
    confidence : float
        Confidence level of the interval, default 0.95.

    Notes
    -----
    With p₁ = c₁/n₁, p₂ = c₂/n₂ and pooled p = (c₁+c₂)/(n₁+n₂):
    z = (p₁ − p₂) / √(p(1−p)(1/n₁ + 1/n₂)), p-value = erfc(|z|/√2), and the interval is
    (p₁ − p₂) ± z₁₋α/₂ · √(p₁(1−p₁)/n₁ + p₂(1−p₂)/n₂).

    Returns
    -------
    float, ndarray or Series
        A float for scalar inputs (a bad value raises
        :class:`~roi_xl.errors.InvalidInputError` naming the argument), an ndarray with NaN in
        the bad elements for arrays, a Series with the caller's index for pandas input.

    Examples
    --------
    300 of 10 000 treated customers bought, 200 of 10 000 controls did:

    >>> round(lift(300, 10_000, 200, 10_000), 4)
    0.01
    >>> round(lift(300, 10_000, 200, 10_000, "incremental"), 6)
    100.0
    >>> round(lift(300, 10_000, 200, 10_000, "z"), 4)
    4.5291
    >>> f"{lift(300, 10_000, 200, 10_000, 'p_value'):.3g}"
    '5.92e-06'
    """
    out, rules = _lift(
        treated_conversions, treated_size, control_conversions, control_size, measure, confidence
    )
    return deliver(
        "lift",
        finish(out, rules),
        rules,
        treated_conversions,
        treated_size,
        control_conversions,
        control_size,
        confidence,
    )


def lift_table_checked(
    treated_conversions: ArrayLike,
    treated_size: ArrayLike,
    control_conversions: ArrayLike,
    control_size: ArrayLike,
    confidence: ArrayLike = 0.95,
) -> dict[str, Checked]:
    """Every :func:`lift` measure for one test, each with its Excel error codes.

    Parameters
    ----------
    treated_conversions, treated_size, control_conversions, control_size, confidence
        As for :func:`lift`.

    Returns
    -------
    dict
        Measure name (in :data:`~roi_xl.options.MEASURES` order) → :class:`Checked`.
    """
    args = (treated_conversions, treated_size, control_conversions, control_size)
    return {m: lift_checked(*args, m, confidence) for m in MEASURES}


def lift_table(
    treated_conversions: float,
    treated_size: float,
    control_conversions: float,
    control_size: float,
    confidence: float = 0.95,
) -> dict[str, float]:
    """Every :func:`lift` measure for one test, as an ordered dict (NaN where undefined).

    Parameters
    ----------
    treated_conversions, treated_size, control_conversions, control_size : float
        As for :func:`lift`.
    confidence : float
        Confidence level of the interval, default 0.95.

    Returns
    -------
    dict
        Measure name → value, in the order of :data:`~roi_xl.options.MEASURES`.

    Examples
    --------
    >>> t = lift_table(300, 10_000, 200, 10_000)
    >>> round(t["relative"], 3), round(t["ci_low"], 5), round(t["ci_high"], 5)
    (0.5, 0.00567, 0.01433)
    """
    table = lift_table_checked(
        treated_conversions, treated_size, control_conversions, control_size, confidence
    )
    return {m: float(c.value) for m, c in table.items()}


def _sample_size(baseline_rate, minimum_detectable_lift, alpha, power, relative):
    fn = "sample_size"
    p1 = as_array(fn, "baseline_rate", baseline_rate)
    mde = as_array(fn, "minimum_detectable_lift", minimum_detectable_lift)
    a = as_array(fn, "alpha", alpha)
    b = as_array(fn, "power", power)
    rel = as_array(fn, "relative", relative).astype(bool)
    with np.errstate(all="ignore"):
        p2 = np.where(rel, p1 * (1 + mde), p1 + mde)
        delta = p2 - p1
        ok_a = (a > 0) & (a < 1)
        ok_b = (b > 0) & (b < 1)
        za = _quantile(np.where(ok_a, 1 - a / 2, 0.5))
        zb = _quantile(np.where(ok_b, b, 0.5))
        pbar = (p1 + p2) / 2
        n = (za * np.sqrt(2 * pbar * (1 - pbar)) + zb * np.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2
        out = np.ceil(n / delta**2 * (1 - 1e-12))
    rules = [
        Rule("baseline_rate", p1, "open_unit"),
        Rule("minimum_detectable_lift", np.asarray(delta), "nonzero"),
        Rule("baseline_rate + minimum_detectable_lift", np.asarray(p2), "open_unit"),
        Rule("alpha", a, "open_unit"),
        Rule("power", b, "open_unit"),
    ]
    return out, rules


def sample_size_checked(
    baseline_rate: ArrayLike,
    minimum_detectable_lift: ArrayLike,
    alpha: ArrayLike = 0.05,
    power: ArrayLike = 0.8,
    relative: ArrayLike = False,
) -> Checked:
    """:func:`sample_size` with the Excel error code of every bad element.

    Parameters
    ----------
    baseline_rate, minimum_detectable_lift, alpha, power, relative
        As for :func:`sample_size`.

    Returns
    -------
    Checked
        The values (NaN where an element failed) and, when some did, an int8
        :class:`~roi_xl.errors.ExcelError` code per element and the rules they broke.
    """
    return finish(*_sample_size(baseline_rate, minimum_detectable_lift, alpha, power, relative))


def sample_size(
    baseline_rate: ArrayLike,
    minimum_detectable_lift: ArrayLike,
    alpha: ArrayLike = 0.05,
    power: ArrayLike = 0.8,
    relative: ArrayLike = False,
) -> float | np.ndarray:
    """Subjects per group for a two-sided two-proportion test, rounded up.

    n = (z₁₋α/₂·√(2p̄(1−p̄)) + z₁₋β·√(p₁(1−p₁)+p₂(1−p₂)))² ÷ (p₂−p₁)², p̄ = (p₁+p₂)/2,
    with p₂ = p₁ + lift (or p₁ × (1 + lift) when ``relative`` is true).

    Parameters
    ----------
    baseline_rate : array_like
        The control group's conversion rate, in (0, 1).
    minimum_detectable_lift : array_like
        The smallest lift worth detecting: absolute, or relative to the baseline.
    alpha : array_like
        Significance level (two-sided), default 0.05.
    power : array_like
        Power, default 0.8.
    relative : array_like of bool
        True: the lift is relative to the baseline.

    Returns
    -------
    float, ndarray or Series
        Subjects per group, rounded up; as :func:`roi` returns its results.

    Examples
    --------
    To see a 2 % conversion rate rise to 3 % at α = 5 % and 80 % power:

    >>> sample_size(0.02, 0.01)
    3826.0
    >>> sample_size(0.02, 0.5, relative=True)
    3826.0
    """
    out, rules = _sample_size(baseline_rate, minimum_detectable_lift, alpha, power, relative)
    return deliver(
        "sample_size",
        finish(out, rules),
        rules,
        baseline_rate,
        minimum_detectable_lift,
        alpha,
        power,
        relative,
    )
