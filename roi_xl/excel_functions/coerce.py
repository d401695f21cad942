"""What a spreadsheet hands over → float grids with Excel error codes, and back.

Spreadsheets pass scalars (numbers, text, booleans, blanks as ``None``, error values as
text such as ``"#N/A"`` or as COM error integers), flat lists (a row), nested lists (a 2-D
range, one list per row) and NumPy arrays. Everything becomes a :class:`NumberGrid`: a 2-D float
array plus an int8 array of :class:`~roi_xl.errors.ExcelError` codes for the elements that
are not numbers. Grids combine by Excel's array rules (:func:`broadcast`) and results go
back as Python floats and error texts (:func:`to_excel`).
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._checked import all_finite as _all_finite
from ..errors import ERROR_TEXTS, ArgumentError, ExcelError

# Error values as Windows COM hands them over (xlwings passes them through as ints).
COM_ERRORS = {
    -2146826281: ExcelError.DIV0,
    -2146826246: ExcelError.NA,
    -2146826259: ExcelError.NAME,
    -2146826288: ExcelError.NULL,
    -2146826252: ExcelError.NUM,
    -2146826265: ExcelError.REF,
    -2146826273: ExcelError.VALUE,
}

_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_NUMBER = re.compile(
    r"^(?P<sign>[+-])?(?P<paren>\()?\s*[¥$€£]?\s*(?P<num>(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)"
    r"\s*(?P<unit>%|円)?\s*(?(paren)\))$"
)


@dataclass
class NumberGrid:
    """A 2-D float array, its error codes (``None`` = none), the caller's ndim (0, 1, 2)
    and the argument it came from (for messages)."""

    values: np.ndarray
    codes: np.ndarray | None
    ndim: int
    argument: str = ""

    @property
    def shape(self) -> tuple[int, int]:
        return self.values.shape  # type: ignore[return-value]

    def scalar(self, argument: str) -> tuple[float, int]:
        """The single value of a one-cell argument (a larger range is ``#VALUE!``)."""
        if self.values.size != 1:
            raise ArgumentError(ExcelError.VALUE, f"{argument} must be a single cell")
        code = 0 if self.codes is None else int(self.codes.flat[0])
        return float(self.values.flat[0]), code


def parse_number_text(text: str) -> float | None:
    """Numeric text as Excel arithmetic reads it: ``"1,200"``, ``"¥3,000"``, ``"15%"``,
    ``"(500)"``, full-width ``"１２"``; ``None`` when it is not a number.

    Parameters
    ----------
    text : str
        A cell's text.

    Returns
    -------
    float or None
    """
    s = unicodedata.normalize("NFKC", text).strip().replace(",", "")
    m = _NUMBER.match(s)
    if not m:
        return None
    value = float(m.group("num"))
    if m.group("unit") == "%":
        value /= 100
    if (m.group("sign") == "-") != bool(m.group("paren")):
        value = -value
    return value


def cell(value: Any) -> tuple[float, int]:
    """One cell's content → (number, error code); blanks are 0 as in Excel arithmetic.

    Parameters
    ----------
    value : object
        One cell's content as xlwings, Office.js or formualizer hands it over.

    Returns
    -------
    tuple of (float, int)
        The number (0 where not a number) and its :class:`~roi_xl.errors.ExcelError` code
        (0 = fine).
    """
    if value is None:
        return 0.0, 0
    if isinstance(value, (bool, np.bool_)):
        return float(value), 0
    if isinstance(value, (int, np.integer)):
        if int(value) in COM_ERRORS:
            return 0.0, COM_ERRORS[int(value)]
        try:
            return float(value), 0
        except OverflowError:
            return 0.0, ExcelError.NUM
    if isinstance(value, (float, np.floating)):
        return (float(value), 0) if math.isfinite(value) else (0.0, ExcelError.NUM)
    if isinstance(value, str):
        s = value.strip()
        if not s:
            return 0.0, 0
        err = ExcelError.from_text(s) if s.startswith("#") else None
        if err is not None:
            return 0.0, err
        number = parse_number_text(s)
        if number is None:
            return 0.0, ExcelError.VALUE
        return (number, 0) if math.isfinite(number) else (0.0, ExcelError.NUM)
    if isinstance(value, dt.datetime):
        return (value.replace(tzinfo=None) - _EXCEL_EPOCH) / dt.timedelta(days=1), 0
    if isinstance(value, dt.date):
        return float((value - _EXCEL_EPOCH.date()).days), 0
    if isinstance(value, dt.time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86400, 0
    if isinstance(value, dict) and value.get("type") == "Error":  # Office.js error object
        err = ExcelError.from_text(str(value.get("basicValue", "")))
        return 0.0, err or ExcelError.VALUE
    if isinstance(value, numbers.Number) and not isinstance(value, complex):  # Decimal…
        try:
            number = float(value)
        except (OverflowError, ValueError):
            return 0.0, ExcelError.NUM
        return (number, 0) if math.isfinite(number) else (0.0, ExcelError.NUM)
    return 0.0, ExcelError.VALUE


_cell_ufunc = np.frompyfunc(cell, 1, 2)


def _numeric_grid(arr: np.ndarray, ndim: int, argument: str) -> NumberGrid:
    values = np.asarray(arr, dtype=float).reshape(_shape2(arr))
    codes = None
    if not _all_finite(values):
        bad = ~np.isfinite(values)
        if bad.any():
            codes = np.where(bad, np.int8(ExcelError.NUM), np.int8(0))
            values = np.where(bad, 0.0, values)
    return NumberGrid(values, codes, ndim, argument)


def _shape2(arr: np.ndarray) -> tuple[int, int]:
    if arr.ndim == 0:
        return (1, 1)
    if arr.ndim == 1:
        return (1, arr.shape[0])
    return arr.shape  # type: ignore[return-value]


def to_grid(value: Any, argument: str = "") -> NumberGrid:
    """Any argument a spreadsheet (or a Python caller) may pass → :class:`NumberGrid`.

    Parameters
    ----------
    value : object
        A cell's content, a (nested) list, an ndarray or a pandas object.
    argument : str
        The parameter's name, kept on the grid for messages.

    Returns
    -------
    NumberGrid

    Examples
    --------
    >>> g = to_grid([[1, "2"], [None, "x"]], "revenue")
    >>> g.values.tolist(), g.codes.tolist(), g.ndim
    ([[1.0, 2.0], [0.0, 0.0]], [[0, 0], [0, 3]], 2)
    """
    if hasattr(value, "to_numpy") and not isinstance(value, np.ndarray):  # pandas
        value = value.to_numpy()
    if isinstance(value, (list, tuple)):
        if len(value) == 0:
            raise ArgumentError(ExcelError.VALUE, "an empty range")
        try:
            arr = np.asarray(value)
        except (ValueError, TypeError):  # ragged rows or values numpy cannot hold
            arr = np.empty(len(value), dtype=object)
            arr[:] = list(value)
    elif isinstance(value, np.ndarray):
        arr = value
    else:
        number, code = cell(value)
        codes = np.full((1, 1), code, dtype=np.int8) if code else None
        return NumberGrid(np.full((1, 1), number), codes, 0, argument)
    if arr.ndim > 2:
        raise ArgumentError(ExcelError.VALUE, "a range must be one or two dimensional")
    if arr.size == 0:
        raise ArgumentError(ExcelError.VALUE, "an empty range")
    if arr.dtype.kind in "biuf":
        return _numeric_grid(arr, arr.ndim, argument)
    values, codes = _cell_ufunc(arr.astype(object, copy=False))
    values = np.asarray(values, dtype=float).reshape(_shape2(arr))
    codes = np.asarray(codes, dtype=np.int8).reshape(_shape2(arr))
    return NumberGrid(values, codes if codes.any() else None, arr.ndim, argument)


def broadcast(grids: list[NumberGrid]) -> tuple[list[np.ndarray], np.ndarray | None, int]:
    """Combine grids by Excel's array rules.

    A single row or column repeats across the result; where a larger argument is shorter
    than the result, the missing elements are ``#N/A`` (as in Excel). Returns the value
    arrays (one per grid, all the result's shape), the merged error codes (the leftmost
    argument's error wins, as in Excel) and the result's ndim.

    Parameters
    ----------
    grids : list of NumberGrid
        The arguments, leftmost first.

    Returns
    -------
    tuple
        The value arrays, the merged error codes (``None``: no errors) and the result's ndim.
    """
    rows = max(g.shape[0] for g in grids)
    cols = max(g.shape[1] for g in grids)
    ndim = max(g.ndim for g in grids)
    out_values: list[np.ndarray] = []
    merged: np.ndarray | None = None
    for g in reversed(grids):
        r, c = g.shape
        codes = g.codes
        if r in (1, rows) and c in (1, cols):
            vals = np.broadcast_to(g.values, (rows, cols))
            if codes is not None:
                codes = np.broadcast_to(codes, (rows, cols))
        else:
            rr = rows if r == 1 else min(r, rows)
            cc = cols if c == 1 else min(c, cols)
            vals = np.zeros((rows, cols))
            vals[:rr, :cc] = np.broadcast_to(g.values, (rr, cc))
            pad = np.full((rows, cols), np.int8(ExcelError.NA))
            pad[:rr, :cc] = 0 if codes is None else np.broadcast_to(codes, (rr, cc))
            codes = pad
        out_values.append(vals)
        if codes is not None:
            merged = codes.copy() if merged is None else np.where(codes != 0, codes, merged)
    return out_values[::-1], merged, ndim


def to_excel(values: np.ndarray, codes: np.ndarray | None, ndim: int) -> Any:
    """Float values plus error codes → what a UDF returns: a float or error text for
    ``ndim`` 0, a flat list for 1, nested lists (one per row) for 2.

    Parameters
    ----------
    values : ndarray
        The results, 2-D.
    codes : ndarray or None
        Error codes of the same shape (0 = fine); non-finite values become ``#NUM!``.
    ndim : int
        The caller's ndim (0, 1 or 2).

    Returns
    -------
    float, str or list
        What the cell (or the spilled range) shows.
    """
    values = np.asarray(values, dtype=float)
    if codes is not None:
        codes = np.where(np.isfinite(values), codes, np.where(codes != 0, codes, ExcelError.NUM))
    elif not _all_finite(values):
        codes = np.where(np.isfinite(values), 0, ExcelError.NUM).astype(np.int8)
    if codes is not None and codes.any():
        out = values.astype(object)
        for code in np.unique(codes[codes != 0]):
            out[codes == code] = ERROR_TEXTS[int(code)]
    else:
        out = values
    if ndim == 0:
        item = out.reshape(-1)[0]
        return item if isinstance(item, str) else float(item)
    if ndim == 1:
        return out.reshape(-1).tolist()
    return out.reshape(values.shape[0], -1).tolist()
