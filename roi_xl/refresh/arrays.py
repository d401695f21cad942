"""The cells of a legacy (CSE) array-formula block that the sheet XML does not hold.

Excel writes every cell of a block such as ``{=B1:B3*2}`` in A1:A3: the formula
``<f t="array" ref="A1:A3">`` on the top-left cell and a cached value in each of the others.
openpyxl (``ws["A1"] = ArrayFormula("A1:A3", "=B1:B3*2")``) and some other writers store the
top-left cell only, so the other cells have nowhere to put their values. :func:`missing`
finds them; :func:`insert` adds them to the sheet XML, each as a ``<c>`` with its value and
nothing else, in row and column order (a new ``<row>`` where the row has none), and widens
the row's ``spans`` and the sheet's ``<dimension>`` to cover them.

:class:`Fitted` gives each cell of a block its value as Excel fits the formula's result
into the block: the engine spills the result from the top-left cell, and a result smaller
than the block is repeated when it is one row (down) or one column (across), a single value
fills the block, and the cells past a longer result are ``#N/A``.
"""

from __future__ import annotations

import re
from typing import Any

from .sheet import _CELL, SheetScan, _attrs, _col_name, block, col_row, v_element
from .values import Value

_SHEET_DATA = re.compile(r"<((?:[\w.-]+:)?)sheetData\b[^>]*?(/?)>")
_ROW = re.compile(r"<((?:[\w.-]+:)?)row\b([^>]*?)(/>|>(.*?)</\1row>)", re.S)
_SPANS = re.compile(r"""(\sspans\s*=\s*)(["'])(\d+):(\d+)\2""")
_DIMENSION = re.compile(r"""(<(?:[\w.-]+:)?dimension\b[^>]*?\sref\s*=\s*)(["'])([^"']*)\2""")


def missing(sc: SheetScan) -> list[tuple[int, int]]:
    """(row, column) of every cell of the sheet's multi-cell array blocks that has no
    ``<c>`` element, in row and column order.

    >>> from roi_xl.refresh.sheet import scan
    >>> missing(scan('<sheetData><row r="1"><c r="A1"><f t="array" ref="A1:A3">B1:B3</f>'
    ...              '<v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row></sheetData>'))
    [(3, 1)]
    """
    blocks = [ref for ref in sc.array_refs.values() if ":" in ref]
    if not blocks:
        return []
    present = set(zip(sc.rows, sc.cols))  # the formula cells and the block cells it found
    out = {(r, c) for ref in blocks for c, r in map(col_row, block(ref))} - present
    return sorted(out)


#: The engine's error value for a block cell past the end of the result.
NA = {"type": "Error", "kind": "Na"}


class Fitted:
    """The values of the cells of one sheet's multi-cell array blocks, from the engine
    (``wb``, evaluated), as Excel fits each result into its block.

    A cell the engine spilled a value to keeps it (one ``get_value``, as for any cell);
    only the others ask the engine for the shape of the anchor's result (its spill
    extent), once per block.
    """

    def __init__(self, wb: Any, sheet: str, sc: SheetScan) -> None:
        self.wb, self.sheet, self.sc = wb, sheet, sc
        self._anchor: dict[tuple[int, int], tuple[int, int]] | None = None
        self._shape: dict[tuple[int, int], tuple[int, int] | None] = {}

    def value(self, row: int, col: int) -> Any:
        """The cell's value: the engine's, :data:`NA`, or None when the engine has no
        answer (the anchor's result is an error, or the cell is in no block)."""
        value = self.wb.get_value(self.sheet, row, col)
        if value is not None:
            return value
        if self._anchor is None:
            self._anchor = {}
            for i, ref in self.sc.array_refs.items():
                if ":" in ref:
                    top = (self.sc.rows[i], self.sc.cols[i])
                    self._anchor.update({(r, c): top for c, r in map(col_row, block(ref))})
        top = self._anchor.get((row, col))
        if top is None:
            return None
        if top not in self._shape:
            self._shape[top] = self._result_shape(*top)
        shape = self._shape[top]
        if shape is None:
            return None
        (r0, c0), (n_rows, n_cols) = top, shape
        i = 0 if n_rows == 1 else row - r0
        j = 0 if n_cols == 1 else col - c0
        if i >= n_rows or j >= n_cols:
            return NA
        if (i, j) == (row - r0, col - c0):
            return None  # inside the result, yet the engine left it empty
        return self.wb.get_value(self.sheet, r0 + i, c0 + j)

    def _result_shape(self, row: int, col: int) -> tuple[int, int] | None:
        """(rows, columns) of the result at the anchor; None when it is not an answer."""
        from formualizer import SpillRoleKind

        from .engine import NOT_COMPUTED

        top = self.wb.get_value(self.sheet, row, col)
        if top is None or isinstance(top, dict) and top.get("kind") in NOT_COMPUTED:
            return None
        address = "'{}'!{}{}".format(self.sheet.replace("'", "''"), _col_name(col), row)
        spill = self.wb.inspect_cell(address).cell.spill
        if spill is None:
            return (1, 1)  # a single value
        if spill.kind != SpillRoleKind.Anchor or not spill.extent:
            return None
        first, _, last = spill.extent.rpartition("!")[2].replace("$", "").partition(":")
        (c1, r1), (c2, r2) = col_row(first), col_row(last or first)
        if (r1, c1) != (row, col):
            return None
        return (r2 - r1 + 1, c2 - c1 + 1)


