"""SUMPRODUCT, SUMIF/AVERAGEIF (and their -IFS) over a range that holds errors, and
AGGREGATE and SUBTOTAL: where formualizer's answer is not Excel's (found by
tests/test_refresh_differential.py and the coverage table).

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
- ``AGGREGATE`` of functions 12-19 (MEDIAN, MODE.SNGL, LARGE, SMALL, PERCENTILE and
  QUARTILE, .INC and .EXC): "not implemented" in the engine. With option 4 (ignore
  nothing) or 6 (ignore error values), the values decide, and the engine's copy of the
  formula calls :func:`aggregate` (:func:`rewrite`); the other options skip hidden rows or
  nested SUBTOTAL and AGGREGATE cells, which a function handed values cannot see: kept.
  ``AGGREGATE(14,6,A:A/(B:B="x"),1)``, the common way to take the largest match, is
  option 6. https://support.microsoft.com/en-us/excel/functions/aggregate-function
- ``SUBTOTAL`` and ``AGGREGATE`` skip hidden rows (SUBTOTAL's 101-111 and AGGREGATE's
  options 1, 3, 5, 7) and rows a filter hides (SUBTOTAL, whatever its function); the
  engine counts them. In a workbook that hides a row, every SUBTOTAL and AGGREGATE keeps
  Excel's value.
"""

from __future__ import annotations

import re
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


# AGGREGATE's functions 12-19, and the rows AGGREGATE and SUBTOTAL skip -----------------------

#: AGGREGATE's function numbers the engine lacks ("not implemented") → the engine's own
#: function that computes them once AGGREGATE has chosen the values.
ARRAY_FUNCTIONS = {
    12: "MEDIAN", 13: "MODE.SNGL", 14: "LARGE", 15: "SMALL", 16: "PERCENTILE.INC",
    17: "QUARTILE.INC", 18: "PERCENTILE.EXC", 19: "QUARTILE.EXC",
}  # fmt: skip
#: The options that skip neither hidden rows nor nested SUBTOTAL and AGGREGATE cells (4:
#: nothing, 6: error values), so that the values alone give the answer.
VALUE_OPTIONS = {4: False, 6: True}  # option → whether errors are skipped
#: The name of our AGGREGATE in the engine's copy of a formula.
OURS = "ROIXL_AGGREGATE"
HIDDEN_REASON = (
    "{name} in a workbook with hidden rows: the engine does not know which rows are hidden "
    "or filtered out"
)
_CALL = re.compile(r"(?<![\w.])(?:_xlfn\.)?(AGGREGATE|SUBTOTAL)\s*\(", re.I)
_HIDDEN_ROW = re.compile(r"""<(?:[\w.-]+:)?row\b[^>]*\shidden\s*=\s*["'](?:1|true)["']""")


def has_hidden_rows(xml: str) -> bool:
    """Whether a sheet's XML hides a row (by hand or by a filter; hidden columns do not
    matter to SUBTOTAL and AGGREGATE).

    >>> has_hidden_rows('<row r="2" hidden="1">'), has_hidden_rows('<col hidden="1"/>')
    (True, False)
    """
    return "hidden" in xml and bool(_HIDDEN_ROW.search(xml))


def may_have(text: str, hidden_rows: bool = False) -> bool:
    """A cheap test: could :func:`rewrite` change ``text``? (Excel writes names in
    capitals; an AGGREGATE missed in odd case is only left to the engine, which keeps
    12-19; hidden rows, where a miss would not be safe, take the full test.)"""
    if "AGGREGATE" in text or "ggregate" in text:
        return True
    return hidden_rows and "SUBTOTAL" in text.upper() or hidden_rows and "AGGREGATE" in text.upper()


