"""Texts several templates share."""

from roi_xl.templates.model import Calc, Column, Lines, T

BENCHMARKS = Lines(
    T("ROI の目安(seed 002)と基準", "ROI benchmarks (seed 002) and their basis"),
    [
        T(
            "目安は「投資の何倍が返ってくるか」= 粗利ベース(売上−原価)÷投資額 の倍率です: "
            "2:1(200%)= BtoB の最低ライン、3:1〜5:1(300〜500%)= 多くの企業の目標、"
            "10:1(1000%)以上 = ハイパフォーマンス。",
            "The bands are return ratios, i.e. gross basis (revenue − cost of sales) ÷ "
            "investment: 2:1 (200 %) = B2B minimum, 3:1–5:1 (300–500 %) = what most firms "
            "aim for, 10:1 (1000 %) and above = exceptional.",
        ),
        T(
            "純利益ベース(投資額も差し引く)では同じ目安が 100%、200〜400%、900% になり、"
            "損益分岐は 0% です。seed 002 は純利益の式で「100% が回収ライン」と書いていますが、"
            "それは粗利ベースの場合です。",
            "On the net basis (investment also subtracted) the same bands are 100 %, "
            "200–400 % and 900 %, and break-even is 0 %. Seed 002 uses the net formula but "
            "calls 100 % break-even, which holds for the gross basis only.",
        ),
    ],
)

#: The one line beside every cell that calls our functions by intent (no portable formula).
ADD_IN_NOTE = T(
    "再計算には roi_xl アドインが必要。表示値は作成時に計算したもの",
    "Needs the roi_xl add-in to recompute; value shown computed at creation",
)

#: ROI on the net basis of a row with spend, revenue and cost of sales.
NET_ROI = Column(
    "roi",
    T("ROI(純)", "ROI (net)"),
    "roi",
    Calc(
        "roi",
        T("ROI", "ROI"),
        "roi",
        {"revenue": "revenue", "cost_of_sales": "cost_of_sales", "investment": "spend"},
        "roi",
    ),
)

#: Seed 003 ③'s channel paths: the input columns, and CVR over the contacts.
PATH_COLUMNS = [
    Column("path", T("経路", "Path"), "text"),
    Column("contacts", T("接触数", "Contacts"), "count_pos"),
    Column("conversions", T("CV 数", "Conversions"), "count"),
    Column("spend", T("費用", "Spend"), "money_pos"),
    Column("revenue", T("売上", "Revenue"), "money"),
    Column("cost_of_sales", T("売上原価", "Cost of sales"), "money"),
]
PATH_CVR = Column(
    "cvr",
    T("CVR", "CVR"),
    "percent2",
    Calc(
        "cvr",
        T("CVR", "CVR"),
        "cvr",
        {"conversions": "conversions", "visits": "contacts"},
        "percent2",
    ),
)
#: Contacts, conversions, spend, revenue and cost of sales of the four paths (ads → owned
#: media → email, ads → owned media, owned media → email, email only).
_PATH_FIGURES = (
    (10_000, 400, 2_000_000, 8_000_000, 4_800_000),
    (10_000, 300, 1_200_000, 6_000_000, 3_600_000),
    (10_000, 200, 500_000, 4_000_000, 2_400_000),
    (10_000, 100, 300_000, 2_000_000, 1_200_000),
)


def path_rows(*labels: T) -> list[list[object]]:
    """The four paths' rows, each under its label (a template names them its own way)."""
    return [[label, *figures] for label, figures in zip(labels, _PATH_FIGURES, strict=True)]
