"""Safe reading of an .xlsx/.xlsm package and the lossless cached-value writer.

Only the ``<v>`` element and the ``t`` attribute of formula cells in worksheet parts are
ever changed; every other zip member is copied as its original compressed bytes, in the
original order. XML is checked with defusedxml (no DTD, no entities) before anything
reads it, and every part is read through a size bound so a zip bomb stops early.
"""

from __future__ import annotations

import math
import os
import posixpath
import re
import shutil
import struct
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from ..errors import UnreadableWorkbook  # noqa: F401 - raised here, importable from here

MAX_PART_BYTES = 256 * 1024**2
MAX_TOTAL_BYTES = 1024**3
MAX_RATIO = 1000  # inflated ÷ compressed, for parts over 1 MB
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


@dataclass(frozen=True)
class Value:
    """A cached value as the sheet XML stores it: ``t`` (None = number) and ``<v>`` text."""

    t: str | None
    text: str


def sniff(path: Path) -> None:
    """Refuse files that are not OOXML zip packages, with a plain reason."""
    suffix = path.suffix.lower()
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise UnreadableWorkbook(f"cannot read the file: {exc.strerror}") from None
    if head.startswith(OLE_MAGIC):
        if suffix == ".xls":
            raise UnreadableWorkbook(
                "legacy .xls (BIFF) workbook: open it in Excel and save it as .xlsx"
            )
        raise UnreadableWorkbook(
            "password-protected (encrypted OLE container): remove the "
            "password in Excel and save again"
        )
    if suffix == ".xls":
        raise UnreadableWorkbook("legacy .xls workbooks are not supported: save as .xlsx")
    if not head.startswith(b"PK"):
        raise UnreadableWorkbook("not a zip package, so not an .xlsx/.xlsm file")


