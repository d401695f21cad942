"""Bayesian A/B test and sample-ratio-mismatch check, exact and free of SciPy.

:func:`ab_bayes` gives P(treated rate > control rate) and the expected loss of choosing
treated under Beta-Binomial posteriors, by the closed-form sum of Evan Miller ("Formulas
for Bayesian A/B testing", 2014) evaluated in log space: no simulation, no numerical
integration, exact to rounding. :func:`srm_check` is Pearson's chi-square goodness-of-fit
of group sizes against planned shares; its p-value uses the regularized upper incomplete
gamma function implemented here (series and continued fraction, as in Numerical Recipes
§6.2). Only NumPy and :mod:`math` are used, so both run under Pyodide.
"""

from __future__ import annotations

import math

import numpy as np

from ._checked import ArrayLike, Checked, Rule, as_array, deliver, finish
from .errors import ExcelError, InvalidInputError
from .options import AB_MEASURE_WORDS, AB_MEASURES, normalise
from .stats import two_groups

#: Largest group size the closed form keeps exact to 1e-6 (log-beta rounding grows with it).
MAX_GROUP = 1e10


# P(X > Y) for independent Beta variables ------------------------------------------------------

_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


def _stirling_rest(x: np.ndarray) -> np.ndarray:
    """lgamma(x) − ((x − ½) log x − x + ½ log 2π) for x ≥ 10 (error below 1e-16)."""
    x = np.maximum(x, 10.0)
    z = 1.0 / (x * x)
    series = -691 / 360360 * z + 1 / 1188
    for coefficient in (-1 / 1680, 1 / 1260, -1 / 360, 1 / 12):
        series = series * z + coefficient
    return series / x


def _lgamma(x: np.ndarray) -> np.ndarray:
    """log Γ(x) for x > 0, vectorised (Stirling's series, shifted up by 10 below 10)."""
    x = np.asarray(x, dtype=float)
    small = x < 10
    y = np.where(small, x + 10, x)
    out = (y - 0.5) * np.log(y) - y + _HALF_LOG_2PI + _stirling_rest(y)
    if small.any():
        xs = np.where(small, x, 1.0)
        shift = np.log(np.prod(xs[..., None] + np.arange(10.0), axis=-1))
        out = out - np.where(small, shift, 0.0)
    return out


