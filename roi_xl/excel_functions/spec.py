"""How an Excel function is described: its parameters, help texts, kernel and safe calling.

An :class:`ExcelFunction` is the single description every runtime uses: the xlwings UDF
module (classic Windows add-in and the Office.js route of xlwings Lite / Server), the
refresh engine (formualizer), ``roi-xl calc`` and ``roi-xl functions``.

This module imports nothing numeric: the table can be read (names, parameters, help) by
the refresh engine and the CLI without loading NumPy; the converters and kernels load it
on their first call.
"""

from __future__ import annotations

import importlib
import keyword
import logging
from dataclasses import KW_ONLY, dataclass
from functools import lru_cache
from typing import Any, Callable

from ..errors import ArgumentError, ExcelError, RoiXlError
from ..i18n import Language, language
from .result import Result

log = logging.getLogger("roi_xl.excel_functions")


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


#: The default of a parameter that has none (it must be given).
REQUIRED: Any = _Required()


@dataclass(frozen=True)
class Kind:
    """What a parameter accepts and how a cell's content becomes the kernel's value.

    ``convert(value, param, function)`` turns what a spreadsheet hands over (never a blank
    for an optional parameter: :meth:`Param.convert` handles those) into the typed value
    the kernel receives, or raises an :class:`~roi_xl.errors.RoiXlError`.
    ``listed`` kinds take several cells; on the command line they are a comma-separated
    row (``0.0666,0.4,0.33``).
    """

    name: str
    convert: Callable[[Any, "Param", str], Any]
    listed: bool = False


@dataclass(frozen=True)
class Param:
    """One argument of an Excel function: its name, kind and help in both languages
    (``ja=``, ``en=``: by keyword, Japanese first, as everywhere in roi_xl)."""

    name: str
    kind: Kind
    _: KW_ONLY
    ja: str
    en: str
    default: Any = REQUIRED
    words: dict[str, str] | None = None  # an option's accepted spellings → canonical word

    @property
    def optional(self) -> bool:
        return self.default is not REQUIRED

    def doc(self, lang: Language) -> str:
        """Help text for the function wizard: the chosen language first, then the other."""
        first, second = (self.ja, self.en) if lang == "ja" else (self.en, self.ja)
        return f"{first} / {second}"[:255]

    def convert(self, value: Any, function: str) -> Any:
        """The kernel's value for what the cell holds; a blank optional argument gets the
        default (``None`` when the parameter has none)."""
        if self.optional and is_blank(value):
            if self.default is None:
                return None
            value = self.default
        return self.kind.convert(value, self, function)


@dataclass(frozen=True)
class ExcelFunction:
    """One Excel function: name, help in both languages, parameters, and its kernel.

    Everything after the name is given by keyword (``ja=``, ``en=``, ``params=``…).

    ``kernel(*values)`` receives one value per parameter, already converted by the
    parameter's kind (a missing optional argument is its default, or ``None``), and
    returns what the cell shows, or a :class:`Result` that also says why it failed. It
    may raise :class:`~roi_xl.errors.RoiXlError`; :meth:`evaluate` turns that into the
    error value. ``shows`` says how ``roi-xl calc`` formats the result (percent, money,
    count, number, table); ``example`` is (arguments, what the cell shows) for the
    reference and the tests.
    """

    name: str
    _: KW_ONLY
    ja: str
    en: str
    params: tuple[Param, ...]
    kernel: Callable[..., Any]
    shows: str
    example: tuple[tuple[Any, ...], str]

    def __post_init__(self) -> None:
        names = [p.name for p in self.params]
        bad = [n for n in [self.name, *names] if not n.isidentifier() or keyword.iskeyword(n)]
        if bad or len(set(names)) != len(names):
            raise ValueError(f"{self.name}: names must be distinct Python identifiers: {bad}")
        optional = [p.optional for p in self.params]
        if optional != sorted(optional):
            raise ValueError(f"{self.name}: optional parameters must come last")

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
        """The kernel's arguments: each parameter's kind applied once to what was given."""
        if len(args) > len(self.params):
            raise ArgumentError(
                ExcelError.VALUE, f"{self.name} takes at most {len(self.params)} arguments"
            )
        given = list(args) + [None] * (len(self.params) - len(args))
        return [p.convert(v, self.name) for p, v in zip(self.params, given)]

    def evaluate(self, *args: Any) -> Result:
        """Compute as Excel would and keep why it failed: never raises."""
        try:
            result = self.kernel(*self.bind(args))
        except RoiXlError as exc:
            return Result(exc.excel_error.text, exc)
        except Exception:  # a UDF must never hand Excel a Python exception
            log.exception("%s failed on %r", self.name, args)
            return Result(ExcelError.VALUE.text, None)
        return result if isinstance(result, Result) else Result(result)

    def __call__(self, *args: Any) -> Any:
        """What the cell shows: numbers, a table, or Excel error values for bad input."""
        return self.evaluate(*args).value


def is_blank(value: Any) -> bool:
    """``None``, ``""`` or a one-cell range holding one of them."""
    while isinstance(value, (list, tuple)) and len(value) == 1:
        value = value[0]
    if getattr(value, "size", None) == 1 and hasattr(value, "reshape"):  # 1-element array
        value = value.reshape(-1)[0]
    return value is None or (isinstance(value, str) and not value.strip())


# Kernels named by where they live, imported on their first call -----------------------------


@lru_cache(maxsize=None)
def resolve(target: str) -> Callable[..., Any]:
    """``"roi_xl.metrics:roi_checked"`` → the function."""
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)


def _callable(target: str | Callable[..., Any]) -> Callable[..., Any]:
    return resolve(target) if isinstance(target, str) else target


@dataclass(frozen=True)
class Elementwise:
    """Kernel: a ``*_checked`` library function over Excel-broadcast number grids.

    Number grids are broadcast together (Excel's array rules), the other values (option
    words, flags, ``None``) are passed as they are; an input's error value becomes its
    element's result, and an element the metric cannot compute gets the library's code.
    ``checked`` is the function or where it lives, ``"module:function"``.
    """

    checked: str | Callable[..., Any]

    def __call__(self, *args: Any) -> Result:
        from .elementwise import elementwise

        return elementwise(_callable(self.checked), args)


@dataclass(frozen=True)
class Kernel:
    """Kernel: a function (or ``"module:function"``) that takes the converted values."""

    function: str | Callable[..., Any]

    def __call__(self, *args: Any) -> Any:
        return _callable(self.function)(*args)


def each(checked: str | Callable[..., Any]) -> Elementwise:
    """The kernel of a function computed element by element: ``each("roi_xl.metrics:roi_checked")``."""
    return Elementwise(checked)


def call(function: str | Callable[..., Any]) -> Kernel:
    """The kernel of any other function: ``call("roi_xl.excel_functions.kernels:lift")``."""
    return Kernel(function)
