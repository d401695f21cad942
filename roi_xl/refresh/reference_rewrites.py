"""Functions that need to know the workbook, not just values, rewritten in the engine's
copy into what the engine computes (the file keeps its formulas).

formualizer evaluates values; some of Excel's answers come from the workbook itself,
which the refresh has read (the formula texts, where each formula sits, the defined
names):

- ``AREAS(ref)``: the number of areas of a literal reference, a union ``(A1:B2,C3)`` or a
  defined name that is one, as a constant;
- ``ISFORMULA(ref)``: TRUE or FALSE from whether the cell holds a formula in the file (a
  range in an array formula: an array of the same shape);
- ``FORMULATEXT(ref)``: the formula as Excel shows it, as a text (:mod:`.formula_text`);
- ``INDEX((A1:B2,C3:D4),r,c,2)``: ``INDEX(C3:D4,r,c)`` (a literal area number only);
- ``INDIRECT(text,FALSE)``: ``INDIRECT(ROIXL_R1C1(text,ROW(),COLUMN()))`` (its errors
  passed on around INDIRECT, which would make them #VALUE!), where
  :func:`r1c1_to_a1` (registered in the engine, :func:`register`) turns the R1C1 text into
  A1 text relative to the formula's own cell when the formula is evaluated;
- a date or time written as text, as the argument of DAY, HOUR, DAYS, DATEVALUE, ... : its
  serial number, where every locale reads it the same (:mod:`.date_texts`).

What cannot be put so exactly raises :class:`~roi_xl.errors.UnresolvedFormula`: the cell
keeps Excel's value, and the reason is reported.

>>> rewrite("=AREAS((A1:B2,C3))+AREAS(Data!A:A)", "S", "A1", "normal", None)
'=2+1'
>>> rewrite('=INDEX((A1:A3,B1:B3),2,1,2)&INDIRECT("R[1]C",FALSE)', "S", "A1", "normal", None)
'=INDEX(B1:B3,2,1)&IF(ISERROR(ROIXL_R1C1("R[1]C",ROW(),COLUMN())),ROIXL_R1C1("R[1]C",ROW(),COLUMN()),INDIRECT(ROIXL_R1C1("R[1]C",ROW(),COLUMN())))'
>>> rewrite('=HOUR("6:35 PM")+DAYS("2024-03-15",A1)', "S", "A1", "normal", None)
'=HOUR(0.7743055555555556)+DAYS(45366.0,A1)'
>>> rewrite('=DAY("3/4/2024")', "S", "A1", "normal", None)
Traceback (most recent call last):
...
roi_xl.errors.UnresolvedFormula: DAY of a date written as text with the day and month in an order that depends on the locale
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from ..errors import UnresolvedFormula
from . import date_texts, formula_text
from .conditional_guard import _arguments as call_arguments
from .conditional_guard import map_calls
from .sheet import _CELL, _F, SheetScan, _attrs, col_name, col_row
from .tables import quoted_end
from .values import decode_text, encode_text

R1C1 = "ROIXL_R1C1"
#: Why a cell whose R1C1 text :func:`r1c1_to_a1` did not read keeps Excel's value.
R1C1_REASON = (
    "INDIRECT of an R1C1 text the refresh does not read as Excel does (a name, lower-case "
    "letters, another language's letters such as Z1S1, a relative reference off the sheet)"
)
MAX_ROWS, MAX_COLS = 1_048_576, 16_384
#: Most cells of an ISFORMULA range given as an array constant.
MAX_CELLS = 10_000

#: The date functions whose text argument (of the first two) is a date or time.
DATE_ARGUMENTS = (
    "DAY MONTH YEAR WEEKDAY HOUR MINUTE SECOND DAYS EDATE EOMONTH WEEKNUM ISOWEEKNUM DAYS360 "
    "YEARFRAC NETWORKDAYS WORKDAY NETWORKDAYS.INTL WORKDAY.INTL DATEDIF"
).split()
DATE_TEXT_REASON = "{name} of a date or time written as text"
LOCALE_REASON = (
    "{name} of a date written as text with the day and month in an order that depends on the locale"
)
_DATE_HINTS = ("DAY", "DATE", "MONTH", "YEAR", "HOUR", "MINUTE", "SECOND", "WEEK", "TIMEVALUE")
_INDEX_UNION = re.compile(r"(?<![\w.])INDEX\s*\(\s*\(")  # over text in capitals


def may_have(text: str) -> bool:
    """A cheap test: could ``text`` (formulas, or a whole sheet's) hold a call rewritten
    here? (Few substring scans: each costs about a millisecond per megabyte of formulas.)"""
    upper = text.upper()
    if "FORMULA" in upper or "AREAS" in upper:  # ISFORMULA, FORMULATEXT
        return True
    if "IND" in upper and ("INDIRECT" in upper or _INDEX_UNION.search(upper) is not None):
        return True
    return '"' in text and any(h in upper for h in _DATE_HINTS)


@dataclass
class Book:
    """What the rewrites read of the workbook: its sheets' scans (formula cells), the
    sheet names in order, the workbook part's XML (defined names) and the date system."""

    scans: dict[str, SheetScan]
    sheets: list[str]
    book_xml: str = ""
    date_system: str = "1900"
    _cells: dict[str, dict[tuple[int, int], int]] = field(default_factory=dict)
    _names: dict[str, str] | None = None
    _protected: dict[str, bool] = field(default_factory=dict)
    _masters: dict[str, dict[str, int]] = field(default_factory=dict)  # sheet → si → index

    def sheet(self, name: str) -> str:
        """The workbook's spelling of sheet ``name`` (Excel's are case-insensitive)."""
        for s in self.sheets:
            if s.casefold() == name.casefold():
                return s
        raise UnresolvedFormula(f"a reference to a sheet the workbook lacks ({name})")

    def formula_index(self, sheet: str, row: int, col: int) -> int | None:
        """The scan index of the formula cell at ``row``, ``col`` (None: no formula there)."""
        cells = self._cells.get(sheet)
        if cells is None:
            sc = self.scans.get(sheet)
            if sc is None:
                raise UnresolvedFormula(f"a reference to sheet {sheet}, which holds no cells")
            cells = {(sc.rows[i], sc.cols[i]): i for i in range(len(sc))}
            self._cells[sheet] = cells
        return cells.get((row, col))

    def is_formula(self, sheet: str, row: int, col: int) -> bool:
        """Whether the cell holds a formula in the file (a cell of a legacy array block
        does; one a dynamic array spilled into does not hold one, but Excel's answer for
        it is not settled here)."""
        i = self.formula_index(sheet, row, col)
        if i is None:
            return False
        sc = self.scans[sheet]
        if sc.kind(i) == "spilled" and self._dynamic(sc, self._anchor(sc, row, col)):
            raise UnresolvedFormula("ISFORMULA of a cell a dynamic array spills into")
        return True

    def shown(self, sheet: str, row: int, col: int) -> str | None:
        """FORMULATEXT of the cell (None: it holds no formula)."""
        i = self.formula_index(sheet, row, col)
        if i is None:
            return None
        sc = self.scans[sheet]
        if sheet not in self._protected:
            self._protected[sheet] = "<sheetProtection" in sc.xml or ":sheetProtection" in sc.xml
        if self._protected[sheet]:  # a hidden formula shows #N/A
            raise UnresolvedFormula("FORMULATEXT on a protected sheet (its formula may be hidden)")
        kind = sc.kind(i)
        if kind == "spilled":
            i = self._anchor(sc, row, col)
            kind = "array"
        text = sc.formula(i)
        if kind == "shared" and text is None:
            text = self._shared_child(sheet, i)
        if text is None:
            raise UnresolvedFormula("FORMULATEXT of a formula the scan does not hold")
        if kind == "array" and self._dynamic(sc, i):
            kind = "dynamic"
        elif kind == "shared":
            kind = "normal"
        return formula_text.shown(text, kind, self.sheets)

    def _anchor(self, sc: SheetScan, row: int, col: int) -> int:
        for i, aref in sc.array_refs.items():
            first, _, last = aref.partition(":")
            c1, r1 = col_row(first)
            c2, r2 = col_row(last or first)
            if r1 <= row <= r2 and c1 <= col <= c2:
                return i
        raise UnresolvedFormula("a cell of an array block without its formula")

    @staticmethod
    def _dynamic(sc: SheetScan, i: int) -> bool:
        return " cm=" in (sc.cell_xml(i).group(2) or "")

    def _shared_child(self, sheet: str, i: int) -> str:
        """A shared formula's child's own formula: the master's, shifted."""
        from openpyxl.formula.translate import Translator, TranslatorError

        sc = self.scans[sheet]
        masters = self._masters.get(sheet)
        if masters is None:
            masters = {}
            for j in range(len(sc)):
                fa = sc.fattrs[j]
                m = _SI.search(fa) if "ref=" in fa else None
                if m:
                    masters[m.group(1)] = j
            self._masters[sheet] = masters
        si = _SI.search(sc.fattrs[i])
        j = masters.get(si.group(1)) if si else None
        master = sc.formula(j) if j is not None else None
        if master is not None:
            try:
                return Translator("=" + master, origin=sc.ref(j)).translate_formula(sc.ref(i))[1:]
            except TranslatorError:
                pass
        raise UnresolvedFormula("FORMULATEXT of a shared formula that cannot be shifted here")

    def defined(self, name: str) -> str | None:
        """The text of workbook-level name ``name`` (None: no such name, or one defined
        on a sheet too, whose scope the rewrite does not follow)."""
        if self._names is None:
            self._names = {}
            local = set()
            for m in _DEFINED.finditer(self.book_xml):
                key = m.group(2).upper()
                if "localSheetId" in m.group(1):
                    local.add(key)
                else:
                    self._names[key] = decode_text(m.group(3))
            for key in local:
                self._names.pop(key, None)
        return self._names.get(name.upper())


_SI = re.compile(r"""\bsi\s*=\s*["'](\d+)""")
_DEFINED = re.compile(
    r"""<(?:[\w.-]+:)?definedName\b([^>]*?\bname\s*=\s*["']([^"']*)["'][^>]*)>([^<]*)<"""
)


@dataclass(frozen=True)
class Area:
    """One rectangle of a reference: its sheet ("" for the formula's own) and bounds."""

    sheet: str
    r1: int
    c1: int
    r2: int
    c2: int

    @property
    def cells(self) -> int:
        return (self.r2 - self.r1 + 1) * (self.c2 - self.c1 + 1)


_REF = re.compile(
    r"(?:(?P<sheet>'(?:[^']|'')+'|[^\W\d][\w.]*)!)?"
    r"(?:\$?(?P<c1>[A-Z]{1,3})\$?(?P<r1>\d+)(?::\$?(?P<c2>[A-Z]{1,3})\$?(?P<r2>\d+))?"
    r"|\$?(?P<cc1>[A-Z]{1,3}):\$?(?P<cc2>[A-Z]{1,3})|\$?(?P<rr1>\d+):\$?(?P<rr2>\d+))"
)
_NAME = re.compile(r"[^\W\d][\w.]*")


def literal_area(text: str) -> Area | None:
    """The area of a literal reference (``Data!$A$1:B2``, ``A:A``, ``3:4``), or None.

    >>> literal_area("'My sheet'!B2:$A$1"), literal_area("A1+1")
    (Area(sheet='My sheet', r1=1, c1=1, r2=2, c2=2), None)
    """
    m = _REF.fullmatch(text.strip())
    if m is None:
        return None
    sheet = m.group("sheet") or ""
    if sheet.startswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    if m.group("c1"):
        c1, r1 = col_row(m.group("c1") + m.group("r1"))
        c2, r2 = col_row((m.group("c2") or m.group("c1")) + (m.group("r2") or m.group("r1")))
    elif m.group("cc1"):
        c1, c2 = col_row(m.group("cc1") + "1")[0], col_row(m.group("cc2") + "1")[0]
        r1, r2 = 1, MAX_ROWS
    else:
        r1, r2, c1, c2 = int(m.group("rr1")), int(m.group("rr2")), 1, MAX_COLS
    r1, r2 = sorted((r1, r2))
    c1, c2 = sorted((c1, c2))
    if not (1 <= r1 and r2 <= MAX_ROWS and 1 <= c1 and c2 <= MAX_COLS):
        return None
    return Area(sheet, r1, c1, r2, c2)


def split_top(text: str) -> list[str]:
    """``text`` cut at its commas outside parentheses, braces and quotes.

    >>> split_top("A1:B2,(C3,D4),'a,b'!E5")
    ['A1:B2', '(C3,D4)', "'a,b'!E5"]
    """
    parts, end = call_arguments("(" + text + ")", 0)
    return parts if end >= 0 else [text]


def _parenthesised(text: str) -> str | None:
    """The inside of ``(...)`` when the parentheses enclose the whole of ``text``."""
    text = text.strip()
    if not text.startswith("(") or not text.endswith(")"):
        return None
    depth, i = 0, 0
    while i < len(text):
        ch = text[i]
        if ch in "\"'":
            i = quoted_end(text, i)
            continue
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and i < len(text) - 1:
            return None
        i += 1
    return text[1:-1]


def areas(text: str, book: Book | None, depth: int = 0) -> list[Area] | None:
    """The areas of a reference written in a formula: a literal one, a union in
    parentheses, or a workbook-level name defined as one of those (None: a computed
    reference, an intersection, a 3-D one...).

    >>> len(areas("(A1,B1:C2,Data!D:D)", None)), areas("OFFSET(A1,1,1)", None)
    (3, None)
    """
    inner = _parenthesised(text)
    if inner is not None:
        parts = split_top(inner)
    else:
        area = literal_area(text)
        if area is not None:
            return [area]
        name = text.strip()
        if book is None or depth > 8 or not _NAME.fullmatch(name):
            return None
        defined = book.defined(name)
        if defined is None:
            return None
        parts = split_top(defined.lstrip("="))
    out: list[Area] = []
    for part in parts:
        if _parenthesised(part) is not None:
            return None  # a union inside a union: Excel's count not checked here
        found = areas(part, book, depth + 1)
        if found is None:
            return None
        out += found
    return out


# Shared formulas whose answer depends on where each cell is ------------------------------------

_SHARED_ATTRS = re.compile(r"""\s(?:t|ref|si)\s*=\s*("[^"]*"|'[^']*')""")
_OWN_PLACE = re.compile(r"(?<![\w.])(?:_xlfn\.)?(?:ISFORMULA|FORMULATEXT)\s*\(", re.I)


def unshare(xml: str, texts: str) -> tuple[str, dict[str, str]]:
    """The sheet XML (the engine's copy) with each shared formula that calls ISFORMULA or
    FORMULATEXT written out cell by cell, each cell's own formula (the master's, shifted
    as Excel shifts it): their rewrite to a constant differs from cell to cell, which the
    engine's shifting of one rewritten master would not give. ``texts``: the sheet's
    formula texts (a cheap test first). Also ``{ref: reason}`` of cells whose own formula
    cannot be told (they keep Excel's value).

    >>> xml = ('<c r="A1"><f t="shared" ref="A1:A2" si="0">ISFORMULA(B1)</f></c>'
    ...        '<c r="A2"><f t="shared" si="0"/></c>')
    >>> unshare(xml, "ISFORMULA(B1)")[0]
    '<c r="A1"><f>ISFORMULA(B1)</f></c><c r="A2"><f>ISFORMULA(B2)</f></c>'
    """
    if "shared" not in xml or ("ORMULA" not in texts and "ormula" not in texts):
        return xml, {}  # (a miss keeps the cells: _one_area refuses a shared formula)
    masters: dict[str, tuple[str, str]] = {}
    for m in _CELL.finditer(xml):
        fm = _F.search(m.group(4) or "")
        if fm and fm.group(4) and "shared" in (fm.group(2) or ""):
            fa = _attrs(fm.group(2))
            text = decode_text(fm.group(4))
            if fa.get("t") == "shared" and "si" in fa and _OWN_PLACE.search(text):
                masters[fa["si"]] = (text, _attrs(m.group(2)).get("r", ""))
    if not masters:
        return xml, {}
    kept: dict[str, str] = {}

    def cell(m: re.Match[str]) -> str:
        body = m.group(4) or ""
        fm = _F.search(body)
        fa = _attrs(fm.group(2)) if fm else {}
        if not fm or fa.get("t") != "shared" or fa.get("si") not in masters:
            return m.group(0)
        from openpyxl.formula.translate import Translator, TranslatorError

        text, origin = masters[fa["si"]]
        ref = _attrs(m.group(2)).get("r", "")
        try:
            own = Translator("=" + text, origin=origin).translate_formula(ref)[1:]
        except TranslatorError:
            kept[ref] = "a shared formula that cannot be shifted to this cell (Excel's value kept)"
            new_f = ""
        else:
            attrs = _SHARED_ATTRS.sub("", fm.group(2) or "")
            new_f = f"<{fm.group(1)}f{attrs}>{encode_text(own)}</{fm.group(1)}f>"
        body = body[: fm.start()] + new_f + body[fm.end() :]
        return f"<{m.group(1)}c{m.group(2) or ''}>{body}</{m.group(1)}c>"

    return _CELL.sub(cell, xml), kept


# The rewrite --------------------------------------------------------------------------------


@dataclass
class _At:
    sheet: str
    ref: str
    kind: str
    book: Book | None
    formula: str


def rewrite(formula: str, sheet: str, ref: str, kind: str, book: Book | None) -> str:
    """``formula`` (in cell ``sheet!ref``, ``kind`` normal, shared or array) with the calls
    of the module's docstring rewritten; ``book``: what they read of the workbook (None:
    only what needs none)."""
    if not may_have(formula):
        return formula
    at = _At(sheet, ref, kind, book, formula)

    def one(name: str, spelled: str, args: list[str]) -> str | None:
        handler = _HANDLERS.get(name)
        return handler(name, spelled, args, at) if handler else None

    return map_calls(formula, one)


def _one_area(arg: str, at: _At, what: str) -> Area:
    found = areas(arg, at.book)
    if found is None:
        raise UnresolvedFormula(f"{what} of a reference computed by the formula")
    if len(found) != 1:
        raise UnresolvedFormula(f"{what} of a union of references")
    area = found[0]
    if at.kind == "shared" and not _absolute(arg):
        raise UnresolvedFormula(f"{what} of a relative reference in a shared formula")
    return area


def _absolute(arg: str) -> bool:
    """Whether every row and column of a literal reference is absolute (``$A$1``)."""
    refs = re.sub(r"'(?:[^']|'')*'!|[^\W\d][\w.]*!", "", arg.strip())
    return all(p.count("$") == 2 for p in refs.split(":")) if refs[:1] == "$" else False


def _areas_call(name: str, spelled: str, args: list[str], at: _At) -> str | None:
    found = areas(args[0], at.book) if len(args) == 1 else None
    if found is None:
        raise UnresolvedFormula("AREAS of a reference computed by the formula")
    if len({(a.sheet or at.sheet).casefold() for a in found}) > 1:
        raise UnresolvedFormula("AREAS of areas on several sheets")  # no union in Excel
    return str(len(found))


def _sheet_of(area: Area, at: _At) -> str:
    if at.book is None:
        raise UnresolvedFormula("a reference the rewrite cannot look up")
    return at.book.sheet(area.sheet or at.sheet)


def _isformula(name: str, spelled: str, args: list[str], at: _At) -> str | None:
    if len(args) != 1:
        raise UnresolvedFormula("ISFORMULA with other than one argument")
    area = _one_area(args[0], at, "ISFORMULA")
    sheet = _sheet_of(area, at)
    book = at.book
    assert book is not None
    if area.cells == 1:
        return "TRUE" if book.is_formula(sheet, area.r1, area.c1) else "FALSE"
    if at.kind != "array":
        raise UnresolvedFormula("ISFORMULA of a range outside an array formula")
    if area.cells > MAX_CELLS:
        raise UnresolvedFormula(f"ISFORMULA of more than {MAX_CELLS} cells")
    rows = [
        ",".join(
            "TRUE" if book.is_formula(sheet, r, c) else "FALSE" for c in range(area.c1, area.c2 + 1)
        )
        for r in range(area.r1, area.r2 + 1)
    ]
    return "{" + ";".join(rows) + "}"


def _formulatext(name: str, spelled: str, args: list[str], at: _At) -> str | None:
    if len(args) != 1:
        raise UnresolvedFormula("FORMULATEXT with other than one argument")
    area = _one_area(args[0], at, "FORMULATEXT")
    sheet = _sheet_of(area, at)
    assert at.book is not None
    text = at.book.shown(sheet, area.r1, area.c1)  # a range: its first cell (Microsoft)
    if text is None:
        return "NA()"
    return '"' + text.replace('"', '""') + '"'


_INTEGER = re.compile(r"\s*\d+\s*")
_NUMBER = re.compile(r"\s*-?\d+(?:\.\d+)?\s*")


def _index(name: str, spelled: str, args: list[str], at: _At) -> str | None:
    inner = _parenthesised(args[0]) if args else None
    if inner is None:
        return None  # one area: the engine's INDEX (engine_gaps keeps an area number)
    parts = split_top(inner)
    found = [literal_area(p) for p in parts]
    if any(a is None for a in found):
        raise UnresolvedFormula("INDEX of several areas, one of them not a literal reference")
    if len({(a.sheet or at.sheet).casefold() for a in found if a is not None}) > 1:
        raise UnresolvedFormula("INDEX of areas on several sheets")  # Excel: #VALUE!
    if len(args) > 4 or len(args) < 2:
        return None
    number = args[3] if len(args) == 4 else "1"
    if not _INTEGER.fullmatch(number):
        raise UnresolvedFormula("INDEX of several areas with an area number the formula computes")
    k = int(number)
    if not 1 <= k <= len(parts):  # Microsoft: "If area_num is out of range, #REF!"
        if all(_NUMBER.fullmatch(a) for a in args[1:3] if a.strip()):
            return "#REF!"
        raise UnresolvedFormula("INDEX of several areas with an area number out of range")
    return f"{spelled}({parts[k - 1].strip()},{','.join(args[1:3])})"


_R1C1_OFF = ("FALSE", "0", "FALSE()")
_CATCHES = re.compile(
    r"(?<![\w.])(?:_xlfn\.)?(?:IFERROR|IFNA|IS[A-Z]*|ERROR\.TYPE|TYPE|AGGREGATE)\s*\(", re.I
)


def _indirect(name: str, spelled: str, args: list[str], at: _At) -> str | None:
    if len(args) not in (1, 2):
        return None
    if len(args) == 1 or args[1].strip().upper() not in _R1C1_OFF:
        return _indirect_a1(spelled, args, at)
    if at.kind == "array":
        raise UnresolvedFormula("INDIRECT of an R1C1 reference in an array formula")
    if _CATCHES.search(at.formula):  # would catch ROIXL_R1C1's "not computed"
        raise UnresolvedFormula(
            "INDIRECT of an R1C1 reference inside a function that catches errors"
        )
    text = f"{R1C1}({args[0]},ROW(),COLUMN())"
    # the engine's INDIRECT turns an error argument into #VALUE!: ours pass through
    return f"IF(ISERROR({text}),{text},{spelled}({text}))"


def _indirect_a1(spelled: str, args: list[str], at: _At) -> str | None:
    """INDIRECT of A1 text, its error passed on (the engine's INDIRECT answers #VALUE! for
    an error argument: ``INDIRECT(A1)`` with ``A1`` ``#N/A`` is ``#N/A`` in Excel), and
    ``#REF!`` for a value that is not text (the engine: ``#VALUE!``). Not
    for a literal text, which is no error, nor a range or array argument (ISERROR of one
    is an array)."""
    arg = args[0]
    if _literal_text(arg) is not None or at.kind == "array" or ":" in arg or "{" in arg:
        return None
    # a value that is no text (a blank, a number, a logical) is no reference: #REF! (POI's
    # FormulaEvalTestData: INDIRECT(D10) of a blank D10; the engine answered #VALUE!)
    return f"IF(ISERROR({arg}),{arg},IF(ISTEXT({arg}),{spelled}({','.join(args)}),#REF!))"


def _date_argument(name: str, spelled: str, args: list[str], at: _At) -> str | None:
    """The text arguments of a date function as serial numbers (see :mod:`.date_texts`)."""
    out = list(args)
    for k, arg in enumerate(args[:2]):
        if '"' not in arg:
            continue
        text = _literal_text(arg)
        if text is None:
            raise UnresolvedFormula(DATE_TEXT_REASON.format(name=name))
        if date_texts.ambiguous(text):
            raise UnresolvedFormula(LOCALE_REASON.format(name=name))
        value = date_texts.serial(text, at.book.date_system if at.book else "1900")
        if value is None:
            raise UnresolvedFormula(DATE_TEXT_REASON.format(name=name))
        out[k] = repr(value)
    return f"{spelled}({','.join(out)})" if out != args else None


def _value_of_text(name: str, spelled: str, args: list[str], at: _At) -> str | None:
    """DATEVALUE or TIMEVALUE of a literal text: the number (the engine parses ambiguous
    orders as the United States does)."""
    text = _literal_text(args[0]) if len(args) == 1 else None
    if text is None:
        return None
    if date_texts.ambiguous(text):
        raise UnresolvedFormula(LOCALE_REASON.format(name=name))
    read = date_texts.read(text, at.book.date_system if at.book else "1900")
    if read is None or not read[1 if name == "DATEVALUE" else 2]:
        return None  # the engine's answer, as before
    value = read[0]
    return repr(value - int(value)) if name == "TIMEVALUE" else repr(float(int(value)))


def _literal_text(arg: str) -> str | None:
    s = arg.strip()
    if len(s) >= 2 and s[0] == '"' and quoted_end(s, 0) == len(s):
        return s[1:-1].replace('""', '"')
    return None


_HANDLERS: dict[str, Callable[[str, str, list[str], _At], str | None]] = {
    "AREAS": _areas_call,
    "ISFORMULA": _isformula,
    "FORMULATEXT": _formulatext,
    "INDEX": _index,
    "INDIRECT": _indirect,
    **dict.fromkeys(DATE_ARGUMENTS, _date_argument),
    "DATEVALUE": _value_of_text,
    "TIMEVALUE": _value_of_text,
}


# ROIXL_R1C1, in the engine -------------------------------------------------------------------

_R1C1_REF = re.compile(
    r"(?:(?P<sheet>'(?:[^']|'')+'|[^\W\d][\w.]*)!)?"
    r"(?P<first>R(?:\d+|\[-?\d+\])?C(?:\d+|\[-?\d+\])?|R(?:\d+|\[-?\d+\])?|C(?:\d+|\[-?\d+\])?)"
    r"(?::(?P<last>R(?:\d+|\[-?\d+\])?C(?:\d+|\[-?\d+\])?|R(?:\d+|\[-?\d+\])?|C(?:\d+|\[-?\d+\])?))?"
)
_PART = re.compile(r"(?:R(?P<r>\d+|\[-?\d+\])?)?(?:C(?P<c>\d+|\[-?\d+\])?)?")


def r1c1_to_a1(text: Any, row: Any, col: Any) -> Any:
    """The A1 text of an R1C1 reference, relative to the cell at ``row``, ``col``; the
    engine's "not computed" where Excel's answer is not settled here, ``#REF!`` for a text
    that cannot be a reference.

    >>> r1c1_to_a1("Data!R2C1", 5, 5), r1c1_to_a1("R[1]C[-1]", 5, 5), r1c1_to_a1("R1:R2", 5, 5)
    ('Data!$A$2', 'D6', '$1:$2')
    >>> r1c1_to_a1("C[1]", 5, 5), r1c1_to_a1("R", 5, 5), r1c1_to_a1("RC:R2C3", 5, 5)
    ('F:F', '5:5', 'E5:$C$2')
    >>> [getattr(r1c1_to_a1(t, 5, 5), "__class__", None).__name__ for t in ("R0C1", "")]
    ['LiteralValue', 'LiteralValue']
    """
    import formualizer as fz

    if isinstance(text, dict) and text.get("type") == "Error":
        return fz.LiteralValue.error(text.get("kind", "Value"), None)
    if (
        not isinstance(text, str)
        or not isinstance(row, float | int)
        or not isinstance(col, float | int)
    ):
        return fz.LiteralValue.error("NImpl", None)
    if text == "":
        return fz.LiteralValue.error("Ref", None)
    m = _R1C1_REF.fullmatch(text)
    if m is None:  # perhaps a defined name, or another language's letters (Z1S1)
        return fz.LiteralValue.error("NImpl", None)
    found = [_a1_part(p, int(row), int(col)) for p in (m.group("first"), m.group("last")) if p]
    if any(
        p == "" for p in found
    ):  # a relative reference off the sheet: Excel's answer not settled here
        return fz.LiteralValue.error("NImpl", None)
    if None in found:  # R0C1, C16385: no such cell
        return fz.LiteralValue.error("Ref", None)
    parts = [p for p in found if isinstance(p, tuple)]
    kinds = {kind for kind, _ in parts}
    if len(kinds) > 1:  # R1:C2, R1C1:R2: Excel's reading not checked here
        return fz.LiteralValue.error("NImpl", None)
    sheet = m.group("sheet")
    return (
        (sheet + "!" if sheet else "")
        + ":".join(a1 for _, a1 in parts)
        + (":" + parts[0][1] if len(parts) == 1 and kinds != {"cell"} else "")
    )


def _a1_part(part: str, row: int, col: int) -> tuple[str, str] | str | None:
    """(kind, A1 text) of one side of an R1C1 reference; "" when a relative reference
    leaves the sheet, None for an absolute row or column that does not exist."""
    m = _PART.fullmatch(part)
    assert m is not None
    has_r, has_c = part.startswith("R"), "C" in part
    placed = []
    for wanted, value, here, most in (
        (has_r, m.group("r"), row, MAX_ROWS),
        (has_c, m.group("c"), col, MAX_COLS),
    ):
        if not wanted:
            placed.append(("", 0))
        elif value is None:
            placed.append(("", here))
        elif value.startswith("["):
            n = here + int(value[1:-1])
            if not 1 <= n <= most:
                return ""
            placed.append(("", n))
        elif 1 <= int(value) <= most:
            placed.append(("$", int(value)))
        else:
            return None
    (r_abs, r), (c_abs, c) = placed
    if has_r and has_c:
        return "cell", f"{c_abs}{col_name(c)}{r_abs}{r}"
    if has_r:
        return "row", f"{r_abs}{r}"
    return "col", f"{c_abs}{col_name(c)}"


def register(wb: Any, seen: set[str] | None) -> None:
    """Register ``ROIXL_R1C1`` where a formula may need it (``seen``: the names the
    formulas call, None for every name)."""
    if seen is not None and "INDIRECT" not in seen:
        return
    wb.register_function(R1C1, r1c1_to_a1, min_args=3, max_args=3)
