"""Where formualizer's built-in functions answer differently from Excel, our layer either
replaces the function (``register_function(..., allow_override_builtin=True)``) or makes
the engine say "not computed", so the cell keeps Excel's cached value and is reported.

Each gap was found on real workbooks (``tests/data/poi/``) and is listed in the README
("What refresh cannot compute").
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any, Callable, Iterable

import formualizer as fz

from ..errors import UnresolvedFormula
from . import aggregate_gaps, builtin_fixes, cell_info, database_gaps, lookup_gaps, text_gaps
from .sheet import col_name


def excel_type(value: Any) -> int:
    """Excel's ``TYPE``: 1 number (and blank), 2 text, 4 logical, 16 error, 64 array.

    formualizer propagates an error argument instead of answering 16.

    >>> [excel_type(v) for v in (3.0, None, "a", True, {"type": "Error", "kind": "Div"}, [[1]])]
    [1, 1, 2, 4, 16, 64]
    """
    if isinstance(value, dict) and value.get("type") == "Error":
        if value.get("kind") in ("NImpl", "Name"):  # not Excel's error: not computed
            return fz.LiteralValue.error(value["kind"], None)
        return 16
    if isinstance(value, list):
        return 64
    if isinstance(value, bool):
        return 4
    if isinstance(value, str):
        return 2
    return 1


NOT_COMPUTED_ERROR = "NImpl"


def text_function(date_system: str) -> Callable[..., Any]:
    """Excel's ``TEXT`` by :func:`roi_xl.numfmt.text` (formualizer renders most number
    formats wrongly: sections, conditions, fractions, exponents, ``[h]``, ``General``...).
    A format that module cannot render exactly makes the engine say "not computed", so the
    cell keeps Excel's value and is reported."""
    date1904 = date_system == "1904"

    def text(value: Any, fmt: Any) -> Any:
        from .. import numfmt  # at the first TEXT: a worker whose files have none skips it

        for arg in (value, fmt):
            if isinstance(arg, dict) and arg.get("type") == "Error":
                return fz.LiteralValue.error(arg.get("kind", "Value"), None)
        if isinstance(value, (list, dict)) or isinstance(fmt, (list, dict)):
            return fz.LiteralValue.error(NOT_COMPUTED_ERROR, None)
        if not isinstance(value, (int, float, str, bool)) and value is not None:
            return fz.LiteralValue.error(NOT_COMPUTED_ERROR, None)
        try:
            if fmt is None or isinstance(fmt, bool):
                fmt = "" if fmt is None else ("TRUE" if fmt else "FALSE")
            elif not isinstance(fmt, str):
                fmt = numfmt.general(float(fmt))  # a number as the format: its digits
            return numfmt.text(value, fmt, date1904=date1904)
        except numfmt.FormatNotSupported:
            return fz.LiteralValue.error(NOT_COMPUTED_ERROR, None)

    return text


_TEXT_CALL = re.compile(r"(?<![\w.])TEXT\s*\(", re.I)
NOT_IMPLEMENTED = "not implemented by the engine"


def kept_reason(formula: str, why: str, unknown: tuple[str, ...]) -> str:
    """The reason a cell keeps Excel's value, told more precisely where the engine's
    "not implemented" comes from our own ``TEXT`` (a format :mod:`roi_xl.numfmt` refused).

    >>> kept_reason('=TEXT(A1,"*-0")', NOT_IMPLEMENTED, ())
    "TEXT's number format (or its value in it) cannot be rendered exactly as Excel does"
    >>> kept_reason("=FOO(A1)", NOT_IMPLEMENTED, ("FOO",))
    'not implemented by the engine'
    """
    if why == NOT_IMPLEMENTED and not unknown:
        text = _STRING.sub('""', formula)
        if _TEXT_CALL.search(text):
            return (
                "TEXT's number format (or its value in it) cannot be rendered exactly as Excel does"
            )
        for pattern, reason in _NOT_COMPUTED_REASONS:
            m = pattern.search(text)
            if m:
                return reason.format(name=m.group(1).upper())
    return why


def _calling(names: Iterable[str]) -> re.Pattern[str]:
    return re.compile(
        r"(?<![\w.])(" + "|".join(sorted(names, key=len, reverse=True)) + r")\s*\(", re.I
    )