class Package:
    """A read-only view of the zip with bounded reads. Use as a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.zip = zipfile.ZipFile(path)
            self.infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise UnreadableWorkbook(f"corrupt or truncated zip ({exc})") from None
        total = 0
        for info in self.infos:
            if info.file_size > MAX_PART_BYTES:
                raise UnreadableWorkbook(
                    f"part {info.filename} would inflate to {info.file_size:,} bytes (limit "
                    f"{MAX_PART_BYTES:,}): zip bomb or far too large"
                )
            if info.file_size > 1024**2 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise UnreadableWorkbook(
                    f"part {info.filename} has a compression ratio over {MAX_RATIO}: zip bomb"
                )
            total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise UnreadableWorkbook(
                f"package inflates to {total:,} bytes (limit {MAX_TOTAL_BYTES:,})"
            )
        self.names = {i.filename for i in self.infos}

    def __enter__(self) -> "Package":
        return self

    def __exit__(self, *exc: object) -> None:
        self.zip.close()

    def read(self, name: str) -> bytes:
        """A member's bytes, refusing to inflate past the declared size or the limit."""
        try:
            info = self.zip.getinfo(name)
        except KeyError:
            raise UnreadableWorkbook(f"part {name} is missing: not a workbook package") from None
        limit = min(info.file_size, MAX_PART_BYTES)
        try:
            with self.zip.open(info) as fh:
                data = fh.read(limit + 1)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            if "encrypted" in str(exc):
                raise UnreadableWorkbook("the zip is encrypted: remove the password") from None
            raise UnreadableWorkbook(f"part {name} is corrupt ({exc})") from None
        if len(data) > limit:
            raise UnreadableWorkbook(f"part {name} inflates past its declared size: zip bomb")
        return data

    def xml(self, name: str) -> Any:
        """Parse a part with entities and DTDs forbidden."""
        data = self.read(name)
        try:
            return SafeET.fromstring(data, forbid_dtd=True)
        except DefusedXmlException as exc:
            raise UnreadableWorkbook(
                f"part {name} uses a DTD or XML entities "
                f"({type(exc).__name__}): refused as an XML attack"
            ) from None
        except SafeET.ParseError as exc:
            raise UnreadableWorkbook(f"part {name} is not well-formed XML ({exc})") from None

    def refuse_dtds(self, name: str) -> None:
        """Refuse a part that declares a DTD (the only way to define entities), cheaply."""
        data = self.read(name)
        for marker in (
            b"<!DOCTYPE",
            b"<!ENTITY",
            "<!DOCTYPE".encode("utf-16-le"),
            "<!DOCTYPE".encode("utf-16-be"),
        ):
            if marker in data:
                raise UnreadableWorkbook(
                    f"part {name} uses a DTD or XML entities: refused as an XML attack"
                )

    def sheets(self) -> list[tuple[str, str]]:
        """(sheet name, worksheet part) in workbook order; chartsheets are skipped."""
        book_part = self._office_document()
        book = self.xml(book_part)
        rels_part = posixpath.join(
            posixpath.dirname(book_part), "_rels", posixpath.basename(book_part) + ".rels"
        )
        targets = {}
        for rel in self.xml(rels_part).iter(f"{{{NS_PKG_REL}}}Relationship"):
            if rel.get("Type", "").endswith("/worksheet"):
                targets[rel.get("Id")] = _resolve(book_part, rel.get("Target", ""))
        out = []
        for sheet in book.iter(f"{{{NS_MAIN}}}sheet"):
            part = targets.get(sheet.get(f"{{{NS_REL}}}id"))
            if part and part in self.names:
                out.append((sheet.get("name", ""), part))
        return out

    def _office_document(self) -> str:
        for rel in self.xml("_rels/.rels").iter(f"{{{NS_PKG_REL}}}Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                return _resolve("", rel.get("Target", ""))
        raise UnreadableWorkbook("no workbook part in the package: not a spreadsheet")


def _resolve(source_part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


# Cells in the sheet XML ---------------------------------------------------------------------

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
            yield f"{_col_name(c)}{r}"


def _col_name(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def _attrs(start: str | None) -> dict[str, str]:
    return {k: v[1:-1] for k, v in _ATTR.findall(start or "")}


def formula_cells(xml: str) -> list[FormulaCell]:
    """Formula cells of a worksheet, plus the non-anchor cells of array-formula blocks."""
    cells: list[FormulaCell] = []
    blocks: list[str] = []
    plain: dict[str, Value | None] = {}
    for m in _CELL.finditer(xml):
        attrs = _attrs(m.group(2))
        ref = attrs.get("r")
        body = m.group(4) or ""
        vm = _V.search(body)
        cached = Value(attrs.get("t"), _unescape(vm.group(4) or "")) if vm else None
        fm = _F.search(body)
        if ref is None:
            if fm:
                raise UnreadableWorkbook(
                    "a formula cell has no r= reference; this writer "
                    "needs it (open and save the file in Excel)"
                )
            continue
        if not fm:
            plain[ref] = cached
            continue
        fattrs = _attrs(fm.group(2))
        ftype = fattrs.get("t", "normal")
        text = None if fm.group(3) == "/>" else _unescape(fm.group(4) or "")
        kind = {"shared": "shared", "array": "array"}.get(ftype, "normal")
        aref = fattrs.get("ref") if kind == "array" else None
        cells.append(FormulaCell(ref, text, kind, aref, cached))
        if aref and ":" in aref:
            blocks.append(aref)
    for aref in blocks:
        anchor = aref.split(":")[0]
        for ref in block(aref):
            if ref != anchor and ref in plain:
                cells.append(FormulaCell(ref, None, "spilled", aref, plain[ref]))
    return cells


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


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_value(result: Any) -> Value:
    """A Python result (number, bool, text, or an error TEXT flagged by the caller as an
    error) as a cached value. Errors are passed as ``("e", "#DIV/0!")``."""
    if isinstance(result, tuple) and result[0] == "e":
        return Value("e", result[1])
    if isinstance(result, bool):
        return Value("b", "1" if result else "0")
    if isinstance(result, (int, float)):
        x = float(result)
        if not math.isfinite(x):
            return Value("e", "#NUM!")
        if x.is_integer() and abs(x) < 1e15:
            return Value(None, str(int(x)))
        return Value(None, repr(x).upper() if "e" in repr(x) else repr(x))
    return Value("str", "" if result is None else str(result))


def rewrite(xml: str, updates: dict[str, Value]) -> str:
    """The sheet XML with only ``<v>`` and ``t`` of the cells in ``updates`` changed."""
    if not updates:
        return xml

    def cell(m: re.Match[str]) -> str:
        attrs = _attrs(m.group(2))
        new = updates.get(attrs.get("r", ""))
        if new is None or m.group(3) == "/>":
            return m.group(0)
        p = m.group(1)
        start = _set_t(m.group(2) or "", attrs.get("t"), new.t)
        body = m.group(4) or ""
        v = f"<{p}v>{_escape(new.text)}</{p}v>"
        vm = _V.search(body)
        if vm:
            body = body[: vm.start()] + v + body[vm.end() :]
        else:
            fm = _F.search(body)
            at = fm.end() if fm else 0
            body = body[:at] + v + body[at:]
        return f"<{p}c{start}>{body}</{p}c>"

    return _CELL.sub(cell, xml)


def _set_t(start: str, old: str | None, new: str | None) -> str:
    if new is None and old == "n":
        return start  # LibreOffice writes t="n" for numbers; leave it
    if old == new:
        return start
    pattern = re.compile(r"""(\s)t\s*=\s*("[^"]*"|'[^']*')""")
    if old is not None:
        if new is None:
            return pattern.sub("", start, count=1)
        return pattern.sub(lambda m: f'{m.group(1)}t="{new}"', start, count=1)
    return start + f' t="{new}"'


# Writing the package --------------------------------------------------------------------------


def _raw_member(fh: Any, info: zipfile.ZipInfo) -> bytes:
    fh.seek(info.header_offset)
    header = fh.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise UnreadableWorkbook(f"bad local header for {info.filename}")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    fh.seek(info.header_offset + 30 + name_len + extra_len)
    return fh.read(info.compress_size)


def write_package(pkg: Package, replaced: dict[str, bytes], target: Path, backup: bool) -> None:
    """Write ``pkg`` with the members in ``replaced`` swapped, atomically over ``target``."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with (
            os.fdopen(fd, "wb") as out_fh,
            zipfile.ZipFile(out_fh, "w") as out,
            open(pkg.path, "rb") as src,
        ):
            for info in pkg.infos:
                if info.filename in replaced:
                    zi = zipfile.ZipInfo(info.filename, info.date_time)
                    zi.compress_type = info.compress_type
                    zi.external_attr = info.external_attr
                    zi.create_system = info.create_system
                    out.writestr(zi, replaced[info.filename])
                else:
                    _copy_raw(out, info, _raw_member(src, info))
            out.comment = pkg.zip.comment
        shutil.copymode(pkg.path, tmp)
        if backup:
            shutil.copy2(pkg.path, str(target) + ".bak")
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _copy_raw(out: zipfile.ZipFile, info: zipfile.ZipInfo, raw: bytes) -> None:
    """Append an already-compressed member (zipfile has no public API for this)."""
    zi = zipfile.ZipInfo(info.filename, info.date_time)
    for attr in (
        "compress_type",
        "comment",
        "create_system",
        "create_version",
        "extract_version",
        "external_attr",
        "internal_attr",
        "CRC",
        "compress_size",
        "file_size",
    ):
        setattr(zi, attr, getattr(info, attr))
    zi.flag_bits = info.flag_bits & ~0x08  # sizes go in the local header, no descriptor
    zi.extra = b""
    zi.header_offset = out.fp.tell()
    out._writecheck(zi)  # type: ignore[attr-defined]
    out._didModify = True  # type: ignore[attr-defined]
    out.fp.write(zi.FileHeader(zip64=zi.file_size > 0xFFFFFFFF))
    out.fp.write(raw)
    out.filelist.append(zi)
    out.NameToInfo[zi.filename] = zi
    out.start_dir = out.fp.tell()  # type: ignore[attr-defined]
