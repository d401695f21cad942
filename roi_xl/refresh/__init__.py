"""Batch refresh (SPEC §5): recompute every formula with formualizer and write the results
as cached values, changing nothing else in the file.

>>> from roi_xl.refresh import refresh_file, refresh_files
>>> refresh_file("budget.xlsx").status  # doctest: +SKIP
'refreshed'

Names load on first use: the batch's main process never imports the engine (only its
worker processes do), so ``roi-xl refresh`` starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import attribute_loader

_WHERE = {"refresh_files": "batch", "refresh_file": "recalc", "FileReport": "report",
          "KeptCell": "report", "UnreadableWorkbook": "xlsx"}
__all__ = list(_WHERE)


__getattr__ = attribute_loader(__name__, _WHERE)


if TYPE_CHECKING:
    from .batch import refresh_files
    from .recalc import refresh_file
    from .report import FileReport, KeptCell
    from .xlsx import UnreadableWorkbook
