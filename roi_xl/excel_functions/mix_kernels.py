"""Kernels of the marketing-mix functions (SPEC §3c): MMM, MMM_RESPONSE, BUDGET_ALLOCATE and
BUDGET_FOR_TARGET. They read cells into arrays, call :mod:`roi_xl.mix`, and lay the answer
out as the tables that spill (a header row in the user's language, then one row per
channel or period).

A fit is cached on its inputs within the process: a sheet that asks MMM for its summary,
model, fit and decomposition over the same ranges fits once. The other three functions
read the model table (MMM's "model" spill, or one typed or edited by hand) and never fit.

>>> from roi_xl.excel_functions import FUNCTIONS
>>> model = [["TV", "geometric", "hill", 1000, 0.5, 0, 200, 1, 100, 5000]]
>>> FUNCTIONS["MMM_RESPONSE"](model, "TV", [[0], [100]])
[[0.0], [500.0]]
"""

from __future__ import annotations

import math
from collections import OrderedDict
from typing import Any

import numpy as np

from ..errors import ArgumentError, ExcelError
from ..i18n import label, language
from ..options import ADSTOCK_WORDS, SATURATION_WORDS, key
from .coerce import NumberGrid, cell, to_excel
from .result import Result

_CACHE: OrderedDict[tuple, Any] = OrderedDict()
_CACHE_SIZE = 16


def _cached(cache: OrderedDict[tuple, Any], fingerprint: tuple, compute: Any) -> Any:
    """``compute()`` once per ``fingerprint``: the last ``_CACHE_SIZE`` answers are kept."""
    if fingerprint in cache:
        cache.move_to_end(fingerprint)
        return cache[fingerprint]
    value = compute()
    cache[fingerprint] = value
    if len(cache) > _CACHE_SIZE:
        cache.popitem(last=False)
    return value


MODEL_COLUMNS = (
    "channel",
    "adstock",
    "saturation",
    "beta",
    "decay",
    "peak_lag",
    "half",
    "shape",
    "current_spend",
    "baseline",
)
#: MMM's "draws": the model table's columns and the draw each row belongs to (0: the fit)
DRAWS_COLUMNS = (*MODEL_COLUMNS, "draw")
_DRAW = len(MODEL_COLUMNS)


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _numbers(rows: list[list[Any]], argument: str, blank_is_zero: bool) -> np.ndarray:
    """A block of cells → a float array (periods × columns); the first bad cell's error."""
    width = max((len(r) for r in rows), default=0)
    out = np.zeros((len(rows), width))
    for i, row in enumerate(rows):
        for j in range(width):
            v = row[j] if j < len(row) else None
            if _blank(v):
                if not blank_is_zero:
                    raise ArgumentError(
                        ExcelError.VALUE, f"{argument} is blank in row {i + 1}: fill every period"
                    )
                continue
            number, code = cell(v)
            if code:
                raise ArgumentError(
                    ExcelError(code),
                    f"{argument} row {i + 1}, column {j + 1} is {ExcelError(code).text} "
                    "(text that is not a number, or an error value)",
                )
            out[i, j] = number
    return out


def _history(revenue: list[list[Any]], spends: list[list[Any]], controls: list[list[Any]] | None):
    y = _numbers(revenue, "revenue", blank_is_zero=False)
    if min(y.shape) != 1:
        raise ArgumentError(ExcelError.VALUE, "revenue must be one column (one row per period)")
    y = y.reshape(-1)
    s = _numbers(spends, "spends", blank_is_zero=True)
    if s.shape[0] != y.size and s.shape[1] == y.size:
        s = s.T  # channels in rows, periods in columns
    if s.shape[0] != y.size:
        raise ArgumentError(
            ExcelError.VALUE,
            f"spends has {s.shape[0]} rows but revenue has {y.size}: one row per period",
        )
    c = None
    if controls is not None and not all(_blank(v) for r in controls for v in r):
        c = _numbers(controls, "controls", blank_is_zero=True)
        if c.shape[0] != y.size and c.shape[1] == y.size:
            c = c.T
        if c.shape[0] != y.size:
            raise ArgumentError(
                ExcelError.VALUE, f"controls has {c.shape[0]} rows but revenue has {y.size}"
            )
    return y, s, c


