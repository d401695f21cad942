"""A function of one value given an array, as the engine must see it: the array of its
per-element calls.

Excel applies a function of one value (ABS, LEN, ISNUMBER, ROUND, TRIM...: the
:data:`engine_gaps.SCALAR_FUNCTIONS`) to each element of an array it is given where the
argument is not implicitly intersected: inside SUMPRODUCT (whose arguments Excel always
evaluates as arrays) and anywhere in an array formula. formualizer does not
(``SUMPRODUCT(ABS(A1:A3))`` was #VALUE!, ``SUMPRODUCT(--ISNUMBER(A1:A3))`` 0). In the
engine's copy of the formula only, the outermost call of a chain of such functions whose
arguments hold literal ranges becomes the array of its element calls, each range written
as its cell, by the engine's own VSTACK and HSTACK (:func:`lambdas._stack`)::

    SUMPRODUCT(ABS(A1:A3))          →  SUMPRODUCT(VSTACK(ABS(A1),ABS(A2),ABS(A3)))
    {=SUM(ROUND(A1:A2*B1:B2,2))}    →  SUM(VSTACK(ROUND(A1*B1,2),ROUND(A2*B2,2)))
    LEN(TRIM(A1:B2)) in an array formula: VSTACK of HSTACKs, TRIM guarded (below)

A single cell (or a range of one cell), a number, a text or a logical is the same in every
element, as Excel broadcasts it; a range of one row (one column) is the same in every row
(column), so a column against a row is their table, as in Excel. Ranges of different
sizes otherwise (Excel: #N/A where one is shorter) are kept: where the missing element
meets IF, IFERROR or an IS function the element is not simply #N/A. ``ROW`` and ``COLUMN``
of a range inside the chain are taken cell by cell too (``MOD(ROW(A1:A9),2)``), an array
constant element by element (``ABS({1,-2,3})``), and an aggregate inside the chain
(``ABS(A1:A3-AVERAGE(A1:A3))``) is copied into each element as written (a chain inside
it is written out first).

A built-in of :data:`engine_gaps.RAISERS` (UPPER, TRIM, SEARCH, VALUE...) raises its error
argument past the VSTACK it sits in, so one error element would make the whole array that
error. Each of their calls is written with its arguments bound by LET, an error argument
given as itself (the leftmost, as Excel and the engine answer such a call alone) and the
function called only otherwise::

    TRIM(A1)  →  LET(_xlpm.roixl_g1,A1,IF(ISERROR(_xlpm.roixl_g1),_xlpm.roixl_g1,TRIM(_xlpm.roixl_g1)))

Raises :class:`UnresolvedFormula` (the cell keeps Excel's value) with
:data:`engine_gaps.ARRAY_TO_SCALAR`'s reason where that is not exact: a name, a computed
array or a call of another function inside the chain (but those that always answer one
value, :data:`SINGLE_VALUE`; ``SUMPRODUCT(ABS(OFFSET(B1,0,0,3)))`` and
``ABS(IF(A1:A3>0,...))`` were #VALUE! and are kept, with a range or without), RAND and its
kin (Excel computes them once for the whole array), more than :data:`lambdas.MAX_CALLS`
elements (a whole column), ranges of different sizes, a union or an intersection of
references; and outside an array formula a chain not right inside SUMPRODUCT
(``SUM(ABS(A1:A3))`` is implicitly intersected there by Excel before 365).

>>> expand("SUMPRODUCT(ABS(A1:A3))", "normal")
'SUMPRODUCT(VSTACK(ABS(A1),ABS(A2),ABS(A3)))'
>>> expand("SUM(ROUND(A1:B1*C1,2))", "array")
'SUM(HSTACK(ROUND(A1*C1,2),ROUND(B1*C1,2)))'
>>> expand("SUM(ABS(A1:A3))", "normal")
Traceback (most recent call last):
...
roi_xl.errors.UnresolvedFormula: ABS of an array: the engine does not apply it to each element (Excel's value kept)
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field

from ..errors import UnresolvedFormula
from . import engine_gaps, lambdas
from .tables import quoted_end

#: Functions whose arguments Excel evaluates as arrays in an ordinary formula too: a chain
#: of functions of one value right inside them is applied element by element.
FORCE_ARRAY = frozenset({"SUMPRODUCT"})
#: Functions inside a chain that answer one value whatever they are given (copied into
#: each element as written): aggregates and counts of ranges.
SINGLE_VALUE = frozenset(
    "SUM AVERAGE AVERAGEA COUNT COUNTA COUNTBLANK MAX MAXA MIN MINA PRODUCT MEDIAN "
    "STDEV STDEV.S STDEV.P STDEVP VAR VAR.S VAR.P VARP ROWS COLUMNS PI TODAY NOW".split()
)
#: Functions that give a reference's position, taken cell by cell inside a chain.
_POSITION = frozenset({"ROW", "COLUMN"})
_VOLATILE = frozenset({"RAND", "RANDBETWEEN", "RANDARRAY"})
GUARD = "_xlpm.roixl_g"
_LITERAL = re.compile(r'\s*(?:-?\d+(?:\.\d+)?(?:E[+-]?\d+)?|"(?:[^"]|"")*"|TRUE|FALSE)?\s*', re.I)
_NAME = re.compile(r"[A-Za-z_\\][\w.]*")
_CELL = re.compile(r"(?:(?:'(?:[^']|'')+'|[A-Za-z_][\w.]*)!)?\$?[A-Za-z]{1,3}\$?\d+(?![\w(!:])")


def may_have(text: str) -> bool:
    """A cheap test: could ``text`` (a formula with strings or not) give a range to a
    function of one value? (:data:`engine_gaps.SCALAR_ARGUMENT` over its shape.)

    >>> may_have("SUMPRODUCT(LEN(A1:A9))"), may_have("SUM(A1:A9)")
    (True, False)
    """
    return ":" in text and bool(engine_gaps.SCALAR_ARGUMENT.search(text.translate(_ONES).upper()))


_ONES = str.maketrans("0123456789", "1111111111")


@dataclass
class _Node:
    """A call (``name``: capitals, prefixes dropped; "" for grouping parentheses, "{" for
    an array constant) from ``start`` (its name) to ``close`` (its ``)``)."""

    name: str
    start: int
    open: int
    close: int = -1
    parent: "_Node | None" = None
    children: list["_Node"] = field(default_factory=list)
    commas: list[int] = field(default_factory=list)


def _parse(text: str) -> tuple[_Node, list[tuple[int, int]]]:
    """The tree of calls of ``text`` and the spans of its strings and quoted names."""
    root = _Node("", -1, -1, len(text))
    node, quoted, i, n = root, [], 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "\"'":
            j = quoted_end(text, i)
            quoted.append((i, j))
            i = j
            continue
        if ch in "({":
            name = ""
            start = i
            if ch == "{":
                name = "{"
            else:
                m = re.search(r"([A-Za-z_][\w.]*)\s*$", text[max(0, i - 80) : i])
                if m and not re.search(r"[\w.$]$", text[: i - len(m.group(0))]):
                    name = m.group(1).upper()
                    for prefix in ("_XLFN._XLWS.", "_XLFN.", "_XLWS."):
                        name = name.removeprefix(prefix)
                    start = i - len(m.group(0))
            child = _Node(name, start, i, parent=node)
            node.children.append(child)
            node = child
        elif ch in ")}" and node.parent is not None:
            node.close = i
            node = node.parent
        elif ch in ",;" and node is not root:
            node.commas.append(i)
        i += 1
    if node is not root:
        raise UnresolvedFormula("unbalanced parentheses")
    return root, quoted


def _call_of(node: _Node | None) -> _Node | None:
    """The nearest call ``node`` is in or is (grouping parentheses skipped)."""
    while node is not None and node.name == "":
        node = node.parent
    return node


def _scalar(node: _Node | None) -> bool:
    return node is not None and node.name in engine_gaps.SCALAR_FUNCTIONS


def _innermost(root: _Node, pos: int) -> _Node:
    node = root
    while True:
        for child in node.children:
            if child.open < pos < child.close:
                node = child
                break
        else:
            return node


def _chain_root(node: _Node) -> _Node:
    """The outermost call of functions of one value whose argument holds ``node``'s."""
    while _scalar(_call_of(node.parent)):
        node = _call_of(node.parent)  # type: ignore[assignment]
    return node


