"""The names of our Excel functions, importable without NumPy.

The refresh engine uses this list to register our functions only in workbooks that call
them, so refreshing plain workbooks never imports the numeric library. ``table.py`` checks
at import that it defines exactly these names.
"""

FUNCTION_NAMES: tuple[str, ...] = (
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
)
