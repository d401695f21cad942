"""Built-ins formualizer answers unlike Excel, computed in Python over the engine's own
(``register_function(..., allow_override_builtin=True)``, by :func:`engine_gaps.register`
when a workbook calls them).

The coverage table (``docs/function-coverage.md``) found them; each override follows
Microsoft's function reference, and LibreOffice where it agrees:

- ``CEILING``/``FLOOR`` with a negative significance (the engine rounded the wrong way,
  and gave no ``#NUM!`` for a positive number), with quotients rounded to 15 significant
  digits first, as Excel and LibreOffice do (the engine gave ``FLOOR(4.35,0.05)`` 4.3);
- ``CEILING.MATH``/``FLOOR.MATH`` with a mode (the engine: ``#VALUE!``);
- ``GCD``/``LCM`` of more than two numbers or of a range (the engine: ``#VALUE!``);
- ``DB`` with a first year's months (the engine's last year differs);
- ``DATE`` before 1 March 1900 (Excel counts a 29 February 1900);
- ``DATEDIF`` with ``"yd"`` (the engine counted one day less);
- ``VALUE`` of ``"1,000.5"`` (the engine: ``#VALUE!``);
- ``TEXTBEFORE``/``TEXTAFTER`` with a match mode, match end or if_not_found (``#VALUE!``).

An input whose Excel answer is not certain (a significance of 0, text or logicals where a
number is read, arrays where one value is taken) is "not computed": the cell keeps
Excel's value and names the reason. Where an override agrees with the engine, it hands
the engine's own function the arguments (:func:`database_gaps.delegate`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections.abc import Callable
from functools import partial
from typing import Any

from .builtins._args import (
    ExcelError,
    NotComputed,
    error_kind,
    excel_function,
    grid,
    integer,
    number,
)

#: Why a cell an override did not compute keeps Excel's value.
REASON = "{name}: an input whose Excel answer is not certain (Excel's value kept)"


def _scalar(value: Any, what: str) -> float:
    """A number argument; logicals, text other than a plain number and arrays are not
    computed (Excel's coercions differ by how the value was given, which a callback
    cannot see).

    >>> _scalar(" 2024 ", "year"), _scalar(None, "day")
    (2024.0, 0.0)
    """
    if isinstance(value, str) and _DECIMAL.fullmatch(value):
        return float(value)  # Excel reads plain numeric text as its number
    if isinstance(value, (list, str, bool)):
        kind = "an array" if isinstance(value, list) else "text or a logical"
        raise NotComputed(f"{what} is {kind}")
    return number(value, what)


_DECIMAL = re.compile(r"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*")


def _approx(x: float) -> float:
    """``x`` rounded to 15 significant digits (Excel's precision).

    >>> _approx(4.35 / 0.05), _approx(0.1 + 0.2)
    (87.0, 0.3)
    """
    return float(f"{x:.15g}") if math.isfinite(x) and x else x


# CEILING and FLOOR ------------------------------------------------------------------------


def _round_to(x: float, step: float, up: bool) -> float:
    q = _approx(x / step)
    return _approx((math.ceil(q) if up else math.floor(q)) * step)


def ceiling_floor(up: bool, value: Any, significance: Any = None) -> float:
    """Excel's ``CEILING`` (``up``) or ``FLOOR``: the multiple of ``significance`` above
    (below) ``value``; a negative value with a negative significance rounds away from
    (towards) zero; a positive value with a negative significance is ``#NUM!``.

    >>> ceiling_floor(True, -2.5, -2.0), ceiling_floor(False, -2.5, -2.0), ceiling_floor(False, 4.35, 0.05)
    (-4.0, -2.0, 4.35)
    """
    x = _scalar(value, "number")
    if significance is None:
        raise NotComputed("no significance")
    s = _scalar(significance, "significance")
    if s == 0:  # Excel: CEILING 0, FLOOR #DIV/0! (not documented)
        raise NotComputed("a significance of 0")
    if x > 0 and s < 0:
        raise ExcelError("Num")
    if x == 0:
        return 0.0
    return _round_to(x, s, up)


def ceiling_floor_math(up: bool, value: Any, significance: Any = 1.0, mode: Any = 0.0) -> float:
    """Excel's ``CEILING.MATH`` (``up``) or ``FLOOR.MATH``: the significance's sign is
    ignored; a mode other than 0 rounds a negative number away from zero (``CEILING``)
    or towards zero (``FLOOR``).

    >>> ceiling_floor_math(True, -5.5, 2.0, -1.0), ceiling_floor_math(False, -5.5, 2.0, -1.0)
    (-6.0, -4.0)
    >>> ceiling_floor_math(True, -8.1, 2.0), ceiling_floor_math(False, 24.3, 5.0)
    (-8.0, 20.0)
    """
    x = _scalar(value, "number")
    s = abs(_scalar(significance, "significance"))
    m = _scalar(mode, "mode")
    if s == 0:  # an omitted significance reaches us as 0 too
        raise NotComputed("a significance of 0 (or omitted)")
    if x == 0:
        return 0.0
    towards_up = up if (x > 0 or m == 0) else not up
    return _round_to(x, s, towards_up)


# GCD and LCM ------------------------------------------------------------------------------


def _integers(args: tuple[Any, ...], blank_ok: bool) -> list[int]:
    out = []
    for arg in args:
        for v in (x for row in grid(arg) for x in row):
            kind = error_kind(v)
            if kind:
                raise ExcelError(kind)
            if v is None and blank_ok:
                continue
            if v is None or isinstance(v, (str, bool)):
                raise NotComputed("a blank, text or logical among the numbers")
            x = float(v)
            if x < 0:
                raise ExcelError("Num")
            if x >= 2.0**53:
                raise ExcelError("Num")
            out.append(int(x))
    return out


def gcd(*args: Any) -> float:
    """Excel's ``GCD`` of numbers and ranges (truncated to integers).

    >>> gcd(24.0, 36.0, 60.0), gcd([[2.0], [4.0], [None]], 6.5)
    (12.0, 2.0)
    """
    return float(math.gcd(*_integers(args, blank_ok=True)))


def lcm(*args: Any) -> float:
    """Excel's ``LCM`` of numbers and ranges (truncated to integers).

    >>> lcm(24.0, 36.0, 5.0), lcm([[1.0, 2.0], [3.0, 4.0]])
    (360.0, 12.0)
    """
    result = float(math.lcm(*_integers(args, blank_ok=False)))
    if result >= 2.0**53:
        raise ExcelError("Num")
    return result


# DB -----------------------------------------------------------------------------------------


def db(cost: Any, salvage: Any, life: Any, period: Any, month: Any = 12.0) -> float:
    """Excel's ``DB``: fixed-declining balance depreciation, the rate rounded to three
    decimals, the first year ``month`` months long and a last, ``life + 1``-th year of
    ``12 - month`` months
    (https://support.microsoft.com/office/db-function-354e7d28-5f93-4ff1-8a52-eb4ee549d9d7).

    >>> round(db(1000000.0, 100000.0, 6.0, 1.0, 7.0), 2), round(db(1000000.0, 100000.0, 6.0, 7.0, 7.0), 2)
    (186083.33, 15845.1)
    """
    c, s = _scalar(cost, "cost"), _scalar(salvage, "salvage")
    n, p, m = (_scalar(v, w) for v, w in ((life, "life"), (period, "period"), (month, "month")))
    if not (c > 0 and 0 <= s <= c and n >= 1 and n == int(n) and p == int(p) and m == int(m)):
        raise NotComputed("arguments outside the documented domain")
    if not (1 <= m <= 12 and 1 <= p <= n + (1 if m < 12 else 0)):
        raise NotComputed("a period or month outside the documented domain")
    rate = math.floor((1 - (s / c) ** (1 / n)) * 1000 + 0.5) / 1000
    total = c * rate * m / 12
    if p == 1:
        return total
    for year in range(2, int(p) + 1):
        amount = (c - total) * rate
        if year > n:  # the last, partial year
            amount = amount * (12 - m) / 12
        if year == p:
            return amount
        total += amount
    raise AssertionError("unreachable")


# DATE and DATEDIF ---------------------------------------------------------------------------

_MAX_SERIAL = 2958465  # 31 December 9999
_EPOCH = {"1900": dt.date(1899, 12, 30), "1904": dt.date(1904, 1, 1)}


def date(date_system: str, year: Any, month: Any, day: Any) -> float:
    """Excel's ``DATE``: in the 1900 system, serial 60 is the 29 February 1900 Excel
    counts (Lotus 1-2-3's leap year), so the dates before 1 March 1900 are one less than
    the calendar's.

    >>> date("1900", 1900.0, 2.0, 29.0), date("1900", 1900.0, 1.0, 60.0), date("1900", 1900.0, 3.0, 1.0)
    (60.0, 60.0, 61.0)
    >>> date("1900", 2024.0, 14.0, 1.0), date("1904", 1904.0, 1.0, 2.0)
    (45689.0, 1.0)
    """
    y, m, d = (integer(_scalar(v, w)) for v, w in ((year, "year"), (month, "month"), (day, "day")))
    if y < 0 or y >= 10000:
        raise ExcelError("Num")
    if y < 1900:
        y += 1900
    y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
    if y < 1900 or y > 9999:
        raise ExcelError("Num")
    first = dt.date(y, m, 1)
    if date_system == "1900" and first < dt.date(1900, 3, 1):
        base = 1 if m == 1 else 32  # 1 January and 1 February 1900
    else:
        base = (first - _EPOCH[date_system]).days
    serial = base + d - 1
    if serial < 0 or serial > _MAX_SERIAL - (1462 if date_system == "1904" else 0):
        raise ExcelError("Num")
    return float(serial)


def date_function(date_system: str) -> Callable[..., Any]:
    """``DATE`` for the workbook's date system."""
    return excel_function("DATE")(partial(date, date_system))


def _calendar(serial: float, date_system: str) -> dt.date:
    n = math.floor(serial)
    if n < 0 or n > _MAX_SERIAL:
        raise ExcelError("Num")
    if date_system == "1900" and n < 61:
        raise NotComputed("a date before 1 March 1900")
    return _EPOCH[date_system] + dt.timedelta(days=n)


def _leap_day_between(a: dt.date, b: dt.date) -> bool:
    return any(_is_leap(y) and a <= dt.date(y, 2, 29) <= b for y in range(a.year, b.year + 1))


def _is_leap(y: int) -> bool:
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def year_days(start: dt.date, end: dt.date) -> int:
    """``DATEDIF``'s ``"yd"``: the days from ``start``'s day and month in the last year
    before ``end`` to ``end``. Where a 29 February is in the way (Excel's answer around
    it is undocumented), not computed.

    >>> year_days(dt.date(2024, 1, 15), dt.date(2024, 9, 1)), year_days(dt.date(2021, 10, 3), dt.date(2023, 3, 1))
    (230, 149)
    """
    if (start.month, start.day) == (2, 29) or (end.month, end.day) == (2, 29):
        raise NotComputed("a 29 February")
    y = end.year if (start.month, start.day) <= (end.month, end.day) else end.year - 1
    moved = start.replace(year=y)
    if moved.year != start.year and _leap_day_between(moved, end):
        raise NotComputed("a 29 February between the dates")
    return (end - moved).days


def datedif_function(date_system: str) -> Callable[..., Any]:
    """``DATEDIF``: ``"yd"`` computed here, the other units by the engine."""
    from .database_gaps import delegate

    def datedif(start: Any, end: Any, unit: Any) -> Any:
        if isinstance(unit, str) and unit.strip().upper() == "YD":
            a = _calendar(_scalar(start, "start date"), date_system)
            b = _calendar(_scalar(end, "end date"), date_system)
            if a > b:
                raise ExcelError("Num")
            return float(year_days(a, b))
        return delegate("DATEDIF", (start, end, unit), date_system)

    return excel_function("DATEDIF")(datedif)


# VALUE --------------------------------------------------------------------------------------

_GROUPED = re.compile(r"\s*([+-]?)(\d{1,3}(?:,\d{3})+)(\.\d*)?\s*")
_SEPARATOR = re.compile(r"[,$\u00a5\uffe5\u20ac\u00a3]")


def value(arg: Any) -> Any:
    """Excel's ``VALUE``: a number with thousands separators (``"1,000.5"``: English and
    Japanese Excel read it alike) computed here; other text with a separator or a
    currency sign (whose reading depends on Excel's language) not computed; the rest
    by the engine.

    >>> value("1,000.5"), value("-12,345,678")
    (1000.5, -12345678.0)
    """
    from .database_gaps import delegate

    if isinstance(arg, list):
        raise NotComputed("an array")
    if isinstance(arg, str):
        m = _GROUPED.fullmatch(arg)
        if m:
            return float(m.group(1) + m.group(2).replace(",", "") + (m.group(3) or ""))
        if _SEPARATOR.search(arg):
            raise NotComputed("text with a separator or currency sign")
    return delegate("VALUE", (arg,))


# TEXTBEFORE and TEXTAFTER -------------------------------------------------------------------


def _text_arg(v: Any, what: str) -> str:
    kind = error_kind(v)
    if kind:
        raise ExcelError(kind)
    if isinstance(v, str):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool) and float(v).is_integer():
        return str(int(v))
    raise NotComputed(f"{what} is not text or an integer")


def text_split_at(
    after: bool,
    text_value: Any,
    delimiter: Any,
    instance: Any = 1.0,
    match_mode: Any = 0.0,
    match_end: Any = 0.0,
    *if_not_found: Any,
) -> Any:
    """Excel's ``TEXTBEFORE`` (``after`` False) or ``TEXTAFTER``: the text before (after)
    the ``instance``-th delimiter (from the end when negative); none: ``#N/A`` or
    ``if_not_found``
    (https://support.microsoft.com/office/textbefore-function-d099c28a-dba8-448e-ac6c-f086d0fa1b29).

    >>> text_split_at(False, "a-b-c", "-", 2.0, 0.0), text_split_at(True, "a-B-c", ["b"], 1.0, 1.0)
    ('a-b', '-c')
    >>> text_split_at(False, "abc", "x", 1.0, 0.0, 0.0, "none")
    'none'
    """
    s = _text_arg(text_value, "text")
    delimiters = [_text_arg(d, "delimiter") for d in (x for row in grid(delimiter) for x in row)]
    n, mode, end = (
        integer(_scalar(v, w))
        for v, w in ((instance, "instance"), (match_mode, "match mode"), (match_end, "match end"))
    )
    if n == 0:  # an omitted instance reaches us as 0, which Excel answers #VALUE!
        raise NotComputed("an instance of 0 (or omitted)")
    if abs(n) > len(s):
        raise ExcelError("Value")
    if end != 0 or mode not in (0, 1) or not all(delimiters):
        raise NotComputed("match_end, an empty delimiter or an unknown match mode")
    if mode == 1 and not (s.isascii() and all(d.isascii() for d in delimiters)):
        raise NotComputed("case-insensitive match of text beyond ASCII")
    hay = s.lower() if mode == 1 else s
    matches = sorted(
        (i, i + len(d))
        for d in ((d.lower() if mode == 1 else d) for d in delimiters)
        for i in range(len(hay))
        if hay.startswith(d, i)
    )
    if any(b[0] < a[1] for a, b in itertools.pairwise(matches)):
        raise NotComputed("delimiters that overlap in the text")
    if abs(n) > len(matches):
        if not if_not_found:
            raise ExcelError("NA")
        fallback = if_not_found[0]
        if fallback is None or isinstance(fallback, (list, dict)) or fallback == 0:
            raise NotComputed("if_not_found blank, omitted, an array or an error")
        return fallback
    start, stop = matches[n - 1] if n > 0 else matches[n]
    return s[stop:] if after else s[:start]


# SUMX2MY2, SUMX2PY2, SUMXMY2 ----------------------------------------------------------------

_PAIR_TERMS: dict[str, Callable[[float, float], float]] = {
    "SUMX2MY2": lambda x, y: x * x - y * y,
    "SUMX2PY2": lambda x, y: x * x + y * y,
    "SUMXMY2": lambda x, y: (x - y) * (x - y),
}


def _flat(value: Any) -> list[Any]:
    return [v for row in grid(value) for v in row]


def sum_of_pairs(name: str, array_x: Any, array_y: Any) -> float:
    """Excel's ``SUMX2MY2`` (Σx²−y²), ``SUMX2PY2`` (Σx²+y²) or ``SUMXMY2`` (Σ(x−y)²) of
    two arrays paired by position (row by row): a pair where either value is text, a
    logical or empty is left out; an error in the arrays is the answer; arrays of
    different sizes are ``#N/A``; no pair left is ``#DIV/0!`` (POI's FormulaEvalTestData,
    values saved by Excel;
    https://support.microsoft.com/office/sumx2my2-function-9e599cc5-5399-48e9-a5e0-e37812dfa3e9).
    The engine paired text, blanks and logicals and skipped errors. Several errors of
    different kinds, or an error with arrays of different sizes (which Excel answers
    first is not documented), and a single value that is text or a logical (Excel may
    read a typed one), are not computed.

    >>> sum_of_pairs("SUMX2PY2", [[1e-05], [1.1], [1.00001]], [[-1.0, -1.00001, None]])
    3.2100200002
    >>> sum_of_pairs("SUMXMY2", 2.0, 4.0)
    4.0
    """
    xs, ys = _flat(array_x), _flat(array_y)
    if any(isinstance(arg, (str, bool)) for arg in (array_x, array_y)):
        raise NotComputed("a single text or logical value")
    kinds = {k for k in map(error_kind, xs + ys) if k}
    if len(kinds) > 1 or kinds and len(xs) != len(ys):
        raise NotComputed("errors of different kinds, or an error and arrays of different sizes")
    if kinds:
        raise ExcelError(kinds.pop())
    if len(xs) != len(ys):
        raise ExcelError("NA")
    term = _PAIR_TERMS[name]
    total, pairs = 0.0, 0
    for x, y in zip(xs, ys):
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (x, y)):
            total += term(float(x), float(y))
            pairs += 1
    if not pairs:
        raise ExcelError("Div")
    return total


def _named(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    return excel_function(name)(function)


#: name -> (callback or a callable of the date system giving it, min_args, max_args).
FIXES: dict[str, tuple[Callable[..., Any], int, int]] = {
    "CEILING": (_named("CEILING", partial(ceiling_floor, True)), 1, 2),
    "FLOOR": (_named("FLOOR", partial(ceiling_floor, False)), 1, 2),
    "GCD": (_named("GCD", gcd), 1, 255),
    "LCM": (_named("LCM", lcm), 1, 255),
    "DB": (_named("DB", db), 4, 5),
    "DATE": (date_function, 3, 3),
    "DATEDIF": (datedif_function, 3, 3),
    "VALUE": (_named("VALUE", value), 1, 1),
    **{name: (_named(name, partial(sum_of_pairs, name)), 2, 2) for name in _PAIR_TERMS},
    **{  # newer than 2007: Excel writes them with _xlfn., which overrides must name too
        spelled: entry
        for name, entry in {
            "CEILING.MATH": (_named("CEILING.MATH", partial(ceiling_floor_math, True)), 1, 3),
            "FLOOR.MATH": (_named("FLOOR.MATH", partial(ceiling_floor_math, False)), 1, 3),
            "TEXTBEFORE": (_named("TEXTBEFORE", partial(text_split_at, False)), 2, 6),
            "TEXTAFTER": (_named("TEXTAFTER", partial(text_split_at, True)), 2, 6),
        }.items()
        for spelled in (name, "_XLFN." + name)
    },
}
#: The entries whose first item takes the date system.
NEEDS_DATE_SYSTEM = frozenset({"DATE", "DATEDIF"})
#: The functions computed here (for the reason of a cell an override kept).
NAMES = tuple(sorted({n.removeprefix("_XLFN.") for n in FIXES}))
#: Regular expressions of their calls that may answer "not computed", as Excel writes
#: them (with ``_xlfn.`` or without): a catcher around one keeps Excel's value (the
#: engine's IFERROR would catch "not computed"). ``DATE`` of number literals always
#: computes (``COUNTIFS(A:A,">="&DATE(2024,1,1))`` is common).
PATTERNS = tuple(
    r"(?:_xlfn\.)?" + re.escape(n) + (r"(?!\s*\(\s*[-+]?\d[\d\s,.+-]*\))" if n == "DATE" else "")
    for n in NAMES
)
