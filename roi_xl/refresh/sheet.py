"""The worksheet XML scanner and rewriter: formula cells with their cached values, and a
copy of the XML with only ``<v>`` and ``t`` of chosen cells changed.

:func:`scan` reads a sheet once: one compiled pattern's ``findall`` (C speed, a chunk of rows
at a time) finds every formula cell in Excel's shape (a ``<c r=...>`` whose first child is
``<f>``, as the schema orders them) with its reference, ``t`` and cached ``<v>`` text,
into parallel columns. :func:`write_sheet` rewrites a sheet in one pass from ``re.split``
pieces of the same pattern, swapping only the changed ``<v>``/``t``; :func:`splice` does
the same from spans, for any shape. A sheet the fast pattern does not fully account for
(fewer formula cells than ``<f>`` elements: prefixed elements, ``r`` not first, children
out of order) is scanned with the general, slower cell pattern, so no formula is ever
skipped silently. Every step is linear in the size of the sheet.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Callable, Iterator

from .package import UnreadableWorkbook
from .values import Value, decode_text, encode_text

_CELL = re.compile(r"<((?:[\w.-]+:)?)c(\s[^>]*?)?(/>|>(.*?)</\1c>)", re.S)
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*("[^"]*"|'[^']*')""")
_F = re.compile(r"<((?:[\w.-]+:)?)f(\s[^>]*?)?(/>|>(.*?)</\1f>)", re.S)
_V = re.compile(r"<((?:[\w.-]+:)?)v(\s[^>]*?)?(/>|>(.*?)</\1v>)", re.S)
_REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")


@dataclass
class FormulaCell:
    ref: str
    formula: str | None  # text of <f>, None for a shared-formula child
    kind: str  # normal | shared | array | spilled (a non-anchor cell of an array block)
    array_ref: str | None
    cached: Value | None


def col_row(ref: str) -> tuple[int, int]:
    m = _REF.fullmatch(ref.upper())
    if not m:
        raise ValueError(ref)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return col, int(m.group(2))


def block(ref: str) -> Iterator[str]:
    """Every cell reference of ``A1:B3`` (row by row)."""
    first, _, last = ref.partition(":")
    c1, r1 = col_row(first)
    c2, r2 = col_row(last or first)
    for r in range(r1, r2 + 1):
        for c in range(c1, c2 + 1):
            yield f"{col_name(c)}{r}"


def col_name(col: int) -> str:
    """The letters of a 1-based column number (28 → ``AB``)."""
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def _attrs(start: str | None) -> dict[str, str]:
    return {k: v[1:-1] for k, v in _ATTR.findall(start or "")}


# Excel's own shape, the fast path: ``<c r="B2" s="1" t="str"><f>...</f><v>...</v>`` (r first,
# no prefix; LibreOffice and openpyxl write the same). Groups, in findall order: column
# letters, row, the other attributes, the attributes of <f>, its text, the whole <v>
# element (empty when there is none), its text.
_FCELL_EXCEL = re.compile(
    r'<c r="([A-Z]{1,3})([0-9]+)"([^>]*)>\s*'
    r"<f([^>]*?)(?:/>|>([^<]*)</f>)\s*(<v\b[^>]*?(?:/>|>([^<]*)</v>))?"
)
# The same cells as _FCELL_EXCEL, for re.split: the groups put together are the whole match
# (<c r=", column, row, ", other attributes, > through </f>, <v> element or None), so the
# sheet is rewritten from split's pieces with only the changed <v>s and t's swapped.
_FCELL_SPLIT = re.compile(
    r'(<c r=")([A-Z]{1,3})([0-9]+)(")([^>]*)(>\s*<f[^>]*?(?:/>|>[^<]*</f>)\s*)'
    r"(<v\b[^>]*?(?:/>|>[^<]*</v>))?"
)
_STRIDE = 8  # split pieces per match: 7 groups and the text after
_T_ATTR = re.compile(r"""(\s)t\s*=\s*("[^"]*"|'[^']*')""")
_T = re.compile(r"""\st\s*=\s*["']([^"']*)""")
_FTAG = re.compile(r"<(?:[\w.-]+:)?f[\s/>]")
_IS = re.compile(r"<((?:[\w.-]+:)?)is[\s>].*?</\1is>", re.S)


