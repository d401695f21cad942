"""Where formualizer's built-in functions answer differently from Excel, our layer either
replaces the function (``register_function(..., allow_override_builtin=True)``) or makes
the engine say "not computed", so the cell keeps Excel's cached value and is reported.

Each gap was found on real workbooks (``tests/data/poi/``) and is listed in the README
("What refresh cannot compute").
"""

from __future__ import annotations

import math
import re
from functools import partial
from typing import Any, Callable, Iterable

import formualizer as fz

from ..errors import UnresolvedFormula
from . import (
    aggregate_gaps,
    array_lifting,
    builtin_fixes,
    cell_info,
    conditional_guard,
    database_gaps,
    lambdas,
    lookup_gaps,
    reference_rewrites,
    text_gaps,
    typed_args,
)
from .builtins import NAMES as BUILTIN_NAMES
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
            if isinstance(value, float) and math.isfinite(value) and value:
                value = fifteen_digits(value)
            return numfmt.text(value, fmt, date1904=date1904)
        except numfmt.FormatNotSupported:
            return fz.LiteralValue.error(NOT_COMPUTED_ERROR, None)

    return text


def fifteen_digits(value: float) -> float:
    """``value`` rounded, half away from zero, to the 15 significant digits Excel keeps
    and formats (``TEXT(86450655813215.25,"0.0")`` is "86450655813215.3" in Excel and
    LibreOffice; formatting the binary value gave ".2").

    >>> fifteen_digits(86450655813215.25), fifteen_digits(0.1 + 0.2), fifteen_digits(-2.5)
    (86450655813215.3, 0.3, -2.5)
    """
    from decimal import ROUND_HALF_UP, Decimal

    d = Decimal(repr(value))
    return float(d.quantize(Decimal(1).scaleb(d.adjusted() - 14), rounding=ROUND_HALF_UP))


_TEXT_CALL = re.compile(r"(?<![\w.])TEXT\s*\(", re.I)
NOT_IMPLEMENTED = "not implemented by the engine"


