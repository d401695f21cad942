"""The analytics pack's Excel functions (SPEC §3b): ATTRIBUTION, AB_BAYES, SRM_CHECK,
ALLOWABLE_CPA, REQUIRED_CVR and BUDGET_PACING.

Each kernel only converts cells and lays the library's result out as Excel shows it; the
arithmetic is :mod:`roi_xl.multitouch`, :mod:`roi_xl.abtest`, :mod:`roi_xl.metrics` and
:mod:`roi_xl.pacing`.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import abtest, metrics, multitouch, pacing
from .._checked import Checked
from ..errors import ERROR_TEXTS, ExcelError
from ..i18n import label
from .coerce import ArgumentError, to_grid
from .spec import ExcelFunction, Param, elementwise, labels, option_word, single, vector

TABLE_WORDS = {"table": "table", "all": "table", "表": "table"}


def _p(name: str, en: str, ja: str, kind: str = "number", default: Any = None, **kw: Any):
    from .spec import REQUIRED

    return Param(name, kind, en, ja, REQUIRED if default is None else default, **kw)


def _numbers(value: Any, argument: str) -> np.ndarray:
    """A row or column of numbers; an error value or text in it is the whole result's error."""
    g = vector(value, argument)
    if g.codes is not None and g.codes.any():
        code = ExcelError(int(g.codes[g.codes != 0][0]))
        raise ArgumentError(code, f"{argument} holds {code.text} (an error value or text)")
    return g.values


def _scalar(value: Any, argument: str) -> float:
    number, code = to_grid(single(value)).scalar(argument)
    if code:
        raise ArgumentError(ExcelError(code), f"{argument} is an error value")
    return number


def _cell(checked: Checked) -> Any:
    code = 0 if checked.error is None else int(np.reshape(checked.error, -1)[0])
    value = float(np.reshape(checked.value, -1)[0])
    if not code and not np.isfinite(value):
        code = ExcelError.NUM
    return ERROR_TEXTS[code] if code else value


def _measure_table(
    checked: Callable[..., Checked], measures: tuple[str, ...], args: list[float]
) -> list[list[Any]]:
    """Every measure of one case as a two-column table: label, value (or its error)."""
    return [[label(m), _cell(checked(*args, m))] for m in measures]


# ATTRIBUTION -------------------------------------------------------------------------------

_ATTRIBUTION_PARAMS = (
    _p(
        "paths",
        'One path per row: channels in time order joined by the separator, e.g. "search > '
        'display > email"',
        "経路(1行に1経路):接触したチャネルを時系列順に区切り文字でつないだ文字列。例 "
        "「検索広告 > ディスプレイ > メール」",
        kind="labels",
    ),
    _p(
        "conversions",
        "Conversions per path (same number of rows as paths)",
        "経路ごとのコンバージョン数(paths と同じ行数)",
        kind="vector",
    ),
    _p(
        "model",
        "linear (default), last, first, position (40/20/40), time_decay (half per step "
        "back) or markov (removal effect)",
        "モデル:linear(線形・既定)、last(ラストクリック)、first(ファーストクリック)、"
        "position(接点ベース 40/20/40)、time_decay(1つ前ごとに半減)、markov(マルコフ連鎖の"
        "除去効果)",
        kind="option",
        default="linear",
        words=multitouch.MODEL_WORDS,
    ),
    _p(
        "values",
        "Revenue per path (optional): adds a column of credited revenue",
        "経路ごとの売上(省略可):配分した売上の列を追加",
        kind="vector",
        default=(),
    ),
    _p(
        "separator",
        'Between channels in a path (default ">")',
        "経路内のチャネルの区切り文字(既定 「>」)",
        kind="labels",
        default=">",
    ),
    _p(
        "non_conversions",
        "Journeys per path that did not convert (optional; used by markov)",
        "経路ごとの非コンバージョン数(省略可。markov で使用)",
        kind="vector",
        default=(),
    ),
)


def _attribution_kernel(paths, conversions, model, values, separator, non_conversions):
    model = option_word("ATTRIBUTION", _ATTRIBUTION_PARAMS[2], model)
    path_list = labels(paths)
    conv = _numbers(conversions, "conversions")
    vals = None if values == () else _numbers(values, "values")
    non = None if non_conversions == () else _numbers(non_conversions, "non_conversions")
    sep = str(single(separator)) if not isinstance(separator, str) else separator
    result = multitouch.attribute(path_list, conv, model, vals, sep or ">", non)
    if not result.channels:
        raise ArgumentError(ExcelError.VALUE, "paths: no channel in any path")
    rows: list[list[Any]] = []
    for i, name in enumerate(result.channels):
        row: list[Any] = [name, float(result.conversions[i])]
        if result.values is not None:
            row.append(float(result.values[i]))
        rows.append(row)
    return rows


