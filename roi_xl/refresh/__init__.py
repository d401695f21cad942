"""Batch refresh (SPEC §5): recompute every formula with formualizer and write the results
as cached values, changing nothing else in the file.

>>> import openpyxl, pathlib, tempfile
>>> from roi_xl.refresh import refresh_file, refresh_files
>>> path = pathlib.Path(tempfile.mkdtemp()) / "budget.xlsx"
>>> wb = openpyxl.Workbook(); wb.active.append([500_000, 4, "=A1*B1", "=ROI(C1,0,A1)"])
>>> wb.save(path)                        # openpyxl writes formulas without values
>>> report = refresh_file(path, backup=False)
>>> report.status, report.computed
('refreshed', 2)
>>> openpyxl.load_workbook(path, data_only=True).active["D1"].value
3

Names load on first use: the batch's main process never imports the engine (only its
worker processes do), so ``roi-xl refresh`` starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import attribute_loader

_WHERE = {
    "refresh_files": "batch",
    "Interrupted": "batch",
    "refresh_file": "recalc",
    "FileReport": "report",
    "KeptCell": "report",
    "UnreadableWorkbook": "xlsx",
}
__all__ = list(_WHERE)


__getattr__ = attribute_loader(__name__, _WHERE)


if TYPE_CHECKING:  # the lazily loaded names, for type checkers and editors
    from .batch import Interrupted, refresh_files
    from .recalc import refresh_file
    from .report import FileReport, KeptCell
    from .xlsx import UnreadableWorkbook
