"""Excel's AMORLINC and AMORDEGRC: depreciation in the French accounting system, the first
period prorated by the year fraction from purchase to the end of that period; AMORLINC
straight-line, AMORDEGRC declining balance with a coefficient set by the asset's life.

AMORDEGRC follows the algorithm LibreOffice and Gnumeric share (OpenOffice's
``scaddins/source/analysis/analysishelper.cxx``, ``GetAmordegrc``), checked against
Microsoft's example (776) and LibreOffice on many more. Not computed (the cell keeps
Excel's value): a life (1 / rate) outside the open ranges of Microsoft's table (3–4
years: 1.5; 5–6: 2; more than 6: 2.5), that is up to 3 years, from 4 to 5, and exactly 3,
4 or 5: the page says #NUM! for "between 0 and 1, 1 and 2, 2 and 3, or 4 and 5" where
LibreOffice takes a coefficient (1 below 3 years, 1.5 from 4 to 5), and it does not say
which side of a border wins; and a depreciation within a rounding error of a half (an
exact half rounds away from zero, as Excel's ROUND, LibreOffice and Gnumeric do).
"""

from __future__ import annotations

import math
from typing import Any, Callable

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


def _coefficient(rate: float) -> float:
    """AMORDEGRC's coefficient for the asset's life, 1 / ``rate`` (Microsoft's table)."""
    life = 1.0 / rate
    if 3 < life < 4:
        return 1.5
    if 5 < life <= 6:
        return 2.0
    if life > 6:
        return 2.5
    raise NotComputed(f"a life of {life:g} years, outside Microsoft's table or on its borders")


def _whole(x: float) -> float:
    """``x`` rounded to a whole number, half away from zero as Excel's ROUND (an exact
    half: 0.375 × 316 is 118.5, 119); not when it is a rounding error away from a half,
    where Excel's correction of the last digits decides.

    >>> _whole(118.5), _whole(776.25), _whole(2.5 * 0.15 * 316)
    (119.0, 776.0, 119.0)
    >>> _whole(0.375 * 140.00000000000003)  # 52.500000000000014
    Traceback (most recent call last):
    ...
    roi_xl.errors.NotComputed: a depreciation a rounding error away from a half
    """
    frac = abs(x - math.trunc(x))
    if frac != 0.5 and abs(frac - 0.5) < 1e-9 * max(1.0, abs(x)):
        raise NotComputed("a depreciation a rounding error away from a half")
    return float(math.floor(abs(x) + 0.5)) * (1.0 if x >= 0 else -1.0)


def amordegrc_value(
    cost: float, first_years: float, salvage: float, period: int, rate: float
) -> float:
    """The depreciation of ``period`` (0: the prorated first one), each rounded to a whole
    number; the period before the asset is written down takes half of what is left, the
    ones after 0. Microsoft's example (the one of :func:`amorlinc_value`): 776.

    >>> amordegrc_value(2400.0, 0.3681318681318681, 300.0, 1, 0.15)
    776.0
    """
    rate *= _coefficient(rate)
    amount = _whole(first_years * rate * cost)
    cost -= amount
    rest = cost - salvage
    for n in range(period):
        amount = _whole(rate * cost)
        rest -= amount
        if rest < 0.0:
            return _whole(cost * 0.5) if period - n <= 1 else 0.0
        cost -= amount
    return amount


def _callback(
    name: str, value: Callable[[float, float, float, int, float], float], epoch: Any
) -> Any:
    @excel_function(name)
    def call(
        cost: Any,
        date_purchased: Any,
        first_period: Any,
        salvage: Any,
        period: Any,
        rate: Any,
        basis: Any = None,
    ) -> float:
        """Excel's AMORLINC or AMORDEGRC (``name``)."""
        check_errors(cost, date_purchased, first_period, salvage, period, rate, basis)
        c, s, r = number(cost, "cost"), number(salvage, "salvage"), number(rate, "rate")
        p, b = number(period, "period"), integer(basis, "basis")
        bought = _date(date_purchased, epoch, "date_purchased")
        first = _date(first_period, epoch, "first_period")
        if not 0 <= b <= 4 or c <= 0 or s < 0 or s > c or r <= 0 or p < 0:
            raise ExcelError("Num")
        if b == 2:  # Microsoft's pages list bases 0, 1, 3, 4 only
            raise NotComputed(f"basis 2, which Microsoft does not list for {name}")
        if not bought < first:
            raise NotComputed("a first period that does not end after the purchase")
        if not p.is_integer():
            raise NotComputed("a fractional period")
        return value(c, yearfrac(bought, first, b), s, int(p), r)

    return call


def _build(name: str, value: Callable[[float, float, float, int, float], float]) -> Any:
    def build(date_system: str) -> Any:
        return _callback(name, value, _EPOCHS[date_system])

    build.needs_date_system = True  # type: ignore[attr-defined]
    return build


FUNCTIONS = {
    "AMORLINC": (_build("AMORLINC", amorlinc_value), 6, 7),
    "AMORDEGRC": (_build("AMORDEGRC", amordegrc_value), 6, 7),
}
