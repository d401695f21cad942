"""Helpers for the template tests: read and write cells through defined names, the
library's answer for each template (the oracle), random inputs inside each domain."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

import roi_xl
from roi_xl.templates import get
from roi_xl.templates.model import Input, Section, Table, items
from workbook_templates.attribution import MODELS
from workbook_templates.mmm import CHANNELS as _MMM_CHANNELS

MMM_CHANNELS = list(_MMM_CHANNELS)
MMM_FIT = ["fit_r2", "fit_mape", "fit_nrmse", "fit_decomp_rssd", "fit_holdout_mape"]
MMM_MODEL = ["beta", "decay", "peak_lag", "half", "shape", "current_spend", "baseline"]
_MMM_SUMMARY = ["spend", "contribution", "share_of_spend", "share_of_effect", "roas", "roi"]
_MMM_SUMMARY += ["marginal_roas", "roas_low", "roas_high"]
_MMM_PLAN = ["recommended", "change", "revenue_today", "revenue_recommended", "marginal_roas"]
_MMM_PLAN += ["recommended_low", "recommended_high"]

#: SPEC §4: key defined names per template (inputs and outputs).
KEY_NAMES = {
    "roi": ["revenue_total", "cost_of_sales_total", "investment_total", "roi", "roi_gross"],
    "marketing-roi": [
        "revenue",
        "cost_of_sales",
        "selling_expenses_total",
        "marketing_cost",
        "marketing_roi",
    ],
    "funnel-budget": [
        "target_revenue",
        "unit_price",
        "funnel_rates",
        "available_budget",
        "cost_per_top",
        "required_deals",
        "required_top",
        "required_budget",
        "budget_gap",
    ],
    "event-roi": [
        "event_cost",
        "followup_cost",
        "leads",
        "unit_price",
        "gross_margin",
        "rates_base",
        "rates_followup",
        "orders_base",
        "roi_base",
        "orders_followup",
        "roi_followup",
    ],
    "lift-test": [
        "treated_conversions",
        "treated_size",
        "control_conversions",
        "control_size",
        "unit_price",
        "gross_margin",
        "selling_expenses",
        "marketing_cost",
        "confidence",
        "baseline_rate",
        "minimum_detectable_lift",
        "alpha",
        "power",
        "treated_rate",
        "control_rate",
        "lift",
        "relative_lift",
        "incremental_conversions",
        "incremental_revenue",
        "p_value",
        "ci_low",
        "ci_high",
        "incremental_roi",
        "sample_size",
        "treated_share",
        "srm_p_value",
        "prob_treated_better",
        "expected_loss",
    ],
    "roi-ranking": ["initiatives_roi", "initiatives_rank"],
    "kpi": [
        "ad_spend",
        "ad_revenue",
        "cost",
        "conversions",
        "visits",
        "average_order_value",
        "purchase_frequency",
        "retention_periods",
        "roas",
        "cpa",
        "cvr",
        "ltv",
        "target_roi",
        "allowable_cpa",
        "required_cvr",
    ],
    "attribution": [
        "paths_path",
        "paths_contacts",
        "paths_conversions",
        "paths_spend",
        "paths_revenue",
        "paths_cost_of_sales",
        "paths_cvr",
        "paths_roi",
        "channels_channel",
        "channels_cost",
        *(f"{t}_{m}" for t in ("channels", "channel_revenue", "channel_roi") for m in MODELS),
    ],
    "mmm": [
        *(f"weeks_{c}" for c in ("week", "revenue", *MMM_CHANNELS, "promotion")),
        "model_channel",
        "budget",
        "min_multiple",
        "max_multiple",
        "target_revenue",
        *MMM_FIT,
        *(f"summary_{c}" for c in ("roas", "marginal_roas", "roas_low", "roas_high")),
        *(f"model_{c}" for c in MMM_MODEL),
        *(f"curves_{c}" for c in MMM_CHANNELS),
        "allocation_recommended",
        "allocation_recommended_low",
        "allocation_recommended_high",
        "uplift",
        "uplift_low",
        "uplift_high",
        "least_budget",
        "least_budget_low",
        "least_budget_high",
        "target_plan_recommended",
    ],
}

#: Key outputs whose cells call our functions by intent (no portable formula): their
#: cached values are the library's, other engines show an error there (#NAME?).
ADD_IN_KEYS = {
    "lift-test": ["prob_treated_better", "expected_loss"],
    "attribution": [
        f"{t}_{m}" for t in ("channels", "channel_revenue", "channel_roi") for m in MODELS
    ],
    "mmm": [
        *MMM_FIT,
        *(f"summary_{c}" for c in _MMM_SUMMARY),
        *(f"model_{c}" for c in MMM_MODEL),
        *(f"allocation_{c}" for c in _MMM_PLAN),
        "uplift",
        "uplift_low",
        "uplift_high",
        "least_budget",
        "least_budget_low",
        "least_budget_high",
        *(f"target_plan_{c}" for c in ("recommended", "revenue", "marginal_roas")),
    ],
}
#: Templates whose native formulas read cells that call our functions (the mmm curves read
#: the model table): other engines recalculate them on :func:`for_other_engines`' copy.
READS_ADD_IN = {"mmm"}
#: Text inputs that random tests keep (paths and channels must name each other).
_KEEP_TEXT = {"attribution", "mmm"}
#: Inputs that random tests keep: the mmm history (a fit of random numbers tells nothing).
_KEEP = {
    "mmm": {f"weeks_{c}" for c in ("week", "revenue", *MMM_CHANNELS, "promotion")}
    | {f"lift_tests_{c}" for c in ("channel", "first", "last", "incremental", "standard_error")}
}
#: Inputs whose domain is narrower than their kind, in one template only.
_SPECIAL_IN = {
    "mmm": {  # inside the bounds: the budget between their sums, the target reachable
        "budget": (1_000_000, 1_500_000),
        "min_multiple": (0.3, 0.8),
        "max_multiple": (1.6, 3.0),
        "target_revenue": (6_900_000, 7_600_000),
    }
}


def cells_of(wb, name: str):
    """The cells a workbook-level defined name points at, row by row (flat list)."""
    dn = wb.defined_names[name]
    ((sheet, ref),) = list(dn.destinations)
    got = wb[sheet][ref.replace("$", "")]
    if not isinstance(got, tuple):
        return [got]
    return [c for row in got for c in (row if isinstance(row, tuple) else (row,))]


def value(wb, name: str) -> Any:
    cells = cells_of(wb, name)
    return cells[0].value if len(cells) == 1 else [c.value for c in cells]


def inputs(name: str) -> dict[str, str]:
    """Input key → kind, for single-cell inputs; table columns as ``table_column``."""
    out: dict[str, str] = {}
    for block in get(name).blocks:
        out |= {i.key: i.kind for i in items(block) if isinstance(i, Input)}
        if isinstance(block, Table):
            out |= {f"{block.name}_{c.key}": c.kind for c in block.columns if c.is_input}
    return out


def at_most(name: str) -> dict[str, str]:
    return {
        i.key: i.at_most
        for b in get(name).blocks
        if isinstance(b, Section)
        for i in b.rows
        if isinstance(i, Input) and i.at_most
    }


_SPECIAL = {  # inputs whose domain is narrower than their kind
    "treated_share": (0.3, 0.7),
    "confidence": (0.80, 0.99),
    "alpha": (0.01, 0.10),
    "power": (0.60, 0.95),
    "baseline_rate": (0.01, 0.30),
    "minimum_detectable_lift": (0.005, 0.05),
}


def random_value(key: str, kind: str, rng: random.Random) -> Any:
    if key in _SPECIAL:
        return round(rng.uniform(*_SPECIAL[key]), 4)
    if kind in ("money", "money_pos"):
        return rng.randrange(10_000, 20_000_000, 1_000)
    if kind == "count":
        return rng.randrange(0, 400)
    if kind == "count_pos":
        return rng.randrange(500, 50_000)
    if kind == "rate":
        return round(rng.uniform(0.02, 1.0), 4)
    if kind == "margin":
        return round(rng.uniform(0.0, 1.0), 3)
    if kind == "number_pos":
        return round(rng.uniform(0.5, 24), 2)
    return f"item {rng.randrange(100)}"


def randomise(wb, name: str, rng: random.Random) -> dict[str, Any]:
    """Put random inputs into ``wb`` through the defined names; returns what was set."""
    kinds = inputs(name)
    limits = at_most(name)
    special = _SPECIAL_IN.get(name, {})
    chosen: dict[str, Any] = {}
    for key, kind in kinds.items():
        if (kind == "text" and name in _KEEP_TEXT) or key in _KEEP.get(name, ()):
            continue
        cells = cells_of(wb, key)
        for c in cells:
            c.value = (
                round(rng.uniform(*special[key]), 4)
                if key in special
                else random_value(key, kind, rng)
            )
        chosen[key] = [c.value for c in cells] if len(cells) > 1 else cells[0].value
    for key, limit in limits.items():
        cell = cells_of(wb, key)[0]
        cell.value = min(cell.value, value(wb, limit))
    return chosen


def engine_errors(name: str) -> list[str]:
    """The key outputs another engine shows as errors (it lacks our functions); none on
    :func:`for_other_engines`' copy, which holds their values."""
    return [] if name in READS_ADD_IN else ADD_IN_KEYS.get(name, [])