ATTRIBUTION = ExcelFunction(
    "ATTRIBUTION",
    "Multi-touch attribution (seed 003 ③): shares the conversions (and revenue) of every "
    "path among its channels. Spills one row per channel, most credited first: channel, "
    "credited conversions, [credited revenue]. Credit sums to the totals; blank rows are "
    "skipped. markov: first-order Markov chain start → channels → conversion/null "
    "(consecutive repeats merged), credit ∝ removal effect.",
    "マルチタッチ・アトリビューション(seed 003 ③):経路ごとのコンバージョン(と売上)を"
    "経路上のチャネルに配分します。チャネルごとに1行(配分の多い順)でスピル:チャネル、"
    "配分コンバージョン数、[配分売上]。配分の合計は総数に一致し、空行は無視します。"
    "markov:開始→チャネル→CV/離脱の1次マルコフ連鎖(連続する同一チャネルは1回)の"
    "除去効果に比例して配分。",
    _ATTRIBUTION_PARAMS,
    lambda *a: _attribution_kernel(*a),
    "number",
    (
        ([["ads > owned > email", "ads > email"]], [[10, 5]], "linear"),
        "ads 5.83, email 5.83, owned 3.33",
    ),
    spills=True,
    library=None,
)


# AB_BAYES -----------------------------------------------------------------------------------

_AB_PARAMS = (
    _p("treated_conversions", "Conversions in the treated group (B)", "施策群(B)の成約数"),
    _p("treated_size", "Size of the treated group", "施策群の人数"),
    _p("control_conversions", "Conversions in the control group (A)", "コントロール群(A)の成約数"),
    _p("control_size", "Size of the control group", "コントロール群の人数"),
    _p(
        "measure",
        "prob_better (default): P(treated rate > control rate); expected_loss: "
        "E[max(control − treated, 0)], the rate lost by choosing treated; table (both)",
        "返す値:prob_better(既定)=施策群の成約率がコントロール群を上回る確率、"
        "expected_loss=施策群を選んだ場合の期待損失(成約率)、table(両方)",
        kind="option",
        default="prob_better",
        words=abtest.AB_MEASURE_WORDS | TABLE_WORDS,
    ),
    _p(
        "prior_alpha",
        "Beta prior α (default 1, uniform prior); a whole number keeps the result exact",
        "ベータ事前分布の α(既定 1 = 一様分布)。整数なら厳密計算",
        default=1.0,
    ),
    _p("prior_beta", "Beta prior β (default 1)", "ベータ事前分布の β(既定 1)", default=1.0),
)


def _ab_kernel(tc, tn, cc, cn, measure, prior_alpha, prior_beta):
    word = option_word("AB_BAYES", _AB_PARAMS[4], measure)
    if word != "table":
        return elementwise(
            "AB_BAYES",
            abtest.ab_bayes_checked,
            _AB_PARAMS,
            [tc, tn, cc, cn, word, prior_alpha, prior_beta],
        )
    args = [_scalar(v, p.name) for v, p in zip((tc, tn, cc, cn), _AB_PARAMS)]
    pa, pb = _scalar(prior_alpha, "prior_alpha"), _scalar(prior_beta, "prior_beta")
    return [
        [label(m), _cell(abtest.ab_bayes_checked(*args, m, pa, pb))] for m in abtest.AB_MEASURES
    ]


AB_BAYES = ExcelFunction(
    "AB_BAYES",
    "Bayesian A/B test (Beta-Binomial): the probability that the treated rate beats the "
    "control rate, and the expected loss of choosing treated. Exact closed form (no "
    "simulation); posteriors Beta(prior_alpha + conversions, prior_beta + size − "
    "conversions).",
    "ベイズ A/B テスト(ベータ・二項モデル):施策群の成約率がコントロール群を上回る確率と、"
    "施策群を選んだときの期待損失。シミュレーションなしの厳密計算。事後分布は "
    "Beta(prior_alpha + 成約数, prior_beta + 人数 − 成約数)。",
    _AB_PARAMS,
    _ab_kernel,
    "percent",
    ((300, 10_000, 200, 10_000), "100.00 %"),
    spills=True,
    library=abtest.ab_bayes,
)


# SRM_CHECK ----------------------------------------------------------------------------------


def _srm_kernel(observed_sizes, expected_shares):
    sizes = _numbers(observed_sizes, "observed_sizes")
    shares = None if expected_shares == () else _numbers(expected_shares, "expected_shares")
    return _cell(abtest.srm_check_checked(sizes, shares))


SRM_CHECK = ExcelFunction(
    "SRM_CHECK",
    "Sample-ratio mismatch check: p-value of Pearson's chi-square test of the group sizes "
    "against the planned shares (default equal). Below 0.001 the split is broken and the "
    "test's result cannot be trusted.",
    "サンプル比率のずれ(SRM)の検定:群の人数が計画した割合(既定は均等)に合っているかの"
    "カイ二乗適合度検定の p値。0.001 未満なら割付が壊れており、テスト結果は信頼できません。",
    (
        _p(
            "observed_sizes",
            "Size of every group (a row or column, 2 groups or more)",
            "各群の人数(行または列、2群以上)",
            kind="vector",
        ),
        _p(
            "expected_shares",
            "Planned share of every group (weights, e.g. 50, 50 or 0.9, 0.1; default equal)",
            "各群の計画割合(重み。例 50, 50 や 0.9, 0.1。既定は均等)",
            kind="vector",
            default=(),
        ),
    ),
    _srm_kernel,
    "number",
    (([[10_000, 10_300]],), "0.0352402"),
    library=None,
)