#: Functions that answer an array (of a size the text does not tell): given to a chain,
#: the cell is kept; and those that may (IF of an array...), where a range or an array
#: constant is among their arguments.
_ARRAYS = frozenset(
    "OFFSET INDIRECT SEQUENCE FILTER SORT SORTBY UNIQUE TRANSPOSE RANDARRAY TOCOL TOROW "
    "VSTACK HSTACK CHOOSEROWS CHOOSECOLS TAKE DROP EXPAND MMULT MINVERSE FREQUENCY TEXTSPLIT "
    "WRAPROWS WRAPCOLS MUNIT".split()
)
_MAY_BE_ARRAYS = frozenset(
    "IF IFERROR IFNA IFS SWITCH CHOOSE INDEX LOOKUP HLOOKUP VLOOKUP XLOOKUP MATCH XMATCH "
    "LET LARGE SMALL".split()
)


def _walk(node: _Node) -> list[_Node]:
    out, todo = [], list(node.children)
    while todo:
        n = todo.pop()
        out.append(n)
        todo.extend(n.children)
    return out


_QUOTED_NAME = re.compile(r"'(?:[^']|'')*'")


def _blank_quoted(text: str) -> str:
    return _QUOTED_NAME.sub(lambda m: "_" * len(m.group(0)), text)


