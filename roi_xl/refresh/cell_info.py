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
