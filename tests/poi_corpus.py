"""The real-world corpus (``tests/data/poi/``, Excel-made workbooks from Apache POI's test
data) refreshed as it is and with its cached values stripped, checked against LibreOffice
and against the values Excel stored.

Everything here reads the files with the standard library's XML parser, independently of
``roi_xl.refresh`` (the code under test).

``python -m tests.poi_corpus`` prints the figures the README quotes.
"""

from __future__ import annotations

import math
import posixpath
import re
import shutil
import tempfile
import zipfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from roi_xl.refresh.strict import REL_NAMESPACES  # the namespace URIs, not behaviour

CORPUS = Path(__file__).parent / "data" / "poi"
#: The excluded files and why; checked against the scan in :func:`classify`.
EXCLUDED_TABLE = CORPUS.parent / "poi-excluded.csv"

PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def excluded() -> dict[str, str]:
    """File name → why Excel itself needs more than the file to compute it."""
    import csv

    with open(EXCLUDED_TABLE, newline="", encoding="utf-8") as fh:
        return {row["file"]: row["reason"] for row in csv.DictReader(fh)}


EXCLUDED = excluded()


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.suffix.lower() in (".xlsx", ".xlsm"))


# Reading cells, independently of roi_xl ----------------------------------------------------


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _ns(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _resolve(source: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def worksheet_parts(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part) of every worksheet, transitional or strict."""
    root = ET.fromstring(zf.read("_rels/.rels"))
    book = next(
        _resolve("", r.get("Target", ""))
        for r in root.iter(f"{PKG_REL}Relationship")
        if r.get("Type", "").endswith("/officeDocument")
    )
    rels_part = posixpath.join(posixpath.dirname(book), "_rels", posixpath.basename(book) + ".rels")
    targets = {
        r.get("Id"): _resolve(book, r.get("Target", ""))
        for r in ET.fromstring(zf.read(rels_part)).iter(f"{PKG_REL}Relationship")
        if r.get("Type", "").endswith("/worksheet")
    }
    out = []
    for el in ET.fromstring(zf.read(book)).iter():
        if _local(el.tag) == "sheet":
            rid = next(
                (el.get(f"{{{ns}}}id") for ns in REL_NAMESPACES if el.get(f"{{{ns}}}id")), None
            )
            if rid in targets and targets[rid] in zf.namelist():
                out.append((el.get("name", ""), targets[rid]))
    return out


def shared_strings(zf: zipfile.ZipFile) -> list[str]:
    name = next((n for n in zf.namelist() if n.lower().endswith("sharedstrings.xml")), None)
    if name is None:
        return []
    out = []
    for si in ET.fromstring(zf.read(name)):
        if _local(si.tag) in ("si", "sstItem"):  # sstItem: Excel 2007 beta
            out.append(
                "".join(
                    t.text or "" for t in si.iter() if _local(t.tag) == "t" and not _in_rph(si, t)
                )
            )
    return out


def _in_rph(si: ET.Element, t: ET.Element) -> bool:
    for rph in si:
        if _local(rph.tag) in ("rPh", "phoneticPr") and t in list(rph.iter()):
            return True
    return False


@dataclass(frozen=True)
class Cell:
    formula: str | None  # text of <f> (None: a shared-formula child or no formula)
    has_f: bool
    value: Any  # float | str | bool | ("e", text) | None


def cells(path: Path) -> dict[tuple[str, str], Cell]:
    """Every cell with a formula or a value, keyed by (sheet, ref); values as Python values."""
    out: dict[tuple[str, str], Cell] = {}
    with zipfile.ZipFile(path) as zf:
        strings = shared_strings(zf)
        for sheet, part in worksheet_parts(zf):
            for c in ET.fromstring(zf.read(part)).iter():
                if _local(c.tag) != "c" or c.get("r") is None:
                    continue
                f = v = isel = None
                for child in c:
                    name = _local(child.tag)
                    if name == "f":
                        f = child
                    elif name == "v":
                        v = child
                    elif name == "is":
                        isel = child
                t = c.get("t", "n")
                value: Any = None
                if v is not None:
                    text = v.text or ""
                    if t == "s":
                        value = strings[int(text)] if text.strip() else None
                    elif t == "b":
                        value = text.strip() in ("1", "true")
                    elif t == "e":
                        value = ("e", text)
                    elif t in ("str", "inlineStr"):
                        value = text
                    elif t == "d":
                        value = _serial(text)
                    else:
                        value = float(text) if text.strip() else None
                elif isel is not None:
                    value = "".join(x.text or "" for x in isel.iter() if _local(x.tag) == "t")
                out[(sheet, c.get("r"))] = Cell(
                    None if f is None else (f.text or None), f is not None, value
                )
    return out


def _serial(iso: str) -> float | str:
    """An ISO date (``t="d"``, as LibreOffice writes some results) as Excel's serial."""
    import datetime as dt

    try:
        when = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    delta = when - dt.datetime(1899, 12, 30)
    return delta.days + delta.seconds / 86400 + delta.microseconds / 86400e6


def same_value(a: Any, b: Any) -> bool:
    """Equal as cached values: numbers within 1e-9 relative, "" and empty alike."""
    if a in (None, "") and b in (None, ""):
        return True
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(a, tuple) and isinstance(b, tuple):
        return a[1].upper() == b[1].upper()
    return a == b


# Stripping cached values ------------------------------------------------------------------

_CELL = re.compile(rb"<(?P<p>(?:[\w.-]+:)?)c(?P<a>\s[^>]*?)?(?:/>|>(?P<body>.*?)</(?P=p)c>)", re.S)
_V = re.compile(rb"<(?P<p>(?:[\w.-]+:)?)v(?:\s[^>]*?)?(?:/>|>.*?</(?P=p)v>)", re.S)
_F = re.compile(rb"<(?:[\w.-]+:)?f[\s/>]")
_T = re.compile(rb"""\st\s*=\s*(?:"[^"]*"|'[^']*')""")


def strip_sheet(xml: bytes) -> bytes:
    """The sheet XML with the ``<v>`` and the ``t`` attribute of every formula cell gone,
    every other byte as it was."""

    def cell(m: re.Match[bytes]) -> bytes:
        body = m.group("body")
        if body is None or not _F.search(body):
            return m.group(0)
        attrs = _T.sub(b"", m.group("a") or b"")
        p = m.group("p")
        return b"<" + p + b"c" + attrs + b">" + _V.sub(b"", body) + b"</" + p + b"c>"

    return _CELL.sub(cell, xml)


def strip(src: Path, dst: Path) -> Path:
    """A copy of ``src`` without any formula's cached value (other members unchanged)."""
    with zipfile.ZipFile(src) as zin:
        sheets = {part for _, part in worksheet_parts(zin)}
        with zipfile.ZipFile(dst, "w") as out:
            for info in zin.infolist():
                data = zin.read(info)
                if info.filename in sheets:
                    data = strip_sheet(data)
                out.writestr(info, data, compress_type=info.compress_type)
            out.comment = zin.comment
    return dst


def without_formula_values(xml: bytes) -> ET.Element:
    """The parsed sheet with the cached values (``<v>`` and ``t``) of formula cells and of
    the cells an array formula fills removed (for comparisons)."""
    root = ET.fromstring(xml)
    blocks = set()
    for f in root.iter():
        if _local(f.tag) == "f" and f.get("t") == "array" and ":" in f.get("ref", ""):
            blocks |= set(_block(f.get("ref")))
    for c in root.iter():
        if _local(c.tag) == "c" and (any(_local(x.tag) == "f" for x in c) or c.get("r") in blocks):
            c.attrib.pop("t", None)
            for v in [x for x in c if _local(x.tag) == "v"]:
                c.remove(v)
    return root


def _block(ref: str) -> list[str]:
    from openpyxl.utils.cell import range_boundaries, get_column_letter

    c1, r1, c2, r2 = range_boundaries(ref)
    return [f"{get_column_letter(c)}{r}" for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]


def same_tree(a: ET.Element, b: ET.Element) -> bool:
    return (
        a.tag == b.tag
        and a.attrib == b.attrib
        and (a.text or "").strip() == (b.text or "").strip()
        and (a.tail or "").strip() == (b.tail or "").strip()
        and len(a) == len(b)
        and all(same_tree(x, y) for x, y in zip(a, b))
    )


def assert_only_cached_values_differ(before: Path, after: Path) -> None:
    """Same members in the same order and compression; non-sheet members byte for byte;
    sheets equal once formula cells' cached values are set aside; every XML part parses."""
    with zipfile.ZipFile(before) as za, zipfile.ZipFile(after) as zb:
        assert za.namelist() == zb.namelist(), after
        assert zb.testzip() is None, after
        sheets = {part for _, part in worksheet_parts(za)}
        for ia, ib in zip(za.infolist(), zb.infolist()):
            assert ia.compress_type == ib.compress_type, (after, ia.filename)
            a, b = za.read(ia), zb.read(ib)
            if ia.filename in sheets:
                assert same_tree(without_formula_values(a), without_formula_values(b)), (
                    after,
                    ia.filename,
                )
            else:
                assert a == b, (after, ia.filename)
            if ib.filename.endswith((".xml", ".rels")):
                ET.fromstring(b)


# Which files Excel itself computes without add-ins ----------------------------------------

_EXTERNAL = re.compile(r"\[\d+\]|'\[[^\]]+\]|\['")
_FUNC = re.compile(r"(?<![\w.\]!])([A-Za-z_][\w.]*)\s*\(")


def builtin_function(name: str) -> bool:
    from openpyxl.utils.formulas import FORMULAE

    upper = name.upper()
    return upper in FORMULAE or upper.startswith(("_XLFN.", "_XLWS."))


def classify(path: Path) -> str:
    """Why a file is out of scope ("" when Excel computes it without add-ins): it reaches
    into other workbooks (``[1]Sheet!A1``) or calls functions that are not Excel's."""
    reasons = set()
    for cell in cells(path).values():
        f = cell.formula or ""
        if _EXTERNAL.search(re.sub(r'"[^"]*"', "", f)):
            reasons.add("external workbook links")
        for name in _FUNC.findall(re.sub(r'"[^"]*"', "", f)):
            if not builtin_function(name):
                reasons.add(f"non-Excel function {name.upper()}")
    return "; ".join(sorted(reasons))


@dataclass
class Outcome:
    """One refresh of one file, scored."""

    name: str
    status: str
    reason: str = ""
    formula_cells: int = 0
    equal: int = 0
    kept: int = 0
    unequal: list[str] = field(default_factory=list)
    damaged: str = ""
    path: Path | None = None  # the refreshed copy


def libreoffice_values(workdir: Path) -> dict[str, dict[tuple[str, str], Cell]]:
    """LibreOffice's own recalculation of every corpus file (one soffice call)."""
    from tools import libreoffice as lo

    files = corpus_files()
    outs = lo.convert(files, workdir / "lo")
    return {f.name: cells(o) for f, o in zip(files, outs)}


def opens_in_openpyxl(path: Path) -> str:
    import warnings

    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            openpyxl.load_workbook(path, data_only=True).close()
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return ""


def run(mode: str, workdir: Path, theirs: dict[str, dict] | None = None) -> list[Outcome]:
    """Refresh the corpus (``mode`` "as-is" or "stripped") in ``workdir``; check each
    output for damage and score it (:func:`score`) against Excel's stored values and
    ``theirs`` (LibreOffice's, by file name)."""
    from roi_xl.refresh import refresh_file

    given, work = workdir / mode / "given", workdir / mode / "refreshed"
    given.mkdir(parents=True)
    work.mkdir()
    outcomes = []
    for f in corpus_files():
        if mode == "stripped":
            strip(f, given / f.name)
        else:
            shutil.copy(f, given / f.name)
        path = Path(shutil.copy(given / f.name, work / f.name))
        report = refresh_file(path, backup=False)
        o = Outcome(f.name, report.status, report.reason, kept=report.kept, path=path)
        try:
            assert_only_cached_values_differ(given / f.name, path)
        except Exception as exc:
            o.damaged = f"{type(exc).__name__}: {exc}"
        if not opens_in_openpyxl(given / f.name):
            o.damaged = o.damaged or opens_in_openpyxl(path)
        outcomes.append(score(o, theirs))
    return outcomes


def score(o: Outcome, theirs: dict[str, dict] | None) -> Outcome:
    """Count the formula cells of ``o``'s output equal to Excel's stored value or to
    LibreOffice's (``theirs``, by file name)."""
    assert o.path is not None
    try:
        after = cells(o.path)
    except Exception:
        after = {}
    lo_cells = (theirs or {}).get(o.name, {})
    o.formula_cells, o.equal, o.unequal = 0, 0, []
    for key, cell in cells(CORPUS / o.name).items():
        if not cell.has_f:
            continue
        o.formula_cells += 1
        got = after.get(key, Cell(None, True, None)).value
        lo_value = lo_cells[key].value if key in lo_cells else None
        if same_value(got, cell.value) or (key in lo_cells and same_value(got, lo_value)):
            o.equal += 1
        else:
            o.unequal.append(f"{key[0]}!{key[1]}: {got!r} (Excel {cell.value!r}, LO {lo_value!r})")
    return o


@dataclass
class Figures:
    """The corpus run summed up (in-scope files only for the rates)."""

    mode: str
    files: int  # files with formulas
    in_scope: int  # of those, computed by Excel without add-ins or other workbooks
    refreshed: int  # in scope, and the refresh wrote their values
    complete: int  # in scope, and every formula computed (none kept)
    cells: int  # formula cells of the in-scope files
    equal: int  # of those, equal to Excel's stored value or to LibreOffice
    damaged: list[str]

    def __str__(self) -> str:
        return (
            f"{self.mode}: {self.refreshed} of {self.in_scope} files refreshed "
            f"({100 * self.refreshed / self.in_scope:.1f} %; every formula computed in "
            f"{self.complete}), {self.equal} of {self.cells} formula cells equal to Excel "
            f"or LibreOffice ({100 * self.equal / self.cells:.2f} %); {len(self.files_out)} "
            f"out of scope; damaged: {len(self.damaged)}"
        )

    @property
    def files_out(self) -> list[str]:
        return list(EXCLUDED)


def figures(mode: str, outcomes: list[Outcome]) -> Figures:
    scope = [o for o in outcomes if o.formula_cells and o.name not in EXCLUDED]
    return Figures(
        mode,
        sum(1 for o in outcomes if o.formula_cells),
        len(scope),
        sum(o.status == "refreshed" for o in scope),
        sum(o.status == "refreshed" and not o.kept for o in scope),
        sum(o.formula_cells for o in scope),
        sum(o.equal for o in scope),
        [o.name for o in outcomes if o.damaged],
    )


def main() -> None:  # pragma: no cover - a report, run by hand
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        theirs = libreoffice_values(Path(tmp))
    for mode in ("as-is", "stripped"):
        with tempfile.TemporaryDirectory() as tmp:
            outcomes = run(mode, Path(tmp), theirs)
        if args.verbose:
            for o in outcomes:
                print(
                    f"  {o.name}: {o.status} {o.equal}/{o.formula_cells} kept {o.kept} {o.reason}"
                )
                for u in o.unequal[:3]:
                    print("     ", u)
        print(figures(mode, outcomes), flush=True)


if __name__ == "__main__":
    main()
