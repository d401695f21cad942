"""roi_xl's Excel functions for xlwings: put ``roi_udfs`` in xlwings' "UDF Modules".

Every function of the table :data:`roi_xl.excel_functions.FUNCTIONS` is defined here, named
as in Excel, with the table's parameters, defaults and help in both languages (see
:func:`roi_xl.excel_functions.python_function`); it hands its arguments to the table entry
(coercion, error values, the library's arithmetic). The same module serves classic
xlwings on Windows (``xw.func``) and xlwings' Office.js runtime (xlwings Lite and Server,
on Mac and the web), where xlwings turns the returned error texts (``"#DIV/0!"``) into
real Excel errors; classic Windows UDFs cannot return real error values (xlwings issue
#776), so there the cell shows the error as text.

Every range argument arrives two-dimensional (``ndim=2``) so a column stays a column, and
error cells arrive as their text (``err_to_str=True``) so they propagate.

>>> import inspect, roi_udfs
>>> inspect.signature(roi_udfs.ROI)
<Signature (revenue, cost_of_sales, investment, basis='net')>
"""

from __future__ import annotations

from typing import Any, Callable

import xlwings as xw

from roi_xl.excel_functions import FUNCTIONS, ExcelFunction, python_function
from roi_xl.i18n import language


def _udf(entry: ExcelFunction) -> Callable[..., Any]:
    """The xlwings UDF for one table entry."""
    lang = language()
    func = python_function(entry, __name__)
    func.__doc__ = entry.doc(lang)
    for param in entry.params:
        func = xw.arg(param.name, ndim=2, err_to_str=True, doc=param.doc(lang))(func)
    return xw.func(category="roi_xl")(func)


globals().update({name: _udf(entry) for name, entry in FUNCTIONS.items()})
__all__ = list(FUNCTIONS)
