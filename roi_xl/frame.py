"""pandas entry points: metrics for every row of a DataFrame of campaigns."""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping

import numpy as np

from . import metrics
from .errors import ExcelError, InvalidInputError, MissingColumnsError

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

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per campaign, with input columns named as in :data:`COLUMNS`
        (``revenue``, ``cost_of_sales``, ``investment``…) or renamed by ``columns``.
    which : tuple of str, optional
        The metrics to add (keys of :data:`COLUMNS`). Default: every metric whose input
        columns are all present; at least one must be.
    columns : mapping, optional
        Input name → the frame's column, e.g. ``{"investment": "spend"}``.

    Returns
    -------
    pandas.DataFrame
        A copy with one new column per metric. Rows that cannot be computed (zero
        investment, say) get NaN; the other rows are unaffected.

    Raises
    ------
    MissingColumnsError
        A metric asked for lacks input columns, no metric can be computed, or ``columns``
        renames an input that does not exist or points at a column the frame lacks;
        the message names the columns.
    InvalidInputError
        A cell is text that is not a number; the message names its column and row.

    Examples
    --------
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
    rename = _checked_mapping(frame, columns or {})
    out = frame.copy()
    if which is None:
        which = tuple(
            m for m, cols in COLUMNS.items() if all(rename.get(c, c) in frame for c in cols)
        )
        if not which:
            lacks = "; ".join(
                f"{m} lacks {', '.join(c for c in (rename.get(c, c) for c in cols) if c not in frame)}"
                for m, cols in COLUMNS.items()
            )
            raise MissingColumnsError(
                f"add_metrics(): no metric can be computed: {lacks} (the frame has "
                f"{', '.join(map(str, frame.columns))}; rename inputs with columns=...)"
            )
    for m in which:
        if m not in COLUMNS:
            raise MissingColumnsError(f"unknown metric {m!r}; choose from {', '.join(COLUMNS)}")
        missing = [rename.get(c, c) for c in COLUMNS[m] if rename.get(c, c) not in frame]
        if missing:
            raise MissingColumnsError(
                f"add_metrics(): {m} needs the column(s) {', '.join(missing)}"
            )
        args = [_numbers(frame, rename.get(c, c)) for c in COLUMNS[m]]
        if m == "roi_gross":
            out[m] = metrics.roi(*args, basis="gross")
        else:
            out[m] = getattr(metrics, m)(*args)
    return out


def _checked_mapping(frame: pd.DataFrame, columns: Mapping[str, str]) -> dict[str, str]:
    inputs = {c for cols in COLUMNS.values() for c in cols}
    unknown = [k for k in columns if k not in inputs]
    if unknown:
        raise MissingColumnsError(
            f"add_metrics(): columns= renames {', '.join(map(repr, unknown))}, which no "
            f"metric reads; the inputs are {', '.join(sorted(inputs))}"
        )
    absent = [f"{k}→{v!r}" for k, v in columns.items() if v not in frame]
    if absent:
        raise MissingColumnsError(
            f"add_metrics(): columns= points at column(s) the frame lacks: {', '.join(absent)}"
        )
    return dict(columns)


def _numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A column as floats; a cell that is not a number is named by column and row."""
    try:
        return frame[column].to_numpy(dtype=float)
    except (TypeError, ValueError):
        for label, value in frame[column].items():
            try:
                float(value)
            except (TypeError, ValueError):
                raise InvalidInputError(
                    "add_metrics",
                    f"{column}[{label!r}]",
                    value,
                    "must be a number",
                    ExcelError.VALUE,
                ) from None
        raise
