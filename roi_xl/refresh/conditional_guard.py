"""SUMIF, SUMIFS, AVERAGEIF and AVERAGEIFS over a summed range that holds an error.

Excel answers the error (``SUMIF(A1:A2,2,C1:C2)`` with ``C1`` = ``#DIV/0!`` matched is
``#DIV/0!``); formualizer skips it. Such a cell must keep Excel's value. An override of
the four functions (the first fix) received every range as Python lists on every call: a
sheet of 200 SUMIFS over whole columns of 50 000 rows took 70 s instead of 1. The engine's
copy of the formula is guarded instead, natively::

    SUMIFS(C:C,A:A,1)  →  IF(ISERROR(SUM(C:C)),ROIXL_KEPT(),SUMIFS(C:C,A:A,1))

``SUM`` of a range is an error exactly when the range holds one; ``ROIXL_KEPT`` answers the
engine's "not computed", so the cell keeps Excel's value and is reported. Any error in the
summed range keeps the cell, matched or not (which rows match is the engine's criteria
logic, the very thing in doubt).

The guard is put in after the engine has evaluated the file (:func:`apply`: the few cells
that call the four get their guarded formula and are evaluated once more), not into the
engine's copy before it loads: a workbook whose only reason for a copy was a SUMIF can
then be loaded by the engine itself, while its sheets are scanned
(:class:`recalc.EarlyEngine`; 100 000 formulas with 200 SUMIFS: 2.1× → see README).

>>> guard("=SUMIFS(Data!C:C,Data!A:A,A1)+1")
'=IF(ISERROR(SUM(Data!C:C)),ROIXL_KEPT(),SUMIFS(Data!C:C,Data!A:A,A1))+1'
>>> guard('=SUMIF(A1:A9,">0")'), guard("=AVERAGEIF(A:A,2,B:B)")
('=IF(ISERROR(SUM(A1:A9)),ROIXL_KEPT(),SUMIF(A1:A9,">0"))', '=IF(ISERROR(SUM(B:B)),ROIXL_KEPT(),AVERAGEIF(A:A,2,B:B))')
>>> guard('=COUNTIF(A:A,"SUMIF(")')
'=COUNTIF(A:A,"SUMIF(")'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Collection, Iterable

from .sheet import _CELL, _F, _attrs, col_row
from .values import decode_text
from .tables import quoted_end

if TYPE_CHECKING:
    from .sheet import SheetScan

NAMES = ("SUMIF", "SUMIFS", "AVERAGEIF", "AVERAGEIFS")
KEPT = "ROIXL_KEPT"
#: why a cell that calls one of the four in a formula with a union keeps Excel's value
UNION_REASON = "SUMIF or AVERAGEIF in a formula with a union of references: not computed"


def may_have(text: str) -> bool:
    """A cheap test: could ``text`` call one of the four?"""
    upper = text.upper()
    return "SUMIF" in upper or "AVERAGEIF" in upper


def _arguments(formula: str, start: int) -> tuple[list[str], int]:
    """The top-level arguments of the call whose ``(`` is at ``start``, and the index of
    its ``)``."""
    args, depth, i, begin = [], 0, start + 1, start + 1
    n = len(formula)
    while i < n:
        ch = formula[i]
        if ch in "\"'":
            i = quoted_end(formula, i)
            continue
        if ch in "({":
            depth += 1
        elif ch in ")}":
            if depth == 0:
                args.append(formula[begin:i])
                return args, i
            depth -= 1
        elif ch == "," and depth == 0:
            args.append(formula[begin:i])
            begin = i + 1
        i += 1
    return [], -1  # unbalanced: leave it to the engine


def rewrite_calls(
    formula: str,
    names: Collection[str],
    replace: Callable[[str, int, int, str, list[str], int], tuple[str, int] | None],
) -> str:
    """``formula`` with each call of a function in ``names`` (capitals, ``_xlfn.``
    dropped) put as ``replace(formula, start, open, name, args, close)`` answers: the text
    for the call written from ``start`` (its name; ``open``: its ``(``, ``close``: its
    ``)``, -1 when unbalanced) and the index the scan goes on from, or None to leave it as
    written (its arguments are read on). Texts and quoted sheet names are copied as they are.

    >>> rewrite_calls('=f(1)+F(2,"F(3)")', {"F"}, lambda f, s, o, n, a, c: (f"G({a[0]})", c + 1))
    '=G(1)+G(2)'
    """
    out: list[str] = []
    i, n = 0, len(formula)
    while i < n:
        ch = formula[i]
        if ch in "\"'":
            j = quoted_end(formula, i)
            out.append(formula[i:j])
            i = j
            continue
        if (ch.isalpha() or ch == "_") and (
            i == 0 or not (formula[i - 1].isalnum() or formula[i - 1] in "_.$")
        ):
            j = i
            while j < n and (formula[j].isalnum() or formula[j] in "_."):
                j += 1
            name = formula[i:j].upper().removeprefix("_XLFN.")
            if name in names and j < n and formula[j] == "(":
                args, end = _arguments(formula, j)
                done = replace(formula, i, j, name, args, end)
                if done is not None:
                    out.append(done[0])
                    i = done[1]
                    continue
            out.append(formula[i:j])
            i = j
            continue
        out.append(ch)
        i += 1
    return "".join(out)


class _Every:
    """Every name (for :func:`map_calls`)."""

    def __contains__(self, name: object) -> bool:
        return True


def map_calls(formula: str, handle: Callable[[str, str, list[str]], str | None]) -> str:
    """``formula`` with each function call replaced by ``handle(name, spelled, args)``
    (the name in capitals without ``_xlfn.``, as written, and the arguments with their own
    calls handled first), or kept (rebuilt from those arguments) where that gives None:
    :func:`rewrite_calls` for every name, bottom-up.

    >>> map_calls("=f(g(1),'a(b'!A1)", lambda n, s, a: n.lower() + "!" if n == "G" else None)
    "=f(g!,'a(b'!A1)"
    """

    def replace(
        f: str, start: int, at: int, name: str, args: list[str], end: int
    ) -> tuple[str, int] | None:
        if end < 0:
            return None
        inner = [map_calls(a, handle) for a in args]
        new = handle(name, f[start:at], inner)
        return (new if new is not None else f"{f[start:at]}({','.join(inner)})"), end + 1

    return rewrite_calls(formula, _Every(), replace)


def guard(formula: str) -> str:
    """``formula`` with every call of the four guarded (nested calls too)."""
    if not may_have(formula):
        return formula

    def guarded(
        f: str, start: int, at: int, name: str, args: list[str], end: int
    ) -> tuple[str, int] | None:
        if end <= 0 or len(args) < 2:
            return None
        inner = [guard(a) for a in args]
        summed = inner[0]
        if not name.endswith("S") and len(inner) > 2 and inner[2].strip():
            summed = inner[2]
        call = f"{f[start:at]}({','.join(inner)})"
        return f"IF(ISERROR(SUM({summed})),{KEPT}(),{call})", end + 1

    return rewrite_calls(formula, NAMES, guarded)


def register(wb: Any, formulas: Iterable[str] | None) -> None:
    """Register ``ROIXL_KEPT`` (the engine's "not computed") where a formula may need it."""
    import formualizer as fz

    if formulas is not None and not any(f and may_have(f) for f in formulas):
        return
    wb.register_function(KEPT, lambda: fz.LiteralValue.error("NImpl", None), min_args=0, max_args=0)


_HITS = re.compile(r"SUMIF|AVERAGEIF", re.I)
_STRING = re.compile(r'"(?:[^"]|"")*"')


def has_union(formula: str) -> bool:
    """Whether ``formula`` holds a union in parentheses (``(A1:B2,C3)``), which the engine
    prints without them (``INDEX((A1:B2,C3),1,1,2)`` would come back with five arguments):
    such a cell is not re-set from the engine's text (:func:`apply` keeps it).

    >>> has_union("INDEX((A1:B2,C3),1,1,2)+SUMIF(A:A,1)"), has_union('SUMIF(A:A,"(a,b)",B:B)')
    (True, False)
    >>> has_union("SUM(A1,(B1+1),{1,2})")
    False
    """
    stack: list[bool] = []  # per open bracket: is it a group (not a call, not an array)?
    i, n = 0, len(formula)
    while i < n:
        ch = formula[i]
        if ch in "\"'":
            i = quoted_end(formula, i)
            continue
        if ch == "(":
            before = formula[i - 1] if i else ""
            stack.append(not (before.isalnum() or before in "_."))
        elif ch == "{":
            stack.append(False)
        elif ch in ")}":
            if stack:
                stack.pop()
        elif ch == "," and stack and stack[-1]:
            return True
        i += 1
    return False


def cells_calling(sc: SheetScan) -> list[tuple[tuple[int, int], bool]]:
    """(row, column) of the sheet's formula cells that may call one of the four, each with
    whether its formula holds a union (:func:`has_union`): each hit of the names in the
    sheet XML gives its cell, and a shared formula's master gives its children. A hit outside a formula (a cached text) gives a cell :func:`apply` leaves
    alone. The scan's formula texts (:attr:`SheetScan.formula_text`) spare the XML search
    where no formula names them.

    >>> from .sheet import scan
    >>> sc = scan('<sheetData><row r="2"><c r="B2"><f t="shared" ref="B2:B3" si="0">'
    ...           'SUMIF(A:A,1)</f><v>1</v></c><c r="C2"><f>A2+1</f></c></row><row r="3">'
    ...           '<c r="B3"><f t="shared" si="0"/><v>1</v></c></row></sheetData>', formulas=True)
    >>> cells_calling(sc)
    [((2, 2), False), ((3, 2), False)]
    """
    if not any(may_have(text) for text in sc.formula_text):
        return []
    xml = sc.xml
    found: dict[tuple[int, int], bool] = {}  # (row, column) → its formula has a union
    shared: dict[str, bool] = {}
    for hit in _HITS.finditer(xml, sc.begin, sc.end or len(xml)):
        start = xml.rfind("<c ", 0, hit.start())
        prefixed = xml.rfind(":c ", 0, hit.start())  # <x:c r=...>
        if prefixed > start:
            start = xml.rfind("<", 0, prefixed)
        m = _CELL.match(xml, start) if start >= 0 else None
        if m is None or m.end() < hit.end():
            continue
        ref = _attrs(m.group(2)).get("r")
        fm = _F.search(m.group(4) or "")
        if not ref or fm is None:
            continue
        col, row = col_row(ref)
        union = has_union(decode_text(fm.group(4) or ""))
        found[row, col] = union
        fa = _attrs(fm.group(2))
        if fa.get("t") == "shared" and "si" in fa:
            shared[fa["si"]] = union
    if shared:
        for i, fa in enumerate(sc.fattrs):
            if fa and "shared" in fa:
                si = _attrs(fa).get("si")
                if si in shared:
                    found[sc.rows[i], sc.cols[i]] = shared[si]
    return sorted(found.items())


def apply(wb: Any, cells: dict[str, list[tuple[tuple[int, int], bool]]]) -> int:
    """Guard, in the evaluated engine workbook ``wb``, the formulas of ``cells`` (by the
    engine's sheet name, from :func:`cells_calling`) that call one of the four, and evaluate
    them again; the number of formulas guarded. Their dependents are not evaluated again: a
    guarded cell that now answers "not computed" takes its dependents with it
    (:mod:`kept_dependents`), and one that does not answers what it answered before. A
    formula with a union is not re-set from the engine's printing of it (which drops the
    union's parentheses): it answers "not computed" outright."""
    changed: list[tuple[str, int, int]] = []
    for sheet, where in cells.items():
        for (row, col), union in where:
            text = wb.get_formula(sheet, row, col)
            if not text:
                continue
            new = f"={KEPT}()" if union and may_have(_STRING.sub("", text)) else guard(text)
            if new != text:
                wb.set_formula(sheet, row, col, new)
                changed.append((sheet, row, col))
    if changed:
        wb.evaluate_cells(changed)
    return len(changed)


# The check without re-evaluating: an error among the summed cells ------------------------
#
# Setting a formula on an evaluated formualizer workbook and evaluating it again costs
# 0.25-0.5 s on a sheet of 10⁵ formulas (the engine re-plans), more than the whole early
# load saves. So the summed ranges are read from the engine's printing of each formula and
# checked against the cells the refresh already knows hold an error (formula cells read
# from the engine, constant errors of the sheet XML); only a formula whose summed range is
# no plain reference or name is guarded and evaluated again (:func:`apply`).


@dataclass(frozen=True)
class Rect:
    """A block of cells of one sheet (the engine's name), 1-based and inclusive."""

    sheet: str
    r1: int
    c1: int
    r2: int
    c2: int

    def holds(self, sheet: str, row: int, col: int) -> bool:
        return sheet == self.sheet and self.r1 <= row <= self.r2 and self.c1 <= col <= self.c2


_BIG = 1 << 20  # rows; columns go up to 16 384
_CELL_REF = re.compile(
    r"(?:(?P<sheet>'(?:[^']|'')+'|[A-Za-z_][\w.]*)!)?"
    r"(?:(?P<c1>[A-Z]{1,3})(?P<r1>\d+)(?::(?P<c2>[A-Z]{1,3})(?P<r2>\d+))?"
    r"|(?P<cc1>[A-Z]{1,3}):(?P<cc2>[A-Z]{1,3})|(?P<rr1>\d+):(?P<rr2>\d+))"
)


def rect(text: str, sheet: str, names: dict[str, Rect]) -> Rect | None:
    """The block ``text`` (an argument as the engine prints it, in ``sheet``) refers to:
    a cell, a range, whole columns or rows, or a defined name of ``names``; else None.

    >>> rect("Data!$C:$C", "S", {}), rect("B2:A1", "S", {}), rect("OFFSET(A1,1,1)", "S", {})
    (Rect(sheet='Data', r1=1, c1=3, r2=1048576, c2=3), Rect(sheet='S', r1=1, c1=1, r2=2, c2=2), None)
    >>> rect(" sales ", "S", {"SALES": Rect("D", 1, 2, 9, 2)})
    Rect(sheet='D', r1=1, c1=2, r2=9, c2=2)
    """
    text = text.strip()
    if text.upper() in names:
        return names[text.upper()]
    m = _CELL_REF.fullmatch(text.replace("$", ""))
    if m is None:
        return None
    where = m.group("sheet") or sheet
    if where.startswith("'"):
        where = where[1:-1].replace("''", "'")
    if m.group("cc1"):
        a, b = sorted((_col(m.group("cc1")), _col(m.group("cc2"))))
        return Rect(where, 1, a, _BIG, b)
    if m.group("rr1"):
        a, b = sorted((int(m.group("rr1")), int(m.group("rr2"))))
        return Rect(where, a, 1, b, 16384)
    c1, r1 = _col(m.group("c1")), int(m.group("r1"))
    c2, r2 = (_col(m.group("c2")), int(m.group("r2"))) if m.group("c2") else (c1, r1)
    return Rect(where, min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2))


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def summed_rects(formula: str, sheet: str, names: dict[str, Rect]) -> list[Rect] | None:
    """The blocks the SUMIF-family calls of ``formula`` (as the engine prints it, in
    ``sheet``) sum, or None when one is not a plain reference or name. SUMIF's and
    AVERAGEIF's ``sum_range`` is read from its top-left cell in the shape of ``range``, as
    Excel reads it.

    >>> summed_rects("=SUMIF(A1:A5, 1, C1)+SUMIFS(D:D, A:A, 2)", "S", {})
    [Rect(sheet='S', r1=1, c1=3, r2=5, c2=3), Rect(sheet='S', r1=1, c1=4, r2=1048576, c2=4)]
    >>> summed_rects("=SUMIF(A1:A5, 1, INDEX(C:C, 1))", "S", {}) is None
    True
    """
    found: list[Rect] = []
    plain = True

    def visit(
        f: str, start: int, at: int, name: str, args: list[str], end: int
    ) -> tuple[str, int] | None:
        nonlocal plain
        if end <= 0 or len(args) < 2:
            plain = False
            return None
        block = rect(args[0], sheet, names)
        if not name.endswith("S") and len(args) > 2 and args[2].strip():
            top = rect(args[2], sheet, names)
            if block is not None and top is not None:
                block = Rect(
                    top.sheet,
                    top.r1,
                    top.c1,
                    top.r1 + block.r2 - block.r1,
                    top.c1 + block.c2 - block.c1,
                )
            else:
                block = None
        if block is None:
            plain = False
        else:
            found.append(block)
        return None  # the arguments are read on: nested calls too

    rewrite_calls(formula, NAMES, visit)
    return found if plain else None


