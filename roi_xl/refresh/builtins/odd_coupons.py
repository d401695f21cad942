"""Excel's ODDLPRICE and ODDLYIELD (a bond whose last coupon period is odd) and
ODDFPRICE and ODDFYIELD (whose first period is odd, short or long).

Microsoft's formula sums over the quasi-coupon periods of the odd period, each day count
over that period's normal length NL. Where NL is the same for every period (30/360 bases
0 and 4, actual/360 and actual/365 bases 2 and 3) the sums are the whole period's days
over NL, which is what is computed here. Basis 1 (periods of unequal lengths) is not
computed, nor are 30/360 dates after the 28th of a month (where day counts stop adding
up across periods).

ODDFPRICE follows Microsoft's two formulas (odd short and odd long first coupon,
https://support.microsoft.com/en-us/excel/functions/oddfprice-function), written as one:
with v = 1 + yld/frequency, C = 100 × rate/frequency, T the time from settlement to the
first coupon in quasi-coupon periods (Nq + DSC/E), N the regular coupons after the first,

    price = redemption / v^(N+T) + C × odd / v^T + Σ_{k=1..N} C / v^(k+T) − C × accrued

where ``odd`` (DFC/E, or ΣDC_i/NL_i) and ``accrued`` (A/E, or ΣA_i/NL_i) count the odd
period's and the accrued days in quasi-coupon periods, each over its normal length (on
basis 1 the actual length of that quasi-coupon period). ODDFYIELD is the yield at which
that price is ``pr`` (Microsoft: "Newton's method based on the formula used for
ODDFPRICE"), solved to full precision. Not computed: a maturity off the first coupon's
schedule; a negative yield; on bases 2 and 3 a settlement more than a quasi-coupon
period before the first coupon (a whole period's actual days over its normal length, in
Microsoft's words, or 1, in Gnumeric's); an odd long first period on basis 1 (Microsoft's sum over quasi-coupon
periods of unequal lengths and Gnumeric's days over one period's length part, and
nothing here tells which Excel computes); (as for ODDL*) 30/360 dates after the 28th;
and on every basis a first coupon after the 28th (the month-end rule of the
quasi-coupon dates is unchecked).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ._args import ExcelError, NotComputed, check_errors, excel_function, integer, number
from .bonds import _EPOCHS, _date
from .discount import yearfrac


def _periods(last: dt.date, settle: dt.date, maturity: dt.date, basis: int, f: int):
    """(DC, DSC, A): the odd period's days, settlement to maturity, and accrued, each
    over the normal coupon period's length."""
    if basis == 1:
        raise NotComputed("basis 1: quasi-coupon periods of unequal lengths")
    if basis in (0, 4) and max(last.day, settle.day, maturity.day) > 28:
        raise NotComputed("30/360 dates after the 28th of a month")
    return tuple(
        yearfrac(a, b, basis) * f for a, b in ((last, maturity), (settle, maturity), (last, settle))
    )


def _arguments(epoch, settlement, maturity, last_interest, rate, x, redemption, frequency, basis):
    check_errors(settlement, maturity, last_interest, rate, x, redemption, frequency, basis)
    s, m = _date(settlement, epoch, "settlement"), _date(maturity, epoch, "maturity")
    last = _date(last_interest, epoch, "last_interest")
    r, v, red = number(rate, "rate"), number(x, "yld or pr"), number(redemption, "redemption")
    f, b = integer(frequency, "frequency"), integer(basis, "basis")
    if not last < s < m or f not in (1, 2, 4) or not 0 <= b <= 4 or r < 0 or red <= 0:
        raise ExcelError("Num")
    return _periods(last, s, m, b, f), r, v, red, f


def _dated(name: str, make: Any) -> Any:
    """The builder ``builtins.callbacks`` calls with the date system: ``make(epoch)``'s
    callback, documented as Excel's ``name``."""

    def build(date_system: str) -> Any:
        call = make(_EPOCHS[date_system])
        call.__doc__ = f"Excel's {name}."
        return call

    build.needs_date_system = True  # type: ignore[attr-defined]
    return build


def _build(name: str, price: bool):
    def make(epoch: dt.date) -> Any:

        @excel_function(name)
        def call(
            settlement: Any, maturity: Any, last_interest: Any, rate: Any, x: Any,
            redemption: Any, frequency: Any, basis: Any = None,
        ) -> float:  # fmt: skip
            (dc, dsc, a), r, v, red, f = _arguments(
                epoch, settlement, maturity, last_interest, rate, x, redemption, frequency, basis
            )
            coupon = 100.0 * r / f
            if price:
                if v < 0:
                    raise ExcelError("Num")
                return (red + dc * coupon) / (1.0 + dsc * v / f) - a * coupon
            if v <= 0:
                raise ExcelError("Num")
            return ((red + dc * coupon) / (v + a * coupon) - 1.0) * f / dsc

        return call

    return _dated(name, make)