def log_beta(a: ArrayLike, b: ArrayLike) -> np.ndarray:
    """log B(a, b) without the cancellation of lgamma(a) + lgamma(b) − lgamma(a + b).

    The large arguments' Stirling parts are combined analytically first (the method of
    R's ``lbeta``), so million-visitor posteriors keep about 1e-12 absolute accuracy.

    Parameters
    ----------
    a, b : array_like
        Positive arguments.

    Returns
    -------
    ndarray
        log B(a, b), broadcast.

    >>> round(float(log_beta(2, 3)), 12) == round(math.log(1 / 12), 12)
    True
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    p, q = np.minimum(a, b), np.maximum(a, b)
    ratio = p / (p + q)
    both_large = (
        -0.5 * np.log(q)
        + _HALF_LOG_2PI
        + _stirling_rest(p)
        + _stirling_rest(q)
        - _stirling_rest(p + q)
        + (p - 0.5) * np.log(ratio)
        + q * np.log1p(-ratio)
    )
    one_large = (
        _lgamma(np.minimum(p, 10.0))
        + _stirling_rest(q)
        - _stirling_rest(p + q)
        + p
        - p * np.log(p + q)
        + (q - 0.5) * np.log1p(-ratio)
    )
    small = _lgamma(p) + _lgamma(q) - _lgamma(p + q)
    return np.where(p >= 10, both_large, np.where(q >= 10, one_large, small))


def _log_terms(i: np.ndarray, b: float, c: float, d: float) -> np.ndarray:
    return log_beta(c + i, b + d) - np.log(b + i) - log_beta(1 + i, b) - log_beta(c, d)


_EXACT_TERMS = 2_000_000


def _log_sum(a: float, b: float, c: float, d: float) -> float:
    """log Σ_{i<a} B(c+i, b+d) / ((b+i) B(1+i, b) B(c, d)), a a whole number.

    This is Evan Miller's P(X > Y) for X ~ Beta(a, b), Y ~ Beta(c, d); every term is
    positive, so the sum is taken in log space without cancellation. The terms rise and
    then fall (term_{i+1}/term_i = (c+i)(b+i) / ((1+i)(b+c+d+i)) crosses 1 once), so for
    long sums coarse grids close in on the peak and only the terms within e^−60 of it are
    summed: the rest add less than 1e-20. Past 2 000 000 terms around the peak (groups of
    billions) the sum is taken on an even grid of 1 000 000 points, each standing for its
    step of terms (the terms are then smooth on that scale).
    """
    lo, hi = 0.0, float(int(a) - 1)
    while hi - lo > 4096:
        grid = np.unique(np.linspace(lo, hi, 1025).round())
        coarse = _log_terms(grid, b, c, d)
        above = np.flatnonzero(coarse >= coarse.max() - 60)
        window = grid[max(above[0] - 1, 0)], grid[min(above[-1] + 1, grid.size - 1)]
        if above.size >= 400 or window == (lo, hi):  # resolved, or floats can go no finer
            lo, hi = window
            break
        lo, hi = window
    if hi - lo <= _EXACT_TERMS:
        i, step = np.arange(lo, hi + 1), 1.0
    else:
        i, step = np.linspace(lo, hi, 1_000_001), (hi - lo) / 1_000_000
    log_terms = _log_terms(i, b, c, d)
    top = float(np.max(log_terms))
    return top + math.log(float(np.sum(np.exp(log_terms - top))) * step)


def _exp(log_p: float) -> float:
    return math.exp(min(log_p, 0.0))  # a probability: rounding must not push it past 1


def _whole(x: float) -> bool:
    return x == math.floor(x) and x >= 1


def prob_greater(a: float, b: float, c: float, d: float) -> float:
    """P(X > Y) for independent X ~ Beta(a, b), Y ~ Beta(c, d), exactly.

    Of the four equivalent closed forms (summing over a, b, c or d terms) the shortest one
    whose count is a whole number is used, so a 1 000 000-visitor test at a 2 % rate sums
    about 20 000 terms. NaN when no parameter is a whole number (the closed form needs one).

    Parameters
    ----------
    a, b : float
        Parameters of X.
    c, d : float
        Parameters of Y.

    Returns
    -------
    float
        The probability, in [0, 1].

    >>> round(prob_greater(2, 1, 1, 1), 12)  # P(max of two uniforms beats a uniform)
    0.666666666667
    """
    forms = []  # (terms, evaluator)
    if _whole(a):
        forms.append((a, lambda: _exp(_log_sum(a, b, c, d))))
    # P(X > Y) = P(1 − Y > 1 − X), with 1 − Y ~ Beta(d, c), 1 − X ~ Beta(b, a)
    if _whole(d):
        forms.append((d, lambda: _exp(_log_sum(d, c, b, a))))
    # P(X > Y) = 1 − P(Y > X)
    if _whole(c):
        forms.append((c, lambda: 1.0 - _exp(_log_sum(c, d, a, b))))
    if _whole(b):
        forms.append((b, lambda: 1.0 - _exp(_log_sum(b, a, d, c))))
    if not forms:
        return math.nan
    _, evaluate = min(forms, key=lambda form: form[0])
    return min(1.0, max(0.0, evaluate()))


def _ab_bayes(
    treated_conversions,
    treated_size,
    control_conversions,
    control_size,
    measure,
    prior_alpha,
    prior_beta,
):
    fn = "ab_bayes"
    measure = normalise(fn, "measure", measure, AB_MEASURE_WORDS)
    tc, tn, cc, cn, rules = two_groups(
        fn, treated_conversions, treated_size, control_conversions, control_size, "nonneg"
    )
    pa = as_array(fn, "prior_alpha", prior_alpha)
    pb = as_array(fn, "prior_beta", prior_beta)
    rules += [Rule("prior_alpha", pa, "above_zero"), Rule("prior_beta", pb, "above_zero")]
    limit = np.asarray(MAX_GROUP)
    limit_name = "1e10 (beyond it rounding spoils the exact sum)"
    rules += [
        Rule("treated_size", tn, "at_most", limit, limit_name),
        Rule("control_size", cn, "at_most", limit, limit_name),
        Rule("prior_alpha", pa, "at_most", limit, limit_name),
        Rule("prior_beta", pb, "at_most", limit, limit_name),
    ]
    shape = np.broadcast_shapes(tc.shape, tn.shape, cc.shape, cn.shape, pa.shape, pb.shape)
    out = np.full(shape, np.nan)
    it = np.nditer(
        [np.broadcast_to(x, shape) for x in (tc, tn, cc, cn, pa, pb)] + [out],
        op_flags=[["readonly"]] * 6 + [["writeonly"]],
    )
    for t_c, t_n, c_c, c_n, a0, b0, o in it:
        t_c, t_n, c_c, c_n, a0, b0 = map(float, (t_c, t_n, c_c, c_n, a0, b0))
        if not (0 <= t_c <= t_n and 0 <= c_c <= c_n and a0 > 0 and b0 > 0):
            continue  # the rules mark the element
        if not max(t_n, c_n, a0, b0) <= MAX_GROUP:
            continue
        o[...] = _one_ab(measure, a0 + t_c, b0 + t_n - t_c, a0 + c_c, b0 + c_n - c_c)
    return out, rules


def _one_ab(measure: str, at: float, bt: float, ac: float, bc: float) -> float:
    if measure == "prob_better":
        return prob_greater(at, bt, ac, bc)
    # E[max(pc − pt, 0)] = E[pc·1{pc>pt}] − E[pt·1{pc>pt}]
    #   = ac/(ac+bc)·P(Beta(ac+1,bc) > pt) − at/(at+bt)·P(pc > Beta(at+1,bt))
    return max(
        0.0,
        ac / (ac + bc) * prob_greater(ac + 1, bc, at, bt)
        - at / (at + bt) * prob_greater(ac, bc, at + 1, bt),
    )


def ab_bayes_checked(
    treated_conversions: ArrayLike,
    treated_size: ArrayLike,
    control_conversions: ArrayLike,
    control_size: ArrayLike,
    measure: str = "prob_better",
    prior_alpha: ArrayLike = 1.0,
    prior_beta: ArrayLike = 1.0,
) -> Checked:
    """:func:`ab_bayes` with the Excel error code of every bad element.

    Parameters
    ----------
    treated_conversions, treated_size, control_conversions, control_size, measure, \
