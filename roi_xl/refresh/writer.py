"""The package writer: the original zip with some members replaced, every other member
copied as its original compressed bytes in the original order, written atomically.

Defence in depth (SPEC §6: whatever text a formula computes, the written package is
valid): every replaced part must parse with expat before anything is written, and the new
package must reopen (the members in the original order, every CRC right, the replaced
parts reading back byte for byte) before it replaces the file; otherwise the file is left
untouched and :class:`InvalidOutput` says why.

Copying compressed members as they are needs zipfile internals (``ZipInfo.FileHeader``,
``ZipFile._writecheck``, ``fp``, ``filelist``, ``NameToInfo``, ``start_dir``): the standard
library has no public call for it through Python 3.14, and no maintained package offers
one for an existing archive. :func:`raw_copy_supported` checks for them; when a Python
release drops one, the writer recompresses those members through the public API instead
(same content, different bytes), and the reopen check above guards both routes.
``tests/test_refresh_writer.py`` runs both on every Python CI runs.
"""

from __future__ import annotations

import copy
import io
import os
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

from ..fileio import replacing
from .package import WHOLE_FILE_BYTES, Package, UnreadableWorkbook, _inflate


class InvalidOutput(UnreadableWorkbook):
    """The refreshed package failed its own checks; the file was left untouched."""


#: Bytes per expat call. pyexpat holds the GIL through a call, so one call on 10 MB kept
#: the deflate thread (which needs the GIL each time its output buffer grows) waiting for
#: the whole check: chunks let it run beside (100 000 formulas: 0.19 s → 0.14 s for both).
CHECK_CHUNK = 1 << 18


def check_xml(name: str, data: bytes) -> None:
    """Raise :class:`InvalidOutput` unless ``data`` is well-formed XML (expat), fed in
    :data:`CHECK_CHUNK` pieces (expat keeps what a piece leaves unfinished, a character
    split between two included)."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    view = memoryview(data)
    try:
        for at in range(0, len(view), CHECK_CHUNK):
            parser.Parse(view[at : at + CHECK_CHUNK], False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise InvalidOutput(
            f"refresh produced a part that is not well-formed XML ({name}: {exc}); the "
            "file was left untouched (please report this with the workbook)"
        ) from None


def check_package(
    path: str | os.PathLike[str], names: list[str], replaced: dict[str, bytes]
) -> None:
    """Raise :class:`InvalidOutput` unless the written package at ``path`` reopens with the
    members ``names`` in order, every CRC right and the ``replaced`` parts as intended."""
    try:
        written = None
        if os.path.getsize(path) <= WHOLE_FILE_BYTES:  # read back once, members from memory
            with open(path, "rb") as fh:
                written = fh.read()
        with zipfile.ZipFile(path if written is None else io.BytesIO(written)) as z:
            if z.namelist() != names:
                raise InvalidOutput("the members or their order changed")
            if written is None:
                bad = z.testzip()
                if bad is not None:
                    raise InvalidOutput(f"member {bad} fails its CRC check")
            else:  # the checks of testzip (local header, size, CRC), without its machinery
                for info in z.infolist():
                    if _inflate(written, info, info.file_size) is None:
                        z.read(info)  # what only zipfile reads; it checks the CRC
            for name, data in replaced.items():  # read back above: CRC says as what
                info = z.getinfo(name)
                if info.CRC != zlib.crc32(data) or info.file_size != len(data):
                    raise InvalidOutput(f"member {name} does not read back as written")
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, UnreadableWorkbook) as exc:
        raise InvalidOutput(
            f"the refreshed package did not reopen ({exc}); the file was left untouched "
            "(please report this with the workbook)"
        ) from None


def raw_copy_supported(out: zipfile.ZipFile) -> bool:
    """Whether this Python's zipfile has the internals :func:`_copy_raw` uses."""
    return all(
        hasattr(out, a) for a in ("_writecheck", "fp", "filelist", "NameToInfo", "start_dir")
    ) and callable(getattr(zipfile.ZipInfo, "FileHeader", None))


def _raw_member(fh: Any, info: zipfile.ZipInfo) -> bytes:
    fh.seek(info.header_offset)
    header = fh.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise UnreadableWorkbook(f"bad local header for {info.filename}")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    fh.seek(info.header_offset + 30 + name_len + extra_len)
    return fh.read(info.compress_size)


