"""Read the cached values behind a workbook's defined names (what the templates expose)."""

from __future__ import annotations

import os
from typing import Any, Iterable

from .errors import UnknownNameError


def named_values(
    path: str | os.PathLike[str], names: Iterable[str] | None = None
) -> dict[str, Any]:
    """``{defined name: cached value}`` for a workbook; a name over several cells gives a
    list. Reads cached values only (run ``roi-xl refresh`` first for files without them).

    Parameters
    ----------
    path : path-like
        An .xlsx/.xlsm file.
    names : iterable of str, optional
        The defined names to read; default all of them.

    Returns
    -------
    dict
        Name → the cached value (a list for a name over several cells).

    Raises
    ------
    UnknownNameError
        A name the workbook does not define (also a ``KeyError``); the message lists the
        names it has.

    >>> from roi_xl.templates import write
    >>> import tempfile, pathlib
    >>> p = write("roi", pathlib.Path(tempfile.mkdtemp()) / "roi.xlsx", "en")
    >>> round(named_values(p, ["roi"])["roi"], 4)
    1.3897
    """
    import openpyxl

    wb = openpyxl.load_workbook(path, data_only=True, read_only=False)
    wanted = list(names) if names is not None else list(wb.defined_names)
    out: dict[str, Any] = {}
    for name in wanted:
        if name not in wb.defined_names:
            raise UnknownNameError(
                f"{os.fspath(path)} has no defined name {name!r}; it has "
                + ", ".join(sorted(wb.defined_names))
            )
        values = []
        for sheet, ref in wb.defined_names[name].destinations:
            cells = wb[sheet][ref.replace("$", "")]
            if not isinstance(cells, tuple):
                cells = ((cells,),)
            values += [
                c.value for row in cells for c in (row if isinstance(row, tuple) else (row,))
            ]
        out[name] = values[0] if len(values) == 1 else values
    return out
