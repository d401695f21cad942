"""Kernels of the Excel functions: typed values in, what the cell shows out.

The arithmetic is the library's (:mod:`roi_xl.metrics`, :mod:`roi_xl.funnel`,
:mod:`roi_xl.stats`, :mod:`roi_xl.abtest`, :mod:`roi_xl.multitouch`, :mod:`roi_xl.pacing`);
a kernel only lays its results out as Excel shows them (an array
that keeps the caller's shape, or a two-column table that spills) and keeps the
library's :class:`~roi_xl._checked.Checked` so ``roi-xl calc`` can say what failed.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import abtest, funnel, multitouch, pacing, stats
from .._checked import Checked
from ..errors import ERROR_TEXTS, ArgumentError, ExcelError
from ..i18n import default_stage_names, label
from ..options import AB_MEASURES, PACING_MEASURES
from .coerce import NumberGrid
from .elementwise import elementwise
from .result import Result


def _table(names: list[str], checked: Checked) -> list[list[Any]]:
    rows = []
    for i, (name, value) in enumerate(zip(names, checked.value)):
        code = 0 if checked.error is None else int(checked.error[i])
        if not code and not np.isfinite(value):
            code = ExcelError.NUM
        rows.append([name, ERROR_TEXTS[code] if code else float(value)])
    return rows


def _stage_names(given: list[str | None] | None, count: int) -> list[str]:
    names = default_stage_names(count)
    for i, name in enumerate((given or [])[:count]):
        if name is not None:
            names[i] = name
    return names


def _follow(row_label: str, stage: int, counts: Checked, extra: Checked) -> list[Any]:
    """A row computed from one stage's count: that stage's error first, then its own."""
    code = 0 if counts.error is None else int(counts.error[stage])
    if not code and extra.error is not None:
        code = int(extra.error.reshape(-1)[0])
    return [row_label, ERROR_TEXTS[code] if code else float(extra.value)]


def backcalc_table(
    target_revenue: float,
    unit_price: float,
    rates: np.ndarray,
    stage_names: list[str | None] | None,
    cost_per_top: float | None,
    rounding: str,
) -> Result:
    """BACKCALC_FUNNEL: one row per stage, top first; the budget last when it has a cost."""
    counts = funnel.backcalc_funnel_checked(target_revenue, unit_price, rates, rounding)
    rows = _table(_stage_names(stage_names, counts.value.size), counts)
    why: Checked = counts
    if cost_per_top is not None:
        budget = funnel.funnel_budget_checked(counts.value[0], cost_per_top)
        rows.append(_follow(label("budget"), 0, counts, budget))
        why = counts if not counts.ok() else budget
    return Result(rows, why)


def forecast_table(
    top_count: float,
    rates: np.ndarray,
    unit_price: float | None,
    stage_names: list[str | None] | None,
) -> Result:
    """FUNNEL_FORECAST: one row per stage, top first; the revenue last with a unit price."""
    counts = funnel.funnel_forecast_checked(top_count, rates)
    rows = _table(_stage_names(stage_names, counts.value.size), counts)
    why: Checked = counts
    if unit_price is not None:
        revenue = funnel.forecast_revenue_checked(counts.value[-1], unit_price)
        rows.append(_follow(label("revenue"), -1, counts, revenue))
        why = counts if not counts.ok() else revenue
    return Result(rows, why)


def lift(
    treated_conversions: NumberGrid,
    treated_size: NumberGrid,
    control_conversions: NumberGrid,
    control_size: NumberGrid,
    measure: str,
    confidence: NumberGrid,
) -> Result:
    """LIFT: one measure over broadcast ranges, or every measure as a table of one test."""
    grids = (treated_conversions, treated_size, control_conversions, control_size, confidence)
    if measure != "table":
        return elementwise(stats.lift_checked, [*grids[:4], measure, confidence])
    tc, tn, cc, cn, conf = (_one(g) for g in grids)
    table = stats.lift_table_checked(tc, tn, cc, cn, conf)
    rows = [
        [label(m, conf=f"{conf:.0%}"), ERROR_TEXTS[_code(c)] if _code(c) else float(c.value)]
        for m, c in table.items()
    ]
    return Result(rows, next((c for c in table.values() if not c.ok()), None))


def _one(g: NumberGrid) -> float:
    number, code = g.scalar(g.argument)
    if code:
        raise ArgumentError(ExcelError(code), f"{g.argument} is {ExcelError(code).text}")
    return number


def _code(checked: Checked) -> int:
    return 0 if checked.error is None else int(checked.error.reshape(-1)[0])


def _cell(checked: Checked) -> Any:
    """The one value of a one-case result, or its error text (a non-finite value: #NUM!)."""
    code = _code(checked)
    value = float(np.reshape(checked.value, -1)[0])
    if not code and not np.isfinite(value):
        code = ExcelError.NUM
    return ERROR_TEXTS[code] if code else value


def _measure_or_table(
    checked: Callable[..., Checked], args: list[Any], at: int, measures: tuple[str, ...]
) -> Result:
    """One measure (``args[at]``) over broadcast ranges, or, for ``"table"``, every measure
    of one case as a two-column table that spills: label in the user's language, value."""
    if args[at] != "table":
        return elementwise(checked, args)
    values = [_one(a) if isinstance(a, NumberGrid) else a for a in args]
    rows, why = [], None
    for m in measures:
        values[at] = m
        result = checked(*values)
        rows.append([label(m), _cell(result)])
        why = why if why is not None or result.ok() else result
    return Result(rows, why)


def ab_bayes(
    treated_conversions: NumberGrid,
    treated_size: NumberGrid,
    control_conversions: NumberGrid,
    control_size: NumberGrid,
    measure: str,
    prior_alpha: NumberGrid,
    prior_beta: NumberGrid,
) -> Result:
    """AB_BAYES: one measure over broadcast ranges, or both measures of one test as a table."""
    args = [treated_conversions, treated_size, control_conversions, control_size]
    return _measure_or_table(
        abtest.ab_bayes_checked, [*args, measure, prior_alpha, prior_beta], 4, AB_MEASURES
    )


def budget_pacing(
    budget: NumberGrid,
    spent: NumberGrid,
    days_elapsed: NumberGrid,
    days_total: NumberGrid,
    measure: str,
) -> Result:
    """BUDGET_PACING: one measure over broadcast ranges, or every measure as a table."""
    args = [budget, spent, days_elapsed, days_total, measure]
    return _measure_or_table(pacing.budget_pacing_checked, args, 4, PACING_MEASURES)


def srm_check(observed_sizes: np.ndarray, expected_shares: np.ndarray | None) -> Result:
    """SRM_CHECK: the p-value of one split (sizes and shares are one row or column each)."""
    checked = abtest.srm_check_checked(observed_sizes, expected_shares)
    return Result(_cell(checked), checked)


def attribution(
    paths: list[str | None],
    conversions: np.ndarray,
    model: str,
    values: np.ndarray | None,
    separator: Any,
    non_conversions: np.ndarray | None,
) -> list[list[Any]]:
    """ATTRIBUTION: one row per channel, most credited first: channel, credited conversions
    and, with ``values``, credited revenue."""
    result = multitouch.attribute(
        paths, conversions, model, values, str(separator), non_conversions
    )
    if not result.channels:
        raise ArgumentError(ExcelError.VALUE, "paths: no channel in any path")
    rows: list[list[Any]] = []
    for i, name in enumerate(result.channels):
        row: list[Any] = [name, float(result.conversions[i])]
        if result.values is not None:
            row.append(float(result.values[i]))
        rows.append(row)
    return rows