def engine_add_in(name: str, lang: str) -> list[str]:
    """:func:`compare_formula_cells`' ``add_in`` for what another engine recalculated."""
    from roi_xl.templates import add_in_cells

    return [] if name in READS_ADD_IN else add_in_cells(name, lang)


def for_other_engines(path, name: str, lang: str = "en"):
    """The file another engine (LibreOffice, Gnumeric, plain formualizer) recalculates.

    Templates of :data:`READS_ADD_IN` get a copy (``…-frozen.xlsx``) in which the cells
    that call our functions hold the values our engine computed, as Excel shows them
    without the add-in; every native formula, including those that read them, is then the
    other engine's own. Other templates: ``path`` itself."""
    import shutil
    from pathlib import Path

    import openpyxl

    from roi_xl.refresh import refresh_file
    from roi_xl.templates import add_in_cells

    path = Path(path)
    if name not in READS_ADD_IN:
        return path
    cells = add_in_cells(name, lang)
    frozen = path.with_name(f"{path.stem}-frozen.xlsx")
    shutil.copyfile(path, frozen)
    cached = openpyxl.load_workbook(frozen, data_only=True).active
    if any(cached[c].value is None for c in cells):  # saved by openpyxl: no cache
        report = refresh_file(frozen, backup=False)
        assert not report.failed and not report.kept, report
        cached = openpyxl.load_workbook(frozen, data_only=True).active
    wb = openpyxl.load_workbook(frozen)
    for c in cells:
        assert isinstance(cached[c].value, (int, float)), (c, cached[c].value)
        wb.active[c].value = cached[c].value
    wb.save(frozen)
    return frozen