#: Why an override said "not computed", by the function the formula calls.
_NOT_COMPUTED_REASONS = (
    (_calling(text_gaps.NAMES), text_gaps.REASON),
    (_calling(lookup_gaps.LOOKUPS), "{name}: " + lookup_gaps.REASON),
    (_calling(database_gaps.NAMES), "{name} with an array as its field: not computed"),
    (_calling(aggregate_gaps.NAMES), aggregate_gaps.REASON),
    (_calling(builtin_fixes.PATTERNS), builtin_fixes.REASON),
)


#: name → (callback, min_args, max_args), registered over the engine's built-in; a
#: callable taking the date system builds the callback.
OVERRIDES: dict[str, tuple[Callable[..., Any], int, int]] = {
    "TYPE": (excel_type, 1, 1),
    "TEXT": (text_function, 2, 2),
    **text_gaps.TEXTS,  # byte and code-page functions: ASCII only (text_gaps)
    **lookup_gaps.LOOKUPS,  # approximate lookups: sorted data only (lookup_gaps)
    "SUMPRODUCT": (aggregate_gaps.sumproduct, 1, 255),  # text and logicals are 0
    **{  # an error in the summed range (aggregate_gaps)
        name: (partial(aggregate_gaps.conditional, name), 2 if name.endswith("F") else 3, 255)
        for name in aggregate_gaps.NAMES
    },
    **{  # headers that are numbers (database_gaps)
        name: (partial(database_gaps.database_function, name), 3, 3) for name in database_gaps.NAMES
    },
    **builtin_fixes.FIXES,  # built-ins the coverage table found unlike Excel (builtin_fixes)
}
_NEEDS_DATE_SYSTEM = {
    "TEXT",
    *database_gaps.NAMES,
    *aggregate_gaps.NAMES,
    *builtin_fixes.NEEDS_DATE_SYSTEM,
}

_CALLS = re.compile(
    r"(?<![\w.])(" + "|".join(sorted(OVERRIDES, key=len, reverse=True)) + r")\s*\(", re.I
)


def register(wb: fz.Workbook, formulas: Iterable[str] | None, date_system: str = "1900") -> None:
    """Register the overrides the formulas call (all of them when ``formulas`` is None)."""
    if formulas is None:
        names = set(OVERRIDES)
    else:  # substring tests first: the texts may be whole sheets
        from .engine import _calls

        upper = "\n".join(f for f in formulas if f).upper()  # one pass per name, not per cell
        names = {n for n in OVERRIDES if n in upper and _calls(upper, n)}
        if names & set(lookup_gaps.LOOKUPS) and not lookup_gaps.has_approximate_lookup(upper):
            names -= set(lookup_gaps.LOOKUPS)  # exact lookups only: the engine's own are right
    for name in sorted(names):
        callback, lo, hi = OVERRIDES[name]
        if name in _NEEDS_DATE_SYSTEM:
            callback = callback(date_system)
        wb.register_function(name, callback, min_args=lo, max_args=hi, allow_override_builtin=True)


# Sheet names ------------------------------------------------------------------------------------

#: formualizer starts every workbook with a sheet "Sheet1". A workbook sheet whose name is
#: that but for case ("sheet1", "SHEET1") is loaded as its own sheet, but some formulas
#: (IF among them, once there are two) are then placed on the phantom "Sheet1" during
#: evaluation, and the real sheet's cells stay unevaluated (tests/data/poi/59132.xlsx).
ENGINE_DEFAULT_SHEET = "Sheet1"


def engine_sheet_names(names: Iterable[str]) -> dict[str, str]:
    """Sheets the engine must see under another name: ``{name in the file: name for the
    engine}`` (Excel's sheet names are case-insensitive, so formulas still find them).

    >>> engine_sheet_names(["Data", "sheet1"]), engine_sheet_names(["Sheet1", "sheet2"])
    ({'sheet1': 'Sheet1'}, {})
    """
    return {
        n: ENGINE_DEFAULT_SHEET
        for n in names
        if n.casefold() == ENGINE_DEFAULT_SHEET.casefold() and n != ENGINE_DEFAULT_SHEET
    }


# Formulas the engine must not compute ---------------------------------------------------------