@dataclass
class SheetScan:
    """The formula cells of one worksheet's XML, as parallel columns (lean at 10⁶ cells).

    ``t`` and ``v`` are the cell's ``t`` attribute and the raw XML text of its cached
    ``<v>`` (None when absent); ``kinds`` is ``normal``, ``shared``, ``array`` or
    ``spilled`` (a non-anchor cell of a multi-cell array formula, which holds no formula).
    Where each cell starts in the XML is found again only when needed (a sheet with
    changes): :attr:`starts`.
    """

    xml: str
    pattern: re.Pattern[str] | None = None  # the scan's pattern; None: the general scan
    begin: int = 0
    end: int = 0
    rows: array = field(default_factory=lambda: array("l"))
    cols: array = field(default_factory=lambda: array("l"))
    t: list[str | None] = field(default_factory=list)
    v: list[str | None] = field(default_factory=list)
    fattrs: list[str] = field(default_factory=list)  # attributes of <f>, "spilled" for those
    array_refs: dict[int, str] = field(default_factory=dict)
    spilled_starts: list[int] = field(default_factory=list)
    #: the formula texts (raw XML), a chunk of rows per string, when asked for
    formula_text: list[str] = field(default_factory=list)
    #: chunks split ahead for :func:`write_sheet` (:func:`split_ahead`): (end, pieces)
    ahead: list[tuple[int, list[str]]] = field(default_factory=list)
    _starts: array | None = None

    def kind(self, i: int) -> str:
        """``normal``, ``shared``, ``array`` or ``spilled``."""
        fa = self.fattrs[i]
        return "normal" if not fa else "spilled" if fa == "spilled" else _kind(fa)[0]

    @property
    def kinds(self) -> list[str]:
        return [self.kind(i) for i in range(len(self))]

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def starts(self) -> array:
        """Where each cell's ``<c`` is in :attr:`xml` (found by running the scan again)."""
        if self._starts is None:
            self._starts = array("q", (m.start() for m in _formula_matches(self)))
            self._starts.extend(self.spilled_starts)
        return self._starts

    def ref(self, i: int) -> str:
        return f"{col_name(self.cols[i])}{self.rows[i]}"

    def cell_xml(self, i: int) -> re.Match[str]:
        m = _CELL.match(self.xml, self.starts[i])
        assert m is not None
        return m

    def formula(self, i: int) -> str | None:
        """The text of the cell's ``<f>`` (None for a shared-formula child or spilled cell)."""
        if self.fattrs[i] == "spilled":
            return None
        fm = _F.search(self.cell_xml(i).group(4) or "")
        if fm is None or fm.group(3) == "/>":
            return None
        return decode_text(fm.group(4) or "")

    def cached(self, i: int) -> Value | None:
        raw = self.v[i]
        return None if raw is None else Value(self.t[i], decode_text(raw))

    def cells(self) -> list[FormulaCell]:
        return [self.cell(i) for i in range(len(self))]

    def cell(self, i: int) -> FormulaCell:
        return FormulaCell(
            self.ref(i), self.formula(i), self.kind(i), self.array_refs.get(i), self.cached(i)
        )

    def _add(self, col: int, row: int, t: str | None, v: str | None, fattrs: str) -> None:
        self.cols.append(col)
        self.rows.append(row)
        self.t.append(t)
        self.v.append(v)
        self.fattrs.append(fattrs)


_COLS: dict[str, int] = {}


def _col_number(letters: str) -> int:
    n = _COLS.get(letters)
    if n is None:
        n = 0
        for ch in letters:
            n = n * 26 + ord(ch) - 64
        _COLS[letters] = n
    return n


def _kind(fattrs: str) -> tuple[str, str | None]:
    if not fattrs or ("array" not in fattrs and "shared" not in fattrs):
        return "normal", None
    attrs = _attrs(fattrs)
    kind = {"shared": "shared", "array": "array"}.get(attrs.get("t", ""), "normal")
    return kind, attrs.get("ref") if kind == "array" else None


def _no_ref() -> UnreadableWorkbook:
    return UnreadableWorkbook(
        "a formula cell has no r= reference; this writer needs it (open and save the file in Excel)"
    )