def kept_reason(formula: str, why: str, unknown: tuple[str, ...]) -> str:
    """The reason a cell keeps Excel's value, told more precisely where the engine's
    "not implemented" comes from our own ``TEXT`` (a format :mod:`roi_xl.numfmt` refused).

    >>> kept_reason('=TEXT(A1,"*-0")', NOT_IMPLEMENTED, ())
    "TEXT's number format (or its value in it) cannot be rendered exactly as Excel does"
    >>> kept_reason("=FOO(A1)", NOT_IMPLEMENTED, ("FOO",))
    'not implemented by the engine'
    >>> kept_reason('=_xlfn.IMCOT("4+3i")', NOT_IMPLEMENTED, ())[:50]
    'IMCOT: not computed for these arguments, where Exc'
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
    (re.compile(r"^=(ROIXL_KEPT)\(\)$"), conditional_guard.UNION_REASON),
    (_calling([lambdas.ONE, lambdas.OMITTED]), lambdas.REASON),
    (  # ours (builtins/): the engine's message is lost, so say whose "not computed" it is
        re.compile(
            r"(?<![\w.])(?:_xlfn\.)?("
            + "|".join(sorted(BUILTIN_NAMES, key=len, reverse=True))
            + r")\s*\(",
            re.I,
        ),
        "{name}: not computed for these arguments, where Excel's answer is not certain "
        "(a result at a 15-digit rounding boundary, an argument Excel may read otherwise: "
        "roi_xl/refresh/builtins)",
    ),
    (_calling(["INDIRECT"]), reference_rewrites.R1C1_REASON),
    (_calling(["DOLLAR"]), typed_args.DOLLAR_REASON),
)


#: name → (callback, min_args, max_args), registered over the engine's built-in; a
#: callable taking the date system builds the callback.
OVERRIDES: dict[str, tuple[Callable[..., Any], int, int]] = {
    "TYPE": (excel_type, 1, 1),
    "TEXT": (text_function, 2, 2),
    **text_gaps.TEXTS,  # byte and code-page functions: ASCII only (text_gaps)
    **lookup_gaps.LOOKUPS,  # approximate lookups: sorted data only (lookup_gaps)
    "SUMPRODUCT": (aggregate_gaps.sumproduct, 1, 255),  # text and logicals are 0
    # SUMIF & co. over a summed range with an error: guarded in the engine's copy of the
    # formula instead (conditional_guard; an override got every range as Python lists)
    **{  # headers that are numbers (database_gaps)
        name: (partial(database_gaps.database_function, name), 3, 3) for name in database_gaps.NAMES
    },
    **builtin_fixes.FIXES,  # built-ins the coverage table found unlike Excel (builtin_fixes)
}
_NEEDS_DATE_SYSTEM = {
    "TEXT",
    *database_gaps.NAMES,
    *builtin_fixes.NEEDS_DATE_SYSTEM,
}

_CALLS = re.compile(
    r"(?<![\w.])(" + "|".join(sorted(OVERRIDES, key=len, reverse=True)) + r")\s*\(", re.I
)


def register(
    wb: fz.Workbook,
    formulas: Iterable[str] | None,
    date_system: str = "1900",
    upper: str | None = None,
    seen: set[str] | None = None,
) -> None:
    """Register the overrides the formulas call (all of them when ``formulas`` is None);
    ``upper``, ``seen``: the formulas in capitals and :func:`names_called` of them, when
    the caller has them."""
    if formulas is None:
        names = set(OVERRIDES)
    else:  # the texts may be whole sheets
        if upper is None:
            upper = "\n".join(f for f in formulas if f).upper()
        if seen is None:
            seen = names_called(upper)
        names = {n for n in OVERRIDES if n in seen}
        if names & set(lookup_gaps.LOOKUPS) and not lookup_gaps.has_approximate_lookup(upper):
            names -= set(lookup_gaps.LOOKUPS)  # exact lookups only: the engine's own are right
    if formulas is None or "AGGREGATE" in (seen or ()):
        wb.register_function(
            aggregate_gaps.OURS, aggregate_gaps.aggregate, min_args=3, max_args=255
        )
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


def unsupported(formula: str, kind: str = "normal") -> str:
    """Why the engine must not compute ``formula`` ("" when it may). Such a cell keeps
    Excel's cached value, and the engine sees that value as a constant, so the cells that
    depend on it compute from Excel's answer instead of from the engine's guess. ``kind``:
    the cell's formula kind (in an ``array`` formula every function of one value given an
    array is applied element by element, :mod:`.array_lifting`).

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
    if lambdas.may_have(text) and _CATCHER.search(text):
        text = _as_engine_sees(formula, text)
    if _CATCHER.search(text):
        name = _inside(text, _CATCHER, _MAY_NOT_COMPUTE) or _inside(text, _CATCHER, _AGGREGATE)
        if name and (name not in lookup_gaps.LOOKUPS or lookup_gaps.has_approximate_lookup(text)):
            return CAUGHT_REASON.format(name=name)
    if _INSPECTOR.search(text):
        name = _inside(_lifted(text, kind), _INSPECTOR, _RAISER, needs_reference=True)
        if name:
            return RAISED_REASON.format(name=name)
    if _CATCHER.search(text) or _INSPECTOR.search(text):
        name = _unknown_call(text)
        if name:
            return f"{name}: not a function the engine has, inside IFERROR or an IS function"
    for m in _BINARY_SEARCH.finditer(text):
        args = _arguments(text, m.end())
        mode = args[5 if m.group(1).upper() == "XLOOKUP" else 3 :][:1]
        if mode and mode[0].strip() in ("2", "-2"):
            return f"{m.group(1).upper()} with binary search: Excel's answer on unsorted data"
    return wrong_builtin(formula, text)


