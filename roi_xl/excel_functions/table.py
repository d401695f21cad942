"""The table of Excel functions (SPEC §3): one entry each, used by every runtime."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import funnel, metrics, stats
from ..errors import ERROR_TEXTS, ExcelError
from ..i18n import default_stage_names, label
from .analytics import ANALYTICS
from .coerce import ArgumentError, to_grid
from .spec import ExcelFunction, Param, elementwise, labels, option_word, single, vector

# Shared parameter descriptions ------------------------------------------------------------

REVENUE = Param("revenue", "number", "Revenue (sales)", "売上高")
COST_OF_SALES = Param("cost_of_sales", "number", "Cost of sales", "売上原価")


def _p(name: str, en: str, ja: str, kind: str = "number", default: Any = None, **kw: Any):
    from .spec import REQUIRED

    return Param(name, kind, en, ja, REQUIRED if default is None else default, **kw)


def _make(name, en, ja, params, checked, result, example, library) -> ExcelFunction:
    params = tuple(params)
    return ExcelFunction(
        name,
        en,
        ja,
        params,
        lambda *args: elementwise(name, checked, params, list(args)),
        result,
        example,
        library=library,
    )


def _scalar(value: Any, argument: str) -> float:
    number, code = to_grid(single(value)).scalar(argument)
    if code:
        raise ArgumentError(ExcelError(code), f"{argument} is an error value")
    return number


def _rates(value: Any) -> np.ndarray:
    g = vector(value, "rates")
    if g.codes is not None and g.codes.any():
        raise ArgumentError(
            ExcelError(int(g.codes[g.codes != 0][0])), "a rate is an error value or text"
        )
    return g.values


def _table(names: list[str], values: np.ndarray, codes: np.ndarray | None) -> list[list[Any]]:
    rows = []
    for i, (n, v) in enumerate(zip(names, values)):
        code = 0 if codes is None else int(codes[i])
        if not code and not np.isfinite(v):
            code = ExcelError.NUM
        rows.append([n, ERROR_TEXTS[code] if code else float(v)])
    return rows


def _stage_names(given: Any, count: int) -> list[str]:
    names = default_stage_names(count)
    if given is not None:
        for i, n in enumerate(labels(given)[:count]):
            if n is not None:
                names[i] = n
    return names


# Funnels -----------------------------------------------------------------------------------


def _backcalc_kernel(target_revenue, unit_price, rates, stage_names, cost_per_top, rounding):
    rounding = option_word("BACKCALC_FUNNEL", BACKCALC.params[5], rounding)
    checked = funnel.backcalc_funnel_checked(
        _scalar(target_revenue, "target_revenue"),
        _scalar(unit_price, "unit_price"),
        _rates(rates),
        rounding,
    )
    n = checked.value.size
    rows = _table(_stage_names(stage_names, n), checked.value, checked.error)
    if cost_per_top is not None:
        cost = _scalar(cost_per_top, "cost_per_top")
        top_ok = checked.error is None or checked.error[0] == 0
        if not top_ok:
            budget: Any = ERROR_TEXTS[int(checked.error[0])]
        elif cost < 0 or not np.isfinite(cost):
            budget = ExcelError.NUM.text
        else:
            budget = float(checked.value[0] * cost)
        rows.append([label("budget"), budget])
    return rows


def _forecast_kernel(top_count, rates, unit_price, stage_names):
    checked = funnel.funnel_forecast_checked(_scalar(top_count, "top_count"), _rates(rates))
    n = checked.value.size
    rows = _table(_stage_names(stage_names, n), checked.value, checked.error)
    if unit_price is not None:
        price = _scalar(unit_price, "unit_price")
        last_ok = checked.error is None or checked.error[-1] == 0
        if not last_ok:
            revenue: Any = ERROR_TEXTS[int(checked.error[-1])]
        elif price < 0 or not np.isfinite(price):
            revenue = ExcelError.NUM.text
        else:
            revenue = float(checked.value[-1] * price)
        rows.append([label("revenue"), revenue])
    return rows


RATES = _p(
    "rates",
    "Stage-to-stage conversion rates, top → deal (a row or column; 0.4 = 40 %)",
    "段階ごとの転換率(上流→受注の順、行または列。0.4 = 40%)",
    kind="vector",
)
STAGE_NAMES = _p(
    "stage_names",
    "Names of the stages, top first (optional)",
    "各段階の名前(上流から、省略可)",
    kind="labels",
    default=(),
)

BACKCALC = ExcelFunction(
    "BACKCALC_FUNNEL",
    "Back-calculate a funnel from a revenue target: the count every stage needs, top first, "
    "deals last; with cost_per_top a last row holds the budget. Spills a table.",
    "売上目標からファネルを逆算し、各段階に必要な件数(上流から受注まで)を返します。"
    "cost_per_top を指定すると最終行に必要予算を追加します。表としてスピルします。",
    (
        _p("target_revenue", "Revenue target", "目標売上(受注金額)", kind="scalar"),
        _p("unit_price", "Revenue per deal (unit price)", "受注単価", kind="scalar"),
        RATES,
        STAGE_NAMES,
        _p(
            "cost_per_top",
            "Cost per unit at the top of the funnel (optional)",
            "ファネル入口1件あたりの費用(省略可)",
            kind="scalar",
            default=(),
        ),
        _p(
            "rounding",
            '"ceil" (default): round every stage up; "none": expected values',
            '"ceil"(既定):各段階を切り上げ/"none":期待値のまま',
            kind="option",
            default="ceil",
            words=funnel.ROUNDING_WORDS,
        ),
    ),
    lambda t, u, r, names, cost, rnd: _backcalc_kernel(
        t, u, r, None if names == () else names, None if cost == () else cost, rnd
    ),
    "table",
    ((3_000_000, 500_000, [[0.0666, 0.4, 0.33]]), "721, 48, 19, 6"),
    spills=True,
)

FORECAST = ExcelFunction(
    "FUNNEL_FORECAST",
    "Project a funnel forward from the top count: the expected count at every stage; with "
    "unit_price a last row holds the revenue. Spills a table.",
    "ファネル入口の件数から各段階の見込み件数を予測します。unit_price を指定すると最終行に"
    "見込み売上を追加します。表としてスピルします。",
    (
        _p(
            "top_count",
            "Count at the top of the funnel (leads, calls…)",
            "ファネル入口の件数(リード数・架電数など)",
            kind="scalar",
        ),
        RATES,
        _p(
            "unit_price",
            "Revenue per deal (optional)",
            "受注単価(省略可)",
            kind="scalar",
            default=(),
        ),
        STAGE_NAMES,
    ),
    lambda top, r, price, names: _forecast_kernel(
        top, r, None if price == () else price, None if names == () else names
    ),
    "table",
    ((50, [[0.5, 0.3, 0.667, 0.3]], 5_000_000), "50, 25, 7.5, 5.0025, 1.50075; 7 503 750"),
    spills=True,
)


# Lift ----------------------------------------------------------------------------------------

LIFT_MEASURE_WORDS = stats.MEASURE_WORDS | {"table": "table", "all": "table", "表": "table"}

_LIFT_PARAMS = (
    _p("treated_conversions", "Conversions in the treated group", "施策群の成約数"),
    _p("treated_size", "Size of the treated group", "施策群の人数(アプローチ数)"),
    _p("control_conversions", "Conversions in the control group", "コントロール群の成約数"),
    _p("control_size", "Size of the control group", "コントロール群の人数"),
    _p(
        "measure",
        "lift (default), relative, incremental, treated_rate, control_rate, z, "
        "p_value, ci_low, ci_high or table (all)",
        "返す値: lift(既定)、relative、incremental、treated_rate、control_rate、z、p_value、"
        "ci_low、ci_high、table(全項目)",
        kind="option",
        default="lift",
        words=LIFT_MEASURE_WORDS,
    ),
    _p(
        "confidence",
        "Confidence level of the interval (default 0.95)",
        "信頼区間の信頼水準(既定 0.95)",
        default=0.95,
    ),
)


def _lift_kernel(tc, tn, cc, cn, measure, confidence):
    word = option_word("LIFT", _LIFT_PARAMS[4], measure)
    if word != "table":
        return elementwise(
            "LIFT", stats.lift_checked, _LIFT_PARAMS, [tc, tn, cc, cn, word, confidence]
        )
    args = [_scalar(v, p.name) for v, p in zip((tc, tn, cc, cn), _LIFT_PARAMS)]
    conf = _scalar(confidence, "confidence")
    rows = []
    for m in stats.MEASURES:
        res = stats.lift_checked(*args, m, conf)
        code = 0 if res.error is None else int(res.error.reshape(-1)[0])
        value = ERROR_TEXTS[code] if code else float(res.value)
        rows.append([label(m, conf=f"{conf:.0%}"), value])
    return rows


LIFT = ExcelFunction(
    "LIFT",
    "Lift test of a treated group against a control group: rate difference, relative lift, "
    "incremental conversions, two-proportion z-test (pooled) and Wald interval.",
    "施策群とコントロール群を比較します:成約率の差(リフト)、相対リフト、純増成約数、"
    "2標本の比率のz検定(プール分散)とワルド信頼区間。",
    _LIFT_PARAMS,
    _lift_kernel,
    "percent",
    ((300, 10_000, 200, 10_000), "1.00 %"),
    spills=True,
    library=stats.lift,
)


# The table --------------------------------------------------------------------------------

FUNCTIONS: dict[str, ExcelFunction] = {
    f.name: f
    for f in (
        _make(
            "ROI",
            'Return on investment. basis "net" (default): (revenue − cost of sales − '
            'investment) ÷ investment, break-even 0 %; "gross": (revenue − cost of sales) '
            "÷ investment, break-even 100 %.",
            'ROI(投資対効果)。basis "net"(既定):(売上高−売上原価−投資額)÷投資額、'
            '損益分岐 0%。"gross":(売上高−売上原価)÷投資額、損益分岐 100%。',
            (
                REVENUE,
                COST_OF_SALES,
                _p("investment", "Investment (must be > 0)", "投資額(0より大きい値)"),
                _p(
                    "basis",
                    '"net" (default) or "gross"',
                    '"net"(純・既定)または "gross"(粗)',
                    kind="option",
                    default="net",
                    words=metrics.BASIS_WORDS,
                ),
            ),
            metrics.roi_checked,
            "percent",
            ((10_000_000, 3_500_000, 2_720_000), "138.97 %"),
            metrics.roi,
        ),
        _make(
            "MARKETING_ROI",
            "Marketing ROI: (revenue − cost of sales − selling expenses − marketing cost) ÷ "
            "marketing cost.",
            "マーケティングROI:(売上高−売上原価−販売費−マーケティング費用)÷マーケティング費用。",
            (
                REVENUE,
                COST_OF_SALES,
                _p(
                    "selling_expenses",
                    "Selling expenses other than marketing",
                    "販売費(マーケティング費用以外)",
                ),
                _p(
                    "marketing_cost",
                    "Marketing cost (must be > 0)",
                    "マーケティング費用(0より大きい値)",
                ),
            ),
            metrics.marketing_roi_checked,
            "percent",
            ((100_000_000, 70_000_000, 5_000_000, 10_000_000), "150.00 %"),
            metrics.marketing_roi,
        ),
        BACKCALC,
        FORECAST,
        LIFT,
        _make(
            "SAMPLE_SIZE",
            "Subjects per group for a two-sided two-proportion test (normal approximation), "
            "rounded up.",
            "2群の比率の差の両側検定に必要な1群あたりのサンプルサイズ(正規近似、切り上げ)。",
            (
                _p(
                    "baseline_rate",
                    "Conversion rate of the control group (0–1)",
                    "ベースラインの成約率(0〜1)",
                ),
                _p(
                    "minimum_detectable_lift",
                    "Smallest lift worth detecting (absolute, or relative when relative is TRUE)",
                    "検出したい最小リフト(絶対値。relative が TRUE なら相対値)",
                ),
                _p(
                    "alpha",
                    "Significance level (default 0.05)",
                    "有意水準(既定 0.05)",
                    default=0.05,
                ),
                _p("power", "Power (default 0.8)", "検出力(既定 0.8)", default=0.8),
                _p(
                    "relative",
                    "TRUE: the lift is relative to the baseline (default FALSE)",
                    "TRUE:リフトをベースラインに対する相対値とみなす(既定 FALSE)",
                    kind="flag",
                    default=False,
                ),
            ),
            stats.sample_size_checked,
            "count",
            ((0.02, 0.01), "3826"),
            stats.sample_size,
        ),
        _make(
            "ROAS",
            "Return on ad spend: revenue ÷ ad spend.",
            "ROAS(広告費用対効果):広告経由の売上÷広告費。",
            (
                _p("revenue", "Revenue from the ads", "広告経由の売上"),
                _p("ad_spend", "Ad spend (must be > 0)", "広告費(0より大きい値)"),
            ),
            metrics.roas_checked,
            "percent",
            ((4_000_000, 200_000), "2000.00 %"),
            metrics.roas,
        ),
        _make(
            "CPA",
            "Cost per acquisition: cost ÷ conversions.",
            "CPA(顧客獲得単価):コスト÷コンバージョン数。",
            (
                _p("cost", "Cost", "コスト"),
                _p("conversions", "Conversions (must be > 0)", "コンバージョン数(0より大きい値)"),
            ),
            metrics.cpa_checked,
            "money",
            ((100_000, 125), "800"),
            metrics.cpa,
        ),
        _make(
            "CVR",
            "Conversion rate: conversions ÷ visits.",
            "CVR(コンバージョン率):コンバージョン数÷サイト訪問数。",
            (
                _p("conversions", "Conversions", "コンバージョン数"),
                _p("visits", "Visits or sessions (must be > 0)", "サイト訪問数・セッション数"),
            ),
            metrics.cvr_checked,
            "percent",
            ((200, 4_000), "5.00 %"),
            metrics.cvr,
        ),
        _make(
            "LTV",
            "Customer lifetime value: average order value × purchase frequency × retention "
            "periods × gross margin.",
            "LTV(顧客生涯価値):平均顧客単価×平均購買頻度×平均継続期間×粗利率。",
            (
                _p("average_order_value", "Average order value", "平均顧客単価"),
                _p("purchase_frequency", "Purchases per period", "期間あたりの平均購買頻度"),
                _p("retention_periods", "Periods a customer stays", "平均継続期間(期間数)"),
                _p(
                    "gross_margin",
                    "Gross margin (default 1 = revenue LTV)",
                    "粗利率(既定 1 = 売上ベース)",
                    default=1.0,
                ),
            ),
            metrics.ltv_checked,
            "money",
            ((1_500, 1, 6), "9,000"),
            metrics.ltv,
        ),
        *ANALYTICS,
    )
}

from .names import FUNCTION_NAMES  # noqa: E402

if tuple(FUNCTIONS) != FUNCTION_NAMES:  # pragma: no cover - a developer's slip, caught at import
    raise RuntimeError(
        "roi_xl/excel_functions/names.py must list exactly the functions of "
        f"table.py, in order: {tuple(FUNCTIONS)}"
    )
