"""What Excel's FORMULATEXT shows for a formula stored in the file, where that is certain.

Excel keeps a formula parsed and prints it back: the file holds its English printing with
the prefixes Excel hides (``_xlfn.``, ``_xlfn._xlws.``), and FORMULATEXT shows ``=`` and
that text (``{=`` ... ``}`` for a legacy array formula), which is what an English or a
Japanese Excel shows (both print English function names, ``,`` between arguments and
``.`` in numbers; an Excel in another language shows its own names: ``=SUMME(A1:A3)``).

A text Excel would print otherwise is not given (:class:`~roi_xl.errors.UnresolvedFormula`,
the cell keeps Excel's value): a file written by another program may spell a name in
lower case or a number as ``1.50``; Excel 365 shows a legacy formula that may return a
range with ``@`` (``=@INDEX(A1:A9,2)``), so a normal formula is given only when it calls
functions that return one value, with ranges only as arguments of the aggregates below;
defined names and structured references are printed as Excel spells them, and sheet
names outside plain ASCII may or may not be quoted: those are not given either.

>>> shown("SUM(A1:A3)*2", "normal", ["Data"])
'=SUM(A1:A3)*2'
>>> shown("_xlfn.STDEV.S(Data!A1:A8)+ROUND(1.5,0)", "array", ["Data"])
'{=STDEV.S(Data!A1:A8)+ROUND(1.5,0)}'
>>> shown("INDEX(A1:A9,2)", "normal", [])
Traceback (most recent call last):
...
roi_xl.errors.UnresolvedFormula: FORMULATEXT of a formula Excel may print otherwise (INDEX(: Excel 365 may show it with @)
"""

from __future__ import annotations

import re

from ..errors import UnresolvedFormula

#: Functions that always return one value (no ``@`` in Excel 365's printing of a legacy
#: formula), when their arguments are single cells or values.
SCALAR = frozenset(
    "ABS AND AVERAGE CEILING CHAR CODE CONCATENATE COS COUNT COUNTA COUNTBLANK DATE DAY "
    "DAYS EXACT EXP FIND FLOOR HOUR INT ISBLANK ISERROR ISEVEN ISLOGICAL ISNA ISNUMBER "
    "ISODD ISTEXT LEFT LEN LN LOG LOG10 LOWER MAX MEDIAN MID MIN MINUTE MOD MONTH NOT OR "
    "PI POWER PRODUCT PROPER REPT RIGHT ROUND ROUNDDOWN ROUNDUP SEARCH SECOND SIGN SIN "
    "SQRT STDEV STDEV.P STDEV.S SUBSTITUTE SUM SUMPRODUCT SUMSQ TAN TEXT TIME TRIM TRUNC "
    "UPPER VALUE VAR VAR.P VAR.S WEEKDAY YEAR".split()
)
#: Of those, the ones every argument of which may be a range (no ``@`` before it).
RANGES_OK = frozenset(
    "AND AVERAGE COUNT COUNTA MAX MEDIAN MIN OR PRODUCT STDEV STDEV.P STDEV.S SUM "
    "SUMPRODUCT SUMSQ VAR VAR.P VAR.S".split()
)
_PREFIXES = ("_xlfn._xlws.", "_xlfn.", "_xlws.")
_CELL = r"\$?[A-Z]{1,3}\$?[1-9]\d{0,6}"
_AREA = re.compile(rf"(?:{_CELL}(?::{_CELL})?|\$?[A-Z]{{1,3}}:\$?[A-Z]{{1,3}}|\$?\d+:\$?\d+)")
_NUMBER = re.compile(r"(?:0|[1-9]\d*)(?:\.\d*[1-9])?")
_PLAIN_SHEET = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LOOKS_LIKE_REF = re.compile(r"[A-Za-z]{1,3}\d+|[RrCc]\d*(?:[RrCc]\d*)?")
_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"}


