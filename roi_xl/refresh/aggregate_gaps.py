"""SUMPRODUCT, and SUMIF/AVERAGEIF (and their -IFS) over a range that holds errors:
where formualizer's answer is not Excel's (found by tests/test_refresh_differential.py).

- ``SUMPRODUCT`` "treats array entries that are not numeric as if they were zeros"
  (https://support.microsoft.com/office/sumproduct-function-16753e75-9f68-4874-94ac-4d2145a2fd2e);
  formualizer multiplied the text "10" as 10 and TRUE as 1. An error entry: not computed
  (LibreOffice answers as if it were not there; Excel's choice among several errors is not
  documented).
- ``SUMIF`` and ``AVERAGEIF`` return the error of a summed cell (Excel and LibreOffice:
  ``SUMIF(A1:A2,2,C1:C2)`` with ``C1`` = ``#DIV/0!`` matched is ``#DIV/0!``); formualizer
  skipped it. When the summed range holds an error the cell is "not computed" (which
  rows match is the engine's criteria logic); else the engine's own function answers, in
  a scratch workbook (:func:`database_gaps.delegate`).
"""

from __future__ import annotations

from typing import Any, Callable

import formualizer as fz

from .database_gaps import delegate

NOT_COMPUTED_ERROR = "NImpl"
REASON = "{name} over a summed range that holds an error: not computed"


def _grid(value: Any) -> list[list[Any]]:
    if isinstance(value, list):
        return [r if isinstance(r, list) else [r] for r in value]
    return [[value]]


def _is_error(value: Any) -> bool:
    return isinstance(value, dict) and value.get("type") == "Error"


def sumproduct(*arrays: Any) -> Any:
    """Excel's SUMPRODUCT.

    >>> sumproduct([[3.0], ["10"], [True], [None], [2.5]], [[2.0]] * 5)
    11.0
    >>> sumproduct([[1.0, 2.0]], [[1.0], [2.0]])  # shapes differ
    LiteralValue.error(Value)
    """
    grids = [_grid(a) for a in arrays]
    shape = (len(grids[0]), len(grids[0][0]) if grids[0] else 0)
    for g in grids:
        if (len(g), len(g[0]) if g else 0) != shape or any(len(r) != shape[1] for r in g):
            return fz.LiteralValue.error("Value", None)
    total = 0.0
    for i in range(shape[0]):
        for j in range(shape[1]):
            product = 1.0
            for g in grids:
                v = g[i][j]
                if _is_error(v):  # which error Excel returns of several is not documented
                    return fz.LiteralValue.error(NOT_COMPUTED_ERROR, None)
                if isinstance(v, bool) or not isinstance(v, (int, float)):
                    product = 0.0
                else:
                    product *= v
            total += product
    return total


def _summed_has_error(value: Any) -> bool:
    return any(_is_error(v) for row in _grid(value) for v in row)


def conditional(name: str, date_system: str = "1900") -> Callable[..., Any]:
    """The override of ``name`` (SUMIF, AVERAGEIF, SUMIFS, AVERAGEIFS).

    >>> sumif = conditional("SUMIF")
    >>> sumif([[1.0], [2.0], [3.0]], ">1")
    5.0
    >>> sumif([[2.0], [1.0]], 2.0, [[{"type": "Error", "kind": "Div"}], [1.0]]) == 5.0
    False
    """
    first_is_summed = name.endswith("IFS")

    def call(*args: Any) -> Any:
        if first_is_summed:
            summed = args[0]
        else:
            summed = args[2] if len(args) > 2 else args[0]
        if _summed_has_error(summed):
            return fz.LiteralValue.error(NOT_COMPUTED_ERROR, None)
        return delegate(name, args, date_system)

    call.__name__ = name.lower()
    return call


NAMES = ("SUMIF", "AVERAGEIF", "SUMIFS", "AVERAGEIFS")
