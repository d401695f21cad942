"""Every error roi_xl raises on purpose, under one base class, and Excel's error values.

:class:`RoiXlError` is the base: ``except roi_xl.RoiXlError`` catches anything the package
raises to say what to fix. Each error is named for what went wrong:

- bad input to a metric (:class:`InvalidInputError`, :class:`ZeroDenominatorError`,
  :class:`UnknownOptionError`, :class:`NonFiniteResultError`), also ``ValueError``;
- an argument an Excel function cannot use at all (:class:`ArgumentError`);
- a file refresh cannot read (:class:`UnreadableWorkbook`, raised by :mod:`roi_xl.refresh`);
- a number format :mod:`roi_xl.numfmt` cannot render exactly (:class:`FormatNotSupported`);
- an unknown template name (:class:`UnknownTemplateError`, also ``LookupError``), defined
  name (:class:`UnknownNameError`) or language (:class:`UnknownLanguageError`);
- pandas input that does not pair up (:class:`IndexMismatchError`) or lacks columns
  (:class:`MissingColumnsError`).

The pure library raises these for scalar calls; the array path marks bad elements with an
:class:`ExcelError` code instead (see :mod:`roi_xl._checked`), so one bad row never spoils
the others. ``excel_error`` is the error value a cell shows when the error reaches an
Excel function.
"""

from __future__ import annotations

import os
from enum import IntEnum


class ExcelError(IntEnum):
    """Excel's error values, numbered as the int8 codes of the array path (0 = no error)."""

    DIV0 = 1
    NUM = 2
    VALUE = 3
    NA = 4
    NAME = 5
    REF = 6
    NULL = 7

    @property
    def text(self) -> str:
        """The error as Excel shows it, e.g. ``"#DIV/0!"``."""
        return _TEXT[self]

    @classmethod
    def from_text(cls, text: str) -> "ExcelError | None":
        """``"#DIV/0!"`` → ``ExcelError.DIV0``; anything else → ``None``."""
        return _BY_TEXT.get(text.strip().upper())


_TEXT = {
    ExcelError.DIV0: "#DIV/0!",
    ExcelError.NUM: "#NUM!",
    ExcelError.VALUE: "#VALUE!",
    ExcelError.NA: "#N/A",
    ExcelError.NAME: "#NAME?",
    ExcelError.REF: "#REF!",
    ExcelError.NULL: "#NULL!",
}
_BY_TEXT = {text: err for err, text in _TEXT.items()}

#: Excel error texts, indexed by code (index 0 is unused).
ERROR_TEXTS: tuple[str, ...] = ("",) + tuple(_TEXT[e] for e in ExcelError)


class RoiXlError(Exception):
    """Base class of every error roi_xl raises on purpose."""

    excel_error: ExcelError = ExcelError.VALUE


class InvalidInputError(RoiXlError, ValueError):
    """An argument has a value the metric cannot use.

    Carries which function and argument, the value given and what is allowed, so a user
    can fix the input without reading the source.
    """

    def __init__(
        self,
        function: str,
        argument: str,
        value: object,
        allowed: str,
        excel_error: ExcelError = ExcelError.NUM,
    ) -> None:
        self.function = function
        self.argument = argument
        self.value = value
        self.allowed = allowed
        self.excel_error = excel_error
        super().__init__(
            f"{function}(): {argument}={value!r} is not allowed; {argument} {allowed} "
            f"(in Excel this is {excel_error.text})"
        )


class ZeroDenominatorError(InvalidInputError, ZeroDivisionError):
    """A denominator is zero: Excel's ``#DIV/0!``."""

    def __init__(self, function: str, argument: str, value: object, allowed: str) -> None:
        super().__init__(function, argument, value, allowed, ExcelError.DIV0)


class UnknownOptionError(InvalidInputError):
    """An option word (basis, measure, rounding) is not one of the allowed words."""

    def __init__(self, function: str, argument: str, value: object, choices: tuple[str, ...]):
        super().__init__(
            function,
            argument,
            value,
            "must be one of " + ", ".join(map(repr, choices)),
            ExcelError.VALUE,
        )


class NonFiniteResultError(InvalidInputError):
    """The inputs are allowed but the result is not a finite number (overflow, NaN input)."""

    def __init__(self, function: str) -> None:
        RoiXlError.__init__(
            self,
            f"{function}(): the result is not a finite number: check for NaN, infinite or "
            f"extremely large inputs (in Excel this is {ExcelError.NUM.text})",
        )
        self.function, self.argument, self.value = function, "result", float("nan")
        self.allowed = "must be a finite number"
        self.excel_error = ExcelError.NUM