def _computed(roots: dict[int, _Node], node: _Node, kind: str) -> None:
    """Note the chain a computed array ``node`` is given to, where Excel applies it element
    by element (in an ordinary formula elsewhere, Excel takes one value of the array)."""
    top = _chain_root(_call_of(node.parent))  # type: ignore[arg-type]
    outer = _call_of(top.parent)
    if kind == "array" or outer is not None and outer.name in FORCE_ARRAY:
        roots[top.start] = top


def _holds_array(formula: str, node: _Node) -> bool:
    text = formula[node.open : node.close]
    return "{" in text or ":" in text


def expand(formula: str, kind: str) -> str:
    """``formula`` with each chain of functions of one value given literal ranges, where
    Excel applies it element by element, written as the array of its element calls (see
    the module's docstring). Raises :class:`UnresolvedFormula` where that is not exact.

    Parameters
    ----------
    formula : str
        The formula as the engine will read it (implicit intersections done).
    kind : str
        ``normal``, ``shared`` or ``array`` (an array formula: every chain is lifted).

    Returns
    -------
    str
        The rewritten formula (``formula`` itself when no chain is given an array).
    """
    if GUARD.upper() in formula.upper():
        raise UnresolvedFormula(f"a name the array rewrite would introduce ({GUARD}...)")
    return _Expansion(kind == "shared").expand(formula, kind)


def _roots(formula: str, kind: str) -> tuple[dict[int, _Node], list[tuple[int, int]]]:
    """The chains of ``formula`` given an array, by where they start; the quoted spans."""
    tree, quoted = _parse(formula)
    roots: dict[int, _Node] = {}
    for m in engine_gaps._RANGE.finditer(formula):
        if any(a <= m.start() < b and formula[a] == '"' for a, b in quoted):
            continue
        inner = _innermost(tree, m.start())
        call = _call_of(inner)
        if call is not None and call.name in _POSITION:
            if _scalar(_call_of(call.parent)):
                _computed(roots, call, kind)
            continue
        if not _scalar(call):
            continue
        top = _chain_root(call)  # type: ignore[arg-type]
        roots[top.start] = top
    for node in _walk(tree):  # a computed array given to a chain: kept below
        if _scalar(_call_of(node.parent)) and (
            node.name in _ARRAYS
            or node.name == "{"  # an array constant: written out element by element
            or node.name in _MAY_BE_ARRAYS
            and _holds_array(formula, node)
        ):
            _computed(roots, node, kind)
    return roots, quoted