def rewrite(formula: str, hidden_rows: bool = False) -> str:
    """``formula`` as the engine should compute it: AGGREGATE of a function the engine
    lacks (12-19) with option 4 or 6, written with literal numbers, calls :data:`OURS`;
    in a workbook with hidden rows, a SUBTOTAL or AGGREGATE keeps Excel's value.

    >>> rewrite("=AGGREGATE(14,6,A1:A9/(B1:B9>2),2)+AGGREGATE(9,6,A1:A9)")
    '=ROIXL_AGGREGATE(14,6,A1:A9/(B1:B9>2),2)+AGGREGATE(9,6,A1:A9)'
    >>> rewrite("=_xlfn.AGGREGATE(12,5,A1:A9)")  # hidden rows: the engine keeps it
    '=_xlfn.AGGREGATE(12,5,A1:A9)'
    >>> rewrite("=SUBTOTAL(109,A1:A9)", hidden_rows=True)
    Traceback (most recent call last):
    ...
    roi_xl.errors.UnresolvedFormula: SUBTOTAL in a workbook with hidden rows: the engine does not know which rows are hidden or filtered out
    """
    from ..errors import UnresolvedFormula
    from .conditional_guard import _arguments

    if not may_have(formula, hidden_rows):
        return formula
    out, last = [], 0
    for m in _CALL.finditer(formula):
        if _in_text(formula, m.start()):
            continue
        if hidden_rows:
            raise UnresolvedFormula(HIDDEN_REASON.format(name=m.group(1).upper()))
        if m.group(1).upper() != "AGGREGATE":
            continue
        args, _ = _arguments(formula, m.end() - 1)
        head = [a.strip() for a in args[:2]]
        if len(head) == 2 and all(h.isdigit() for h in head):
            if int(head[0]) in ARRAY_FUNCTIONS and int(head[1]) in VALUE_OPTIONS:
                out.append(formula[last : m.start()] + OURS + "(")
                last = m.end()
    out.append(formula[last:])
    return "".join(out)


def _in_text(formula: str, at: int) -> bool:
    return formula.count('"', 0, at) % 2 == 1


def aggregate(function_num: Any, options: Any, *refs: Any) -> Any:
    """AGGREGATE of functions 12-19 with option 4 (errors count) or 6 (errors skipped):
    the numbers of the arguments (text, logicals and blanks skipped, as references are
    read) handed to the engine's MEDIAN, LARGE, PERCENTILE.INC...

    >>> aggregate(14.0, 6.0, [[4.0], [{"type": "Error", "kind": "Div"}], [9.0], ["x"]], 2.0)
    4.0
    >>> aggregate(14.0, 4.0, [[4.0], [{"type": "Error", "kind": "Div"}]], 1.0)
    LiteralValue.error(Div)
    """
    fn, option = int(function_num), int(options)
    skip_errors = VALUE_OPTIONS[option]
    name = ARRAY_FUNCTIONS[fn]
    data, rest = (refs[:1], refs[1:]) if fn >= 14 else (refs, ())
    if fn >= 14 and len(rest) != 1:
        return fz.LiteralValue.error("Value", None)  # the array form takes exactly one k
    numbers, errors = [], []
    for ref in data:
        if not isinstance(ref, (list, int, float, dict)) or isinstance(ref, bool):
            # a one-cell range arrives as its value: text or a logical there is skipped,
            # typed as an argument it may be read as a number
            return fz.LiteralValue.error(NOT_COMPUTED_ERROR, None)
        for v in (x for row in _grid(ref) for x in row):
            if _is_error(v):
                errors.append(v.get("kind", "Value"))
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                numbers.append(float(v))
    if errors and not skip_errors:
        if len(set(errors)) > 1:  # which one Excel returns is not documented
            return fz.LiteralValue.error(NOT_COMPUTED_ERROR, None)
        return fz.LiteralValue.error(errors[0], None)
    for k in rest:
        if isinstance(k, list):  # several k at once: an array result
            return fz.LiteralValue.error(NOT_COMPUTED_ERROR, None)
        if _is_error(k):
            return fz.LiteralValue.error(k.get("kind", "Value"), None)
        if fn in (14, 15) and isinstance(k, float) and not k.is_integer():
            return fz.LiteralValue.error(NOT_COMPUTED_ERROR, None)  # rounded how?
    if fn == 13:  # no value repeats: MODE.SNGL's #N/A, or another error of AGGREGATE's?
        value = delegate(name, ([[v] for v in numbers],)) if numbers else None
        if isinstance(value, float):
            return value
        return fz.LiteralValue.error(NOT_COMPUTED_ERROR, None)
    if not numbers:  # LARGE's "If array is empty ... #NUM!", and AGGREGATE(15,6,...)'s
        return fz.LiteralValue.error("Num", None)  # well-known #NUM! past the last match
    return delegate(name, ([[v] for v in numbers], *rest))
