"""The user's language (Japanese or English) and the labels that follow it.

Order of precedence: :func:`set_language`, then the ``ROI_XL_LANG`` environment variable
(``ja`` or ``en``), then the system locale (Japanese locales → ``ja``), else ``en``.
"""

from __future__ import annotations

import locale
import os
import unicodedata
from typing import Literal

Language = Literal["ja", "en"]
LANGUAGES: tuple[Language, ...] = ("ja", "en")

_chosen: Language | None = None


def set_language(lang: str | None) -> None:
    """Fix the language for this process (``None`` goes back to the environment/locale).

    Parameters
    ----------
    lang : str or None
        ``"ja"``, ``"en"`` or anything :func:`normalise` reads; ``None`` to unset.

    Returns
    -------
    None
    """
    global _chosen
    _chosen = None if lang is None else normalise(lang)


def normalise(lang: str) -> Language:
    """``"ja_JP.UTF-8"``, ``"Japanese"``, ``"日本語"`` → ``"ja"``; ``"en-US"`` → ``"en"``.

    Parameters
    ----------
    lang : str
        A language or locale name.

    Returns
    -------
    {"ja", "en"}

    Raises
    ------
    UnknownLanguageError
        For a language roi_xl does not speak (also a ``ValueError``).
    """
    key = str(lang).strip().lower()
    if key.startswith(("ja", "jp", "日本")):
        return "ja"
    if key.startswith("en") or key in ("c", "posix", ""):
        return "en"
    from .errors import UnknownLanguageError

    raise UnknownLanguageError(f"unknown language {lang!r}: use 'ja' (日本語) or 'en' (English)")


def language() -> Language:
    """The language labels and help texts should use now.

    Parameters
    ----------
    None

    Returns
    -------
    {"ja", "en"}
        :func:`set_language`'s choice, else ``ROI_XL_LANG``, else the locale, else ``"en"``.
    """
    if _chosen is not None:
        return _chosen
    env = os.environ.get("ROI_XL_LANG")
    if env:
        try:
            return normalise(env)
        except ValueError:
            pass
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "ja" if loc.lower().startswith(("ja", "japanese")) else "en"


