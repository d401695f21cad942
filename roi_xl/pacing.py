"""Budget pacing: is this month's spend on track?"""

from __future__ import annotations

import numpy as np

from ._checked import ArrayLike, Checked, Rule, as_array, deliver, finish
from .options import PACING_MEASURE_WORDS, PACING_MEASURES, normalise


def _budget_pacing(budget, spent, days_elapsed, days_total, measure):
    fn = "budget_pacing"
    measure = normalise(fn, "measure", measure, PACING_MEASURE_WORDS)
    b = as_array(fn, "budget", budget)
    s = as_array(fn, "spent", spent)
    e = as_array(fn, "days_elapsed", days_elapsed)
    t = as_array(fn, "days_total", days_total)
    rules = [
        Rule("days_total", t, "positive"),
        Rule("days_elapsed", e, "above_zero"),
        Rule("days_elapsed", e, "at_most", t, "days_total"),
        Rule("spent", s, "nonneg"),
        Rule("budget", b, "nonneg"),
    ]
    with np.errstate(all="ignore"):
        if measure == "forecast":
            out = s / e * t
        elif measure == "pacing":
            rules.append(Rule("budget", b, "positive"))
            out = s / e * t / b
        else:
            rules.append(Rule("days_total − days_elapsed (no day left)", t - e, "positive"))
            out = (b - s) / (t - e)
    return out, rules


def budget_pacing_checked(
    budget: ArrayLike,
    spent: ArrayLike,
    days_elapsed: ArrayLike,
    days_total: ArrayLike,
    measure: str = "pacing",
) -> Checked:
    """:func:`budget_pacing` with the Excel error code of every bad element.

    Parameters
    ----------
    budget, spent, days_elapsed, days_total, measure
        As for :func:`budget_pacing`.

    Returns
    -------
    Checked
        The values (NaN where bad) and the int8 Excel error codes (``None`` when all fine).
    """
    return finish(*_budget_pacing(budget, spent, days_elapsed, days_total, measure))


def budget_pacing(
    budget: ArrayLike,
    spent: ArrayLike,
    days_elapsed: ArrayLike,
    days_total: ArrayLike,
    measure: str = "pacing",
) -> float | np.ndarray:
    """Where spend lands at this pace, and what is left to spend per day.

    Parameters
    ----------
    budget : array_like
        The period's budget.
    spent : array_like
        Spent so far.
    days_elapsed, days_total : array_like
        Days gone (0 < days_elapsed ≤ days_total) and days in the period.
    measure : {"pacing", "forecast", "daily_remaining"}
        ``"forecast"``: spent ÷ days_elapsed × days_total, the spend at the end of the
        period at today's pace. ``"pacing"`` (default): forecast ÷ budget; over 1 means
        overspending, under 1 underspending. ``"daily_remaining"``: (budget − spent) ÷
        (days_total − days_elapsed), what may be spent per remaining day (negative when
        already over budget; ``#DIV/0!`` on the last day).

    Returns
    -------
    float or ndarray or Series
        The measure, shaped like the inputs.

    Examples
    --------
    A 3 000 000 month (30 days), 1 200 000 spent after 10 days:

    >>> budget_pacing(3_000_000, 1_200_000, 10, 30, "forecast")
    3600000.0
    >>> budget_pacing(3_000_000, 1_200_000, 10, 30)
    1.2
    >>> budget_pacing(3_000_000, 1_200_000, 10, 30, "daily_remaining")
    90000.0
    """
    out, rules = _budget_pacing(budget, spent, days_elapsed, days_total, measure)
    return deliver(
        "budget_pacing",
        finish(out, rules),
        rules,
        budget,
        spent,
        days_elapsed,
        days_total,
    )


def budget_pacing_table(
    budget: float, spent: float, days_elapsed: float, days_total: float
) -> dict[str, float]:
    """All three :func:`budget_pacing` measures for one budget (NaN where undefined).

    Parameters
    ----------
    budget, spent, days_elapsed, days_total : float
        As for :func:`budget_pacing`.

    Returns
    -------
    dict
        ``forecast``, ``pacing`` and ``daily_remaining``.

    >>> budget_pacing_table(3_000_000, 1_200_000, 10, 30)
    {'forecast': 3600000.0, 'pacing': 1.2, 'daily_remaining': 90000.0}
    """
    return {
        m: float(budget_pacing_checked(budget, spent, days_elapsed, days_total, m).value)
        for m in PACING_MEASURES
    }
