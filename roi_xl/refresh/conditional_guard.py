"""SUMIF, SUMIFS, AVERAGEIF and AVERAGEIFS over a summed range that holds an error.

Excel answers the error (``SUMIF(A1:A2,2,C1:C2)`` with ``C1`` = ``#DIV/0!`` matched is
``#DIV/0!``); formualizer skips it. Such a cell must keep Excel's value. An override of
the four functions (the first fix) received every range as Python lists on every call: a
sheet of 200 SUMIFS over whole columns of 50 000 rows took 70 s instead of 1. The engine's
copy of the formula is guarded instead, natively::

    SUMIFS(C:C,A:A,1)  →  IF(ISERROR(SUM(C:C)),ROIXL_KEPT(),SUMIFS(C:C,A:A,1))

``SUM`` of a range is an error exactly when the range holds one; ``ROIXL_KEPT`` answers the
engine's "not computed", so the cell keeps Excel's value and is reported. Any error in the
summed range keeps the cell, matched or not (which rows match is the engine's criteria
logic, the very thing in doubt).

>>> guard("=SUMIFS(Data!C:C,Data!A:A,A1)+1")
'=IF(ISERROR(SUM(Data!C:C)),ROIXL_KEPT(),SUMIFS(Data!C:C,Data!A:A,A1))+1'
>>> guard('=SUMIF(A1:A9,">0")'), guard("=AVERAGEIF(A:A,2,B:B)")
('=IF(ISERROR(SUM(A1:A9)),ROIXL_KEPT(),SUMIF(A1:A9,">0"))', '=IF(ISERROR(SUM(B:B)),ROIXL_KEPT(),AVERAGEIF(A:A,2,B:B))')
>>> guard('=COUNTIF(A:A,"SUMIF(")')
'=COUNTIF(A:A,"SUMIF(")'
"""

from __future__ import annotations

from typing import Any, Callable, Collection, Iterable

from .tables import quoted_end

NAMES = ("SUMIF", "SUMIFS", "AVERAGEIF", "AVERAGEIFS")
KEPT = "ROIXL_KEPT"


def may_have(text: str) -> bool:
    """A cheap test: could ``text`` call one of the four?"""
    upper = text.upper()
    return "SUMIF" in upper or "AVERAGEIF" in upper


def _arguments(formula: str, start: int) -> tuple[list[str], int]:
    """The top-level arguments of the call whose ``(`` is at ``start``, and the index of
    its ``)``."""
    args, depth, i, begin = [], 0, start + 1, start + 1
    n = len(formula)
    while i < n:
        ch = formula[i]
        if ch in "\"'":
            i = quoted_end(formula, i)
            continue
        if ch in "({":
            depth += 1
        elif ch in ")}":
            if depth == 0:
                args.append(formula[begin:i])
                return args, i
            depth -= 1
        elif ch == "," and depth == 0:
            args.append(formula[begin:i])
            begin = i + 1
        i += 1
    return [], -1  # unbalanced: leave it to the engine


def rewrite_calls(
    formula: str,
    names: Collection[str],
    replace: Callable[[str, int, int, str, list[str], int], tuple[str, int] | None],
) -> str:
    """``formula`` with each call of a function in ``names`` (capitals, ``_xlfn.``
    dropped) put as ``replace(formula, start, open, name, args, close)`` answers: the text
    for the call written from ``start`` (its name; ``open``: its ``(``, ``close``: its
    ``)``, -1 when unbalanced) and the index the scan goes on from, or None to leave it as
    written (its arguments are read on). Texts and quoted sheet names are copied as they are.

    >>> rewrite_calls('=f(1)+F(2,"F(3)")', {"F"}, lambda f, s, o, n, a, c: (f"G({a[0]})", c + 1))
    '=G(1)+G(2)'
    """
    out: list[str] = []
    i, n = 0, len(formula)
    while i < n:
        ch = formula[i]
        if ch in "\"'":
            j = quoted_end(formula, i)
            out.append(formula[i:j])
            i = j
            continue
        if (ch.isalpha() or ch == "_") and (
            i == 0 or not (formula[i - 1].isalnum() or formula[i - 1] in "_.$")
        ):
            j = i
            while j < n and (formula[j].isalnum() or formula[j] in "_."):
                j += 1
            name = formula[i:j].upper().removeprefix("_XLFN.")
            if name in names and j < n and formula[j] == "(":
                args, end = _arguments(formula, j)
                done = replace(formula, i, j, name, args, end)
                if done is not None:
                    out.append(done[0])
                    i = done[1]
                    continue
            out.append(formula[i:j])
            i = j
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def guard(formula: str) -> str:
    """``formula`` with every call of the four guarded (nested calls too)."""
    if not may_have(formula):
        return formula

    def guarded(
        f: str, start: int, at: int, name: str, args: list[str], end: int
    ) -> tuple[str, int] | None:
        if end <= 0 or len(args) < 2:
            return None
        inner = [guard(a) for a in args]
        summed = inner[0]
        if not name.endswith("S") and len(inner) > 2 and inner[2].strip():
            summed = inner[2]
        call = f"{f[start:at]}({','.join(inner)})"
        return f"IF(ISERROR(SUM({summed})),{KEPT}(),{call})", end + 1

    return rewrite_calls(formula, NAMES, guarded)


def register(wb: Any, formulas: Iterable[str] | None) -> None:
    """Register ``ROIXL_KEPT`` (the engine's "not computed") where a formula may need it."""
    import formualizer as fz

    if formulas is not None and not any(f and may_have(f) for f in formulas):
        return
    wb.register_function(KEPT, lambda: fz.LiteralValue.error("NImpl", None), min_args=0, max_args=0)
