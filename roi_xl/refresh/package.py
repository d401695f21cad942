"""Safe reading of an .xlsx/.xlsm package: sniffing, bounded reads, DTD refusal.

Every part is read through a size bound (declared size, per-part limit, compression ratio,
package total), so a zip bomb stops before it inflates; XML is parsed with defusedxml (no
DTD, no entities).
"""

from __future__ import annotations

import posixpath
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from ..errors import UnreadableWorkbook
from .strict import MAIN_NAMESPACES, REL_NAMESPACES  # transitional and strict

MAX_PART_BYTES = 256 * 1024**2
MAX_TOTAL_BYTES = 1024**3
MAX_RATIO = 1000  # inflated ÷ compressed, for parts over 1 MB
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def sniff(path: Path) -> None:
    """Refuse files that are not OOXML zip packages, with a plain reason."""
    suffix = path.suffix.lower()
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise UnreadableWorkbook(f"cannot read the file: {exc.strerror}") from None
    if head.startswith(OLE_MAGIC):
        raise UnreadableWorkbook(ole_reason(path))
    if suffix == ".xls":
        raise UnreadableWorkbook("legacy .xls workbooks are not supported: save as .xlsx")
    if not head.startswith(b"PK"):
        raise UnreadableWorkbook("not a zip package, so not an .xlsx/.xlsm file")


def ole_reason(path: Path) -> str:
    """Why an OLE2 compound file (the container of .xls, and of encrypted .xlsx) cannot be
    refreshed, from the streams it holds (MS-CFB; read with ``olefile``):

    - ``EncryptionInfo`` + ``EncryptedPackage``: an OOXML workbook encrypted with a
      password (MS-OFFCRYPTO §2.3.4); the only container Excel writes for a protected .xlsx;
    - ``Workbook`` (BIFF8, Excel 97–2003) or ``Book`` (BIFF5): a legacy .xls, whatever its
      name says (an .xls with a password is still an .xls: saving as .xlsx comes first);
    - anything else (a Word or Outlook file): not a workbook.
    """
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(e).lower() for e in ole.listdir(streams=True, storages=False)}
    except (OSError, ValueError, NotImplementedError) as exc:
        return f"a damaged OLE compound file ({exc}): not a workbook that can be refreshed"
    if {"encryptioninfo", "encryptedpackage"} <= streams:
        return (
            "password-protected (encrypted workbook): remove the password in Excel "
            "(File > Info > Protect Workbook) and save again"
        )
    if "workbook" in streams or "book" in streams:
        return "legacy .xls (BIFF) workbook: open it in Excel and save it as .xlsx"
    return "an OLE compound file that holds no workbook (a Word or Outlook file?): not an .xlsx"


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
        #: the whole file, for small packages: members are inflated from it directly
        self._bytes: bytes | None = None
        if 0 < self.zip.fp.seek(0, 2) <= WHOLE_FILE_BYTES:  # type: ignore[union-attr]
            self.zip.fp.seek(0)  # type: ignore[union-attr]
            self._bytes = self.zip.fp.read()  # type: ignore[union-attr]

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
        if self._bytes is not None:
            data = _inflate(self._bytes, info, limit)
            if data is not None:
                return data
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

    def refuse_dtds(self, name: str, data: bytes | None = None) -> None:
        """Refuse a part that declares a DTD (the only way to define entities), cheaply;
        ``data``: the part's bytes when the caller has read them already."""
        if data is None:
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
        for sheet in (s for ns in MAIN_NAMESPACES for s in book.iter(f"{{{ns}}}sheet")):
            rid = next(filter(None, (sheet.get(f"{{{ns}}}id") for ns in REL_NAMESPACES)), None)
            part = targets.get(rid)
            if part and part in self.names:
                out.append((sheet.get("name", ""), part))
        return out

    def shared_strings(self) -> list[str]:
        """The workbook's shared strings (each item's text, phonetic runs left out); read
        once, on first use."""
        cached = getattr(self, "_shared_strings", None)
        if cached is not None:
            return cached
        book_part = self._office_document()
        rels_part = posixpath.join(
            posixpath.dirname(book_part), "_rels", posixpath.basename(book_part) + ".rels"
        )
        out: list[str] = []
        for rel in self.xml(rels_part).iter(f"{{{NS_PKG_REL}}}Relationship"):
            part = _resolve(book_part, rel.get("Target", ""))
            if rel.get("Type", "").endswith("/sharedStrings") and part in self.names:
                for si in self.xml(part):
                    if si.tag.rsplit("}", 1)[-1] not in ("si", "sstItem"):
                        continue
                    phonetic = {
                        id(t) for r in si if r.tag.rsplit("}", 1)[-1] == "rPh" for t in r.iter()
                    }
                    out.append(
                        "".join(
                            t.text or ""
                            for t in si.iter()
                            if t.tag.rsplit("}", 1)[-1] == "t" and id(t) not in phonetic
                        )
                    )
                break
        self._shared_strings = out
        return out

    def _office_document(self) -> str:
        book: str | None = getattr(self, "_book", None)
        if book is not None:
            return book
        for rel in self.xml("_rels/.rels").iter(f"{{{NS_PKG_REL}}}Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                self._book = _resolve("", rel.get("Target", ""))
                return self._book
        raise UnreadableWorkbook("no workbook part in the package: not a spreadsheet")


#: Packages up to this size are read whole, and their members inflated with zlib directly
#: (zipfile's per-member machinery cost ~30 µs a member: half the reading of a template).
WHOLE_FILE_BYTES = 8 * 1024**2
_LOCAL = struct.Struct("<4s22xHH")


def _inflate(data: bytes, info: zipfile.ZipInfo, limit: int) -> bytes | None:
    """The member ``info`` of the zip held in ``data``, checked as zipfile checks it
    (local header, size, CRC); ``None`` for what only zipfile handles (encryption, other
    compressions, a member past the end): the caller then asks zipfile."""
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return None
    at = info.header_offset
    if at + 30 > len(data):
        return None
    magic, name_len, extra_len = _LOCAL.unpack_from(data, at)
    if magic != b"PK\x03\x04":
        raise UnreadableWorkbook(f"part {info.filename} is corrupt (bad local header)")
    start = at + 30 + name_len + extra_len
    raw = data[start : start + info.compress_size]
    if len(raw) < info.compress_size:
        raise UnreadableWorkbook(f"part {info.filename} is corrupt (truncated)")
    if info.compress_type == zipfile.ZIP_STORED:
        out = raw[: limit + 1]
    else:
        inflater = zlib.decompressobj(-15)
        try:
            out = inflater.decompress(raw, limit + 1)
        except zlib.error as exc:
            raise UnreadableWorkbook(f"part {info.filename} is corrupt ({exc})") from None
    if len(out) > limit:
        raise UnreadableWorkbook(
            f"part {info.filename} is corrupt: it inflates past its declared size (zip bomb)"
        )
    if len(out) != info.file_size or zlib.crc32(out) != info.CRC:
        raise UnreadableWorkbook(f"part {info.filename} is corrupt (CRC or size check failed)")
    return out


def _resolve(source_part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))
