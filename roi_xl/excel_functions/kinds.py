"""The kinds of parameter and the converter each applies, once, in ``bind()``.

A table entry describes each parameter with one of the constructors below; the kernel
then receives typed values:

- :func:`grid`: numbers, one cell or a range → a :class:`~.coerce.NumberGrid`, broadcast
  with the function's other grids (a blank cell is 0, as in Excel arithmetic);
- :func:`scalar`: one number → ``float``;
- :func:`vector`: one row or one column of numbers → a 1-D float ndarray, in order;
- :func:`text`: one text → ``str``;
- :func:`text_list`: a row or column of texts → ``list[str | None]`` (blank: ``None``);
- :func:`option`: a word (any case, Japanese aliases) → its canonical word;
- :func:`flag`: TRUE/FALSE, 1/0, yes/no, はい/いいえ → ``bool``;
- :func:`cells`: a block of cells → rows of raw values (the kernel reads them).

An optional parameter (``default=...``) left out or blank gets its default converted the
same way, or ``None`` when the default is ``None``. Converters raise
:class:`~roi_xl.errors.RoiXlError` subclasses, which the function turns into the error value.
The numeric converters import NumPy on first use, so the table itself loads without it.
"""

from __future__ import annotations

from typing import Any, Mapping

from ..errors import ArgumentError, ExcelError
from ..options import normalise
from .spec import REQUIRED, Kind, Param, is_blank


def single(value: Any, argument: str = "argument") -> Any:
    """The one value inside a one-cell range (``[[x]]``, ``[x]``, 1-element array)."""
    while isinstance(value, (list, tuple)) and len(value) == 1:
        value = value[0]
    if getattr(value, "size", None) == 1 and hasattr(value, "reshape"):
        value = value.reshape(-1)[0]
    if isinstance(value, (list, tuple)) or getattr(value, "ndim", 0) > 0:
        raise ArgumentError(ExcelError.VALUE, f"{argument} must be a single cell, not a range")
    return value


def _to_grid(value: Any, param: Param, function: str) -> Any:
    from .coerce import to_grid

    return to_grid(value, param.name)


def _to_scalar(value: Any, param: Param, function: str) -> float:
    from .coerce import to_grid

    number, code = to_grid(single(value, param.name), param.name).scalar(param.name)
    if code:
        raise ArgumentError(ExcelError(code), f"{param.name} is {ExcelError(code).text}")
    return number


def _to_vector(value: Any, param: Param, function: str) -> Any:
    from .coerce import to_grid

    if is_blank(value):
        raise ArgumentError(ExcelError.VALUE, f"{param.name} is required")
    g = to_grid(value, param.name)
    if min(g.shape) != 1:
        raise ArgumentError(
            ExcelError.VALUE,
            f"{param.name} must be one row or one column, not {g.shape[0]}×{g.shape[1]} cells",
        )
    if g.codes is not None and g.codes.any():
        code = ExcelError(int(g.codes[g.codes != 0][0]))
        raise ArgumentError(
            code, f"{param.name} holds {code.text} (an error value or text that is not a number)"
        )
    return g.values.reshape(-1)


def _cells(value: Any) -> list[Any]:
    if hasattr(value, "tolist"):
        value = value.tolist()
    if not isinstance(value, (list, tuple)):
        return [value]
    out: list[Any] = []
    for v in value:
        out.extend(_cells(v) if isinstance(v, (list, tuple)) else [v])
    return out


def _to_text_list(value: Any, param: Param, function: str) -> list[str | None]:
    return [None if is_blank(v) else str(v) for v in _cells(value)]


def _to_text(value: Any, param: Param, function: str) -> str:
    return _not_error(_required(single(value, param.name), param), param)


def _not_error(raw: Any, param: Param) -> Any:
    if isinstance(raw, str) and raw.strip().startswith("#"):
        err = ExcelError.from_text(raw)
        if err:
            raise ArgumentError(err, f"{param.name} is {err.text}")
    return str(raw) if isinstance(raw, str) else raw


