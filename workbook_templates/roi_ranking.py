"""Monthly ROI ranking of initiatives (seed 000) and channel paths (seed 003 ③)."""

from roi_xl.templates.model import Calc, Chart, Column, Lines, T, Table, Template

from ._common import NET_ROI, PATH_COLUMNS, PATH_CVR, path_rows

TEMPLATE = Template(
    name="roi-ranking",
    seed="000, 003",
    title=T("施策別 ROI ランキング", "ROI ranking of initiatives"),
    sheet=T("ROIランキング", "ROI ranking"),
    summary=T(
        "月別・施策別の費用と売上から ROI・順位・予算シェアを出し、経路別の CVR と比較",
        "ROI, rank and budget share per initiative and month; CVR and ROI per channel path",
    ),
    explanation=[
        T(
            "毎月、施策ごとに費用・売上・原価を入れると ROI(純利益ベース =(売上 − 原価 − 費用)÷ "
            "費用)、順位、予算シェアが出ます。ROI の高い施策へ予算を寄せる判断に使います(seed 000)。",
            "Each month, enter spend, revenue and cost of sales per initiative to get ROI (net "
            "basis: (revenue − cost of sales − spend) ÷ spend), its rank and its share of the "
            "budget, to move money to what pays (seed 000).",
        ),
        T(
            "下の表は複数施策を組み合わせた経路ごとの比較です。成約直前の媒体だけでなく、CV 数・"
            "CVR・ROI のバランスで評価します(seed 003)。",
            "The second table compares channel paths that combine several media: judge them by "
            "conversions, CVR and ROI together, not by the last touch only (seed 003).",
        ),
    ],
    blocks=[
        Table(
            "initiatives",
            T("施策別 ROI(表: initiatives)", "Initiatives (table: initiatives)"),
            [
                Column("month", T("月", "Month"), "text"),
                Column("initiative", T("施策", "Initiative"), "text"),
                Column("spend", T("費用", "Spend"), "money_pos"),
                Column("revenue", T("売上", "Revenue"), "money"),
                Column("cost_of_sales", T("売上原価", "Cost of sales"), "money"),
                NET_ROI,
                Column(
                    "rank",
                    T("順位", "Rank"),
                    "count",
                    Calc(
                        "rank",
                        T("順位", "Rank"),
                        "rank",
                        {"value": "roi", "values": "roi[]"},
                        "count",
                    ),
                ),
                Column(
                    "budget_share",
                    T("予算シェア", "Budget share"),
                    "percent",
                    Calc(
                        "budget_share",
                        T("予算シェア", "Budget share"),
                        "share",
                        {"part": "spend", "all": "spend[]"},
                        "percent",
                    ),
                ),
            ],
            [
                ["2025-04", T("リスティング広告", "Search ads"), 500_000, 2_400_000, 1_000_000],
                ["2025-04", T("SNS 広告", "Social ads"), 300_000, 900_000, 400_000],
                ["2025-04", T("コンテンツ SEO", "Content SEO"), 400_000, 2_000_000, 700_000],
                ["2025-04", T("展示会", "Trade show"), 2_000_000, 3_000_000, 1_500_000],
                ["2025-05", T("リスティング広告", "Search ads"), 550_000, 2_600_000, 1_100_000],
                ["2025-05", T("メール", "Email"), 100_000, 600_000, 250_000],
                ["2025-05", T("ウェビナー", "Webinar"), 250_000, 1_150_000, 500_000],
                ["2025-05", T("SNS 広告", "Social ads"), 300_000, 1_100_000, 450_000],
            ],
        ),
        Table(
            "channel_paths",
            T("経路別の成果(表: channel_paths)", "Channel paths (table: channel_paths)"),
            [*PATH_COLUMNS, PATH_CVR, NET_ROI],
            path_rows(
                T("① 広告→オウンドメディア→メール", "① Ads → owned media → email"),
                T("② 広告→オウンドメディア", "② Ads → owned media"),
                T("③ オウンドメディア→メール", "③ Owned media → email"),
                T("④ メールのみ", "④ Email only"),
            ),
        ),
        Lines(
            T("読み方", "How to read it"),
            [
                T(
                    "ROI がマイナスの施策は赤で表示されます。順位は ROI の高い順(1 = 最高)、"
                    "予算シェアは費用の合計に占める割合です。",
                    "Initiatives with a negative ROI are red. Rank 1 is the highest ROI; budget share "
                    "is the spend over the total spend.",
                ),
            ],
        ),
    ],
    charts=[
        Chart(
            T("施策別 ROI(純利益ベース)", "ROI by initiative (net basis)"),
            "bar",
            [(T("ROI", "ROI"), "initiatives.roi[]")],
            ("initiatives.month[]", "initiatives.initiative[]"),
            percent=True,
        ),
    ],
)