def _lift_tests(rows: list[list[Any]] | None) -> tuple:
    from ..mix.fit import LiftTest

    if rows is None:
        return ()
    tests = []
    for i, row in enumerate(rows):
        if all(_blank(v) for v in row):
            continue
        row = list(row) + [None] * (5 - len(row))
        name = row[0]
        numbers = [cell(v) for v in row[1:5]]
        if not isinstance(name, str) or any(_blank(v) for v in row[1:5]):
            if i == 0 and not tests:
                continue  # a header row
            raise ArgumentError(
                ExcelError.VALUE,
                f"lift_tests row {i + 1}: channel, first period, last period, measured "
                "incremental revenue, standard error",
            )
        for number, code in numbers:
            if code:
                if i == 0 and not tests:
                    break
                raise ArgumentError(ExcelError(code), f"lift_tests row {i + 1} is not numeric")
        else:
            first, last, value, se = (n for n, _ in numbers)
            tests.append(LiftTest(name.strip(), int(first), int(last), value, se))
    return tuple(tests)


def _fingerprint(*arrays: Any) -> tuple:
    parts = []
    for a in arrays:
        if isinstance(a, np.ndarray):
            parts.append((a.shape, a.tobytes()))
        else:
            parts.append(a)
    return tuple(parts)


def _fit(y, s, c, names, adstock, saturation, lifts, ppy):
    # the language too: the fit's warnings are in it
    fingerprint = _fingerprint(y, s, c, tuple(names), adstock, saturation, lifts, ppy, language())
    return _cached(
        _CACHE, fingerprint, lambda: _fit_now(y, s, c, names, adstock, saturation, lifts, ppy)
    )


def _fit_now(y, s, c, names, adstock, saturation, lifts, ppy):
    from ..mix.fit import FitError, fit_mix

    try:
        with np.errstate(all="ignore"):
            return fit_mix(
                y,
                s,
                names,
                c,
                adstock=adstock,
                saturation=saturation,
                periods_per_year=ppy,
                lift_tests=lifts,
            )
    except FitError as exc:
        raise ArgumentError(ExcelError.from_text(exc.excel) or ExcelError.VALUE, str(exc)) from exc


def fits_cached() -> int:
    """How many fits the process holds (for the tests of the cache)."""
    return len(_CACHE)


def _num(value: float, error: ExcelError = ExcelError.NUM) -> Any:
    value = float(value)
    return value if math.isfinite(value) else error.text


def mmm(
    revenue: list[list[Any]],
    spends: list[list[Any]],
    channel_names: list[str | None] | None,
    controls: list[list[Any]] | None,
    measure: str,
    adstock: str,
    saturation: str,
    lift_tests: list[list[Any]] | None,
    gross_margin: float,
    periods_per_year: float,
) -> Result:
    """MMM: fit once (cached), spill the measure asked for."""
    y, s, c = _history(revenue, spends, controls)
    k = s.shape[1]
    names = [f"{label('channel')} {i + 1}" for i in range(k)]
    for i, name in enumerate((channel_names or [])[:k]):
        if name is not None and name.strip():
            names[i] = name.strip()
    if len({n.casefold() for n in names}) != k:
        raise ArgumentError(ExcelError.VALUE, "channel_names must be distinct")
    if not (math.isfinite(gross_margin) and 0 < gross_margin <= 1):
        raise ArgumentError(ExcelError.NUM, "gross_margin must be in (0, 1]")
    if not (math.isfinite(periods_per_year) and (periods_per_year == 0 or periods_per_year >= 2)):
        raise ArgumentError(ExcelError.NUM, "periods_per_year must be 0 (no seasonality) or ≥ 2")
    ppy = float(periods_per_year) or None
    fit = _fit(y, s, c, names, adstock, saturation, _lift_tests(lift_tests), ppy)
    if measure == "summary":
        return Result(summary_rows(fit, gross_margin))
    if measure == "model":
        return Result(model_rows(fit.model))
    if measure == "fit":
        return Result(fit_rows(fit))
    if measure == "draws":
        return Result(draws_rows(fit))
    return Result(decomposition_rows(fit))