def scan(xml: str, formulas: bool = False) -> SheetScan:
    """Every formula cell of a worksheet, plus the non-anchor cells of array blocks; with
    ``formulas``, the formula texts too (:attr:`SheetScan.formula_text`: raw XML text that
    holds them all, for a cheap search of the function names they call).

    >>> s = scan('<sheetData><row r="1"><c r="A1"><v>2</v></c>'
    ...          '<c r="B1" t="str"><f>A1&amp;"x"</f><v>2x</v></c></row></sheetData>')
    >>> len(s), s.ref(0), s.t[0], s.v[0], s.formula(0)
    (1, 'B1', 'str', '2x', 'A1&"x"')
    """
    out = SheetScan(xml)
    begin = xml.find("sheetData")  # the worksheet's cells are all inside <sheetData>
    if begin < 0:
        return out
    end = xml.rfind("sheetData")
    end = len(xml) if end == begin else end
    quick = xml.count("<f", begin, end)  # a bound: also counts a rich-text <family>
    if not quick:
        return out
    out = _scan_fast(xml, begin, end, _FCELL_EXCEL, formulas)
    if len(out) != quick and len(out) != sum(1 for _ in _FTAG.finditer(xml, begin, end)):
        out = _scan_general(xml, begin, end)
        out.formula_text = [xml[begin:end]] if formulas else []
    blocks = [aref for aref in out.array_refs.values() if ":" in aref]
    if blocks:
        _add_spilled(out, blocks, begin, end)
    return out


_CHUNK = 1 << 20  # characters of sheet XML per findall (bounds the tuples held at once)


def _scan_fast(
    xml: str, begin: int, end: int, pattern: re.Pattern[str], formulas: bool = False
) -> SheetScan:
    """Formula cells through ``pattern``'s ``findall`` (C speed), a chunk of rows at a time;
    with ``formulas``, their texts too (:attr:`SheetScan.formula_text`)."""
    out = SheetScan(xml, pattern, begin, end)
    pos = begin
    while pos < end:
        stop = xml.find("</row>", min(pos + _CHUNK, end), end)
        stop = end if stop < 0 else stop + 6
        found = pattern.findall(xml, pos, stop)
        pos = stop
        if not found:
            continue
        cols, rows, attrs, fattrs, ftexts, velems, vtexts = zip(*found)
        if formulas:
            out.formula_text.append("\n".join(ftexts))
        if "'" in "".join(attrs):  # a single-quoted attribute: the general way
            for col, row, a, fa, _, v, vt in found:
                parsed = _attrs(a)
                if "array" in fa and _kind(fa)[1]:
                    out.array_refs[len(out)] = _kind(fa)[1]
                out._add(_col_number(col), int(row), parsed.get("t"), vt if v else None, fa)
            continue
        if "array" in "".join(fattrs):
            for k, fa in enumerate(fattrs):
                if "array" in fa and _kind(fa)[1]:
                    out.array_refs[len(out) + k] = _kind(fa)[1]
        for letters in set(cols):
            _col_number(letters)
        out.rows.extend(map(int, rows))
        out.cols.extend(map(_COLS.__getitem__, cols))
        out.t.extend([_t_of(a) if "t" in a else None for a in attrs])
        out.v.extend([vt if v else None for v, vt in zip(velems, vtexts)])
        out.fattrs.extend(fattrs)
    return out


def v_element(text: str, prefix: str = "") -> str:
    """``<v>`` with ``text`` encoded; ``xml:space="preserve"`` when it has edge spaces."""
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<{prefix}v{space}>{encode_text(text)}</{prefix}v>"


def _t_of(attrs: str) -> str | None:
    m = _T.search(attrs)
    return m.group(1) if m else None


def _formula_matches(sheet: SheetScan) -> Iterator[re.Match[str]]:
    """The formula cells' matches again, in scan order."""
    if sheet.pattern is not None:
        yield from sheet.pattern.finditer(sheet.xml, sheet.begin, sheet.end)
        return
    for m in _CELL.finditer(sheet.xml, sheet.begin, sheet.end):
        if _F.search(m.group(4) or ""):
            yield m


def _scan_general(xml: str, begin: int, end: int) -> SheetScan:
    """The slow, general scan: every cell, any prefix, attribute or child order."""
    out = SheetScan(xml, None, begin, end)
    for m in _CELL.finditer(xml, begin, end):
        body = m.group(4) or ""
        fm = _F.search(body)
        if fm is None:
            continue
        attrs = _attrs(m.group(2))
        if "r" not in attrs:
            raise _no_ref()
        vm = _V.search(body)
        aref = _kind(fm.group(2) or "")[1]
        if aref is not None:
            out.array_refs[len(out)] = aref
        c, r = col_row(attrs["r"])
        out._add(c, r, attrs.get("t"), (vm.group(4) or "") if vm else None, fm.group(2) or "")
    return out


