"""pandas entry points: metrics for every row of a DataFrame of campaigns or tests, and
attribution of a DataFrame of paths."""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping, Sequence

import numpy as np

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

    ``which`` picks metrics (default: every metric whose input columns are present);
    ``columns`` renames inputs, e.g. ``{"investment": "spend"}``. Rows that cannot be
    computed (zero investment, say) get NaN; the other rows are unaffected. A/B tests
    (columns ``treated_conversions``, ``treated_size``, ``control_conversions``,
    ``control_size``) get ``prob_better`` and ``expected_loss`` (:func:`roi_xl.ab_bayes`),
    and with a ``treated_share`` column (the planned share, 0.5 for 50/50) the
    sample-ratio check ``srm_p_value`` (:func:`roi_xl.srm_check`).

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
        out[m] = _row_metric(m, args)
    return out


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
    paths = frame[path].tolist()
    conv = frame[conversions].to_numpy(dtype=float)
    vals = None if value is None else frame[value].to_numpy(dtype=float)
    non = None if non_conversions is None else frame[non_conversions].to_numpy(dtype=float)
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
