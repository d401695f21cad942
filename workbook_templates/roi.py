"""ROI of a marketing programme, net and gross basis (seed 002)."""

from roi_xl.templates.model import Calc, Chart, Input, Section, T, Template

from ._common import BENCHMARKS

_TOTALS = {
    "revenue": "revenue_total",
    "cost_of_sales": "cost_of_sales_total",
    "investment": "investment_total",
}

TEMPLATE = Template(
    name="roi",
    seed="002",
    title=T("ROI(投資対効果)計算シート", "ROI (return on investment) calculator"),
    sheet=T("ROI", "ROI"),
    summary=T(
        "売上・原価・投資の内訳から ROI を純利益ベースと粗利ベースで計算",
        "ROI from revenue, cost of sales and investment, on the net and gross basis",
    ),
    explanation=[
        T(
            "ROI(純利益ベース)=(売上 − 原価 − 投資額)÷ 投資額。0% で投資を回収、"
            "マイナスは赤字です。粗利ベース =(売上 − 原価)÷ 投資額 は 100% が回収ラインです。",
            "ROI (net) = (revenue − cost of sales − investment) ÷ investment: 0 % is "
            "break-even, below is a loss. Gross basis = (revenue − cost of sales) ÷ investment, "
            "break-even at 100 %.",
        ),
        T(
            "例は seed 002 の数字です: 売上 1,000万円、原価 350万円、投資 272万円 → ROI 139%。",
            "The example is seed 002: revenue 10,000,000, cost of sales 3,500,000, "
            "investment 2,720,000 → ROI 139 %.",
        ),
    ],
    blocks=[
        Section(
            T("売上(マーケティング施策で獲得した売上)", "Revenue won by marketing"),
            [
                Input(
                    "revenue_new",
                    T("新規リードからの成約・売上", "New customers from leads"),
                    8_000_000,
                ),
                Input(
                    "revenue_upsell",
                    T("追加購入・アップセル", "Repeat purchases and upsell"),
                    2_000_000,
                ),
            ],
        ),
        Section(
            T("原価", "Cost of sales"),
            [
                Input(
                    "cost_goods", T("商品・サービスの原価", "Cost of goods and services"), 3_000_000
                ),
                Input(
                    "cost_service",
                    T("問い合わせ対応などの直接コスト", "Direct costs (enquiries, samples)"),
                    500_000,
                ),
            ],
        ),
        Section(
            T("投資額(マーケティング全体のコスト)", "Investment (all marketing cost)"),
            [
                Input("investment_content", T("コンテンツ制作費用", "Content production"), 500_000),
                Input(
                    "investment_ma_tool", T("MA ツール利用料", "Marketing automation tool"), 300_000
                ),
                Input(
                    "investment_sns_tool", T("SNS 管理ツール利用料", "Social media tool"), 120_000
                ),
                Input("investment_ads", T("広告費", "Advertising"), 800_000),
                Input("investment_staff", T("社内リソース人件費", "Staff time"), 1_000_000),
            ],
        ),
        Section(
            T("結果", "Results"),
            results=True,
            rows=[
                Calc(
                    "revenue_total",
                    T("売上 合計", "Revenue total"),
                    "sum",
                    {"cells": "revenue_new:revenue_upsell"},
                    named=True,
                ),
                Calc(
                    "cost_of_sales_total",
                    T("原価 合計", "Cost of sales total"),
                    "sum",
                    {"cells": "cost_goods:cost_service"},
                    named=True,
                ),
                Calc(
                    "investment_total",
                    T("投資額 合計", "Investment total"),
                    "sum",
                    {"cells": "investment_content:investment_staff"},
                    named=True,
                ),
                Calc(
                    "net_profit",
                    T(
                        "純利益(売上 − 原価 − 投資額)",
                        "Net profit (revenue − cost of sales − investment)",
                    ),
                    "net_profit",
                    _TOTALS,
                    named=True,
                ),
                Calc(
                    "roi",
                    T("ROI(純利益ベース)", "ROI (net basis)"),
                    "roi",
                    _TOTALS,
                    "roi",
                    T("損益分岐 0%。マイナスは赤で表示", "Break-even 0 %; red when negative"),
                    named=True,
                ),
                Calc(
                    "roi_gross",
                    T("ROI(粗利ベース・回収倍率)", "ROI (gross basis, return ratio)"),
                    "roi_gross",
                    _TOTALS,
                    "roi_gross",
                    T("損益分岐 100%。100% 未満は赤で表示", "Break-even 100 %; red below it"),
                    named=True,
                ),
            ],
        ),
        BENCHMARKS,
    ],
    charts=[
        Chart(
            T("売上・原価・投資・純利益", "Revenue, cost of sales, investment, net profit"),
            "col",
            [(T("金額", "Amount"), ("revenue_total", "net_profit"))],
            ("@revenue_total", "@net_profit"),
        ),
    ],
)