_STRING = re.compile(r'"(?:[^"]|"")*"')
#: ``[1]Sheet1!A1``, ``[1]!Name``, ``'[1]My sheet'!A1``, ``'[book.xlsx]Sheet1'!A1``
_EXTERNAL = re.compile(
    r"(?<![\w\]])(?:\[\d+\][^!\[\]()'\",]*!|'\[[^\]']+\][^']*'!|\['[^']+'\][^!]*!)"
)


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
    if "CELL" in text.upper():
        why = cell_info.why_not(formula)
        if why:
            return why
    if _EXTERNAL.search(text):
        return "refers to another workbook (its value is the one Excel stored)"
    if _FORMULATEXT.search(text):
        return FORMULATEXT_REASON
    if _CATCHER.search(text):
        m = _MAY_NOT_COMPUTE.search(text)
        if m and (
            m.group(1).upper() not in lookup_gaps.LOOKUPS
            or lookup_gaps.has_approximate_lookup(text)
        ):
            return CAUGHT_REASON.format(name=m.group(1).upper())
    m = _COMPLEX.search(text)
    if m:
        return f"{m.group(1).upper()}: the engine writes complex numbers with other digits"
    for m in _BINARY_SEARCH.finditer(text):
        args = _arguments(text, m.end())
        mode = args[5 if m.group(1).upper() == "XLOOKUP" else 3 :][:1]
        if mode and mode[0].strip() in ("2", "-2"):
            return f"{m.group(1).upper()} with binary search: Excel's answer on unsorted data"
    return wrong_builtin(formula, text)


#: The engine answers FORMULATEXT with its own re-printing of the formula (``=A1 + 1``
#: for ``=A1+1``); Excel shows the text as typed, which the engine never sees.
_FORMULATEXT = re.compile(r"(?<![\w.])(?:_xlfn\.)?FORMULATEXT\s*\(", re.I)
FORMULATEXT_REASON = "FORMULATEXT: the engine re-prints formulas; Excel shows them as typed"

#: A function that looks at an error instead of passing it on. formualizer's would catch
#: the "not computed" error of an override too (``IFERROR(MATCH(4,B1:B5),"x")`` gave "x"),
#: and an override of them is not called when a nested call fails, so a formula that has
#: both keeps Excel's value.
_CATCHER = re.compile(
    r"(?<![\w.])(?:_xlfn\.)?(?:IFERROR|IFNA|ISERROR|ISERR|ISNA|ERROR\.TYPE|ISNUMBER|ISTEXT|"
    r"ISNONTEXT|ISLOGICAL|ISBLANK|TYPE|AGGREGATE|COUNT|COUNTA|COUNTIFS?)\s*\(",
    re.I,
)
_MAY_NOT_COMPUTE = _calling(
    [
        *text_gaps.NAMES,
        *lookup_gaps.LOOKUPS,
        *aggregate_gaps.NAMES,
        "SUMPRODUCT",
        *builtin_fixes.PATTERNS,
    ]
)
CAUGHT_REASON = (
    "{name} (which may not be computed) inside a function that catches errors: Excel's value kept"
)

_BINARY_SEARCH = re.compile(r"(?<![\w.])(?:_xlfn\.)?(XLOOKUP|XMATCH)\s*\(", re.I)


# Built-ins the coverage table (docs/function-coverage.md) found answering unlike Excel ---------


_DATE_ARGS = (
    "DAY MONTH YEAR WEEKDAY HOUR MINUTE SECOND DAYS EDATE EOMONTH WEEKNUM ISOWEEKNUM DAYS360 "
    "YEARFRAC NETWORKDAYS WORKDAY NETWORKDAYS.INTL WORKDAY.INTL DATEDIF"
).split()
#: name -> (whether the call's top-level arguments, strings blanked to "", meet the case; why)
_WRONG_BUILTINS: dict[str, tuple[Callable[[list[str]], bool], str]] = {
    **dict.fromkeys(
        _DATE_ARGS,
        (lambda a: any('""' in x for x in a[:2]), "{name} of a date or time written as text"),
    ),
    "ISFORMULA": (lambda a: True, "ISFORMULA: the engine does not tell formula cells apart"),
    **dict.fromkeys(
        ("GROUPBY", "PIVOTBY"), (lambda a: True, "{name}: the engine answers an error")
    ),
    "INDEX": (
        lambda a: bool(a) and (a[0].strip().startswith("(") or len(a) > 3),
        "INDEX of several areas: the engine does not implement them",
    ),
    "INDIRECT": (
        lambda a: len(a) > 1 and a[1].strip().upper() not in ("", "TRUE", "1"),
        "INDIRECT of an R1C1 reference: the engine does not read it",
    ),
    **dict.fromkeys(
        ("DCOUNT", "DCOUNTA"),
        (
            lambda a: len(a) > 1 and not a[1].strip(),
            "{name} without a field: the engine answers #VALUE!",
        ),
    ),
}
_WRONG_CALL = re.compile(
    r"(?<![\w.])(?:_xlfn\.)?("
    + "|".join(re.escape(n) for n in sorted(_WRONG_BUILTINS, key=len, reverse=True))
    + r")\s*\(",
    re.I,
)
#: Substrings one of which a formula that :func:`wrong_builtin` names holds (cheap tests first).
_WRONG_HINTS = (
    "DAY", "DATE", "MONTH", "YEAR", "HOUR", "MINUTE", "SECOND", "WEEK", "CEILING", "FLOOR",
    "GCD", "LCM", "DB(", "ISFORMULA", "BY(", "INDEX", "INDIRECT", "TEXTBEFORE", "TEXTAFTER",
    "DCOUNT", "VALUE(",
)  # fmt: skip