def write_package(pkg: Package, replaced: dict[str, bytes], target: Path, backup: bool) -> None:
    """Write ``pkg`` with the members in ``replaced`` swapped, atomically over ``target``
    (:func:`roi_xl.fileio.replacing`: mode, owner and group kept, ``TARGET.bak`` only when
    the file was replaced, no temp file left on any failure)."""
    deflated = _Deflating(pkg, replaced)  # big parts: deflated while expat checks them
    try:
        for name, data in replaced.items():
            if name.endswith((".xml", ".rels")):
                check_xml(name, data)
    finally:
        done = deflated.result()
    with replacing(target, backup=backup) as tmp:
        with (
            open(tmp, "wb") as out_fh,
            zipfile.ZipFile(out_fh, "w") as out,
            open(pkg.path, "rb") as src,
        ):
            raw = raw_copy_supported(out)
            for info in pkg.infos:
                if raw and info.filename in done:
                    _copy_raw(out, *done[info.filename])
                elif info.filename in replaced:
                    out.writestr(_like(info), replaced[info.filename], compresslevel=_level(info))
                elif raw:
                    _copy_raw(out, info, _raw_member(src, info))
                else:  # recompress through the public API: same content, new bytes
                    out.writestr(_like(info), pkg.read(info.filename))
            out.comment = pkg.zip.comment
        check_package(tmp, [i.filename for i in pkg.infos], replaced)


#: Replaced parts from this size are deflated in a thread while expat checks them (zlib
#: lets go of the GIL): for 100 000 formulas the 0.1 s of deflate overlaps the 0.1 s check.
THREAD_DEFLATE_BYTES = 1 << 20


class _Deflating:
    """The big deflated parts of ``replaced``, computed in a thread: ``result()`` maps
    each to (its ZipInfo with the new CRC and sizes, its deflated bytes)."""

    def __init__(self, pkg: Package, replaced: dict[str, bytes]) -> None:
        self.jobs = [
            (info, replaced[info.filename])
            for info in pkg.infos
            if info.filename in replaced
            and info.compress_type == zipfile.ZIP_DEFLATED
            and len(replaced[info.filename]) >= THREAD_DEFLATE_BYTES
        ]
        self.done: dict[str, tuple[zipfile.ZipInfo, bytes]] = {}
        self.error: BaseException | None = None
        self.thread = None
        if self.jobs:
            import threading

            self.thread = threading.Thread(target=self._run, daemon=True)
            self.thread.start()

    def _run(self) -> None:
        try:
            for info, data in self.jobs:
                level = _level(info)
                deflater = zlib.compressobj(
                    zlib.Z_DEFAULT_COMPRESSION if level is None else level, zlib.DEFLATED, -15
                )
                raw = deflater.compress(data) + deflater.flush()
                new = copy.copy(info)
                new.CRC, new.file_size, new.compress_size = zlib.crc32(data), len(data), len(raw)
                self.done[info.filename] = (new, raw)
        except BaseException as exc:  # MemoryError: handed to the caller
            self.error = exc

    def result(self) -> dict[str, tuple[zipfile.ZipInfo, bytes]]:
        if self.thread is not None:
            self.thread.join()
        if self.error is not None:
            raise self.error
        return self.done


def _like(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    zi = zipfile.ZipInfo(info.filename, info.date_time)
    zi.compress_type = info.compress_type
    zi.external_attr = info.external_attr
    zi.create_system = info.create_system
    return zi


def _level(info: zipfile.ZipInfo) -> int | None:
    """zlib's default for ordinary parts; its fastest level for big ones (a sheet of 10⁵
    formulas, 10 MB of XML, deflates about 2× faster and a quarter larger)."""
    return 1 if info.file_size > 4 * 1024**2 else None


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
    out.fp.write(zi.FileHeader())  # ZIP64 when either size needs it, as zipfile decides
    out.fp.write(raw)
    out.filelist.append(zi)
    out.NameToInfo[zi.filename] = zi
    out.start_dir = out.fp.tell()  # type: ignore[attr-defined]