def is_error(x: Any) -> bool:
    """An Excel error value as another engine writes it (#NAME?, Err:508, …)."""
    return isinstance(x, str) and (x.startswith("#") or x.startswith("Err:"))


def compare_formula_cells(ours, theirs, label: str, add_in: Sequence[str] = ()) -> int:
    """Assert every formula cell's cached value in ``ours`` equals the value another engine
    computed in ``theirs`` (paths); returns how many cells were compared. ``add_in``: the
    cells that call our functions by intent (``add_in_cells``): there the other engine
    must show an error, and ours a number (checked against the library elsewhere)."""
    import openpyxl
    import pytest

    formulas = openpyxl.load_workbook(ours)
    cached = openpyxl.load_workbook(ours, data_only=True)
    other = openpyxl.load_workbook(theirs, data_only=True)
    checked = 0
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if not (isinstance(c.value, str) and c.value.startswith("=")):
                    continue
                mine = cached[ws.title][c.coordinate].value
                want = other[ws.title][c.coordinate].value
                where = f"{label} {ws.title}!{c.coordinate} {c.value}"
                assert mine is not None, f"{where}: no cached value"
                if c.coordinate in add_in:
                    assert isinstance(mine, (int, float)), where
                    assert is_error(want), f"{where}: another engine computed {want!r}"
                    continue
                if isinstance(want, (int, float)) and not isinstance(want, bool):
                    assert mine == pytest.approx(want, rel=1e-9, abs=1e-9), where
                else:
                    assert mine == want, where
                checked += 1
    return checked


def _f(x: Any) -> float:
    return float(np.asarray(x))


