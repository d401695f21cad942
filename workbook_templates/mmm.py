"""The marketing mix (SPEC §3c; seeds 000 and 003): what each channel really added when
they all ran at once, where the next yen goes, and the least budget a revenue target needs.

The data are 156 weeks simulated from a known truth (:func:`roi_xl.mix.simulate.simulate`,
seed :data:`SEED`), and the sheet states that truth beside the fit, so a user sees the model
find it. The fit, the allocator and the target search call our functions (their cells
carry the values computed on creation); the response curves are native formulas over the
model table, so any spreadsheet recomputes them.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from roi_xl.i18n import label
from roi_xl.mix.simulate import simulate
from roi_xl.templates.model import Calc, Chart, Column, Input, Lines, Section, T, Table, Template

from ._common import ADD_IN_NOTE

#: The simulation's seed: the fit recovers every channel's ROAS within 7 % on it.
SEED = 7
WEEKS = 156
FIRST_WEEK = dt.datetime(2022, 1, 3)  # a Monday
CHANNELS = {  # key → name in the sheet (the model's channel names)
    "tv": T("テレビ", "TV"),
    "search": T("検索", "search"),
    "social": T("SNS", "social"),
    "display": T("ディスプレイ", "display"),
}
SIM = simulate(seed=SEED, periods=WEEKS, channels=4, names=[c.en for c in CHANNELS.values()])
REVENUE = np.round(SIM.revenue)  # whole yen, as a sales ledger has them

#: The history's ranges, as every MMM call takes them.
_HISTORY = {
    "revenue": "weeks.revenue[]",
    "spends": "weeks.tv[]:weeks.display[]",
    "names": "model.channel[]",
    "controls": "weeks.promotion[]",
    "lift_tests": "lift_tests.channel[]:lift_tests.standard_error[]",
}
_MODEL = "model.channel[]:model.baseline[]"
_BOUNDS = {"model": _MODEL, "min_spend": "allocation.min[]", "max_spend": "allocation.max[]"}


#: Headers shorter than the spilled tables' labels, so that eleven columns fit a page.
_SHORT = {
    "spend": T("広告費(156 週)", "Spend (156 wk)"),
    "contribution": T("増分売上", "Incremental revenue"),
    "beta": T("beta(最大効果)", "beta (max effect)"),
    "half": T("半飽和点", "Half point"),
    "current_spend": T("今の広告費/週", "Spend/week now"),
    "baseline": T("ベース売上/週", "Baseline/week"),
    "today": T("今の広告費", "Today's spend"),
    "recommended": T("推奨広告費", "Recommended"),
    "revenue_today": T("今の増分売上", "Revenue today"),
    "revenue_recommended": T("推奨時の増分売上", "Revenue, recommended"),
    "roas_low": T("ROAS 下限(90%)", "ROAS low (90%)"),
    "roas_high": T("ROAS 上限(90%)", "ROAS high (90%)"),
    "range_low": T("推奨の下限(90%)", "Recommended, low (90%)"),
    "range_high": T("推奨の上限(90%)", "Recommended, high (90%)"),
}


def _t(word: str) -> T:
    """A header in both languages: the spilled tables' label, or a shorter one."""
    return _SHORT.get(word) or T(label(word, "ja"), label(word, "en"))


def _column(key: str, word: str, kind: str, metric: str, args: dict, column: int) -> Column:
    head = _t(word)
    return Column(key, head, kind, Calc(key, head, metric, args | {"column": column}, kind))


def _summary(key: str, word: str, kind: str, column: int) -> Column:
    return _column(key, word, kind, "mmm_summary", _HISTORY | {"channel": "channel"}, column)


def _model(key: str, kind: str, column: int) -> Column:
    return _column(key, key, kind, "mmm_model", _HISTORY | {"channel": "channel"}, column)


def _copy(key: str, head: T, source: str, kind: str) -> Column:
    return Column(key, head, kind, Calc(key, head, "copy", {"value": source}, kind))


