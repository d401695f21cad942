"""Excel's FVSCHEDULE and VDB.

VDB over whole periods (``start_period`` and ``end_period`` integers, the common case: a
year or a month of an asset's life) sums the periods' declining-balance amounts, switched
to straight line when that is larger. A part period (Microsoft's example: 0 to 0.875 of
the first year, 315.00) follows the algorithm LibreOffice and Gnumeric share (OpenOffice's
``ScVDB``): the whole periods around [start, end], less the share of the first and of the
last period that lies outside it; checked against both (they agree on every case tried).
"""

from __future__ import annotations

import math
from typing import Any

from ._args import ExcelError, boolean, check_errors, excel_function, grid, number


@excel_function("FVSCHEDULE")
def fvschedule(principal: Any, schedule: Any) -> float:
    """The principal compounded by each rate in turn (blank rates are 0; Microsoft's
    example: 1.33089).

    >>> round(fvschedule(1.0, [[0.09, 0.11, 0.1]]), 5)
    1.33089
    """
    value = number(principal, "principal")
    for row in grid(schedule):
        for rate in row:
            check_errors(rate)
            if rate is None:
                continue
            if isinstance(rate, bool) or not isinstance(rate, (int, float)):
                if isinstance(schedule, list):
                    raise ExcelError("Value")  # text or a logical in the schedule range
                rate = number(rate, "schedule")
            value *= 1.0 + float(rate)
    return value


def _ddb(cost: float, salvage: float, life: float, period: int, factor: float) -> float:
    """DDB's amount for one whole period (Excel's declining balance, capped at salvage)."""
    rate = min(factor / life, 1.0)
    before = cost * (1.0 - rate) ** (period - 1) if rate < 1.0 else (cost if period == 1 else 0.0)
    after = cost * (1.0 - rate) ** period if rate < 1.0 else 0.0
    return max(before - max(after, salvage), 0.0)


@excel_function("VDB")
def vdb(
    cost: Any,
    salvage: Any,
    life: Any,
    start_period: Any,
    end_period: Any,
    factor: Any = 2.0,
    no_switch: Any = False,
) -> float:
    """Depreciation between two periods by declining balance, switching to straight line
    when that is larger (unless ``no_switch``). Microsoft's examples:

    >>> round(vdb(2400.0, 300.0, 3650.0, 0.0, 1.0), 2), round(vdb(2400.0, 300.0, 10.0, 0.0, 1.0), 2)
    (1.32, 480.0)
    >>> round(vdb(2400.0, 300.0, 120.0, 6.0, 18.0, 1.5), 2)
    311.81
    """
    c, s, n = number(cost, "cost"), number(salvage, "salvage"), number(life, "life")
    start, end = number(start_period, "start_period"), number(end_period, "end_period")
    f, keep = number(factor, "factor"), boolean(no_switch, "no_switch")
    if c < 0 or s < 0 or n <= 0 or start < 0 or end < start or end > n or f <= 0 or s > c:
        raise ExcelError("Num")
    if not (start.is_integer() and end.is_integer()):
        return _part_periods(c, s, n, start, end, f, keep)
    total, book, switched, straight = 0.0, c, False, 0.0
    for period in range(1, int(end) + 1):
        if keep:
            amount = _ddb(c, s, n, period, f)
        elif switched:
            amount = straight
        else:
            declining = _ddb(c, s, n, period, f)
            straight = (book - s) / (n - (period - 1))
            switched = straight > declining
            amount = straight if switched else declining
        book -= amount
        if period > start:
            total += amount
    return total


def _declining(
    cost: float, salvage: float, life: float, life1: float, period: float, factor: float
) -> float:
    """Depreciation over the first ``period`` periods (a part of the last one counts its
    share), switching to straight line over what is left of ``life1``."""
    total, rest, straight, switched = 0.0, cost - salvage, 0.0, False
    last = math.ceil(period)
    for i in range(1, last + 1):
        if switched:
            amount = straight
        else:
            declining = _ddb(cost, salvage, life, i, factor)
            straight = rest / (life1 - (i - 1))
            switched = straight > declining
            amount = straight if switched else declining
            if not switched:
                rest -= declining
        if i == last:
            amount *= period + 1.0 - last
        total += amount
    return total


def _part_periods(
    cost: float, salvage: float, life: float, start: float, end: float, factor: float, keep: bool
) -> float:
    """VDB when ``start`` or ``end`` is a part period (OpenOffice's ``ScVDB``)."""
    first, last = math.floor(start), math.ceil(end)
    if keep:  # no switch: each period's declining balance, the part ones in proportion
        total = 0.0
        for i in range(first + 1, last + 1):
            amount = _ddb(cost, salvage, life, i, factor)
            if i == first + 1:
                amount *= min(end, first + 1.0) - start
            elif i == last:
                amount *= end + 1.0 - last
            total += amount
        return total
    # the whole periods from the first to the last, less the parts of the first and the
    # last period outside [start, end], each from the book value at its period's start
    part = 0.0
    for whole, outside in ((first, start - first), (last - 1, last - end)):
        if outside:
            book = cost - _declining(cost, salvage, life, life, whole, factor)
            part += outside * _declining(book, salvage, life, life - whole, 1.0, factor)
    book = cost - _declining(cost, salvage, life, life, first, factor)
    return _declining(book, salvage, life, life - first, last - first, factor) - part


FUNCTIONS = {"FVSCHEDULE": (fvschedule, 2, 2), "VDB": (vdb, 5, 7)}
