"""The package as the engine should see it, built in memory; the file is never changed.

formualizer reads transitional OOXML in a plain (not ZIP64) zip, and Excel's legacy array
blocks as it reads them would not spill. So, only for the engine's eyes:

- every multi-cell array formula becomes one spilling formula (:func:`sheet.as_dynamic_arrays`);
- a strict package gets transitional namespaces (:mod:`.strict`);
- structured references to Excel tables become A1 references (:mod:`.tables`);
- LAMBDA calls, MAP, BYROW, BYCOL, REDUCE, SCAN and MAKEARRAY become LET bindings
  (:mod:`.lambdas`);
- a formula the engine must not compute (:func:`engine_gaps.unsupported`: links to other
  workbooks) becomes its cached value, so it and what depends on it keep Excel's answer;
- a ZIP64 package is repacked as a plain zip (:func:`repack`), which formualizer refuses
  otherwise ("Unsupported feature: ZIP64 member").

The written file keeps its own structure: the writer works from the original members.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable

from ..errors import UnresolvedFormula, UnresolvedTableReference
from ..excel_functions.table import FUNCTIONS
from . import (
    aggregate_gaps,
    array_lifting,
    database_gaps,
    engine_gaps,
    lambdas,
    numeric_args,
    omitted_args,
    reference_rewrites,
    strict,
    typed_args,
)
from .package import Package
from .sheet import _CELL, _F, SheetScan, _attrs, as_dynamic_arrays, block, col_row
from .tables import Table, engine_workbook, read_tables, translate
from .values import decode_text as _unescape
from .values import encode_text as _escape


@dataclass
class EngineView:
    """What the engine loads: ``data`` (``None``: the file itself), the cells it must not
    compute with the reason, keyed by (sheet, ref), and the workbook's date system."""

    data: bytes | None
    kept: dict[tuple[str, str], str] = field(default_factory=dict)
    date_system: str = "1900"
    #: sheets the engine knows under another name (:func:`engine_gaps.engine_sheet_names`)
    renamed: dict[str, str] = field(default_factory=dict)

    def kept_at(self, sheet: str) -> dict[tuple[int, int], str]:
        """The kept cells of ``sheet`` by (row, column)."""
        out = {}
        for (name, ref), why in self.kept.items():
            if name == sheet:
                col, row = col_row(ref)
                out[(row, col)] = why
        return out


_F_TEXT = re.compile(r"<f\b[^>]*>([^<]*)</f>")
#: In the formula texts, one a line: a range at the top of a formula (no function call
#: before it), a space between terms, a 3-D reference (Sheet1:Sheet3!A1).
_TOP_RANGE = re.compile(
    r"^(?:[^(\n]*[&+\-*/^=<>]\s*)?(?:'[^'\n]*'!|[\w.]+!)?"
    r"(?:\$?[A-Z]{0,3}\$?\d*:\$?[A-Z]|\$?\d+:\$?\d)",
    re.M,
)
_SPACE = re.compile(r"[\w$)] +[$'(A-Za-z]")
_3D = re.compile(r"[\w.']:[^\n!:(),]*!")


def formula_texts(sc: SheetScan) -> str:
    """Every formula text of the sheet (raw XML text, one or more a line; a superset when
    the scan kept the whole sheet), for the cheap tests below."""
    if not len(sc):
        return ""
    if sc.formula_text:  # the scan's, while the engine has not taken them
        return "\n".join(sc.formula_text)
    return "\n".join(_F_TEXT.findall(sc.xml))


#: Every digit as a 1: formulas that differ only in their row numbers (a filled column)
#: become one shape, so the patterns below read each shape once.
_ONES = str.maketrans("0123456789", "1111111111")


