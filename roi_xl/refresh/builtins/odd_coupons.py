"""Excel's ODDLPRICE and ODDLYIELD: a bond whose last coupon period is odd.

Microsoft's formula sums over the quasi-coupon periods of the odd period, each day count
over that period's normal length NL. Where NL is the same for every period (30/360 bases
0 and 4, actual/360 and actual/365 bases 2 and 3) the sums are the whole period's days
over NL, which is what is computed here. Basis 1 (periods of unequal lengths) is not
computed, nor are 30/360 dates after the 28th of a month (where day counts stop adding
up across periods).
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


def _build(name: str, price: bool):
    def build(date_system: str) -> Any:
        epoch = _EPOCHS[date_system]

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

        call.__doc__ = f"Excel's {name}."
        return call

    build.needs_date_system = True  # type: ignore[attr-defined]
    return build


FUNCTIONS = {
    "ODDLPRICE": (_build("ODDLPRICE", True), 7, 8),
    "ODDLYIELD": (_build("ODDLYIELD", False), 7, 8),
}
