"""PERCENTOF: ``SUM(data_subset)/SUM(data_all)`` (Microsoft's definition)."""

from __future__ import annotations

from typing import Any

from ._args import ExcelError, NotComputed, error_kind, excel_function


def _sum(value: Any) -> float:
    """SUM of one argument: in a range only numbers count; a lone logical or text may be a
    typed constant (which SUM would count) or a one-cell range (which it would not)."""
    if not isinstance(value, list):
        kind = error_kind(value)
        if kind:
            raise ExcelError(kind)
        if isinstance(value, (bool, str)):
            raise NotComputed("a lone logical or text: a constant or a one-cell range")
        return float(value or 0.0)
    total = 0.0
    for row in value:
        for v in row if isinstance(row, list) else [row]:
            kind = error_kind(v)
            if kind:
                raise ExcelError(kind)
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                total += v
    return total


@excel_function("PERCENTOF")
def percentof(data_subset: Any, data_all: Any) -> float:
    """The subset's share of the whole; ``#DIV/0!`` when the whole sums to 0.

    >>> percentof([[1.0], [3.0]], [[1.0], [3.0], ["x"], [4.0]])
    0.5
    """
    part, whole = _sum(data_subset), _sum(data_all)
    if whole == 0:
        raise ExcelError("Div")
    return part / whole


FUNCTIONS = {"PERCENTOF": (percentof, 2, 2)}
