"""Budget workbook templates (SPEC §4): definitions in ``workbook_templates/``, built with
openpyxl into self-explaining, protected workbooks with native formulas.

>>> from roi_xl.templates import build
>>> wb = build("roi", lang="en")
>>> wb.defined_names["roi"].attr_text.startswith("'ROI'!")
True
"""

from .builder import add_in_cells, build, write
from .catalog import NAMES, UnknownTemplateError, all_templates, get

__all__ = [
    "NAMES",
    "UnknownTemplateError",
    "add_in_cells",
    "all_templates",
    "build",
    "get",
    "write",
]