prior_alpha, prior_beta
        As for :func:`ab_bayes`.

    Returns
    -------
    Checked
        The values (NaN where bad) and the int8 Excel error codes (``None`` when all fine).
    """
    return finish(
        *_ab_bayes(
            treated_conversions,
            treated_size,
            control_conversions,
            control_size,
            measure,
            prior_alpha,
            prior_beta,
        )
    )


def ab_bayes(
    treated_conversions: ArrayLike,
    treated_size: ArrayLike,
    control_conversions: ArrayLike,
    control_size: ArrayLike,
    measure: str = "prob_better",
    prior_alpha: ArrayLike = 1.0,
    prior_beta: ArrayLike = 1.0,
) -> float | np.ndarray:
    """Bayesian A/B test: how likely is treated better, and what do we risk by choosing it?

    Each group's conversion rate has the posterior Beta(prior_alpha + conversions,
    prior_beta + size − conversions).

    Parameters
    ----------
    treated_conversions, treated_size, control_conversions, control_size : array_like
        Conversions and size of each group (conversions ≤ size).
    measure : {"prob_better", "expected_loss"}
        ``"prob_better"`` (default): P(treated rate > control rate). ``"expected_loss"``:
        E[max(control rate − treated rate, 0)], the conversion rate given up on average by
        choosing treated.
    prior_alpha, prior_beta : array_like
        The Beta prior, default 1 and 1 (uniform). The closed form needs one posterior
        parameter to be a whole number; with fractional priors on both sides the element
        is NaN (``#NUM!``), as are groups above 10 000 000 000 (:data:`MAX_GROUP`).

    Returns
    -------
    float or ndarray or Series
        The measure, shaped like the inputs.

    Notes
    -----
    With posteriors T ~ Beta(a, b) and C ~ Beta(c, d) and a a whole number,
    P(T > C) = Σ_{i=0}^{a−1} B(c+i, b+d) / ((b+i) B(1+i, b) B(c, d)); the equivalent forms
    over b, c or d terms are used when shorter. Terms are summed in log space with a
    log-beta free of cancellation (:func:`log_beta`), exact to about 1e-12 for
    million-visitor groups.

    Examples
    --------
    300 of 10 000 treated customers bought, 200 of 10 000 controls did:

    >>> round(ab_bayes(300, 10_000, 200, 10_000), 6)
    0.999997
    >>> f"{ab_bayes(300, 10_000, 200, 10_000, 'expected_loss'):.2e}"
    '1.27e-09'
    >>> round(ab_bayes(1, 2, 1, 2), 6)  # identical results: a coin toss
    0.5
    """
    out, rules = _ab_bayes(
        treated_conversions,
        treated_size,
        control_conversions,
        control_size,
        measure,
        prior_alpha,
        prior_beta,
    )
    return deliver(
        "ab_bayes",
        finish(out, rules),
        rules,
        treated_conversions,
        treated_size,
        control_conversions,
        control_size,
        prior_alpha,
        prior_beta,
    )


def ab_bayes_table(
    treated_conversions: float,
    treated_size: float,
    control_conversions: float,
    control_size: float,
    prior_alpha: float = 1.0,
    prior_beta: float = 1.0,
) -> dict[str, float]:
    """Both :func:`ab_bayes` measures for one test (NaN where undefined).

    Parameters
    ----------
    treated_conversions, treated_size, control_conversions, control_size : float
        The counts of one test.
    prior_alpha, prior_beta : float
        The Beta prior (default uniform).

    Returns
    -------
    dict
        ``prob_better`` and ``expected_loss``.

    >>> t = ab_bayes_table(300, 10_000, 200, 10_000)
    >>> list(t), round(t["prob_better"], 4)
    (['prob_better', 'expected_loss'], 1.0)
    """
    return {
        m: float(
            ab_bayes_checked(
                treated_conversions,
                treated_size,
                control_conversions,
                control_size,
                m,
                prior_alpha,
                prior_beta,
            ).value
        )
        for m in AB_MEASURES
    }


# Sample-ratio mismatch --------------------------------------------------------------------------


def gamma_q(a: float, x: float) -> float:
    """Regularized upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a), for a > 0, x ≥ 0.

    Series for x < a + 1, Lentz's continued fraction otherwise (Numerical Recipes §6.2).
    The chi-square survival function with k degrees of freedom is Q(k/2, x/2).

    Parameters
    ----------
    a : float
        Shape, > 0.
    x : float
        Where to evaluate, ≥ 0.

    Returns
    -------
    float
        Q(a, x) in [0, 1].

    >>> round(gamma_q(1, 2), 12) == round(math.exp(-2), 12)
    True
    """
    if x <= 0:
        return 1.0
    if math.isinf(x):
        return 0.0
    log_front = -x + a * math.log(x) - math.lgamma(a)
    if x < a + 1:  # P(a, x) by its series
        term = total = 1.0 / a
        ap = a
        for _ in range(10_000):
            ap += 1
            term *= x / ap
            total += term
            if abs(term) < abs(total) * 1e-16:
                break
        return max(0.0, 1.0 - total * math.exp(log_front))
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-16:
            break
    return math.exp(log_front) * h


def _srm(observed_sizes, expected_shares):
    fn = "srm_check"
    obs = as_array(fn, "observed_sizes", observed_sizes)
    if obs.ndim == 0 or obs.shape[-1] < 2:
        raise InvalidInputError(
            fn, "observed_sizes", observed_sizes, "must hold 2 groups or more", ExcelError.VALUE
        )
    if expected_shares is None:
        shares = np.ones(obs.shape[-1])
    else:
        shares = as_array(fn, "expected_shares", expected_shares)
        if shares.shape[-1:] != obs.shape[-1:]:
            raise InvalidInputError(
                fn,
                "expected_shares",
                expected_shares,
                f"must hold one share per group ({obs.shape[-1]})",
                ExcelError.VALUE,
            )
    shape = np.broadcast_shapes(obs.shape, shares.shape)
    obs = np.broadcast_to(obs, shape)
    shares = np.broadcast_to(shares, shape)
    total = obs.sum(axis=-1)
    share_total = shares.sum(axis=-1)
    with np.errstate(all="ignore"):
        expected = shares / share_total[..., None] * total[..., None]
        used = expected > 0
        terms = np.where(used, (obs - expected) ** 2 / np.where(used, expected, 1), 0.0)
        # a group planned at share 0 that still received visitors breaks the split outright
        terms = np.where(~used & (obs > 0), np.inf, terms)
        chi2 = terms.sum(axis=-1)
    dof = np.count_nonzero(shares > 0, axis=-1) - 1
    q = np.frompyfunc(lambda k, x: gamma_q(k / 2, x / 2) if k >= 1 else math.nan, 2, 1)
    out = np.asarray(q(np.maximum(dof, 0), np.nan_to_num(chi2, nan=0.0)), dtype=float)
    with np.errstate(invalid="ignore"):
        rules = [
            Rule("observed_sizes", np.min(obs, axis=-1), "nonneg"),
            Rule("expected_shares", np.min(shares, axis=-1), "nonneg"),
            Rule("observed_sizes (their sum)", total, "positive"),
            Rule("expected_shares (their sum)", share_total, "positive"),
            Rule("expected_shares (groups with a share above 0)", dof.astype(float), "positive"),
        ]
    return out, rules


def srm_check_checked(observed_sizes: ArrayLike, expected_shares: ArrayLike = None) -> Checked:
    """:func:`srm_check` with the Excel error code of every test (one per row of a 2-D input).

    The groups run along the last axis. Bad input for a whole test (negative sizes or
    shares: ``#NUM!``; all sizes 0 or all shares 0: ``#DIV/0!``) marks that test only;
    shapes that do not fit together raise :class:`InvalidInputError` (``#VALUE!``).

    Parameters
    ----------
    observed_sizes, expected_shares : array_like
        As for :func:`srm_check`.

    Returns
    -------
    Checked
        The p-values (NaN where bad) and the int8 Excel error codes.
    """
    return finish(*_srm(observed_sizes, expected_shares))


def srm_check(observed_sizes: ArrayLike, expected_shares: ArrayLike = None) -> float | np.ndarray:
    """Sample-ratio mismatch: p-value of the group sizes against the planned split.

    Pearson's chi-square goodness-of-fit: χ² = Σ (observed − expected)² ÷ expected with
    expected = total × share ÷ Σ shares, and k − 1 degrees of freedom. A p-value below
    0.001 means the split is broken: the groups are not what the test planned, and its
    lift cannot be trusted (seed 003's control group).

    Parameters
    ----------
    observed_sizes : array_like
        Visitors (or customers) per group, 2 groups or more along the last axis; a 2-D
        array checks one test per row.
    expected_shares : array_like, optional
        Planned shares (weights, normalised; default equal), one per group.

    Returns
    -------
    float or ndarray
        The p-value (one per test for a 2-D input).

    Examples
    --------
    A planned 50/50 split that came out 10 000 vs 10 300:

    >>> round(srm_check([10_000, 10_300]), 4)
    0.0352
    >>> round(srm_check([10_000, 10_300, 10_150]), 4)
    0.109
    >>> round(srm_check([9_000, 1_050], [90, 10]), 4)  # a planned 90/10 split
    0.1346
    >>> srm_check([10_000, 11_000]) < 0.001  # a broken split
    True
    """
    out, rules = _srm(observed_sizes, expected_shares)
    scalar = np.ndim(observed_sizes) == 1 and np.ndim(expected_shares) <= 1
    return deliver("srm_check", finish(out, rules), rules, 0.0 if scalar else out)