@lru_cache(maxsize=2)  # read again by build for array_lifting
def shapes(texts: str) -> str:
    """The distinct formula texts of ``texts`` (one a line) with every digit a 1, in
    capitals: what the tests of :func:`_may_need_pass` read (a filled column of 10⁵ formulas
    is a few shapes; building them costs ~25 ms, where one pattern over the texts cost up
    to a second).

    >>> sorted(shapes("SUM(A1:A9)\\nsum(A10:A99)\\nLOG10(B2)").split("\\n"))
    ['LOG11(B1)', 'SUM(A11:A11)', 'SUM(A1:A1)']
    """
    return "\n".join(set(texts.translate(_ONES).split("\n"))).upper()


def _may_need_pass(
    xml: str,
    texts: str | None = None,
    named: dict[str, str] | None = None,
    hidden_rows: bool = False,
) -> bool:
    """Whether the formula pass may change the sheet: substring tests first, then the
    patterns over the formulas' shapes (:func:`shapes`); ``named``: the LAMBDAs held in
    defined names; ``hidden_rows``: whether the workbook hides a row (:mod:`.aggregate_gaps`)."""
    if "[" in xml or ":f>" in xml or ":f " in xml:  # tables, links; a prefixed <x:f>
        return True
    if texts is None:
        texts = "\n".join(_F_TEXT.findall(xml))
    if not texts:
        return False
    if aggregate_gaps.may_have(texts, hidden_rows):
        return True
    raw, texts = texts, shapes(texts)
    return bool(
        ":" in texts
        and (
            _TOP_RANGE.search(texts)
            or "!" in texts
            and _3D.search(texts)
            or engine_gaps.SCALAR_ARGUMENT.search(texts)
        )
        or array_lifting.may_have_computed(texts)
        or " " in texts
        and _SPACE.search(texts)
        or omitted_args.may_have(texts)
        or numeric_args.may_have(texts)
        or typed_args.may_have(texts)
        or lambdas.may_have(raw)
        or reference_rewrites.may_have(raw)
        or bool(named)
        and lambdas.calls_named(raw, named)
    )


def build(
    pkg: Package,
    sheets: list[tuple[str, str]],
    scans: dict[str, SheetScan],
    every_formula: bool = False,
) -> EngineView:
    """The package for the engine (see the module's docstring). Only sheets that may need
    it get the formula pass, unless ``every_formula`` (after the engine failed a workbook:
    reversed ranges such as ``O2:O1`` are then put in order too)."""
    book = pkg._office_document()
    text = original = pkg.read(book).decode("utf-8")
    view = EngineView(None, date_system=_date_system(original))
    changed: dict[str, bytes] = {}
    # Tables matter only to structured references, which need a "[" (sheet or name).
    needs_tables = "[" in original or any("[" in scans[sheet].xml for sheet, _ in sheets)
    tables = read_tables(pkg, sheets) if needs_tables else {}
    names = [name for name, _ in sheets]
    named = named_lambdas(original) if "LAMBDA" in original else {}
    hidden = any(aggregate_gaps.has_hidden_rows(scans[sheet].xml) for sheet, _ in sheets)
    book_facts = reference_rewrites.Book(scans, names, original, view.date_system)
    for sheet, part in sheets:
        sc = scans[sheet]
        texts = formula_texts(sc)
        text, kept = freeze(sc.xml, texts)
        text, own = reference_rewrites.unshare(text, texts)  # ISFORMULA... cell by cell
        kept.update(own)
        if every_formula and ":" in text or _may_need_pass(text, texts, named, hidden):
            lifting = bool(texts) and array_lifting.may_have_computed(shapes(texts))
            text, more = engine_formulas(
                text, sheet, tables, names, named, hidden, book_facts, lifting
            )
            kept.update(more)
        view.kept.update({(sheet, ref): why for ref, why in kept.items()})
        if any(":" in ref for ref in sc.array_refs.values()):
            cells = [
                sc.cell(i)
                for i in range(len(sc))
                if (i in sc.array_refs or sc.kind(i) == "spilled") and sc.ref(i) not in kept
            ]
            text = as_dynamic_arrays(text, cells)
        if text is not sc.xml and text != sc.xml:  # identity first: 10⁶-cell sheets
            changed[part] = text.encode("utf-8")
    text = original
    if tables:
        text = engine_workbook(text, tables)
    text = _ITERATE.sub(r"\1", text)
    view.renamed = engine_gaps.engine_sheet_names(names)
    for old, new in view.renamed.items():
        text = re.sub(
            r"""(<(?:[\w.-]+:)?sheet\b[^>]*?\sname\s*=\s*["'])""" + re.escape(old) + "([\"'])",
            lambda m: m.group(1) + new + m.group(2),
            text,
        )
    if text != original:
        changed[book] = text.encode("utf-8")
    transform: Callable[[bytes], bytes] | None = None
    if "_rels/.rels" in pkg.names and strict.is_strict(pkg.read("_rels/.rels")):
        transform = strict.to_transitional
    elif strict.is_beta(original.encode("utf-8")):
        transform = strict.beta_to_transitional
    if changed or transform is not None:
        view.data = _pack(pkg, changed, transform)
    return view


