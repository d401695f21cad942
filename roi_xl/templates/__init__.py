"""Budget workbook templates (SPEC §4): definitions in ``workbook_templates/``, built with
openpyxl into self-explaining, protected workbooks with native formulas.

>>> from roi_xl.templates import build
>>> wb = build("roi", lang="en")
>>> wb.defined_names["roi"].attr_text.startswith("'ROI'!")
True
"""

from typing import TYPE_CHECKING, Any

from .catalog import NAMES, UnknownTemplateError, all_templates, get

if TYPE_CHECKING:
    from .builder import add_in_cells, build, write


def __getattr__(name: str) -> Any:
    # The builder (openpyxl, NumPy: ~0.15 s) loads on first use, not with the package, so
    # that `roi-xl refresh`, `calc`... (whose parser lists the templates) start fast.
    if name in ("add_in_cells", "build", "write"):
        from . import builder

        return getattr(builder, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "NAMES",
    "UnknownTemplateError",
    "add_in_cells",
    "all_templates",
    "build",
    "get",
    "write",
]