def _required(raw: Any, param: Param) -> Any:
    """A blank where a word, flag or text is required (an optional one never gets here)."""
    if is_blank(raw):
        raise ArgumentError(ExcelError.VALUE, f"{param.name} is required")
    return raw


def _to_option(value: Any, param: Param, function: str) -> str:
    raw = _not_error(_required(single(value, param.name), param), param)
    assert param.words is not None
    return normalise(function, param.name, raw, param.words)


_TRUE = ("true", "1", "yes", "y", "はい", "真")
_FALSE = ("false", "0", "no", "n", "いいえ", "偽", "")


def _to_flag(value: Any, param: Param, function: str) -> bool:
    raw = _not_error(_required(single(value, param.name), param), param)
    if isinstance(raw, str):
        key = raw.strip().lower()
        if key in _TRUE or key in _FALSE:
            return key in _TRUE
        raise ArgumentError(ExcelError.VALUE, f"{param.name}={raw!r} is not TRUE or FALSE")
    return bool(_to_scalar(raw, param, function))


def _to_cells(value: Any, param: Param, function: str) -> list[list[Any]]:
    """A range as rows of raw cells (a single value is one row of one cell)."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if not isinstance(value, (list, tuple)):
        return [[value]]
    if not any(isinstance(v, (list, tuple)) for v in value):
        return [list(value)]
    return [list(v) if isinstance(v, (list, tuple)) else [v] for v in value]


GRID = Kind("grid", _to_grid)
SCALAR = Kind("scalar", _to_scalar)
VECTOR = Kind("vector", _to_vector, listed=True)
TEXT = Kind("text", _to_text)
TEXT_LIST = Kind("text_list", _to_text_list, listed=True)
OPTION = Kind("option", _to_option)
FLAG = Kind("flag", _to_flag)
CELLS = Kind("cells", _to_cells, listed=True)


def grid(name: str, *, ja: str, en: str, default: Any = REQUIRED) -> Param:
    """Numbers, one cell or a range, broadcast with the function's other grids."""
    return Param(name, GRID, ja=ja, en=en, default=default)


def scalar(name: str, *, ja: str, en: str, default: Any = REQUIRED) -> Param:
    """One number (a range is ``#VALUE!``)."""
    return Param(name, SCALAR, ja=ja, en=en, default=default)


def vector(name: str, *, ja: str, en: str, default: Any = REQUIRED) -> Param:
    """One row or one column of numbers, read in order (a 2-D block is ``#VALUE!``)."""
    return Param(name, VECTOR, ja=ja, en=en, default=default)


def text(name: str, *, ja: str, en: str, default: Any = REQUIRED) -> Param:
    """One text."""
    return Param(name, TEXT, ja=ja, en=en, default=default)


def text_list(name: str, *, ja: str, en: str, default: Any = REQUIRED) -> Param:
    """A row or column of texts (names, paths); blank cells become ``None``."""
    return Param(name, TEXT_LIST, ja=ja, en=en, default=default)


def option(
    name: str, *, ja: str, en: str, words: Mapping[str, str], default: Any = REQUIRED
) -> Param:
    """A word from ``words`` (accepted spelling → canonical word); others are ``#VALUE!``."""
    return Param(name, OPTION, ja=ja, en=en, default=default, words=dict(words))


def cells(name: str, *, ja: str, en: str, default: Any = REQUIRED) -> Param:
    """A block of cells as rows of raw values (numbers, texts, blanks), read by the kernel:
    a history (periods × columns), a model table, a list of lift tests."""
    return Param(name, CELLS, ja=ja, en=en, default=default)


def flag(name: str, *, ja: str, en: str, default: Any = REQUIRED) -> Param:
    """TRUE or FALSE."""
    return Param(name, FLAG, ja=ja, en=en, default=default)
