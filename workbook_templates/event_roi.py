"""Exhibition ROI, without and with a follow-up campaign, side by side (seed 001)."""

from roi_xl.templates.model import Calc, Chart, Grid, Input, Section, T, Template

from ._common import BENCHMARKS

_STAGES = [  # label, key suffix, base rate, follow-up rate
    (T("MQL(ターゲット層)", "MQL (marketing-qualified)"), "mql", 0.50, 0.75),
    (T("SAL(営業フォロー対象)", "SAL (sales-accepted)"), "sal", 0.30, 0.643),
    (T("SQL(商談)", "SQL (opportunities)"), "sql", 0.667, 0.555),
    (T("受注", "Orders"), "order", 0.30, 0.40),
]


def _funnel_row(i: int, suffix: str, base: float, followup: float) -> list:
    cells = []
    for scenario, rate in (("base", base), ("followup", followup)):
        previous = f"count_{scenario}_{_STAGES[i - 1][1]}" if i else f"count_{scenario}_leads"
        key = f"orders_{scenario}" if suffix == "order" else f"count_{scenario}_{suffix}"
        cells += [
            Input(f"rate_{scenario}_{suffix}", T("転換率", "Rate"), rate, "rate"),
            Calc(
                key,
                T("見込み件数", "Expected count"),
                "forecast_step",
                {
                    "previous": previous,
                    "rate": f"rate_{scenario}_{suffix}",
                    "top_count": "leads",
                    "rates": f"rates_{scenario}",
                    "row": i + 2,
                },
                "expected",
                named=suffix == "order",
            ),
        ]
    return cells


def _pair(
    key: str, label: T, metric: str, args: dict, kind: str = "money", named: bool = False
) -> tuple[T, list]:
    """One results row: the same metric for both scenarios (``{s}`` → base / followup)."""
    return (
        label,
        [
            Calc(
                key.format(s=s),
                label,
                metric,
                {p: v.format(s=s) for p, v in args.items()},
                kind,
                named=named,
            )
            for s in ("base", "followup")
        ],
    )


_ROI_ARGS = {
    "revenue": "revenue_{s}",
    "cost_of_sales": "cost_of_sales_{s}",
    "investment": "investment_{s}",
}

