"""The one table of Excel functions (SPEC §3) and how spreadsheet values are coerced.

>>> from roi_xl.excel_functions import FUNCTIONS
>>> round(FUNCTIONS["ROI"](10_000_000, 3_500_000, 2_720_000), 4)
1.3897
>>> FUNCTIONS["ROI"]([[1e6], [2e6]], [[0], [0]], [[5e5], [0]])
[[1.0], ['#DIV/0!']]
>>> FUNCTIONS["CPA"]("100,000", "abc")
'#VALUE!'
"""

from typing import TYPE_CHECKING

from .._lazy import attribute_loader

_WHERE = {
    "FUNCTIONS": "table",
    "ExcelFunction": "spec",
    "Param": "spec",
    "Result": "spec",
    "ArgumentError": "coerce",
    "NumberGrid": "coerce",
    "broadcast": "coerce",
    "cell": "coerce",
    "to_excel": "coerce",
    "to_grid": "coerce",
    "python_function": "generate",
}
__all__ = list(_WHERE)
__getattr__ = attribute_loader(__name__, _WHERE)

if TYPE_CHECKING:  # the lazily loaded names, for type checkers and editors
    from ..errors import ArgumentError
    from .coerce import NumberGrid, broadcast, cell, to_excel, to_grid
    from .generate import python_function
    from .spec import ExcelFunction, Param, Result
    from .table import FUNCTIONS
