"""What the engine hands a Python function, read as Excel reads its arguments, and the
answer handed back.

formualizer gives a callback a range as a list of rows (a one-cell range as its value), a
blank cell as ``None``, an omitted argument (``F(a,,c)``) as ``0.0`` and an error as
``{"type": "Error", "kind": "Div"}``; it takes back numbers, text, booleans, lists of rows
(they spill) and ``formualizer.LiteralValue.error(kind)``.

Two exceptions carry the answers that are not values: :class:`ExcelError` (the error Excel
gives, e.g. ``#NUM!`` for a bad argument) and :class:`NotComputed` (an input for which we
are not sure of Excel's answer: the cell keeps Excel's value, and the reason is reported).
"""

from __future__ import annotations

import functools
import math
from typing import Any, Callable
from ...errors import ErrorValue as ExcelError  # the answer is an error value
from ...errors import NotComputed

#: The prefix of every reason our functions give for not computing a cell.
REASON_PREFIX = "not computed: "


def error_kind(value: Any) -> str | None:
    """The error kind of an engine value, or None.

    >>> error_kind({"type": "Error", "kind": "Div"}), error_kind(1.0)
    ('Div', None)
    """
    if isinstance(value, dict) and value.get("type") == "Error":
        return str(value.get("kind", "Value"))
    return None


def check_errors(*values: Any) -> None:
    """Raise the first error among scalar arguments (Excel reads them left to right)."""
    for v in values:
        kind = error_kind(v)
        if kind:
            raise ExcelError(kind)


def number(value: Any, what: str = "argument") -> float:
    """A scalar argument as a number, as Excel coerces it (blank 0, TRUE 1, numeric text).

    >>> number("2.5"), number(None), number(True)
    (2.5, 0.0, 1.0)
    """
    kind = error_kind(value)
    if kind:
        raise ExcelError(kind)
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if value is None:
        return 0.0
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        if value.strip() == "":
            raise ExcelError("Value")
        try:
            return float(value)
        except ValueError:  # a date, a percentage, a currency...: Excel's parser, not ours
            raise NotComputed(f"{what} is text Excel may read as a number") from None
    raise NotComputed(f"{what} is an array where Excel takes one value")


def integer(value: Any, what: str = "argument") -> int:
    """A scalar argument truncated to an integer, as Excel does for counts and modes.

    >>> integer(2.9), integer("-1.5")
    (2, -1)
    """
    x = number(value, what)
    if not math.isfinite(x) or abs(x) > 2**31:
        raise ExcelError("Num")
    return int(x)


def text(value: Any, what: str = "argument") -> str:
    """A scalar argument as text (a number only where its text is certain: integers).

    >>> text(12.0), text(True), text(None)
    ('12', 'TRUE', '')
    """
    kind = error_kind(value)
    if kind:
        raise ExcelError(kind)
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        if float(value).is_integer() and abs(value) < 1e15:
            return str(int(value))
        raise NotComputed(f"{what} is a number whose text Excel writes its own way")
    raise NotComputed(f"{what} is an array where Excel takes one value")


def boolean(value: Any, what: str = "argument") -> bool:
    """A scalar argument as a logical (numbers: non-zero is TRUE).

    >>> boolean(0.0), boolean(True), boolean("TRUE")
    (False, True, True)
    """
    kind = error_kind(value)
    if kind:
        raise ExcelError(kind)
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, str):
        if value.upper() in ("TRUE", "FALSE"):
            return value.upper() == "TRUE"
        raise ExcelError("Value")
    raise NotComputed(f"{what} is an array where Excel takes one value")


def grid(value: Any) -> list[list[Any]]:
    """An argument as a list of rows (a scalar is a 1x1 array).

    >>> grid(3.0), grid([[1.0, 2.0]])
    ([[3.0]], [[1.0, 2.0]])
    """
    if isinstance(value, list):
        if value and not isinstance(value[0], list):
            return [list(value)]
        return [list(r) for r in value]
    return [[value]]


def engine_value(value: Any) -> Any:
    """A result for the engine: error dicts and non-finite numbers as error values."""
    import formualizer as fz

    if isinstance(value, float) and not math.isfinite(value):
        return fz.LiteralValue.error("Num", None)
    kind = error_kind(value)
    if kind:
        return fz.LiteralValue.error(kind, None)
    if isinstance(value, list):
        return [engine_value(v) for v in value]
    return value


def excel_function(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate one of our Excel functions as an engine callback: its exceptions become
    Excel's errors (:class:`ExcelError`) or "not computed" (:class:`NotComputed`, and any
    exception we did not foresee: never a guess)."""

    def wrap(function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def call(*args: Any) -> Any:
            import formualizer as fz

            try:
                return engine_value(function(*args))
            except ExcelError as e:
                return fz.LiteralValue.error(e.kind, None)
            except NotComputed as e:
                return fz.LiteralValue.error("NImpl", f"{REASON_PREFIX}{name}: {e}")
            except (ArithmeticError, ValueError, TypeError, IndexError) as e:
                return fz.LiteralValue.error("NImpl", f"{REASON_PREFIX}{name}: {e!r}")

        call.excel_name = name  # type: ignore[attr-defined]
        return call

    return wrap
