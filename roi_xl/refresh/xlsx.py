"""Safe reading of an .xlsx/.xlsm package and the lossless cached-value writer.

Only the ``<v>`` element and the ``t`` attribute of formula cells in worksheet parts are
ever changed; every other zip member is copied as its original compressed bytes, in the
original order. The work is split by concern; this module re-exports the names:

- :mod:`.package` — sniffing, bounded reads (zip-bomb limits), DTD refusal, sheet list;
- :mod:`.sheet` — the worksheet scanner (formula cells + cached values) and rewriter;
- :mod:`.values` — a Python value ↔ OOXML ``<v>``/``t``;
- :mod:`.writer` — the raw-copy package writer.
"""

from __future__ import annotations

from .package import (
    MAX_PART_BYTES,
    MAX_RATIO,
    MAX_TOTAL_BYTES,
    NS_MAIN,
    NS_PKG_REL,
    NS_REL,
    OLE_MAGIC,
    Package,
    UnreadableWorkbook,
    sniff,
)
from .sheet import FormulaCell, as_dynamic_arrays, block, col_row, formula_cells, rewrite
from .values import Value, to_value
from .writer import InvalidOutput, write_package

__all__ = [
    "MAX_PART_BYTES",
    "MAX_RATIO",
    "MAX_TOTAL_BYTES",
    "NS_MAIN",
    "NS_PKG_REL",
    "NS_REL",
    "OLE_MAGIC",
    "FormulaCell",
    "InvalidOutput",
    "Package",
    "UnreadableWorkbook",
    "Value",
    "as_dynamic_arrays",
    "block",
    "col_row",
    "formula_cells",
    "rewrite",
    "sniff",
    "to_value",
    "write_package",
]
