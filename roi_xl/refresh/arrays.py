"""The cells of a legacy (CSE) array-formula block that the sheet XML does not hold.

Excel writes every cell of a block such as ``{=B1:B3*2}`` in A1:A3: the formula
``<f t="array" ref="A1:A3">`` on the top-left cell and a cached value in each of the others.
openpyxl (``ws["A1"] = ArrayFormula("A1:A3", "=B1:B3*2")``) and some other writers store the
top-left cell only, so the other cells have nowhere to put their values. :func:`missing`
finds them; :func:`insert` adds them to the sheet XML, each as a ``<c>`` with its value and
nothing else, in row and column order (a new ``<row>`` where the row has none), and widens
the row's ``spans`` and the sheet's ``<dimension>`` to cover them.

:func:`settle` makes the engine agree with Excel on blocks whose result is not the
block's shape: Excel fits the result into the block (:func:`fit`), the engine spills it.
"""

from __future__ import annotations

import re
from typing import Any

from .sheet import _CELL, SheetScan, _attrs, col_name, block, col_row, v_element
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


def legacy_blocks(sc: SheetScan) -> list[tuple[int, int, int, int]]:
    """(row, column, rows, columns) of each multi-cell legacy (CSE) block of the sheet.

    Excel stores a dynamic-array formula as a block too, marked with ``cm`` (cell
    metadata) on its top-left ``<c>``: that one spills as the engine spills it, so it is
    left out.
    """
    out = []
    for i, ref in sc.array_refs.items():
        if ":" in ref and "cm" not in _attrs(sc.cell_xml(i).group(2)):
            (c1, r1), (c2, r2) = (col_row(x) for x in ref.split(":"))
            out.append((sc.rows[i], sc.cols[i], r2 - r1 + 1, c2 - c1 + 1))
    return out


def result_shape(wb: Any, sheet: str, row: int, col: int) -> tuple[int, int] | None:
    """(rows, columns) of the engine's result at ``row``, ``col`` (from its spill extent);
    None when it has none (an error the engine could not compute, or no formula)."""
    from formualizer import SpillRoleKind

    from .engine import NOT_COMPUTED

    top = wb.get_value(sheet, row, col)
    if top is None or isinstance(top, dict) and top.get("kind") in NOT_COMPUTED:
        return None
    spill = wb.inspect_cell(_address(sheet, row, col)).cell.spill
    if spill is None:
        return (1, 1)  # a single value
    if spill.kind != SpillRoleKind.Anchor or not spill.extent:
        return None
    first, _, last = spill.extent.rpartition("!")[2].replace("$", "").partition(":")
    (c1, r1), (c2, r2) = col_row(first), col_row(last or first)
    return (r2 - r1 + 1, c2 - c1 + 1) if (r1, c1) == (row, col) else None


def fit(result: list[list[Any]], rows: int, cols: int) -> list[list[Any]]:
    """``result`` fitted into a block of ``rows`` × ``columns`` as Excel does for a legacy
    array formula: one row is repeated down, one column across, and the cells past a
    longer dimension are ``#N/A`` (:data:`NA`); a larger result is cut.

    >>> fit([[1, 2]], 2, 3)
    [[1, 2, {'type': 'Error', 'kind': 'Na'}], [1, 2, {'type': 'Error', 'kind': 'Na'}]]
    >>> fit([[7]], 1, 2), fit([[1], [2], [3]], 2, 1)
    ([[7, 7]], [[1], [2]])
    """
    n, m = len(result), len(result[0])
    return [
        [
            result[0 if n == 1 else i][0 if m == 1 else j]
            if (n == 1 or i < n) and (m == 1 or j < m)
            else NA
            for j in range(cols)
        ]
        for i in range(rows)
    ]


#: The engine's error value for a block cell past the end of the result.
NA = {"type": "Error", "kind": "Na"}
_ROUNDS = 8  # blocks that read blocks: one round per level
_MAX_DEPENDENTS = 100_000


