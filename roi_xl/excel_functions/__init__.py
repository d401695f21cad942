"""The one table of Excel functions (SPEC §3) and how spreadsheet values are coerced.

>>> from roi_xl.excel_functions import FUNCTIONS
>>> round(FUNCTIONS["ROI"](10_000_000, 3_500_000, 2_720_000), 4)
1.3897
>>> FUNCTIONS["ROI"]([[1e6], [2e6]], [[0], [0]], [[5e5], [0]])
[[1.0], ['#DIV/0!']]
>>> FUNCTIONS["CPA"]("100,000", "abc")
'#VALUE!'
"""

from .coerce import ArgumentError, Grid, broadcast, cell, to_excel, to_grid
from .spec import ExcelFunction, Param
from .table import FUNCTIONS

__all__ = [
    "FUNCTIONS", "ExcelFunction", "Param", "ArgumentError", "Grid",
    "broadcast", "cell", "to_excel", "to_grid",
]