def wrong_builtin(formula: str, text: str) -> str:
    """Why a built-in the engine answers unlike Excel must not compute ``formula`` (""
    when it may); ``text``: the formula with its strings blanked.

    >>> wrong_builtin("ISFORMULA(A1)", "ISFORMULA(A1)")
    'ISFORMULA: the engine does not tell formula cells apart'
    >>> wrong_builtin("CEILING(A1,-2)+GCD(A1,B1,C1)", "CEILING(A1,-2)+GCD(A1,B1,C1)")
    ''
    """
    for m in _WRONG_CALL.finditer(text):
        test, why = _WRONG_BUILTINS[m.group(1).upper()]
        if test(_arguments(text, m.end())):
            return why.format(name=m.group(1).upper())
    return ""


def _arguments(text: str, start: int) -> list[str]:
    """The top-level arguments of the call whose ``(`` ends just before ``start``.

    >>> _arguments("XLOOKUP(E2,C2:C7,IF(A1,1,2),0,1,2)+1", 8)
    ['E2', 'C2:C7', 'IF(A1,1,2)', '0', '1', '2']
    """
    args, depth, begin = [], 0, start
    for i in range(start, len(text)):
        ch = text[i]
        if ch in "({":
            depth += 1
        elif ch in ")}":
            if depth == 0:
                args.append(text[begin:i])
                return args
            depth -= 1
        elif ch == "," and depth == 0:
            args.append(text[begin:i])
            begin = i + 1
    return args


#: Excel's complex-number functions answer text with 15 significant digits; the engine
#: writes 17 ("1.4978661367769956+1.1071487177940904i" for "1.497866136777+1.10714871779409i").
_COMPLEX = re.compile(r"(?<![\w.])((?:_xlfn\.)?(?:IM[A-Z0-9.]+|COMPLEX))\s*\(", re.I)
_IM = re.compile(r"IM[A-Z0-9.]+\(|COMPLEX\(", re.I)


def may_be_unsupported(xml: str, texts: str | None = None) -> bool:
    """Whether a sheet may hold a formula :func:`unsupported` names or a data table (a
    cheap test of the XML: substring searches first). ``texts``: the sheet's formula texts
    (or any text that holds them all), when known: the function names are looked for
    there, in any case, instead of in the whole XML.

    >>> may_be_unsupported("<f>SUM(A1:A3)</f>"), may_be_unsupported("<f>imsum(A1)</f>")
    (False, True)
    """
    if "[" in xml or "dataTable" in xml:
        return True
    upper = (xml if texts is None else texts).upper()
    if "CELL(" in upper:  # cell_info.why_not
        return True
    if "XLOOKUP" in upper or "XMATCH" in upper or "FORMULATEXT" in upper:
        return True
    if (
        "IF" in upper or "IS" in upper or "COUNT" in upper or "TYPE" in upper or "AGG" in upper
    ) and (_MAY_NOT_COMPUTE.search(upper) is not None):
        return True
    if any(h in upper for h in _WRONG_HINTS) and (  # wrong_builtin
        _WRONG_CALL.search(upper) is not None
    ):
        return True
    return ("IM" in upper or "COMPLEX" in upper) and _IM.search(upper) is not None


# Formulas rewritten for the engine --------------------------------------------------------------


_RANGE = re.compile(
    r"(?<![\w.$!'\]])(?P<sheet>(?:'(?:[^']|'')+'|[A-Za-z_][\w.]*)!)?"
    r"(?:(?P<c1>\$?[A-Z]{1,3})(?P<r1>\$?\d+):(?P<c2>\$?[A-Z]{1,3})(?P<r2>\$?\d+)"
    r"|(?P<cc1>\$?[A-Z]{1,3}):(?P<cc2>\$?[A-Z]{1,3})|(?P<rr1>\$?\d+):(?P<rr2>\$?\d+))"
    r"(?![\w(!])"
)


