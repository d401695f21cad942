"""Excel's discounted and paid-at-maturity securities: DISC, INTRATE, RECEIVED, PRICEDISC,
YIELDDISC, PRICEMAT, YIELDMAT, each a formula of year fractions (``YEARFRAC`` of the
period on the security's day-count basis: 0 US 30/360, 1 actual/actual, 2 actual/360,
3 actual/365, 4 European 30/360).

The 30/360 counts are the bond module's (:func:`.bonds.days_between`); basis 0 with a
date at the end of February is not computed (where Excel's NASD rule is known to differ
from other implementations), as in that module.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any, Callable

from ._args import ExcelError, NotComputed, check_errors, excel_function, integer, number
from .bonds import _EPOCHS, Day, _date, _february_end, days_between


def yearfrac(start: dt.date, end: dt.date, basis: int) -> float:
    """The years from ``start`` to ``end`` (``start`` < ``end``) on ``basis``, as Excel's
    YEARFRAC counts them (actual/actual: the days over the year's length, 366 when the
    period holds a 29 February, or over the mean length of the years it touches when it
    is longer than a year).

    >>> yearfrac(dt.date(2012, 1, 1), dt.date(2012, 7, 30), 1)
    0.5765027322404371
    >>> yearfrac(dt.date(2012, 1, 1), dt.date(2012, 7, 30), 0)
    0.5805555555555556
    """
    if basis == 0 and (_february_end(start) or _february_end(end)):
        raise NotComputed("basis 0 with a date at the end of February")
    if basis in (0, 4):
        return days_between(Day.of(start, basis), Day.of(end, basis)) / 360.0
    days = (end - start).days
    if basis == 2:
        return days / 360.0
    if basis == 3:
        return days / 365.0
    a, b = start, end
    longer = (b.year - a.year > 1) or (b.year - a.year == 1 and (a.month, a.day) < (b.month, b.day))
    if longer:
        span = (dt.date(b.year + 1, 1, 1) - dt.date(a.year, 1, 1)).days
        return days / (span / (b.year - a.year + 1))
    if a.year == b.year:
        year = 366 if calendar.isleap(a.year) else 365
    else:
        feb29 = (calendar.isleap(a.year) and a.month <= 2) or (
            calendar.isleap(b.year) and (b.month, b.day) >= (2, 29)
        )
        year = 366 if feb29 else 365
    return days / year


def plain_years(start: dt.date, end: dt.date, basis: int) -> float:
    """The years by a plainer count: 30/360 as months x 30 + days (no end-of-month
    rules), actual/actual over the first year's length. LibreOffice measures INTRATE,
    RECEIVED and PRICEDISC so; where it parts from :func:`yearfrac` (bases 0, 1, 4) we
    cannot tell which Excel uses, and do not compute.

    >>> round(plain_years(dt.date(2012, 12, 30), dt.date(2021, 1, 31), 0) * 360, 9)
    2911.0
    """
    if basis in (0, 4):
        days = (end.year - start.year) * 360 + (end.month - start.month) * 30
        days += end.day - start.day
        if basis == 0 and start.month == 2 and end.month != 2 and start.year == end.year:
            days -= 1 if calendar.isleap(start.year) else 2
        return days / 360.0
    days = (end - start).days
    year = {1: 366 if calendar.isleap(start.year) else 365, 2: 360, 3: 365}[basis]
    return days / year


def _either_count(start: dt.date, end: dt.date, basis: int) -> float:
    years = yearfrac(start, end, basis)
    if abs(years - plain_years(start, end, basis)) > 1e-12 * years:
        raise NotComputed("a period that the two known day counts measure differently")
    return years


def _dates(epoch: dt.date, *serials: tuple[Any, str]) -> list[dt.date]:
    return [_date(v, epoch, what) for v, what in serials]


def _basis(value: Any) -> int:
    b = integer(value, "basis")
    if not 0 <= b <= 4:
        raise ExcelError("Num")
    return b


def _positive(value: Any, what: str, zero: bool = False) -> float:
    x = number(value, what)
    if x < 0 or (x == 0 and not zero):
        raise ExcelError("Num")
    return x


def _two_dates(
    name: str,
    answer: Callable[[float, float, float], float],
    first: str,
    second: str,
    years: Callable[[dt.date, dt.date, int], float] = yearfrac,
) -> Callable[[str], Any]:
    """A function of (settlement, maturity, x, y[, basis]): ``answer(x, y, years)``."""

    def build(date_system: str) -> Any:
        epoch = _EPOCHS[date_system]

        @excel_function(name)
        def call(settlement: Any, maturity: Any, x: Any, y: Any, basis: Any = None) -> float:
            check_errors(settlement, maturity, x, y, basis)
            s, m = _dates(epoch, (settlement, "settlement"), (maturity, "maturity"))
            a, b, base = _positive(x, first), _positive(y, second), _basis(basis)
            if s >= m:
                raise ExcelError("Num")
            return answer(a, b, years(s, m, base))

        call.__doc__ = f"Excel's {name}."
        return call

    build.needs_date_system = True  # type: ignore[attr-defined]
    return build


def _received(investment: float, discount: float, years: float) -> float:
    rest = 1.0 - discount * years
    if rest <= 0:
        raise NotComputed("a discount that consumes the whole redemption")
    return investment / rest


def _at_maturity(name: str, price: bool) -> Callable[[str], Any]:
    """PRICEMAT (``price``) or YIELDMAT: interest paid at maturity, from issue."""

    def build(date_system: str) -> Any:
        epoch = _EPOCHS[date_system]

        @excel_function(name)
        def call(
            settlement: Any, maturity: Any, issue: Any, rate: Any, x: Any, basis: Any = None
        ) -> float:
            check_errors(settlement, maturity, issue, rate, x, basis)
            s, m, i = _dates(
                epoch, (settlement, "settlement"), (maturity, "maturity"), (issue, "issue")
            )
            r = _positive(rate, "rate", zero=True)
            v = _positive(x, "yld" if price else "pr", zero=price)
            base = _basis(basis)
            if s >= m:
                raise ExcelError("Num")
            if not i < s:
                raise NotComputed("an issue date not before settlement")
            dim, a, dsm = yearfrac(i, m, base), yearfrac(i, s, base), yearfrac(s, m, base)
            if price:
                return (1.0 + dim * r) / (1.0 + dsm * v) * 100.0 - a * r * 100.0
            bought = v / 100.0 + a * r
            return ((1.0 + dim * r) - bought) / bought / dsm

        call.__doc__ = f"Excel's {name}."
        return call

    build.needs_date_system = True  # type: ignore[attr-defined]
    return build


FUNCTIONS = {
    "DISC": (_two_dates("DISC", lambda pr, red, t: (red - pr) / red / t, "pr", "redemption"), 4, 5),
    "INTRATE": (
        _two_dates(
            "INTRATE",
            lambda inv, red, t: (red - inv) / inv / t,
            "investment",
            "redemption",
            _either_count,
        ),
        4,
        5,
    ),
    "RECEIVED": (
        _two_dates("RECEIVED", _received, "investment", "discount", _either_count),
        4,
        5,
    ),
    "PRICEDISC": (
        _two_dates(
            "PRICEDISC",
            lambda d, red, t: red - d * red * t,
            "discount",
            "redemption",
            _either_count,
        ),
        4,
        5,
    ),
    "YIELDDISC": (
        _two_dates("YIELDDISC", lambda pr, red, t: (red - pr) / pr / t, "pr", "redemption"),
        4,
        5,
    ),
    "PRICEMAT": (_at_maturity("PRICEMAT", True), 5, 6),
    "YIELDMAT": (_at_maturity("YIELDMAT", False), 5, 6),
}
