"""Where formualizer's built-in functions answer differently from Excel, our layer either
replaces the function (``register_function(..., allow_override_builtin=True)``) or makes
the engine say "not computed", so the cell keeps Excel's cached value and is reported.

Each gap was found on real workbooks (``tests/data/poi/``) and is listed in the README
("What refresh cannot compute").
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable

import formualizer as fz


def excel_type(value: Any) -> int:
    """Excel's ``TYPE``: 1 number (and blank), 2 text, 4 logical, 16 error, 64 array.

    formualizer propagates an error argument instead of answering 16.

    >>> [excel_type(v) for v in (3.0, None, "a", True, {"type": "Error", "kind": "Div"}, [[1]])]
    [1, 1, 2, 4, 16, 64]
    """
    if isinstance(value, dict) and value.get("type") == "Error":
        return 16
    if isinstance(value, list):
        return 64
    if isinstance(value, bool):
        return 4
    if isinstance(value, str):
        return 2
    return 1


#: name → (callback, min_args, max_args), registered over the engine's built-in.
OVERRIDES: dict[str, tuple[Callable[..., Any], int, int]] = {
    "TYPE": (excel_type, 1, 1),
}

_CALLS = re.compile(r"(?<![\w.])(" + "|".join(OVERRIDES) + r")\s*\(", re.I)


def register(wb: fz.Workbook, formulas: Iterable[str] | None) -> None:
    """Register the overrides the formulas call (all of them when ``formulas`` is None)."""
    if formulas is None:
        names = set(OVERRIDES)
    else:
        names = {m.upper() for f in formulas for m in _CALLS.findall(f or "")}
    for name in sorted(names):
        callback, lo, hi = OVERRIDES[name]
        wb.register_function(name, callback, min_args=lo, max_args=hi, allow_override_builtin=True)