class _Expansion:
    def __init__(self, shared: bool) -> None:
        self.formula, self.quoted, self.shared = "", [], shared
        self.fresh = 0
        self.elements = 0

    def expand(self, formula: str, kind: str) -> str:
        """:func:`expand`: the innermost chains first (one inside an aggregate of another
        is written out before the other's elements copy it), then again."""
        roots, quoted = _roots(formula, kind)
        if not roots:
            return formula
        self.formula, self.quoted = formula, quoted
        inner = [
            r
            for r in roots.values()
            if not any(
                o is not r and r.start < o.start and o.close < r.close for o in roots.values()
            )
        ]
        out, last = [], 0
        for top in sorted(inner, key=lambda r: r.start):
            parent = _call_of(top.parent)
            if kind != "array" and (parent is None or parent.name not in FORCE_ARRAY):
                raise UnresolvedFormula(engine_gaps.ARRAY_TO_SCALAR.format(name=top.name))
            out.append(formula[last : top.start] + self.lift(top))
            last = top.close + 1
        out.append(formula[last:])
        text = "".join(out)
        return text if len(inner) == len(roots) else self.expand(text, kind)

    def lift(self, top: _Node) -> str:
        """The chain ``top`` as the array of its element calls."""
        arrays: dict[tuple[int, int], lambdas._Grid | lambdas._Constant] = {}
        self.leaves(top, top, arrays)
        if not arrays:
            return self.formula[top.start : top.close + 1]
        rows = max(g.rows for g in arrays.values())
        cols = max(g.cols for g in arrays.values())
        if any(g.rows not in (1, rows) or g.cols not in (1, cols) for g in arrays.values()):
            raise UnresolvedFormula(
                f"{top.name} of arrays of different sizes (Excel: #N/A where one is shorter)"
            )
        self.elements += rows * cols
        if self.elements > lambdas.MAX_CALLS:
            raise UnresolvedFormula(
                f"{top.name} of an array of more than {lambdas.MAX_CALLS} elements: the "
                "engine does not apply it to each element"
            )
        return lambdas._stack(
            [[self.element(top, arrays, r, c) for c in range(cols)] for r in range(rows)]
        )

    def leaves(self, node: _Node, top: _Node, arrays: dict) -> None:
        """Check the chain under ``node`` and note its arrays by span: (kind, grid)."""
        f = self.formula
        pos = node.open + 1
        for child in node.children + [None]:
            end = node.close if child is None else child.start
            self.plain(f[pos:end], pos, top, arrays)
            if child is None:
                break
            if child.name == "{":
                constant = lambdas._constant(f[child.open : child.close + 1])
                if constant is None:
                    raise UnresolvedFormula(f"{top.name} of an array constant it cannot read")
                arrays[(child.open, child.close + 1)] = constant
            elif child.name in _POSITION:
                args = f[child.open + 1 : child.close]
                if child.children:
                    raise UnresolvedFormula(engine_gaps.ARRAY_TO_SCALAR.format(name=top.name))
                if args.strip():  # ROW(): the formula's own row
                    g = lambdas._grid(child.name, args, self.shared)
                    if g.rows * g.cols > 1:
                        arrays[(child.open + 1, child.close)] = g
            elif child.name in _VOLATILE:
                raise UnresolvedFormula(
                    f"{child.name} in {top.name} of an array: Excel computes it once for the "
                    "whole array"
                )
            elif child.name == "" and child.commas:
                raise UnresolvedFormula(f"{top.name} of a union of references: not computed")
            elif child.name == "" or child.name in engine_gaps.SCALAR_FUNCTIONS:
                self.leaves(child, top, arrays)
            elif child.name not in SINGLE_VALUE:
                raise UnresolvedFormula(
                    f"{top.name} of what {child.name} answers: the engine does not apply it "
                    "to each element"
                )
            pos = child.close + 1

    def plain(self, text: str, at: int, top: _Node, arrays: dict) -> None:
        """Note the ranges of ``text`` (no call in it) and refuse the names."""
        masked = text
        for a, b in self.quoted:
            if at <= a < at + len(text) and self.formula[a] == '"':
                masked = masked[: a - at] + " " * (b - a) + masked[b - at :]
        if " " in text and engine_gaps._INTERSECTION.search(_blank_quoted(masked)):
            raise UnresolvedFormula(f"{top.name} of an intersection of references: not computed")
        for m in engine_gaps._RANGE.finditer(masked):
            g = lambdas._grid(top.name, m.group(0), self.shared)
            arrays[(at + m.start(), at + m.end())] = g
            masked = masked[: m.start()] + " " * (m.end() - m.start()) + masked[m.end() :]
        masked = _CELL.sub(lambda m: " " * len(m.group(0)), masked)
        masked = re.sub(r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|#[A-Z/0!?]+", " ", masked)
        for m in _NAME.finditer(masked):
            if m.group(0).upper() not in ("TRUE", "FALSE"):
                raise UnresolvedFormula(
                    f"{top.name} of {m.group(0)}: a name, which may be an array"
                )

    def element(self, node: _Node, arrays: dict, r: int, c: int) -> str:
        """The text of ``node``'s call for the element in row ``r``, column ``c``."""
        f = self.formula
        spans = sorted(arrays)
        parts, pos = [], node.start

        def piece(a: int, b: int) -> str:
            out, p = [], a
            for s, e in spans:
                if a <= s and e <= b:
                    i, j = min(r, arrays[(s, e)].rows - 1), min(c, arrays[(s, e)].cols - 1)
                    out.append(f[p:s] + arrays[(s, e)].span(i, j, i, j))
                    p = e
            out.append(f[p:b])
            return "".join(out)

        if node.name in engine_gaps._RAISER_NAMES:
            args, begin = [], node.open + 1
            for k in node.commas + [node.close]:
                args.append(self.between(node, begin, k, arrays, r, c))
                begin = k + 1
            return self.guard(f[node.start : node.open], args)
        parts.append(f[pos : node.open + 1])
        pos = node.open + 1
        for child in node.children:
            parts.append(piece(pos, child.start))
            if child.name == "" or child.name in engine_gaps.SCALAR_FUNCTIONS:
                parts.append(self.element(child, arrays, r, c))
            else:
                parts.append(piece(child.start, child.close + 1))
            pos = child.close + 1
        parts.append(piece(pos, node.close + 1))
        return "".join(parts)

    def between(self, node: _Node, a: int, b: int, arrays: dict, r: int, c: int) -> str:
        """The text of ``node``'s argument from ``a`` to ``b`` for one element."""
        inner = _Node("", a - 1, a - 1, b)
        inner.children = [ch for ch in node.children if a <= ch.start and ch.close < b]
        return self.element(inner, arrays, r, c)[1:-1]

    def guard(self, name: str, args: list[str]) -> str:
        """``name(args...)`` with each argument that may be an error bound and given as
        itself when it is one (the leftmost first)."""
        bindings, call, errors = [], [], []
        for a in args:
            if _LITERAL.fullmatch(a):
                call.append(a)
                continue
            self.fresh += 1
            g = f"{GUARD}{self.fresh}"
            bindings += [g, a]
            call.append(g)
            errors.append(g)
        text = f"{name}({','.join(call)})"
        for g in reversed(errors):
            text = f"IF(ISERROR({g}),{g},{text})"
        return f"LET({','.join(bindings + [text])})" if bindings else text


@lru_cache(maxsize=1)
def _computed_argument() -> re.Pattern[str]:
    """A call of ``ROW``, ``COLUMN`` or a function that may answer an array, or an array
    constant, right inside a function of one value, in a shape (capitals, every digit a 1, as
    :data:`engine_gaps.SCALAR_ARGUMENT` is written)."""
    names = sorted(_POSITION | _ARRAYS | _MAY_BE_ARRAYS, key=len, reverse=True)
    scalar = "|".join(
        re.escape(n.translate(_ONES))
        for n in sorted(engine_gaps.SCALAR_FUNCTIONS, key=len, reverse=True)
    )
    return re.compile(
        r"(?<![\w.])(?:_XLFN\.)?(?:"
        + scalar
        + r")\([^()\n]*?(?:\{|(?<![\w.])(?:_XLFN\.)?(?:"
        + "|".join(re.escape(n) for n in names)
        + r")\()"
    )


def may_have_computed(text: str) -> bool:
    """A cheap test: could ``text`` give ``ROW`` or ``COLUMN`` of a range or a computed
    array to a function of one value (``MOD(ROW(A1:A9),2)``, ``ABS(IF(A1:A3>0,...))``)?

    >>> may_have_computed("SUMPRODUCT(MOD(ROW(A1:A9),2))"), may_have_computed("ROW(A1:A9)")
    (True, False)
    >>> may_have_computed("SUMPRODUCT(ABS({1,-2}))"), may_have_computed("SUMPRODUCT(A1:A2,{1;2})")
    (True, False)
    """
    upper = text.upper()
    return "(" in upper and bool(_computed_argument().search(upper.translate(_ONES)))
