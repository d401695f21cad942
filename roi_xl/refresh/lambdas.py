"""LAMBDA calls and the functions that take one (MAP, BYROW, BYCOL, REDUCE, SCAN, MAKEARRAY,
ISOMITTED), as the engine must see them.

formualizer (0.13) has LET and can call a LAMBDA bound by LET (``LET(f,LAMBDA(x,x+1),f(2))``),
but it cannot invoke one written in place (``LAMBDA(x,x+1)(2)``: "Immediate-invocation
calls are not yet supported"), hand one to a function, or answer ISOMITTED; MAP and the
others it does not have. The engine stays the evaluator: in the engine's copy of the
formula only, each call becomes formulas it does compute, a LET binding per parameter::

    LAMBDA(x,y,body)(a,b)          →  LET(x,a,y,b,body)
    BYROW(A1:C2,LAMBDA(r,body))    →  VSTACK(ONE(LET(r,A1:C1,body)),ONE(LET(r,A2:C2,body)))
    BYCOL: HSTACK of the columns; MAP(A1:B2,C1:D2,LAMBDA(x,y,body)): VSTACK of HSTACKs,
    cell by cell; MAKEARRAY(2,3,LAMBDA(i,j,body)): the same over literal indices;
    REDUCE(init,A1:A3,LAMBDA(a,v,body)): one LET whose bindings chain the accumulators
    (acc1 = LET(a,init,v,A1,body), acc2 = LET(a,acc1,v,A2,body), ...); SCAN: every
    accumulator in the array's shape.

An array constant's element (``MAP({1,2,3},LAMBDA(a,a+1))``) is bound as written. A cell or
row of a range is bound as a reference, as Excel hands a range's parts to the LAMBDA
(``ROW(r)``, ``ISREF(r)`` and ``OFFSET(r,...)`` see the cell; Microsoft's pages do not say
it in words, and the coverage table's cases do not depend on it). ``ONE`` (:data:`ONE`, a
function registered by :func:`register`) passes a single value through and answers "not
computed" for an array: Excel's MAP, BYROW, BYCOL, SCAN and MAKEARRAY answer ``#CALC!`` for a
LAMBDA result that is an array, which a VSTACK would have spread instead. ISOMITTED of a
parameter becomes TRUE or FALSE, known from the call; an omitted parameter is bound to
:data:`OMITTED` (the engine's "not computed", so a body that uses it keeps Excel's value).

A LAMBDA held in a defined name (``PlusOne`` = ``LAMBDA(n,n+1)``, called ``PlusOne(A1)`` or
handed over by name, ``MAP(A1:A3,PlusOne)``) is written out where it is called, the same
way, unless its body names something the formula binds (written there, it would see it),
holds a relative reference, or calls itself.

A computed array of a size known from the text (``SEQUENCE(3)``, ``SEQUENCE(2,4,...)``)
is bound once by a LET around the call, and its elements taken by INDEX (rows and columns
by CHOOSEROWS and CHOOSECOLS): evaluated once, as Excel does, and handed over as values.

What is not rewritten raises :class:`UnresolvedFormula` with the reason, and the cell keeps
Excel's value: an array of a size the text does not tell (``MAP(FILTER(...),...)``, a
name, a whole column), a function that is not a LAMBDA written in the call (a name bound
by LET, a function handed over by name but those of :data:`ETA_FUNCTIONS`), more than
:data:`MAX_CALLS` LAMBDA calls, a REDUCE or SCAN without an initial value (Microsoft's
page and its own example disagree on what it starts from), an argument that names a
parameter bound before it (LET binds in order, a LAMBDA's arguments are the caller's),
parameters that are not names, ISOMITTED anywhere else. The LAMBDA's body is copied as
written, so names inside its texts, functions called like a parameter, nested LAMBDAs and
LETs mean what they meant.

>>> rewrite("=_xlfn.LAMBDA(_xlpm.x,_xlpm.x+1)(2)")
'=LET(_xlpm.x,2,_xlpm.x+1)'
>>> rewrite("=_xlfn.BYROW(A1:B2,_xlfn.LAMBDA(_xlpm.r,SUM(_xlpm.r)))")
'=VSTACK(ROIXL_ONE(LET(_xlpm.r,A1:B1,SUM(_xlpm.r))),ROIXL_ONE(LET(_xlpm.r,A2:B2,SUM(_xlpm.r))))'
>>> rewrite('=LAMBDA(x,y,IF(ISOMITTED(y),"no y",x+y))(1,)')
'=LET(x,1,y,ROIXL_OMITTED(),IF(TRUE,"no y",x+y))'
>>> rewrite("=MAP(SEQUENCE(2),LAMBDA(x,x*2))")
'=LET(_xlpm.roixl_1_array,SEQUENCE(2),VSTACK(ROIXL_ONE(LET(x,INDEX(_xlpm.roixl_1_array,1,1),x*2)),ROIXL_ONE(LET(x,INDEX(_xlpm.roixl_1_array,2,1),x*2))))'
>>> rewrite("=MAP(FILTER(A1:A9,A1:A9>0),LAMBDA(x,x*2))")  # done to each element alike
'=LET(x,FILTER(A1:A9,A1:A9>0),x*2)'
>>> rewrite("=MAP(FILTER(A1:A9,A1:A9>0),LAMBDA(x,SUM(x)))")
Traceback (most recent call last):
...
roi_xl.errors.UnresolvedFormula: MAP of an array that is not a literal reference, constant or SEQUENCE of literal size (FILTER(A1:A9,A1:A9>0))
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from ..errors import UnresolvedFormula
from . import omitted_args
from .conditional_guard import _arguments, rewrite_calls
from .sheet import col_name
from .tables import quoted_end

#: Those whose result holds :data:`ONE`'s "not computed" when a LAMBDA result is an array:
#: an IFERROR around them would catch it (engine_gaps keeps such cells).
GUARDED = ("MAP", "BYROW", "BYCOL", "SCAN", "MAKEARRAY")
_HELPERS = frozenset({"MAP", "BYROW", "BYCOL", "REDUCE", "SCAN", "MAKEARRAY"})
_CALLS = _HELPERS | {"LAMBDA"}
#: Functions that may be handed over by name, as Excel's "eta lambda" (``BYROW(A1:C3,SUM)``,
#: in the file ``_xleta.SUM``): ``LAMBDA(r,SUM(r))``. Only built-ins the engine computes as
#: Excel does with no override or guard of ours (those are chosen by the calls a formula
#: writes, and a name handed over is not a call).
ETA_FUNCTIONS = frozenset(
    "SUM MAX MIN AVERAGE PRODUCT SUMSQ COUNT COUNTA MEDIAN ABS SQRT INT SIGN AND OR NOT LEN "
    "UPPER LOWER TRIM".split()
)
_ETA = re.compile(r"(_xleta\.)?([A-Za-z][\w.]*)", re.I)
ONE = "ROIXL_ONE"
OMITTED = "ROIXL_OMITTED"
#: Why a cell whose :data:`ONE` or :data:`OMITTED` answered "not computed" keeps its value.
REASON = (
    "a LAMBDA result that is an array (Excel answers #CALC!) or an omitted LAMBDA "
    "argument used in its body: not computed"
)
#: LAMBDA calls one formula may expand into: each is a copy of the body in the engine's
#: copy of the formula (10 000 copies of a 100-character body are a 1 MB formula, parsed
#: once); a larger MAP or BYROW keeps Excel's value.
MAX_CALLS = 10_000
#: Excel's grid.
_MAX_ROW, _MAX_COL = 1_048_576, 16_384

_STRINGS = re.compile(r"\"(?:[^\"]|\"\")*\"|'(?:[^']|'')*'")
#: A parameter: Excel's rules for names, but no period (Microsoft's LAMBDA page).
_PARAM = re.compile(r"(_xlpm\.)?([A-Za-z_\\]\w*)", re.I)
#: Names Excel refuses as LAMBDA or LET parameters: cell references (A1, R1C1). (Excel
#: takes R and C here: its own MAKEARRAY example is ``LAMBDA(r,c,r*c)``.)
_CELL_LIKE = re.compile(r"[A-Z]{1,3}\d+|R\d+C\d+", re.I)
_REF = re.compile(
    r"(?P<sheet>(?:'(?:[^']|'')+'|[A-Za-z_][\w.]*)!)?"
    r"(?P<ca>\$?)(?P<c1>[A-Za-z]{1,3})(?P<ra>\$?)(?P<r1>\d+)"
    r"(?::(?P<cb>\$?)(?P<c2>[A-Za-z]{1,3})(?P<rb>\$?)(?P<r2>\d+))?"
)
_ISOMITTED = re.compile(
    r"(?<![\w.])(?:_xlfn\.)?ISOMITTED\(\s*(?:_xlpm\.)?([A-Za-z_][\w.]*)\s*\)", re.I
)


def may_have(text: str) -> bool:
    """A cheap test: could ``text`` call LAMBDA or hand a function over by name? (Excel
    writes ``LAMBDA`` and ``_xleta.``; a spelling this misses reaches the engine unchanged,
    which does not compute it: the cell is kept.)"""
    return "AMBDA" in text or "ambda" in text or "_xleta." in text  # _xleta.: ETA_FUNCTIONS


def rewrite(formula: str, kind: str = "normal", named: dict[str, str] | None = None) -> str:
    """``formula`` with every LAMBDA call and every MAP, BYROW, BYCOL, REDUCE, SCAN and
    MAKEARRAY written as LET bindings the engine computes (see the module's docstring);
    ``kind``: the cell's formula kind (``shared``: the ranges must keep their size in
    every cell of the block). Raises :class:`UnresolvedFormula` with the reason the cell
    must keep Excel's value.

    Parameters
    ----------
    formula : str
        The formula text, as the file holds it (``_xlfn.`` and ``_xlpm.`` prefixes or not).
    kind : str
        ``normal``, ``shared`` or ``array``.
    named : dict of str to str, optional
        The workbook's LAMBDAs held in defined names (``engine_input.named_lambdas``): a call of
        such a name is the call of its LAMBDA.

    Returns
    -------
    str
        The formula for the engine's copy (``formula`` itself when it calls no LAMBDA).
    """
    named = named or {}
    if not may_have(formula) and not (named and calls_named(formula, named)):
        return formula
    if "ROIXL_" in formula.upper():  # the names this rewrite introduces
        raise UnresolvedFormula("a name the LAMBDA rewrite would introduce (ROIXL_...)")
    work = _Rewrite(formula, kind == "shared", named)
    text = work.text(formula)
    if work.calls == 0 and text == formula:
        return formula
    if _outside_strings(text, lambda t: bool(_ISOMITTED.search(t))):
        raise UnresolvedFormula("ISOMITTED outside a LAMBDA call that the formula makes")
    return text


def register(wb: Any, formulas: Iterable[str] | None, upper: str | None = None) -> None:
    """Register :data:`ONE` and :data:`OMITTED` where a formula may need them (all when
    ``formulas`` is None).

    Parameters
    ----------
    wb : formualizer.Workbook
        The engine's workbook.
    formulas : iterable of str or None
        The workbook's formula texts.
    upper : str or None
        The formulas joined in capitals, when the caller has them (one substring test).

    Returns
    -------
    None
    """
    import formualizer as fz

    if upper is not None:
        if "LAMBDA" not in upper and "_XLETA." not in upper:
            return
    elif formulas is not None and not any(f and may_have(f) for f in formulas):
        return

    def one(value: Any) -> Any:
        if isinstance(value, dict) and value.get("type") == "Error":
            return fz.LiteralValue.error(value.get("kind", "Value"), None)
        if isinstance(value, list):  # an array (the engine hands a 1×1 one as its value)
            return fz.LiteralValue.error("NImpl", None)
        return 0.0 if value is None else value  # a blank cell is 0, as in a spilled =A1

    wb.register_function(ONE, one, min_args=1, max_args=1)
    wb.register_function(
        OMITTED, lambda: fz.LiteralValue.error("NImpl", None), min_args=0, max_args=0
    )


@dataclass
class _Grid:
    """A literal reference: its sheet prefix, first cell, size and ``$`` anchors."""

    sheet: str
    row: int
    col: int
    rows: int
    cols: int
    col_anchor: str
    row_anchor: str

    def cell(self, i: int, j: int) -> str:
        return f"{self.col_anchor}{col_name(self.col + j)}{self.row_anchor}{self.row + i}"

    def span(self, i1: int, j1: int, i2: int, j2: int) -> str:
        first, last = self.cell(i1, j1), self.cell(i2, j2)
        return self.sheet + (first if first == last else f"{first}:{last}")


def _column(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


@dataclass
class _Constant:
    """An array constant (``{1,2;3,4}``): its elements as written, rows of columns."""

    values: list[list[str]]

    @property
    def rows(self) -> int:
        return len(self.values)

    @property
    def cols(self) -> int:
        return len(self.values[0])

    def span(self, i1: int, j1: int, i2: int, j2: int) -> str:
        part = [row[j1 : j2 + 1] for row in self.values[i1 : i2 + 1]]
        if len(part) == 1 and len(part[0]) == 1:
            return part[0][0]
        return "{" + ";".join(",".join(row) for row in part) + "}"


@dataclass
class _Computed:
    """A computed array of known size, bound by LET to ``name``: its cells, rows and
    columns are taken by INDEX, CHOOSEROWS and CHOOSECOLS (as values, as Excel hands them)."""

    name: str
    rows: int
    cols: int

    def span(self, i1: int, j1: int, i2: int, j2: int) -> str:
        if i1 == i2 and j1 == j2:
            return f"INDEX({self.name},{i1 + 1},{j1 + 1})"
        if i1 == i2:  # a whole row (BYROW)
            return f"CHOOSEROWS({self.name},{i1 + 1})"
        return f"CHOOSECOLS({self.name},{j1 + 1})"


def _constant(text: str) -> _Constant | None:
    """The array constant ``text`` is (None if it is not one).

    >>> _constant(' {1,"a,b";TRUE,-2} ').values, _constant("{1,2;3}")
    ([['1', '"a,b"'], ['TRUE', '-2']], None)
    """
    t = text.strip()
    if not (t.startswith("{") and t.endswith("}")):
        return None
    rows: list[list[str]] = []
    row: list[str] = []
    body, start, i = t[1:-1], 0, 0
    while i <= len(body):
        ch = body[i] if i < len(body) else ";"
        if ch == '"':
            i = quoted_end(body, i)
            continue
        if ch in "{}()":
            return None
        if ch in ",;":
            row.append(body[start:i].strip())
            start = i + 1
            if ch == ";":
                rows.append(row)
                row = []
        i += 1
    if any(not e for r in rows for e in r) or len({len(r) for r in rows}) != 1:
        return None
    return _Constant(rows)


def _grid(function: str, text: str, shared: bool) -> _Grid | _Constant:
    """The literal reference or array constant ``text`` is, or :class:`UnresolvedFormula`.

    >>> _grid("MAP", " Data!$B2:C4", False)
    _Grid(sheet='Data!', row=2, col=2, rows=3, cols=2, col_anchor='$', row_anchor='')
    """
    if text.strip().startswith("{"):
        constant = _constant(text)
        if constant is None:
            raise UnresolvedFormula(f"{function} of an array constant it cannot read ({text})")
        return constant
    m = _REF.fullmatch(text.strip())
    if not m:
        raise UnresolvedFormula(
            f"{function} of an array that is not a literal reference, constant or SEQUENCE of "
            f"literal size ({text.strip()})"
        )
    c1, r1 = _column(m["c1"]), int(m["r1"])
    c2, r2 = (_column(m["c2"]), int(m["r2"])) if m["c2"] else (c1, r1)
    anchors = (m["ca"], m["ra"]) if not m["c2"] else (m["ca"] + m["cb"], m["ra"] + m["rb"])
    if shared and any(a == "$" for a in anchors):  # one corner anchored, one not
        raise UnresolvedFormula(f"{function} of {text.strip()} in a shared formula")
    if max(c1, c2) > _MAX_COL or max(r1, r2) > _MAX_ROW:
        raise UnresolvedFormula(f"{function} of {text.strip()}: outside the grid")
    return _Grid(
        m["sheet"] or "",
        min(r1, r2),
        min(c1, c2),
        abs(r2 - r1) + 1,
        abs(c2 - c1) + 1,
        m["ca"],
        m["ra"],
    )


def _outside_strings(text: str, test: Any) -> bool:
    return any(test(part) for part in _STRINGS.split(text))


def _isomitted(body: str, given: dict[str, bool]) -> str:
    """``body`` with ISOMITTED of each parameter (bare name in capitals → given?) answered."""
    if "ISOMITTED" not in body.upper():
        return body
    upper = body.upper()
    if "LAMBDA" in upper or "LET(" in upper:  # a nested one may bind the same name
        raise UnresolvedFormula("ISOMITTED inside a LAMBDA that holds another LAMBDA or LET")

    def answer(m: re.Match[str]) -> str:
        name = m.group(1).upper()
        return m.group(0) if name not in given else ("FALSE" if given[name] else "TRUE")

    out, last = [], 0
    for s in _STRINGS.finditer(body):
        out.append(_ISOMITTED.sub(answer, body[last : s.start()]) + s.group(0))
        last = s.end()
    out.append(_ISOMITTED.sub(answer, body[last:]))
    return "".join(out)


def _mentions(text: str, names: set[str]) -> bool:
    """Whether ``text`` (strings aside) holds one of ``names`` (bare, capitals) as a name."""
    words = re.compile(r"(?<![\w.$!])(?:_xlpm\.)?([A-Za-z_\\][\w.]*)", re.I)
    return _outside_strings(
        text, lambda t: any(m.group(1).upper() in names for m in words.finditer(t))
    )


class _Rewrite:
    """One formula's rewrite: the LAMBDA calls made so far, the fresh names used."""

    def __init__(self, formula: str, shared: bool, named: dict[str, str]) -> None:
        self.formula = formula
        self.shared = shared
        self.named = named
        self.names = _CALLS | set(named)
        self.expanding: list[str] = []  # the LAMBDAs of defined names being written out
        self.bound: set[str] | None = None  # the names LET and LAMBDA bind in the formula
        self.calls = 0
        self.fresh = 0

    def count(self, n: int) -> None:
        self.calls += n
        if self.calls > MAX_CALLS:
            raise UnresolvedFormula(f"more than {MAX_CALLS} LAMBDA calls in one formula")

    def text(self, formula: str) -> str:
        """``formula`` with its LAMBDA calls, MAP & co. and calls of LAMBDA names rewritten
        (inner ones first)."""
        return rewrite_calls(formula, self.names, self.call)

    def call(
        self, formula: str, start: int, at: int, name: str, args: list[str], end: int
    ) -> tuple[str, int]:
        """The text for the call of ``name`` written from ``start`` (its ``(`` at ``at``,
        its ``)`` at ``end``) and where the formula goes on: after the invocation that
        follows a LAMBDA, if one does."""
        if end < 0:
            raise UnresolvedFormula(f"unbalanced parentheses after {name}")
        if name in self.named and name not in _CALLS:  # a LAMBDA held in a defined name
            lam = _lambda_arguments(self.named[name])
            if lam is None:
                raise UnresolvedFormula(f"{name}: a defined name that is not one LAMBDA")
            call = [self.text(a) for a in ([] if args == [""] else args)]  # the caller's
            with self.expanding_name(name):
                return self.invoke(lam, call, rewritten=True), end + 1
        if name != "LAMBDA":
            return self.helper(name, args), end + 1
        if formula[end + 1 : end + 2] != "(":  # a LAMBDA value (bound by LET): the engine's
            params = args[:-1] + [self.text(args[-1])]
            return f"{formula[start:at]}({','.join(params)})", end + 1
        call, close = _arguments(formula, end + 1)  # invoked where it is written
        if close < 0:
            raise UnresolvedFormula("unbalanced parentheses after LAMBDA")
        return self.invoke(args, [] if call == [""] else call), close + 1

    @contextmanager
    def expanding_name(self, name: str) -> Iterator[None]:
        """While the LAMBDA of the defined name ``name`` is written out where it is called
        (not inside itself: a LAMBDA that calls itself has no end here). Its body belongs
        to the workbook's scope: a name it uses that the formula (or a LAMBDA name being
        written out around it) binds would be captured, so the cell is kept."""
        text = self.named[name]
        if name in self.expanding:
            raise UnresolvedFormula(f"{name}: a LAMBDA that calls itself")
        if _relative(text):
            raise UnresolvedFormula(f"{name}: a LAMBDA name with a relative reference")
        lam = _lambda_arguments(text) or [""]
        own = {m.group(2).upper() for m in map(_PARAM.fullmatch, lam[:-1]) if m}
        outer = self.bound if self.bound is not None else _bound(self.formula)
        if _mentions(lam[-1], outer - own):
            raise UnresolvedFormula(f"{name}: its LAMBDA names what the formula binds with LET")
        self.expanding.append(name)
        self.bound = outer | _bound(text)  # its parameters and its own LETs
        try:
            yield
        finally:
            self.expanding.pop()
            self.bound = outer

    def parameters(self, params: list[str]) -> list[tuple[str, str]]:
        """(as written, bare name in capitals) of each parameter, checked."""
        out = []
        for p in params:
            m = _PARAM.fullmatch(p.strip())
            if not m or (not m.group(1) and _CELL_LIKE.fullmatch(m.group(2))):
                raise UnresolvedFormula(f"LAMBDA parameter {p.strip()!r} is not a name")
            out.append((p.strip(), m.group(2).upper()))
        if len({bare for _, bare in out}) != len(out):
            raise UnresolvedFormula("LAMBDA parameters with the same name")
        return out

    def function(
        self, name: str, arg: str, arity: int, copies: int
    ) -> tuple[list[tuple[str, str]], str]:
        """The parameters and body of the LAMBDA written as ``name``'s last argument, whose
        body will be written ``copies`` times (the calls inside it count as many times)."""
        held = arg.strip().upper().removeprefix("_XLETA.")
        if held in self.named:  # the name of a LAMBDA held in a defined name
            with self.expanding_name(held):
                return self.function(name, self.named[held], arity, copies)
        eta = _ETA.fullmatch(arg.strip())
        if eta and eta.group(2).upper() in ETA_FUNCTIONS:
            fn = eta.group(2).upper()
            if not eta.group(1) and fn in _bound(self.formula):
                raise UnresolvedFormula(f"{name}'s function {fn} is a name the formula binds")
            self.count(copies)
            params = [(f"_xlpm.roixl_eta{k}", f"ROIXL_ETA{k}") for k in range(arity)]
            return params, f"{fn}({','.join(p for p, _ in params)})"
        args = _lambda_arguments(arg)
        if args is None:
            raise UnresolvedFormula(f"{name}'s function is not a LAMBDA written in the call")
        params = self.parameters(args[:-1])
        if len(params) != arity:
            raise UnresolvedFormula(f"{name}'s LAMBDA takes {len(params)} parameters, not {arity}")
        self.count(copies)
        before = self.calls
        body = _isomitted(self.text(args[-1]), {bare: True for _, bare in params})
        self.count((copies - 1) * (self.calls - before))
        return params, body

    def invoke(self, lam: list[str], call: list[str], rewritten: bool = False) -> str:
        """``LAMBDA(lam...)(call...)`` as a LET (``rewritten``: the arguments are rewritten
        already)."""
        params = self.parameters(lam[:-1])
        if len(call) != len(params):
            raise UnresolvedFormula(
                f"LAMBDA of {len(params)} parameters called with {len(call)} arguments"
            )
        self.count(1)
        given = {b: bool(a.strip()) for (_, b), a in zip(params, call)}
        bindings: list[str] = []
        for k, ((name, _), a) in enumerate(zip(params, call)):
            # the engine evaluates a LET value where the names bound before it are seen
            # (LET(x,1,LET(x,x+1,x)) is 2): an argument must not name those
            if a.strip() and _mentions(a, {b for _, b in params[:k]}):
                raise UnresolvedFormula("a LAMBDA argument names one of its parameters")
            value = a if rewritten else self.text(a)
            bindings += [name, value if a.strip() else f"{OMITTED}()"]
        body = _isomitted(self.text(lam[-1]), given)
        return f"LET({','.join(bindings + [body])})" if params else f"({body})"

    def helper(self, name: str, args: list[str]) -> str:
        """The call of ``name`` (MAP, BYROW...) written out; a computed array it walks is
        bound once by a LET around it (Excel evaluates it once too)."""
        arrays: list[str] = []
        text = self.expand(name, args, arrays)
        return f"LET({','.join(arrays + [text])})" if arrays else text

    def grid(self, function: str, text: str, arrays: list[str]) -> _Grid | _Constant | _Computed:
        """The array ``text`` (:func:`_grid`), or a SEQUENCE of literal size, whose LET
        binding is added to ``arrays``."""
        m = re.match(r"\s*(?:_xlfn\.)?SEQUENCE\(", text, re.I)
        if m:
            args, end = _arguments(text, m.end() - 1)
            sizes = args[:2] if len(args) > 1 else args + ["1"]
            if (
                end > 0
                and not text[end + 1 :].strip()
                and len(args) <= 4
                and all(re.fullmatch(r"\s*[1-9]\d{0,6}\s*", a) for a in sizes)
            ):
                self.fresh += 1
                bound = f"_xlpm.roixl_{self.fresh}_array"
                arrays += [bound, self.text(text.strip())]
                return _Computed(bound, int(sizes[0]), int(sizes[1]))
        return _grid(function, text, self.shared)

    def lifted(self, args: list[str]) -> str | None:
        """``MAP(array, LAMBDA(x, body))`` over an array a function computes, of a size the
        text does not give (``FILTER(...)``), as ``LET(x, array, body)``, where that is the
        same: the body only does, to ``x``, what the engine does element by element
        (:func:`_elementwise`); else None."""
        if not re.match(r"\s*(?:_xlfn\.)?(?:_xlws\.)?[A-Za-z][\w.]*\(", args[0]):
            return None  # a name, a range, a constant: as :meth:`grid` says
        if omitted_args.may_have(args[0]):
            return None  # an omitted argument (SEQUENCE(2,)): the engine may read it as 0
        fresh = self.fresh
        try:
            self.grid("MAP", args[0], [])
            return None  # a grid: element by element, as written out
        except UnresolvedFormula:
            pass
        finally:
            self.fresh = fresh
        if _lambda_arguments(args[1]) is None:
            return None
        ((p, bare),), body = self.function("MAP", args[1], 1, 1)
        if not _elementwise(body, {bare}):
            return None
        return f"LET({p},{self.text(args[0].strip())},{body})"

    def expand(self, name: str, args: list[str], arrays: list[str]) -> str:
        if name == "MAKEARRAY":
            if len(args) != 3 or not all(re.fullmatch(r"\s*[1-9]\d{0,6}\s*", a) for a in args[:2]):
                raise UnresolvedFormula("MAKEARRAY of sizes that are not literal whole numbers")
            rows, cols = int(args[0]), int(args[1])
            ((i, _), (j, _)), body = self.function(name, args[2], 2, rows * cols)
            return _stack(
                [
                    [_one(f"LET({i},{r + 1},{j},{c + 1},{body})") for c in range(cols)]
                    for r in range(rows)
                ]
            )
        if name in ("BYROW", "BYCOL"):
            if len(args) != 2:
                raise UnresolvedFormula(f"{name} takes an array and a LAMBDA")
            g = self.grid(name, args[0], arrays)
            n = g.rows if name == "BYROW" else g.cols
            ((p, _),), body = self.function(name, args[1], 1, n)
            parts = [
                g.span(k, 0, k, g.cols - 1) if name == "BYROW" else g.span(0, k, g.rows - 1, k)
                for k in range(n)
            ]
            cells = [_one(f"LET({p},{part},{body})") for part in parts]
            return _stack([[c] for c in cells] if name == "BYROW" else [cells])
        if name == "MAP":
            if len(args) < 2:
                raise UnresolvedFormula("MAP takes arrays and a LAMBDA")
            if len(args) == 2:
                lifted = self.lifted(args)
                if lifted is not None:
                    return lifted
            grids = [self.grid(name, a, arrays) for a in args[:-1]]
            if len({(g.rows, g.cols) for g in grids}) != 1:
                raise UnresolvedFormula("MAP of arrays of different sizes")
            g = grids[0]
            params, body = self.function(name, args[-1], len(grids), g.rows * g.cols)

            def element(r: int, c: int) -> str:
                bound = [f"{p},{grid.span(r, c, r, c)}" for (p, _), grid in zip(params, grids)]
                return _one(f"LET({','.join(bound)},{body})")

            return _stack([[element(r, c) for c in range(g.cols)] for r in range(g.rows)])
        # REDUCE, SCAN
        if len(args) != 3:
            raise UnresolvedFormula(f"{name} takes an initial value, an array and a LAMBDA")
        if not args[0].strip():
            raise UnresolvedFormula(
                f"{name} without an initial value (Microsoft's page and its example disagree)"
            )
        g = self.grid(name, args[1], arrays)
        ((acc, _), (value, _)), body = self.function(name, args[2], 2, g.rows * g.cols)
        self.fresh += 1
        names = [f"_xlpm.roixl_{self.fresh}_{k}" for k in range(g.rows * g.cols)]
        previous, bindings = self.text(args[0]), []
        for k, bound in enumerate(names):
            r, c = divmod(k, g.cols)  # row by row, as Excel walks the array
            bindings += [bound, f"LET({acc},{previous},{value},{g.span(r, c, r, c)},{body})"]
            previous = bound
        if name == "REDUCE":
            result = names[-1]
        else:
            result = _stack(
                [[_one(names[r * g.cols + c]) for c in range(g.cols)] for r in range(g.rows)]
            )
        return f"LET({','.join(bindings + [result])})"


