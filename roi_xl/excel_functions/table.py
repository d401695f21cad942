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
        ja="ROAS(広告費用対効果):広告経由の売上÷広告費。",   # help: Japanese, then English
        en="Return on ad spend: revenue ÷ ad spend.",
        params=(
            grid("revenue", ja="広告経由の売上", en="Revenue from the ads"),
            grid("ad_spend", ja="広告費(0より大きい値)", en="Ad spend (must be > 0)"),
        ),
        kernel=each("roi_xl.metrics:roas_checked"),  # element by element over the ranges
        shows="percent",                             # how roi-xl calc shows the result
        example=((4_000_000, 200_000), "2000.00 %"), # arguments → what the cell shows
    ),

Parameters are made by the kinds in :mod:`.kinds` (``grid``, ``scalar``, ``vector``,
``text``, ``text_list``, ``option``, ``flag``; give ``default=`` to make one optional: a
missing argument is then the default, or ``None`` when the default is ``None``). The kernel
receives one converted value per parameter. ``each("module:function")`` runs a
``*_checked`` function over the broadcast grids and passes the other values through;
``call("module:function")`` calls any kernel (see :mod:`.kernels`: a table that spills is a
list of rows). Kernels are named by where they live so that reading this table (the
refresh engine does, to know our names) never imports NumPy. Parameter names must be
Python identifiers, optional ones last. Help texts are given by keyword, ``ja=`` then
``en=`` (as ``T(ja, en)`` in the templates); users see their language first.
``tests/test_one_table.py`` checks that a new entry appears in every runtime.