def may_load_as_is(pkg: Package, names: list[str], sheet_xmls: Iterable[str]) -> bool:
    """A quick guess, before any scan, that the engine will load the file itself (that
    :func:`build` will give ``data=None``): substring tests of the raw XML for the common
    reasons to show it a copy — tables and links (``[``), array formulas and data tables,
    prefixed elements, iterative calculation, a strict or 2006-beta package, a sheet the
    engine must see renamed. A formula that :func:`engine_formulas` rewrites is not looked
    for (that takes the scan), so a True can still be wrong: :func:`build` decides; this
    only spares loading the engine early for nothing (:class:`recalc.EarlyEngine`)."""
    book = pkg.read(pkg._office_document())
    if b"[" in book or strict.is_beta(book) or _ITERATE.search(book.decode("utf-8")):
        return False
    if b"LAMBDA" in book:  # a LAMBDA in a defined name: its calls are rewritten (lambdas)
        return False
    if "_rels/.rels" in pkg.names and strict.is_strict(pkg.read("_rels/.rels")):
        return False
    if engine_gaps.engine_sheet_names(names):
        return False
    return not any(
        "[" in x
        or "array" in x
        or "dataTable" in x
        or ":f>" in x
        or ":f " in x
        or "LAMBDA" in x  # rewritten in the copy (lambdas)
        or "_xleta." in x
        or "AGGREGATE" in x  # AGGREGATE of 12-19 is rewritten (aggregate_gaps)
        or "SUBTOTAL" in x  # SUBTOTAL is kept where rows are hidden
        and aggregate_gaps.has_hidden_rows(x)
        or "FORMULA" in x  # ISFORMULA, FORMULATEXT, AREAS: reference_rewrites
        or "AREAS(" in x
        for x in sheet_xmls
    )


#: Iterative calculation (``<calcPr iterate="1">``) is left out of the engine's copy: a
#: cycle's values depend on where Excel's own iterations started (its cached values), so
#: the engine reports the cycle and its cells keep Excel's values.
_ITERATE = re.compile(r"""(<(?:[\w.-]+:)?calcPr\b[^>]*?)\siterate\s*=\s*["'](?:1|true)["']""")
_DATE1904 = re.compile(r"""date1904\s*=\s*["'](?:1|true)["']""")


def date_system(pkg: Package) -> str:
    """``"1904"`` when the workbook counts dates from 1904 (Excel for Mac's old default)."""
    return _date_system(pkg.read(pkg._office_document()).decode("utf-8"))


def _date_system(book_xml: str) -> str:
    return "1904" if _DATE1904.search(book_xml) else "1900"