def _add_spilled(out: SheetScan, blocks: list[str], begin: int, end: int) -> None:
    anchors = {aref.split(":")[0] for aref in blocks}
    inside = {ref for aref in blocks for ref in block(aref)} - anchors
    formula_refs = {out.ref(i) for i in range(len(out))}
    for m in _CELL.finditer(out.xml, begin, end):
        ref = _attrs(m.group(2)).get("r")
        if ref in inside and ref not in formula_refs:
            vm = _V.search(m.group(4) or "")
            c, r = col_row(ref)
            v = (vm.group(4) or "") if vm else None
            out._add(c, r, _attrs(m.group(2)).get("t"), v, "spilled")  # (no <f>)
            out.spilled_starts.append(m.start())


def formula_cells(xml: str) -> list[FormulaCell]:
    """Formula cells of a worksheet, plus the non-anchor cells of array-formula blocks."""
    return scan(xml).cells()


def as_dynamic_arrays(xml: str, cells: list[FormulaCell]) -> str:
    """The sheet XML as the engine should see it: every multi-cell array formula becomes
    one formula that spills (Excel's dynamic arrays are stored as such blocks), and the
    other cells of the block lose their cached values, which would block the spill.

    Only the engine reads this text; the file is written from the original XML.
    """
    spilled = {c.ref for c in cells if c.kind == "spilled"}
    anchors = {c.ref for c in cells if c.kind == "array" and c.array_ref and ":" in c.array_ref}
    if not anchors:
        return xml
    drop = re.compile(r"""\s(?:t|ref|aca)\s*=\s*("[^"]*"|'[^']*')""")

    def cell(m: re.Match[str]) -> str:
        ref = _attrs(m.group(2)).get("r", "")
        body = m.group(4)
        if body is None or (ref not in anchors and ref not in spilled):
            return m.group(0)
        if ref in anchors:
            fm = _F.search(body)
            assert fm is not None
            plain_f = f"<{fm.group(1)}f{drop.sub('', fm.group(2) or '')}{fm.group(3)}"
            body = body[: fm.start()] + plain_f + body[fm.end() :]
        else:
            body = _V.sub("", body)
        return f"<{m.group(1)}c{m.group(2) or ''}>{body}</{m.group(1)}c>"

    return _CELL.sub(cell, xml)


def splice(sheet: SheetScan, changes: list[tuple[int, tuple[str | None, str]]]) -> str:
    """The sheet XML with only ``<v>`` and ``t`` of the changed cells (scan index, new
    value: a :class:`Value` or a plain ``(t, text)``) replaced, in one pass over the formula
    cells: every byte between changes is copied as it was."""
    if not changes:
        return sheet.xml
    xml = sheet.xml
    new = dict(changes)
    ops: list[tuple[int, int, str]] = []  # (start, end, replacement) in the original text
    if sheet.pattern is not None:  # the fast scan's matches give the spans to replace
        for i, m in enumerate(_formula_matches(sheet)):
            value = new.get(i)
            if value is None or sheet.t[i] == "inlineStr":  # an <is> must go: see below
                continue
            del new[i]
            a_start, a_end = m.span(3)
            ops.append((a_start, a_end, _set_t(m.group(3), sheet.t[i], value[0])))
            v_start, v_end = m.span(6) if m.group(6) else (m.end(), m.end())
            ops.append((v_start, v_end, v_element(value[1])))
    for i, value in new.items():  # general-scan sheets, spilled cells, inline strings
        m = sheet.cell_xml(i)
        ops.append((m.start(), m.end(), _new_cell(m, value)))
    ops.sort(key=lambda op: op[0])
    out, last = [], 0
    for start, end, text in ops:
        out += (xml[last:start], text)
        last = end
    out.append(xml[last:])
    return "".join(out)