def settle(
    wb: Any, scans: dict[str, SheetScan], kept: dict[tuple[str, str], str]
) -> dict[tuple[str, str], str]:
    """Give the engine (``wb``, evaluated) Excel's values for the legacy blocks whose
    result is not the block's shape, and evaluate again, so that the block and every
    formula that reads it get Excel's values.

    The engine spills a block's result from its top-left cell like a dynamic array, so a
    smaller result leaves cells of the block empty (Excel repeats it or shows ``#N/A``)
    and a larger one spills past the block (Excel cuts it): formulas that read those
    cells would see other values than in Excel. Such a block is put into the engine as
    its values (:func:`fit`) once nothing it reads is such a block still unsettled (a
    result that runs into other cells is cut first: :func:`_cut_blocked`). Blocks
    left over (a cycle, more than a few levels, too many dependents), with every formula
    that reads them, are returned as ``{(sheet, ref): reason}``: they keep Excel's values.
    Blocks in ``kept`` are left alone.
    """
    blocks = [
        (sheet, *b)
        for sheet, sc in scans.items()
        for b in legacy_blocks(sc)
        if (sheet, f"{col_name(b[1])}{b[0]}") not in kept and wb.get_formula(sheet, b[0], b[1])
    ]
    _cut_blocked(wb, blocks)
    unfit: list[tuple[str, int, int, int, int, tuple[int, int]]] = []  # a hole in the result
    for round in range(_ROUNDS + 1):
        pending = []
        for sheet, r0, c0, rows, cols in blocks:
            shape = result_shape(wb, sheet, r0, c0)
            if shape is not None and shape != (rows, cols):
                pending.append((sheet, r0, c0, rows, cols, shape))
        if not pending:
            break
        readers, complete = _dependents(wb, [c for p in pending for c in _differing(*p)])
        ready = [p for p in pending if (p[0], p[1], p[2]) not in readers] if complete else []
        if not ready or round == _ROUNDS:
            break
        for sheet, r0, c0, rows, cols, (n, m) in ready:
            blocks.remove((sheet, r0, c0, rows, cols))
            result = [[wb.get_value(sheet, r0 + i, c0 + j) for j in range(m)] for i in range(n)]
            if any(v is None for row in result for v in row):
                unfit.append((sheet, r0, c0, rows, cols, (n, m)))
                continue
            values = fit(result, rows, cols)
            for i, j in [(i, j) for i in range(rows) for j in range(cols)]:  # anchor first
                wb.set_value(sheet, r0 + i, c0 + j, _literal(values[i][j]))
        wb.evaluate_all()
    left = pending + unfit
    if not left:
        return {}
    readers, _ = _dependents(wb, [c for p in left for c in _differing(*p)])
    why = "reads a legacy array block whose result the engine could not fit (Excel's value kept)"
    out = {(s, f"{col_name(c)}{r}"): why for s, r, c in readers}
    for sheet, r0, c0, rows, cols, _ in left:
        for i in range(rows):
            for j in range(cols):
                out[sheet, f"{col_name(c0 + j)}{r0 + i}"] = (
                    "legacy array block whose result the engine could not fit into it"
                )
    return out


def _cut_blocked(wb: Any, blocks: list[tuple[str, int, int, int, int]]) -> None:
    """A result larger than its block spills past it, and into a cell that is not empty
    the engine cannot (``#SPILL!``); Excel cuts the result to the block. Such an anchor
    gets its formula cut for the engine (``TAKE(formula, rows, columns)``), and the
    workbook is evaluated again."""
    cut = False
    for sheet, r0, c0, rows, cols in blocks:
        value = wb.get_value(sheet, r0, c0)
        formula = wb.get_formula(sheet, r0, c0)
        if isinstance(value, dict) and value.get("kind") == "Spill" and formula:
            wb.set_formula(sheet, r0, c0, f"=TAKE({formula.lstrip('=')},{rows},{cols})")
            cut = True
    if cut:
        wb.evaluate_all()


def _literal(value: Any) -> Any:
    if isinstance(value, dict) and value.get("type") == "Error":
        from formualizer import LiteralValue

        return LiteralValue.error(value.get("kind", "Value"), None)
    return value


def _differing(
    sheet: str, r0: int, c0: int, rows: int, cols: int, shape: tuple[int, int]
) -> list[tuple[str, int, int]]:
    """The cells whose engine value differs from Excel's: the block's cells outside the
    result, and the result's cells outside the block."""
    inside = {(r0 + i, c0 + j) for i in range(rows) for j in range(cols)}
    spilled = {(r0 + i, c0 + j) for i in range(shape[0]) for j in range(shape[1])}
    return [(sheet, r, c) for r, c in sorted(inside ^ spilled)]


def _dependents(
    wb: Any, cells: list[tuple[str, int, int]]
) -> tuple[set[tuple[str, int, int]], bool]:
    """Every formula cell that reads ``cells``, directly or not; and whether the search
    was complete."""
    seen: set[tuple[str, int, int]] = set()
    todo = list(cells)
    while todo:
        report = wb.dependents(_address(*todo.pop())).to_dict()
        if report["truncation"]["incomplete"]:
            return seen, False
        for d in report["dependents"]:
            sheet, _, ref = d["cell"].rpartition("!")
            if sheet.startswith("'"):
                sheet = sheet[1:-1].replace("''", "'")
            col, row = col_row(ref.replace("$", ""))
            if (sheet, row, col) not in seen:
                seen.add((sheet, row, col))
                todo.append((sheet, row, col))
        if len(seen) > _MAX_DEPENDENTS:
            return seen, False
    return seen, True


def _address(sheet: str, row: int, col: int) -> str:
    return "'{}'!{}{}".format(sheet.replace("'", "''"), col_name(col), row)


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
    return f'<{p}c r="{col_name(c)}{r}"{t}>{v_element(value.text, p)}</{p}c>'


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
    ref = f"{col_name(min(cols))}{min(rows)}:{col_name(max(cols))}{max(rows)}"
    return head[: m.start(3)] + ref + head[m.end(3) :]
