"""pandas entry points: metrics for every row of a DataFrame of campaigns."""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping

from . import metrics

if TYPE_CHECKING:  # pandas is imported by the caller; the Excel functions never need it
    import pandas as pd

#: Metric → the columns it reads, in argument order.
COLUMNS: dict[str, tuple[str, ...]] = {
    "roi": ("revenue", "cost_of_sales", "investment"),
    "roi_gross": ("revenue", "cost_of_sales", "investment"),
    "marketing_roi": ("revenue", "cost_of_sales", "selling_expenses", "marketing_cost"),
    "roas": ("revenue", "ad_spend"),
    "cpa": ("cost", "conversions"),
    "cvr": ("conversions", "visits"),
    "ltv": ("average_order_value", "purchase_frequency", "retention_periods"),
}


def add_metrics(
    frame: pd.DataFrame,
    which: tuple[str, ...] | None = None,
    columns: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Return a copy of ``frame`` with a column per metric it has the inputs for.

    ``which`` picks metrics (default: every metric whose input columns are present);
    ``columns`` renames inputs, e.g. ``{"investment": "spend"}``. Rows that cannot be
    computed (zero investment, say) get NaN; the other rows are unaffected.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"campaign": ["seed 002", "no spend"],
    ...                    "revenue": [10_000_000, 50_000],
    ...                    "cost_of_sales": [3_500_000, 0],
    ...                    "investment": [2_720_000, 0]})
    >>> add_metrics(df)[["campaign", "roi", "roi_gross"]].round(4)
       campaign     roi  roi_gross
    0  seed 002  1.3897     2.3897
    1  no spend     NaN        NaN
    """
    rename = dict(columns or {})
    out = frame.copy()
    wanted = which or tuple(
        m for m, cols in COLUMNS.items() if all(rename.get(c, c) in frame for c in cols)
    )
    for m in wanted:
        if m not in COLUMNS:
            raise KeyError(f"unknown metric {m!r}; choose from {', '.join(COLUMNS)}")
        missing = [rename.get(c, c) for c in COLUMNS[m] if rename.get(c, c) not in frame]
        if missing:
            raise KeyError(f"{m} needs the column(s) {', '.join(missing)}")
        args = [frame[rename.get(c, c)].to_numpy(dtype=float) for c in COLUMNS[m]]
        if m == "roi_gross":
            out[m] = metrics.roi(*args, basis="gross")
        else:
            out[m] = getattr(metrics, m)(*args)
    return out
