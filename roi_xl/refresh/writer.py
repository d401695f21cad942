"""The package writer: the original zip with some members replaced, every other member
copied as its original compressed bytes in the original order, written atomically."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path
from typing import Any

from ..fileio import replacing
from .package import Package, UnreadableWorkbook


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
    with (
        replacing(target, backup=backup) as tmp,
        open(tmp, "wb") as out_fh,
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
