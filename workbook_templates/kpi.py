"""ROAS, CPA, CVR and LTV calculators (seed 004)."""

from roi_xl.templates.model import Calc, Chart, Input, Section, T, Template

TEMPLATE = Template(
    name="kpi",
    seed="004",
    title=T("広告 KPI 計算シート(ROAS・CPA・CVR・LTV)", "Ad KPIs: ROAS, CPA, CVR, LTV"),
    sheet=T("KPI", "KPI"),
    summary=T(
        "ROAS・CPA・CVR・LTV を計算し、LTV と CPA を比べる",
        "ROAS, CPA, CVR and LTV, with LTV set against CPA",
    ),
    explanation=[
        T(
            "ROAS = 広告経由の売上 ÷ 広告費、CPA = コスト ÷ コンバージョン数、CVR = コンバージョン数 "
            "÷ 訪問数、LTV = 平均顧客単価 × 平均購買頻度 × 平均継続期間。例は seed 004 の数字です。",
            "ROAS = revenue from ads ÷ ad spend, CPA = cost ÷ conversions, CVR = conversions ÷ "
            "visits, LTV = average order value × purchase frequency × retention periods. The "
            "examples are seed 004's.",
        ),
        T(
            "CPA が LTV を下回っていれば、顧客 1 人の獲得費用は生涯の売上で回収できます。",
            "When CPA is below LTV, winning a customer costs less than the customer brings in.",
        ),
        T(
            "LTV から逆算: 許容CPA = 粗利LTV ÷ (1 + 目標ROI)、必要な CVR = 訪問単価 ÷ 許容CPA"
            "(seed 004「LTVから逆算してCPAやCVRを計算」)。",
            "Work back from LTV: allowable CPA = profit LTV ÷ (1 + target ROI), required CVR = "
            "cost per visit ÷ allowable CPA (seed 004: start from LTV).",
        ),
    ],
    blocks=[
        Section(
            T("ROAS(広告費用対効果)", "ROAS (return on ad spend)"),
            [
                Input("ad_spend", T("広告費", "Ad spend"), 200_000, "money_pos"),
                Input("ad_revenue", T("広告経由の売上", "Revenue from the ads"), 4_000_000),
                Calc(
                    "roas",
                    T("ROAS", "ROAS"),
                    "roas",
                    {"revenue": "ad_revenue", "ad_spend": "ad_spend"},
                    "percent",
                    T("2000% = 広告費 1 円が 20 円の売上", "2000 % = 20 of revenue per 1 spent"),
                    named=True,
                ),
            ],
        ),
        Section(
            T("CPA と CVR", "CPA and CVR"),
            [
                Input("cost", T("コスト(月)", "Cost (per month)"), 100_000),
                Input(
                    "conversions",
                    T("コンバージョン数", "Conversions"),
                    125,
                    "count",
                    at_most="visits",
                ),
                Input(
                    "visits",
                    T("サイト訪問数(セッション数)", "Visits (sessions)"),
                    2_500,
                    "count_pos",
                    T(
                        "seed 004 の CVR 例は 200 ÷ 4,000 = 5%(同じ 5% になる値)",
                        "Seed 004's CVR example is 200 ÷ 4,000 = 5 % (same 5 %)",
                    ),
                ),
                Calc(
                    "cpa",
                    T("CPA(顧客獲得単価)", "CPA (cost per acquisition)"),
                    "cpa",
                    {"cost": "cost", "conversions": "conversions"},
                    named=True,
                ),
                Calc(
                    "cvr",
                    T("CVR(コンバージョン率)", "CVR (conversion rate)"),
                    "cvr",
                    {"conversions": "conversions", "visits": "visits"},
                    "percent2",
                    named=True,
                ),
            ],
        ),
        Section(
            T("LTV(顧客生涯価値)", "LTV (customer lifetime value)"),
            [
                Input(
                    "average_order_value",
                    T("平均顧客単価(1 回あたり)", "Average order value"),
                    1_500,
                ),
                Input(
                    "purchase_frequency",
                    T("平均購買頻度(期間あたり回数)", "Purchases per period"),
                    1,
                    "number_pos",
                ),
                Input(
                    "retention_periods",
                    T("平均継続期間(期間数)", "Periods a customer stays"),
                    6,
                    "number_pos",
                    T("例: 月単位なら 6 = 6 か月", "e.g. 6 months"),
                ),
                Calc(
                    "ltv",
                    T("LTV", "LTV"),
                    "ltv",
                    {
                        "average_order_value": "average_order_value",
                        "purchase_frequency": "purchase_frequency",
                        "retention_periods": "retention_periods",
                    },
                    named=True,
                ),
            ],
        ),
        Section(
            T(
                "LTV から逆算する CPA と CVR(seed 004)",
                "From LTV back to the CPA and CVR you can afford (seed 004)",
            ),
            [
                Input(
                    "ltv_gross_margin",
                    T("粗利率(LTV を利益にする)", "Gross margin (turns LTV into profit)"),
                    0.6,
                    "margin",
                ),
                Input(
                    "target_roi",
                    T("目標 ROI(獲得費用に対して)", "Target ROI on the acquisition cost"),
                    0.5,
                    "margin",
                    T("0% = 損益分岐(限界CPA)", "0 % = break-even CPA"),
                ),
                Calc(
                    "profit_ltv",
                    T("LTV(粗利ベース)", "LTV (profit basis)"),
                    "product",
                    {"a": "ltv", "b": "ltv_gross_margin"},
                ),
                Calc(
                    "allowable_cpa",
                    T("許容CPA", "Allowable CPA"),
                    "allowable_cpa",
                    {"ltv": "profit_ltv", "target_roi": "target_roi"},
                    "money",
                    T("粗利LTV ÷ (1 + 目標ROI)", "profit LTV ÷ (1 + target ROI)"),
                    named=True,
                ),
                Calc(
                    "cost_per_click",
                    T("訪問1件あたりの費用", "Cost per visit (click)"),
                    "ratio",
                    {"part": "cost", "whole": "visits"},
                ),
                Calc(
                    "required_cvr",
                    T("必要な CVR", "Required CVR"),
                    "required_cvr",
                    {"cost_per_click": "cost_per_click", "allowable_cpa": "allowable_cpa"},
                    "percent2",
                    T(
                        "これ以上の CVR なら許容CPA 以内(今の CVR と比べる)",
                        "Convert at least this to stay within the allowable CPA (compare CVR)",
                    ),
                    named=True,
                ),
            ],
        ),
        Section(
            T("LTV と CPA の比較", "LTV against CPA"),
            results=True,
            rows=[
                Calc("ltv_shown", T("LTV", "LTV"), "copy", {"value": "ltv"}),
                Calc("cpa_shown", T("CPA", "CPA"), "copy", {"value": "cpa"}),
                Calc(
                    "ltv_to_cpa",
                    T("LTV ÷ CPA(1 未満は赤)", "LTV ÷ CPA (red below 1)"),
                    "ratio",
                    {"part": "ltv", "whole": "cpa"},
                    "number",
                    named=True,
                    bad_below=1,
                ),
            ],
        ),
    ],
    charts=[
        Chart(
            T("LTV と CPA", "LTV vs CPA"),
            "col",
            [(T("金額", "Amount"), ("ltv_shown", "cpa_shown"))],
            ("@ltv_shown", "@cpa_shown"),
        ),
    ],
)