>>> FUNCTIONS["ROAS"](4_000_000, 200_000)
20.0
"""

from __future__ import annotations

from ..options import (
    AB_MEASURE_WORDS,
    ADSTOCK_WORDS,
    ALLOCATE_MEASURE_WORDS,
    MMM_MEASURE_WORDS,
    SATURATION_WORDS,
    TARGET_MEASURE_WORDS,
    BASIS_WORDS,
    MEASURE_WORDS,
    MODEL_WORDS,
    PACING_MEASURE_WORDS,
    ROUNDING_WORDS,
    TABLE_WORDS,
)
from .kinds import cells, flag, grid, option, scalar, text, text_list, vector
from .spec import ExcelFunction, call, each

# Parameters several functions share ------------------------------------------------------

REVENUE = grid(
    "revenue",
    ja="売上高",
    en="Revenue (sales)",
)
COST_OF_SALES = grid(
    "cost_of_sales",
    ja="売上原価",
    en="Cost of sales",
)
RATES = vector(
    "rates",
    ja="段階ごとの転換率(上流→受注の順、行または列。0.4 = 40%)",
    en="Stage-to-stage conversion rates, top → deal (a row or column; 0.4 = 40 %)",
)
STAGE_NAMES = text_list(
    "stage_names",
    ja="各段階の名前(上流から、省略可)",
    en="Names of the stages, top first (optional)",
    default=None,
)
LIFT_MEASURE_WORDS = MEASURE_WORDS | TABLE_WORDS
MODEL_TABLE = cells(
    "model",
    ja="MMM の model 表(見出し行は省略可。手で編集してもかまいません)。draws 表なら推定値(0)を使います",
    en="MMM's model table (header optional; it may be edited by hand); of a draws table, the fit's (0)",
)
MIN_SPEND = vector(
    "min_spend",
    ja="媒体ごとの下限(1つなら全媒体共通、行か列で媒体ごと。既定 現在の0.5倍)",
    en="Lower bound per channel (one value for all, or one per channel; default 0.5× today's)",
    default=None,
)
MAX_SPEND = vector(
    "max_spend",
    ja="媒体ごとの上限(既定 現在の2倍)",
    en="Upper bound per channel (default 2× today's)",
    default=None,
)


FUNCTIONS: dict[str, ExcelFunction] = {
    f.name: f
    for f in (
        ExcelFunction(
            "ROI",
            ja=(
                'ROI(投資対効果)。basis "net"(既定):(売上高−売上原価−投資額)÷投資額、'
                '損益分岐 0%。"gross":(売上高−売上原価)÷投資額、損益分岐 100%。'
            ),
            en=(
                'Return on investment. basis "net" (default): (revenue − cost of sales − '
                'investment) ÷ investment, break-even 0 %; "gross": (revenue − cost of sales) ÷ '
                "investment, break-even 100 %."
            ),
            params=(
                REVENUE,
                COST_OF_SALES,
                grid(
                    "investment",
                    ja="投資額(0より大きい値)",
                    en="Investment (must be > 0)",
                ),
                option(
                    "basis",
                    ja='"net"(純・既定)または "gross"(粗)',
                    en='"net" (default) or "gross"',
                    words=BASIS_WORDS,
                    default="net",
                ),
            ),
            kernel=each("roi_xl.metrics:roi_checked"),
            shows="percent",
            example=((10_000_000, 3_500_000, 2_720_000), "138.97 %"),
        ),
        ExcelFunction(
            "MARKETING_ROI",
            ja="マーケティングROI:(売上高−売上原価−販売費−マーケティング費用)÷マーケティング費用。",
            en=(
                "Marketing ROI: (revenue − cost of sales − selling expenses − marketing cost) ÷ "
                "marketing cost."
            ),
            params=(
                REVENUE,
                COST_OF_SALES,
                grid(
                    "selling_expenses",
                    ja="販売費(マーケティング費用以外)",
                    en="Selling expenses other than marketing",
                ),
                grid(
                    "marketing_cost",
                    ja="マーケティング費用(0より大きい値)",
                    en="Marketing cost (must be > 0)",
                ),
            ),
            kernel=each("roi_xl.metrics:marketing_roi_checked"),
            shows="percent",
            example=((100_000_000, 70_000_000, 5_000_000, 10_000_000), "150.00 %"),
        ),
        ExcelFunction(
            "BACKCALC_FUNNEL",
            ja=(
                "売上目標からファネルを逆算し、各段階に必要な件数(上流から受注まで)を返します。"
                "cost_per_top を指定すると最終行に必要予算を追加します。表としてスピルします。"
            ),
            en=(
                "Back-calculate a funnel from a revenue target: the count every stage needs, top "
                "first, deals last; with cost_per_top a last row holds the budget. Spills a "
                "table."
            ),
            params=(
                scalar(
                    "target_revenue",
                    ja="目標売上(受注金額)",
                    en="Revenue target",
                ),
                scalar(
                    "unit_price",
                    ja="受注単価",
                    en="Revenue per deal (unit price)",
                ),
                RATES,
                STAGE_NAMES,
                scalar(
                    "cost_per_top",
                    ja="ファネル入口1件あたりの費用(省略可)",
                    en="Cost per unit at the top of the funnel (optional)",
                    default=None,
                ),
                option(
                    "rounding",
                    ja='"ceil"(既定):各段階を切り上げ/"none":期待値のまま',
                    en='"ceil" (default): round every stage up; "none": expected values',
                    words=ROUNDING_WORDS,
                    default="ceil",
                ),
            ),
            kernel=call("roi_xl.excel_functions.kernels:backcalc_table"),
            shows="table",
            example=((3_000_000, 500_000, [[0.0666, 0.4, 0.33]]), "721, 48, 19, 6"),
        ),
        ExcelFunction(
            "FUNNEL_FORECAST",
            ja=(
                "ファネル入口の件数から各段階の見込み件数を予測します。"
                "unit_price を指定すると最終行に見込み売上を追加します。表としてスピルします。"
            ),
            en=(
                "Project a funnel forward from the top count: the expected count at every stage; "
                "with unit_price a last row holds the revenue. Spills a table."
            ),
            params=(
                scalar(
                    "top_count",
                    ja="ファネル入口の件数(リード数・架電数など)",
                    en="Count at the top of the funnel (leads, calls…)",
                ),
                RATES,
                scalar(
                    "unit_price",
                    ja="受注単価(省略可)",
                    en="Revenue per deal (optional)",
                    default=None,
                ),
                STAGE_NAMES,
            ),
            kernel=call("roi_xl.excel_functions.kernels:forecast_table"),
            shows="table",
            example=(
                (50, [[0.5, 0.3, 0.667, 0.3]], 5_000_000),
                "50, 25, 7.5, 5.0025, 1.50075; 7 503 750",
            ),
        ),
        ExcelFunction(
            "LIFT",
            ja=(
                "施策群とコントロール群を比較します:成約率の差(リフト)、相対リフト、純増成約数、"
                "2標本の比率のz検定(プール分散)とワルド信頼区間。"
            ),
            en=(
                "Lift test of a treated group against a control group: rate difference, relative "
                "lift, incremental conversions, two-proportion z-test (pooled) and Wald interval."
            ),
            params=(
                grid(
                    "treated_conversions",
                    ja="施策群の成約数",
                    en="Conversions in the treated group",
                ),
                grid(
                    "treated_size",
                    ja="施策群の人数(アプローチ数)",
                    en="Size of the treated group",
                ),
                grid(
                    "control_conversions",
                    ja="コントロール群の成約数",
                    en="Conversions in the control group",
                ),
                grid(
                    "control_size",
                    ja="コントロール群の人数",
                    en="Size of the control group",
                ),
                option(
                    "measure",
                    ja=(
                        "返す値: lift(既定)、relative、incremental、treated_rate、control_rate、"
                        "z、p_value、ci_low、ci_high、table(全項目)"
                    ),
                    en=(
                        "lift (default), relative, incremental, treated_rate, control_rate, z, "
                        "p_value, ci_low, ci_high or table (all)"
                    ),
                    words=LIFT_MEASURE_WORDS,
                    default="lift",
                ),
                grid(
                    "confidence",
                    ja="信頼区間の信頼水準(既定 0.95)",
                    en="Confidence level of the interval (default 0.95)",
                    default=0.95,
                ),
            ),
            kernel=call("roi_xl.excel_functions.kernels:lift"),
            shows="percent",
            example=((300, 10_000, 200, 10_000), "1.00 %"),
        ),
        ExcelFunction(
            "SAMPLE_SIZE",
            ja="2群の比率の差の両側検定に必要な1群あたりのサンプルサイズ(正規近似、切り上げ)。",
            en=(
                "Subjects per group for a two-sided two-proportion test (normal approximation), "
                "rounded up."
            ),
            params=(
                grid(
                    "baseline_rate",
                    ja="ベースラインの成約率(0〜1)",
                    en="Conversion rate of the control group (0–1)",
                ),
                grid(
                    "minimum_detectable_lift",
                    ja="検出したい最小リフト(絶対値。relative が TRUE なら相対値)",
                    en=(
                        "Smallest lift worth detecting (absolute, or relative when relative is "
                        "TRUE)"
                    ),
                ),
                grid(
                    "alpha",
                    ja="有意水準(既定 0.05)",
                    en="Significance level (default 0.05)",
                    default=0.05,
                ),
                grid(
                    "power",
                    ja="検出力(既定 0.8)",
                    en="Power (default 0.8)",
                    default=0.8,
                ),
                flag(
                    "relative",
                    ja="TRUE:リフトをベースラインに対する相対値とみなす(既定 FALSE)",
                    en="TRUE: the lift is relative to the baseline (default FALSE)",
                    default=False,
                ),
            ),
            kernel=each("roi_xl.stats:sample_size_checked"),
            shows="count",
            example=((0.02, 0.01), "3826"),
        ),
        ExcelFunction(
            "ROAS",
            ja="ROAS(広告費用対効果):広告経由の売上÷広告費。",
            en="Return on ad spend: revenue ÷ ad spend.",
            params=(
                grid(
                    "revenue",
                    ja="広告経由の売上",
                    en="Revenue from the ads",
                ),
                grid(
                    "ad_spend",
                    ja="広告費(0より大きい値)",
                    en="Ad spend (must be > 0)",
                ),
            ),
            kernel=each("roi_xl.metrics:roas_checked"),
            shows="percent",
            example=((4_000_000, 200_000), "2000.00 %"),
        ),
        ExcelFunction(
            "CPA",
            ja="CPA(顧客獲得単価):コスト÷コンバージョン数。",
            en="Cost per acquisition: cost ÷ conversions.",
            params=(
                grid(
                    "cost",
                    ja="コスト",
                    en="Cost",
                ),
                grid(
                    "conversions",
                    ja="コンバージョン数(0より大きい値)",
                    en="Conversions (must be > 0)",
                ),
            ),
            kernel=each("roi_xl.metrics:cpa_checked"),
            shows="money",
            example=((100_000, 125), "800"),
        ),
        ExcelFunction(
            "CVR",
            ja="CVR(コンバージョン率):コンバージョン数÷サイト訪問数。",
            en="Conversion rate: conversions ÷ visits.",
            params=(
                grid(
                    "conversions",
                    ja="コンバージョン数",
                    en="Conversions",
                ),
                grid(
                    "visits",
                    ja="サイト訪問数・セッション数",
                    en="Visits or sessions (must be > 0)",
                ),
            ),
            kernel=each("roi_xl.metrics:cvr_checked"),
            shows="percent",
            example=((200, 4000), "5.00 %"),
        ),
        ExcelFunction(
            "LTV",
            ja="LTV(顧客生涯価値):平均顧客単価×平均購買頻度×平均継続期間×粗利率。",
            en=(
                "Customer lifetime value: average order value × purchase frequency × retention "
                "periods × gross margin."
            ),
            params=(
                grid(
                    "average_order_value",
                    ja="平均顧客単価",
                    en="Average order value",
                ),
                grid(
                    "purchase_frequency",
                    ja="期間あたりの平均購買頻度",
                    en="Purchases per period",
                ),
                grid(
                    "retention_periods",
                    ja="平均継続期間(期間数)",
                    en="Periods a customer stays",
                ),
                grid(
                    "gross_margin",
                    ja="粗利率(既定 1 = 売上ベース)",
                    en="Gross margin (default 1 = revenue LTV)",
                    default=1.0,
                ),
            ),
            kernel=each("roi_xl.metrics:ltv_checked"),
            shows="money",
            example=((1500, 1, 6), "9,000"),
        ),
        ExcelFunction(
            "ATTRIBUTION",
            ja=(
                "マルチタッチ・アトリビューション(seed 003 ③):経路ごとのコンバージョン(と売上)を"
                "経路上のチャネルに配分します。チャネルごとに1行(配分の多い順)でスピル:チャネル、"
                "配分コンバージョン数、[配分売上]。配分の合計は総数に一致し、空行は無視します。"
                "markov:開始→チャネル→CV/離脱の1次マルコフ連鎖(連続する同一チャネルは1回)の"
                "除去効果に比例して配分。"
            ),
            en=(
                "Multi-touch attribution (seed 003 ③): shares the conversions (and revenue) of "
                "every path among its channels. Spills one row per channel, most credited first: "
                "channel, credited conversions, [credited revenue]. Credit sums to the totals; "
                "blank rows are skipped. markov: first-order Markov chain start → channels → "
                "conversion/null (consecutive repeats merged), credit ∝ removal effect."
            ),
            params=(
                text_list(
                    "paths",
                    ja=(
                        "経路(1行に1経路):接触したチャネルを時系列順に区切り文字でつないだ"
                        "文字列。例 「検索広告 > ディスプレイ > メール」"
                    ),
                    en=(
                        "One path per row: channels in time order joined by the separator, "
                        'e.g. "search > display > email"'
                    ),
                ),
                vector(
                    "conversions",
                    ja="経路ごとのコンバージョン数(paths と同じ行数)",
                    en="Conversions per path (same number of rows as paths)",
                ),
                option(
                    "model",
                    ja=(
                        "モデル:linear(線形・既定)、last(ラストクリック)、first(ファースト"
                        "クリック)、position(接点ベース 40/20/40)、time_decay(1つ前ごとに半減)、"
                        "markov(マルコフ連鎖の除去効果)"
                    ),
                    en=(
                        "linear (default), last, first, position (40/20/40), time_decay (half "
                        "per step back) or markov (removal effect)"
                    ),
                    words=MODEL_WORDS,
                    default="linear",
                ),
                vector(
                    "values",
                    ja="経路ごとの売上(省略可):配分した売上の列を追加",
                    en="Revenue per path (optional): adds a column of credited revenue",
                    default=None,
                ),
                text(
                    "separator",
                    ja="経路内のチャネルの区切り文字(既定 「>」)",
                    en='Between channels in a path (default ">")',
                    default=">",
                ),
                vector(
                    "non_conversions",
                    ja="経路ごとの非コンバージョン数(省略可。markov で使用)",
                    en="Journeys per path that did not convert (optional; used by markov)",
                    default=None,
                ),
            ),
            kernel=call("roi_xl.excel_functions.kernels:attribution"),
            shows="table",
            example=(
                ([["ads > owned > email", "ads > email"]], [[10, 5]], "linear"),
                "ads 5.83, email 5.83, owned 3.33",
            ),
        ),
        ExcelFunction(
            "AB_BAYES",
            ja=(
                "ベイズ A/B テスト(ベータ・二項モデル):施策群の成約率がコントロール群を上回る"
                "確率と、施策群を選んだときの期待損失。シミュレーションなしの厳密計算。事後分布は "
                "Beta(prior_alpha + 成約数, prior_beta + 人数 − 成約数)。"
            ),
            en=(
                "Bayesian A/B test (Beta-Binomial): the probability that the treated rate beats "
                "the control rate, and the expected loss of choosing treated. Exact closed form "
                "(no simulation); posteriors Beta(prior_alpha + conversions, prior_beta + size − "
                "conversions)."
            ),
            params=(
                grid(
                    "treated_conversions",
                    ja="施策群(B)の成約数",
                    en="Conversions in the treated group (B)",
                ),
                grid(
                    "treated_size",
                    ja="施策群の人数",
                    en="Size of the treated group",
                ),
                grid(
                    "control_conversions",
                    ja="コントロール群(A)の成約数",
                    en="Conversions in the control group (A)",
                ),
                grid(
                    "control_size",
                    ja="コントロール群の人数",
                    en="Size of the control group",
                ),
                option(
                    "measure",
                    ja=(
                        "返す値:prob_better(既定)=施策群の成約率がコントロール群を上回る確率、"
                        "expected_loss=施策群を選んだ場合の期待損失(成約率)、table(両方)"
                    ),
                    en=(
                        "prob_better (default): P(treated rate > control rate); expected_loss: "
                        "E[max(control − treated, 0)], the rate lost by choosing treated; table "
                        "(both)"
                    ),
                    words=AB_MEASURE_WORDS | TABLE_WORDS,
                    default="prob_better",
                ),
                grid(
                    "prior_alpha",
                    ja="ベータ事前分布の α(既定 1 = 一様分布)。整数なら厳密計算",
                    en="Beta prior α (default 1, uniform prior); a whole number keeps the result exact",
                    default=1.0,
                ),
                grid(
                    "prior_beta",
                    ja="ベータ事前分布の β(既定 1)",
                    en="Beta prior β (default 1)",
                    default=1.0,
                ),
            ),
            kernel=call("roi_xl.excel_functions.kernels:ab_bayes"),
            shows="percent",
            example=((300, 10_000, 200, 10_000), "99.9997 %"),
        ),
        ExcelFunction(
            "SRM_CHECK",
            ja=(
                "サンプル比率のずれ(SRM)の検定:群の人数が計画した割合(既定は均等)に合っているかの"
                "カイ二乗適合度検定の p値。0.001 未満なら割付が壊れており、テスト結果は信頼できません。"
            ),
            en=(
                "Sample-ratio mismatch check: p-value of Pearson's chi-square test of the group "
                "sizes against the planned shares (default equal). Below 0.001 the split is "
                "broken and the test's result cannot be trusted."
            ),
            params=(
                vector(
                    "observed_sizes",
                    ja="各群の人数(行または列、2群以上)",
                    en="Size of every group (a row or column, 2 groups or more)",
                ),
                vector(
                    "expected_shares",
                    ja="各群の計画割合(重み。例 50, 50 や 0.9, 0.1。既定は均等)",
                    en=(
                        "Planned share of every group (weights, e.g. 50, 50 or 0.9, 0.1; "
                        "default equal)"
                    ),
                    default=None,
                ),
            ),
            kernel=call("roi_xl.excel_functions.kernels:srm_check"),
            shows="number",
            example=(([[10_000, 10_300]],), "0.0352402"),
        ),
        ExcelFunction(
            "ALLOWABLE_CPA",
            ja=(
                "LTV から逆算した許容CPA:LTV ÷ (1 + 目標ROI)。目標ROI 0(既定)なら限界CPA。"
                "LTV は粗利ベース(LTV 関数の gross_margin)で。"
            ),
            en=(
                "The CPA a customer's lifetime value pays for: ltv ÷ (1 + target_roi). With "
                "target_roi 0 (default) the break-even CPA. Use a profit-basis LTV (LTV's "
                "gross_margin)."
            ),
            params=(
                grid(
                    "ltv",
                    ja="顧客1人あたりの LTV(粗利ベース)",
                    en="Lifetime value per customer (profit basis)",
                ),
                grid(
                    "target_roi",
                    ja="獲得費用に対して確保したい ROI(既定 0 = 損益分岐。−1 より大きい値)",
                    en="ROI to keep on the acquisition cost (default 0 = break-even; above −1)",
                    default=0.0,
                ),
            ),
            kernel=each("roi_xl.metrics:allowable_cpa_checked"),
            shows="money",
            example=((2_700, 0.5), "1,800"),
        ),
        ExcelFunction(
            "REQUIRED_CVR",
            ja=(
                "CPA を許容CPA まで下げるのに必要な CVR:クリック単価 ÷ 許容CPA"
                "(100% を超えるならどの CVR でも届きません)。"
            ),
            en=(
                "The conversion rate that brings CPA down to the allowable CPA: cost per click "
                "÷ allowable CPA (above 100 %: no rate can)."
            ),
            params=(
                grid(
                    "cost_per_click",
                    ja="クリック単価(訪問1件あたりの費用)",
                    en="Cost per click (or per visit)",
                ),
                grid(
                    "allowable_cpa",
                    ja="許容CPA(0より大きい値。ALLOWABLE_CPA の結果など)",
                    en="Allowable CPA (must be > 0), e.g. from ALLOWABLE_CPA",
                ),
            ),
            kernel=each("roi_xl.metrics:required_cvr_checked"),
            shows="percent",
            example=((90, 1_800), "5.00 %"),
        ),
        ExcelFunction(
            "BUDGET_PACING",
            ja=(
                "予算の消化ペース:着地見込み = 消化額 ÷ 経過日数 × 期間日数、消化ペース = "
                "着地見込み ÷ 予算(100% 超は使いすぎ)、残り1日あたり予算 = (予算 − 消化額) ÷ "
                "(期間日数 − 経過日数)。"
            ),
            en=(
                "Budget pacing: forecast = spent ÷ days_elapsed × days_total; pacing = forecast "
                "÷ budget (over 100 %: overspending); daily_remaining = (budget − spent) ÷ "
                "(days_total − days_elapsed)."
            ),
            params=(
                grid(
                    "budget",
                    ja="期間の予算",
                    en="Budget of the period",
                ),
                grid(
                    "spent",
                    ja="これまでの消化額",
                    en="Spent so far",
                ),
                grid(
                    "days_elapsed",
                    ja="経過日数(0 より大きく期間日数以下)",
                    en="Days gone (0 < days_elapsed ≤ days_total)",
                ),
                grid(
                    "days_total",
                    ja="期間の日数",
                    en="Days in the period",
                ),
                option(
                    "measure",
                    ja=(
                        "返す値:pacing(既定)=着地見込み÷予算(100% 超は使いすぎ)、forecast=今の"
                        "ペースでの着地見込み、daily_remaining=残り1日あたり予算、table(全項目)"
                    ),
                    en=(
                        "pacing (default): forecast ÷ budget, over 100 % = overspending; "
                        "forecast: spend at the end at today's pace; daily_remaining: left per "
                        "remaining day; table"
                    ),
                    words=PACING_MEASURE_WORDS | TABLE_WORDS,
                    default="pacing",
                ),
            ),
            kernel=call("roi_xl.excel_functions.kernels:budget_pacing"),
            shows="percent",
            example=((3_000_000, 1_200_000, 10, 30), "120.00 %"),
        ),
        ExcelFunction(
            "MMM",
            ja=(
                "マーケティング・ミックス・モデル(MMM):売上と媒体別の広告費の履歴から、各媒体が"
                "実際に上乗せした売上(純増)を推定します。売上 = ベース(切片+トレンド+年次季節性+"
                "コントロール変数)+ Σ beta × 飽和(残存効果(広告費))。beta ≥ 0、決定的(同じ入力なら"
                "同じ結果)。summary:媒体ごとに 広告費、増分売上、費用シェア、効果シェア、ROAS、ROI"
                "(純額)、限界ROAS(次の1円の売上)、ROAS の90%区間。model:他の関数が読むパラメータ表。"
                "fit:R²、MAPE、NRMSE、DECOMP.RSSD、検証期間MAPE、注意。decomposition:期ごとの分解。"
                "draws:推定値(0)と事後分布から引いた 40 組のモデル表(BUDGET_ALLOCATE の range が読む)。"
                "見出し行付きでスピルします。"
            ),
            en=(
                "Marketing-mix model: from the history of revenue and spend per channel, what each "
                "channel really added. Revenue = baseline (intercept + trend + yearly season + "
                "controls) + Σ beta · saturation(carryover(spend)); beta ≥ 0; deterministic. "
                "summary: per channel spend, incremental revenue, share of spend, share of effect, "
                "ROAS, ROI (net), marginal ROAS (the next 1 of spend), 90 % ROAS interval; model: "
                "the parameter table the other functions read; fit: R², MAPE, NRMSE, DECOMP.RSSD, "
                "holdout MAPE, warnings; decomposition: per period; draws: the model table of the "
                "fit (0) and of 40 models drawn from its posterior (BUDGET_ALLOCATE's range reads "
                "it). Spills with a header row."
            ),
            params=(
                cells(
                    "revenue",
                    ja="期ごとの売上(1列、古い順。空白は不可)",
                    en="Revenue per period (one column, oldest first; no blanks)",
                ),
                cells(
                    "spends",
                    ja="期ごとの媒体別広告費(期 × 媒体。空白は 0)",
                    en="Spend per period per channel (periods × channels; blank = 0)",
                ),
                text_list(
                    "channel_names",
                    ja="媒体名(spends の列の順、省略可)",
                    en="Channel names, in the order of the spend columns (optional)",
                    default=None,
                ),
                cells(
                    "controls",
                    ja="コントロール変数(価格、販促、祝日、天候など。期 × 変数、省略可)",
                    en="Controls: price, promotions, holidays, weather (periods × m; optional)",
                    default=None,
                ),
                option(
                    "measure",
                    ja="返す表:summary(既定)、model、fit、decomposition、draws",
                    en="What to spill: summary (default), model, fit, decomposition or draws",
                    words=MMM_MEASURE_WORDS,
                    default="summary",
                ),
                option(
                    "adstock",
                    ja="残存効果:geometric(既定、幾何減衰)、delayed(効果のピークが遅れる。TV など)",
                    en="Carryover: geometric (default) or delayed (the effect peaks later, as TV)",
                    words=ADSTOCK_WORDS,
                    default="geometric",
                ),
                option(
                    "saturation",
                    ja="飽和曲線:hill(既定)、logistic",
                    en="Saturation curve: hill (default) or logistic",
                    words=SATURATION_WORDS,
                    default="hill",
                ),
                cells(
                    "lift_tests",
                    ja=(
                        "リフトテストの結果(1行に1件:媒体、開始期、終了期(1始まり)、測定した増分"
                        "売上、その標準誤差)。推定をテスト結果に寄せます(省略可)"
                    ),
                    en=(
                        "Lift tests, one per row: channel, first period, last period (from 1), "
                        "measured incremental revenue, its standard error; pulls the fit (optional)"
                    ),
                    default=None,
                ),
                scalar(
                    "gross_margin",
                    ja="粗利率(ROI の計算用。既定 1)",
                    en="Gross margin for the ROI column (default 1)",
                    default=1.0,
                ),
                scalar(
                    "periods_per_year",
                    ja="1年の期数(週次 52・既定、月次 12、日次 365。0 で季節性なし)",
                    en="Periods per year: 52 weekly (default), 12 monthly, 365 daily; 0: no season",
                    default=52.0,
                ),
            ),
            kernel=call("roi_xl.excel_functions.mix_kernels:mmm"),
            shows="table",
            example=(
                (
                    [[1000 + 2 * (100 * (t % 3))] for t in range(30)],
                    [[100.0 * (t % 3)] for t in range(30)],
                    [["ads"]],
                    None,
                    "summary",
                    None,
                    None,
                    None,
                    None,
                    0,
                ),
                "ads: ROAS 2.00",
            ),
        ),
        ExcelFunction(
            "MMM_RESPONSE",
            ja=(
                "応答曲線:MMM のモデル表から、1媒体の期あたり広告費(一定で続けた場合)ごとの期"
                "あたり増分売上 = beta × 飽和(広告費 × 残存係数)。spend の範囲に展開します。"
            ),
            en=(
                "Response curve: from MMM's model table, the incremental revenue per period of one "
                "channel at each steady spend per period: beta · saturation(spend · carryover "
                "factor). Broadcasts over spend."
            ),
            params=(
                MODEL_TABLE,
                text("channel", ja="媒体名", en="The channel's name"),
                grid("spend", ja="期あたり広告費(0 以上)", en="Spend per period (≥ 0)"),
            ),
            kernel=call("roi_xl.excel_functions.mix_kernels:mmm_response"),
            shows="money",
            example=(
                ([["TV", "geometric", "hill", 1000, 0.5, 0, 200, 1, 100, 5000]], "TV", 100),
                "500",
            ),
        ),
        ExcelFunction(
            "BUDGET_ALLOCATE",
            ja=(
                "予算配分:期あたりの総予算を、増分売上の合計が最大になるよう媒体に配分します"
                "(媒体ごとの上下限内。既定は現在の 0.5〜2 倍)。最適点では上下限に当たらない媒体の"
                "限界ROAS が等しくなります。table:媒体、現在、推奨、増減、現在の増分売上、推奨時"
                "の増分売上、限界ROAS(最後に合計行)。uplift:期あたりの上積み売上。range:model に"
                "MMM の draws 表を渡すと、媒体ごとの推奨広告費と上積み売上の90%範囲(事後サンプル"
                "ごとの最適配分から)。"
            ),
            en=(
                "Budget allocation: splits a total budget per period among the channels so that "
                "expected incremental revenue is largest, within per-channel bounds (default 0.5× "
                "to 2× today's spend). At the optimum every channel off its bounds has the same "
                "marginal ROAS. table: channel, today, recommended, change, incremental revenue "
                "today and recommended, marginal ROAS (then a total row); uplift: revenue gained "
                "per period; range: given MMM's draws table as the model, the 90 % range of each "
                "channel's best spend and of the uplift, over the models drawn from the fit."
            ),
            params=(
                MODEL_TABLE,
                scalar("budget", ja="期あたりの総予算", en="Total budget per period"),
                MIN_SPEND,
                MAX_SPEND,
                option(
                    "measure",
                    ja="table(既定、配分表)、uplift(期あたりの上積み売上)、range(90%範囲。draws 表から)",
                    en="table (default), uplift (revenue gained per period) or range (90 % ranges; "
                    "needs MMM's draws table)",
                    words=ALLOCATE_MEASURE_WORDS,
                    default="table",
                ),
            ),
            kernel=call("roi_xl.excel_functions.mix_kernels:budget_allocate"),
            shows="money",
            example=(
                (
                    [
                        ["a", "geometric", "hill", 1000, 0, 0, 100, 1, 100, 5000],
                        ["b", "geometric", "hill", 2000, 0, 0, 100, 1, 100, ""],
                    ],
                    200,
                    0,
                    1000,
                    "uplift",
                ),
                "42.89",
            ),
        ),
        ExcelFunction(
            "BUDGET_FOR_TARGET",
            ja=(
                "目標から予算を逆算(seed 000 の逆算法を収穫逓減つきで):期あたりの目標売上(ベース"
                "込み)に届く最小の総予算と、その最適配分。table:BUDGET_ALLOCATE と同じ列、"
                "budget:総予算のみ。range:model に MMM の draws 表を渡すと、最小予算と各媒体の広告費の"
                "90%範囲(事後サンプルの 5% 超が届かなければ上限は #NUM!)。上下限内でどう配分しても"
                "届かないときは #NUM!(届く最大の売上をメッセージで示します)。"
            ),
            en=(
                "Seed 000's back-calculation with diminishing returns: the least total budget per "
                "period whose best split reaches target_revenue per period (baseline included), "
                "and that split. table: BUDGET_ALLOCATE's columns; budget: the total alone; range: "
                "given MMM's draws table as the model, the 90 % range of that budget and of each "
                "channel's spend (its high #NUM! when over 5 % of the draws cannot reach it). #NUM! "
                "when no spend within the bounds reaches it (the message names the most reachable)."
            ),
            params=(
                MODEL_TABLE,
                scalar(
                    "target_revenue",
                    ja="期あたりの目標売上(ベース売上を含む)",
                    en="Target revenue per period (baseline included)",
                ),
                MIN_SPEND,
                MAX_SPEND,
                option(
                    "measure",
                    ja="table(既定)、budget(総予算のみ)、range(90%範囲。draws 表から)",
                    en="table (default), budget (the total alone) or range (90 % ranges; needs "
                    "MMM's draws table)",
                    words=TARGET_MEASURE_WORDS,
                    default="table",
                ),
            ),
            kernel=call("roi_xl.excel_functions.mix_kernels:budget_for_target"),
            shows="money",
            example=(
                (
                    [
                        ["a", "geometric", "hill", 1000, 0, 0, 100, 1, 100, 5000],
                        ["b", "geometric", "hill", 2000, 0, 0, 100, 1, 100, ""],
                    ],
                    6500,
                    0,
                    1000,
                    "budget",
                ),
                "188.56",
            ),
        ),
    )
}