def _channel() -> Column:
    return _copy("channel", _t("channel"), "model.channel", "number")


def _plan(key: str, word: str, kind: str, column: int, metric: str, extra: dict) -> Column:
    args = _BOUNDS | extra | {"channel": "channel"}
    return _column(key, word, kind, metric, args, column)


def _range(key: str, metric: str, extra: dict, note: T) -> list[Calc]:
    """The 90 % range of ``key`` over the models drawn from the fit: two named cells, low
    and high, from the last row of a "range" table (columns 3 and 4)."""
    return [
        Calc(
            f"{key}_{end}",
            head,
            metric,
            _HISTORY | _BOUNDS | extra | {"row": len(CHANNELS) + 2, "column": column},
            "money",
            note if end == "low" else None,
            named=True,
        )
        for end, column, head in (
            ("low", 3, T("その 90% 範囲:下限", "Its 90 % range: low")),
            ("high", 4, T("その 90% 範囲:上限", "Its 90 % range: high")),
        )
    ]


_TRUTH_NAMES = {
    "roas": T("ROAS", "ROAS"),
    "beta": T("beta", "beta"),
    "decay": T("減衰率", "decay"),
    "half": T("半飽和点", "half"),
    "shape": T("形状", "shape"),
}


def _truth(key: str, word: str, kind: str, fitted: str) -> list[Column]:
    name = _TRUTH_NAMES[word]
    true_head = T(f"{name.ja}(真値)", f"{name.en} (truth)")
    fit_head = T(f"{name.ja}(推定)", f"{name.en} (fit)")
    return [
        Column(f"true_{key}", true_head, kind, fixed=True),
        _copy(f"fitted_{key}", fit_head, fitted, kind),
    ]


def _curve(channel: str, row: int) -> Column:
    params = {p: f"model.{p}@{row}" for p in ("beta", "decay", "half", "shape", "saturation")} | {
        "model": _MODEL,
        "channel": f"model.channel@{row}",
        "spend": "spend",
    }
    head = CHANNELS[channel]
    return Column(channel, head, "money", Calc(channel, head, "mmm_response", params, "money"))


#: The lift test on the sheet (seed 003 ②): 13 weeks of search, its true increment measured
#: with a 10 % standard error (the draw of the template's seed, not chosen).
LIFT_CHANNEL, LIFT_FIRST, LIFT_LAST = "search", 131, 143
_LIFT_TRUE = float(SIM.contributions[LIFT_FIRST - 1 : LIFT_LAST, 1].sum())
LIFT_SE = round(0.1 * _LIFT_TRUE, -3)
LIFT_MEASURED = round(_LIFT_TRUE + np.random.default_rng(SEED).normal(0, LIFT_SE), -3)


def _weeks() -> list[list[object]]:
    return [
        [FIRST_WEEK + dt.timedelta(weeks=t), float(REVENUE[t])]
        + [float(x) for x in SIM.spends[t]]
        + [int(SIM.controls[t, 0])]
        for t in range(WEEKS)
    ]


def _truth_rows() -> list[list[object]]:
    return [
        [float(SIM.roas[i]), c.beta, c.decay, c.half, c.shape]
        for i, c in enumerate(SIM.truth.channels)
    ]


_TODAY = float(SIM.truth.current_spend.sum())
BUDGET = round(_TODAY, -5)  # today's weekly total, in round figures
# about 13 % above today's expected weekly revenue: it takes more than today's budget
TARGET = 7_500_000.0
_GRID = [80_000.0 * k for k in range(16)]  # 0 … 1 200 000 a week

_FIT_ROWS = [("r2", "percent", 1), ("mape", "percent", 2), ("nrmse", "percent", 3)]
_FIT_ROWS += [("decomp_rssd", "percent", 4), ("holdout_mape", "percent", 5)]