def freeze(xml: str, texts: str | None = None) -> tuple[str, dict[str, str]]:
    """The sheet XML with the formulas of :func:`engine_gaps.unsupported` removed (their
    cached values stay, as constants), and ``{ref: reason}`` of those cells. A shared
    formula goes with all its cells, an array formula with its whole block. ``texts``:
    :func:`formula_texts` of the sheet, when known."""
    if not engine_gaps.may_be_unsupported(xml, texts):
        return xml, {}
    shared: dict[str, str] = {}
    for m in _CELL.finditer(xml):
        fm = _F.search(m.group(4) or "")
        if fm and fm.group(4):
            fa = _attrs(fm.group(2))
            why = engine_gaps.unsupported(_unescape(fm.group(4)), fa.get("t", "normal"))
            if why and fa.get("t") == "shared" and "si" in fa:
                shared[fa["si"]] = why
    kept: dict[str, str] = {}

    def cell(m: re.Match[str]) -> str:
        body = m.group(4) or ""
        fm = _F.search(body)
        if not fm:
            return m.group(0)
        fa = _attrs(fm.group(2))
        why = engine_gaps.unsupported(_unescape(fm.group(4) or ""), fa.get("t", "normal"))
        if not why and fa.get("t") == "shared":
            why = shared.get(fa.get("si", ""), "")
        if fa.get("t") == "dataTable":
            why = "data table (What-If analysis): the engine has none"
        if not why:
            return m.group(0)
        ref = _attrs(m.group(2)).get("r", "")
        kept[ref] = why
        if fa.get("t") in ("array", "dataTable") and ":" in fa.get("ref", ""):
            kept.update({r: why for r in block(fa["ref"])})
        body = body[: fm.start()] + body[fm.end() :]
        return f"<{m.group(1)}c{m.group(2) or ''}>{body}</{m.group(1)}c>"

    return _CELL.sub(cell, xml), kept


def repack(pkg: Package) -> bytes:
    """The package's members in a new, plain zip (for an engine that refuses ZIP64)."""
    return _pack(pkg, {}, None)


def _pack(
    pkg: Package, changed: dict[str, bytes], transform: Callable[[bytes], bytes] | None
) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in pkg.infos:
            data = changed.get(info.filename) or pkg.read(info.filename)
            if transform is not None and info.filename.endswith((".xml", ".rels")):
                data = transform(data)
            out.writestr(info.filename, data)
    return buf.getvalue()


@dataclass(frozen=True)
class Kept:
    """A cell the engine must not answer for: Excel's value stays, for ``why``."""

    why: str


def engine_refused_zip64(exc: BaseException) -> bool:
    """Whether the engine's load error is its refusal of ZIP64 members."""
    return "ZIP64" in str(exc)


_DEFINED_NAME = re.compile(
    r"<(?:[\w.-]+:)?definedName\b([^>]*)>([^<]*)</(?:[\w.-]+:)?definedName>", re.S
)


def named_lambdas(book_xml: str) -> dict[str, str]:
    """The workbook-wide defined names that hold one LAMBDA: ``{NAME in capitals: its
    formula}`` (a name also defined for one sheet is left out: which one a cell calls
    depends on its sheet).

    >>> named_lambdas('<definedName name="PlusOne">_xlfn.LAMBDA(_xlpm.n,_xlpm.n+1)</definedName>'
    ...               '<definedName name="Rate">Sheet1!$B$1</definedName>')
    {'PLUSONE': '_xlfn.LAMBDA(_xlpm.n,_xlpm.n+1)'}
    """
    found: dict[str, str] = {}
    local: set[str] = set()
    for m in _DEFINED_NAME.finditer(book_xml):
        attrs = _attrs(m.group(1))
        name = attrs.get("name", "").upper()
        if "localSheetId" in attrs:
            local.add(name)
            continue
        text = _unescape(m.group(2)).strip().removeprefix("=")
        if re.match(r"(?:_xlfn\.)?LAMBDA\(", text, re.I):
            found[name] = text
    return {n: t for n, t in found.items() if n not in local}