def named_rects(wb: Any) -> dict[str, Rect]:
    """The workbook's defined names that are one block of one sheet, in capitals (a name
    defined for a sheet is left out: which one a formula reads depends on its sheet)."""
    out: dict[str, Rect] = {}
    local: set[str] = set()
    for n in wb.get_named_ranges():
        name = str(n.get("name", "")).upper()
        if n.get("scope") != "workbook":
            local.add(name)
            continue
        if n.get("kind") == "range" and n.get("start_sheet") == n.get("end_sheet"):
            out[name] = Rect(
                n["start_sheet"], n["start_row"], n["start_col"], n["end_row"], n["end_col"]
            )
    return {k: v for k, v in out.items() if k not in local}


_ERROR_CELL = re.compile(r"""<c\b[^>]*?\bt\s*=\s*["']e["'][^>]*>""")
_R = re.compile(r"""\br\s*=\s*["']([A-Z]{1,3})(\d+)["']""")


def constant_errors(xml: str) -> set[tuple[int, int]]:
    """(row, column) of the cells of a sheet's XML that hold an error (``t="e"``): the
    constants among them are errors the summed ranges may hold (formula cells are read
    from the engine instead, by the caller).

    >>> sorted(constant_errors('<c r="B2" t="e"><v>#N/A</v></c><c r="C3"><v>1</v></c>'))
    [(2, 2)]
    """
    if 't="e"' not in xml and "t='e'" not in xml:
        return set()
    out = set()
    for m in _ERROR_CELL.finditer(xml):
        r = _R.search(m.group(0))
        if r:
            out.add((int(r.group(2)), _col(r.group(1))))
    return out
