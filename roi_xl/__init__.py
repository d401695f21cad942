"""roi_xl: marketing-ROI metrics for Python, pandas and Excel.

>>> import roi_xl
>>> round(roi_xl.roi(10_000_000, 3_500_000, 2_720_000), 4)
1.3897
>>> roi_xl.backcalc_funnel(3_000_000, 500_000, [0.0666, 0.40, 0.33])
array([721.,  48.,  19.,   6.])

Names are imported on first use, so ``roi-xl refresh`` and other commands start fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import attribute_loader

__version__ = "0.1.0"

_WHERE = {
    "roi": "metrics",
    "marketing_roi": "metrics",
    "roas": "metrics",
    "cpa": "metrics",
    "cvr": "metrics",
    "ltv": "metrics",
    "backcalc_funnel": "funnel",
    "funnel_forecast": "funnel",
    "funnel_budget": "funnel",
    "lift": "stats",
    "lift_table": "stats",
    "sample_size": "stats",
    "allowable_cpa": "metrics",
    "required_cvr": "metrics",
    "budget_pacing": "pacing",
    "budget_pacing_table": "pacing",
    "ab_bayes": "abtest",
    "ab_bayes_table": "abtest",
    "srm_check": "abtest",
    "attribute": "multitouch",
    "Attribution": "multitouch",
    "removal_effects": "multitouch",
    "attribution": "frame",
    "mmm": "mix.frame",
    "MMMResult": "mix.frame",
    "fit_mix": "mix.fit",
    "LiftTest": "mix.fit",
    "allocate": "mix.allocate",
    "budget_for_target": "mix.allocate",
    "add_metrics": "frame",
    "named_values": "defined_names",
    "language": "i18n",
    "set_language": "i18n",
    "ExcelError": "errors",
    "RoiXlError": "errors",
    "InvalidInputError": "errors",
    "ZeroDenominatorError": "errors",
    "UnknownOptionError": "errors",
    "NonFiniteResultError": "errors",
    "ArgumentError": "errors",
    "UnreadableWorkbook": "errors",
    "UnknownTemplateError": "errors",
    "IndexMismatchError": "errors",
    "MissingColumnsError": "errors",
    "UnknownLanguageError": "errors",
    "UnknownNameError": "errors",
}
__all__ = list(_WHERE)


__getattr__ = attribute_loader(__name__, _WHERE)


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)


if TYPE_CHECKING:  # the lazily loaded names, for type checkers and editors
    from .errors import (
        ArgumentError,
        ExcelError,
        IndexMismatchError,
        InvalidInputError,
        MissingColumnsError,
        NonFiniteResultError,
        RoiXlError,
        UnknownLanguageError,
        UnknownNameError,
        UnknownOptionError,
        UnknownTemplateError,
        UnreadableWorkbook,
        ZeroDenominatorError,
    )
    from .abtest import ab_bayes, ab_bayes_table, srm_check
    from .multitouch import Attribution, attribute, removal_effects
    from .frame import add_metrics, attribution
    from .mix.allocate import allocate, budget_for_target
    from .mix.fit import LiftTest, fit_mix
    from .mix.frame import MMMResult, mmm
    from .pacing import budget_pacing, budget_pacing_table
    from .funnel import backcalc_funnel, funnel_budget, funnel_forecast
    from .i18n import language, set_language
    from .metrics import allowable_cpa, cpa, cvr, ltv, marketing_roi, required_cvr, roas, roi
    from .defined_names import named_values
    from .stats import lift, lift_table, sample_size
