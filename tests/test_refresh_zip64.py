"""ZIP64 in the written package: a member keeps ZIP64 form exactly when it needs it.

The writer copies members as their compressed bytes with fresh headers: the ZIP64 extra
fields of a member under 4 GiB are dropped (a plain zip, which every reader opens), and a
member past 4 GiB is written in ZIP64 form (a plain zip entry cannot hold its size). The
reader's limits (256 MiB a part, 1 GiB in all) keep a refreshable workbook far from that
size; the test of a member past 4 GiB raises them.
"""

from __future__ import annotations

import shutil
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest

from roi_xl.refresh import package, refresh_file, xlsx
from roi_xl.refresh.writer import _copy_raw
from tests import refresh_corpus as corpus
from tests.test_refresh_compat import zip64
from tests.test_refresh_libreoffice import assert_same_values, values

ZIP64_EXTRA = b"\x01\x00"  # header ID 0x0001


def extras(path: Path) -> dict[str, tuple[bytes, bytes]]:
    """Each member's extra field, (local header, central directory)."""
    out = {}
    with zipfile.ZipFile(path) as z, open(path, "rb") as fh:
        for info in z.infolist():
            fh.seek(info.header_offset)
            header = fh.read(30)
            name_len, extra_len = struct.unpack("<HH", header[26:30])
            fh.seek(info.header_offset + 30 + name_len)
            out[info.filename] = (fh.read(extra_len), info.extra)
    return out


@pytest.mark.libreoffice
def test_a_zip64_workbook_is_written_as_a_plain_zip_that_openpyxl_and_libreoffice_open(
    tmp_path,
):
    from tools.libreoffice import convert

    plain = corpus.budget_openpyxl(tmp_path / "plain.xlsx")
    given = zip64(plain, tmp_path / "given.xlsx")
    assert all(local.startswith(ZIP64_EXTRA) for local, _ in extras(given).values())
    work = Path(shutil.copy(given, tmp_path / "work.xlsx"))
    report = refresh_file(work, backup=False)
    assert report.status == "refreshed" and report.kept == 0, report
    assert set(extras(work).values()) == {(b"", b"")}  # every member a plain zip entry
    ours = values(work)
    assert ours[("Budget", "H14")] == "profit"
    # LibreOffice opens it and shows our cached values (it saves 15 digits) ...
    (shown,) = convert([work], tmp_path / "shown", recalculate=False)
    assert_same_values(work, shown)
    # ... and, computing every formula itself, gets the same ones
    (recalculated,) = convert([work], tmp_path / "recalculated")
    assert_same_values(work, recalculated)


def test_a_member_past_4_gib_keeps_its_zip64_form(tmp_path, monkeypatch):
    """A 4.06 GiB member (zeros, 19 MB deflated), with the reader's limits raised: the
    written package holds it in ZIP64 form (local header and central directory), every
    other member plain, and reopens with every CRC right."""
    monkeypatch.setattr(package, "MAX_PART_BYTES", 8 * 1024**3)
    monkeypatch.setattr(package, "MAX_TOTAL_BYTES", 8 * 1024**3)
    monkeypatch.setattr(package, "MAX_RATIO", 10**6)
    given = Path(shutil.copy(corpus.budget_openpyxl(tmp_path / "p.xlsx"), tmp_path / "big.xlsx"))
    chunk = bytes(64 * 1024**2)
    with zipfile.ZipFile(given, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with zf.open("customXml/big.bin", "w", force_zip64=True) as fh:
            for _ in range(65):  # 4.06 GiB
                fh.write(chunk)
    out = tmp_path / "out.xlsx"
    with xlsx.Package(given) as pkg:
        sheet = pkg.read("xl/worksheets/sheet1.xml").replace(b"</sheetData>", b"</sheetData> ")
        xlsx.write_package(pkg, {"xl/worksheets/sheet1.xml": sheet}, out, backup=False)
    found = extras(out)
    big = found.pop("customXml/big.bin")
    assert big[0].startswith(ZIP64_EXTRA) and big[1].startswith(ZIP64_EXTRA)
    assert set(found.values()) == {(b"", b"")}
    with zipfile.ZipFile(out) as z:
        assert z.getinfo("customXml/big.bin").file_size == 65 * len(chunk)
        assert z.read("xl/worksheets/sheet1.xml") == sheet
    assert openpyxl.load_workbook(out, read_only=True).sheetnames == ["Budget", "Summary"]


def test_a_compressed_size_past_4_gib_gets_zip64_even_when_the_size_does_not(tmp_path):
    """Deflate can make a member a little larger than its content: a member just under
    4 GiB stored in just over 4 GiB needs ZIP64 too (before: LargeZipFile, the file was
    refused). Only the header is checked: the bytes would be 4 GiB."""
    info = zipfile.ZipInfo("x.bin")
    info.compress_type = zipfile.ZIP_DEFLATED
    info.file_size, info.compress_size, info.CRC = 2**32 - 16, 2**32 + 16, 0
    with open(tmp_path / "h.zip", "wb") as fh, zipfile.ZipFile(fh, "w") as out:
        _copy_raw(out, info, b"")
        fh.flush()
        with open(tmp_path / "h.zip", "rb") as back:
            local = back.read()
        name_len, extra_len = struct.unpack("<HH", local[26:30])
        extra = local[30 + name_len : 30 + name_len + extra_len]
        assert extra.startswith(ZIP64_EXTRA)
        assert struct.unpack("<QQ", extra[4:20]) == (2**32 - 16, 2**32 + 16)
        out.filelist.clear()  # the member's bytes are not there: close an empty archive
        out.NameToInfo.clear()