#: Functions every argument of which is one value: a range given to them in an ordinary
#: formula is implicitly intersected, as at the top level (``=ABS(K9:N9)`` in N96 is N9).
SCALAR_FUNCTIONS = frozenset(
    "ABS ACOS ACOSH ASIN ASINH ATAN ATANH COS COSH DEGREES EVEN EXP FACT INT ISEVEN ISODD "
    "LN LOG10 ODD RADIANS SIGN SIN SINH SQRT TAN TANH ROUND ROUNDUP ROUNDDOWN MOD POWER "
    "ATAN2 TRUNC LEN UPPER LOWER TRIM VALUE CHAR CODE".split()
)
_NAME_BEFORE = re.compile(r"([A-Za-z_][\w.]*)$")
#: A range right inside one of :data:`SCALAR_FUNCTIONS` (a cheap test before the pass).
SCALAR_ARGUMENT = re.compile(
    r"(?<![\w.])(?:" + "|".join(sorted(SCALAR_FUNCTIONS)) + r")\((?:'[^'\n]*'!|[\w.]+!)?"
    r"\$?[A-Z]{1,3}\$?\d*:"
)


def _top_level(formula: str) -> tuple[list[bool], list[bool]]:
    """For each character: whether it is in no function call's parentheses (and in no
    string), and whether it is inside a string literal."""
    out, stack, quote, inside = [], [], "", []
    for i, ch in enumerate(formula):
        inside.append(quote == '"')
        if quote:
            out.append(False)
            if ch == quote:
                quote = ""  # a doubled quote reopens at the next character
            continue
        if ch in "\"'":
            quote = ch
            out.append(ch == "'" and all(k == "g" for k in stack))
            continue
        if ch == "(":
            name = _NAME_BEFORE.search(formula, 0, i)
            if name is None:
                stack.append("g")  # grouping
            else:  # a function whose arguments are all scalars takes a range's one cell
                stack.append("g" if name.group(1).upper() in SCALAR_FUNCTIONS else "f")
        elif ch == ")" and stack:
            stack.pop()
        elif ch == "{":
            stack.append("f")
        elif ch == "}" and stack:
            stack.pop()
        out.append(all(k == "g" for k in stack))
    return out, inside


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters.lstrip("$"):
        n = n * 26 + ord(ch) - 64
    return n


_SHEETS_3D = re.compile(
    r"(?<![\w.$'!])(?:'(?P<q1>[^':]+):(?P<q2>[^']+)'|(?P<u1>[A-Za-z_][\w.]*):(?P<u2>[A-Za-z_][\w.]*))"
    r"!(?P<ref>\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)(?![\w(])"
)
#: Functions that take a 3-D reference (Sheet1:Sheet3!A1) and treat it as its sheets' ranges.
_3D_FUNCTIONS = {
    "SUM", "AVERAGE", "AVERAGEA", "COUNT", "COUNTA", "MAX", "MAXA", "MIN", "MINA", "PRODUCT",
    "STDEV", "STDEVA", "STDEVP", "STDEVPA", "VAR", "VARA", "VARP", "VARPA",
}  # fmt: skip


def three_d(formula: str, sheets: list[str]) -> str:
    """3-D references spelled out sheet by sheet, where Excel allows them (an argument of
    SUM, AVERAGE, COUNT, MAX, ...): the engine does not implement them.

    >>> three_d("SUM(Sheet1:Sheet3!A1)*2", ["Sheet1", "Sheet2", "Sheet3", "X"])
    "SUM('Sheet1'!A1,'Sheet2'!A1,'Sheet3'!A1)*2"
    """

    def spell(m: re.Match[str]) -> str:
        first, last = (m.group("q1"), m.group("q2")) if m.group("q1") else m.group("u1", "u2")
        names = [n.upper() for n in sheets]
        if first.upper() not in names or last.upper() not in names:
            raise UnresolvedFormula(f"3-D reference {m.group(0)} to sheets the workbook lacks")
        i, j = sorted((names.index(first.upper()), names.index(last.upper())))
        before = formula[: m.start()].rstrip()
        after = formula[m.end() :].lstrip()
        call = re.search(r"([A-Za-z_][\w.]*)\(\s*(?:[^()]*,)?\s*$", before)
        if not (before.endswith(("(", ",")) and after.startswith((")", ","))) or not call:
            raise UnresolvedFormula(f"3-D reference {m.group(0)} outside a function argument")
        if call.group(1).upper().removeprefix("_XLFN.") not in _3D_FUNCTIONS:
            raise UnresolvedFormula(f"3-D reference {m.group(0)} in {call.group(1)}")
        quoted = ["'" + s.replace("'", "''") + "'!" + m.group("ref") for s in sheets[i : j + 1]]
        return ",".join(quoted)

    if ":" not in formula or "!" not in formula:
        return formula
    return _SHEETS_3D.sub(spell, formula)