def summary_rows(fit: Any, gross_margin: float = 1.0) -> list[list[Any]]:
    """MMM "summary": a header, then one row per channel."""
    header = [
        label(w)
        for w in (
            "channel",
            "spend",
            "contribution",
            "share_of_spend",
            "share_of_effect",
            "roas",
            "roi_net",
            "marginal_roas",
            "roas_low",
            "roas_high",
        )
    ]
    roi = fit.roi(gross_margin)
    rows: list[list[Any]] = [header]
    for i, name in enumerate(fit.channels):
        div0 = ExcelError.DIV0
        rows.append(
            [
                name,
                _num(fit.spend[i]),
                _num(fit.contribution[i]),
                _num(fit.share_of_spend[i]),
                _num(fit.share_of_effect[i]),
                _num(fit.roas[i], div0),
                _num(roi[i], div0),
                _num(fit.marginal_roas[i]),
                _num(fit.roas_low[i], div0),
                _num(fit.roas_high[i], div0),
            ]
        )
    return rows


def model_rows(model: Any) -> list[list[Any]]:
    """MMM "model": the parameter table the other functions read."""
    return [[label(w) for w in MODEL_COLUMNS], *_channel_rows(model)]


def draws_rows(fit: Any) -> list[list[Any]]:
    """MMM "draws": the model table of the fit (draw 0), then of each model drawn from the
    fit's approximate posterior (:meth:`roi_xl.mix.fit.Posterior.draws`), one block per
    draw with its number in the last column. BUDGET_ALLOCATE's "range" reads it."""
    models = [fit.model, *fit.posterior.draws()]
    rows: list[list[Any]] = [[label(w) for w in DRAWS_COLUMNS]]
    for d, model in enumerate(models):
        rows += [[*row, float(d)] for row in _channel_rows(model)]
    return rows


def _channel_rows(model: Any) -> list[list[Any]]:
    rows = []
    for i, c in enumerate(model.channels):
        rows.append(
            [
                c.channel,
                c.adstock,
                c.saturation,
                _num(c.beta),
                _num(c.decay),
                _num(c.peak_lag),
                _num(c.half),
                _num(c.shape),
                _num(c.current_spend),
                _num(model.baseline) if i == 0 else "",
            ]
        )
    return rows


def fit_rows(fit: Any) -> list[list[Any]]:
    """MMM "fit": measures of fit, then one row per warning."""
    na = ExcelError.NA
    rows: list[list[Any]] = [
        [label("r2"), _num(fit.r2, na)],
        [label("mape"), _num(fit.mape, na)],
        [label("nrmse"), _num(fit.nrmse, na)],
        [label("decomp_rssd"), _num(fit.decomp_rssd, na)],
        [label("holdout_mape"), _num(fit.holdout_mape, na)],
        [label("periods"), float(fit.revenue.size)],
    ]
    rows += [[label("warning"), w] for w in fit.warnings] or [[label("warnings_none"), ""]]
    return rows


def decomposition_rows(fit: Any) -> list[list[Any]]:
    """MMM "decomposition": per period, the baseline and each channel's contribution."""
    rows: list[list[Any]] = [[label("period"), label("baseline"), *fit.channels]]
    for t in range(fit.revenue.size):
        rows.append([float(t + 1), _num(fit.baseline[t])] + [_num(v) for v in fit.contributions[t]])
    return rows


# Reading a model table -----------------------------------------------------------------------


def read_model(rows: list[list[Any]]) -> Any:
    """A model table (MMM's "model" spill, header optional) → a :class:`MixModel`; of a
    "draws" table, the fit's own (draw 0)."""
    return read_models(rows)[0]


def read_models(rows: list[list[Any]]) -> list[Any]:
    """A model table → one :class:`MixModel`; a "draws" table (a draw number in the
    column after the baseline) → one per draw, in the order of their numbers."""
    rows = [(i, row) for i, row in enumerate(rows) if not all(_blank(v) for v in row)]
    drawn = [cell(r[_DRAW]) if len(r) > _DRAW and not _blank(r[_DRAW]) else None for _, r in rows]
    numbered = any(d is not None and not d[1] for d in drawn)
    groups: dict[float, list[tuple[int, list[Any]]]] = {}
    for (i, row), d in zip(rows, drawn):
        if not numbered:  # a model table: whatever stands beside it is not read
            groups.setdefault(0.0, []).append((i, row))
            continue
        if d is None or d[1]:
            if not groups and len(row) > 3 and isinstance(row[3], str) and cell(row[3])[1]:
                continue  # the header row (its beta a label)
            raise ArgumentError(ExcelError.VALUE, f"model row {i + 1}: draw is not a number")
        groups.setdefault(float(d[0]), []).append((i, row))
    if not groups:
        raise ArgumentError(ExcelError.VALUE, "model: no channel row (give MMM's model table)")
    models = [_read_one(groups[d]) for d in sorted(groups)]
    names = models[0].names
    for d, m in zip(sorted(groups), models):
        if m.names != names:
            raise ArgumentError(
                ExcelError.VALUE,
                f"draw {d:g} has the channels {m.names}, draw {sorted(groups)[0]:g} {names}",
            )
    return models


