"""Lift test: treated vs control, incremental profit and ROI, sample-size planner (seed 003)."""

from roi_xl.templates.model import Calc, Chart, Input, Section, T, Template

from ._common import ADD_IN_NOTE

_GROUPS = {
    "treated_conversions": "treated_conversions",
    "treated_size": "treated_size",
    "control_conversions": "control_conversions",
    "control_size": "control_size",
}
_RATES = {
    **_GROUPS,
    "treated_rate": "treated_rate",
    "control_rate": "control_rate",
    "lift": "lift",
    "confidence": "confidence",
}


def _calc(key: str, label: T, metric: str, kind: str, note: T | None = None) -> Calc:
    return Calc(key, label, metric, _RATES | {"z": "z"}, kind, note, named=True)


TEMPLATE = Template(
    name="lift-test",
    seed="003",
    title=T("リフトテスト(純増効果)と ROI", "Lift test: incremental effect and ROI"),
    sheet=T("リフトテスト", "Lift test"),
    summary=T(
        "施策群とコントロール群の成約率の差から純増利益と ROI、必要サンプル数を計算",
        "Incremental conversions, profit and ROI from a treated vs control test; "
        "sample size planner",
    ),
    explanation=[
        T(
            "施策をしなくても買う人がいるので、効果は施策群とコントロール群の成約率の差(リフト)"
            "で測ります: 純増成約数 = 施策群の人数 × リフト、純増売上 = 純増成約数 × 客単価。",
            "Some customers buy anyway, so the effect is the difference in conversion rate "
            "between the treated and the control group (lift): incremental conversions = "
            "treated size × lift; incremental revenue = that × revenue per conversion.",
        ),
        T(
            "マーケティング ROI =(純増売上 − 原価 − 販売費 − マーケティング費用)÷ マーケティング"
            "費用。p 値は 2 標本の比率の z 検定(プール分散、両側)、信頼区間はワルド法です。",
            "Marketing ROI = (incremental revenue − its cost of sales − selling expenses − "
            "marketing cost) ÷ marketing cost. The p-value is a two-sided two-proportion "
            "z-test (pooled); the interval is Wald's.",
        ),
        T(
            "ベイズの欄は一様事前分布の Beta 事後分布による厳密計算(シミュレーションなし)です。",
            "The Bayesian rows are exact (no simulation) under Beta posteriors from a uniform "
            "prior.",
        ),
    ],
    blocks=[
        Section(
            T("テスト結果(入力)", "Test results (inputs)"),
            [
                Input(
                    "treated_conversions",
                    T("施策群の成約数", "Treated group: conversions"),
                    300,
                    "count",
                    at_most="treated_size",
                ),
                Input(
                    "treated_size",
                    T("施策群の人数(アプローチ数)", "Treated group: size"),
                    10_000,
                    "count_pos",
                ),
                Input(
                    "control_conversions",
                    T("コントロール群の成約数", "Control group: conversions"),
                    200,
                    "count",
                    at_most="control_size",
                ),
                Input(
                    "control_size",
                    T("コントロール群の人数", "Control group: size"),
                    10_000,
                    "count_pos",
                ),
                Input("confidence", T("信頼水準", "Confidence level"), 0.95, "prob"),
            ],
        ),
        Section(
            T("お金(入力)", "Money (inputs)"),
            [
                Input(
                    "unit_price", T("客単価(1 成約あたり売上)", "Revenue per conversion"), 30_000
                ),
                Input(
                    "gross_margin",
                    T("粗利率", "Gross margin"),
                    0.30,
                    "margin",
                    T("純増売上 × (1 − 粗利率) が原価", "Cost of sales = revenue × (1 − margin)"),
                ),
                Input(
                    "selling_expenses",
                    T("販売費(マーケティング費用以外)", "Selling expenses (not marketing)"),
                    100_000,
                ),
                Input(
                    "marketing_cost",
                    T("マーケティング費用", "Marketing cost"),
                    500_000,
                    "money_pos",
                    T("0 より大きい金額", "Greater than 0"),
                ),
            ],
        ),
        Section(
            T("効果", "Effect"),
            results=True,
            rows=[
                _calc(
                    "treated_rate",
                    T("施策群の成約率", "Treated conversion rate"),
                    "treated_rate",
                    "percent2",
                ),
                _calc(
                    "control_rate",
                    T("コントロール群の成約率", "Control conversion rate"),
                    "control_rate",
                    "percent2",
                ),
                _calc(
                    "lift", T("リフト(成約率の差)", "Lift (rate difference)"), "lift", "percent2"
                ),
                _calc(
                    "relative_lift",
                    T(
                        "相対リフト(リフト ÷ コントロール群の率)",
                        "Relative lift (lift ÷ control rate)",
                    ),
                    "relative_lift",
                    "percent",
                ),
                _calc("z", T("z 値", "z statistic"), "z", "number"),
                _calc(
                    "p_value",
                    T("p 値(両側)", "p-value (two-sided)"),
                    "p_value",
                    "pvalue",
                    T("0.05 未満なら偶然とは考えにくい差", "Below 0.05: unlikely to be chance"),
                ),
                _calc(
                    "ci_low",
                    T("リフトの信頼区間 下限", "Lift: confidence interval low"),
                    "ci_low",
                    "percent2",
                ),
                _calc(
                    "ci_high",
                    T("リフトの信頼区間 上限", "Lift: confidence interval high"),
                    "ci_high",
                    "percent2",
                ),
            ],
        ),
        Section(
            T("ベイズで見ると(AB_BAYES)", "The Bayesian view (AB_BAYES)"),
            results=True,
            rows=[
                Calc(
                    "prob_treated_better",
                    T("施策群の方が良い確率", "P(treated rate > control rate)"),
                    "ab_prob_better",
                    _GROUPS,
                    "percent4",
                    ADD_IN_NOTE,
                    named=True,
                ),
                Calc(
                    "expected_loss",
                    T("施策群を選んだ時の期待損失(成約率)", "Expected loss if treated is chosen"),
                    "ab_expected_loss",
                    _GROUPS,
                    "pvalue",
                    ADD_IN_NOTE,
                    named=True,
                ),
            ],
        ),
        Section(
            T("純増利益と ROI", "Incremental profit and ROI"),
            results=True,
            rows=[
                _calc(
                    "incremental_conversions",
                    T("純増成約数(施策群の人数 × リフト)", "Incremental conversions (size × lift)"),
                    "incremental_conversions",
                    "expected",
                ),
                Calc(
                    "incremental_revenue",
                    T("純増売上", "Incremental revenue"),
                    "product",
                    {"a": "incremental_conversions", "b": "unit_price"},
                    named=True,
                ),
                Calc(
                    "incremental_cost_of_sales",
                    T("純増売上の原価", "Its cost of sales"),
                    "cost_of_sales_from_margin",
                    {"revenue": "incremental_revenue", "gross_margin": "gross_margin"},
                    named=True,
                ),
                Calc(
                    "incremental_profit",
                    T("純増利益", "Incremental profit"),
                    "marketing_profit",
                    {
                        "revenue": "incremental_revenue",
                        "cost_of_sales": "incremental_cost_of_sales",
                        "selling_expenses": "selling_expenses",
                        "marketing_cost": "marketing_cost",
                    },
                    named=True,
                    bad_below=0,
                ),
                Calc(
                    "incremental_roi",
                    T("マーケティング ROI(純増ベース)", "Marketing ROI on the increment"),
                    "marketing_roi",
                    {
                        "revenue": "incremental_revenue",
                        "cost_of_sales": "incremental_cost_of_sales",
                        "selling_expenses": "selling_expenses",
                        "marketing_cost": "marketing_cost",
                    },
                    "roi",
                    T("損益分岐 0%。マイナスは赤", "Break-even 0 %; red when negative"),
                    named=True,
                ),
            ],
        ),
        Section(
            T(
                "割付のチェック(SRM: サンプル比率のずれ)",
                "Is the split what was planned? (sample-ratio mismatch)",
            ),
            [
                Input(
                    "treated_share",
                    T("計画した施策群の割合", "Planned share of the treated group"),
                    0.5,
                    "prob",
                    T("50% = 半々に割り付けた", "50 % = a 50/50 split"),
                ),
                Calc(
                    "srm_observed_treated",
                    T("施策群の人数(実績)", "Treated group size (actual)"),
                    "copy",
                    {"value": "treated_size"},
                    "count",
                ),
                Calc(
                    "srm_observed_control",
                    T("コントロール群の人数(実績)", "Control group size (actual)"),
                    "copy",
                    {"value": "control_size"},
                    "count",
                ),
                Calc(
                    "srm_expected_treated",
                    T("施策群の人数(計画どおりなら)", "Treated group size (as planned)"),
                    "split_share",
                    {"a": "treated_size", "b": "control_size", "share": "treated_share"},
                    "expected",
                ),
                Calc(
                    "srm_expected_control",
                    T("コントロール群の人数(計画どおりなら)", "Control group size (as planned)"),
                    "split_rest",
                    {"a": "treated_size", "b": "control_size", "share": "treated_share"},
                    "expected",
                ),
                Calc(
                    "srm_p_value",
                    T("SRM 検定の p 値(0.001 未満は赤)", "SRM p-value (red below 0.001)"),
                    "srm_p_value",
                    {"sizes": "srm_observed", "expected": "srm_expected"},
                    "pvalue",
                    T(
                        "0.001 未満なら割付が壊れており、上の結果は信頼できません",
                        "Below 0.001 the split is broken: do not trust the results above",
                    ),
                    named=True,
                    bad_below=0.001,
                ),
            ],
            results=True,
        ),
        Section(
            T("次のテストの設計(必要サンプル数)", "Planning the next test (sample size)"),
            [
                Input(
                    "baseline_rate",
                    T("ベースラインの成約率", "Baseline conversion rate"),
                    0.02,
                    "prob",
                ),
                Input(
                    "minimum_detectable_lift",
                    T("検出したい最小リフト(絶対値)", "Smallest lift to detect (absolute)"),
                    0.01,
                    "prob",
                    T("例: 2% → 3% なら 1%", "e.g. 2 % → 3 % is 1 %"),
                ),
                Input(
                    "alpha", T("有意水準 α(両側)", "Significance level α (two-sided)"), 0.05, "prob"
                ),
                Input("power", T("検出力 1 − β", "Power 1 − β"), 0.80, "prob"),
                Calc(
                    "sample_size",
                    T("1 群あたりの必要人数", "Subjects needed per group"),
                    "sample_size",
                    {
                        "baseline_rate": "baseline_rate",
                        "minimum_detectable_lift": "minimum_detectable_lift",
                        "alpha": "alpha",
                        "power": "power",
                    },
                    "count",
                    T("施策群・コントロール群それぞれ", "In each group"),
                    named=True,
                ),
            ],
        ),
    ],
    ranges={
        "srm_observed": ["srm_observed_treated", "srm_observed_control"],
        "srm_expected": ["srm_expected_treated", "srm_expected_control"],
    },
    charts=[
        Chart(
            T("成約率: 施策群 vs コントロール群", "Conversion rate: treated vs control"),
            "col",
            [(T("成約率", "Conversion rate"), ("treated_rate", "control_rate"))],
            ("@treated_rate", "@control_rate"),
            percent=True,
        ),
    ],
)
