"""A sum or difference that nearly cancels, which Excel shows as 0.

"Should an addition or subtraction operation result in a value at or very close to zero,
Excel 97 and later will compensate for any error introduced as a result of converting an
operand to and from binary" (Microsoft, "Floating-point arithmetic may give inaccurate
results in Excel"): ``=0.5-0.4-0.1`` shows 0, ``=1*(0.5-0.4-0.1)`` shows -2.78E-17 (the
last operation is a product). formualizer writes -2.7755575615628914E-17 for both. Excel's
threshold is not documented, so a formula whose last operation is ``+`` or ``-`` and whose
result is tiny but not 0 keeps Excel's value (:data:`TINY`), and so do its readers.

>>> last_is_sum("=0.5-0.4-0.1"), last_is_sum("=(B10-SUM(B2:B9))"), last_is_sum("=1*(0.5-0.4-0.1)")
(True, True, False)
>>> last_is_sum('=A1-B1&"x"'), last_is_sum("=-A1"), last_is_sum("=A1>B1-C1"), last_is_sum("=2^-3")
(False, False, False, False)
"""

from __future__ import annotations

from .tables import quoted_end

#: Results closer to 0 than this, of a sum or difference, keep Excel's value.
TINY = 1e-9
REASON = (
    "a sum or difference that nearly cancels: Excel shows such a result as 0 by a rule it "
    "does not document (Excel's value kept)"
)


def last_is_sum(formula: str) -> bool:
    """Whether the last operation of ``formula`` (the one at the top, outer parentheses
    aside) is a binary ``+`` or ``-``."""
    text = formula.strip().removeprefix("=").strip()
    while text.startswith("(") and _closing(text, 0) == len(text) - 1:
        text = text[1:-1].strip()
    found, depth, i, previous = False, 0, 0, ""
    while i < len(text):
        ch = text[i]
        if ch in "\"'":
            i = quoted_end(text, i)
            previous = "x"
            continue
        if ch in "({":
            depth += 1
        elif ch in ")}":
            depth -= 1
        elif depth == 0:
            if ch in "=<>&":
                return False  # a comparison or a text: lower than + and -
            if ch in "+-" and previous not in ("", "op") and not _exponent(text, i):
                found = True
            if ch in "+-*/^%":
                previous = "op" if ch != "%" else "x"
                i += 1
                continue
        if not ch.isspace():
            previous = "x"
        i += 1
    return found


def _closing(text: str, start: int) -> int:
    depth, i = 0, start
    while i < len(text):
        ch = text[i]
        if ch in "\"'":
            i = quoted_end(text, i)
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _exponent(text: str, i: int) -> bool:
    """Whether the sign at ``i`` is a number's exponent (``1E-3``)."""
    return i >= 2 and text[i - 1] in "eE" and text[i - 2].isdigit()
