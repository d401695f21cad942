"""Where formualizer's built-in functions answer differently from Excel, our layer either
replaces the function (``register_function(..., allow_override_builtin=True)``) or makes
the engine say "not computed", so the cell keeps Excel's cached value and is reported.

Each gap was found on real workbooks (``tests/data/poi/``) and is listed in the README
("What refresh cannot compute").
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable

import formualizer as fz


def excel_type(value: Any) -> int:
    """Excel's ``TYPE``: 1 number (and blank), 2 text, 4 logical, 16 error, 64 array.

    formualizer propagates an error argument instead of answering 16.

    >>> [excel_type(v) for v in (3.0, None, "a", True, {"type": "Error", "kind": "Div"}, [[1]])]
    [1, 1, 2, 4, 16, 64]
    """
    if isinstance(value, dict) and value.get("type") == "Error":
        return 16
    if isinstance(value, list):
        return 64
    if isinstance(value, bool):
        return 4
    if isinstance(value, str):
        return 2
    return 1


#: Number formats formualizer's TEXT renders as Excel does: digits, grouping, decimals,
#: percent, currency signs and quoted text; or plain dates and times. Anything else
#: (sections, [conditions], [h] elapsed time, fractions, exponents, ?, General, @, _ and *)
#: it gets wrong (tests/data/poi/*FormatTests.xlsx), so those cells keep Excel's value.
_SAFE_NUMBER_FORMAT = re.compile(r'(?:[0#,.%$ -]|"[^"]*")*[0#](?:[0#,.%$ -]|"[^"]*")*')
_SAFE_DATE_FORMAT = re.compile(r"(?:[ymdhs:/. -]|AM/PM)+", re.I)
NOT_COMPUTED_ERROR = "NImpl"


def safe_text_format(fmt: Any) -> bool:
    """Whether ``TEXT(number, fmt)`` is one the engine computes as Excel does.

    >>> [safe_text_format(f) for f in ("#,##0.00", '0.0%" up"', "yyyy-mm-dd hh:mm")]
    [True, True, True]
    >>> [safe_text_format(f) for f in ("General", "[<10]0", "# ?/?", "0.0E+0", "0;-0", "@")]
    [False, False, False, False, False, False]
    """
    if not isinstance(fmt, str) or not fmt:
        return False
    return bool(_SAFE_NUMBER_FORMAT.fullmatch(fmt) or _SAFE_DATE_FORMAT.fullmatch(fmt))


def text_function(date_system: str) -> Callable[..., Any]:
    """Excel's ``TEXT`` for a number and a format of :func:`safe_text_format`, by the
    engine's own built-in (in a scratch workbook); "not computed" for anything else."""
    scratch = fz.Workbook(config=_config(date_system))
    scratch.add_sheet("T")
    scratch.set_formula("T", 1, 3, "=TEXT(A1,B1)")

    def text(value: Any, fmt: Any) -> Any:
        if isinstance(value, dict) and value.get("type") == "Error":
            return fz.LiteralValue.error(value.get("kind", "Value"), None)
        if isinstance(fmt, dict) and fmt.get("type") == "Error":
            return fz.LiteralValue.error(fmt.get("kind", "Value"), None)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return fz.LiteralValue.error(NOT_COMPUTED_ERROR, None)
        if not safe_text_format(fmt):
            return fz.LiteralValue.error(NOT_COMPUTED_ERROR, None)
        scratch.set_value("T", 1, 1, value)
        scratch.set_value("T", 1, 2, fmt)
        return scratch.evaluate_cell("T", 1, 3)

    return text


def _config(date_system: str) -> Any:
    settings = fz.EvaluationConfig()
    settings.date_system = date_system
    return fz.WorkbookConfig(eval_config=settings)


#: name → (callback, min_args, max_args), registered over the engine's built-in; a
#: callable taking the date system builds the callback.
OVERRIDES: dict[str, tuple[Callable[..., Any], int, int]] = {
    "TYPE": (excel_type, 1, 1),
    "TEXT": (text_function, 2, 2),
}
_NEEDS_DATE_SYSTEM = {"TEXT"}

_CALLS = re.compile(r"(?<![\w.])(" + "|".join(OVERRIDES) + r")\s*\(", re.I)


def register(wb: fz.Workbook, formulas: Iterable[str] | None, date_system: str = "1900") -> None:
    """Register the overrides the formulas call (all of them when ``formulas`` is None)."""
    if formulas is None:
        names = set(OVERRIDES)
    else:
        names = {m.upper() for f in formulas for m in _CALLS.findall(f or "")}
    for name in sorted(names):
        callback, lo, hi = OVERRIDES[name]
        if name in _NEEDS_DATE_SYSTEM:
            callback = callback(date_system)
        wb.register_function(name, callback, min_args=lo, max_args=hi, allow_override_builtin=True)


# Formulas the engine must not compute ---------------------------------------------------------

_STRING = re.compile(r'"(?:[^"]|"")*"')
#: ``[1]Sheet1!A1``, ``[1]!Name``, ``'[1]My sheet'!A1``, ``'[book.xlsx]Sheet1'!A1``
_EXTERNAL = re.compile(r"(?<![\w\]])(?:\[\d+\][^!\[\]()'\",]*!|'\[[^\]']+\][^']*'!)")


def unsupported(formula: str) -> str:
    """Why the engine must not compute ``formula`` ("" when it may). Such a cell keeps
    Excel's cached value, and the engine sees that value as a constant, so the cells that
    depend on it compute from Excel's answer instead of from the engine's guess.

    >>> unsupported("SUM([1]Sheet1!A1:B2)")
    'refers to another workbook (its value is the one Excel stored)'
    >>> unsupported("'[book.xlsx]Data'!A1*2") != ""
    True
    >>> unsupported('Table1[2019]+"[1]x!"')
    ''
    """
    text = _STRING.sub('""', formula)
    if _EXTERNAL.search(text):
        return "refers to another workbook (its value is the one Excel stored)"
    return ""
