"""The option words of the library (basis, rounding, measure, model) and their one normaliser.

Imports nothing numeric, so the function table can describe its option parameters
without loading NumPy. Every accepted spelling maps to one canonical word; the library's
functions and the Excel functions both go through :func:`normalise`.
"""

from __future__ import annotations

from typing import Mapping

from .errors import UnknownOptionError

#: ROI basis: "net" (break-even 0 %) or "gross" (break-even 100 %).
BASIS_WORDS: dict[str, str] = {
    "net": "net",
    "純": "net",
    "純利益": "net",
    "純額": "net",
    "gross": "gross",
    "粗": "gross",
    "粗利": "gross",
    "粗利益": "gross",
    "総額": "gross",
}

#: Funnel rounding: "ceil" rounds every stage up, "none" keeps expected values.
ROUNDING_WORDS: dict[str, str] = {
    "ceil": "ceil",
    "up": "ceil",
    "roundup": "ceil",
    "切り上げ": "ceil",
    "切上げ": "ceil",
    "none": "none",
    "expected": "none",
    "exact": "none",
    "なし": "none",
    "期待値": "none",
}

#: The measures of a lift test, in the order the LIFT table shows them.
MEASURES: tuple[str, ...] = (
    "lift",
    "relative",
    "incremental",
    "treated_rate",
    "control_rate",
    "z",
    "p_value",
    "ci_low",
    "ci_high",
)
MEASURE_WORDS: dict[str, str] = {m: m for m in MEASURES} | {
    "relative_lift": "relative",
    "pvalue": "p_value",
    "p": "p_value",
    "incremental_conversions": "incremental",
    "treated": "treated_rate",
    "control": "control_rate",
    "リフト": "lift",
    "相対リフト": "relative",
    "純増": "incremental",
    "p値": "p_value",
    "z値": "z",
}

#: What a multi-touch attribution model can be (:func:`roi_xl.attribute`).
MODELS: tuple[str, ...] = ("last", "first", "linear", "position", "time_decay", "markov")
MODEL_WORDS: dict[str, str] = {m: m for m in MODELS} | {
    "last_touch": "last",
    "last_click": "last",
    "first_touch": "first",
    "first_click": "first",
    "position_based": "position",
    "u_shaped": "position",
    "timedecay": "time_decay",
    "decay": "time_decay",
    "data_driven": "markov",
    "ラストクリック": "last",
    "ラストタッチ": "last",
    "ファーストクリック": "first",
    "ファーストタッチ": "first",
    "線形": "linear",
    "均等": "linear",
    "接点ベース": "position",
    "減衰": "time_decay",
    "マルコフ": "markov",
}

#: The measures of a Bayesian A/B test (:func:`roi_xl.ab_bayes`), in table order.
AB_MEASURES: tuple[str, ...] = ("prob_better", "expected_loss")
AB_MEASURE_WORDS: dict[str, str] = {m: m for m in AB_MEASURES} | {
    "probability": "prob_better",
    "p_better": "prob_better",
    "prob": "prob_better",
    "loss": "expected_loss",
    "勝率": "prob_better",
    "優位確率": "prob_better",
    "期待損失": "expected_loss",
}

#: The measures of budget pacing (:func:`roi_xl.budget_pacing`), in table order.
PACING_MEASURES: tuple[str, ...] = ("forecast", "pacing", "daily_remaining")
PACING_MEASURE_WORDS: dict[str, str] = {m: m for m in PACING_MEASURES} | {
    "pace": "pacing",
    "projected": "forecast",
    "projection": "forecast",
    "daily": "daily_remaining",
    "見込み": "forecast",
    "着地見込み": "forecast",
    "消化率": "pacing",
    "ペース": "pacing",
    "残日予算": "daily_remaining",
    "1日あたり残予算": "daily_remaining",
}

#: The marketing mix (SPEC §3c): what MMM spills, and the model's forms.
MMM_MEASURES: tuple[str, ...] = ("summary", "model", "fit", "decomposition", "draws")
MMM_MEASURE_WORDS: dict[str, str] = {m: m for m in MMM_MEASURES} | {
    "decomp": "decomposition",
    "params": "model",
    "parameters": "model",
    "要約": "summary",
    "サマリー": "summary",
    "モデル": "model",
    "パラメータ": "model",
    "適合度": "fit",
    "当てはまり": "fit",
    "分解": "decomposition",
    "要因分解": "decomposition",
    "draw": "draws",
    "サンプル": "draws",
    "事後サンプル": "draws",
}
ADSTOCK_WORDS: dict[str, str] = {
    "geometric": "geometric",
    "geom": "geometric",
    "幾何": "geometric",
    "delayed": "delayed",
    "delay": "delayed",
    "遅延": "delayed",
}
SATURATION_WORDS: dict[str, str] = {
    "hill": "hill",
    "ヒル": "hill",
    "logistic": "logistic",
    "ロジスティック": "logistic",
}
ALLOCATE_MEASURE_WORDS: dict[str, str] = {
    "table": "table",
    "表": "table",
    "uplift": "uplift",
    "増分": "uplift",
    "上積み": "uplift",
    "range": "range",
    "範囲": "range",
    "幅": "range",
}
TARGET_MEASURE_WORDS: dict[str, str] = {
    "table": "table",
    "表": "table",
    "budget": "budget",
    "予算": "budget",
    "range": "range",
    "範囲": "range",
    "幅": "range",
}

#: The extra word of an Excel function that spills every measure of one case as a table.
TABLE_WORDS: dict[str, str] = {"table": "table", "all": "table", "表": "table"}


def key(value: object) -> str:
    """How a word is looked up: case, surrounding spaces, inner spaces and hyphens ignored.

    Parameters
    ----------
    value : object
        A word as a cell or a caller gives it.

    Returns
    -------
    str
        The lookup key.

    >>> key(" Relative-Lift ")
    'relative_lift'
    """
    return str(value).strip().lower().replace(" ", "_").replace("-", "_")


def normalise(function: str, argument: str, value: object, words: Mapping[str, str]) -> str:
    """The canonical word for ``value``, or :class:`~roi_xl.errors.UnknownOptionError`.

    Parameters
    ----------
    function, argument : str
        Who asks, for the error message (``"roi"``, ``"basis"``).
    value : object
        The word as given: any case, Japanese aliases allowed.
    words : mapping
        Every accepted spelling (as :func:`key` makes it) → its canonical word.

    Returns
    -------
    str
        The canonical word.

    Examples
    --------
    >>> normalise("roi", "basis", "GROSS", BASIS_WORDS)
    'gross'
    >>> normalise("roi", "basis", "粗利", BASIS_WORDS)
    'gross'
    """
    found = words.get(key(value))
    if found is None:
        raise UnknownOptionError(function, argument, value, tuple(dict.fromkeys(words.values())))
    return found