# ALLOWABLE_CPA, REQUIRED_CVR ------------------------------------------------------------------


def _make(name, en, ja, params, checked, result, example, library) -> ExcelFunction:
    params = tuple(params)
    return ExcelFunction(
        name,
        en,
        ja,
        params,
        lambda *args: elementwise(name, checked, params, list(args)),
        result,
        example,
        library=library,
    )


ALLOWABLE_CPA = _make(
    "ALLOWABLE_CPA",
    "The CPA a customer's lifetime value pays for: ltv ÷ (1 + target_roi). With target_roi "
    "0 (default) the break-even CPA. Use a profit-basis LTV (LTV's gross_margin).",
    "LTV から逆算した許容CPA:LTV ÷ (1 + 目標ROI)。目標ROI 0(既定)なら限界CPA。"
    "LTV は粗利ベース(LTV 関数の gross_margin)で。",
    (
        _p("ltv", "Lifetime value per customer (profit basis)", "顧客1人あたりの LTV(粗利ベース)"),
        _p(
            "target_roi",
            "ROI to keep on the acquisition cost (default 0 = break-even; above −1)",
            "獲得費用に対して確保したい ROI(既定 0 = 損益分岐。−1 より大きい値)",
            default=0.0,
        ),
    ),
    metrics.allowable_cpa_checked,
    "money",
    ((2_700, 0.5), "1,800"),
    metrics.allowable_cpa,
)

REQUIRED_CVR = _make(
    "REQUIRED_CVR",
    "The conversion rate that brings CPA down to the allowable CPA: cost per click ÷ "
    "allowable CPA (above 100 %: no rate can).",
    "CPA を許容CPA まで下げるのに必要な CVR:クリック単価 ÷ 許容CPA"
    "(100% を超えるならどの CVR でも届きません)。",
    (
        _p("cost_per_click", "Cost per click (or per visit)", "クリック単価(訪問1件あたりの費用)"),
        _p(
            "allowable_cpa",
            "Allowable CPA (must be > 0), e.g. from ALLOWABLE_CPA",
            "許容CPA(0より大きい値。ALLOWABLE_CPA の結果など)",
        ),
    ),
    metrics.required_cvr_checked,
    "percent",
    ((90, 1_800), "5.00 %"),
    metrics.required_cvr,
)


# BUDGET_PACING ------------------------------------------------------------------------------

_PACING_PARAMS = (
    _p("budget", "Budget of the period", "期間の予算"),
    _p("spent", "Spent so far", "これまでの消化額"),
    _p(
        "days_elapsed",
        "Days gone (0 < days_elapsed ≤ days_total)",
        "経過日数(0 より大きく期間日数以下)",
    ),
    _p("days_total", "Days in the period", "期間の日数"),
    _p(
        "measure",
        "pacing (default): forecast ÷ budget, over 100 % = overspending; forecast: spend "
        "at the end at today's pace; daily_remaining: left per remaining day; table",
        "返す値:pacing(既定)=着地見込み÷予算(100% 超は使いすぎ)、forecast=今のペースでの"
        "着地見込み、daily_remaining=残り1日あたり予算、table(全項目)",
        kind="option",
        default="pacing",
        words=pacing.MEASURE_WORDS | TABLE_WORDS,
    ),
)


def _pacing_kernel(budget, spent, days_elapsed, days_total, measure):
    word = option_word("BUDGET_PACING", _PACING_PARAMS[4], measure)
    args = [budget, spent, days_elapsed, days_total]
    if word != "table":
        return elementwise(
            "BUDGET_PACING", pacing.budget_pacing_checked, _PACING_PARAMS, [*args, word]
        )
    numbers = [_scalar(v, p.name) for v, p in zip(args, _PACING_PARAMS)]
    return _measure_table(pacing.budget_pacing_checked, pacing.MEASURES, numbers)


BUDGET_PACING = ExcelFunction(
    "BUDGET_PACING",
    "Budget pacing: forecast = spent ÷ days_elapsed × days_total; pacing = forecast ÷ "
    "budget (over 100 %: overspending); daily_remaining = (budget − spent) ÷ (days_total − "
    "days_elapsed).",
    "予算の消化ペース:着地見込み = 消化額 ÷ 経過日数 × 期間日数、消化ペース = 着地見込み ÷ "
    "予算(100% 超は使いすぎ)、残り1日あたり予算 = (予算 − 消化額) ÷ (期間日数 − 経過日数)。",
    _PACING_PARAMS,
    _pacing_kernel,
    "percent",
    ((3_000_000, 1_200_000, 10, 30), "120.00 %"),
    spills=True,
    library=pacing.budget_pacing,
)

ANALYTICS = (ATTRIBUTION, AB_BAYES, SRM_CHECK, ALLOWABLE_CPA, REQUIRED_CVR, BUDGET_PACING)
