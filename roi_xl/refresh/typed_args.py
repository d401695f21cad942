"""Values typed into a call (a literal or an expression, not a reference), which Excel
reads otherwise than the same value held in a cell, where formualizer reads both alike.

Found on POI's FormulaEvalTestData (values saved by Excel), rewritten in the engine's copy
of the formula (:func:`rewrite`, after :mod:`.numeric_args`):

- ``COUNT``: "error values or text that cannot be translated into numbers are not
  counted" (Microsoft's COUNT page); the engine passed a typed or computed error on
  (``COUNT(2,"A","",#REF!,#DIV/0!)`` was ``#REF!``, Excel 1). Such an argument is given
  as ``IFERROR(arg,"")`` (a typed text is not counted either). Only an argument that
  cannot be a reference is wrapped (no range, name or call that may answer a reference:
  the errors in a referenced cell are skipped by the engine already, and IFERROR of a
  range would read its blanks as values).
- ``IF``'s condition and ``NOT``'s argument typed as the text "TRUE" or "FALSE" (any
  case): the logical (``IF("tRue","A","B")`` is "A" in Excel and LibreOffice; the engine
  answered ``#VALUE!``). Other text stays ``#VALUE!``, as in Excel.
- ``DOLLAR`` of a text: Excel reads ``"$1.00"`` as a number in the user's language
  (currency sign, separators), which a refresh cannot know: ``DOLLAR(ROIXL_NUMERIC(x))``,
  whose callback answers "not computed" for a text or a logical, so the cell keeps
  Excel's value (a literal text argument keeps it at once).

And a rule of :func:`engine_gaps.wrong_builtin` (:func:`typed_text`): AVERAGE, MAX, MIN,
MEDIAN, MODE, STDEV, VAR... given a typed text (``MODE(B8,"1",2,3)`` and
``AVERAGEA("TRUE",1)`` are ``#VALUE!`` in Excel, ``MAX(1,"a")`` too; the engine skipped the
text) are kept: Excel's reading of typed text differs by function (MEDIAN counts "2",
MODE does not), and Microsoft's pages do not say it for each.

>>> rewrite('=COUNT(2,"A","",#REF!,#DIV/0!)+COUNT(A1:A3,-B1,OFFSET(A1,1,0))')
'=COUNT(2,"A","",IFERROR(#REF!,""),IFERROR(#DIV/0!,""))+COUNT(A1:A3,IFERROR(-B1,""),OFFSET(A1,1,0))'
>>> rewrite('=IF("tRue","A","B")&NOT( "false" )&IF("x",1,2)')
'=IF(TRUE,"A","B")&NOT(FALSE)&IF("x",1,2)'
>>> rewrite("=DOLLAR(J420,2)&DOLLAR(-1.5)")
'=DOLLAR(ROIXL_NUMERIC(J420),2)&DOLLAR(-1.5)'
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from ..errors import UnresolvedFormula
from .conditional_guard import rewrite_calls

NUMERIC = "ROIXL_NUMERIC"
#: why a cell whose DOLLAR was given a text keeps Excel's value
DOLLAR_REASON = (
    "DOLLAR of a text: Excel reads it as a number in the user's language (currency sign, "
    "separators), which the refresh cannot know (Excel's value kept)"
)
#: why a statistical function given a typed text keeps Excel's value
TYPED_TEXT_REASON = (
    "{name} with a text typed as an argument: Excel reads typed text otherwise than text "
    "in a cell, differently by function (Excel's value kept)"
)
#: The functions :func:`typed_text` keeps (their typed text: counted, an error or skipped
#: depending on the function; the engine skips it or reads it as the number).
TYPED_TEXT_FUNCTIONS = frozenset(
    (
        "AVERAGE AVERAGEA MAX MAXA MIN MINA MEDIAN MODE MODE.SNGL MODE.MULT STDEV STDEV.S "
        "STDEV.P STDEVA STDEVP STDEVPA VAR VAR.S VAR.P VARA VARP VARPA GEOMEAN HARMEAN KURT "
        "SKEW SKEW.P AVEDEV DEVSQ"
    ).split()
)

_NAMES = frozenset(("COUNT", "IF", "NOT", "DOLLAR"))
#: The characters of COUNT arguments that are plain references, ranges, names, numbers or
#: logicals (deleted by :meth:`str.translate`: what is left means an operator, a call, an
#: error or a text, which :func:`rewrite` may wrap).
_PLAIN = str.maketrans(
    "", "", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789$:!.,_' "
)


_QUOTE_AT = re.compile(r'\s*(?:"|&quot;)')


def _after(text: str, word: str) -> Iterator[int]:
    """The indexes just after each ``word`` in ``text``."""
    at = text.find(word)
    while at >= 0:
        yield at + len(word)
        at = text.find(word, at + len(word))


_LOGICAL_TEXT = re.compile(r'\s*"(TRUE|FALSE)"\s*', re.I)
_ERROR_LITERAL = re.compile(r"\s*#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A)\s*", re.I)
_NUMBER = re.compile(r"\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*")
_STRING = re.compile(r'"(?:[^"]|"")*"')
_SHEET = re.compile(r"(?:'(?:[^']|'')*'|[A-Za-z_][\w.]*)!")
_CELL_REF = re.compile(r"\$?[A-Za-z]{1,3}\$?\d+")
_WORD = re.compile(r"[A-Za-z_][\w.]*")
#: Functions that may answer a reference (COUNT skips the errors of a referenced cell).
_REFERENCE_FUNCTIONS = frozenset(
    "OFFSET INDEX INDIRECT CHOOSE IF IFS SWITCH LET XLOOKUP LAMBDA IFERROR IFNA "
    "CHOOSECOLS CHOOSEROWS TAKE DROP FILTER SORT SORTBY UNIQUE VSTACK HSTACK TOCOL TOROW "
    "EXPAND WRAPROWS WRAPCOLS TRIMRANGE".split()
)


def may_have(text: str) -> bool:
    """A cheap test: could :func:`rewrite` change ``text``? (A false positive only costs
    a look at the formula.) Substring searches first: 10⁵ formulas without COUNT or a
    quote are read in ~0.02 s, 10⁵ ``IF(A1>0,COUNT(B1:C1),...)`` in ~0.17 s (measured on
    the shared 2-core machine; numeric_args.may_have: 0.32 s).

    >>> [may_have(f) for f in ("COUNT(A:A,B1:B9)", "COUNT(1/0)", 'IF("x",1)', "IF(A1,1)")]
    [False, True, True, False]
    """
    count = "COUNT(" in text
    if not count and '"' not in text and "&quot;" not in text:
        return "DOLLAR(" in text
    if "DOLLAR(" in text:
        return True
    if ('"' in text or "&quot;" in text) and ("IF(" in text or "NOT(" in text):
        for word in ("IF(", "NOT("):
            for at in _after(text, word):
                if _QUOTE_AT.match(text, at):
                    return True
    if count:
        for at in _after(text, "COUNT("):
            end = text.find(")", at)
            if end < 0 or text[at:end].translate(_PLAIN):
                return True
    return False


def rewrite(formula: str) -> str:
    """``formula`` with COUNT's typed errors, IF's and NOT's typed logical texts and
    DOLLAR's argument put as the module's docstring says (nested calls too)."""
    if not may_have(formula.upper() if not formula.isupper() else formula):
        return formula

    def put(f: str, start: int, at: int, name: str, args: list[str], end: int) -> Any:
        if end <= 0:
            return None
        inner = [rewrite(a) for a in args]
        if name == "COUNT":
            inner = [f'IFERROR({a},"")' if _value_argument(a) else a for a in inner]
        elif name in ("IF", "NOT") and inner:
            m = _LOGICAL_TEXT.fullmatch(inner[0])
            if m:
                inner[0] = m.group(1).upper()
        elif name == "DOLLAR" and inner and not _NUMBER.fullmatch(inner[0]):
            if inner[0].strip().startswith('"'):
                raise UnresolvedFormula(DOLLAR_REASON)
            inner[0] = f"{NUMERIC}({inner[0]})"
        return f"{f[start:at]}({','.join(inner)})", end + 1

    return rewrite_calls(formula, _NAMES, put)


def _value_argument(arg: str) -> bool:
    """Whether a COUNT argument is a value that may be an error and cannot be a reference.

    >>> [_value_argument(a) for a in ("#N/A", "1/0", "A1", "A1:A3", "Sheet2!B1*2", "Total")]
    [True, True, False, False, True, False]
    >>> [_value_argument(a) for a in ('"x"', "3", "VLOOKUP(1,A:B,2,0)", "INDEX(A:A,2)", "{1}")]
    [False, False, True, False, False]
    """
    if _ERROR_LITERAL.fullmatch(arg):
        return True
    text = _SHEET.sub("", _STRING.sub('""', arg)).strip()
    if not text or "{" in text or _NUMBER.fullmatch(text) or text == '""':
        return False
    if _CELL_REF.fullmatch(text):
        return False
    depth, level = 0, []
    for ch in text:
        level.append(depth)
        depth += (ch == "(") - (ch == ")")
        if ch == ":" and depth == 0:
            return False  # a range (or a range operator) at the argument's top level
    for m in _WORD.finditer(text):
        if level[m.start()]:
            continue  # inside a call: its own argument
        word = m.group(0).upper().removeprefix("_XLFN.")
        if text[m.end() : m.end() + 1] == "(":
            if word in _REFERENCE_FUNCTIONS:
                return False
        elif not (_CELL_REF.fullmatch(m.group(0)) or word in ("TRUE", "FALSE")):
            return False  # a defined name may be a range
    return True


def typed_text(args: list[str]) -> bool:
    """Whether a call's top-level arguments (strings blanked to ``""``) hold a typed text:
    a string literal, or a concatenation.

    >>> typed_text(["B8", '""', "2"]), typed_text(["A1:A9", 'IF(A1="",1,2)']), typed_text(['A1&""'])
    (True, False, True)
    """
    return any(a.strip() == '""' or "&" in a for a in args)


def numeric(value: Any) -> Any:
    """``ROIXL_NUMERIC``: DOLLAR's number handed on, "not computed" for a text, a logical
    or an array (:data:`DOLLAR_REASON`); an error is passed on, a blank is 0."""
    import formualizer as fz

    if isinstance(value, dict) and value.get("type") == "Error":
        return fz.LiteralValue.error(value.get("kind", "Value"), None)
    if isinstance(value, (str, bool, list)):
        return fz.LiteralValue.error("NImpl", None)
    return 0.0 if value is None else value


def register(wb: Any, seen: set[str] | None) -> None:
    """Register ``ROIXL_NUMERIC`` where a formula may need it (``seen``: the names the
    formulas call, None for every name)."""
    if seen is not None and "DOLLAR" not in seen:
        return
    wb.register_function(NUMERIC, numeric, min_args=1, max_args=1)