class OddFirst:
    """A bond whose first period is odd, as ODDFPRICE and ODDFYIELD read it."""

    def __init__(
        self, settle: dt.date, maturity: dt.date, issue: dt.date, first: dt.date,
        rate: float, redemption: float, frequency: int, basis: int,
    ) -> None:  # fmt: skip
        if not issue < settle < first < maturity:
            raise ExcelError("Num")
        if first.day > 28 or basis in (0, 4) and max(d.day for d in (settle, issue, maturity)) > 28:
            raise NotComputed("a date after the 28th (month-end rules of the coupon dates)")
        self.months, self.basis, self.f = 12 // frequency, basis, frequency
        months = (maturity.year - first.year) * 12 + maturity.month - first.month
        if months % self.months or maturity.day != first.day:
            raise NotComputed("a maturity off the first coupon's schedule")
        self.first, self.regular = first, months // self.months
        if basis == 1 and issue < self._quasi(1):
            # odd long on basis 1: Microsoft sums DC_i/NL_i over quasi-coupon periods of
            # unequal lengths, Gnumeric takes the days over one period's: unchecked
            raise NotComputed("an odd long first period on basis 1")
        if basis in (2, 3) and settle < self._quasi(1):
            # a whole quasi-coupon period of 181-184 actual days: DC_i/NL_i (Microsoft's
            # words) or 1 (Gnumeric's)? unchecked
            raise NotComputed("actual days and a whole quasi-coupon period before the first")
        self.coupon, self.redemption = 100.0 * rate / frequency, redemption
        self.to_first = self.periods(settle, first)
        self.odd, self.accrued = self.periods(issue, first), self.periods(issue, settle)

    def _quasi(self, j: int) -> dt.date:
        """The quasi-coupon date ``j`` periods before the first coupon."""
        year, month = divmod(self.first.year * 12 + self.first.month - 1 - j * self.months, 12)
        if year < 1:
            raise ExcelError("Num")
        return dt.date(year, month + 1, self.first.day)

    def _days(self, a: dt.date, b: dt.date) -> float:
        if self.basis in (0, 4):  # every day is the 28th or before: plain 30/360
            return float(360 * (b.year - a.year) + 30 * (b.month - a.month) + b.day - a.day)
        return float((b - a).days)

    def periods(self, start: dt.date, end: dt.date) -> float:
        """From ``start`` to ``end`` (the first coupon at the latest) in quasi-coupon
        periods, each period's days over its normal length."""
        if self.basis != 1:
            normal = (365.0 if self.basis == 3 else 360.0) / self.f
            return self._days(start, end) / normal
        total, j = 0.0, 0
        while True:
            lo, hi = self._quasi(j + 1), self._quasi(j)
            if hi <= start:
                return total
            if lo < end:
                total += (min(end, hi) - max(start, lo)).days / (hi - lo).days
            j += 1

    def price(self, yld: float) -> float:
        v = 1.0 + yld / self.f
        if v <= 0:
            raise ExcelError("Num")
        t, n, c = self.to_first, self.regular, self.coupon
        coupons = sum(c / v ** (k + t) for k in range(1, n + 1))
        return self.redemption / v ** (n + t) + c * self.odd / v**t + coupons - c * self.accrued

    def yield_(self, price: float) -> float:
        """The yield whose price is ``price``: Newton's method from 10 %, bisection as the
        fallback (the price falls as the yield rises)."""
        lo, hi, y = -self.f + 1e-9, 10.0, 0.1
        for _ in range(200):
            p = self.price(y) - price
            if p == 0:
                return y
            if p > 0:
                lo = y
            else:
                hi = y
            h = 1e-7 * max(1.0, abs(y))
            slope = (self.price(y + h) - self.price(y - h)) / (2 * h)
            step = y - p / slope if slope < 0 else (lo + hi) / 2
            if not lo < step < hi:
                step = (lo + hi) / 2
            if abs(step - y) <= 1e-15 * max(1.0, abs(y)):
                return step
            y = step
        raise NotComputed("the yield did not converge")


def _build_first(name: str, price: bool):
    def make(epoch: dt.date) -> Any:

        @excel_function(name)
        def call(
            settlement: Any, maturity: Any, issue: Any, first_coupon: Any, rate: Any,
            x: Any, redemption: Any, frequency: Any, basis: Any = None,
        ) -> float:  # fmt: skip
            check_errors(settlement, maturity, issue, first_coupon, rate, x, redemption)
            check_errors(frequency, basis)
            dates = [
                _date(d, epoch, w)
                for d, w in ((settlement, "settlement"), (maturity, "maturity"),
                             (issue, "issue"), (first_coupon, "first_coupon"))
            ]  # fmt: skip
            r, v, red = (
                number(rate, "rate"),
                number(x, "yld or pr"),
                number(redemption, "redemption"),
            )
            f, b = integer(frequency, "frequency"), integer(basis, "basis")
            if f not in (1, 2, 4) or not 0 <= b <= 4 or r < 0 or red <= 0 or v < 0:
                raise ExcelError("Num")
            bond = OddFirst(*dates, r, red, f, b)
            if price:
                return bond.price(v)
            if v == 0:
                raise ExcelError("Num")
            found = bond.yield_(v)
            if found < 0:  # ODDFPRICE refuses a negative yield: Excel's answer here?
                raise NotComputed("a negative yield")
            return found

        return call

    return _dated(name, make)


FUNCTIONS = {
    "ODDLPRICE": (_build("ODDLPRICE", True), 7, 8),
    "ODDLYIELD": (_build("ODDLYIELD", False), 7, 8),
    "ODDFPRICE": (_build_first("ODDFPRICE", True), 8, 9),
    "ODDFYIELD": (_build_first("ODDFYIELD", False), 8, 9),
}