def _as_engine_sees(formula: str, text: str) -> str:
    """The formula with its LAMBDA calls rewritten (:mod:`.lambdas`), strings blanked: what
    the engine will compute, for the checks of functions that catch errors. (A formula the
    rewrite refuses keeps its text: the rewrite keeps the cell.)

    >>> _as_engine_sees("IFERROR(MAP(A1:A2,LAMBDA(x,1/x)),0)", "")
    'IFERROR(VSTACK(ROIXL_ONE(LET(x,A1,1/x)),ROIXL_ONE(LET(x,A2,1/x))),0)'
    """
    try:
        return _STRING.sub('""', lambdas.rewrite(formula))
    except UnresolvedFormula:
        return text


def _lifted(text: str, kind: str = "normal") -> str:
    """``text`` (strings blanked) with the functions of one value that SUMPRODUCT applies
    to each element written out as :mod:`.array_lifting` writes them for the engine (their
    raising built-ins guarded); ``text`` itself where there are none or it refuses them.

    >>> _lifted('SUMPRODUCT(--ISNUMBER(SEARCH("",A1:A2)))')[:60]
    'SUMPRODUCT(--VSTACK(ISNUMBER(LET(_xlpm.roixl_g1,A1,IF(ISERRO'
    """
    if not array_lifting.may_have(text):
        return text
    try:
        return array_lifting.expand(text, "array" if kind == "array" else "normal")
    except UnresolvedFormula:
        return text


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
        *BUILTIN_NAMES,  # ours (builtins/) may answer "not computed"
        *builtin_fixes.PATTERNS,
        lambdas.ONE,  # a LAMBDA result that is an array, an omitted LAMBDA argument
        lambdas.OMITTED,
        "DOLLAR",  # of a text (typed_args)
    ]
)
#: AGGREGATE of a function the engine may not compute (12-19, or a number not written out).
_AGGREGATE = re.compile(r"(?<![\w.])(?:_xlfn\.)?(AGGREGATE)\s*\((?!\s*(?:[1-9]|1[01])\s*,)", re.I)
CAUGHT_REASON = (
    "{name} (which may not be computed) inside a function that catches errors: Excel's value kept"
)

#: Built-ins whose error argument formualizer raises instead of returning (found by
#: probing every function with an error cell as each argument): an IS function, IFNA,
#: COUNT, TYPE... around them answers that error (``ISERROR(TRIM(A2))`` with A2 ``#N/A``
#: gave ``#N/A``, not TRUE). IFERROR catches it. Ours (TEXT, LENB...) return errors.
RAISERS = (
    "ACOSH ATANH AVEDEV AVERAGEA CHISQ.TEST CHITEST CONCAT CONCATENATE COUNTIF COUNTIFS "
    "DATEVALUE DEGREES DEVSQ EXACT F.TEST FIND FISHER FISHERINV FREQUENCY FTEST GEOMEAN "
    "HARMEAN KURT LARGE LEFT LOWER MAXA MAXIFS MEDIAN MID MINA MINIFS MODE MODE.MULT "
    "MODE.SNGL NPV NUMBERVALUE PERCENTILE PERCENTILE.EXC PERCENTILE.INC PERCENTRANK "
    "PERCENTRANK.EXC PERCENTRANK.INC PRODUCT PROPER RADIANS RANK RANK.AVG RANK.EQ REPLACE "
    "RIGHT SEARCH SECH SERIESSUM SKEW SKEW.P SMALL STDEV STDEV.P STDEV.S STDEVA STDEVP "
    "STDEVPA SUBSTITUTE SUMSQ SUMX2MY2 SUMX2PY2 SUMXMY2 T.TEST TEXTJOIN TEXTSPLIT "
    "TIMEVALUE TRIM TRIMMEAN TTEST UPPER VALUE VAR VAR.P VAR.S VARA VARP VARPA Z.TEST ZTEST"
).split()
_RAISER = re.compile(
    r"(?<![\w.])(?:_xlfn\.|_xlws\.)?("
    + "|".join(re.escape(n) for n in sorted(RAISERS, key=len, reverse=True))
    + r")\s*\(",
    re.IGNORECASE,
)