def engine_formulas(
    xml: str,
    sheet: str,
    tables: dict[str, Table],
    sheets: list[str],
    named: dict[str, str] | None = None,
    hidden_rows: bool = False,
    book: reference_rewrites.Book | None = None,
    lifting: bool = False,
) -> tuple[str, dict[str, str]]:
    """The sheet XML with each formula as the engine should read it: structured references
    as A1 (:func:`tables.translate`), LAMBDA calls as LET (:func:`lambdas.rewrite`), the
    calls that read the workbook (``book``: :func:`reference_rewrites.rewrite`), then
    :func:`engine_gaps.engine_formula`, omitted arguments (:mod:`.omitted_args`,
    :func:`database_gaps.fill_field`), numbers as text (:mod:`.numeric_args`), AGGREGATE and
    SUBTOTAL (:func:`aggregate_gaps.rewrite`; ``hidden_rows``: whether the workbook hides a
    row); and ``{ref: reason}`` of the cells that cannot be put so (their formulas are
    removed from the engine's copy, so they keep Excel's value). ``named``:
    :func:`named_lambdas`; ``lifting``: whether a formula may give a computed array or an
    array constant to a function of one value (:func:`array_lifting.may_have_computed`
    of the sheet's shapes), which a formula without a range may do too."""
    kept: dict[str, str] = {}
    named = named or {}

    def may_rewrite(text: str) -> bool:  # the whole sheet's XML first, then each formula
        return (
            any(ch in text for ch in ":[ ")
            or omitted_args.may_have(text)
            or numeric_args.may_have(text)
            or typed_args.may_have(text)
            or lambdas.may_have(text)
            or bool(named)
            and lambdas.calls_named(text, named)
            or aggregate_gaps.may_have(text, hidden_rows)
            or reference_rewrites.may_have(text)
            or lifting
            and "(" in text
            and array_lifting.may_have_computed(text)
        )

    if not may_rewrite(xml):
        return xml, kept

    def cell(m: re.Match[str]) -> str:
        body = m.group(4) or ""
        fm = _F.search(body)
        if not fm or not fm.group(4):
            return m.group(0)
        if not may_rewrite(fm.group(4)):
            return m.group(0)
        ref = _attrs(m.group(2)).get("r", "")
        kind = _attrs(fm.group(2)).get("t", "normal")
        old = _unescape(fm.group(4))
        try:
            text = translate(old, sheet, ref, tables) if "[" in old else old
            text = lambdas.rewrite(text, kind, named)
            text = reference_rewrites.rewrite(text, sheet, ref, kind, book)
            if lifting and ":" not in text and array_lifting.may_have_computed(text):
                text = array_lifting.expand(text, kind)  # (engine_formula: those with ranges)
            text = engine_gaps.engine_formula(engine_gaps.three_d(text, sheets), ref, kind)
            text = database_gaps.fill_field(omitted_args.fill(text, FUNCTIONS))
            text = aggregate_gaps.rewrite(numeric_args.wrap(text), hidden_rows)
            text = typed_args.rewrite(text)
        except UnresolvedTableReference as exc:
            why = f"table reference the engine cannot resolve ({exc})"
        except UnresolvedFormula as exc:
            why = f"{exc} (Excel's value kept)"
        else:
            if text == old:
                return m.group(0)
            new_f = f"<{fm.group(1)}f{fm.group(2) or ''}>{_escape(text)}</{fm.group(1)}f>"
            body = body[: fm.start()] + new_f + body[fm.end() :]
            return f"<{m.group(1)}c{m.group(2) or ''}>{body}</{m.group(1)}c>"
        kept[ref] = why
        if kind == "shared":
            dropped[_attrs(fm.group(2)).get("si", "")] = why
        body = body[: fm.start()] + body[fm.end() :]
        return f"<{m.group(1)}c{m.group(2) or ''}>{body}</{m.group(1)}c>"

    def child(m: re.Match[str]) -> str:  # the cells of a shared formula that was dropped
        body = m.group(4) or ""
        fm = _F.search(body)
        if not fm:
            return m.group(0)
        fa = _attrs(fm.group(2))
        if fa.get("t") != "shared" or fa.get("si") not in dropped:
            return m.group(0)
        kept[_attrs(m.group(2)).get("r", "")] = dropped[fa["si"]]
        body = body[: fm.start()] + body[fm.end() :]
        return f"<{m.group(1)}c{m.group(2) or ''}>{body}</{m.group(1)}c>"

    dropped: dict[str, str] = {}
    xml = _CELL.sub(cell, xml)
    return (_CELL.sub(child, xml) if dropped else xml), kept