def insert(xml: str, cells: dict[tuple[int, int], Value]) -> str:
    """The sheet XML with a ``<c>`` for each of ``cells`` ((row, column) → cached value),
    which must not be in it yet; every other byte is kept, but for ``spans`` and
    ``<dimension>``, widened when a new cell lies outside them.

    >>> xml = ('<worksheet><dimension ref="A1"/><sheetData><row r="1" spans="1:1">'
    ...        '<c r="A1"><f t="array" ref="A1:B2">1</f><v>1</v></c></row></sheetData>'
    ...        '</worksheet>')
    >>> print(insert(xml, {(1, 2): Value(None, "1"), (2, 1): Value("str", "a")}))
    ... # doctest: +NORMALIZE_WHITESPACE
    <worksheet><dimension ref="A1:B2"/><sheetData><row r="1" spans="1:2"><c r="A1"><f
    t="array" ref="A1:B2">1</f><v>1</v></c><c r="B1"><v>1</v></c></row><row
    r="2"><c r="A2" t="str"><v>a</v></c></row></sheetData></worksheet>
    """
    if not cells:
        return xml
    sd = _SHEET_DATA.search(xml)
    if sd is None or sd.group(2):
        raise ValueError("the sheet has no <sheetData> with cells")
    p = sd.group(1)
    end = xml.index(f"</{p}sheetData>", sd.end())
    by_row: dict[int, list[tuple[int, Value]]] = {}
    for (r, c), value in sorted(cells.items()):
        by_row.setdefault(r, []).append((c, value))
    out, last, row_number = [], sd.end(), 0
    for m in _ROW.finditer(xml, sd.end(), end):
        attrs = _attrs(m.group(2))
        row_number = int(attrs.get("r", row_number + 1))
        for r in [r for r in by_row if r < row_number]:  # rows the sheet does not have
            out += (xml[last : m.start()], _new_row(p, r, by_row.pop(r)))
            last = m.start()
        if row_number in by_row:
            out += (xml[last : m.start()], _fill_row(m, row_number, by_row.pop(row_number)))
            last = m.end()
    out.append(xml[last:end])
    out += [_new_row(p, r, new) for r, new in sorted(by_row.items())]
    out.append(xml[end:])
    return _widen_dimension(xml[: sd.end()], cells) + "".join(out)


def _cell(p: str, r: int, c: int, value: Value) -> str:
    t = f' t="{value.t}"' if value.t else ""
    return f'<{p}c r="{_col_name(c)}{r}"{t}>{v_element(value.text, p)}</{p}c>'


def _new_row(p: str, r: int, new: list[tuple[int, Value]]) -> str:
    return f'<{p}row r="{r}">' + "".join(_cell(p, r, c, v) for c, v in new) + f"</{p}row>"


def _fill_row(m: re.Match[str], r: int, new: list[tuple[int, Value]]) -> str:
    p, start, body = m.group(1), m.group(2), m.group(4) or ""
    out, last, col, k = [], 0, 0, 0
    for cm in _CELL.finditer(body):
        ref = _attrs(cm.group(2)).get("r")
        col = col_row(ref)[0] if ref else col + 1
        while k < len(new) and new[k][0] < col:
            out += (body[last : cm.start()], _cell(p, r, *new[k]))
            last = cm.start()
            k += 1
    out.append(body[last:])
    out += [_cell(p, r, c, v) for c, v in new[k:]]
    spans = _SPANS.search(start)
    if spans:
        lo = min(int(spans.group(3)), new[0][0])
        hi = max(int(spans.group(4)), new[-1][0])
        q = spans.group(2)
        start = start[: spans.start()] + f"{spans.group(1)}{q}{lo}:{hi}{q}" + start[spans.end() :]
    return f"<{p}row{start}>" + "".join(out) + f"</{p}row>"


def _widen_dimension(head: str, cells: dict[tuple[int, int], Value]) -> str:
    m = _DIMENSION.search(head)
    if m is None:
        return head
    first, _, second = m.group(3).partition(":")
    try:
        (c1, r1), (c2, r2) = col_row(first), col_row(second or first)
    except ValueError:
        return head
    rows = [r for r, _ in cells] + [r1, r2]
    cols = [c for _, c in cells] + [c1, c2]
    if (min(rows), min(cols), max(rows), max(cols)) == (r1, c1, r2, c2):
        return head
    ref = f"{_col_name(min(cols))}{min(rows)}:{_col_name(max(cols))}{max(rows)}"
    return head[: m.start(3)] + ref + head[m.end(3) :]