def calls_raiser(formula: str) -> bool:
    """Whether ``formula`` calls one of :data:`RAISERS` (strings aside).

    >>> calls_raiser('=MAP(A1:A3,LAMBDA(x,UPPER(x)))'), calls_raiser('="UPPER("&A1')
    (True, False)
    """
    return _RAISER.search(_STRING.sub('""', formula)) is not None


#: Functions that look at an error argument instead of passing it on (IFERROR aside).
_INSPECTOR = re.compile(
    r"(?<![\w.])(?:_xlfn\.)?(?:IFNA|ISERROR|ISERR|ISNA|ERROR\.TYPE|ISNUMBER|ISTEXT|ISNONTEXT|"
    r"ISLOGICAL|ISBLANK|TYPE|AGGREGATE|COUNT|COUNTA|N|T)\s*\(",
    re.IGNORECASE,
)
RAISED_REASON = (
    "an error inside {name} escapes the IS function (or IFNA, COUNT...) around it in the "
    "engine: Excel's value kept"
)


_ANY_CALL = re.compile(r"(?<![\w.])((?:_xlfn\.|_xlws\.|_xludf\.)?[A-Za-z_][\w.]*)\s*\(")


def _unknown_call(text: str) -> str:
    """A function the engine does not have, called in ``text`` ("" if none): its
    ``#NAME?`` would be caught by an IFERROR or an IS function around it."""
    from .engine import engine_knows

    for m in _ANY_CALL.finditer(text):
        name = m.group(1)
        bare = re.sub(r"^_xl(?:fn|ws|udf)\.", "", name, flags=re.IGNORECASE)
        if not engine_knows(name) and not engine_knows(bare):
            return bare.upper()
    return ""


def _inside(
    text: str, outer: re.Pattern[str], inner: re.Pattern[str], needs_reference: bool = False
) -> str:
    """The name of the first ``inner`` call within the arguments of an ``outer`` call
    ("" if none); with ``needs_reference``, only an inner call whose own arguments are not
    all literals (a literal cannot be an error).

    >>> _inside("ISERROR(TRIM(A2))+TRIM(B1)", _INSPECTOR, _RAISER, True)
    'TRIM'
    >>> _inside('ISNUMBER(SEARCH("a","abc"))+TRIM(B1)', _INSPECTOR, _RAISER, True)
    ''
    """
    for m in outer.finditer(text):
        args = ",".join(_arguments(text, m.end()))
        for n in inner.finditer(args):
            if needs_reference:  # (an argument array_lifting guards is not an error)
                own = ",".join(_arguments(args, n.end())).replace(array_lifting.GUARD, "")
                if not re.search(r"[A-Za-z_]", _STRING.sub("", own)):
                    continue
            return n.group(1).upper()
    return ""


_BINARY_SEARCH = re.compile(r"(?<![\w.])(?:_xlfn\.)?(XLOOKUP|XMATCH)\s*\(", re.I)


# Built-ins the coverage table (docs/function-coverage.md) found answering unlike Excel ---------


#: A range or an array constant in an argument (strings blanked).
_ARRAY_ARG = re.compile(
    r"\{|(?:\$?[A-Z]{1,3})?\$?\d*:\$?[A-Z]{0,3}\$?\d|\$?[A-Z]{1,3}:\$?[A-Z]{1,3}"
)
CRITERIA_REASON = (
    "{name} with an array as criteria: the engine does not answer one value per "
    "criterion (Excel's value kept)"
)


