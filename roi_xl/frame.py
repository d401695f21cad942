"""pandas entry points: metrics for every row of a DataFrame of campaigns or tests, and
attribution of a DataFrame of paths."""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping, Sequence

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
    "prob_better": ("treated_conversions", "treated_size", "control_conversions", "control_size"),
    "expected_loss": (
        "treated_conversions",
        "treated_size",
        "control_conversions",
        "control_size",
    ),
    # the planned share of the treated group (0.5 for a 50/50 split)
    "srm_p_value": ("treated_size", "control_size", "treated_share"),
}


def _row_metric(m: str, args: list[np.ndarray]) -> np.ndarray:
    if m == "roi_gross":
        return metrics.roi(*args, basis="gross")
    if m in ("prob_better", "expected_loss"):
        from . import abtest

        return abtest.ab_bayes_checked(*args, measure=m).value
    if m == "srm_p_value":
        from . import abtest

        treated, control, share = args
        sizes = np.stack([treated, control], axis=-1)
        shares = np.stack([share, 1 - share], axis=-1)
        return abtest.srm_check_checked(sizes, shares).value
    return getattr(metrics, m)(*args)


def add_metrics(
    frame: pd.DataFrame,
    which: tuple[str, ...] | None = None,
    columns: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Return a copy of ``frame`` with a column per metric it has the inputs for.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per campaign or test, with input columns named as in :data:`COLUMNS`
        (``revenue``, ``cost_of_sales``, ``investment``…) or renamed by ``columns``.
        A/B tests (columns ``treated_conversions``, ``treated_size``,
        ``control_conversions``, ``control_size``) get ``prob_better`` and
        ``expected_loss`` (:func:`roi_xl.ab_bayes`), and with a ``treated_share`` column
        (the planned share, 0.5 for 50/50) the sample-ratio check ``srm_p_value``
        (:func:`roi_xl.srm_check`).
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

    >>> tests = pd.DataFrame({"treated_conversions": [300, 120], "treated_size": [10_000, 9_000],
    ...                       "control_conversions": [200, 130], "control_size": [10_000, 9_400],
    ...                       "treated_share": [0.5, 0.5]})
    >>> add_metrics(tests)[["prob_better", "srm_p_value"]].round(4)
       prob_better  srm_p_value
    0       1.0000       1.0000
    1       0.3865       0.0032
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
        out[m] = _row_metric(m, args)
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


def _numbers(frame: pd.DataFrame, column: str, function: str = "add_metrics") -> np.ndarray:
    """A column as floats; a cell that is not a number is named by column and row."""
    try:
        return frame[column].to_numpy(dtype=float)
    except (TypeError, ValueError):
        for label, value in frame[column].items():
            try:
                float(value)
            except (TypeError, ValueError):
                raise InvalidInputError(
                    function,
                    f"{column}[{label!r}]",
                    value,
                    "must be a number",
                    ExcelError.VALUE,
                ) from None
        raise


def attribution(
    frame: pd.DataFrame,
    path: str = "path",
    conversions: str = "conversions",
    model: str | Sequence[str] = "linear",
    value: str | None = None,
    non_conversions: str | None = None,
    separator: str = ">",
) -> pd.DataFrame:
    """Credited conversions (and revenue) per channel from a DataFrame of paths.

    ``path``, ``conversions``, ``value`` and ``non_conversions`` name the columns (see
    :func:`roi_xl.multitouch.attribute` for the models). One model gives the columns
    ``conversions`` [and ``value``]; a list of models puts them side by side, one column
    ``<model>`` of credited conversions [and ``<model>_value``] each. Rows are channels,
    sorted by the credit of the first model.

    Parameters
    ----------
    frame : DataFrame
        One row per path.
    path, conversions : str
        Columns of the paths (texts) and their conversions.
    model : str or list of str
        One model or several side by side.
    value, non_conversions : str, optional
        Columns of the revenue and of the journeys that did not convert.
    separator : str
        Between channels in a path, default ``">"``.

    Returns
    -------
    DataFrame
        Indexed by channel.

    Raises
    ------
    MissingColumnsError
        A named column is not in the frame (the message lists the frame's columns).
    InvalidInputError
        A count or value cell is not a number (named by column and row), or as
        :func:`roi_xl.multitouch.attribute` raises.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"path": ["ads > owned > email", "ads > email", "owned"],
    ...                    "conversions": [10, 5, 2], "non_conversions": [90, 45, 98]})
    >>> attribution(df, model=["last", "linear", "markov"],
    ...             non_conversions="non_conversions").round(2)  # doctest: +NORMALIZE_WHITESPACE
              last  linear  markov
    channel
    email     15.0    5.83    6.71
    owned      2.0    5.33    5.37
    ads        0.0    5.83    4.92
    """
    import pandas as pd

    from .multitouch import attribute

    models = [model] if isinstance(model, str) else list(model)
    single = isinstance(model, str)
    named = [c for c in (path, conversions, value, non_conversions) if c is not None]
    missing = [c for c in named if c not in frame]
    if missing:
        raise MissingColumnsError(
            f"attribution(): the frame lacks the column(s) {', '.join(map(str, missing))} "
            f"(it has {', '.join(map(str, frame.columns))})"
        )
    paths = frame[path].tolist()
    conv = _numbers(frame, conversions, "attribution")
    vals = None if value is None else _numbers(frame, value, "attribution")
    non = None if non_conversions is None else _numbers(frame, non_conversions, "attribution")
    columns: dict[str, pd.Series] = {}
    for m in models:
        a = attribute(paths, conv, m, vals, separator, non)
        name = "conversions" if single else m
        columns[name] = pd.Series(a.conversions, index=a.channels)
        if a.values is not None:
            columns["value" if single else f"{m}_value"] = pd.Series(a.values, index=a.channels)
    first = next(iter(columns.values()))
    result = pd.DataFrame(columns).loc[first.index]
    result.index.name = "channel"
    return result
