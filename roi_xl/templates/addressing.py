"""Where every key of a template went on its sheet, and the references formulas use.

Keys are the ``key`` of an input or a result; ``table.column`` names a table column. A
metric's parameter (see :mod:`roi_xl.templates.formulas`) is resolved to a reference
here: ``"revenue"`` → ``$B$5``, a named range → ``$B$5:$B$7``, ``"a:b"`` → from a to b,
``"col[]"`` → a whole table column, ``"t.a[]:t.b[]"`` → columns a to b of table t,
``"t.col@2"`` → the column's second data cell, and inside a table a column key means
"this row".
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter


class Addresses:
    """Cell positions by key, filled in while the sheet is laid out.

    Examples
    --------
    >>> at = Addresses("demo", {"costs": ["a", "b"]})
    >>> at.cell["a"], at.cell["b"] = (5, 2), (6, 2)
    >>> at.ref("a"), at.ref("a", absolute=False), at.resolve("costs", None)
    ('$B$5', 'B5', '$B$5:$B$6')
    """

    def __init__(self, template: str, ranges: dict[str, list[str]]) -> None:
        self.template = template
        self.ranges = ranges
        self.cell: dict[str, tuple[int, int]] = {}  # key → (row, col) of its value
        self.caption: dict[str, tuple[int, int]] = {}  # key → its label's cell
        self.header: dict[str, tuple[int, int]] = {}  # key → its grid column header
        self.columns: dict[str, tuple[int, int, int]] = {}  # "table.column" → col, r0, r1
        self.table_first: dict[str, int] = {}  # table → its first data row

    def ref(self, key: str, absolute: bool = True) -> str:
        """The cell of ``key``: ``$B$5`` (or ``B5``)."""
        row, col = self.cell[key]
        letter = get_column_letter(col)
        return f"${letter}${row}" if absolute else f"{letter}{row}"

    def range_ref(self, keys: list[str], span: bool = False) -> str:
        """Absolute range over ``keys`` (all of them, contiguous; or ``span``: first to last)."""
        cells = sorted(self.cell[k] for k in keys)
        (r0, c0), (r1, c1) = cells[0], cells[-1]
        if not span and len(cells) != (r1 - r0 + 1) * (c1 - c0 + 1):
            raise ValueError(f"{self.template}: range {keys} is not contiguous")
        a = f"${get_column_letter(c0)}${r0}"
        b = f"${get_column_letter(c1)}${r1}"
        return a if a == b else f"{a}:{b}"

    def column_ref(self, key: str) -> str:
        """A table column's data cells: ``$C$8:$C$13``."""
        col, r0, r1 = self.columns[key]
        letter = get_column_letter(col)
        return f"${letter}${r0}:${letter}${r1}"

    def resolve(self, value: str | int, in_table: tuple[str, int] | None) -> str:
        """A reference for a metric parameter; ``in_table`` = (table, row) for formulas
        inside a table, whose column keys mean "this row" and ``key[]`` "this column"."""
        if isinstance(value, int):
            return str(value)
        if value.startswith("="):
            return value[1:]
        if value.endswith("[]") and ":" in value:  # "t.a[]:t.b[]": columns a to b of t
            a, b = (self.column_ref(part[:-2]).split(":") for part in value.split(":"))
            return f"{a[0]}:{b[1]}"
        if "@" in value:  # "table.column@k": that column's k-th data cell (from 1)
            key, k = value.split("@")
            c, first, _ = self.columns[key]
            return f"${get_column_letter(c)}${first + int(k) - 1}"
        if value.endswith("[]"):
            key = value[:-2]
            return self.column_ref(f"{in_table[0]}.{key}" if in_table and "." not in key else key)
        if value in self.ranges:
            return self.range_ref(self.ranges[value])
        if ":" in value:
            a, b = value.split(":")
            return self.range_ref([a, b], span=True)
        if in_table and f"{in_table[0]}.{value}" in self.columns:
            return f"{get_column_letter(self.columns[f'{in_table[0]}.{value}'][0])}{in_table[1]}"
        if in_table and value in self.columns:  # "table.column": the same row of another table
            c, first, _ = self.columns[value]
            return f"{get_column_letter(c)}{first + in_table[1] - self.table_first[in_table[0]]}"
        return self.ref(value)

    def point(self, key: str, first: bool = True) -> tuple[int, int]:
        """(row, col) for a chart: a key's value, ``@key`` its label, ``^key`` its column
        header, ``table.column[]`` the column's first (or last) data cell."""
        if key.endswith("[]"):
            c, r0, r1 = self.columns[key[:-2]]
            return (r0 if first else r1, c)
        if key.startswith("@"):
            return self.caption[key[1:]]
        if key.startswith("^"):
            return self.header[key[1:]]
        return self.cell[key]