#: name -> (whether the call's top-level arguments, strings blanked to "", meet the case; why).
#: (ISFORMULA, FORMULATEXT, AREAS, INDEX of several areas, INDIRECT of R1C1 text and dates
#: written as text are rewritten in the engine's copy, or kept there: reference_rewrites.)
_WRONG_BUILTINS: dict[str, tuple[Callable[[list[str]], bool], str]] = {
    **dict.fromkeys(
        ("GROUPBY", "PIVOTBY"), (lambda a: True, "{name}: the engine answers an error")
    ),
    "INDEX": (
        lambda a: len(a) > 3 and not a[0].strip().startswith("("),
        "INDEX with an area number: the engine does not implement it",
    ),
    "INDIRECT": (
        lambda a: (
            len(a) > 1 and a[1].strip().upper() not in ("", "TRUE", "1", "FALSE", "0", "FALSE()")
        ),
        "INDIRECT with a reference style the formula computes: the engine does not read it",
    ),
    # criteria given as an array: Excel answers one count or sum per criterion
    # (SUMPRODUCT(1/COUNTIF(A1:A5,A1:A5)), the count of distinct values, is 3; the engine
    # answered #DIV/0!; SUM(COUNTIF(A1:A5,{"a","b"})) 0 for 4)
    **{
        name: (
            lambda a, first=first: any(_ARRAY_ARG.search(c) for c in a[first::2]),
            CRITERIA_REASON,
        )
        for name, first in (
            ("COUNTIF", 1),
            ("SUMIF", 1),
            ("AVERAGEIF", 1),
            ("COUNTIFS", 1),
            ("SUMIFS", 2),
            ("AVERAGEIFS", 2),
            ("MAXIFS", 2),
            ("MINIFS", 2),
        )
    },
    # a text typed as an argument (typed_args: MODE(B8,"1",2,3) is #VALUE! in Excel)
    **dict.fromkeys(
        typed_args.TYPED_TEXT_FUNCTIONS, (typed_args.typed_text, typed_args.TYPED_TEXT_REASON)
    ),
}
_WRONG_CALL = re.compile(
    r"(?<![\w.])(?:_xlfn\.)?("
    + "|".join(re.escape(n) for n in sorted(_WRONG_BUILTINS, key=len, reverse=True))
    + r")\s*\(",
    re.I,
)
#: Substrings one of which a formula that :func:`wrong_builtin` names holds (cheap tests first).
_WRONG_HINTS = ("BY(", "INDEX", "INDIRECT", "IF", '"')
_WRONG_NAMES = frozenset(_WRONG_BUILTINS)