TEMPLATE = Template(
    name="mmm",
    seed="000, 003",
    landscape=True,
    title=T(
        "マーケティング・ミックス・モデル(MMM)と予算配分",
        "Marketing-mix model (MMM) and budget allocation",
    ),
    sheet=T("MMM", "MMM"),
    summary=T(
        "156 週の売上と 4 媒体の広告費から、各媒体の純増売上・ROAS・限界 ROAS、応答曲線、"
        "予算の最適配分と目標売上に必要な最小予算",
        "From 156 weeks of revenue and four channels' spend: each channel's incremental "
        "revenue, ROAS and marginal ROAS, response curves, the best split of a budget and the "
        "least budget a revenue target needs",
    ),
    explanation=[
        T(
            "全媒体が同時に動いた時、各媒体が実際に上乗せした売上(純増、seed 003)はいくらか、"
            "次の 1 円はどこに置くべきか、目標売上にはいくらの予算が要るか(seed 000 の逆算法)に"
            "答えます。売上 = ベース(トレンド+季節性+販促)+ Σ beta × 飽和(残存効果(広告費))。",
            "What did each channel really add when they all ran at once (seed 003's 純増), where "
            "does the next yen go, and how much budget does a revenue target need (seed 000's "
            "逆算法)? Revenue = baseline (trend + season + promotions) + Σ beta · saturation"
            "(carryover(spend)).",
        ),
        T(
            f"下のデータは既知の真値から作った {WEEKS} 週のシミュレーション(seed {SEED})です。"
            "「真値と推定」の表で、モデルが真値をどこまで当てたかを確かめられます。自社の"
            "データを貼り付ければ、そのまま自社の MMM になります(週次、古い順)。",
            f"The data below are {WEEKS} weeks simulated from a known truth (seed {SEED}); the "
            "table “truth and fit” shows how close the model comes to it. Paste your own weekly "
            "history (oldest first) over it and the sheet becomes your MMM.",
        ),
    ],
    blocks=[
        Section(
            T("モデルの当てはまり(=MMM, fit)", "How well the model fits (=MMM, fit)"),
            [
                Calc(
                    f"fit_{word}",
                    _t(word),
                    "mmm_fit",
                    _HISTORY | {"row": row},
                    kind,
                    note=ADD_IN_NOTE if word == "r2" else None,
                    named=True,
                )
                for word, kind, row in _FIT_ROWS
            ],
            results=True,
        ),
        Table(
            "truth",
            T(
                "真値と推定(シミュレーションの真のパラメータ vs MMM の推定、表: truth)",
                "Truth and fit (the simulation's true parameters vs MMM's, table: truth)",
            ),
            [
                _channel(),
                *_truth("roas", "roas", "number", "summary.roas"),
                *_truth("beta", "beta", "money", "model.beta"),
                *_truth("decay", "decay", "number", "model.decay"),
                *_truth("half", "half", "money", "model.half"),
                *_truth("shape", "shape", "number", "model.shape"),
            ],
            _truth_rows(),
        ),
        Table(
            "summary",
            T(
                "媒体別の成果(=MMM, summary、表: summary)",
                "Per channel (=MMM, summary, table: summary)",
            ),
            [
                _channel(),
                _summary("spend", "spend", "money", 2),
                _summary("contribution", "contribution", "money", 3),
                _summary("share_of_spend", "share_of_spend", "percent", 4),
                _summary("share_of_effect", "share_of_effect", "percent", 5),
                _summary("roas", "roas", "number", 6),
                _summary("roi", "roi_net", "roi", 7),
                _summary("marginal_roas", "marginal_roas", "number", 8),
                _summary("roas_low", "roas_low", "number", 9),
                _summary("roas_high", "roas_high", "number", 10),
            ],
            [[], [], [], []],
        ),
        Table(
            "model",
            T(
                "モデル表(=MMM, model。応答曲線・配分・逆算が読む表、表: model)",
                "Model table (=MMM, model; the curves, the allocation and the target read it, "
                "table: model)",
            ),
            [
                Column("channel", _t("channel"), "text"),
                # the forms MMM fits by default; the curves' native formulas assume them
                Column("adstock", _t("adstock"), "number", fixed=True),
                Column("saturation", _t("saturation"), "number", fixed=True),
                _model("beta", "money", 4),
                _model("decay", "number", 5),
                _model("peak_lag", "number", 6),
                _model("half", "money", 7),
                _model("shape", "number", 8),
                _model("current_spend", "money", 9),
                Column(
                    "baseline",
                    _t("baseline"),
                    "money",
                    Calc("baseline", _t("baseline"), "mmm_baseline", _HISTORY, "money"),
                ),
            ],
            [[name, "geometric", "hill"] for name in CHANNELS.values()],
        ),
        Table(
            "curves",
            T(
                "応答曲線:週あたり広告費 → 週あたり増分売上(ネイティブ数式、表: curves)",
                "Response curves: spend per week → incremental revenue per week (native "
                "formulas, table: curves)",
            ),
            [
                Column("spend", T("週あたり広告費", "Spend per week"), "money"),
                *(_curve(key, row) for row, key in enumerate(CHANNELS, start=1)),
            ],
            [[s] for s in _GRID],
        ),
        Section(
            T("予算配分の条件(週あたり)", "Allocation: budget and bounds (per week)"),
            [
                Input(
                    "budget",
                    T("総予算(週あたり)", "Total budget per week"),
                    BUDGET,
                    "money_pos",
                    T(
                        f"今の合計は約 {_TODAY:,.0f}",
                        f"Today's total ≈ {_TODAY:,.0f}",
                    ),
                ),
                Input(
                    "min_multiple",
                    T("下限(今の広告費の何倍)", "Lower bound (× today's spend)"),
                    0.5,
                    "number_pos",
                ),
                Input(
                    "max_multiple",
                    T("上限(今の広告費の何倍)", "Upper bound (× today's spend)"),
                    2.0,
                    "number_pos",
                ),
            ],
        ),
        Table(
            "allocation",
            T(
                "最適配分(=BUDGET_ALLOCATE、表: allocation)",
                "Recommended split (=BUDGET_ALLOCATE, table: allocation)",
            ),
            [
                _channel(),
                _copy("today", _t("today"), "model.current_spend", "money"),
                Column(
                    "min",
                    T("下限", "Lower bound"),
                    "money",
                    Calc(
                        "min",
                        T("下限", "Lower bound"),
                        "product",
                        {"a": "min_multiple", "b": "model.current_spend"},
                        "money",
                    ),
                ),
                Column(
                    "max",
                    T("上限", "Upper bound"),
                    "money",
                    Calc(
                        "max",
                        T("上限", "Upper bound"),
                        "product",
                        {"a": "max_multiple", "b": "model.current_spend"},
                        "money",
                    ),
                ),
                _plan(
                    "recommended",
                    "recommended",
                    "money",
                    3,
                    "budget_allocate",
                    {"budget": "budget"},
                ),
                *(
                    _plan(key, word, "money", col, "budget_range", _HISTORY | {"budget": "budget"})
                    for key, word, col in (
                        ("recommended_low", "range_low", 3),
                        ("recommended_high", "range_high", 4),
                    )
                ),
                _plan("change", "change", "money", 4, "budget_allocate", {"budget": "budget"}),
                _plan(
                    "revenue_today",
                    "revenue_today",
                    "money",
                    5,
                    "budget_allocate",
                    {"budget": "budget"},
                ),
                _plan(
                    "revenue_recommended",
                    "revenue_recommended",
                    "money",
                    6,
                    "budget_allocate",
                    {"budget": "budget"},
                ),
                _plan(
                    "marginal_roas",
                    "marginal_roas",
                    "number",
                    7,
                    "budget_allocate",
                    {"budget": "budget"},
                ),
            ],
            [[], [], [], []],
        ),
        Section(
            T("配分の効果", "What the split gains"),
            [
                Calc(
                    "uplift",
                    T("増える売上(週あたり)", "Revenue gained per week"),
                    "budget_uplift",
                    _BOUNDS | {"budget": "budget"},
                    "money",
                    T(
                        "同じ総予算のまま、限界 ROAS がそろうように配り直した時の増分",
                        "Same total, moved until the marginal ROAS is equal across channels",
                    ),
                    named=True,
                ),
                *_range(
                    "uplift",
                    "budget_uplift_range",
                    {"budget": "budget"},
                    T(
                        "事後分布から引いた 40 組のモデル(=MMM, draws)で同じ配分を評価",
                        "The same split judged by 40 models drawn from the fit (=MMM, draws)",
                    ),
                ),
            ],
            results=True,
        ),
        Section(
            T("逆算:目標売上に必要な最小予算", "Worked back: the least budget for a target"),
            [
                Input(
                    "target_revenue",
                    T("目標売上(週あたり、ベース込み)", "Target revenue per week (with baseline)"),
                    TARGET,
                    "money_pos",
                    T(
                        "届かない目標(全媒体が飽和)は #NUM!",
                        "#NUM! when no spend within the bounds reaches it",
                    ),
                ),
                Calc(
                    "least_budget",
                    T("必要な最小予算(週あたり)", "Least budget per week"),
                    "least_budget",
                    _BOUNDS | {"target_revenue": "target_revenue"},
                    "money",
                    named=True,
                ),
                *_range(
                    "least_budget",
                    "least_budget_range",
                    {"target_revenue": "target_revenue"},
                    T(
                        "40 組の引いたモデルそれぞれで逆算(5% 超が届かなければ上限は #NUM!)",
                        "Worked back on each of the 40 drawn models (#NUM! high when over 5 % "
                        "cannot reach it)",
                    ),
                ),
            ],
            results=True,
        ),
        Table(
            "target_plan",
            T(
                "その予算の配分(=BUDGET_FOR_TARGET、表: target_plan)",
                "Its split (=BUDGET_FOR_TARGET, table: target_plan)",
            ),
            [
                _channel(),
                *(
                    _plan(
                        key,
                        word,
                        kind,
                        col,
                        "budget_for_target",
                        {"target_revenue": "target_revenue"},
                    )
                    for key, word, kind, col in (
                        ("recommended", "recommended", "money", 3),
                        ("revenue", "revenue_recommended", "money", 6),
                        ("marginal_roas", "marginal_roas", "number", 7),
                    )
                ),
            ],
            [[], [], [], []],
        ),
        Lines(
            T("読み方", "How to read it"),
            [
                T(
                    "ROAS = 増分売上 ÷ 広告費(過去の平均)。ROI(純)= ROAS − 1(粗利率 100% の場合)。"
                    "限界 ROAS = 今の水準から 1 円増やした時の売上。次の 1 円は ROAS ではなく限界 ROAS の"
                    "高い媒体へ置きます。最適配分では、上下限に当たらない媒体の限界 ROAS がそろいます。",
                    "ROAS = incremental revenue ÷ spend (the history's average); ROI (net) = ROAS − 1 "
                    "at a 100 % margin; marginal ROAS = the revenue of the next 1 of spend at today's "
                    "level. The next yen goes where the marginal ROAS, not the ROAS, is highest; at "
                    "the recommended split it is equal across channels that are not at a bound.",
                ),
                T(
                    "当てはまり・媒体別・モデル表・配分・逆算のセルは roi_xl の関数(=MMM()、"
                    "=BUDGET_ALLOCATE()、=BUDGET_FOR_TARGET())を呼びます。"
                    + ADD_IN_NOTE.ja
                    + "。応答曲線はモデル表を読むネイティブ数式で、どの表計算ソフトでも再計算されます"
                    "(幾何減衰の残存効果を前提。モデル表は手で書き換えてもかまいません)。",
                    "The =MMM(), =BUDGET_ALLOCATE() and =BUDGET_FOR_TARGET() cells call roi_xl's "
                    "functions. "
                    + ADD_IN_NOTE.en
                    + ". The response curves are native formulas over the model table and "
                    "recompute in any spreadsheet (geometric carryover; you may edit the model "
                    "table by hand).",
                ),
                T(
                    "MMM が言えないこと:動かなかった媒体(広告費が一定)や、別の媒体と一緒に動いた媒体の"
                    "効果は履歴からは分かりません(幅の広い ROAS 区間が知らせます)。因果は履歴が示す範囲"
                    "だけです。リフトテストで較正してください(=MMM の lift_tests)。",
                    "What an MMM cannot tell: the effect of a channel whose spend never varied, or "
                    "that moved with another (a wide ROAS interval says so), and causality beyond "
                    "what the history shows. Calibrate it with lift tests (=MMM's lift_tests).",
                ),
                T(
                    f"リフトテスト(表 lift_tests):検索の {LIFT_FIRST}〜{LIFT_LAST} 週の真の増分"
                    f"({_LIFT_TRUE:,.0f})を標準誤差 10% で測ったシミュレーションです。推定はテストに"
                    "標準誤差の重みで寄ります。自社のジオテストやホールドアウトテストの結果を空いた行に"
                    "足し、行を消せば履歴だけの推定に戻ります。",
                    f"Lift tests (table lift_tests): search's true increment over weeks {LIFT_FIRST}–"
                    f"{LIFT_LAST} ({_LIFT_TRUE:,.0f}) measured with a 10 % standard error, simulated. "
                    "The fit is pulled toward each test, weighted by its error. Add your own geo or "
                    "holdout tests in the empty rows; clear the row to fit the history alone.",
                ),
            ],
        ),
        Table(
            "lift_tests",
            T(
                "リフトテスト(=MMM の lift_tests。任意、表: lift_tests)",
                "Lift tests (=MMM's lift_tests; optional, table: lift_tests)",
            ),
            [
                Column("channel", _t("channel"), "text"),
                Column("first", T("開始週(1 = 最初の週)", "First week (1 = the first)"), "count"),
                Column("last", T("終了週", "Last week"), "count"),
                Column(
                    "incremental", T("測定した増分売上", "Measured incremental revenue"), "money"
                ),
                Column("standard_error", T("その標準誤差", "Its standard error"), "money"),
            ],
            # room for two more tests: blank rows are not read
            [
                [CHANNELS[LIFT_CHANNEL], LIFT_FIRST, LIFT_LAST, LIFT_MEASURED, LIFT_SE],
                [None] * 5,
                [None] * 5,
            ],
        ),
        Table(
            "weeks",
            T(
                f"データ:{WEEKS} 週の売上・媒体別広告費・販促(表: weeks)",
                f"Data: {WEEKS} weeks of revenue, spend per channel and promotions (table: weeks)",
            ),
            [
                Column("week", T("週", "Week"), "date"),
                Column("revenue", T("売上", "Revenue"), "money"),
                *(Column(key, name, "money") for key, name in CHANNELS.items()),
                Column("promotion", T("販促(1 = あり)", "Promotion (1 = on)"), "count"),
            ],
            _weeks(),
        ),
    ],
    charts_at=5,  # below the response curves
    charts=[
        Chart(
            T("応答曲線(週あたり)", "Response curves (per week)"),
            "line",
            [(name, f"curves.{key}[]") for key, name in CHANNELS.items()],
            "curves.spend[]",
            y_title=T("増分売上", "Incremental revenue"),
            x_title=T("広告費", "Spend"),
        ),
        Chart(
            T("ROAS:真値と推定", "ROAS: truth and fit"),
            "col",
            [
                (T("真値", "Truth"), "truth.true_roas[]"),
                (T("推定", "Fitted"), "truth.fitted_roas[]"),
                (_t("roas_low"), "summary.roas_low[]"),
                (_t("roas_high"), "summary.roas_high[]"),
            ],
            "truth.channel[]",
        ),
    ],
)
