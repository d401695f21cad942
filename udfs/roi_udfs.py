"""roi_xl's Excel functions for xlwings: put ``roi_udfs`` in xlwings' "UDF Modules".

Each function is named as in Excel and only hands its arguments to the one definition in
:mod:`roi_xl.excel_functions` (help texts, coercion, error values, arithmetic). The same
module serves classic xlwings on Windows (``xw.func``) and xlwings' Office.js runtime
(xlwings Lite and Server, on Mac and the web), where xlwings turns the returned error
texts (``"#DIV/0!"``) into real Excel errors; classic Windows UDFs cannot return real
error values (xlwings issue #776), so there the cell shows the error as text.

Every range argument arrives two-dimensional (``ndim=2``) so a column stays a column, and
error cells arrive as their text (``err_to_str=True``) so they propagate.
"""

from __future__ import annotations

from typing import Any, Callable

import xlwings as xw

from roi_xl.excel_functions import FUNCTIONS
from roi_xl.i18n import language

__all__ = [
    "ROI",
    "MARKETING_ROI",
    "BACKCALC_FUNNEL",
    "FUNNEL_FORECAST",
    "LIFT",
    "SAMPLE_SIZE",
    "ROAS",
    "CPA",
    "CVR",
    "LTV",
    "ATTRIBUTION",
    "AB_BAYES",
    "SRM_CHECK",
    "ALLOWABLE_CPA",
    "REQUIRED_CVR",
    "BUDGET_PACING",
]


def _udf(func: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate ``func`` for xlwings from its entry in the function table."""
    spec = FUNCTIONS[func.__name__]
    lang = language()
    func.__doc__ = spec.doc(lang)
    for param in spec.params:
        func = xw.arg(param.name, ndim=2, err_to_str=True, doc=param.doc(lang))(func)
    return xw.func(category="roi_xl")(func)


@_udf
def ROI(revenue, cost_of_sales, investment, basis="net"):
    return FUNCTIONS["ROI"](revenue, cost_of_sales, investment, basis)


@_udf
def MARKETING_ROI(revenue, cost_of_sales, selling_expenses, marketing_cost):
    return FUNCTIONS["MARKETING_ROI"](revenue, cost_of_sales, selling_expenses, marketing_cost)


@_udf
def BACKCALC_FUNNEL(
    target_revenue, unit_price, rates, stage_names=None, cost_per_top=None, rounding="ceil"
):
    return FUNCTIONS["BACKCALC_FUNNEL"](
        target_revenue, unit_price, rates, stage_names, cost_per_top, rounding
    )


@_udf
def FUNNEL_FORECAST(top_count, rates, unit_price=None, stage_names=None):
    return FUNCTIONS["FUNNEL_FORECAST"](top_count, rates, unit_price, stage_names)


@_udf
def LIFT(
    treated_conversions,
    treated_size,
    control_conversions,
    control_size,
    measure="lift",
    confidence=0.95,
):
    return FUNCTIONS["LIFT"](
        treated_conversions, treated_size, control_conversions, control_size, measure, confidence
    )


@_udf
def SAMPLE_SIZE(baseline_rate, minimum_detectable_lift, alpha=0.05, power=0.8, relative=False):
    return FUNCTIONS["SAMPLE_SIZE"](baseline_rate, minimum_detectable_lift, alpha, power, relative)


@_udf
def ROAS(revenue, ad_spend):
    return FUNCTIONS["ROAS"](revenue, ad_spend)


@_udf
def CPA(cost, conversions):
    return FUNCTIONS["CPA"](cost, conversions)


@_udf
def CVR(conversions, visits):
    return FUNCTIONS["CVR"](conversions, visits)


@_udf
def LTV(average_order_value, purchase_frequency, retention_periods, gross_margin=1.0):
    return FUNCTIONS["LTV"](
        average_order_value, purchase_frequency, retention_periods, gross_margin
    )


@_udf
def ATTRIBUTION(
    paths, conversions, model="linear", values=None, separator=">", non_conversions=None
):
    return FUNCTIONS["ATTRIBUTION"](paths, conversions, model, values, separator, non_conversions)


@_udf
def AB_BAYES(
    treated_conversions,
    treated_size,
    control_conversions,
    control_size,
    measure="prob_better",
    prior_alpha=1.0,
    prior_beta=1.0,
):
    return FUNCTIONS["AB_BAYES"](
        treated_conversions,
        treated_size,
        control_conversions,
        control_size,
        measure,
        prior_alpha,
        prior_beta,
    )


@_udf
def SRM_CHECK(observed_sizes, expected_shares=None):
    return FUNCTIONS["SRM_CHECK"](observed_sizes, expected_shares)


@_udf
def ALLOWABLE_CPA(ltv, target_roi=0.0):
    return FUNCTIONS["ALLOWABLE_CPA"](ltv, target_roi)


@_udf
def REQUIRED_CVR(cost_per_click, allowable_cpa):
    return FUNCTIONS["REQUIRED_CVR"](cost_per_click, allowable_cpa)


@_udf
def BUDGET_PACING(budget, spent, days_elapsed, days_total, measure="pacing"):
    return FUNCTIONS["BUDGET_PACING"](budget, spent, days_elapsed, days_total, measure)
