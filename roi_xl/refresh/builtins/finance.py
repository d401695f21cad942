"""Excel's FVSCHEDULE and VDB.

VDB is computed for whole periods (``start_period`` and ``end_period`` integers, the
common case: a year or a month of an asset's life); a fractional period is not computed
(Excel's and LibreOffice's treatments of a part period are not documented alike).
"""

from __future__ import annotations

from typing import Any

from ._args import ExcelError, NotComputed, boolean, check_errors, excel_function, grid, number


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
        raise NotComputed("a fractional start or end period")
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


FUNCTIONS = {"FVSCHEDULE": (fvschedule, 2, 2), "VDB": (vdb, 5, 7)}
