"""The database functions (DSUM, DCOUNT, DAVERAGE, ...) where a header is not text.

Excel matches a database's column labels and a criteria range's labels as text, whatever
the cells hold: a header row of years (2019, 2020) works as well as one of names.
formualizer finds no column when a header is a number (``DSUM`` gave 0 and ``DAVERAGE``
``#DIV/0!`` where LibreOffice and Excel give 2 and 2). The override hands the engine's
own function the same ranges with every header turned into the text Excel shows
(:func:`roi_xl.numfmt.general`), evaluated in a scratch workbook (formualizer allows a
callback to use another workbook), so the engine's criteria rules stay the ones used.

DCOUNT and DCOUNTA without a field (``=DCOUNT(db,,criteria)``) count "all records in the
database that match the criteria" (https://support.microsoft.com/en-us/Excel/functions/
dcount-function; DCOUNTA's page says the same); the engine answered ``#VALUE!``, and hands a
callback an omitted argument as ``0.0``, the same as a typed 0. The engine's copy of such a
call gets :data:`OMITTED_FIELD` in the empty slot (:func:`fill_field`), and the override
counts the matching records: the engine's DCOUNT of a column of ones added to the database.
"""

from __future__ import annotations

from typing import Any, Callable

import formualizer as fz

NAMES = (
    "DAVERAGE", "DCOUNT", "DCOUNTA", "DGET", "DMAX", "DMIN", "DPRODUCT",
    "DSTDEV", "DSTDEVP", "DSUM", "DVAR", "DVARP",
)  # fmt: skip
NOT_COMPUTED_ERROR = "NImpl"
#: The two that may go without a field.
COUNTS = ("DCOUNT", "DCOUNTA")
#: What the engine's copy of ``DCOUNT(db,,criteria)`` holds for the omitted field: a text
#: no one types (a private-use character), so a typed ``""`` or 0 stays what it is.
OMITTED_FIELD = "\ue000field omitted"


def may_have(text: str) -> bool:
    """A cheap test: could ``text`` call DCOUNT or DCOUNTA without a field?"""
    return ",," in text.replace(" ", "") and "DCOUNT" in text.upper()


def fill_field(formula: str) -> str:
    """``formula`` with :data:`OMITTED_FIELD` in the empty field of DCOUNT and DCOUNTA.

    >>> fill_field("=DCOUNT(A1:C9,,E1:E2)+DSUM(A1:C9,,E1:E2)") == (
    ...     f'=DCOUNT(A1:C9,"{OMITTED_FIELD}",E1:E2)+DSUM(A1:C9,,E1:E2)')
    True
    """
    if not may_have(formula):
        return formula
    from .omitted_args import fill

    return fill(formula, COUNTS, blank=f'"{OMITTED_FIELD}"')


def header_text(value: Any) -> Any:
    """A header cell as the label Excel matches (numbers and logicals as shown).

    >>> header_text(2019.0), header_text(True), header_text("Year"), header_text(None)
    ('2019', 'TRUE', 'Year', None)
    """
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        from .. import numfmt

        return numfmt.general(float(value))
    return value


def _rows(value: Any) -> list[list[Any]]:
    if isinstance(value, list) and value and all(isinstance(r, list) for r in value):
        return [list(r) for r in value]
    return [[value]]


def _put(sheet: Any, top: int, left: int, rows: list[list[Any]]) -> None:
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v is None:
                continue
            if isinstance(v, dict) and v.get("type") == "Error":
                v = fz.LiteralValue.error(v.get("kind", "Value"), None)
            sheet.set_value(top + r, left + c, v)


def delegate(name: str, args: Any, date_system: str = "1900") -> Any:
    """The engine's own ``name`` over ``args`` (values a callback received: ranges as
    lists of rows), evaluated in a scratch workbook: each argument is put in cells and
    referenced, so the built-in sees ranges as ranges.

    >>> delegate("SUM", ([[1.0], [2.0]], 3.0))
    6.0
    """
    from .sheet import col_name

    evaluation = fz.EvaluationConfig()
    evaluation.date_system = date_system
    wb = fz.Workbook(config=fz.WorkbookConfig(eval_config=evaluation))
    wb.set_temporal_egress("serial")
    sheet = wb.sheet("S")
    refs, left, height = [], 1, 1
    for arg in args:
        rows = _rows(arg)
        width = max(len(r) for r in rows)
        _put(sheet, 1, left, rows)
        refs.append(f"{col_name(left)}1:{col_name(left + width - 1)}{len(rows)}")
        left += width + 1
        height = max(height, len(rows))
    sheet.set_formula(height + 2, 1, f"={name}({','.join(refs)})")
    wb.evaluate_all()
    value = wb.get_value("S", height + 2, 1)
    if isinstance(value, dict) and value.get("type") == "Error":
        return fz.LiteralValue.error(value.get("kind", "Value"), None)
    return value


def _unused_label(*headers: list[Any]) -> str:
    """A column label none of the headers has (Excel matches labels case-insensitively)."""
    taken = {str(v).upper() for row in headers for v in row if v is not None}
    label = "ALL RECORDS"
    while label in taken:
        label += "_"
    return label


def database_function(name: str, date_system: str = "1900") -> Callable[..., Any]:
    """The override of database function ``name`` (see the module's docstring).

    >>> dsum = database_function("DSUM")
    >>> dsum([[2019.0, 2020.0], [1.0, 2.0], [3.0, 4.0], [1.0, 6.0]], 2.0, [[2019.0], [1.0]])
    8.0
    """

    def call(database: Any, field: Any, criteria: Any) -> Any:
        if isinstance(field, list):
            return fz.LiteralValue.error(NOT_COMPUTED_ERROR, None)
        if OMITTED_FIELD in (database, criteria):  # DCOUNT(,,c): not a database
            return fz.LiteralValue.error(NOT_COMPUTED_ERROR, None)
        db, crit = _rows(database), _rows(criteria)
        db[0] = [header_text(v) for v in db[0]]
        crit[0] = [header_text(v) for v in crit[0]]
        function = name
        if field == OMITTED_FIELD:  # every record that matches: count a column of ones
            if name not in COUNTS:
                return fz.LiteralValue.error("Value", None)
            field = _unused_label(db[0], crit[0])
            db = [row + [field if r == 0 else 1.0] for r, row in enumerate(db)]
            function = "DCOUNT"
        return delegate(function, (db, field, crit), date_system)

    call.__name__ = name.lower()
    return call
