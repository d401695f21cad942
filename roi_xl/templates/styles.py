"""Looks and rules per kind of cell: number formats, fills, fonts, validation texts."""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation

from ..i18n import Language
from .model import T

FONT_NAME = {"ja": "Yu Gothic", "en": "Calibri"}  # Office defaults; LibreOffice substitutes
BLUE = "1F4E9A"
INPUT_FILL = PatternFill("solid", fgColor="DDEBF7")
RESULT_FILL = PatternFill("solid", fgColor="F2F2F2")
HEAD_FILL = PatternFill("solid", fgColor="1F3864")
TABLE_HEAD_FILL = PatternFill("solid", fgColor="2F5597")
BAD_FILL = PatternFill("solid", fgColor="FFC7CE")
THIN = Side(style="thin", color="8EA9DB")
GREY = Side(style="thin", color="A6A6A6")
INPUT_BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
RESULT_BORDER = Border(left=GREY, right=GREY, top=GREY, bottom=GREY)
WRAP = Alignment(wrap_text=True, vertical="top")


def font(lang: Language, **kw: object) -> Font:
    return Font(name=FONT_NAME[lang], **kw)  # type: ignore[arg-type]


def number_format(kind: str, lang: Language) -> str:
    """Excel number format of an input or result kind (yen only in Japanese)."""
    money = '"¥"#,##0;[Red]-"¥"#,##0' if lang == "ja" else "#,##0;[Red]-#,##0"
    return {
        "money": money,
        "money_pos": money,
        "count": "#,##0",
        "count_pos": "#,##0",
        "expected": "#,##0.00",
        "rate": "0.0#%",
        "margin": "0.0#%",
        "prob": "0.0#%",
        "percent": "0.0%",
        "percent2": "0.00%",
        "percent4": "0.0000%",
        "roi": "0.0%",
        "roi_gross": "0.0%",
        "pvalue": "[<0.0001]0.00E+00;0.0000",
        "number": "#,##0.00",
        "number_pos": "#,##0.##",
        "text": "@",
        "date": "yyyy-mm-dd",
    }[kind]


# (condition on the cell, allowed-values message)
_RULES: dict[str, tuple[str, T]] = {
    "money": (
        "AND(ISNUMBER({c}),{c}>=0)",
        T("0 以上の金額を入力してください(円)。", "Enter an amount of 0 or more."),
    ),
    "money_pos": (
        "AND(ISNUMBER({c}),{c}>0)",
        T("0 より大きい金額を入力してください(円)。", "Enter an amount greater than 0."),
    ),
    "count": (
        "AND(ISNUMBER({c}),{c}>=0,{c}=INT({c}))",
        T("0 以上の整数(件数)を入力してください。", "Enter a whole number of 0 or more."),
    ),
    "count_pos": (
        "AND(ISNUMBER({c}),{c}>=1,{c}=INT({c}))",
        T("1 以上の整数(件数)を入力してください。", "Enter a whole number of 1 or more."),
    ),
    "rate": (
        "AND(ISNUMBER({c}),{c}>0,{c}<=1)",
        T(
            "0% より大きく 100% 以下の率を入力してください(例: 40%)。",
            "Enter a rate above 0 % and at most 100 % (e.g. 40%).",
        ),
    ),
    "margin": (
        "AND(ISNUMBER({c}),{c}>=0,{c}<=1)",
        T("0% 以上 100% 以下の率を入力してください。", "Enter a rate from 0 % to 100 %."),
    ),
    "prob": (
        "AND(ISNUMBER({c}),{c}>0,{c}<1)",
        T(
            "0% より大きく 100% 未満の値を入力してください。",
            "Enter a value strictly between 0 % and 100 %.",
        ),
    ),
    "number_pos": (
        "AND(ISNUMBER({c}),{c}>0)",
        T("0 より大きい数を入力してください。", "Enter a number greater than 0."),
    ),
    "date": (
        "AND(ISNUMBER({c}),{c}>=1)",
        T("日付を入力してください(例: 2023-01-02)。", "Enter a date (e.g. 2023-01-02)."),
    ),
    "text": (
        "LEN({c})<=60",
        T("60 文字以内の名前を入力してください。", "Enter a name of at most 60 characters."),
    ),
}


def validation(
    kind: str, cell: str, lang: Language, extra: str | None = None, extra_text: T | None = None
) -> DataValidation:
    """A custom-formula validation for one input cell, with input and error messages."""
    condition, text = _RULES[kind]
    formula = condition.format(c=cell)
    message = text(lang)
    if extra:
        formula = f"AND({formula},{extra})"
        message += " " + extra_text(lang) if extra_text else ""
    dv = DataValidation(
        type="custom",
        formula1=formula,
        allow_blank=False,
        showErrorMessage=True,
        showInputMessage=True,
        errorStyle="stop",
    )
    dv.promptTitle = "入力" if lang == "ja" else "Input"
    dv.prompt = message
    dv.errorTitle = "入力できない値です" if lang == "ja" else "Not allowed"
    dv.error = message
    return dv