class ArgumentError(RoiXlError, ValueError):
    """An argument of an Excel function cannot be used at all (a range where one cell is
    wanted, an error value in a list of rates, too many arguments): the whole result is
    ``excel_error``."""

    def __init__(self, excel_error: ExcelError, message: str) -> None:
        super().__init__(message)
        self.excel_error = excel_error


class UnreadableWorkbook(RoiXlError):
    """The file is not a workbook we can refresh; ``str()`` says why and what to do."""


class UnknownTemplateError(RoiXlError, LookupError):
    """No workbook template has this name."""

    def __init__(self, name: str, names: tuple[str, ...] = ()) -> None:
        choices = f"; choose one of: {', '.join(names)}" if names else ""
        super().__init__(f"unknown template {name!r}{choices}")
        self.name = name


class IndexMismatchError(RoiXlError, ValueError):
    """pandas Series with different indexes were passed together: pairing them by position
    would silently mix rows."""

    def __init__(self, function: str) -> None:
        super().__init__(
            f"{function}(): the Series passed have different indexes, so their rows do not "
            "pair up; align them first (take them from one DataFrame, or a.align(b)), or pass "
            ".to_numpy() to pair them by position"
        )


class MissingColumnsError(RoiXlError, KeyError):
    """A DataFrame lacks the columns a metric needs, or a column mapping names unknown ones."""

    def __str__(self) -> str:  # KeyError would show the message quoted
        return str(self.args[0])


class UnknownLanguageError(RoiXlError, ValueError):
    """A language roi_xl does not speak (it speaks Japanese and English)."""


class UnknownNameError(RoiXlError, KeyError):
    """A workbook has no defined name of that name."""

    def __str__(self) -> str:  # KeyError would show the message quoted
        return str(self.args[0])


class EngineFailed(RoiXlError):
    """The refresh engine failed a whole workbook (not one cell)."""


class FormatNotSupported(RoiXlError, ValueError):
    """A number format (or a value in it) :mod:`roi_xl.numfmt` cannot render exactly as
    Excel does; the refresh keeps Excel's value."""


class UnresolvedFormula(RoiXlError):
    """A formula the engine's copy cannot express as Excel means it; the cell keeps Excel's
    value. ``str()`` is the reason the report gives."""


class UnresolvedTableReference(UnresolvedFormula):
    """A structured reference (``Table1[[#This Row],[Col]]``) that cannot be turned into an
    A1 reference; the cell keeps Excel's value."""


class WriteError(RoiXlError, OSError):
    """A file could not be written: ``str()`` is one plain line naming the file and the
    cause; ``why`` is the cause alone."""

    def __init__(self, target: str | os.PathLike[str], why: str) -> None:
        super().__init__(f"{target}: {why}")
        self.target, self.why = str(target), why

    def __str__(self) -> str:
        return f"{self.target}: {self.why}"


# Refresh's own functions (roi_xl/refresh/builtins, the gap modules) ------------------------


class NotComputed(RoiXlError):
    """An input whose Excel answer we are not sure of: the cell keeps Excel's value; the
    message says why."""


class ErrorValue(RoiXlError):
    """The Excel error value a refresh function answers (``kind`` as formualizer names it:
    Value, Num, Div...)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class EarlyAnswer(RoiXlError):
    """A refresh function's answer found part-way through its arguments (``value``)."""

    def __init__(self, value: object) -> None:
        super().__init__(value)
        self.value = value


# The marketing mix (roi_xl.mix) ---------------------------------------------------------------


class _MixError(RoiXlError, ValueError):
    """``excel`` is the error value a cell shows for it (``"#NUM!"``, ``"#VALUE!"``)."""

    def __init__(self, message: str, excel: str = "#VALUE!") -> None:
        super().__init__(message)
        self.excel = excel


class FitError(_MixError):
    """A history the marketing mix cannot be fitted to (too few periods, negative spend)."""


class ModelError(_MixError):
    """A model table that cannot be read (a hand edit outside the bounds, a missing value)."""

    def __init__(self, message: str, excel: str = "#NUM!") -> None:
        super().__init__(message, excel)


class InfeasibleBudget(_MixError):
    """No split within the bounds meets the request."""

    def __init__(self, message: str, excel: str = "#NUM!") -> None:
        super().__init__(message, excel)


class HistoryError(RoiXlError, ValueError):
    """A history file that cannot be read or a column that cannot be used (one plain line)."""
