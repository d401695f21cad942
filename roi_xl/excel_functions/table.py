"""The table of Excel functions (SPEC §3): the ONE list every runtime registers from.

HOW TO ADD A FUNCTION
=====================
Add one :class:`~.spec.ExcelFunction` to ``FUNCTIONS`` below; nothing else. From that
entry the xlwings UDF module ``roi_udfs`` generates a real Python function with the Excel
name, signature, defaults and bilingual help (classic add-in and Office.js route alike),
the refresh engine registers it in formualizer, and ``roi-xl calc`` / ``roi-xl functions``
and the README's reference (``roi-xl functions --markdown``) list it. Put the arithmetic in
the library first (``roi_xl/metrics.py``, ``funnel.py``, ``stats.py``), as a function
``xyz`` and its ``xyz_checked`` variant (same arguments, returns a ``Checked``: values plus
an Excel error code per bad element, see :mod:`roi_xl._checked`). Then::

    ExcelFunction(
        "ROAS",
        "Return on ad spend: revenue ÷ ad spend.",              # help, English
        "ROAS(広告費用対効果):広告経由の売上÷広告費。",          # help, Japanese
        (
            grid("revenue", "Revenue from the ads", "広告経由の売上"),
            grid("ad_spend", "Ad spend (must be > 0)", "広告費(0より大きい値)"),
        ),
        each("roi_xl.metrics:roas_checked"),   # element by element over broadcast ranges
        "percent",                             # how roi-xl calc shows it
        ((4_000_000, 200_000), "2000.00 %"),   # an example: arguments → what the cell shows
    ),

Parameters are made by the kinds in :mod:`.kinds` (``grid``, ``scalar``, ``vector``,
``text``, ``text_list``, ``option``, ``flag``; give ``default=`` to make one optional: a
missing argument is then the default, or ``None`` when the default is ``None``). The kernel
receives one converted value per parameter. ``each("module:function")`` runs a
``*_checked`` function over the broadcast grids and passes the other values through;
``call("module:function")`` calls any kernel (see :mod:`.kernels`: a table that spills is a
list of rows). Kernels are named by where they live so that reading this table (the
refresh engine does, to know our names) never imports NumPy. Parameter names must be
Python identifiers, optional ones last. ``tests/test_one_table.py`` checks that a new entry
appears in every runtime.

>>> FUNCTIONS["ROAS"](4_000_000, 200_000)
20.0
"""

from __future__ import annotations

from ..options import BASIS_WORDS, MEASURE_WORDS, ROUNDING_WORDS
from .kinds import flag, grid, option, scalar, text_list, vector
from .spec import ExcelFunction, call, each

# Parameters several functions share ------------------------------------------------------

REVENUE = grid("revenue", "Revenue (sales)", "売上高")
COST_OF_SALES = grid("cost_of_sales", "Cost of sales", "売上原価")
RATES = vector(
    "rates",
    "Stage-to-stage conversion rates, top → deal (a row or column; 0.4 = 40 %)",
    "段階ごとの転換率(上流→受注の順、行または列。0.4 = 40%)",
)
STAGE_NAMES = text_list(
    "stage_names",
    "Names of the stages, top first (optional)",
    "各段階の名前(上流から、省略可)",
    default=None,
)
LIFT_MEASURE_WORDS = MEASURE_WORDS | {"table": "table", "all": "table", "表": "table"}


