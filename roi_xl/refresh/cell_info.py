"""``CELL()`` calls the engine cannot answer: what they return depends on things the engine
does not see (a column's width, a cell's number format, where the file is saved, the cell
last changed in Excel).

formualizer computes ``CELL("address"|"col"|"row"|"contents"|"type", ref)``; for the other
info types it returns ``#VALUE!``, or, when the reference includes the cell itself
(``CELL("width", A:A)`` in A2), reports a circular reference that Excel does not have. Such
a cell keeps Excel's value, and the report says why (:func:`why_not`).
"""

from __future__ import annotations

import re
from typing import Any

#: Info types the engine computes as Excel does (checked one by one against Excel's rules).
COMPUTED = frozenset({"address", "col", "row", "contents", "type"})
#: What each other info type depends on.
DEPENDS_ON = {
    "width": "the column's width",
    "format": "the cell's number format",
    "color": "the cell's number format",
    "parentheses": "the cell's number format",
    "prefix": "the cell's alignment",
    "protect": "the cell's protection",
    "filename": "where the file is saved",
}
_STRING = re.compile(r'"(?:[^"]|"")*"')
_CALL = re.compile(r'(?<![\w.])CELL\s*\(\s*(?:"((?:[^"]|"")*)"\s*([,)]))?', re.I)


def why_not(formula: str) -> str:
    """Why the engine must not compute ``formula``'s ``CELL()`` calls ("" when it may).

    >>> why_not('CELL("width",A:A)')
    'CELL("width") depends on the column\\'s width, which the engine does not see'
    >>> why_not('CELL("row")'), why_not('CELL(B1,A1)')
    ('CELL("row") without a reference depends on the cell last changed in Excel', 'CELL() with an info type computed by a formula: the engine cannot tell what it asks')
    >>> why_not('CELL("ROW",A1)+LEN("CELL(")'), why_not("ACELL(1)")
    ('', '')
    """
    if "cell" not in formula.lower():
        return ""
    # strings blanked, same length: a "CELL(" inside a string is no call
    blank = _STRING.sub(lambda m: '"' + " " * (len(m.group()) - 2) + '"', formula)
    for m in _CALL.finditer(blank):
        if m.group(2) is None:
            return "CELL() with an info type computed by a formula: the engine cannot tell what it asks"
        info = formula[m.start(1) : m.end(1)].replace('""', '"')
        if m.group(2) == ")":
            return f'CELL("{info}") without a reference depends on the cell last changed in Excel'
        if info.lower() not in COMPUTED:
            what = DEPENDS_ON.get(info.lower(), "an info type the engine does not know")
            return f'CELL("{info}") depends on {what}, which the engine does not see'
    return ""


CIRCULAR = "circular reference"
#: Functions that read where a reference is, not what it holds (Excel finds no cycle in
#: ``=ROW(A1)`` in A1; the engine does).
_POSITION = {"ROW", "COLUMN", "ROWS", "COLUMNS", "ISREF"}
_CELL_POSITION = {"address", "col", "row"}
_A1 = re.compile(r"\$?([A-Z]{1,3})?\$?(\d+)?")
_CHECK_AT_MOST = 10_000  # cells of the formula's other references looked at for a cycle


def circular_reason(wb: Any, formula: str, sheet: str, row: int, col: int) -> str:
    """Why the engine found the cell at ``row``, ``col`` circular: :data:`CIRCULAR`, or,
    when the only way the formula reaches its own cell is through ROW(), COLUMN(), ROWS(),
    COLUMNS(), ISREF() or CELL("address"|"row"|"col"), which Excel computes, that.

    >>> import formualizer as fz
    >>> wb = fz.Workbook(); wb.sheet("S").set_formula(1, 1, "=ROW(A1)+COLUMNS(A:C)")
    >>> wb.evaluate_all()
    >>> circular_reason(wb, "=ROW(A1)+COLUMNS(A:C)", "S", 1, 1).split(":")[0]
    'COLUMNS() or ROW() of a range that holds the cell itself'
    >>> circular_reason(wb, "=A1+1", "S", 1, 1)
    'circular reference'
    """
    import formualizer as fz
    from formualizer.visitor import VisitControl, walk_ast

    try:
        tree = fz.parse(formula)
    except Exception:
        return CIRCULAR
    position: list[tuple[str, str]] = []  # (function, reference)
    value: list[str] = []

    def visit(node: Any) -> str:
        if node.node_type() == "Function":
            name = (node.get_function_name() or "").upper().removeprefix("_XLFN.")
            args = node.children()
            if name in _POSITION or (
                name == "CELL"
                and args
                and args[0].node_type() == "Literal"
                and str(args[0].get_literal_value()).lower() in _CELL_POSITION
            ):
                for arg in args:
                    if arg.node_type() == "Reference":
                        position.append((name, arg.get_reference_string()))
                    elif arg.node_type() != "Literal":
                        return VisitControl.CONTINUE  # an expression: read as values
                return VisitControl.SKIP
        if node.get_reference() is not None or node.node_type() == "Reference":
            value.append(node.get_reference_string())
        return VisitControl.CONTINUE

    walk_ast(tree, visit)
    names = sorted(
        {name for name, ref in position if _span(ref, sheet) and _inside(ref, sheet, row, col)}
    )
    if not names:
        return CIRCULAR
    looked = 0
    for ref in value:  # a cycle through another cell is a real one
        span = _span(ref, sheet)
        if span is None:
            return CIRCULAR  # a name, another sheet's whole column, ...: cannot tell
        if span == ():
            continue  # another sheet's cells
        (r1, c1, r2, c2) = span
        looked += (r2 - r1 + 1) * (c2 - c1 + 1)
        if looked > _CHECK_AT_MOST or (r1 <= row <= r2 and c1 <= col <= c2):
            return CIRCULAR
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                v = wb.get_value(sheet, r, c)
                if isinstance(v, dict) and v.get("kind") == "Circ":
                    return CIRCULAR
    return (
        f"{' or '.join(n + '()' for n in names)} of a range that holds the cell itself: the "
        "engine takes it for a circular reference, Excel does not"
    )


def _span(ref: str, sheet: str) -> tuple[int, int, int, int] | tuple[()] | None:
    """(first row, first column, last row, last column) of an A1 reference on ``sheet``;
    () for a reference to another sheet; None when it cannot be told (a name)."""
    where, _, cells = ref.rpartition("!")
    if where:
        name = where[1:-1].replace("''", "'") if where.startswith("'") else where
        if name != sheet:
            return ()
    first, _, last = cells.partition(":")
    a, b = _A1.fullmatch(first), _A1.fullmatch(last or first)
    if not a or not b or not (a.group(1) or a.group(2)) or not (b.group(1) or b.group(2)):
        return None
    r1 = int(a.group(2)) if a.group(2) else 1
    r2 = int(b.group(2)) if b.group(2) else 1_048_576
    c1 = _column(a.group(1)) if a.group(1) else 1
    c2 = _column(b.group(1)) if b.group(1) else 16_384
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def _inside(ref: str, sheet: str, row: int, col: int) -> bool:
    span = _span(ref, sheet)
    return bool(span) and span[0] <= row <= span[2] and span[1] <= col <= span[3]  # type: ignore[misc]


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n
