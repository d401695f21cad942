"""How an Excel function is described: its parameters, help texts and safe calling.

An :class:`ExcelFunction` is the single description every runtime uses: the xlwings UDF
module (classic Windows add-in and the Office.js route of xlwings Lite / Server), the
refresh engine (formualizer) and the ``roi-xl calc`` command.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from ..errors import ExcelError, RoiXlError
from ..i18n import Language, language
from .coerce import ArgumentError, Grid, broadcast, to_excel, to_grid

log = logging.getLogger("roi_xl.excel_functions")

REQUIRED = object()

#: Kinds of parameter: ``number`` (cell or range, broadcast with the other numbers),
#: ``scalar`` (one cell), ``vector`` (a row or column, read in order), ``labels``
#: (a row or column of names), ``option`` (a word), ``flag`` (TRUE/FALSE).
KINDS = ("number", "scalar", "vector", "labels", "option", "flag")


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    en: str
    ja: str
    default: Any = REQUIRED
    words: dict[str, str] | None = None  # accepted spellings of an option → canonical

    @property
    def optional(self) -> bool:
        return self.default is not REQUIRED

    def doc(self, lang: Language) -> str:
        """Help text for the function wizard: the chosen language first, then the other."""
        first, second = (self.ja, self.en) if lang == "ja" else (self.en, self.ja)
        return f"{first} / {second}"[:255]


@dataclass(frozen=True)
class ExcelFunction:
    """One Excel function: name, help in both languages, parameters, and its kernel.

    ``kernel(*args)`` receives the arguments already bound (omitted optionals filled with
    their defaults) and returns what the cell shows; it may raise
    :class:`~roi_xl.excel_functions.coerce.ArgumentError` or
    :class:`~roi_xl.errors.RoiXlError`, which :meth:`__call__` turns into error values.
    """

    name: str
    en: str
    ja: str
    params: tuple[Param, ...]
    kernel: Callable[..., Any]
    result: str  # percent | money | count | number | table: how the CLI formats it
    example: tuple[tuple[Any, ...], str] = ((), "")  # arguments → what the cell shows
    category: str = "roi_xl"
    spills: bool = False
    library: Callable[..., Any] | None = None  # the public roi_xl function, for messages

    @property
    def min_args(self) -> int:
        return sum(not p.optional for p in self.params)

    @property
    def max_args(self) -> int:
        return len(self.params)

    def doc(self, lang: Language | None = None) -> str:
        """Function description (wizard, Office.js metadata): both languages."""
        lang = lang or language()
        first, second = (self.ja, self.en) if lang == "ja" else (self.en, self.ja)
        return f"{first}\n\n{second}"

    def signature(self) -> str:
        parts = [p.name if not p.optional else f"[{p.name}]" for p in self.params]
        return f"{self.name}({', '.join(parts)})"

    def bind(self, args: tuple[Any, ...]) -> list[Any]:
        if len(args) > len(self.params):
            raise ArgumentError(
                ExcelError.VALUE, f"{self.name} takes at most {len(self.params)} arguments"
            )
        bound = list(args) + [None] * (len(self.params) - len(args))
        for i, p in enumerate(self.params):
            if is_blank(bound[i]):
                if not p.optional and p.kind not in ("number", "scalar"):
                    raise ArgumentError(ExcelError.VALUE, f"{p.name} is required")
                if p.optional:
                    bound[i] = p.default
        return bound

    def __call__(self, *args: Any) -> Any:
        """Compute as Excel would: never raises, bad input gives Excel error values."""
        try:
            return self.kernel(*self.bind(args))
        except ArgumentError as exc:
            return exc.error.text
        except RoiXlError as exc:
            return exc.excel_error.text
        except Exception:  # a UDF must never hand Excel a Python exception
            log.exception("%s failed on %r", self.name, args)
            return ExcelError.VALUE.text

    def explain(self, *args: Any) -> str | None:
        """Why a call fails as a whole, in words (for the CLI), or ``None``."""
        try:
            self.kernel(*self.bind(args))
        except (ArgumentError, RoiXlError) as exc:
            return str(exc)
        if self.library is None:
            return None
        try:  # the library's scalar path names the argument and what is allowed
            bound = self.bind(args)
            numbers = [
                to_grid(single(a)).scalar(p.name)[0] if p.kind == "number" else a
                for p, a in zip(self.params, bound)
            ]
            self.library(*numbers)
        except RoiXlError as exc:
            return str(exc)
        except Exception:
            return None
        return None


def is_blank(value: Any) -> bool:
    """``None``, ``""`` or a one-cell range holding one of them."""
    while isinstance(value, (list, tuple)) and len(value) == 1:
        value = value[0]
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(-1)[0]
    return value is None or (isinstance(value, str) and not value.strip())


def single(value: Any) -> Any:
    """The one value inside a one-cell range (``[[x]]``, ``[x]``, 1-element array)."""
    while isinstance(value, (list, tuple)) and len(value) == 1:
        value = value[0]
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(-1)[0]
    if isinstance(value, (list, tuple, np.ndarray)):
        raise ArgumentError(ExcelError.VALUE, "expected a single cell, got a range")
    return value


def option_word(function: str, param: Param, value: Any) -> str:
    """An option word from a cell (case, width and Japanese aliases allowed)."""
    raw = single(value)
    if isinstance(raw, str) and raw.strip().startswith("#"):
        err = ExcelError.from_text(raw)
        if err:
            raise ArgumentError(err, f"{param.name} is an error value")
    key = str(raw).strip().lower().replace(" ", "_").replace("-", "_")
    assert param.words is not None
    if key in param.words:
        return param.words[key]
    allowed = ", ".join(dict.fromkeys(param.words.values()))
    raise ArgumentError(
        ExcelError.VALUE, f"{function}: {param.name}={raw!r} is not one of {allowed}"
    )


def flag(value: Any) -> bool:
    """TRUE/FALSE from a cell: booleans, numbers, or words (TRUE, 1, yes, はい)."""
    raw = single(value)
    if isinstance(raw, str):
        key = raw.strip().lower()
        if key in ("true", "1", "yes", "y", "はい", "真"):
            return True
        if key in ("false", "0", "no", "n", "いいえ", "偽", ""):
            return False
        raise ArgumentError(ExcelError.VALUE, f"{raw!r} is not TRUE or FALSE")
    number, code = to_grid(raw).scalar("flag")
    if code:
        raise ArgumentError(ExcelError(code), "flag is an error value")
    return bool(number)


def vector(value: Any, argument: str) -> Grid:
    """A row or column of numbers, read in order (a 2-D block is read row by row)."""
    g = to_grid(value)
    return Grid(g.values.reshape(-1), None if g.codes is None else g.codes.reshape(-1), 1)


def labels(value: Any) -> list[str | None]:
    """A row or column of names; blanks become ``None`` (the default name is used)."""
    arr = np.asarray(value, dtype=object).reshape(-1)
    return [None if is_blank(v) else str(v) for v in arr]


def elementwise(
    name: str, checked: Callable[..., Any], params: tuple[Param, ...], args: list[Any]
) -> Any:
    """Run a ``*_checked`` library function over Excel-broadcast arguments.

    Number parameters are broadcast together; option words and flags are passed as they
    are. Error values in an input element become that element's result; elements the
    metric cannot compute get the library's error code.
    """
    grids: list[Grid] = []
    call_args: list[Any] = []
    for p, a in zip(params, args):
        if p.kind == "number":
            grids.append(to_grid(a))
            call_args.append(None)
        elif p.kind == "option":
            call_args.append(option_word(name, p, a))
        elif p.kind == "flag":
            call_args.append(flag(a))
        else:
            raise TypeError(f"elementwise() cannot take a {p.kind} parameter")
    values, input_codes, ndim = broadcast(grids)
    it = iter(values)
    call_args = [next(it) if p.kind == "number" else v for p, v in zip(params, call_args)]
    result = checked(*call_args)
    codes = result.error
    if input_codes is not None:
        codes = input_codes if codes is None else np.where(input_codes != 0, input_codes, codes)
    return to_excel(result.value, codes, ndim)
