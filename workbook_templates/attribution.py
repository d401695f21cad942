"""Channel paths and multi-touch attribution (seed 003 ③): judge a conversion on every
medium that led to it, not on the last one only."""

from roi_xl.templates.model import Calc, Chart, Column, Lines, T, Table, Template

from ._common import ADD_IN_NOTE, NET_ROI, PATH_COLUMNS, PATH_CVR, path_rows

#: ATTRIBUTION's models (SPEC §3b), in the order of the columns.
MODELS = {
    "last": T("最終接触", "Last touch"),
    "first": T("初回接触", "First touch"),
    "linear": T("均等配分", "Linear"),
    "position": T("接触位置(40/20/40)", "Position (40/20/40)"),
    "time_decay": T("時間減衰", "Time decay"),
    "markov": T("マルコフ(データドリブン)", "Markov (data-driven)"),
}

_PATHS = {
    "paths": "paths.path[]",
    "conversions": "paths.conversions[]",
    "values": "paths.revenue[]",
    "cost_of_sales": "paths.cost_of_sales[]",
    "non_conversions": "paths.non_conversions[]",
}
_ADS, _OWNED, _EMAIL = (
    T("広告", "Ads"),
    T("オウンドメディア", "Owned media"),
    T("メール", "Email"),
)


def _path(*channels: T) -> T:
    return T(" > ".join(c.ja for c in channels), " > ".join(c.en for c in channels))


def _model_columns(metric: str, kind: str, channel: str, cost: str | None) -> list[Column]:
    extra = {"cost": cost} if cost else {}
    return [
        Column(
            model,
            label,
            kind,
            Calc(
                model,
                label,
                metric,
                _PATHS | {"channel": channel, "model": f'="{model}"'} | extra,
                kind,
            ),
        )
        for model, label in MODELS.items()
    ]


def _channel_copy() -> Column:
    return Column(
        "channel",
        T("媒体", "Channel"),
        "number",
        Calc("channel", T("媒体", "Channel"), "copy", {"value": "channels.channel"}, "number"),
    )


TEMPLATE = Template(
    name="attribution",
    seed="003",
    title=T(
        "媒体の組み合わせとアトリビューション",
        "Channel paths and multi-touch attribution",
    ),
    sheet=T("アトリビューション", "Attribution"),
    summary=T(
        "媒体の組み合わせ(経路)ごとの CV・CVR・ROI と、6 つのアトリビューションモデルによる"
        "媒体別の貢献",
        "CV, CVR and ROI per channel path; each channel's credit under six attribution models",
    ),
    explanation=[
        T(
            "広告 → オウンドメディア → メールのように複数の媒体を経て成約した時、成約直前の媒体"
            "(メール)だけで評価せず、全媒体で評価します(seed 003 ③)。上の表は経路ごとの CV 数・"
            "CVR・ROI(純利益ベース)、下の表は成約を各媒体に配分した結果です。",
            "When a sale came through ads → owned media → email, judge it on every medium, "
            "not on the last one (email) only (seed 003 ③). The first table gives conversions, "
            "CVR and ROI (net basis) per path; the tables below share each conversion out to "
            "the channels.",
        ),
        T(
            "経路は媒体名を「 > 」でつないで時系列順に書きます。最終接触・初回接触・均等配分・"
            "接触位置(最初と最後に 40% ずつ)・時間減衰(1 つ前ごとに半分)・マルコフ(その媒体を"
            "除くと成約がどれだけ減るか)を並べて比べます。",
            "Write each path as its channels in time order joined by “ > ”. The models side by "
            "side: last touch, first touch, linear, position (40 % to the first and the last), "
            "time decay (half per step back) and Markov (how many conversions are lost when "
            "the channel is removed).",
        ),
    ],
    blocks=[
        Table(
            "paths",
            T("経路(媒体の組み合わせ)ごとの成果(表: paths)", "Channel paths (table: paths)"),
            [
                *PATH_COLUMNS,
                Column(
                    "non_conversions",
                    T("非成約数", "Not converted"),
                    "count",
                    Calc(
                        "non_conversions",
                        T("非成約数", "Not converted"),
                        "minus",
                        {"a": "contacts", "b": "conversions"},
                        "count",
                    ),
                ),
                PATH_CVR,
                NET_ROI,
            ],
            path_rows(
                _path(_ADS, _OWNED, _EMAIL),
                _path(_ADS, _OWNED),
                _path(_OWNED, _EMAIL),
                _path(_EMAIL),
            ),
        ),
        Table(
            "channels",
            T(
                "媒体別の配分された CV 数(表: channels)",
                "Conversions credited to each channel (table: channels)",
            ),
            [
                Column("channel", T("媒体", "Channel"), "text"),
                Column("cost", T("媒体の費用", "Channel cost"), "money_pos"),
                *_model_columns("attributed_conversions", "expected", "channel", None),
            ],
            [
                [_ADS, 2_000_000],
                [_OWNED, 1_200_000],
                [_EMAIL, 800_000],
            ],
        ),
        Table(
            "channel_revenue",
            T(
                "媒体別の配分された売上(表: channel_revenue)",
                "Revenue credited to each channel (table: channel_revenue)",
            ),
            [
                _channel_copy(),
                *_model_columns("attributed_value", "money", "channels.channel", None),
            ],
            [[], [], []],
        ),
        Table(
            "channel_roi",
            T(
                "媒体別の ROI(媒体の費用に対する純利益、表: channel_roi)",
                "ROI on each channel's cost (net basis, table: channel_roi)",
            ),
            [
                _channel_copy(),
                *_model_columns("attributed_roi", "roi", "channels.channel", "channels.cost"),
            ],
            [[], [], []],
        ),
        Lines(
            T("読み方", "How to read it"),
            [
                T(
                    "配分された CV 数と売上は、どのモデルでも経路の合計と一致します。ROI =(配分売上 − "
                    "配分原価 − 媒体の費用)÷ 媒体の費用。マイナスは赤。",
                    "Credited conversions and revenue add up to the paths' totals under every "
                    "model. ROI = (credited revenue − credited cost of sales − the channel's "
                    "cost) ÷ the channel's cost; red when negative.",
                ),
                T(
                    "モデル別の列は =ATTRIBUTION() を呼びます。" + ADD_IN_NOTE.ja + "。",
                    "The model columns call =ATTRIBUTION(). " + ADD_IN_NOTE.en + ".",
                ),
            ],
        ),
    ],
    charts=[
        Chart(
            T("媒体別の配分 CV 数(モデル別)", "Credited conversions by channel and model"),
            "col",
            [(label, f"channels.{model}[]") for model, label in MODELS.items()],
            "channels.channel[]",
        ),
        Chart(
            T("媒体別の ROI(モデル別)", "ROI by channel and model"),
            "col",
            [(label, f"channel_roi.{model}[]") for model, label in MODELS.items()],
            "channels.channel[]",
            percent=True,
        ),
    ],
)