#: Functions the engine applies to an array element by element, as Excel does (measured:
#: formualizer lifts none of the functions of one value, ABS, LEN, ISNUMBER... over an
#: array; IF, IFERROR and IFNA it does, and every operator).
ELEMENTWISE = frozenset(("IF", "IFERROR", "IFNA"))
_TOKEN = re.compile(
    r"""(?P<call>(?:_xlfn\.)?[A-Za-z_][\w.]*)\s*\(|(?P<ref>(?:'[^']*'|[A-Za-z_][\w.]*)!)?"""
    r"""\$?[A-Za-z]{1,3}\$?\d+(?![\w(:])|(?P<name>[A-Za-z_][\w.]*)|(?P<bad>[:{!\[])"""
)


def _elementwise(body: str, params: set[str]) -> bool:
    """Whether ``body`` only combines its parameter (``params``: bare names, capitals) with
    numbers, texts, logicals, single cells, operators and :data:`ELEMENTWISE` functions:
    then bound to a whole array it gives, element by element, what each element gives.

    >>> _elementwise("_xlpm.x*2+1", {"X"}), _elementwise('IF(x>$B$1,"y","n")', {"X"})
    (True, True)
    >>> _elementwise("ROUND(x,1)", {"X"})  # the engine does not lift it over an array
    False
    >>> _elementwise("SUM(x)", {"X"}), _elementwise("x*B1:B3", {"X"}), _elementwise("x+y", {"X"})
    (False, False, False)
    """
    text = _STRING_LITERAL.sub('""', body)
    for m in _TOKEN.finditer(text):
        if m.group("bad"):
            return False
        if m.group("call"):
            if m.group("call").upper().removeprefix("_XLFN.") not in ELEMENTWISE:
                return False
        elif m.group("name"):
            bare = m.group("name").upper().removeprefix("_XLPM.")
            if bare not in params and bare not in ("TRUE", "FALSE"):
                return False
    return True


