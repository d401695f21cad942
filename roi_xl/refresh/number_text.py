"""Text that may hold a number written with more digits than Excel writes.

Excel turns a number into text (``="a"&(0.1+0.2)``, ``CONCAT(1/3)``, ``SUBSTITUTE(2/3,...)``)
with at most 15 significant digits ("a0.3", "0.333333333333333"), and in scientific form
past them ("1.23456789012346E+17"); formualizer writes the shortest text that reads back
as the same double, up to 17 digits ("a0.30000000000000004") and never in scientific form
("100000000000000000000"). Where the engine's text holds such a number, the cell keeps
Excel's value (and so do the cells that read it: :mod:`kept_dependents`).

A number token of the text is suspect when it has more than 15 significant digits (leading
and trailing zeros aside), 16 or more digits before its point, or ten zeros or more after
the point before its first digit (a number under 1E-10, which Excel may write as ``1E-11``). Text built
from text (an ID of 16 digits typed as text) is kept too: a kept value, never a wrong one.

>>> suspect("a0.30000000000000004"), suspect("a0.3"), suspect("0.333333333333333")
(True, False, False)
>>> suspect("a100000000000000000000"), suspect("0.00000000001"), suspect("1.5 and 2.25")
(True, True, False)
>>> suspect("0.000001"), suspect("-0.000000001")  # a text typed so; TEXT(1E-9,"0.000000000")
(False, False)
>>> suspect("0.33333333333333300000")  # TEXT(1/3,"0.00000000000000000000") in Excel
False
"""

from __future__ import annotations

import re

REASON = (
    "a number turned into text here may hold more digits than Excel writes (15 significant "
    "digits; the engine writes up to 17)"
)

_NUMBER = re.compile(r"(\d+)(?:\.(\d+))?")


def suspect(text: str) -> bool:
    """Whether ``text`` holds a number token Excel would not write so (see the module)."""
    for whole, fraction in _NUMBER.findall(text):
        if len(whole) >= 16:
            return True
        if not fraction:
            continue
        digits = (whole + fraction).lstrip("0").rstrip("0")
        if len(digits) > 15:
            return True
        if whole.strip("0") == "" and fraction.startswith("0" * 10):
            return True
    return False