LABELS: dict[str, dict[Language, str]] = {
    "stage": {"en": "Stage {n}", "ja": "ステージ{n}"},
    "top": {"en": "Top of funnel", "ja": "ファネル入口"},
    "deals": {"en": "Deals", "ja": "受注"},
    "budget": {"en": "Budget", "ja": "必要予算"},
    "revenue": {"en": "Revenue", "ja": "売上"},
    "treated_rate": {"en": "Treated rate", "ja": "施策群の成約率"},
    "control_rate": {"en": "Control rate", "ja": "コントロール群の成約率"},
    "lift": {"en": "Lift (difference)", "ja": "リフト(成約率の差)"},
    "relative": {"en": "Relative lift", "ja": "相対リフト"},
    "incremental": {"en": "Incremental conversions", "ja": "純増成約数"},
    "z": {"en": "z statistic", "ja": "z値"},
    "p_value": {"en": "p-value (two-sided)", "ja": "p値(両側)"},
    "ci_low": {"en": "CI low ({conf})", "ja": "信頼区間 下限({conf})"},
    "ci_high": {"en": "CI high ({conf})", "ja": "信頼区間 上限({conf})"},
    "prob_better": {"en": "P(treated better)", "ja": "施策群が優れている確率"},
    "expected_loss": {"en": "Expected loss (rate)", "ja": "期待損失(成約率)"},
    "forecast": {"en": "Forecast spend", "ja": "着地見込み"},
    "pacing": {"en": "Pacing (forecast ÷ budget)", "ja": "消化ペース(見込み÷予算)"},
    "daily_remaining": {"en": "Budget per remaining day", "ja": "残り1日あたり予算"},
    # the marketing mix (MMM, BUDGET_ALLOCATE, BUDGET_FOR_TARGET)
    "channel": {"en": "Channel", "ja": "チャネル"},
    "spend": {"en": "Spend", "ja": "広告費"},
    "contribution": {"en": "Incremental revenue", "ja": "増分売上(貢献)"},
    "share_of_spend": {"en": "Share of spend", "ja": "費用シェア"},
    "share_of_effect": {"en": "Share of effect", "ja": "効果シェア"},
    "roas": {"en": "ROAS", "ja": "ROAS"},
    "roi_net": {"en": "ROI (net)", "ja": "ROI(純額)"},
    "marginal_roas": {"en": "Marginal ROAS", "ja": "限界ROAS"},
    "roas_low": {"en": "ROAS low (90 %)", "ja": "ROAS 下限(90%)"},
    "roas_high": {"en": "ROAS high (90 %)", "ja": "ROAS 上限(90%)"},
    "adstock": {"en": "Carryover", "ja": "残存効果"},
    "saturation": {"en": "Saturation", "ja": "飽和曲線"},
    "beta": {"en": "Max effect per period (beta)", "ja": "最大効果/期(beta)"},
    "decay": {"en": "Decay", "ja": "減衰率"},
    "peak_lag": {"en": "Peak lag", "ja": "ピーク遅れ"},
    "half": {"en": "Half-saturation spend", "ja": "半飽和の広告費"},
    "shape": {"en": "Shape", "ja": "形状"},
    "current_spend": {"en": "Today's spend per period", "ja": "現在の広告費/期"},
    "baseline": {"en": "Baseline per period", "ja": "ベース売上/期"},
    "period": {"en": "Period", "ja": "期"},
    "r2": {"en": "R²", "ja": "決定係数 R²"},
    "mape": {"en": "MAPE", "ja": "MAPE(平均絶対誤差率)"},
    "nrmse": {"en": "NRMSE", "ja": "NRMSE"},
    "decomp_rssd": {"en": "DECOMP.RSSD", "ja": "DECOMP.RSSD(費用と効果のずれ)"},
    "holdout_mape": {"en": "Holdout MAPE (last 10 %)", "ja": "検証期間 MAPE(直近10%)"},
    "periods": {"en": "Periods", "ja": "期間数"},
    "warning": {"en": "Warning", "ja": "注意"},
    "warnings_none": {"en": "Warnings: none", "ja": "注意:なし"},
    "today": {"en": "Today's spend", "ja": "現在の広告費"},
    "recommended": {"en": "Recommended spend", "ja": "推奨広告費"},
    "change": {"en": "Change", "ja": "増減"},
    "revenue_today": {"en": "Incremental revenue today", "ja": "現在の増分売上"},
    "revenue_recommended": {"en": "Incremental revenue, recommended", "ja": "推奨時の増分売上"},
    "total": {"en": "Total", "ja": "合計"},
    "draw": {"en": "Draw (0: the fit)", "ja": "サンプル番号(0:推定値)"},
    "range_low": {"en": "Low (90 %)", "ja": "下限(90%)"},
    "range_high": {"en": "High (90 %)", "ja": "上限(90%)"},
    "uplift": {"en": "Uplift per period", "ja": "期あたり上積み売上"},
    "mmm_warn_flat": {
        "en": "{channel}: spend never varies, so its effect cannot be told from the baseline",
        "ja": "{channel}:広告費が一定で変化しないため、効果をベース売上と区別できません",
    },
    "mmm_warn_together": {
        "en": "{a} and {b} move together (correlation {r}): the history cannot split their "
        "effect; calibrate with a lift test",
        "ja": "{a} と {b} が連動しています(相関 {r}):履歴だけでは効果を分けられません。"
        "リフトテストで校正してください",
    },
    "mmm_warn_none": {
        "en": "{channel}: no effect found (its most likely ROAS is 0; the ROAS shown is "
        "its posterior mean)",
        "ja": "{channel}:効果が見つかりません(最も確からしい ROAS は 0。表示の ROAS は事後平均)",
    },
    "mmm_warn_uncertain": {
        "en": "{channel}: ROAS is uncertain (90 % interval {low}–{high})",
        "ja": "{channel}:ROAS の不確かさが大きい(90% 区間 {low}〜{high})",
    },
    "mmm_warn_later": {
        "en": "{channel}: its effect seems to peak {lag} period(s) after the spend, which a "
        'geometric carryover cannot show: fit with adstock="delayed"',
        "ja": "{channel}:効果が広告の {lag} 期後にピークを迎えているようです(幾何減衰では表せません)。"
        'adstock="delayed" で推定してください',
    },
    "mmm_warn_r2": {
        "en": "the model explains little of revenue (R² {r2})",
        "ja": "モデルが売上をあまり説明できていません(R² {r2})",
    },
}


def label(key: str, lang: str | None = None, **fields: object) -> str:
    """A label in ``lang`` (default: :func:`language`), with ``{fields}`` filled in.

    Parameters
    ----------
    key : str
        A key of :data:`LABELS` (``"budget"``, ``"p_value"``…).
    lang : str, optional
        The language; default :func:`language`.
    **fields
        Values for the label's ``{placeholders}`` (``n=2``, ``conf="95%"``).

    Returns
    -------
    str
    """
    text = LABELS[key][normalise(lang) if lang else language()]
    return text.format(**fields) if fields else text


def default_stage_names(count: int, lang: str | None = None) -> list[str]:
    """Names for ``count`` funnel stages: top, Stage 2 … Stage n−1, deals.

    Parameters
    ----------
    count : int
        How many stages (the funnel's rates + 1).
    lang : str, optional
        The language; default :func:`language`.

    Returns
    -------
    list of str
    """
    if count == 1:
        return [label("deals", lang)]
    names = [label("top", lang)]
    names += [label("stage", lang, n=k) for k in range(2, count)]
    return names + [label("deals", lang)]


def text_width(text: object) -> int:
    """Columns ``text`` takes on screen or in a cell: Japanese (wide) characters count two.

    Parameters
    ----------
    text : object
        Anything; its ``str()`` is measured.

    Returns
    -------
    int

    >>> text_width("予算.xlsx")
    9
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def pad(text: object, width: int) -> str:
    """``text`` left-aligned in ``width`` columns, counting wide characters as two.

    Parameters
    ----------
    text : object
        What to show.
    width : int
        Columns to fill.

    Returns
    -------
    str
    """
    return f"{text}{' ' * max(0, width - text_width(text))}"
