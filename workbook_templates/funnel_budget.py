"""Funnel back-calculation from a revenue target to the budget (seeds 000, 001)."""

from roi_xl.templates.model import Calc, Chart, Grid, Input, Section, T, Template

_FUNNEL = {"target_revenue": "target_revenue", "unit_price": "unit_price", "rates": "funnel_rates"}


def _stage(key: str, label: T, row: int, below: str, rate: str) -> Calc:
    """Count a stage needs: the stage below ÷ the rate between them, rounded up."""
    return Calc(
        key,
        label,
        "funnel_stage_up",
        {**_FUNNEL, "row": row, "next": below, "rate": rate},
        "count",
        named=True,
    )


TEMPLATE = Template(
    name="funnel-budget",
    seed="000, 001",
    title=T("ファネル逆算 予算シート", "Funnel budget: from revenue target to budget"),
    sheet=T("ファネル予算", "Funnel budget"),
    summary=T(
        "売上目標から受注・提案・アポ・架電の必要件数と必要予算を逆算",
        "Back-calculate deals, proposals, appointments, calls and budget from a target",
    ),
    explanation=[
        T(
            "受注件数 = 目標売上 ÷ 受注単価。その上の各段階 = 下の段階の件数 ÷ 転換率 を、"
            "段階ごとに切り上げて計算します(計画が必ず目標に届くように)。",
            "Deals = revenue target ÷ revenue per deal; every stage above = the stage below ÷ "
            "the conversion rate, rounded up at every stage so the plan always reaches the "
            "target.",
        ),
        T(
            "必要予算 = ファネル入口の件数 × 1 件あたりの費用。使える予算を超えると差額が赤に"
            "なります(seed 000 の注意点: 目標が予算枠を超えていないか)。",
            "Budget = top-of-funnel count × cost per unit. When it exceeds the budget you "
            "have, the gap turns red (seed 000's warning: a target the budget cannot pay for).",
        ),
    ],
    blocks=[
        Section(
            T("目標と費用", "Target and costs"),
            [
                Input("target_revenue", T("目標売上(受注金額)", "Revenue target"), 3_000_000),
                Input(
                    "unit_price",
                    T("受注単価", "Revenue per deal"),
                    500_000,
                    "money_pos",
                    T("0 より大きい金額", "Greater than 0"),
                ),
                Input(
                    "cost_per_top",
                    T(
                        "ファネル入口 1 件あたりの費用(架電 1 件)",
                        "Cost per top-of-funnel unit (one call)",
                    ),
                    1_000,
                ),
                Input("available_budget", T("使える予算", "Budget available"), 700_000),
            ],
        ),
        Grid(
            T("ファネル(上から下へ)", "Funnel, top to bottom"),
            [
                T("段階", "Stage"),
                T("次の段階への転換率", "Rate to next stage"),
                T("必要件数", "Count needed"),
            ],
            [
                (
                    T("架電", "Calls"),
                    [
                        Input(
                            "rate_call_to_appointment",
                            T("架電 → アポ", "Call → appointment"),
                            0.0666,
                            "rate",
                        ),
                        _stage(
                            "required_top",
                            T("必要な架電数", "Calls needed"),
                            1,
                            "required_appointments",
                            "rate_call_to_appointment",
                        ),
                    ],
                ),
                (
                    T("アポイント", "Appointments"),
                    [
                        Input(
                            "rate_appointment_to_proposal",
                            T("アポ → 提案", "Appointment → proposal"),
                            0.40,
                            "rate",
                        ),
                        _stage(
                            "required_appointments",
                            T("必要なアポ数", "Appointments needed"),
                            2,
                            "required_proposals",
                            "rate_appointment_to_proposal",
                        ),
                    ],
                ),
                (
                    T("提案", "Proposals"),
                    [
                        Input(
                            "rate_proposal_to_deal",
                            T("提案 → 受注", "Proposal → deal"),
                            0.33,
                            "rate",
                        ),
                        _stage(
                            "required_proposals",
                            T("必要な提案数", "Proposals needed"),
                            3,
                            "required_deals",
                            "rate_proposal_to_deal",
                        ),
                    ],
                ),
                (
                    T("受注", "Deals"),
                    [
                        None,
                        Calc(
                            "required_deals",
                            T("必要な受注数", "Deals needed"),
                            "funnel_deals",
                            {**_FUNNEL, "row": 4},
                            "count",
                            named=True,
                        ),
                    ],
                ),
            ],
            note=T(
                "seed 001 は架電 6,750 件としていますが、45 ÷ 6.66% ≈ 676 件、段階ごとに"
                "切り上げると 721 件です(受注 6 → 提案 19 → アポ 48 → 架電 721)。",
                "Seed 001 says 6,750 calls; 45 ÷ 6.66 % ≈ 676, and rounding up at every "
                "stage gives 721 (6 deals → 19 proposals → 48 appointments → 721 calls).",
            ),
        ),
        Section(
            T("予算", "Budget"),
            results=True,
            rows=[
                Calc(
                    "required_budget",
                    T(
                        "必要予算(入口件数 × 1 件あたり費用)",
                        "Budget needed (top count × cost per unit)",
                    ),
                    "product",
                    {"a": "required_top", "b": "cost_per_top"},
                    named=True,
                ),
                Calc(
                    "budget_gap",
                    T("予算の余裕(使える予算 − 必要予算)", "Budget headroom (available − needed)"),
                    "minus",
                    {"a": "available_budget", "b": "required_budget"},
                    note=T(
                        "マイナス(赤)は予算不足: 目標か転換率か費用を見直す",
                        "Negative (red) = short of budget: revisit target, rates or costs",
                    ),
                    named=True,
                    bad_below=0,
                ),
            ],
        ),
    ],
    charts=[
        Chart(
            T("必要件数(ファネル)", "Counts needed (funnel)"),
            "bar",
            [(T("必要件数", "Count needed"), ("required_top", "required_deals"))],
            ("@required_top", "@required_deals"),
        ),
    ],
    ranges={
        "funnel_rates": [
            "rate_call_to_appointment",
            "rate_appointment_to_proposal",
            "rate_proposal_to_deal",
        ]
    },
)