def write_sheet(sheet: SheetScan, changes: list[tuple[int, tuple[str | None, str]]]) -> bytes:
    """:func:`splice` as UTF-8, streamed a chunk of rows at a time: a sheet of 10⁶ changed
    cells is rewritten with memory for a few thousand pieces beside the text and the result.
    (Sheets the general scan read, and changes to inline strings or spilled cells, go
    through :func:`splice`.)"""
    if (
        sheet.pattern is not _FCELL_EXCEL
        or sheet.spilled_starts
        or ("inlineStr" in sheet.t and any(sheet.t[i] == "inlineStr" for i, _ in changes))
    ):
        return splice(sheet, changes).encode("utf-8")
    xml, begin, end = sheet.xml, sheet.begin, sheet.end
    changes = sorted(changes, key=itemgetter(0))  # linear when in order already (Timsort)
    out = [xml[:begin].encode("utf-8")]
    pos, base, k = begin, 0, 0
    ts = sheet.t
    ahead, sheet.ahead = iter(sheet.ahead), []
    while pos < end:
        stop, pieces = next(ahead, None) or _split_chunk(xml, pos, end)
        n = (len(pieces) - 1) // _STRIDE
        while k < len(changes) and changes[k][0] < base + n:
            i, value = changes[k]
            at = (i - base) * _STRIDE
            t, text = value
            if ts[i] != t:
                pieces[at + 5] = _set_t(pieces[at + 5], ts[i], t)
            pieces[at + 7] = f"<v>{text}</v>" if t is None else v_element(text)  # numbers: as is
            k += 1
        out.append("".join(pieces).encode("utf-8"))
        pos, base = stop, base + n
    if base != len(sheet) or k != len(changes):  # cannot happen: same cells as the scan
        return splice(sheet, changes).encode("utf-8")
    out.append(xml[end:].encode("utf-8"))
    return b"".join(out)


def _split_chunk(xml: str, pos: int, end: int) -> tuple[int, list[str]]:
    """The pieces of the rows from ``pos`` (a chunk's worth, whole rows): where they end,
    and ``re.split``'s pieces, the absent ``<v>`` as ""."""
    stop = xml.find("</row>", min(pos + _CHUNK, end), end)
    stop = end if stop < 0 else stop + 6
    pieces = _FCELL_SPLIT.split(xml[pos:stop])
    pieces[7::_STRIDE] = [p or "" for p in pieces[7::_STRIDE]]
    return stop, pieces


#: Most chunks split ahead per sheet (each ~5 MB of pieces for 1 MB of XML).
MAX_AHEAD = 16


def split_ahead(sheet: SheetScan, go_on: Callable[[], bool]) -> None:
    """Split a sheet for :func:`write_sheet` while ``go_on()`` (the engine still evaluating
    in its thread: time this thread would spend waiting), a chunk at a time, at most
    :data:`MAX_AHEAD` chunks; :func:`write_sheet` splits the rest itself."""
    if sheet.pattern is not _FCELL_EXCEL or sheet.spilled_starts or not len(sheet):
        return
    pos = sheet.ahead[-1][0] if sheet.ahead else sheet.begin
    while pos < sheet.end and len(sheet.ahead) < MAX_AHEAD and go_on():
        sheet.ahead.append(_split_chunk(sheet.xml, pos, sheet.end))
        pos = sheet.ahead[-1][0]


def rewrite(xml: str, updates: dict[str, Value]) -> str:
    """The sheet XML with only ``<v>`` and ``t`` of the cells in ``updates`` changed."""
    if not updates:
        return xml
    sheet = scan(xml)
    index = {sheet.ref(i): i for i in range(len(sheet))}
    return splice(sheet, [(index[ref], v) for ref, v in updates.items() if ref in index])


def _new_cell(m: re.Match[str], new: tuple[str | None, str]) -> str:
    p = m.group(1)  # a self-closing <c/> (a block cell with no value yet) gets a body
    attrs = _attrs(m.group(2))
    start = _set_t(m.group(2) or "", attrs.get("t"), new[0])
    body = m.group(4) or ""
    if attrs.get("t") == "inlineStr":
        body = _IS.sub("", body)  # the value moves to <v>
    v = v_element(new[1], p)
    vm = _V.search(body)
    if vm:
        body = body[: vm.start()] + v + body[vm.end() :]
    else:
        fm = _F.search(body)
        at = fm.end() if fm else 0
        body = body[:at] + v + body[at:]
    return f"<{p}c{start}>{body}</{p}c>"


def _set_t(start: str, old: str | None, new: str | None) -> str:
    if new is None and old == "n":
        return start  # LibreOffice writes t="n" for numbers; leave it
    if old == new:
        return start
    pattern = _T_ATTR
    if old is not None:
        if new is None:
            return pattern.sub("", start, count=1)
        return pattern.sub(lambda m: f'{m.group(1)}t="{new}"', start, count=1)
    return start + f' t="{new}"'
