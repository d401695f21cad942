"""roi_xl: marketing-ROI metrics for Python, pandas and Excel.

>>> import roi_xl
>>> round(roi_xl.roi(10_000_000, 3_500_000, 2_720_000), 4)
1.3897
>>> roi_xl.backcalc_funnel(3_000_000, 500_000, [0.0666, 0.40, 0.33])
array([721.,  48.,  19.,   6.])
"""

from .errors import (
    ExcelError, InvalidInputError, RoiXlError, UnknownOptionError, ZeroDenominatorError,
)
from .frame import add_metrics
from .funnel import backcalc_funnel, funnel_budget, funnel_forecast
from .i18n import language, set_language
from .metrics import cpa, cvr, ltv, marketing_roi, roas, roi
from .named_values import named_values
from .stats import lift, lift_table, sample_size

__version__ = "0.1.0"

__all__ = [
    "roi", "marketing_roi", "roas", "cpa", "cvr", "ltv",
    "backcalc_funnel", "funnel_forecast", "funnel_budget",
    "lift", "lift_table", "sample_size", "add_metrics", "named_values",
    "language", "set_language",
    "ExcelError", "RoiXlError", "InvalidInputError", "ZeroDenominatorError",
    "UnknownOptionError",
]
