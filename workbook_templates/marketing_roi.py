"""Marketing ROI with selling expenses by account (seed 003)."""

from roi_xl.templates.model import Calc, Chart, Input, Section, T, Template

from ._common import BENCHMARKS

_ARGS = {
    "revenue": "revenue",
    "cost_of_sales": "cost_of_sales",
    "selling_expenses": "selling_expenses_total",
    "marketing_cost": "marketing_cost",
}

TEMPLATE = Template(
    name="marketing-roi",
    seed="003",
    title=T("マーケティング ROI 計算シート", "Marketing ROI calculator"),
    sheet=T("マーケティングROI", "Marketing ROI"),
    summary=T(
        "粗利から販売費とマーケティング費用を引いたマーケティング ROI",
        "Marketing ROI: gross profit minus selling expenses and marketing cost",
    ),
    explanation=[
        T(
            "マーケティング ROI =(売上 − 原価 − 販売費 − マーケティング費用)÷ マーケティング費用。"
            "0% で回収、マイナスは赤字です。",
            "Marketing ROI = (revenue − cost of sales − selling expenses − marketing cost) ÷ "
            "marketing cost. 0 % is break-even; below is a loss.",
        ),
        T(
            "販売費には、マーケティング費用に含めなかった販売の費用だけを入れます(広告費を"
            "マーケティング費用に入れたら、ここの広告宣伝費には入れないこと。二重計上になります)。"
            "例は seed 003: 売上 1億円、原価 7,000万円、販売費 500万円、マーケティング 1,000万円 → 150%。",
            "Selling expenses are the costs of selling NOT in the marketing cost (if advertising "
            "is your marketing cost, leave it out here, or it counts twice). Example, seed 003: "
            "revenue 100,000,000, cost of sales 70,000,000, selling 5,000,000, marketing "
            "10,000,000 → 150 %.",
        ),
    ],
    blocks=[
        Section(
            T("売上と原価", "Revenue and cost of sales"),
            [
                Input("revenue", T("売上高", "Revenue"), 100_000_000),
                Input("cost_of_sales", T("売上原価", "Cost of sales"), 70_000_000),
            ],
        ),
        Section(
            T(
                "販売費(勘定科目別、マーケティング費用以外)",
                "Selling expenses by account (other than marketing)",
            ),
            [
                Input(
                    "selling_advertising",
                    T(
                        "広告宣伝費(マーケティング費用以外の分)",
                        "Advertising not in the marketing cost",
                    ),
                    500_000,
                    note=T("TVCM・Web 広告・チラシなど", "TV, web ads, flyers"),
                ),
                Input(
                    "selling_commissions",
                    T("販売手数料", "Sales commissions"),
                    1_500_000,
                    note=T("委託業者・代理店への手数料", "Agents and resellers"),
                ),
                Input(
                    "selling_freight",
                    T("荷造運賃", "Packing and freight"),
                    1_000_000,
                    note=T("商品の発送運賃", "Shipping to customers"),
                ),
                Input(
                    "selling_salaries",
                    T("給与手当(営業)", "Sales salaries"),
                    1_500_000,
                    note=T("営業担当の給料・手当", "Sales staff pay"),
                ),
                Input(
                    "selling_travel",
                    T("旅費交通費", "Travel"),
                    500_000,
                    note=T("営業の移動費・出張費", "Sales travel"),
                ),
            ],
        ),
        Section(
            T("マーケティング費用", "Marketing cost"),
            [
                Input(
                    "marketing_cost",
                    T("マーケティング費用", "Marketing cost"),
                    10_000_000,
                    "money_pos",
                    T("0 より大きい金額", "Must be greater than 0"),
                ),
            ],
        ),
        Section(
            T("結果", "Results"),
            results=True,
            rows=[
                Calc(
                    "gross_profit",
                    T("粗利(売上 − 原価)", "Gross profit"),
                    "gross_profit",
                    {"revenue": "revenue", "cost_of_sales": "cost_of_sales"},
                    named=True,
                ),
                Calc(
                    "selling_expenses_total",
                    T("販売費 合計", "Selling expenses total"),
                    "sum",
                    {"cells": "selling_advertising:selling_travel"},
                    named=True,
                ),
                Calc(
                    "marketing_cost_shown",
                    T("マーケティング費用", "Marketing cost"),
                    "copy",
                    {"value": "marketing_cost"},
                ),
                Calc(
                    "marketing_profit",
                    T("マーケティングによる利益", "Profit from marketing"),
                    "marketing_profit",
                    _ARGS,
                    named=True,
                    bad_below=0,
                ),
                Calc(
                    "marketing_roi",
                    T("マーケティング ROI(純利益ベース)", "Marketing ROI (net basis)"),
                    "marketing_roi",
                    _ARGS,
                    "roi",
                    T("損益分岐 0%。マイナスは赤で表示", "Break-even 0 %; red when negative"),
                    named=True,
                ),
            ],
        ),
        BENCHMARKS,
    ],
    charts=[
        Chart(
            T("粗利の行き先", "Where the gross profit goes"),
            "col",
            [(T("金額", "Amount"), ("gross_profit", "marketing_profit"))],
            ("@gross_profit", "@marketing_profit"),
        ),
    ],
)
