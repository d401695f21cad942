"""MATCH, VLOOKUP, HLOOKUP and LOOKUP for the engine, where an approximate lookup's answer
is defined; "not computed" where it is not.

Excel's approximate lookups (MATCH type 1 or -1, VLOOKUP/HLOOKUP with TRUE, LOOKUP) run
a binary search whose exact steps Microsoft does not document: over unsorted data, or over
mixed types, blanks or errors, Excel returns whatever position the search lands on, where
formualizer answers ``#N/A``. The one answer documented for every engine is the sorted
case ("the largest value that is less than or equal to lookup_value", with
``lookup_array`` in ascending order:
https://support.microsoft.com/office/match-function-e8dffd45-c762-47d6-bf89-533f4a37673a).
So these functions answer when the values searched are one kind (numbers, text of ASCII
letters and digits only, or logicals: Excel's order of spaces and punctuation against
digits and letters is not one documented order), sorted, without blanks but trailing ones, errors, or a repeat of the
value found; anything else is "not computed" (the cell keeps Excel's value). Exact lookups
(type 0, FALSE) are the documented linear search: first match, case-insensitive, with
``*``, ``?`` and ``~`` wildcards for text.

The engine calls them only in workbooks that hold an approximate lookup
(:func:`has_approximate_lookup`): each call hands the whole range to Python.
"""

from __future__ import annotations

import math
import re
from typing import Any

import formualizer as fz
from ..errors import NotComputed  # the answer is not defined well enough

NOT_COMPUTED_ERROR = "NImpl"
REASON = (
    "lookup whose answer Excel does not document: approximate over values that are not "
    "one sorted kind (Excel's binary search), or of a blank or an array"
)


def _error(kind: str) -> Any:
    return fz.LiteralValue.error(kind, None)


def _is_error(value: Any) -> bool:
    return isinstance(value, dict) and value.get("type") == "Error"


