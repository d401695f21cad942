"""Numbers written as text given to a function that wants a number, and logicals given to
one that wants a text.

Excel reads ``PMT("0.01","12",100)`` (and ``PMT(A1,A2,100)`` with ``A1`` holding the text
"0.01") as ``PMT(0.01,12,100)``: a text that reads as a number is one, for a parameter
that takes a number. formualizer answers ``#VALUE!`` in its financial functions, ISEVEN,
ISODD, ADDRESS, CHOOSE, ROMAN, SEQUENCE, RANDARRAY and WORKDAY.INTL (measured over the
coverage table's cases with every number quoted; its arithmetic, ROUND, SQRT, DATE, MID,
REPT... read them). In the engine's copy those arguments are given as ``--(arg)``: the
engine's own unary minus reads the text as its arithmetic does (``"3"+1`` is 4), leaves a
number, a logical (1/0), a blank (0) and an error as Excel's coercion does, and answers
``#VALUE!`` for a text that is no number, as Excel does. Only the numeric parameters are
wrapped (not CHOOSE's values, ADDRESS's sheet name, WORKDAY.INTL's weekend or holidays,
NPV's and MIRR's cash flows: a text in a range of those is skipped, not read). LEFT, RIGHT
and CODE read a logical as "true" (:data:`TEXT`): their text argument is given as
``(arg)&""``.

>>> wrap('=PMT("0.01",A2,100)+CHOOSE("2","a","b")')
'=PMT(--("0.01"),--(A2),100)+CHOOSE(--("2"),"a","b")'
>>> wrap("=PMT(0.08/12,10,-10000,,1)"), wrap('=NPV(A1,B1:B4)'), wrap("=SUM(1)")
('=PMT(--(0.08/12),10,-10000,,1)', '=NPV(--(A1),B1:B4)', '=SUM(1)')
>>> wrap("=FV(RATE(4,-200,8000),A1,-200)")
'=FV(--(RATE(4,-200,8000)),--(A1),-200)'
>>> wrap('=LEFT(A1,B1)&CODE(TRUE)&LEFT("abc",2)')
'=LEFT((A1)&"",--(B1))&CODE((TRUE)&"")&LEFT("abc",2)'
"""

from __future__ import annotations

import re

from .conditional_guard import rewrite_calls

_ALL = None  # every parameter takes a number
#: function → the positions (from 0) of its numeric parameters, or every one (:data:`_ALL`)
NUMERIC: dict[str, tuple[int, ...] | None] = {
    **dict.fromkeys(
        (
            "ACCRINT ACCRINTM CUMIPMT CUMPRINC DB DDB DOLLARDE DOLLARFR EFFECT FV IPMT ISPMT "
            "NOMINAL NPER PDURATION PMT PPMT PRICE PV RATE RRI SLN SYD TBILLEQ TBILLPRICE "
            "TBILLYIELD YIELD YEARFRAC ISEVEN ISODD ROMAN SEQUENCE"
        ).split(),
        _ALL,
    ),
    "NPV": (0,),
    "MIRR": (1, 2),
    "ADDRESS": (0, 1, 2),
    "CHOOSE": (0,),
    "RANDARRAY": (0, 1, 2, 3),
    "WORKDAY.INTL": (0, 1),
    # text functions: num_chars and start_num ("2.99999" gave "" and #VALUE!)
    **dict.fromkeys(("LEFT", "RIGHT", "LEFTB", "RIGHTB"), (1,)),
    **dict.fromkeys(("MID", "MIDB", "REPLACE", "REPLACEB"), (1, 2)),
}
#: function → positions of a text parameter the engine reads a logical into wrong:
#: ``LEFT(TRUE,2)`` is "tr" and ``CODE(TRUE)`` 116 ("t"); Excel reads "TRUE" ("TR", 84).
#: Given as ``(arg)&""``, which the engine writes "TRUE" (numbers as it writes them anyway).
TEXT: dict[str, tuple[int, ...]] = dict.fromkeys(("LEFT", "RIGHT", "LEFTB", "RIGHTB", "CODE"), (0,))
#: a call of one of them (a superset: no look-behind, which would slow the search; names
#: in capitals, as Excel writes them and :func:`engine_input.shapes` reads them)
_CALL = re.compile(
    "(?:"
    + "|".join(re.escape(n) for n in sorted({*NUMERIC, *TEXT}, key=len, reverse=True))
    + r")\("
)
_NAMES = frozenset({*NUMERIC, *TEXT})
_NUMBER = re.compile(r"\s*-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?\s*")
_LITERAL = re.compile(r'\s*(?:-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|"(?:[^"]|"")*")\s*')


def may_have(text: str) -> bool:
    """A cheap test: could ``text`` call one of :data:`NUMERIC`? (A false positive only
    costs a look at the formula.)"""
    return _CALL.search(text) is not None or (
        not text.isupper() and _CALL.search(text.upper()) is not None
    )


def wrap(formula: str) -> str:
    """``formula`` with the numeric arguments of :data:`NUMERIC`'s functions as ``--(arg)``
    and the text ones of :data:`TEXT`'s as ``(arg)&""`` (nested calls too; an omitted
    argument and a literal as written are left alone)."""
    if not may_have(formula):
        return formula

    def coerced(
        f: str, start: int, at: int, name: str, args: list[str], end: int
    ) -> tuple[str, int] | None:
        if end <= 0:
            return None
        inner = [_coerced(name, k, wrap(a)) for k, a in enumerate(args)]
        return f"{f[start:at]}({','.join(inner)})", end + 1

    return rewrite_calls(formula, _NAMES, coerced)


def _coerced(name: str, k: int, arg: str) -> str:
    """Argument ``k`` of ``name`` as the engine should get it."""
    if not arg.strip():
        return arg  # omitted
    if name in NUMERIC:
        where = NUMERIC[name]
        if (where is None or k in where) and not _NUMBER.fullmatch(arg):
            return f"--({arg})"
    if k in TEXT.get(name, ()) and not _LITERAL.fullmatch(arg):
        return f'({arg})&""'
    return arg