def wrong_builtin(formula: str, text: str) -> str:
    """Why a built-in the engine answers unlike Excel must not compute ``formula`` (""
    when it may); ``text``: the formula with its strings blanked.

    >>> wrong_builtin("INDEX(A1:B2,1,1,2)", "INDEX(A1:B2,1,1,2)")
    'INDEX with an area number: the engine does not implement it'
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


_IDENT = re.compile(r"([A-Z_][A-Z0-9_.]*)\s*\(")
_PREFIXES = ("_XLFN._XLWS.", "_XLFN.", "_XLWS.", "_XLUDF.")


def names_called(upper: str) -> set[str]:
    """The names written before a ``(`` in ``upper`` (upper-case text), prefixes dropped.

    >>> sorted(names_called("IF(A1,_XLFN.XLOOKUP(B1,C:C,D:D),TRIM (E1))"))
    ['IF', 'TRIM', 'XLOOKUP', '_XLFN.XLOOKUP']
    """
    names = set(_IDENT.findall(upper))
    for prefix in _PREFIXES:
        names |= {n[len(prefix) :] for n in names if n.startswith(prefix)}
    return names


_MAY_NOT_COMPUTE_NAMES = {
    n.upper()
    for n in (
        *text_gaps.NAMES,
        *lookup_gaps.LOOKUPS,
        *aggregate_gaps.NAMES,
        "SUMPRODUCT",
        "AGGREGATE",  # of 12-19 (:data:`_AGGREGATE`)
        *BUILTIN_NAMES,
        *lambdas.GUARDED,  # their rewrite (lambdas.ONE) may answer "not computed"
        "LAMBDA",
        "DOLLAR",
        *(p.split(")?", 1)[-1].split("(")[0].replace("\\", "") for p in builtin_fixes.PATTERNS),
    )
}
_RAISER_NAMES = {n.upper() for n in RAISERS}


def may_be_unsupported(xml: str, texts: str | None = None) -> bool:
    """Whether a sheet may hold a formula :func:`unsupported` names or a data table (a
    cheap test of the XML: substring searches first). ``texts``: the sheet's formula texts
    (or any text that holds them all), when known: the function names are looked for
    there, in any case, instead of in the whole XML.

    >>> may_be_unsupported("<f>SUM(A1:A3)</f>"), may_be_unsupported("<f>xlookup(1,A:A,B:B)</f>")
    (False, True)
    """
    if "[" in xml or "dataTable" in xml:
        return True
    upper = (xml if texts is None else texts).upper()
    if "CELL(" in upper:  # cell_info.why_not
        return True
    if "XLOOKUP" in upper or "XMATCH" in upper:
        return True
    # one pass for the names called (the alternation regexes took seconds on 10⁵ formulas)
    called = names_called(upper)
    if (
        "IF" in upper or "IS" in upper or "COUNT" in upper or "TYPE" in upper or "AGG" in upper
    ) and (called & _MAY_NOT_COMPUTE_NAMES):
        return True
    if any(h in upper for h in ("IS", "IFNA", "COUNT", "TYPE", "AGG", "N(", "T(")) and (
        called & _RAISER_NAMES
    ):
        return True
    if "IFERROR" in upper or "IFNA" in upper or "ISERR" in upper or "ISNA" in upper:
        return True  # an unknown function inside them (:func:`_unknown_call`)
    if any(h in upper for h in _WRONG_HINTS) and called & _WRONG_NAMES:  # wrong_builtin
        return True
    return False


# Formulas rewritten for the engine --------------------------------------------------------------


_RANGE = re.compile(
    r"(?<![\w.$!'\]])(?P<sheet>(?:'(?:[^']|'')+'|[A-Za-z_][\w.]*)!)?"
    r"(?:(?P<c1>\$?[A-Z]{1,3})(?P<r1>\$?\d+):(?P<c2>\$?[A-Z]{1,3})(?P<r2>\$?\d+)"
    r"|(?P<cc1>\$?[A-Z]{1,3}):(?P<cc2>\$?[A-Z]{1,3})|(?P<rr1>\$?\d+):(?P<rr2>\$?\d+))"
    r"(?![\w(!])"
)


#: Functions every argument of which is one value: a range given to them in an ordinary
#: formula is implicitly intersected, as at the top level (``=ABS(K9:N9)`` in N96 is N9).
#: POI's FormulaEvalTestData (values saved by Excel) holds COMBIN, CONCATENATE, DOLLAR,
#: EXACT, ISBLANK, ISERROR, LEFT and RIGHT of ranges: the engine wrote #VALUE!, "alphanum",
#: FALSE where Excel intersects. Only functions none of whose parameters takes a range or
#: an array are listed (not CONCAT, IF, INDEX, N/T's kin that read arrays, NPV, WORKDAY...).
SCALAR_FUNCTIONS = frozenset(
    (
        "ABS ACOS ACOSH ASIN ASINH ATAN ATANH COS COSH DEGREES EVEN EXP FACT INT ISEVEN ISODD "
        "LN LOG10 ODD RADIANS SIGN SIN SINH SQRT TAN TANH ROUND ROUNDUP ROUNDDOWN MOD POWER "
        "ATAN2 TRUNC LEN UPPER LOWER TRIM VALUE CHAR CODE "
        # math and engineering
        "COMBIN COMBINA PERMUT PERMUTATIONA QUOTIENT MROUND LOG FACTDOUBLE BASE DECIMAL ROMAN "
        "ARABIC SEC SECH CSC CSCH COT COTH ACOT ACOTH SQRTPI DELTA GESTEP ERF ERFC "
        "ERF.PRECISE ERFC.PRECISE BIN2DEC BIN2HEX BIN2OCT DEC2BIN DEC2HEX DEC2OCT HEX2BIN "
        "HEX2DEC HEX2OCT OCT2BIN OCT2DEC OCT2HEX BITAND BITOR BITXOR BITLSHIFT BITRSHIFT "
        # text
        "CONCATENATE DOLLAR FIXED EXACT LEFT LEFTB RIGHT RIGHTB MID MIDB REPLACE REPLACEB "
        "SUBSTITUTE REPT PROPER CLEAN FIND FINDB SEARCH SEARCHB UNICHAR UNICODE LENB "
        # information (a value, not a reference: ISREF and ISFORMULA are not here)
        "ISBLANK ISERR ISERROR ISLOGICAL ISNA ISNONTEXT ISNUMBER ISTEXT "
        # dates
        "DATE TIME YEAR MONTH DAY HOUR MINUTE SECOND WEEKDAY DATEVALUE TIMEVALUE EDATE EOMONTH "
        "DAYS DAYS360 ISOWEEKNUM WEEKNUM YEARFRAC "
        # finance
        "PMT PV FV NPER RATE IPMT PPMT ISPMT CUMIPMT CUMPRINC EFFECT NOMINAL SLN SYD DDB DB "
        "PDURATION RRI"
    ).split()
)
#: Functions some of whose parameters take one value, by position (from 0): a range given
#: there in an ordinary formula is implicitly intersected as at the top level, the other
#: parameters take it whole (``OFFSET(F7,E7:I7,E7:I7)`` in G1008 is ``OFFSET(F7,G7,G7)``,
#: 1.001 in POI's FormulaEvalTestData; the engine answered #VALUE!).
SCALAR_POSITIONS: dict[str, frozenset[int]] = {
    "OFFSET": frozenset({1, 2, 3, 4}),
    "INDEX": frozenset({1, 2}),
    "VLOOKUP": frozenset({0, 2, 3}),
    "HLOOKUP": frozenset({0, 2, 3}),
    "MATCH": frozenset({0, 2}),
    "LOOKUP": frozenset({0}),
}
_NAME_BEFORE = re.compile(r"([A-Za-z_][\w.]*)$")
_RANGE_START = r"(?:'[^'\n]*'!|[\w.]+!)?\$?[A-Z]{1,3}\$?\d*:"
#: A range among the arguments of one of :data:`SCALAR_FUNCTIONS` (no parenthesis between
#: the call and the range), or at one of :data:`SCALAR_POSITIONS` (no parenthesis or comma
#: before it but the arguments'): a test of the formulas' shapes before the pass
#: (:func:`engine_input.shapes`: capitals, every digit a 1, so the names are written so).
SCALAR_ARGUMENT = re.compile(
    r"(?<![\w.])(?:_XLFN\.)?(?:(?:"
    + "|".join(
        re.escape(n.translate(str.maketrans("0123456789", "1111111111")))
        for n in sorted(SCALAR_FUNCTIONS, key=len, reverse=True)
    )
    + r")\([^()\n]*?"
    + _RANGE_START
    + "|"
    + "|".join(
        rf"{name}\((?:[^(),\n]*,){{{k}}}\s*{_RANGE_START}"
        for name, places in SCALAR_POSITIONS.items()
        for k in sorted(places)
    )
    + ")"
)


def _top_level(formula: str) -> tuple[list[bool], list[bool], list[str]]:
    """For each character: whether it is in no function call's parentheses (and in no
    string), whether it is inside a string literal, and the name of the function of
    :data:`SCALAR_FUNCTIONS` whose call it is right inside ("" when the innermost call is
    another function's or there is none; grouping parentheses do not count)."""
    out, stack, quote, inside, scalar = [], [], "", [], []
    for i, ch in enumerate(formula):
        inside.append(quote == '"')
        if quote:
            out.append(False)
            scalar.append("")
            if ch == quote:
                quote = ""  # a doubled quote reopens at the next character
            continue
        if ch in "\"'":
            quote = ch
            out.append(ch == "'" and all(k[0] == "g" for k in stack))
            scalar.append("")
            continue
        if ch == "(":
            name = _NAME_BEFORE.search(formula, 0, i)
            if name is None:
                stack.append(("g", ""))  # grouping
            else:  # a function whose arguments are all scalars takes a range's one cell
                called = name.group(1).upper().removeprefix("_XLFN.")
                if called in SCALAR_POSITIONS:
                    stack.append(_position(called, 0))
                else:
                    stack.append(("g", called) if called in SCALAR_FUNCTIONS else ("f", ""))
        elif ch == "," and stack and len(stack[-1]) == 4:  # the next argument
            stack[-1] = _position(stack[-1][2], stack[-1][3] + 1)
        elif ch == ")" and stack:
            stack.pop()
        elif ch == "{":
            scalar.append(_innermost(stack))  # an array constant given to it
            out.append(all(k[0] == "g" for k in stack))
            stack.append(("f", ""))
            continue
        elif ch == "}" and stack:
            stack.pop()
        out.append(all(k[0] == "g" for k in stack))
        scalar.append(_innermost(stack))
    return out, inside, scalar


def _position(name: str, k: int) -> tuple[str, str, str, int]:
    """A stack entry of :func:`_top_level` for argument ``k`` of ``name`` (one of
    :data:`SCALAR_POSITIONS`): a grouping, as the top level, where that argument takes one
    value (no scalar name: an array there outside implicit intersection is left to the
    engine, as before), a call elsewhere."""
    return ("g", "", name, k) if k in SCALAR_POSITIONS[name] else ("f", "", name, k)


def _innermost(stack: list[tuple[Any, ...]]) -> str:
    """The scalar function of the innermost call in ``stack`` ("" for another's)."""
    for kind, name, *_ in reversed(stack):
        if kind == "f":
            return ""
        if name:
            return name
    return ""


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


#: formualizer does not apply a function of one value to each element of an array
#: (``SUMPRODUCT(ABS(A1:A3))`` and ``{=SUM(ABS(A1:A3))}`` were #VALUE!,
#: ``SUMPRODUCT(--ISNUMBER(A1:A3))`` 0, ``SUMPRODUCT(LEN(B1:B3))`` 1, ``{=UPPER(A1:A3)}``
#: its first element three times): such a cell keeps Excel's value.
ARRAY_TO_SCALAR = (
    "{name} of an array: the engine does not apply it to each element (Excel's value kept)"
)


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
    top, inside, scalar = _top_level(formula)
    for m in _INTERSECTION.finditer(formula):
        if top[m.start()] and not inside[m.start()] and top[m.end() - 1]:
            raise UnresolvedFormula("intersection operator (a space between references)")
    col, row = _cell(ref)
    out, last, lift = [], 0, False
    for m in _RANGE.finditer(formula):
        if inside[m.start()]:
            continue  # in a string literal
        text = m.group(0)
        text = _ordered(m) or text
        if kind != "array" and top[m.start()]:
            text = _intersect(m, col, row, kind)
        elif scalar[m.start()]:  # an array to a function of one value, element by element
            lift = True
        out.append(formula[last : m.start()] + text)
        last = m.end()
    out.append(formula[last:])
    text = "".join(out)
    if lift or any(scalar) and array_lifting.may_have_computed(text):
        return array_lifting.expand(text, kind)  # (array_lifting)
    return text


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
