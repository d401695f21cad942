"""Batch refresh (SPEC §5): recompute every formula with formualizer and write the results
as cached values, changing nothing else in the file.

>>> from roi_xl.refresh import refresh_file, refresh_files
>>> refresh_file("budget.xlsx").status  # doctest: +SKIP
'refreshed'
"""

from .batch import refresh_files
from .recalc import refresh_file
from .report import FileReport, KeptCell
from .xlsx import UnreadableWorkbook

__all__ = ["refresh_file", "refresh_files", "FileReport", "KeptCell", "UnreadableWorkbook"]