def expected(name: str, wb) -> dict[str, Any]:
    """What the library says the template's named outputs are, from the inputs in ``wb``."""
    v = lambda n: value(wb, n)
    if name == "roi":
        rev = v("revenue_new") + v("revenue_upsell")
        cos = v("cost_goods") + v("cost_service")
        inv = sum(
            v(k)
            for k in (
                "investment_content",
                "investment_ma_tool",
                "investment_sns_tool",
                "investment_ads",
                "investment_staff",
            )
        )
        return {
            "revenue_total": rev,
            "cost_of_sales_total": cos,
            "investment_total": inv,
            "roi": roi_xl.roi(rev, cos, inv),
            "roi_gross": roi_xl.roi(rev, cos, inv, "gross"),
        }
    if name == "marketing-roi":
        sell = sum(
            v(k)
            for k in (
                "selling_advertising",
                "selling_commissions",
                "selling_freight",
                "selling_salaries",
                "selling_travel",
            )
        )
        return {
            "selling_expenses_total": sell,
            "marketing_roi": roi_xl.marketing_roi(
                v("revenue"), v("cost_of_sales"), sell, v("marketing_cost")
            ),
        }
    if name == "funnel-budget":
        counts = roi_xl.backcalc_funnel(v("target_revenue"), v("unit_price"), v("funnel_rates"))
        budget = _f(roi_xl.funnel_budget(counts[0], v("cost_per_top")))
        return {
            "required_top": counts[0],
            "required_appointments": counts[1],
            "required_proposals": counts[2],
            "required_deals": counts[-1],
            "required_budget": budget,
            "budget_gap": v("available_budget") - budget,
        }
    if name == "event-roi":
        out = {}
        for s, cost in (
            ("base", v("event_cost")),
            ("followup", v("event_cost") + v("followup_cost")),
        ):
            orders = roi_xl.funnel_forecast(v("leads"), v(f"rates_{s}"))[-1]
            revenue = orders * v("unit_price")
            cos = revenue * (1 - v("gross_margin"))
            out |= {
                f"orders_{s}": orders,
                f"roi_{s}": roi_xl.roi(revenue, cos, cost, "gross"),
                f"roi_net_{s}": roi_xl.roi(revenue, cos, cost),
            }
        return out
    if name == "lift-test":
        groups = [
            v(k)
            for k in ("treated_conversions", "treated_size", "control_conversions", "control_size")
        ]
        t = roi_xl.lift_table(*groups, confidence=v("confidence"))
        inc_rev = t["incremental"] * v("unit_price")
        return {
            "treated_rate": t["treated_rate"],
            "control_rate": t["control_rate"],
            "lift": t["lift"],
            "relative_lift": t["relative"],
            "z": t["z"],
            "incremental_conversions": t["incremental"],
            "incremental_revenue": inc_rev,
            "p_value": t["p_value"],
            "ci_low": t["ci_low"],
            "ci_high": t["ci_high"],
            "incremental_roi": roi_xl.marketing_roi(
                inc_rev,
                inc_rev * (1 - v("gross_margin")),
                v("selling_expenses"),
                v("marketing_cost"),
            ),
            "sample_size": roi_xl.sample_size(
                v("baseline_rate"), v("minimum_detectable_lift"), v("alpha"), v("power")
            ),
            "srm_p_value": roi_xl.srm_check(
                [groups[1], groups[3]], [v("treated_share"), 1 - v("treated_share")]
            ),
            "prob_treated_better": roi_xl.ab_bayes(*groups, "prob_better"),
            "expected_loss": roi_xl.ab_bayes(*groups, "expected_loss"),
        }
    if name == "roi-ranking":
        rois = roi_xl.roi(
            np.array(v("initiatives_revenue"), float),
            np.array(v("initiatives_cost_of_sales"), float),
            np.array(v("initiatives_spend"), float),
        )
        spend = np.array(v("initiatives_spend"), float)
        return {
            "initiatives_roi": list(rois),
            "initiatives_rank": list(pd.Series(rois).rank(method="min", ascending=False)),
            "initiatives_budget_share": list(spend / spend.sum()),
            "channel_paths_cvr": list(
                roi_xl.cvr(
                    np.array(v("channel_paths_conversions"), float),
                    np.array(v("channel_paths_contacts"), float),
                )
            ),
            "channel_paths_roi": list(
                roi_xl.roi(
                    np.array(v("channel_paths_revenue"), float),
                    np.array(v("channel_paths_cost_of_sales"), float),
                    np.array(v("channel_paths_spend"), float),
                )
            ),
        }
    if name == "kpi":
        return {
            "roas": roi_xl.roas(v("ad_revenue"), v("ad_spend")),
            "cpa": roi_xl.cpa(v("cost"), v("conversions")),
            "cvr": roi_xl.cvr(v("conversions"), v("visits")),
            "ltv": roi_xl.ltv(
                v("average_order_value"), v("purchase_frequency"), v("retention_periods")
            ),
            "allowable_cpa": (
                cpa := roi_xl.allowable_cpa(
                    roi_xl.ltv(
                        v("average_order_value"),
                        v("purchase_frequency"),
                        v("retention_periods"),
                        v("ltv_gross_margin"),
                    ),
                    v("target_roi"),
                )
            ),
            "required_cvr": roi_xl.required_cvr(v("cost") / v("visits"), cpa),
        }
    if name == "attribution":
        paths = v("paths_path")
        conv = np.array(v("paths_conversions"), float)
        rev = np.array(v("paths_revenue"), float)
        cos = np.array(v("paths_cost_of_sales"), float)
        spend = np.array(v("paths_spend"), float)
        contacts = np.array(v("paths_contacts"), float)
        channels, cost = v("channels_channel"), np.array(v("channels_cost"), float)
        out = {
            "paths_cvr": list(roi_xl.cvr(conv, contacts)),
            "paths_roi": list(roi_xl.roi(rev, cos, spend)),
        }
        for model in MODELS:
            a = roi_xl.attribute(paths, conv, model, rev, ">", contacts - conv)
            b = roi_xl.attribute(paths, conv, model, cos, ">", contacts - conv)
            at = {ch: i for i, ch in enumerate(a.channels)}
            bt = {ch: i for i, ch in enumerate(b.channels)}
            credited = [a.conversions[at[c]] for c in channels]
            revenue = [a.values[at[c]] for c in channels]
            cos_c = [b.values[bt[c]] for c in channels]
            out[f"channels_{model}"] = credited
            out[f"channel_revenue_{model}"] = revenue
            out[f"channel_roi_{model}"] = list(roi_xl.roi(np.array(revenue), np.array(cos_c), cost))
        return out
    if name == "mmm":
        return _mmm_expected(wb)
    raise KeyError(name)


