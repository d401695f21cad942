"""How a result is written for a person: percentages, money and plain numbers.

Used by ``roi-xl calc`` and ``roi-xl demo``. Numbers are shown by magnitude (six
significant digits, thousands separated, whole numbers without decimals), never rounded
to whole numbers: a forecast of 7.5 leads shows as 7.5, as in the README and ``--json``.
"""

from __future__ import annotations

import math
from typing import Any

#: Digits a plain number keeps (as ``--json`` would show most of them).
SIGNIFICANT = 6


def format_number(value: float) -> str:
    """A number by its magnitude.

    Parameters
    ----------
    value : float
        Any float.

    Returns
    -------
    str
        Whole numbers with thousands separators, others with six significant digits;
        scientific notation only past 10¹⁵ or below 10⁻⁴ (a p-value of 5.92e-06).

    Examples
    --------
    >>> [format_number(v) for v in (7.5, 5.0025, 1.50075, 7_503_750.0, 682.5, 0.0123)]
    ['7.5', '5.0025', '1.50075', '7,503,750', '682.5', '0.0123']
    >>> format_number(1e308), format_number(-3.0), format_number(5.923318e-06)
    ('1e+308', '-3', '5.92332e-06')
    """
    if not math.isfinite(value):
        return str(value)
    size = abs(value)
    if size >= 1e15 or (0 < size < 1e-4):
        return f"{value:.{SIGNIFICANT}g}"
    if value == int(value):
        return f"{value:,.0f}"
    digits = max(0, SIGNIFICANT - 1 - math.floor(math.log10(size)))
    return f"{value:,.{digits}f}".rstrip("0").rstrip(".")


def format_value(value: Any, kind: str) -> str:
    """A result as the shell shows it.

    Parameters
    ----------
    value : float or str
        The value; a string (an error value such as ``"#DIV/0!"``, a label) is shown as it is.
    kind : str
        ``"percent"`` (a fraction shown with two decimals and %), ``"money"`` (at most two
        decimals) or anything else (:func:`format_number`).

    Returns
    -------
    str

    Examples
    --------
    >>> format_value(1.3897, "percent"), format_value(721_000.0, "money")
    ('138.97 %', '721,000')
    >>> format_value(7.5, "count"), format_value("#NUM!", "percent")
    ('7.5', '#NUM!')

    A probability just short of certainty is not rounded up to it:

    >>> format_value(0.999997, "percent"), format_value(1.0, "percent")
    ('99.9997 %', '100.00 %')
    """
    if isinstance(value, str):
        return value
    if kind == "percent":
        shown = f"{value * 100:,.2f}"
        if shown.lstrip("-") in ("100.00", "0.00") and value * 100 != float(shown):
            shown = format_number(value * 100)  # six significant digits: 99.9997, 0.00123
        return f"{shown} %"
    if kind == "money" and math.isfinite(value) and abs(value) < 1e15:
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return format_number(value)
