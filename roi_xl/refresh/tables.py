"""Excel tables' structured references (``Sales[Amount]``, ``Table1[[#This Row],[A]:[C]]``,
``[@Qty]``, ``SUBTOTAL(109,[Column'#])``) turned into plain A1 references for the engine.

formualizer does not read the tables of an .xlsx (every structured reference is ``#NAME?``
to it), and its own tables make ``[#This Row]`` circular; so the engine's copy of each
sheet gets the same formulas with A1 references, computed from the table definitions in
the package (``xl/tables/tableN.xml``). A reference this cannot resolve keeps the cell's
Excel value. The file itself keeps its structured references.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Iterable

from ..errors import UnresolvedTableReference
from .package import NS_PKG_REL, Package, _resolve
from .sheet import col_name, col_row
from .values import decode_text as _unescape
from .values import encode_text as _escape


@dataclass(frozen=True)
class Table:
    name: str
    sheet: str
    first_col: int
    first_row: int
    last_col: int
    last_row: int
    columns: tuple[str, ...]
    header_rows: int
    totals_rows: int


def read_tables(pkg: Package, sheets: Iterable[tuple[str, str]]) -> dict[str, Table]:
    """Every table of the workbook, by upper-case name."""
    out: dict[str, Table] = {}
    for sheet, part in sheets:
        rels = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
        if rels not in pkg.names:
            continue
        for rel in pkg.xml(rels).iter(f"{{{NS_PKG_REL}}}Relationship"):
            target = _resolve(part, rel.get("Target", ""))
            if not rel.get("Type", "").endswith("/table") or target not in pkg.names:
                continue
            root = pkg.xml(target)
            ref = root.get("ref", "")
            first, _, last = ref.partition(":")
            try:
                (c1, r1), (c2, r2) = col_row(first), col_row(last or first)
            except ValueError:
                continue
            columns = tuple(
                el.get("name", "") for el in root.iter() if el.tag.endswith("}tableColumn")
            )
            name = root.get("displayName") or root.get("name") or ""
            out[name.upper()] = Table(
                name,
                sheet,
                c1,
                r1,
                c2,
                r2,
                columns,
                int(root.get("headerRowCount", "1")),
                int(root.get("totalsRowCount", "0")),
            )
    return out


_NAME_BEFORE = re.compile(r"([A-Za-z_\\][\w.\\]*)$")


def quoted_end(formula: str, i: int) -> int:
    """Where the text or quoted sheet name opening at ``formula[i]`` ends (the index after
    its closing quote; a doubled quote inside is one quote).

    >>> quoted_end('"a""b"&1', 0), quoted_end("'It''s'!A1", 0)
    (6, 7)
    """
    quote, j, n = formula[i], i + 1, len(formula)
    while j < n:
        if formula[j] == quote:
            if j + 1 < n and formula[j + 1] == quote:
                j += 2
                continue
            return j + 1
        j += 1
    return n


def translate(formula: str, sheet: str, ref: str, tables: dict[str, Table]) -> str:
    """``formula`` (in cell ``sheet!ref``) with every structured reference as A1.

    >>> t = {"T": Table("T", "S", 1, 1, 3, 5, ("a", "b#", "c"), 1, 1)}
    >>> translate("SUM(T[a])+T[[#This Row],[a]:[c]]", "S", "D3", t)
    "SUM('S'!$A$2:$A$4)+'S'!$A3:$C3"
    >>> translate("SUBTOTAL(109,[b'#])", "S", "B5", t)
    "SUBTOTAL(109,'S'!$B$2:$B$4)"
    >>> translate("T[[#Totals],[c]]&T[#Headers]&T[]", "X", "A9", t)
    "'S'!$C$5&'S'!$A$1:$C$1&'S'!$A$2:$C$4"
    """
    out: list[str] = []
    i = 0
    n = len(formula)
    while i < n:
        ch = formula[i]
        if ch in "\"'":  # a string or a quoted sheet name: copy it whole
            j = quoted_end(formula, i)
            out.append(formula[i:j])
            i = j
            continue
        if ch != "[":
            out.append(ch)
            i += 1
            continue
        end = _closing(formula, i)
        before = "".join(out)
        m = _NAME_BEFORE.search(before)
        if m and m.group(1).upper() in tables:
            table = tables[m.group(1).upper()]
            out = [before[: m.start()]]
        elif m:
            raise UnresolvedTableReference(f"unknown table {m.group(1)}")
        else:
            table = _containing(tables, sheet, ref)
        out.append(_a1(table, formula[i + 1 : end], ref, sheet))
        i = end + 1
    return "".join(out)


def _closing(text: str, start: int) -> int:
    depth = 0
    i = start
    while i < len(text):
        ch = text[i]
        if ch == "'":
            i += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise UnresolvedTableReference("unbalanced [ ]")


def _containing(tables: dict[str, Table], sheet: str, ref: str) -> Table:
    col, row = col_row(ref)
    for t in tables.values():
        if (
            t.sheet == sheet
            and t.first_col <= col <= t.last_col
            and t.first_row <= row <= t.last_row
        ):
            return t
    raise UnresolvedTableReference("a table reference outside any table")


def _items(spec: str) -> list[str]:
    """``[#This Row],[a]:[b]`` → ``["#This Row", "a:b"]`` (a column range kept as one)."""
    items: list[str] = []
    i = 0
    while i < len(spec):
        if spec[i] in ", ":
            i += 1
            continue
        if spec[i] != "[":
            raise UnresolvedTableReference(f"unexpected {spec[i:]!r}")
        end = _closing(spec, i)
        item = spec[i + 1 : end]
        if end + 1 < len(spec) and spec[end + 1] == ":" and end + 2 < len(spec):
            end2 = _closing(spec, end + 2)
            item = item + "\0" + spec[end + 3 : end2]
            end = end2
        items.append(item)
        i = end + 1
    return items


def _a1(table: Table, spec: str, ref: str, sheet: str) -> str:
    keywords: list[str] = []
    columns: list[str] = []
    if spec.startswith("["):
        parts = _items(spec)
    elif spec.startswith("@"):
        parts = ["#This Row"] + ([spec[1:].strip("[]")] if spec[1:] else [])
    else:
        parts = [spec] if spec else []
    for p in parts:
        if p.startswith("#"):
            keywords.append(p[1:].strip().lower())
        elif p == "@":
            keywords.append("this row")
        else:
            columns.append(p)
    h_first, d_first = table.first_row, table.first_row + table.header_rows
    t_first = table.last_row - table.totals_rows + 1
    areas = {
        "all": (table.first_row, table.last_row),
        "headers": (h_first, d_first - 1),
        "data": (d_first, t_first - 1),
        "totals": (t_first, table.last_row),
    }
    this_row = False
    rows: list[tuple[int, int]] = []
    for k in keywords or ["data"]:
        if k == "this row":
            this_row = True
            row = col_row(ref)[1]
            if not d_first <= row < t_first:
                raise UnresolvedTableReference("#This Row outside the table's data rows")
            rows.append((row, row))
        elif k in areas:
            rows.append(areas[k])
        else:
            raise UnresolvedTableReference(f"unknown keyword #{k}")
    if any(lo > hi for lo, hi in rows):
        raise UnresolvedTableReference("the table has no such rows")
    r1, r2 = min(lo for lo, _ in rows), max(hi for _, hi in rows)
    if columns:
        idx = [_column(table, c) for c in "\0".join(columns).split("\0")]
        c1, c2 = table.first_col + min(idx), table.first_col + max(idx)
    else:
        c1, c2 = table.first_col, table.last_col
    quoted = "'" + table.sheet.replace("'", "''") + "'!"
    rmark = "" if this_row else "$"
    first = f"${col_name(c1)}{rmark}{r1}"
    if (c1, r1) == (c2, r2):
        return quoted + first
    return f"{quoted}{first}:${col_name(c2)}{rmark}{r2}"


def _column(table: Table, name: str) -> int:
    plain = re.sub(r"'(.)", r"\1", name)
    for candidates in (table.columns, [c.upper() for c in table.columns]):
        key = plain if candidates is table.columns else plain.upper()
        if key in candidates:
            return list(candidates).index(key)
    stripped = [c.strip().upper() for c in table.columns]
    if plain.strip().upper() in stripped:
        return stripped.index(plain.strip().upper())
    raise UnresolvedTableReference(f"no column {plain!r} in table {table.name}")


_DEFINED_NAME = re.compile(
    r"(<(?:[\w.-]+:)?definedName\b[^>]*>)([^<]*)(</(?:[\w.-]+:)?definedName>)"
)


def engine_workbook(xml: str, tables: dict[str, Table]) -> str:
    """The workbook XML with structured references in defined names as A1 (for the
    engine); a name this cannot resolve stays as it was (the engine reports it)."""

    def name(m: re.Match[str]) -> str:
        if "[" not in m.group(2):
            return m.group(0)
        try:
            text = translate(_unescape(m.group(2)), "", "A1", tables)
        except (UnresolvedTableReference, ValueError):
            return m.group(0)
        return m.group(1) + _escape(text) + m.group(3)

    return _DEFINED_NAME.sub(name, xml)