TEMPLATE = Template(
    name="event-roi",
    seed="001",
    title=T(
        "展示会 ROI 計算シート(フォローアップ施策あり/なし)",
        "Exhibition ROI, with and without a follow-up campaign",
    ),
    sheet=T("展示会ROI", "Event ROI"),
    summary=T(
        "展示会のリードからファネルで受注を見込み、フォローアップの有無で ROI を比較",
        "Project orders from exhibition leads and compare ROI with and without follow-up",
    ),
    explanation=[
        T(
            "リード数に段階ごとの転換率を掛けて見込み受注を出し、貢献利益 = 受注 × 受注単価 × "
            "粗利率 を投資額で割ります(seed 001 と同じ粗利ベース: 100% が回収ライン)。",
            "Leads × the rate of every stage gives expected orders; contribution = orders × "
            "revenue per order × gross margin, divided by the investment (gross basis as in "
            "seed 001: 100 % is break-even).",
        ),
        T(
            "右の列はフォローアップ施策(資料送付・インサイドセールス)をした場合です。投資額は "
            "出展費用 + 追加コストです。",
            "The right-hand columns add a follow-up campaign (mailings, inside sales); its "
            "investment is the exhibition cost plus the follow-up cost.",
        ),
    ],
    blocks=[
        Section(
            T("前提", "Assumptions"),
            [
                Input(
                    "event_cost",
                    T("出展費用", "Exhibition cost"),
                    2_000_000,
                    "money_pos",
                    T("0 より大きい金額", "Greater than 0"),
                ),
                Input("followup_cost", T("フォローアップの追加コスト", "Follow-up cost"), 200_000),
                Input(
                    "leads",
                    T("獲得リード数(名刺)", "Leads collected (business cards)"),
                    50,
                    "count",
                ),
                Input("unit_price", T("受注単価", "Revenue per order"), 5_000_000),
                Input("gross_margin", T("粗利率(利益率)", "Gross margin"), 0.50, "margin"),
            ],
        ),
        Grid(
            T("ファネル(リード → 受注)", "Funnel (lead → order)"),
            [
                T("段階", "Stage"),
                T("転換率(現状)", "Rate (as is)"),
                T("見込み件数(現状)", "Count (as is)"),
                T("転換率(フォローあり)", "Rate (with follow-up)"),
                T("見込み件数(フォローあり)", "Count (with follow-up)"),
            ],
            [
                (
                    T("リード", "Leads"),
                    [
                        None,
                        Calc(
                            "count_base_leads",
                            T("リード", "Leads"),
                            "copy",
                            {"value": "leads"},
                            "expected",
                        ),
                        None,
                        Calc(
                            "count_followup_leads",
                            T("リード", "Leads"),
                            "copy",
                            {"value": "leads"},
                            "expected",
                        ),
                    ],
                )
            ]
            + [
                (label, _funnel_row(i, suffix, b, f))
                for i, (label, suffix, b, f) in enumerate(_STAGES)
            ],
        ),
        Grid(
            T("ROI の比較", "ROI compared"),
            [
                T("項目", "Item"),
                T("現状(展示会のみ)", "As is (exhibition only)"),
                T("フォローアップあり", "With follow-up"),
            ],
            [
                (
                    T("投資額", "Investment"),
                    [
                        Calc(
                            "investment_base",
                            T("投資額", "Investment"),
                            "copy",
                            {"value": "event_cost"},
                        ),
                        Calc(
                            "investment_followup",
                            T("投資額", "Investment"),
                            "plus",
                            {"a": "event_cost", "b": "followup_cost"},
                        ),
                    ],
                ),
                _pair(
                    "revenue_{s}",
                    T("見込み売上", "Expected revenue"),
                    "product",
                    {"a": "orders_{s}", "b": "unit_price"},
                ),
                _pair(
                    "cost_of_sales_{s}",
                    T("売上原価(売上 × (1 − 粗利率))", "Cost of sales (revenue × (1 − margin))"),
                    "cost_of_sales_from_margin",
                    {"revenue": "revenue_{s}", "gross_margin": "gross_margin"},
                ),
                _pair(
                    "contribution_{s}",
                    T("貢献利益(粗利)", "Contribution (gross profit)"),
                    "gross_profit",
                    {"revenue": "revenue_{s}", "cost_of_sales": "cost_of_sales_{s}"},
                ),
                _pair(
                    "roi_{s}",
                    T("ROI(粗利ベース、回収 100%)", "ROI (gross basis, break-even 100 %)"),
                    "roi_gross",
                    _ROI_ARGS,
                    "roi_gross",
                    named=True,
                ),
                _pair(
                    "roi_net_{s}",
                    T("ROI(純利益ベース、回収 0%)", "ROI (net basis, break-even 0 %)"),
                    "roi",
                    _ROI_ARGS,
                    "roi",
                    named=True,
                ),
            ],
            results=True,
            note=T(
                "seed 001 はフォローありの ROI を 625% としていますが、1,250万円 ÷ 220万円 "
                "≈ 568% です(625% は 200万円で割った値)。また 50 件の 75% は 37.5 件で 35 件"
                "ではなく、率どおりに計算すると受注は 5 件ではなく約 5.35 件です。",
                "Seed 001 gives 625 % for the follow-up; 12,500,000 ÷ 2,200,000 ≈ 568 % "
                "(625 % divides by 2,000,000). Also 75 % of 50 leads is 37.5, not 35, and "
                "the rates as stated give about 5.35 orders, not 5.",
            ),
        ),
        BENCHMARKS,
    ],
    charts=[
        Chart(
            T("ROI の比較(現状 vs フォローあり)", "ROI: as is vs with follow-up"),
            "col",
            [
                (T("粗利ベース", "Gross basis"), ("roi_base", "roi_followup")),
                (T("純利益ベース", "Net basis"), ("roi_net_base", "roi_net_followup")),
            ],
            ("^roi_base", "^roi_followup"),
            percent=True,
        ),
    ],
    ranges={
        "rates_base": [f"rate_base_{s}" for _, s, _, _ in _STAGES],
        "rates_followup": [f"rate_followup_{s}" for _, s, _, _ in _STAGES],
    },
)