_STRING_LITERAL = re.compile(r'"(?:[^"]|"")*"')


def _lambda_arguments(text: str) -> list[str] | None:
    """The arguments of the LAMBDA ``text`` is (nothing before or after it), or None.

    >>> _lambda_arguments(" _xlfn.LAMBDA(_xlpm.x,_xlpm.x+1)"), _lambda_arguments("LAMBDA(x,x)(1)")
    (['_xlpm.x', '_xlpm.x+1'], None)
    """
    m = re.match(r"\s*(?:_xlfn\.)?LAMBDA\(", text, re.I)
    if not m:
        return None
    args, end = _arguments(text, m.end() - 1)
    return None if end < 0 or text[end + 1 :].strip() else args


def _bound(formula: str) -> set[str]:
    """The names (bare, capitals) the LETs and LAMBDAs of ``formula`` bind.

    >>> sorted(_bound("=LET(_xlpm.x,1,y,2,LAMBDA(z,x+y+z)(3))"))
    ['X', 'Y', 'Z']
    """
    names: set[str] = set()

    def note(f: str, start: int, at: int, name: str, args: list[str], end: int) -> None:
        for a in args[:-1:2] if name == "LET" else args[:-1]:
            m = _PARAM.fullmatch(a.strip())
            if m:
                names.add(m.group(2).upper())
        return None

    rewrite_calls(formula, {"LET", "LAMBDA"}, note)
    return names


