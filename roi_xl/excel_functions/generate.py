"""Real Python functions made from table entries, for runtimes that inspect them.

xlwings reads a UDF's name, parameters and defaults with :func:`inspect.signature` (its
VBA generator and the Office.js metadata both do), so each Excel function becomes a plain
function whose signature is the table's, e.g. ``ROI(revenue, cost_of_sales, investment,
basis='net')``. The source is generated and compiled, as :func:`collections.namedtuple`
does, because only a real ``def`` has real parameters (keyword calls included).
"""

from __future__ import annotations

from typing import Any, Callable

from .spec import ExcelFunction


def python_function(entry: ExcelFunction, module: str) -> Callable[..., Any]:
    """A function named as in Excel that hands its arguments to ``entry``.

    Parameters
    ----------
    entry : ExcelFunction
        The table entry.
    module : str
        The module the function is to belong to (``__module__``).

    Returns
    -------
    function
        Parameters and defaults as in the table (an optional parameter without a default
        defaults to ``None``); the docstring is the entry's help in both languages.

    Examples
    --------
    >>> import inspect
    >>> from roi_xl.excel_functions import FUNCTIONS
    >>> roi = python_function(FUNCTIONS["ROI"], "roi_udfs")
    >>> inspect.signature(roi)
    <Signature (revenue, cost_of_sales, investment, basis='net')>
    >>> round(roi(10_000_000, 3_500_000, 2_720_000), 4)
    1.3897
    """
    names = [p.name for p in entry.params]
    defaults = {f"__default_{p.name}": p.default for p in entry.params if p.optional}
    signature = ", ".join(
        f"{p.name}=__default_{p.name}" if p.optional else p.name for p in entry.params
    )
    source = f"def {entry.name}({signature}):\n    return __entry({', '.join(names)})\n"
    namespace: dict[str, Any] = {"__entry": entry, "__name__": module, **defaults}
    exec(compile(source, f"<{module}.{entry.name}>", "exec"), namespace)
    function = namespace[entry.name]
    function.__doc__ = entry.doc()
    return function
