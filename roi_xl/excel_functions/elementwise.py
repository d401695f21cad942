"""A ``*_checked`` library function run over Excel-broadcast number grids: the kernel of
every function computed element by element (``each(...)`` in the table)."""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from .._checked import Checked
from ..errors import ExcelError
from .coerce import NumberGrid, broadcast, to_excel
from .result import Result


def elementwise(checked: Callable[..., Checked], args: Sequence[Any]) -> Result:
    """Run a ``*_checked`` library function over the grids in ``args``, broadcast.

    Examples
    --------
    >>> from roi_xl.metrics import roi_checked
    >>> from roi_xl.excel_functions.coerce import to_grid
    >>> elementwise(roi_checked, [to_grid([[10], [20]]), to_grid(0), to_grid(5), "net"]).value
    [[1.0], [3.0]]
    """
    grids = [a for a in args if isinstance(a, NumberGrid)]
    values, input_codes, ndim = broadcast(grids)
    arrays = iter(values)
    result = checked(*(next(arrays) if isinstance(a, NumberGrid) else a for a in args))
    codes = result.error
    why: Any = result
    if input_codes is not None:
        codes = input_codes if codes is None else np.where(input_codes != 0, input_codes, codes)
        why = _input_problem(grids) or result
    return Result(to_excel(result.value, codes, ndim), why)


def _input_problem(grids: list[NumberGrid]) -> str | None:
    """The leftmost argument holding an error value or text (its error wins, as in Excel)."""
    for g in grids:
        if g.codes is not None and g.codes.any():
            code = ExcelError(int(g.codes[g.codes != 0][0]))
            if code is ExcelError.VALUE:
                return f"{g.argument} is text that is not a number (or a #VALUE! error)"
            if code is ExcelError.NUM:
                return f"{g.argument} is not a finite number (or a #NUM! error)"
            return f"{g.argument} is the error value {code.text}"
    return None