_INTERSECTION = re.compile(r"[\w$)]\s+[$'(A-Za-z]")


def engine_formula(formula: str, ref: str, kind: str) -> str:
    """The formula as the engine should read it, in cell ``ref`` (``kind``: normal, shared
    or array):

    - a reversed range (``O2:O1``) in Excel's order (the engine fails the workbook);
    - outside an array formula, a range that is an operand at the formula's top level
      (``=A:A&"/"&B:B``) is Excel's implicit intersection: the range's cell in the
      formula's row (one column) or column (one row); the engine would take its first
      cell or spill. No such cell: :class:`UnresolvedFormula`.

    >>> engine_formula('A:A&"/"&B:B', "C12", "shared"), engine_formula("SUM(O2:O1)", "A1", "normal")
    ('A12&"/"&B12', 'SUM(O1:O2)')
    >>> engine_formula("C7+G7:J7", "K23", "normal")
    Traceback (most recent call last):
    ...
    roi_xl.errors.UnresolvedFormula: implicit intersection of G7:J7 with K23 is empty
    """
    if ":" not in formula and " " not in formula:
        return formula
    top, inside = _top_level(formula)
    for m in _INTERSECTION.finditer(formula):
        if top[m.start()] and not inside[m.start()] and top[m.end() - 1]:
            raise UnresolvedFormula("intersection operator (a space between references)")
    col, row = _cell(ref)
    out, last = [], 0
    for m in _RANGE.finditer(formula):
        if inside[m.start()]:
            continue  # in a string literal
        text = m.group(0)
        text = _ordered(m) or text
        if kind != "array" and top[m.start()]:
            text = _intersect(m, col, row, kind)
        out.append(formula[last : m.start()] + text)
        last = m.end()
    out.append(formula[last:])
    return "".join(out)


def _cell(ref: str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Z]{1,3})\$?(\d+)", ref)
    if not m:
        raise UnresolvedFormula(f"bad cell reference {ref}")
    return _col_number(m.group(1)), int(m.group(2))


def _ordered(m: re.Match[str]) -> str:
    if not m.group("c1"):
        return ""
    c1, r1, c2, r2 = m.group("c1", "r1", "c2", "r2")
    if _col_number(c1) > _col_number(c2):
        c1, c2 = c2, c1
    if int(r1.lstrip("$")) > int(r2.lstrip("$")):
        r1, r2 = r2, r1
    return f"{m.group('sheet') or ''}{c1}{r1}:{c2}{r2}"


def _intersect(m: re.Match[str], col: int, row: int, kind: str) -> str:
    sheet = m.group("sheet") or ""
    where = m.group(0)
    if m.group("cc1"):  # whole columns
        c1, c2 = m.group("cc1", "cc2")
        if c1.lstrip("$") == c2.lstrip("$"):
            return f"{sheet}{c1}{row}"
    elif m.group("rr1"):  # whole rows
        r1, r2 = m.group("rr1", "rr2")
        if r1.lstrip("$") == r2.lstrip("$"):
            return f"{sheet}{col_name(col)}{r1}"
    else:
        c1, r1, c2, r2 = m.group("c1", "r1", "c2", "r2")
        n1, n2 = sorted((int(r1.lstrip("$")), int(r2.lstrip("$"))))
        k1, k2 = sorted((_col_number(c1), _col_number(c2)))
        absolute = "$" in r1 + r2 if k1 == k2 else "$" in c1 + c2
        if kind == "shared" and absolute:
            raise UnresolvedFormula(f"implicit intersection of {where} in a shared formula")
        if k1 == k2 and n1 <= row <= n2:
            return f"{sheet}{c1}{row}"
        if n1 == n2 and k1 <= col <= k2:
            return f"{sheet}{col_name(col)}{r1}"
        raise UnresolvedFormula(
            f"implicit intersection of {where} with {col_name(col)}{row} is empty"
        )
    raise UnresolvedFormula(f"implicit intersection of {where} (several columns and rows)")
