"""Excel's coupon functions (COUPDAYBS, COUPDAYS, COUPDAYSNC, COUPNCD, COUPNUM, COUPPCD)
and DURATION / MDURATION, with Excel's day-count bases: 0 US (NASD) 30/360, 1 actual/
actual, 2 actual/360, 3 actual/365, 4 European 30/360.

Coupon dates step back from maturity by 12/frequency months, a maturity on a month's last
day keeping coupons on last days. The day counts follow the date arithmetic of the
Analysis add-in that LibreOffice reproduces for Excel compatibility (a date keeps the day
it was made from; 30-day bases count each month as 30 days). Basis 0 around the end of
February is where Excel's NASD rule is known to disagree with other implementations: those
inputs are not computed.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, replace
from typing import Any, Callable

from ._args import ExcelError, NotComputed, check_errors, excel_function, integer

_EPOCHS = {"1900": dt.date(1899, 12, 30), "1904": dt.date(1904, 1, 1)}


def _days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


@dataclass(frozen=True)
class Day:
    """A date as the day-count arithmetic sees it: the day it was made from (``orig``),
    whether that was its month's last day, and the day counted (30 at most on 30-day bases).
    """

    year: int
    month: int
    orig: int
    last: bool
    thirty: bool
    us: bool
    day: int = 0

    @classmethod
    def of(cls, date: dt.date, basis: int) -> "Day":
        last = date.day >= _days_in_month(date.year, date.month)
        return cls(date.year, date.month, date.day, last, basis in (0, 4), basis == 0).fixed()

    def fixed(self) -> "Day":
        dim = _days_in_month(self.year, self.month)
        if self.thirty:
            day = min(self.orig, 30)
            day = 30 if self.last or day >= dim else day
        else:
            day = dim if self.last else min(self.orig, dim)
        return replace(self, day=day)

    def plus_months(self, n: int) -> "Day":
        year, month = divmod(self.year * 12 + self.month - 1 + n, 12)
        if not 1 <= year <= 9999:
            raise ExcelError("Num")
        return replace(self, year=year, month=month + 1).fixed()

    def in_year(self, year: int) -> "Day":
        return replace(self, year=year).fixed()

    def date(self) -> dt.date:
        dim = _days_in_month(self.year, self.month)
        return dt.date(self.year, self.month, dim if self.last else min(dim, self.orig))

    def _key(self) -> tuple[int, int, int]:
        return (self.year, self.month, self.day)

    def __lt__(self, other: "Day") -> bool:
        if self._key() != other._key():
            return self._key() < other._key()
        if self.last or other.last:
            return not self.last and other.last
        return self.orig < other.orig

    def month_days(self, month: int | None = None) -> int:
        return 30 if self.thirty else _days_in_month(self.year, month or self.month)


def days_between(start: Day, end: Day) -> int:
    """Days from ``start`` to ``end`` on their basis (30-day months on bases 0 and 4).

    >>> e = lambda y, m, d: Day.of(dt.date(y, m, d), 0)
    >>> days_between(e(2011, 1, 25), e(2011, 11, 15)), days_between(e(2011, 1, 31), e(2011, 3, 31))
    (290, 60)
    """
    if end < start:
        return days_between(end, start)
    a, b = start, end
    if b.thirty:
        if b.us:
            if (start.month == 2 or start.day < 30) and b.orig == 31:
                b = replace(b, day=31)
            elif b.month == 2 and b.last:
                b = replace(b, day=_days_in_month(b.year, 2))
        else:
            if a.month == 2 and a.day == 30:
                a = replace(a, day=_days_in_month(a.year, 2))
            if b.month == 2 and b.day == 30:
                b = replace(b, day=_days_in_month(b.year, 2))
    diff = 0
    if (a.year, a.month) < (b.year, b.month):
        diff = a.month_days() - a.day + 1
        a = replace(a, orig=1, day=1, last=False).plus_months(1)
        if a.year < b.year:
            diff += sum(a.month_days(m) for m in range(a.month, 13))
            a = a.plus_months(13 - a.month)
            diff += sum(
                360 if a.thirty else (366 if calendar.isleap(y) else 365)
                for y in range(a.year, b.year)
            )
            a = a.in_year(b.year)
        diff += sum(a.month_days(m) for m in range(a.month, b.month))
        a = a.plus_months(b.month - a.month)
    return max(diff + b.day - a.day, 0)


def previous_coupon(settle: Day, maturity: Day, frequency: int) -> Day:
    d = maturity.in_year(settle.year)
    if d < settle:
        d = d.in_year(d.year + 1)
    while settle < d:
        d = d.plus_months(-12 // frequency)
    return d


def next_coupon(settle: Day, maturity: Day, frequency: int) -> Day:
    d = maturity.in_year(settle.year)
    if settle < d:
        d = d.in_year(d.year - 1)
    while not settle < d:
        d = d.plus_months(12 // frequency)
    return d


@dataclass(frozen=True)
class Bond:
    """The validated common arguments: settlement, maturity, frequency, basis."""

    settle: Day
    maturity: Day
    frequency: int
    basis: int
    epoch: dt.date

    def serial(self, day: Day) -> float:
        return float((day.date() - self.epoch).days)

    def pcd(self) -> Day:
        return previous_coupon(self.settle, self.maturity, self.frequency)

    def ncd(self) -> Day:
        return next_coupon(self.settle, self.maturity, self.frequency)

    def coupons(self) -> int:
        pcd = self.pcd()
        months = (self.maturity.year - pcd.year) * 12 + self.maturity.month - pcd.month
        return months * self.frequency // 12

    def days(self) -> float:
        if self.basis == 1:
            pcd = self.pcd()
            return float((pcd.plus_months(12 // self.frequency).date() - pcd.date()).days)
        return (365.0 if self.basis == 3 else 360.0) / self.frequency

    def days_before(self) -> float:
        return float(days_between(self.pcd(), self.settle))

    def days_after(self) -> float:
        if self.basis not in (0, 4):
            return float(days_between(self.settle, self.ncd()))
        return self.days() - self.days_before()


def _date(value: Any, epoch: dt.date, what: str) -> dt.date:
    serial = integer(value, what)
    if serial < 0:
        raise ExcelError("Num")
    if epoch.year == 1899 and serial < 61:  # Excel's 1900 calendar has a 29 February 1900
        raise NotComputed(f"{what} is before March 1900")
    try:
        return epoch + dt.timedelta(days=serial)
    except OverflowError:
        raise ExcelError("Num") from None


def bond(settlement: Any, maturity: Any, frequency: Any, basis: Any, epoch: dt.date) -> Bond:
    """Excel's checks: dates truncated, settlement before maturity, frequency 1, 2 or 4,
    basis 0 to 4 (else ``#NUM!``)."""
    check_errors(settlement, maturity, frequency, basis)
    s, m = _date(settlement, epoch, "settlement"), _date(maturity, epoch, "maturity")
    f, b = integer(frequency, "frequency"), integer(basis, "basis")
    if s >= m or f not in (1, 2, 4) or not 0 <= b <= 4:
        raise ExcelError("Num")
    out = Bond(Day.of(s, b), Day.of(m, b), f, b, epoch)
    if b == 0 and (_february_end(s) or _february_end(out.pcd().date())):
        raise NotComputed("basis 0 with a date at the end of February")
    return out


def _february_end(date: dt.date) -> bool:
    return date.month == 2 and date.day >= 28


def _coupon_function(name: str, answer: Callable[[Bond], float]) -> Callable[[str], Any]:
    def build(date_system: str) -> Any:
        epoch = _EPOCHS[date_system]

        @excel_function(name)
        def call(settlement: Any, maturity: Any, frequency: Any, basis: Any = 0.0) -> float:
            return answer(bond(settlement, maturity, frequency, basis, epoch))

        return call

    build.needs_date_system = True  # type: ignore[attr-defined]
    return build


def duration(b: Bond, coupon: float, yld: float) -> float:
    """Macaulay duration in years: each cash flow's time (in periods from settlement,
    the first one DSC/E) weighted by its present value. This gives Microsoft's examples
    (DURATION 10.9191453, MDURATION 5.73567) where LibreOffice, which measures the time
    by YEARFRAC, gives 5.73392; it is computed for basis 1 only, the basis of those
    examples.

    >>> s, m = Day.of(dt.date(2018, 7, 1), 1), Day.of(dt.date(2048, 1, 1), 1)
    >>> round(duration(Bond(s, m, 2, 1, _EPOCHS["1900"]), 0.08, 0.09), 7)
    10.9191453
    """
    n, f = b.coupons(), b.frequency
    first = b.days_after() / b.days()
    cash, rate = 100.0 * coupon / f, 1.0 + yld / f
    weighted = value = 0.0
    for k in range(1, n + 1):
        t = k - 1 + first
        flow = cash + (100.0 if k == n else 0.0)
        pv = flow / rate**t
        weighted += t * pv
        value += pv
    return weighted / value / f


def _duration_function(name: str, modified: bool) -> Callable[[str], Any]:
    def build(date_system: str) -> Any:
        epoch = _EPOCHS[date_system]

        @excel_function(name)
        def call(
            settlement: Any, maturity: Any, coupon: Any, yld: Any, frequency: Any, basis: Any = 0.0
        ) -> float:
            from ._args import number

            b = bond(settlement, maturity, frequency, basis, epoch)
            if b.basis != 1:
                raise NotComputed("basis other than 1 (only actual/actual is checked)")
            c, y = number(coupon, "coupon"), number(yld, "yld")
            if c < 0 or y < 0:
                raise ExcelError("Num")
            d = duration(b, c, y)
            return d / (1.0 + y / b.frequency) if modified else d

        return call

    build.needs_date_system = True  # type: ignore[attr-defined]
    return build


FUNCTIONS = {
    "COUPDAYBS": (_coupon_function("COUPDAYBS", Bond.days_before), 3, 4),
    "COUPDAYS": (_coupon_function("COUPDAYS", Bond.days), 3, 4),
    "COUPDAYSNC": (_coupon_function("COUPDAYSNC", Bond.days_after), 3, 4),
    "COUPNCD": (_coupon_function("COUPNCD", lambda b: b.serial(b.ncd())), 3, 4),
    "COUPPCD": (_coupon_function("COUPPCD", lambda b: b.serial(b.pcd())), 3, 4),
    "COUPNUM": (_coupon_function("COUPNUM", lambda b: float(b.coupons())), 3, 4),
    "DURATION": (_duration_function("DURATION", False), 5, 6),
    "MDURATION": (_duration_function("MDURATION", True), 5, 6),
}
