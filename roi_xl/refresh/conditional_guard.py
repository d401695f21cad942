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

from typing import Any, Callable, Iterable

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


def guard(formula: str) -> str:
    """``formula`` with every call of the four guarded (nested calls too)."""
    if not may_have(formula):
        return formula

    def one(name: str, spelled: str, args: list[str]) -> str | None:
        if name not in NAMES or len(args) < 2:
            return None
        summed = args[0]
        if not name.endswith("S") and len(args) > 2 and args[2].strip():
            summed = args[2]
        return f"IF(ISERROR(SUM({summed})),{KEPT}(),{spelled}({','.join(args)}))"

    return rewrite_calls(formula, one)


def rewrite_calls(formula: str, handle: Callable[[str, str, list[str]], str | None]) -> str:
    """``formula`` with each function call replaced by ``handle(name, spelled, args)``
    (the name in capitals without ``_xlfn.``, as written, and the arguments with their own
    calls handled first), or kept (rebuilt from those arguments) where that gives None.
    Texts and quoted sheet names are copied whole; an unbalanced formula is left as it is.

    >>> rewrite_calls("=f(g(1),'a(b'!A1)", lambda n, s, a: n.lower() + "!" if n == "G" else None)
    "=f(g!,'a(b'!A1)"
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
        if (ch.isalpha() or ch == "_") and not (
            i and (formula[i - 1].isalnum() or formula[i - 1] in "_.")
        ):
            j = i
            while j < n and (formula[j].isalnum() or formula[j] in "_."):
                j += 1
            k = j
            while k < n and formula[k] == " ":
                k += 1
            if k < n and formula[k] == "(":
                args, end = _arguments(formula, k)
                if end < 0:
                    return formula  # unbalanced: the engine says what it makes of it
                inner = [rewrite_calls(a, handle) for a in args]
                name = formula[i:j].upper().removeprefix("_XLFN.")
                new = handle(name, formula[i:j], inner)
                out.append(new if new is not None else f"{formula[i:k]}({','.join(inner)})")
                i = end + 1
                continue
            out.append(formula[i:j])
            i = j
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def register(wb: Any, formulas: Iterable[str] | None) -> None:
    """Register ``ROIXL_KEPT`` (the engine's "not computed") where a formula may need it."""
    import formualizer as fz

    if formulas is not None and not any(f and may_have(f) for f in formulas):
        return
    wb.register_function(KEPT, lambda: fz.LiteralValue.error("NImpl", None), min_args=0, max_args=0)