def shown(text: str, kind: str, sheets: list[str]) -> str:
    """FORMULATEXT of a cell whose ``<f>`` holds ``text`` (``kind``: normal, array, or
    dynamic for a formula that spills in Excel 365), in a workbook of ``sheets``."""
    from openpyxl.formula import Tokenizer  # at the first FORMULATEXT only

    if text.startswith("=") or len(text) >= 8192:
        raise _other("its length")
    try:
        tokens = Tokenizer("=" + text).items
    except Exception:
        raise _other("a text the tokenizer cannot read") from None
    if "".join(tok.value for tok in tokens) != text:  # every character accounted for
        raise _other("a text the tokenizer does not read whole")
    legacy = kind == "normal"
    out: list[str] = []
    calls: list[str] = []  # the function of each open parenthesis ("" for grouping)
    for k, tok in enumerate(tokens):
        value = tok.value
        if tok.type == "FUNC" and tok.subtype == "OPEN":
            name = value[:-1]
            for prefix in _PREFIXES:
                if name.startswith(prefix):
                    name = name[len(prefix) :]
                    break
            if name != name.upper() or name.startswith("_") or name in ("SINGLE", "ANCHORARRAY"):
                raise _other(value)
            if legacy and name not in SCALAR:
                raise _other(value + ": Excel 365 may show it with @")
            calls.append(name)
            value = name + "("
        elif tok.type == "FUNC" and tok.subtype == "CLOSE" or tok.type == "PAREN":
            if tok.subtype == "OPEN":
                calls.append("")
            elif calls:
                calls.pop()
        elif tok.type == "OPERAND" and tok.subtype == "RANGE":
            where, _, area = value.rpartition("!")
            if not _AREA.fullmatch(area) or (where and not _sheet_as_excel(where, sheets)):
                raise _other(value)
            if (
                legacy
                and ":" in area
                and not (calls and calls[-1] in RANGES_OK and _alone(tokens, k))
            ):
                raise _other(value + ": Excel 365 may show it with @")
        elif tok.type == "OPERAND" and tok.subtype == "NUMBER":
            if not _NUMBER.fullmatch(value) or len(value.replace(".", "").lstrip("0")) > 15:
                raise _other(value)
        elif tok.type == "OPERAND" and tok.subtype == "LOGICAL":
            if value not in ("TRUE", "FALSE"):
                raise _other(value)
        elif tok.type == "OPERAND" and tok.subtype == "ERROR":
            if value not in _ERRORS:
                raise _other(value)
        out.append(value)
    body = "=" + "".join(out)
    return "{" + body + "}" if kind == "array" else body


def _alone(tokens: list, k: int) -> bool:
    """Whether token ``k`` is a whole argument (between ``(`` or ``,`` and ``,`` or ``)``)."""

    def near(step: int) -> object:
        j = k + step
        while 0 <= j < len(tokens) and tokens[j].type == "WHITE-SPACE":
            j += step
        return tokens[j] if 0 <= j < len(tokens) else None

    before, after = near(-1), near(1)
    return (
        before is not None
        and (before.type == "FUNC" and before.subtype == "OPEN" or before.type == "SEP")
        and after is not None
        and (after.type == "FUNC" and after.subtype == "CLOSE" or after.type == "SEP")
    )


def _sheet_as_excel(where: str, sheets: list[str]) -> bool:
    """Whether ``where`` (before the ``!``) is how Excel prints a sheet of the workbook."""
    if where.startswith("'") and where.endswith("'") and len(where) > 2:
        name = where[1:-1].replace("''", "'")
        needs_quotes = not _PLAIN_SHEET.fullmatch(name) or bool(_LOOKS_LIKE_REF.fullmatch(name))
        return name in sheets and name.isascii() and "." not in name and needs_quotes
    return (
        where in sheets
        and _PLAIN_SHEET.fullmatch(where) is not None
        and not _LOOKS_LIKE_REF.fullmatch(where)
    )


def _other(what: str) -> UnresolvedFormula:
    return UnresolvedFormula(f"FORMULATEXT of a formula Excel may print otherwise ({what})")