def _read_one(numbered: list[tuple[int, list[Any]]]) -> Any:
    """One model's rows (with their row numbers in the table) → a :class:`MixModel`."""
    from ..mix.model import ChannelCurve, MixModel, ModelError

    channels, baseline = [], None
    for i, row in numbered:
        row = list(row) + [None] * (len(MODEL_COLUMNS) - len(row))
        beta_number, beta_code = cell(row[3])
        if isinstance(row[3], str) and beta_code and not channels:
            continue  # the header row
        words = []
        for j, words_of in ((1, ADSTOCK_WORDS), (2, SATURATION_WORDS)):
            found = words_of.get(key(row[j])) if isinstance(row[j], str) else None
            if found is None:
                raise ArgumentError(
                    ExcelError.VALUE,
                    f"model row {i + 1}: {MODEL_COLUMNS[j]} must be one of "
                    f"{sorted(set(words_of.values()))}, not {row[j]!r}",
                )
            words.append(found)
        numbers = []
        for j in range(3, 9):
            v = row[j]
            if _blank(v) and MODEL_COLUMNS[j] in ("peak_lag", "shape"):
                numbers.append(0.0 if MODEL_COLUMNS[j] == "peak_lag" else 1.0)
                continue
            number, code = cell(v)
            if code or _blank(v):
                raise ArgumentError(
                    ExcelError(code) if code else ExcelError.VALUE,
                    f"model row {i + 1}: {MODEL_COLUMNS[j]} is not a number",
                )
            numbers.append(number)
        if baseline is None and not _blank(row[9]):
            number, code = cell(row[9])
            if code:
                raise ArgumentError(
                    ExcelError(code), f"model row {i + 1}: baseline is not a number"
                )
            baseline = number
        name = "" if _blank(row[0]) else str(row[0]).strip()
        try:
            channels.append(ChannelCurve(name or f"{i + 1}", *words, *numbers))
        except ModelError as exc:
            raise ArgumentError(
                ExcelError.from_text(exc.excel) or ExcelError.NUM, str(exc)
            ) from exc
    if not channels:
        raise ArgumentError(ExcelError.VALUE, "model: no channel row (give MMM's model table)")
    return MixModel(tuple(channels), float(baseline or 0.0))


def mmm_response(model: list[list[Any]], channel: Any, spend: NumberGrid) -> Result:
    """MMM_RESPONSE: incremental revenue per period of one channel at each steady spend."""
    from ..mix.model import ModelError

    mix = read_model(model)
    try:
        curve = mix.channels[mix.index(str(channel))]
    except ModelError as exc:
        raise ArgumentError(ExcelError.NA, str(exc)) from exc
    values = spend.values
    codes = np.zeros(values.shape, dtype=np.int8) if spend.codes is None else spend.codes.copy()
    codes[(codes == 0) & (values < 0)] = ExcelError.NUM
    with np.errstate(all="ignore"):
        out = curve.response(np.where(codes == 0, values, 0.0))
    codes[(codes == 0) & ~np.isfinite(out)] = ExcelError.NUM
    return Result(to_excel(out, codes if codes.any() else None, spend.ndim))


def _per_channel(plan: Any, words: tuple[str, ...], heads: tuple[str, ...] = ()) -> list[list[Any]]:
    """A header (the labels of ``heads``, default ``words``), then each channel's name and
    the plan's attributes named by ``words``."""
    rows: list[list[Any]] = [[label(w) for w in ("channel", *(heads or words))]]
    for i, name in enumerate(plan.channels):
        rows.append([name, *(_num(getattr(plan, w)[i]) for w in words)])
    return rows


def _plan_rows(plan: Any) -> list[list[Any]]:
    words = ("today", "recommended", "change", "revenue_today", "revenue_recommended")
    rows = _per_channel(plan, (*words, "marginal_roas"))
    rows.append([label("total"), *(_num(getattr(plan, w).sum()) for w in words), ""])
    return rows


def _bound(value: np.ndarray | None) -> np.ndarray | None:
    return None if value is None else np.asarray(value, dtype=float)


