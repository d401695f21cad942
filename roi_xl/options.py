"""The option words of the library (basis, rounding, measure) and their one normaliser.

Imports nothing numeric, so the function table can describe its option parameters
without loading NumPy. Every accepted spelling maps to one canonical word; the library's
functions and the Excel functions both go through :func:`normalise`.
"""

from __future__ import annotations

from typing import Mapping

from .errors import UnknownOptionError

#: ROI basis: "net" (break-even 0 %) or "gross" (break-even 100 %).
BASIS_WORDS: dict[str, str] = {
    "net": "net",
    "純": "net",
    "純利益": "net",
    "純額": "net",
    "gross": "gross",
    "粗": "gross",
    "粗利": "gross",
    "粗利益": "gross",
    "総額": "gross",
}

#: Funnel rounding: "ceil" rounds every stage up, "none" keeps expected values.
ROUNDING_WORDS: dict[str, str] = {
    "ceil": "ceil",
    "up": "ceil",
    "roundup": "ceil",
    "切り上げ": "ceil",
    "切上げ": "ceil",
    "none": "none",
    "expected": "none",
    "exact": "none",
    "なし": "none",
    "期待値": "none",
}

#: The measures of a lift test, in the order the LIFT table shows them.
MEASURES: tuple[str, ...] = (
    "lift",
    "relative",
    "incremental",
    "treated_rate",
    "control_rate",
    "z",
    "p_value",
    "ci_low",
    "ci_high",
)
MEASURE_WORDS: dict[str, str] = {m: m for m in MEASURES} | {
    "relative_lift": "relative",
    "pvalue": "p_value",
    "p": "p_value",
    "incremental_conversions": "incremental",
    "treated": "treated_rate",
    "control": "control_rate",
    "リフト": "lift",
    "相対リフト": "relative",
    "純増": "incremental",
    "p値": "p_value",
    "z値": "z",
}


def key(value: object) -> str:
    """How a word is looked up: case, surrounding spaces, inner spaces and hyphens ignored.

    Parameters
    ----------
    value : object
        A word as a cell or a caller gives it.

    Returns
    -------
    str
        The lookup key.

    >>> key(" Relative-Lift ")
    'relative_lift'
    """
    return str(value).strip().lower().replace(" ", "_").replace("-", "_")


def normalise(function: str, argument: str, value: object, words: Mapping[str, str]) -> str:
    """The canonical word for ``value``, or :class:`~roi_xl.errors.UnknownOptionError`.

    Parameters
    ----------
    function, argument : str
        Who asks, for the error message (``"roi"``, ``"basis"``).
    value : object
        The word as given: any case, Japanese aliases allowed.
    words : mapping
        Every accepted spelling (as :func:`key` makes it) → its canonical word.

    Returns
    -------
    str
        The canonical word.

    Examples
    --------
    >>> normalise("roi", "basis", "GROSS", BASIS_WORDS)
    'gross'
    >>> normalise("roi", "basis", "粗利", BASIS_WORDS)
    'gross'
    """
    found = words.get(key(value))
    if found is None:
        raise UnknownOptionError(function, argument, value, tuple(dict.fromkeys(words.values())))
    return found
