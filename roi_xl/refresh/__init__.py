"""Batch refresh (SPEC §5): recompute every formula with formualizer and write the results
as cached values, changing nothing else in the file.

>>> from roi_xl.refresh import refresh_file, refresh_files
>>> refresh_file("budget.xlsx").status  # doctest: +SKIP
'refreshed'

Names load on first use: the batch's main process never imports the engine (only its
worker processes do), so ``roi-xl refresh`` starts fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {"refresh_files": "batch", "refresh_file": "recalc", "FileReport": "report",
          "KeptCell": "report", "UnreadableWorkbook": "xlsx"}
__all__ = list(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'roi_xl.refresh' has no attribute {name!r}")


if TYPE_CHECKING:
    from .batch import refresh_files
    from .recalc import refresh_file
    from .report import FileReport, KeptCell
    from .xlsx import UnreadableWorkbook
