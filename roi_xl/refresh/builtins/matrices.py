"""Excel's matrix functions: MMULT, MINVERSE, MDETERM, MUNIT.

MINVERSE and MDETERM use NumPy's LU factorisation with partial pivoting (LAPACK
``getrf``), the method Excel's own answers show: ``MDETERM({1,2,3;4,5,6;7,8,9})`` is
6.66E-16 in Excel, as in NumPy, not 0. A matrix whose condition number is large makes the
last digits depend on the order of operations, so such matrices are not computed.
MMULT sums each product left to right, as a plain loop does (no BLAS reordering).
"""

from __future__ import annotations

from typing import Any

from ._args import ExcelError, NotComputed, check_errors, excel_function, grid, integer

#: Beyond this condition number the inverse's (or determinant's) trailing digits depend on
#: the pivoting and summation order, so our digits may not be Excel's.
MAX_CONDITION = 1e8


def _numbers(value: Any) -> list[list[float]]:
    """A numeric array: a blank, text or logical cell is ``#VALUE!`` (Excel's rule for
    matrix functions); an error cell: not computed (which error Excel gives is unsure)."""
    rows = grid(value)
    out = []
    for row in rows:
        line = []
        for v in row:
            if isinstance(v, dict):
                raise NotComputed("an error value inside the array")
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise ExcelError("Value")
            line.append(float(v))
        out.append(line)
    if len({len(r) for r in out}) != 1:
        raise ExcelError("Value")
    return out


@excel_function("MMULT")
def mmult(array1: Any, array2: Any) -> list[list[float]]:
    """The matrix product; ``#VALUE!`` when array1's columns are not array2's rows.

    >>> mmult([[1.0, 3.0], [7.0, 2.0]], [[2.0, 0.0], [0.0, 2.0]])
    [[2.0, 6.0], [14.0, 4.0]]
    """
    check_errors(*(v for v in (array1, array2) if not isinstance(v, list)))
    a, b = _numbers(array1), _numbers(array2)
    if len(a[0]) != len(b):
        raise ExcelError("Value")
    columns = list(zip(*b))
    out = []
    for row in a:
        line = []
        for col in columns:
            total = 0.0
            for x, y in zip(row, col):
                total += x * y
            line.append(total)
        out.append(line)
    return out


def _square(value: Any) -> Any:
    import numpy as np

    check_errors(value)
    m = np.array(_numbers(value))
    if m.shape[0] != m.shape[1]:
        raise ExcelError("Value")
    return m


def _conditioned(m: Any) -> None:
    import numpy as np

    cond = np.linalg.cond(m)
    if not np.isfinite(cond) or cond > MAX_CONDITION:
        raise NotComputed("the matrix is (nearly) singular: its digits depend on rounding")


@excel_function("MDETERM")
def mdeterm(array: Any) -> float:
    """The determinant (Microsoft's example: 88).

    >>> round(mdeterm([[1.0, 3, 8, 5], [1, 3, 6, 1], [1, 1, 1, 0], [7, 3, 10, 2]]), 9)
    88.0
    """
    import numpy as np

    m = _square(array)
    _conditioned(m)
    return float(np.linalg.det(m))


@excel_function("MINVERSE")
def minverse(array: Any) -> list[list[float]]:
    """The inverse matrix; ``#NUM!`` for a singular one.

    >>> minverse([[4.0, -1.0], [2.0, 0.0]])
    [[0.0, 0.5], [-1.0, 2.0]]
    """
    import numpy as np

    m = _square(array)
    if np.linalg.det(m) == 0:
        raise ExcelError("Num")
    _conditioned(m)
    inverse = np.linalg.inv(m)
    return [[float(x) + 0.0 for x in row] for row in inverse]


@excel_function("MUNIT")
def munit(dimension: Any) -> list[list[float]]:
    """The identity matrix of that size; ``#VALUE!`` below 1.

    >>> munit(2.0)
    [[1.0, 0.0], [0.0, 1.0]]
    """
    check_errors(dimension)
    n = integer(dimension, "dimension")
    if n < 1:
        raise ExcelError("Value")
    if n > 16384:
        raise NotComputed("larger than a sheet")
    return [[1.0 if i == j else 0.0 for j in range(n)] for i in range(n)]


FUNCTIONS = {"MMULT": (mmult, 2, 2), "MDETERM": (mdeterm, 1, 1), "MINVERSE": (minverse, 1, 1),
             "MUNIT": (munit, 1, 1)}  # fmt: skip