def _mmm_expected(wb) -> dict[str, Any]:
    """The library's fit of the sheet's history, its curves, allocation and target budget
    (the kernels' defaults: geometric carryover, Hill saturation, 52 weeks a year)."""
    from roi_xl.mix.allocate import allocate, budget_for_target, target_with_spread, with_spread
    from roi_xl.mix.fit import LiftTest, fit_mix

    v = lambda n: value(wb, n)
    revenue = np.array(v("weeks_revenue"), float)
    spends = np.column_stack([np.array(v(f"weeks_{c}"), float) for c in MMM_CHANNELS])
    controls = np.array(v("weeks_promotion"), float)[:, None]
    lifts = [
        LiftTest(str(name), int(first), int(last), float(value), float(se))
        for name, first, last, value, se in zip(
            *(
                v(f"lift_tests_{c}")
                for c in ("channel", "first", "last", "incremental", "standard_error")
            )
        )
        if name not in (None, "")
    ]
    fit = fit_mix(
        revenue, spends, v("model_channel"), controls, periods_per_year=52.0, lift_tests=lifts
    )
    model = fit.model
    out: dict[str, Any] = {
        "fit_r2": fit.r2,
        "fit_mape": fit.mape,
        "fit_nrmse": fit.nrmse,
        "fit_decomp_rssd": fit.decomp_rssd,
        "fit_holdout_mape": fit.holdout_mape,
        "summary_spend": list(fit.spend),
        "summary_contribution": list(fit.contribution),
        "summary_share_of_spend": list(fit.share_of_spend),
        "summary_share_of_effect": list(fit.share_of_effect),
        "summary_roas": list(fit.roas),
        "summary_roi": list(fit.roi(1.0)),
        "summary_marginal_roas": list(fit.marginal_roas),
        "summary_roas_low": list(fit.roas_low),
        "summary_roas_high": list(fit.roas_high),
        "model_baseline": [model.baseline] * len(model.channels),
    }
    for p in MMM_MODEL[:-1]:
        out[f"model_{p}"] = [getattr(c, p) for c in model.channels]
    grid = np.array(v("curves_spend"), float)
    for key, curve in zip(MMM_CHANNELS, model.channels):
        out[f"curves_{key}"] = list(curve.response(grid))
    low = np.array(v("min_multiple") * model.current_spend)
    high = np.array(v("max_multiple") * model.current_spend)
    plan = allocate(model, v("budget"), low, high)
    # the ranges: the same draws from the fit as MMM's "draws" table (BUDGET_ALLOCATE "range")
    plan = with_spread(plan, fit.posterior.draws(), low, high)
    out |= {
        "allocation_recommended_low": list(plan.recommended_low),
        "allocation_recommended_high": list(plan.recommended_high),
        "uplift_low": plan.uplift_low,
        "uplift_high": plan.uplift_high,
        "allocation_recommended": list(plan.recommended),
        "allocation_change": list(plan.change),
        "allocation_revenue_today": list(plan.revenue_today),
        "allocation_revenue_recommended": list(plan.revenue_recommended),
        "allocation_marginal_roas": list(plan.marginal_roas),
        "uplift": plan.uplift,
    }
    least = budget_for_target(model, v("target_revenue"), low, high)
    least = target_with_spread(least, fit.posterior.draws(), v("target_revenue"), low, high)
    out |= {
        "least_budget": least.budget,
        "least_budget_low": least.budget_low,
        "least_budget_high": least.budget_high,
        "target_plan_recommended": list(least.recommended),
        "target_plan_revenue": list(least.revenue_recommended),
        "target_plan_marginal_roas": list(least.marginal_roas),
    }
    return out