def _kind(value: Any) -> str:
    """``n`` number, ``t`` text, ``b`` logical, ``e`` error, ``-`` blank."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "b"
    if isinstance(value, (int, float)):
        return "n"
    if isinstance(value, str):
        return "t"
    return "e"


def _across(values: Any) -> bool:
    """Whether a range is searched along a row (one row of several columns, or, for
    LOOKUP's array form, wider than tall)."""
    if not isinstance(values, list) or not values or not isinstance(values[0], list):
        return False
    return len(values[0]) > 1 and len(values[0]) >= len(values)


def _vector(values: Any) -> list[Any]:
    """A one-row or one-column range as a flat list; anything else is ``#N/A``."""
    if not isinstance(values, list):
        return [values]
    if all(isinstance(r, list) for r in values):
        if len(values) == 1:
            return list(values[0])
        if all(len(r) == 1 for r in values):
            return [r[0] for r in values]
        raise LookupError("#N/A")
    return list(values)


_SORTABLE_TEXT = re.compile(r"[A-Za-z0-9]*")


def _key(value: Any) -> Any:
    """The value as compared within its kind (text case-insensitively)."""
    if isinstance(value, str):
        if not _SORTABLE_TEXT.fullmatch(value):
            raise NotComputed  # Excel's text order beyond letters and digits is not one documented order
        return value.lower()
    return value


def approximate(x: Any, values: list[Any], descending: bool = False, across: bool = False) -> int:
    """0-based index Excel's approximate lookup returns (largest value <= ``x`` in an
    ascending list; smallest >= ``x`` in a descending one); -1 for ``#N/A``.

    >>> approximate(4, [1, 3, 5]), approximate(0, [1, 3, 5]), approximate(4, [5, 3, 1], True)
    (1, -1, 0)
    >>> approximate("c", ["a", "d", "b"])
    Traceback (most recent call last):
    ...
    roi_xl.errors.NotComputed
    """
    kind = _kind(x)
    if kind not in "ntb":
        raise NotComputed
    end = len(values)
    while end and values[end - 1] is None and not across:  # past the data's end (A:A)
        end -= 1  # (not in a row: LibreOffice answers #N/A there, Excel is not documented)
    values = values[:end]
    if not values or any(_kind(v) != kind for v in values):
        raise NotComputed
    keys = [_key(v) for v in values]
    target = _key(x)
    for a, b in zip(keys, keys[1:]):
        if (a > b) if not descending else (a < b):
            raise NotComputed
    found = -1
    for i, k in enumerate(keys):
        if (k <= target) if not descending else (k >= target):
            found = i
        else:
            break
    if found >= 0 and (
        found > 0
        and keys[found - 1] == keys[found]
        or found + 1 < len(keys)
        and keys[found + 1] == keys[found]
    ):
        raise NotComputed  # a repeated value: which one the search lands on is undocumented
    return found


def _wildcard(pattern: str) -> re.Pattern[str]:
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "~" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
        i += 1
    return re.compile("".join(out), re.I | re.S)


def exact(x: Any, values: list[Any]) -> int:
    """0-based index of the first value equal to ``x`` (text: case-insensitive, with
    wildcards); -1 for ``#N/A``.

    >>> exact("B*", ["a", "bob", "b"]), exact(2, ["2", 2.0]), exact(True, [1, True])
    (1, 1, 1)
    """
    kind = _kind(x)
    if kind not in "ntb":
        raise NotComputed
    if kind == "t":
        if len(x) > 255:
            raise NotComputed
        pattern = _wildcard(x)
        for i, v in enumerate(values):
            if isinstance(v, str) and pattern.fullmatch(v):
                return i
        return -1
    for i, v in enumerate(values):
        if _kind(v) == kind and v == x:
            return i
    return -1


def _answer(fn: Any) -> Any:
    """Wrap a lookup so that errors and undefined answers become the engine's values."""

    def call(*args: Any) -> Any:
        try:
            return fn(*args)
        except NotComputed:
            return _error(NOT_COMPUTED_ERROR)
        except LookupError as exc:
            return _error({"#N/A": "Na", "#REF!": "Ref", "#VALUE!": "Value"}[str(exc)])

    call.__name__ = fn.__name__
    return call


def _first_error(*args: Any) -> Any:
    for a in args:
        if _is_error(a):
            return a
    return None


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise NotComputed  # text or blank as a mode or an index: not worth guessing
    if not math.isfinite(value):
        raise LookupError("#VALUE!")
    return float(value)


def _scalar_lookup_value(x: Any) -> Any:
    if isinstance(x, list):
        raise NotComputed  # an array of lookup values spills: not handled here
    return x


@_answer
def match(x: Any, array: Any, match_type: Any = 1.0) -> Any:
    """Excel's MATCH (see the module's docstring).

    >>> match("c", [["b"], ["d"], ["a"]]) == match(2, [[1, 3, 2]], -1)
    True
    >>> match(4.0, [[1.0], [3.0], [5.0]]), match("B?", [["a"], ["bc"]], 0)
    (2, 2)
    """
    error = _first_error(x, match_type)
    if error is not None:
        return error
    x = _scalar_lookup_value(x)
    mode = _number(match_type)
    values = _vector(array)
    if mode == 0:
        i = exact(x, values)
    else:
        i = approximate(x, values, descending=mode < 0, across=_across(array))
    if i < 0:
        raise LookupError("#N/A")
    return i + 1


def _range_lookup(flag: Any) -> bool:
    if isinstance(flag, bool):
        return flag
    return _number(flag) != 0


def _table_lookup(x: Any, table: Any, index: Any, flag: Any, by_rows: bool) -> Any:
    error = _first_error(x, index, flag)
    if error is not None:
        return error
    x = _scalar_lookup_value(x)
    rows = table if isinstance(table, list) else [[table]]
    if not by_rows:  # HLOOKUP: the table's rows are its columns
        rows = [list(col) for col in zip(*rows)]
    n = math.trunc(_number(index))
    if n < 1:
        raise LookupError("#VALUE!")
    if not rows or n > len(rows[0]):
        raise LookupError("#REF!")
    keys = [r[0] for r in rows]
    if _range_lookup(flag):
        i = approximate(x, keys, across=not by_rows)
    else:
        i = exact(x, keys)
    if i < 0:
        raise LookupError("#N/A")
    value = rows[i][n - 1]
    return value  # a blank: 0 in a cell, "" after & (VLOOKUP(...)&"" shows blanks)


@_answer
def vlookup(x: Any, table: Any, col: Any, approximate_match: Any = True) -> Any:
    """Excel's VLOOKUP.

    >>> vlookup(4.0, [[1.0, "a"], [3.0, "b"], [5.0, "c"]], 2.0)
    'b'
    """
    return _table_lookup(x, table, col, approximate_match, by_rows=True)


@_answer
def hlookup(x: Any, table: Any, row: Any, approximate_match: Any = True) -> Any:
    """Excel's HLOOKUP.

    >>> hlookup("b", [["a", "b"], [1.0, 2.0]], 2.0, False)
    2.0
    """
    return _table_lookup(x, table, row, approximate_match, by_rows=False)


@_answer
def lookup(x: Any, where: Any, result: Any = None) -> Any:
    """Excel's LOOKUP, vector and array forms (always approximate).

    >>> lookup(4.0, [[1.0], [3.0], [5.0]], [["a"], ["b"], ["c"]]), lookup(2.0, [[1.0, 2.0], [7.0, 8.0]])
    ('b', 8.0)
    """
    error = _first_error(x)
    if error is not None:
        return error
    x = _scalar_lookup_value(x)
    rows = where if isinstance(where, list) else [[where]]
    if result is None:  # array form: first row or column searched, last one returned
        if len(rows[0]) > len(rows):
            keys, out = list(rows[0]), list(rows[-1])
        else:
            keys, out = [r[0] for r in rows], [r[-1] for r in rows]
    else:
        keys = _vector(rows)
        out = _vector(result)
    i = approximate(x, keys, across=_across(where if result is None else rows))
    if i < 0:
        raise LookupError("#N/A")
    if i >= len(out):
        raise NotComputed  # a result vector shorter than the searched one
    value = out[i]
    return value  # a blank: 0 in a cell, "" after & (VLOOKUP(...)&"" shows blanks)


#: name → (callback, min_args, max_args)
LOOKUPS = {
    "MATCH": (match, 2, 3),
    "VLOOKUP": (vlookup, 3, 4),
    "HLOOKUP": (hlookup, 3, 4),
    "LOOKUP": (lookup, 2, 3),
}

_CALL = re.compile(r"(?<![\w.])(MATCH|[VH]LOOKUP|LOOKUP)\s*\(", re.I)
_BRACKETS = re.compile(r"\[[^\[\]]*\]")
_EXACT = re.compile(r"\s*(?:0|FALSE|0\.0*)\s*", re.I)


def has_approximate_lookup(text: str) -> bool:
    """Whether a formula (or a sheet's XML) may call an approximate lookup: LOOKUP, or
    MATCH, VLOOKUP or HLOOKUP whose match argument is missing or not a literal 0/FALSE.

    >>> has_approximate_lookup("VLOOKUP(A1,B:C,2,FALSE)+MATCH(1,A:A,0)")
    False
    >>> has_approximate_lookup("MATCH(1,A:A)"), has_approximate_lookup("LOOKUP(2,A:A)")
    (True, True)
    >>> has_approximate_lookup("VLOOKUP(T[[#This Row],[C]],U[[#All],[D]],1,FALSE)")
    False
    """
    from .engine_gaps import _arguments

    while "[" in text:  # structured references hold commas: Table1[[#This Row],[Col]]
        shorter = _BRACKETS.sub("", text)
        if shorter == text:
            break
        text = shorter
    for m in _CALL.finditer(text):
        name = m.group(1).upper()
        if name == "LOOKUP":
            return True
        args = _arguments(text, m.end())
        last = 2 if name == "MATCH" else 3
        if len(args) <= last or not _EXACT.fullmatch(args[last]):
            return True
    return False
