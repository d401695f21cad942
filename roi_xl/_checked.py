"""Vectorised arithmetic that marks bad elements instead of failing the whole array.

Every metric computes its result over broadcast NumPy arrays and states its domain as a
list of :class:`Rule` objects. :func:`finish` turns that into a :class:`Checked` result:
the values, plus an int8 array of :class:`~roi_xl.errors.ExcelError` codes that is ``None``
when every element is fine (the common case costs two reductions, no extra array).

:func:`deliver` then hands the result to the caller in the caller's own terms: a float
(or a typed exception) for scalars, an ndarray with NaN in bad elements for arrays, a
Series with the caller's index for pandas input.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from .errors import (
    ExcelError,
    IndexMismatchError,
    InvalidInputError,
    NonFiniteResultError,
    ZeroDenominatorError,
)

ArrayLike = Any  # numbers, sequences, ndarrays, pandas Series


@dataclass(frozen=True)
class Rule:
    """One condition an argument must meet, and the Excel error when it does not.

    ``kind`` is one of:

    - ``"positive"``: > 0 (0 → ``#DIV/0!``, negative → ``#NUM!``), for denominators;
    - ``"nonzero"``: ≠ 0 (``#DIV/0!``), for denominators that may be negative;
    - ``"above_zero"``: > 0 (``#NUM!`` for 0 too), for values whose domain excludes 0;
    - ``"nonneg"``: ≥ 0 (``#NUM!``);
    - ``"rate"``: in (0, 1] (``#NUM!``);
    - ``"open_unit"``: in (0, 1) (``#NUM!``);
    - ``"at_most"``: ≤ ``other`` (``#NUM!``), e.g. conversions ≤ group size.
    """

    argument: str
    data: np.ndarray
    kind: str
    other: np.ndarray | None = None
    other_name: str = ""

    @property
    def allowed(self) -> str:
        return {
            "positive": "must be greater than 0",
            "nonzero": "must not be 0",
            "above_zero": "must be greater than 0",
            "nonneg": "must be 0 or more",
            "rate": "must be a rate in (0, 1], e.g. 0.25 for 25 %",
            "open_unit": "must lie strictly between 0 and 1",
            "at_most": f"must not exceed {self.other_name}",
        }[self.kind]

    def holds(self) -> bool:
        """Fast whole-array test (one reduction); NaN makes it False."""
        x = self.data
        if x.size == 0:
            return True
        if self.kind in ("positive", "above_zero"):
            return bool(np.min(x) > 0)
        if self.kind == "nonzero":
            return bool(np.all(x != 0))
        if self.kind == "nonneg":
            return bool(np.min(x) >= 0)
        if self.kind == "rate":
            return bool(np.min(x) > 0 and np.max(x) <= 1)
        if self.kind == "open_unit":
            return bool(np.min(x) > 0 and np.max(x) < 1)
        if self.kind == "at_most":
            return bool(np.all(x <= self.other))
        raise ValueError(f"unknown rule kind {self.kind!r}")

    def violations(self) -> list[tuple[np.ndarray, ExcelError]]:
        """Masks of the elements that break the rule, each with its error code."""
        x = self.data
        with np.errstate(invalid="ignore"):
            if self.kind == "positive":
                return [(x < 0, ExcelError.NUM), (x == 0, ExcelError.DIV0)]
            if self.kind == "nonzero":
                return [(x == 0, ExcelError.DIV0)]
            if self.kind == "above_zero":
                return [(x <= 0, ExcelError.NUM)]
            if self.kind == "nonneg":
                return [(x < 0, ExcelError.NUM)]
            if self.kind == "rate":
                return [((x <= 0) | (x > 1), ExcelError.NUM)]
            if self.kind == "open_unit":
                return [((x <= 0) | (x >= 1), ExcelError.NUM)]
            return [(x > self.other, ExcelError.NUM)]


class Checked(NamedTuple):
    """A computed array and, where some elements failed, their Excel error codes.

    ``rules`` are the conditions the inputs had to meet; :func:`finish` keeps them only
    when some element failed, so :meth:`problem` can say which rule it was without
    computing anything again.
    """

    value: np.ndarray
    error: np.ndarray | None  # int8 codes (0 = fine), same shape as value
    rules: tuple[Rule, ...] = ()

    def ok(self) -> bool:
        """True when no element carries an error."""
        return self.error is None or not self.error.any()

    def problem(self, function: str) -> InvalidInputError | None:
        """The typed error of the first failed element, naming the argument and what is
        allowed; ``None`` when every element is fine.

        Parameters
        ----------
        function : str
            The function to name in the message (``"roi"``, ``"ROI"``).

        Returns
        -------
        InvalidInputError or None
            A :class:`~roi_xl.errors.ZeroDenominatorError` for a zero denominator.
        """
        if self.ok():
            return None
        return _first_violation(function, list(self.rules), self)


def as_array(function: str, argument: str, value: ArrayLike) -> np.ndarray:
    """``value`` as a float ndarray, or a clear :class:`InvalidInputError`."""
    if isinstance(value, np.ndarray) and value.dtype == np.float64:
        return value
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InvalidInputError(
            function,
            argument,
            value,
            "must be a number or an array of numbers",
            ExcelError.VALUE,
        ) from None


def finish(out: np.ndarray, rules: list[Rule]) -> Checked:
    """Attach error codes to ``out`` for every element that breaks a rule or is not finite.

    Rules earlier in the list win when several apply to one element. Bad elements are
    set to NaN in the returned values.
    """
    out = np.asarray(out, dtype=float)
    if all(rule.holds() for rule in rules) and all_finite(out):
        return Checked(out, None)
    codes = np.zeros(out.shape, dtype=np.int8)
    codes[~np.isfinite(out)] = ExcelError.NUM
    for rule in reversed(rules):
        for mask, code in reversed(rule.violations()):
            codes[np.broadcast_to(mask, out.shape)] = code
    if not out.flags.writeable or out.ndim == 0:
        out = np.array(out, dtype=float)
    out[codes != 0] = np.nan
    return Checked(out, codes, tuple(rules))


def _first_violation(function: str, rules: list[Rule], checked: Checked) -> InvalidInputError:
    for rule in rules:
        for mask, code in rule.violations():
            if np.any(mask):
                value = float(rule.data.flat[int(np.argmax(np.ravel(mask)))])
                if code is ExcelError.DIV0:
                    return ZeroDenominatorError(function, rule.argument, value, rule.allowed)
                return InvalidInputError(function, rule.argument, value, rule.allowed, code)
    return NonFiniteResultError(function)


def deliver(function: str, checked: Checked, rules: list[Rule], *inputs: ArrayLike) -> Any:
    """Return ``checked`` as the caller expects it.

    - all inputs scalar: a ``float``; a bad element raises the typed error that says which
      argument is wrong and what is allowed;
    - a pandas Series among the inputs: a Series with its index and name (NaN where bad);
      Series with different indexes are refused (:class:`~roi_xl.errors.IndexMismatchError`)
      rather than paired by position;
    - otherwise an ndarray (NaN where bad).
    """
    if all(np.ndim(x) == 0 for x in inputs):
        problem = checked._replace(rules=tuple(rules)).problem(function)
        if problem is not None:
            raise problem
        return float(checked.value)
    series = [x for x in inputs if hasattr(x, "index") and getattr(x, "ndim", 0) == 1]
    if series:
        import pandas as pd

        index = series[0].index
        if any(not s.index.equals(index) for s in series[1:]):
            raise IndexMismatchError(function)
        return pd.Series(checked.value, index=index, name=function)
    return checked.value


def all_finite(a: np.ndarray) -> bool:
    """True when no element is NaN or ±inf: one summation instead of an isfinite pass
    (a sum is finite only if every term is)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return bool(np.isfinite(np.sum(a))) or bool(np.isfinite(a).all())