def _allocation(function, model, amount, min_spend, max_spend):
    return _plan_of(function, read_model(model), amount, min_spend, max_spend)


def _plan_of(function, mix, amount, min_spend, max_spend):
    from ..mix.allocate import InfeasibleBudget

    if not math.isfinite(amount):
        raise ArgumentError(ExcelError.NUM, "the amount must be a finite number")
    try:
        with np.errstate(all="ignore"):
            return function(mix, amount, _bound(min_spend), _bound(max_spend))
    except InfeasibleBudget as exc:
        raise ArgumentError(ExcelError.from_text(exc.excel) or ExcelError.NUM, str(exc)) from exc


def budget_allocate(
    model: list[list[Any]],
    budget: float,
    min_spend: np.ndarray | None,
    max_spend: np.ndarray | None,
    measure: str,
) -> Result:
    """BUDGET_ALLOCATE: the split of a budget per period that brings the most revenue."""
    from ..mix.allocate import allocate

    if measure == "range":
        return Result(_range_rows(model, budget, min_spend, max_spend))
    return _plan_result(allocate, model, budget, min_spend, max_spend, measure, "uplift")


_RANGES: OrderedDict[tuple, list[list[Any]]] = OrderedDict()


def _range_rows(model, amount, min_spend, max_spend, target: bool = False) -> list[list[Any]]:
    """BUDGET_ALLOCATE "range": the plan of the fit (draw 0 of MMM's "draws" table) with the
    5th–95th percentiles, over the other draws, of each channel's best spend and of the
    uplift the plan brings: what :func:`roi_xl.mix.allocate.with_spread` gives in Python.
    BUDGET_FOR_TARGET's (``target``): of the least budget and its split
    (:func:`~roi_xl.mix.allocate.target_with_spread`). Cached on its inputs: a sheet reads
    the table cell by cell."""
    fingerprint = (
        tuple(tuple(map(repr, row)) for row in model),
        amount,
        target,
        _fingerprint(_bound(min_spend), _bound(max_spend)),
        language(),
    )
    return _cached(
        _RANGES, fingerprint, lambda: _ranges_now(model, amount, min_spend, max_spend, target)
    )


def _ranges_now(model, amount, min_spend, max_spend, target: bool) -> list[list[Any]]:
    from ..mix.allocate import allocate, budget_for_target, target_with_spread, with_spread

    models = read_models(model)
    if len(models) < 2:
        raise ArgumentError(
            ExcelError.VALUE,
            'range needs MMM\'s "draws" table (MMM(…, "draws")): a model table holds no '
            "uncertainty",
        )
    lo, hi = _bound(min_spend), _bound(max_spend)
    plan = _plan_of(budget_for_target if target else allocate, models[0], amount, lo, hi)
    with np.errstate(all="ignore"):
        if target:
            plan = target_with_spread(plan, models[1:], amount, lo, hi)
        else:
            plan = with_spread(plan, models[1:], lo, hi)
    rows = _per_channel(
        plan,
        ("recommended", "recommended_low", "recommended_high"),
        ("recommended", "range_low", "range_high"),
    )
    if target:  # an infinite high: more than 5 % of the draws cannot reach the target
        rows.append(
            [label("budget"), _num(plan.budget), _num(plan.budget_low), _num(plan.budget_high)]
        )
    else:
        rows.append(
            [label("uplift"), _num(plan.uplift), _num(plan.uplift_low), _num(plan.uplift_high)]
        )
    return rows


def budget_for_target(
    model: list[list[Any]],
    target_revenue: float,
    min_spend: np.ndarray | None,
    max_spend: np.ndarray | None,
    measure: str,
) -> Result:
    """BUDGET_FOR_TARGET: the least budget per period that reaches the target, and its split."""
    from ..mix.allocate import budget_for_target as search

    if measure == "range":
        return Result(_range_rows(model, target_revenue, min_spend, max_spend, target=True))
    return _plan_result(search, model, target_revenue, min_spend, max_spend, measure, "budget")


def _plan_result(function, model, amount, min_spend, max_spend, measure, one_number) -> Result:
    """The plan's table, or the one number ``measure`` asks for (an Allocation attribute)."""
    plan = _allocation(function, model, amount, min_spend, max_spend)
    return Result(_num(getattr(plan, one_number)) if measure == one_number else _plan_rows(plan))
