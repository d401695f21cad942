"""The worksheet XML scanner and rewriter: formula cells with their cached values, and a
copy of the XML with only ``<v>`` and ``t`` of chosen cells changed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from .package import UnreadableWorkbook
from .values import Value, _escape, _unescape

_CELL = re.compile(r"<((?:[\w.-]+:)?)c(\s[^>]*?)?(/>|>(.*?)</\1c>)", re.S)
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*("[^"]*"|'[^']*')""")
_F = re.compile(r"<((?:[\w.-]+:)?)f(\s[^>]*?)?(/>|>(.*?)</\1f>)", re.S)
_V = re.compile(r"<((?:[\w.-]+:)?)v(\s[^>]*?)?(/>|>(.*?)</\1v>)", re.S)
_REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")


@dataclass
class FormulaCell:
    ref: str
    formula: str | None  # text of <f>, None for a shared-formula child
    kind: str  # normal | shared | array | spilled (a non-anchor cell of an array block)
    array_ref: str | None
    cached: Value | None


def col_row(ref: str) -> tuple[int, int]:
    m = _REF.fullmatch(ref.upper())
    if not m:
        raise ValueError(ref)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return col, int(m.group(2))


def block(ref: str) -> Iterator[str]:
    """Every cell reference of ``A1:B3`` (row by row)."""
    first, _, last = ref.partition(":")
    c1, r1 = col_row(first)
    c2, r2 = col_row(last or first)
    for r in range(r1, r2 + 1):
        for c in range(c1, c2 + 1):
            yield f"{_col_name(c)}{r}"


def _col_name(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def _attrs(start: str | None) -> dict[str, str]:
    return {k: v[1:-1] for k, v in _ATTR.findall(start or "")}


def formula_cells(xml: str) -> list[FormulaCell]:
    """Formula cells of a worksheet, plus the non-anchor cells of array-formula blocks."""
    cells: list[FormulaCell] = []
    blocks: list[str] = []
    plain: dict[str, Value | None] = {}
    for m in _CELL.finditer(xml):
        attrs = _attrs(m.group(2))
        ref = attrs.get("r")
        body = m.group(4) or ""
        vm = _V.search(body)
        cached = Value(attrs.get("t"), _unescape(vm.group(4) or "")) if vm else None
        fm = _F.search(body)
        if ref is None:
            if fm:
                raise UnreadableWorkbook(
                    "a formula cell has no r= reference; this writer "
                    "needs it (open and save the file in Excel)"
                )
            continue
        if not fm:
            plain[ref] = cached
            continue
        fattrs = _attrs(fm.group(2))
        ftype = fattrs.get("t", "normal")
        text = None if fm.group(3) == "/>" else _unescape(fm.group(4) or "")
        kind = {"shared": "shared", "array": "array"}.get(ftype, "normal")
        aref = fattrs.get("ref") if kind == "array" else None
        cells.append(FormulaCell(ref, text, kind, aref, cached))
        if aref and ":" in aref:
            blocks.append(aref)
    for aref in blocks:
        anchor = aref.split(":")[0]
        for ref in block(aref):
            if ref != anchor and ref in plain:
                cells.append(FormulaCell(ref, None, "spilled", aref, plain[ref]))
    return cells


def as_dynamic_arrays(xml: str, cells: list[FormulaCell]) -> str:
    """The sheet XML as the engine should see it: every multi-cell array formula becomes
    one formula that spills (Excel's dynamic arrays are stored as such blocks), and the
    other cells of the block lose their cached values, which would block the spill.

    Only the engine reads this text; the file is written from the original XML.
    """
    spilled = {c.ref for c in cells if c.kind == "spilled"}
    anchors = {c.ref for c in cells if c.kind == "array" and c.array_ref and ":" in c.array_ref}
    if not anchors:
        return xml
    drop = re.compile(r"""\s(?:t|ref|aca)\s*=\s*("[^"]*"|'[^']*')""")

    def cell(m: re.Match[str]) -> str:
        ref = _attrs(m.group(2)).get("r", "")
        body = m.group(4)
        if body is None or (ref not in anchors and ref not in spilled):
            return m.group(0)
        if ref in anchors:
            fm = _F.search(body)
            assert fm is not None
            plain_f = f"<{fm.group(1)}f{drop.sub('', fm.group(2) or '')}{fm.group(3)}"
            body = body[: fm.start()] + plain_f + body[fm.end() :]
        else:
            body = _V.sub("", body)
        return f"<{m.group(1)}c{m.group(2) or ''}>{body}</{m.group(1)}c>"

    return _CELL.sub(cell, xml)


def rewrite(xml: str, updates: dict[str, Value]) -> str:
    """The sheet XML with only ``<v>`` and ``t`` of the cells in ``updates`` changed."""
    if not updates:
        return xml

    def cell(m: re.Match[str]) -> str:
        attrs = _attrs(m.group(2))
        new = updates.get(attrs.get("r", ""))
        if new is None or m.group(3) == "/>":
            return m.group(0)
        p = m.group(1)
        start = _set_t(m.group(2) or "", attrs.get("t"), new.t)
        body = m.group(4) or ""
        v = f"<{p}v>{_escape(new.text)}</{p}v>"
        vm = _V.search(body)
        if vm:
            body = body[: vm.start()] + v + body[vm.end() :]
        else:
            fm = _F.search(body)
            at = fm.end() if fm else 0
            body = body[:at] + v + body[at:]
        return f"<{p}c{start}>{body}</{p}c>"

    return _CELL.sub(cell, xml)


def _set_t(start: str, old: str | None, new: str | None) -> str:
    if new is None and old == "n":
        return start  # LibreOffice writes t="n" for numbers; leave it
    if old == new:
        return start
    pattern = re.compile(r"""(\s)t\s*=\s*("[^"]*"|'[^']*')""")
    if old is not None:
        if new is None:
            return pattern.sub("", start, count=1)
        return pattern.sub(lambda m: f'{m.group(1)}t="{new}"', start, count=1)
    return start + f' t="{new}"'
