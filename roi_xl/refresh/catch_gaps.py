"""The functions that look at an error instead of passing it on (IFERROR, ISERROR,
ISNUMBER, ...), made to pass on the engine's "not computed" errors.

An override that cannot give Excel's answer returns the engine's ``#N/IMPL`` (and an
unknown function gives ``#NAME?``), so the cell keeps Excel's value. But formualizer's
``IFERROR(MATCH(4,B1:B5),"x")`` catches that error and answers ``"x"``: a wrong value
written. These replacements answer as the built-ins do, except that a not-computed error
in what they test makes them not computed too. (A not-computed cell *referenced* by
``COUNT`` or ``COUNTIF`` in another cell is the caller's to handle: see the report.)
"""

from __future__ import annotations

from typing import Any, Callable

import formualizer as fz

#: Error kinds that mean "the engine did not compute this", not an Excel error.
NOT_COMPUTED_KINDS = frozenset({"NImpl", "Name"})
_CODES = {"Null": 1, "Div": 2, "Value": 3, "Ref": 4, "Name": 5, "Num": 6, "Na": 7, "Calc": 14}


def _kind(value: Any) -> str | None:
    if isinstance(value, dict) and value.get("type") == "Error":
        return str(value.get("kind", "Value"))
    return None


def _error(kind: str) -> Any:
    return fz.LiteralValue.error(kind, None)


def _each(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``fn`` element by element over an array argument (as the built-ins do)."""

    def call(value: Any) -> Any:
        if isinstance(value, list):
            return [[call(v) for v in row] if isinstance(row, list) else call(row) for row in value]
        kind = _kind(value)
        if kind in NOT_COMPUTED_KINDS:
            return _error(kind)
        return fn(value)

    return call


def _is(test: Callable[[Any], bool]) -> Callable[[Any], Any]:
    return _each(test)


def _iferror(only_na: bool) -> Callable[[Any, Any], Any]:
    def pick(value: Any, fallback: Any) -> Any:
        kind = _kind(value)
        if kind in NOT_COMPUTED_KINDS:
            return _error(kind)
        if kind is None or only_na and kind != "Na":
            return 0.0 if value is None else value
        if isinstance(fallback, list):
            return fallback
        kind = _kind(fallback)
        if kind is not None:
            return _error(kind)
        return 0.0 if fallback is None else fallback

    def call(value: Any, fallback: Any) -> Any:
        if isinstance(value, list):
            return [
                [pick(v, _at(fallback, i, j)) for j, v in enumerate(row)]
                for i, row in enumerate(value)
            ]
        return pick(value, fallback)

    return call


def _at(value: Any, i: int, j: int) -> Any:
    """The element of ``value`` beside (i, j) of an array (a scalar is everywhere)."""
    if not isinstance(value, list):
        return value
    try:
        row = value[i if len(value) > 1 else 0]
        return row[j if len(row) > 1 else 0]
    except IndexError:
        return _error("Na")


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _error_type(value: Any) -> Any:
    code = _CODES.get(_kind(value) or "")
    return _error("Na") if code is None else float(code)


#: name → (callback, min_args, max_args)
CATCHERS = {
    "IFERROR": (_iferror(False), 2, 2),
    "IFNA": (_iferror(True), 2, 2),
    "ISERROR": (_is(lambda v: _kind(v) is not None), 1, 1),
    "ISERR": (_is(lambda v: _kind(v) not in (None, "Na")), 1, 1),
    "ISNA": (_is(lambda v: _kind(v) == "Na"), 1, 1),
    "ISNUMBER": (_is(_number), 1, 1),
    "ISTEXT": (_is(lambda v: isinstance(v, str)), 1, 1),
    "ISNONTEXT": (_is(lambda v: not isinstance(v, str)), 1, 1),
    "ISLOGICAL": (_is(lambda v: isinstance(v, bool)), 1, 1),
    "ERROR.TYPE": (_each(_error_type), 1, 1),
}


def check() -> None:
    """The replacements on a few values.

    >>> iferror = CATCHERS["IFERROR"][0]
    >>> iferror({"type": "Error", "kind": "Div"}, "x"), iferror(3.0, "x")
    ('x', 3.0)
    >>> isinstance(iferror({"type": "Error", "kind": "NImpl"}, "x"), str)
    False
    >>> CATCHERS["ISNUMBER"][0]([[1.0, "a", None]])
    [[True, False, False]]
    """
