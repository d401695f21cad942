"""Excel's dynamic-array shapers the engine lacks: WRAPROWS, WRAPCOLS, EXPAND, TRIMRANGE.

(TAKE, DROP, VSTACK, HSTACK, CHOOSECOLS, CHOOSEROWS, TOCOL and TOROW are the engine's.)
The engine hands an omitted argument over as 0, so where Excel's answer for 0 differs from
its default (EXPAND's rows, TRIMRANGE's modes) a 0 is not computed.
"""

from __future__ import annotations

from typing import Any

from ._args import ExcelError, NotComputed, check_errors, excel_function, grid, integer

#: Excel's #N/A, the default padding of WRAPROWS, WRAPCOLS and EXPAND.
NA = {"type": "Error", "kind": "Na"}
MAX_ROWS, MAX_COLS = 1_048_576, 16_384
#: An argument the formula does not give (told from a blank cell, which the engine gives as None).
OMITTED: Any = object()


def _vector(value: Any) -> list[Any]:
    rows = grid(value)
    if len(rows) == 1:
        return rows[0]
    if all(len(r) == 1 for r in rows):
        return [r[0] for r in rows]
    raise ExcelError("Value")  # WRAPROWS/WRAPCOLS take one row or one column


def _pad(pad: Any) -> Any:
    if isinstance(pad, list):
        raise NotComputed("pad_with is an array")
    return pad


def _count(wrap_count: Any) -> int:
    check_errors(wrap_count)
    n = integer(wrap_count, "wrap_count")
    if n < 1:
        raise ExcelError("Num")
    return n


@excel_function("WRAPROWS")
def wraprows(vector: Any, wrap_count: Any, pad_with: Any = NA) -> list[list[Any]]:
    """A row or column wrapped into rows of ``wrap_count`` values, the last one padded.

    >>> wraprows([["A", "B", "C", "D", "E"]], 2.0, "x")
    [['A', 'B'], ['C', 'D'], ['E', 'x']]
    """
    check_errors(*(v for v in (vector,) if not isinstance(v, list)))
    values, n, pad = _vector(vector), _count(wrap_count), _pad(pad_with)
    rows = [values[i : i + n] for i in range(0, len(values), n)]
    rows[-1] += [pad] * (n - len(rows[-1]))
    return rows


@excel_function("WRAPCOLS")
def wrapcols(vector: Any, wrap_count: Any, pad_with: Any = NA) -> list[list[Any]]:
    """A row or column wrapped into columns of ``wrap_count`` values.

    >>> wrapcols([["A", "B", "C"]], 2.0, 0.0)
    [['A', 'C'], ['B', 0.0]]
    """
    check_errors(*(v for v in (vector,) if not isinstance(v, list)))
    values, n, pad = _vector(vector), _count(wrap_count), _pad(pad_with)
    cols = [values[i : i + n] for i in range(0, len(values), n)]
    cols[-1] += [pad] * (n - len(cols[-1]))
    return [list(r) for r in zip(*cols)]


def _size(value: Any, least: int, what: str, most: int) -> int:
    if value is None:
        raise NotComputed(f"{what} is a blank cell")
    check_errors(value)
    n = integer(value, what)
    if n == 0:
        raise NotComputed(f"{what} is 0 or omitted (the engine hands both over as 0)")
    if n < least:
        raise ExcelError("Value")
    if n > most:
        raise ExcelError("Num")
    return n


@excel_function("EXPAND")
def expand(array: Any, rows: Any, columns: Any = OMITTED, pad_with: Any = NA) -> list[list[Any]]:
    """The array grown to ``rows`` x ``columns``, new cells ``pad_with`` (default #N/A);
    fewer rows or columns than the array's: ``#VALUE!``.

    >>> expand([[1.0, 2.0], [3.0, 4.0]], 3.0, 3.0, "-")
    [[1.0, 2.0, '-'], [3.0, 4.0, '-'], ['-', '-', '-']]
    """
    check_errors(*(v for v in (array,) if not isinstance(v, list)))
    data = grid(array)
    height, width = len(data), len(data[0])
    n = _size(rows, height, "rows", MAX_ROWS)
    m = width if columns is OMITTED else _size(columns, width, "columns", MAX_COLS)
    pad = _pad(pad_with)
    out = [row + [pad] * (m - width) for row in data]
    out += [[pad] * m for _ in range(n - height)]
    return out


def _blank_line(cells: list[Any]) -> bool:
    return all(v is None for v in cells)


@excel_function("TRIMRANGE")
def trimrange(range_: Any, trim_rows: Any = 3.0, trim_cols: Any = 3.0) -> list[list[Any]]:
    """The range without its leading and/or trailing blank rows and columns (mode 0: none,
    1: leading, 2: trailing, 3: both, the default).

    >>> trimrange([[None, None], [1.0, None], [None, None]])
    [[1.0]]
    """
    modes = []
    for value, what in ((trim_rows, "trim_rows"), (trim_cols, "trim_cols")):
        check_errors(value)
        mode = integer(value, what)
        if mode == 0:
            raise NotComputed(f"{what} is 0 or omitted (the engine hands both over as 0)")
        if mode not in (1, 2, 3):
            raise ExcelError("Value")
        modes.append(mode)
    data = grid(range_)
    if all(_blank_line(r) for r in data):
        raise NotComputed("the range is all blank")
    top, bottom, left, right = 0, len(data), 0, len(data[0])
    if modes[0] & 1:
        while _blank_line(data[top]):
            top += 1
    if modes[0] & 2:
        while _blank_line(data[bottom - 1]):
            bottom -= 1
    cols = [list(c) for c in zip(*data[top:bottom])]
    if modes[1] & 1:
        while _blank_line(cols[left]):
            left += 1
    if modes[1] & 2:
        while _blank_line(cols[right - 1]):
            right -= 1
    return [row[left:right] for row in data[top:bottom]]


FUNCTIONS = {"WRAPROWS": (wraprows, 2, 3), "WRAPCOLS": (wrapcols, 2, 3),
             "EXPAND": (expand, 2, 4), "TRIMRANGE": (trimrange, 1, 3)}  # fmt: skip
