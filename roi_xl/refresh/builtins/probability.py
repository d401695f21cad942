"""Excel's PERMUTATIONA and PROB."""

from __future__ import annotations

import math
from typing import Any

from ._args import ExcelError, NotComputed, check_errors, excel_function, grid, integer, number


@excel_function("PERMUTATIONA")
def permutationa(n: Any, k: Any) -> float:
    """Arrangements of ``k`` of ``n`` objects with repetition: n**k, both truncated
    (Microsoft's examples: 9 and 8).

    >>> permutationa(3.0, 2.0), permutationa(2.0, 3.0)
    (9.0, 8.0)
    """
    a, b = integer(n, "number"), integer(k, "number_chosen")
    if a < 0 or b < 0:
        raise ExcelError("Num")
    return float(a) ** b


def _numbers(value: Any, what: str) -> list[float]:
    out = []
    for row in grid(value):
        for v in row:
            check_errors(v)
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise NotComputed(f"{what} holds text, a logical or a blank")
            out.append(float(v))
    return out


@excel_function("PROB")
def prob(x_range: Any, prob_range: Any, lower_limit: Any, upper_limit: Any = None) -> float:
    """The probability that a value of ``x_range`` lies between the limits (equals
    ``lower_limit`` without an upper one); the probabilities must be in (0, 1] and sum to
    1 (else ``#NUM!``), the ranges of one size (else ``#N/A``). Microsoft's examples:

    >>> prob([[0.0, 1.0, 2.0, 3.0]], [[0.2, 0.3, 0.1, 0.4]], 2.0)
    0.1
    >>> round(prob([[0.0, 1.0, 2.0, 3.0]], [[0.2, 0.3, 0.1, 0.4]], 1.0, 3.0), 12)
    0.8
    """
    xs, ps = _numbers(x_range, "x_range"), _numbers(prob_range, "prob_range")
    lo = number(lower_limit, "lower_limit")
    hi = lo if upper_limit is None else number(upper_limit, "upper_limit")
    if hi < lo:  # LibreOffice swaps the limits; Microsoft does not say
        raise NotComputed("an upper limit below the lower one")
    if len(xs) != len(ps):
        raise ExcelError("Na")
    if any(p <= 0 or p > 1 for p in ps):
        raise ExcelError("Num")
    gap = abs(math.fsum(ps) - 1.0)
    if gap > 1e-9:
        raise ExcelError("Num")
    if gap > 1e-15:
        raise NotComputed("probabilities whose sum is 1 only to rounding")
    return sum(p for x, p in zip(xs, ps) if lo <= x <= hi)


FUNCTIONS = {"PERMUTATIONA": (permutationa, 2, 2), "PROB": (prob, 3, 4)}