def calls_named(text: str, named: dict[str, str]) -> bool:
    """A cheap test: could ``text`` call one of the LAMBDAs held in defined names?"""
    upper = text.upper()
    return any(name in upper for name in named)


_A1 = re.compile(r"(?<![\w.])(\$?)[A-Za-z]{1,3}(\$?)\d+(?![\w(!])")


def _relative(text: str) -> bool:
    """Whether ``text`` (strings aside) holds a cell reference not anchored both ways."""
    return _outside_strings(
        text, lambda t: any(not (m.group(1) and m.group(2)) for m in _A1.finditer(t))
    )


def _one(text: str) -> str:
    return f"{ONE}({text})"


def _stack(rows: list[list[str]]) -> str:
    """One array of the elements' values, rows of columns."""
    lines = [r[0] if len(r) == 1 else f"HSTACK({','.join(r)})" for r in rows]
    return lines[0] if len(lines) == 1 else f"VSTACK({','.join(lines)})"


COLLAPSED_REASON = (
    "an error in one element of a MAP, BYROW, BYCOL, SCAN or MAKEARRAY escaped the whole "
    "array in the engine (Excel answers element by element): Excel's value kept"
)


def collapsed(formula: str | None, value: Any, block: str | None, next_value: Any) -> bool:
    """Whether the engine's error ``value`` in the anchor of an array block (``block``:
    its ``ref`` as the file has it, ``next_value``: the engine's value in the block's next
    cell) is a rewritten helper's whole array gone: one element's error that a built-in
    raised (``UPPER`` of ``#DIV/0!``: :data:`engine_gaps.RAISERS`) escapes the VSTACK it
    sits in, so the engine answers that error alone (nothing in the next cell, or the same
    error, as a legacy block shows one answer) where Excel shows the array with the error
    in its element. Two equal errors in a row are kept too: a kept value, never a wrong one.

    >>> f = "_xlfn.MAP(A1:A3,_xlfn.LAMBDA(_xlpm.x,UPPER(_xlpm.x)))"
    >>> e = {"type": "Error", "kind": "Div"}
    >>> collapsed(f, e, "B1:B3", None), collapsed(f, e, "B1:B3", dict(e)), collapsed(f, e, "B1:B3", "DE")
    (True, True, False)
    >>> collapsed("UPPER(A1)", e, "B1:B3", None), collapsed(f, e, "B1", None)
    (False, False)
    """
    if not isinstance(value, dict) or value.get("type") != "Error" or not formula:
        return False
    if not block or ":" not in block or next_value not in (None, value):
        return False  # (a legacy block shows a single answer in every cell: the same error)
    upper = formula.upper()
    return any(name in upper for name in GUARDED) and _HELPER_CALL.search(upper) is not None


_HELPER_CALL = re.compile(r"(?<![\w.])(?:_XLFN\.)?(?:" + "|".join(GUARDED) + r")\s*\(")