FUNCTIONS: dict[str, ExcelFunction] = {
    f.name: f
    for f in (
        ExcelFunction(
            "ROI",
            'Return on investment. basis "net" (default): (revenue − cost of sales − '
            'investment) ÷ investment, break-even 0 %; "gross": (revenue − cost of sales) '
            "÷ investment, break-even 100 %.",
            'ROI(投資対効果)。basis "net"(既定):(売上高−売上原価−投資額)÷投資額、'
            '損益分岐 0%。"gross":(売上高−売上原価)÷投資額、損益分岐 100%。',
            (
                REVENUE,
                COST_OF_SALES,
                grid("investment", "Investment (must be > 0)", "投資額(0より大きい値)"),
                option(
                    "basis",
                    '"net" (default) or "gross"',
                    '"net"(純・既定)または "gross"(粗)',
                    BASIS_WORDS,
                    default="net",
                ),
            ),
            each("roi_xl.metrics:roi_checked"),
            "percent",
            ((10_000_000, 3_500_000, 2_720_000), "138.97 %"),
        ),
        ExcelFunction(
            "MARKETING_ROI",
            "Marketing ROI: (revenue − cost of sales − selling expenses − marketing cost) ÷ "
            "marketing cost.",
            "マーケティングROI:(売上高−売上原価−販売費−マーケティング費用)÷マーケティング費用。",
            (
                REVENUE,
                COST_OF_SALES,
                grid(
                    "selling_expenses",
                    "Selling expenses other than marketing",
                    "販売費(マーケティング費用以外)",
                ),
                grid(
                    "marketing_cost",
                    "Marketing cost (must be > 0)",
                    "マーケティング費用(0より大きい値)",
                ),
            ),
            each("roi_xl.metrics:marketing_roi_checked"),
            "percent",
            ((100_000_000, 70_000_000, 5_000_000, 10_000_000), "150.00 %"),
        ),
        ExcelFunction(
            "BACKCALC_FUNNEL",
            "Back-calculate a funnel from a revenue target: the count every stage needs, top "
            "first, deals last; with cost_per_top a last row holds the budget. Spills a table.",
            "売上目標からファネルを逆算し、各段階に必要な件数(上流から受注まで)を返します。"
            "cost_per_top を指定すると最終行に必要予算を追加します。表としてスピルします。",
            (
                scalar("target_revenue", "Revenue target", "目標売上(受注金額)"),
                scalar("unit_price", "Revenue per deal (unit price)", "受注単価"),
                RATES,
                STAGE_NAMES,
                scalar(
                    "cost_per_top",
                    "Cost per unit at the top of the funnel (optional)",
                    "ファネル入口1件あたりの費用(省略可)",
                    default=None,
                ),
                option(
                    "rounding",
                    '"ceil" (default): round every stage up; "none": expected values',
                    '"ceil"(既定):各段階を切り上げ/"none":期待値のまま',
                    ROUNDING_WORDS,
                    default="ceil",
                ),
            ),
            call("roi_xl.excel_functions.kernels:backcalc_table"),
            "table",
            ((3_000_000, 500_000, [[0.0666, 0.4, 0.33]]), "721, 48, 19, 6"),
        ),
        ExcelFunction(
            "FUNNEL_FORECAST",
            "Project a funnel forward from the top count: the expected count at every stage; "
            "with unit_price a last row holds the revenue. Spills a table.",
            "ファネル入口の件数から各段階の見込み件数を予測します。unit_price を指定すると最終行に"
            "見込み売上を追加します。表としてスピルします。",
            (
                scalar(
                    "top_count",
                    "Count at the top of the funnel (leads, calls…)",
                    "ファネル入口の件数(リード数・架電数など)",
                ),
                RATES,
                scalar("unit_price", "Revenue per deal (optional)", "受注単価(省略可)", None),
                STAGE_NAMES,
            ),
            call("roi_xl.excel_functions.kernels:forecast_table"),
            "table",
            (
                (50, [[0.5, 0.3, 0.667, 0.3]], 5_000_000),
                "50, 25, 7.5, 5.0025, 1.50075; 7 503 750",
            ),
        ),
        ExcelFunction(
            "LIFT",
            "Lift test of a treated group against a control group: rate difference, relative "
            "lift, incremental conversions, two-proportion z-test (pooled) and Wald interval.",
            "施策群とコントロール群を比較します:成約率の差(リフト)、相対リフト、純増成約数、"
            "2標本の比率のz検定(プール分散)とワルド信頼区間。",
            (
                grid("treated_conversions", "Conversions in the treated group", "施策群の成約数"),
                grid("treated_size", "Size of the treated group", "施策群の人数(アプローチ数)"),
                grid(
                    "control_conversions",
                    "Conversions in the control group",
                    "コントロール群の成約数",
                ),
                grid("control_size", "Size of the control group", "コントロール群の人数"),
                option(
                    "measure",
                    "lift (default), relative, incremental, treated_rate, control_rate, z, "
                    "p_value, ci_low, ci_high or table (all)",
                    "返す値: lift(既定)、relative、incremental、treated_rate、control_rate、z、"
                    "p_value、ci_low、ci_high、table(全項目)",
                    LIFT_MEASURE_WORDS,
                    default="lift",
                ),
                grid(
                    "confidence",
                    "Confidence level of the interval (default 0.95)",
                    "信頼区間の信頼水準(既定 0.95)",
                    default=0.95,
                ),
            ),
            call("roi_xl.excel_functions.kernels:lift"),
            "percent",
            ((300, 10_000, 200, 10_000), "1.00 %"),
        ),
        ExcelFunction(
            "SAMPLE_SIZE",
            "Subjects per group for a two-sided two-proportion test (normal approximation), "
            "rounded up.",
            "2群の比率の差の両側検定に必要な1群あたりのサンプルサイズ(正規近似、切り上げ)。",
            (
                grid(
                    "baseline_rate",
                    "Conversion rate of the control group (0–1)",
                    "ベースラインの成約率(0〜1)",
                ),
                grid(
                    "minimum_detectable_lift",
                    "Smallest lift worth detecting (absolute, or relative when relative is TRUE)",
                    "検出したい最小リフト(絶対値。relative が TRUE なら相対値)",
                ),
                grid("alpha", "Significance level (default 0.05)", "有意水準(既定 0.05)", 0.05),
                grid("power", "Power (default 0.8)", "検出力(既定 0.8)", 0.8),
                flag(
                    "relative",
                    "TRUE: the lift is relative to the baseline (default FALSE)",
                    "TRUE:リフトをベースラインに対する相対値とみなす(既定 FALSE)",
                    default=False,
                ),
            ),
            each("roi_xl.stats:sample_size_checked"),
            "count",
            ((0.02, 0.01), "3826"),
        ),
        ExcelFunction(
            "ROAS",
            "Return on ad spend: revenue ÷ ad spend.",
            "ROAS(広告費用対効果):広告経由の売上÷広告費。",
            (
                grid("revenue", "Revenue from the ads", "広告経由の売上"),
                grid("ad_spend", "Ad spend (must be > 0)", "広告費(0より大きい値)"),
            ),
            each("roi_xl.metrics:roas_checked"),
            "percent",
            ((4_000_000, 200_000), "2000.00 %"),
        ),
        ExcelFunction(
            "CPA",
            "Cost per acquisition: cost ÷ conversions.",
            "CPA(顧客獲得単価):コスト÷コンバージョン数。",
            (
                grid("cost", "Cost", "コスト"),
                grid("conversions", "Conversions (must be > 0)", "コンバージョン数(0より大きい値)"),
            ),
            each("roi_xl.metrics:cpa_checked"),
            "money",
            ((100_000, 125), "800"),
        ),
        ExcelFunction(
            "CVR",
            "Conversion rate: conversions ÷ visits.",
            "CVR(コンバージョン率):コンバージョン数÷サイト訪問数。",
            (
                grid("conversions", "Conversions", "コンバージョン数"),
                grid("visits", "Visits or sessions (must be > 0)", "サイト訪問数・セッション数"),
            ),
            each("roi_xl.metrics:cvr_checked"),
            "percent",
            ((200, 4_000), "5.00 %"),
        ),
        ExcelFunction(
            "LTV",
            "Customer lifetime value: average order value × purchase frequency × retention "
            "periods × gross margin.",
            "LTV(顧客生涯価値):平均顧客単価×平均購買頻度×平均継続期間×粗利率。",
            (
                grid("average_order_value", "Average order value", "平均顧客単価"),
                grid("purchase_frequency", "Purchases per period", "期間あたりの平均購買頻度"),
                grid("retention_periods", "Periods a customer stays", "平均継続期間(期間数)"),
                grid(
                    "gross_margin",
                    "Gross margin (default 1 = revenue LTV)",
                    "粗利率(既定 1 = 売上ベース)",
                    default=1.0,
                ),
            ),
            each("roi_xl.metrics:ltv_checked"),
            "money",
            ((1_500, 1, 6), "9,000"),
        ),
    )
}
