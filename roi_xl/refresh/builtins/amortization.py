"""Excel's AMORLINC: straight-line depreciation in the French accounting system, the
first period prorated by the year fraction from purchase to the end of that period."""

from __future__ import annotations

from typing import Any

from ._args import ExcelError, NotComputed, check_errors, excel_function, integer, number
from .bonds import _EPOCHS, _date
from .discount import yearfrac


def amorlinc_value(
    cost: float, first_years: float, salvage: float, period: int, rate: float
) -> float:
    """The depreciation of ``period`` (0: the prorated first one). Microsoft's example:
    cost 2400, purchase 19 Aug 2008, first period ending 31 Dec 2008 (0.3682 years on
    basis 1), salvage 300, rate 15 %: 360 in period 1.

    >>> amorlinc_value(2400.0, 0.3681318681318681, 300.0, 1, 0.15)
    360.0
    """
    full = cost * rate
    first = first_years * rate * cost
    whole = int((cost - salvage - first) / full)
    if period == 0:
        return first
    if period <= whole:
        return full
    if period == whole + 1:
        return cost - salvage - full * whole - first
    return 0.0


def _build(date_system: str) -> Any:
    epoch = _EPOCHS[date_system]

    @excel_function("AMORLINC")
    def amorlinc(
        cost: Any,
        date_purchased: Any,
        first_period: Any,
        salvage: Any,
        period: Any,
        rate: Any,
        basis: Any = None,
    ) -> float:
        """Excel's AMORLINC."""
        check_errors(cost, date_purchased, first_period, salvage, period, rate, basis)
        c, s, r = number(cost, "cost"), number(salvage, "salvage"), number(rate, "rate")
        p, b = number(period, "period"), integer(basis, "basis")
        bought = _date(date_purchased, epoch, "date_purchased")
        first = _date(first_period, epoch, "first_period")
        if not 0 <= b <= 4 or c <= 0 or s < 0 or s > c or r <= 0 or p < 0:
            raise ExcelError("Num")
        if b == 2:  # Microsoft's page lists bases 0, 1, 3, 4 only
            raise NotComputed("basis 2, which Microsoft does not list for AMORLINC")
        if not bought < first:
            raise NotComputed("a first period that does not end after the purchase")
        if not p.is_integer():
            raise NotComputed("a fractional period")
        return amorlinc_value(c, yearfrac(bought, first, b), s, int(p), r)

    return amorlinc


_build.needs_date_system = True  # type: ignore[attr-defined]

FUNCTIONS = {"AMORLINC": (_build, 6, 7)}
