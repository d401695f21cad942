"""Workbooks for the refresh tests, written by other tools (openpyxl, XlsxWriter)."""

from __future__ import annotations

import os
import struct
import zipfile
from pathlib import Path

import openpyxl


def real_vba_project() -> bytes:
    """A real VBA project (compiled by Excel) from the xlwings package: the
    ``xl/vbaProject.bin`` of its ``quickstart_standalone.xlsm``."""
    import zipfile

    import xlwings

    book = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
    with zipfile.ZipFile(book) as z:
        return z.read("xl/vbaProject.bin")


def budget_openpyxl(path: Path, rows: int = 12) -> Path:
    """A budget-like sheet: native formulas only (what LibreOffice can check)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Budget"
    ws.append(["channel", "spend", "clicks", "cvr", "deals", "revenue", "roi"])
    for i in range(2, rows + 2):
        ws.append(
            [
                f"ch{i}",
                10_000 * i + 37,
                1_000 + 17 * i,
                0.01 * (i % 5) + 0.003,
                f"=ROUNDUP(C{i}*D{i},0)",
                f"=E{i}*12345.5",
                f'=IF(B{i}=0,"n/a",(F{i}-B{i})/B{i})',
            ]
        )
    last = rows + 1
    ws[f"B{last + 1}"] = f"=SUM(B2:B{last})"
    ws[f"F{last + 1}"] = f"=SUM(F2:F{last})"
    ws[f"G{last + 1}"] = f"=ROUND((F{last + 1}-B{last + 1})/B{last + 1}*100,2)"
    ws[f"H{last + 1}"] = f'=IF(G{last + 1}>0,"profit","loss")'
    ws[f"I{last + 1}"] = f"=AVERAGE(D2:D{last})>0.02"
    ws[f"J{last + 1}"] = "=1/0"
    ws[f"K{last + 1}"] = f"=MAX(E2:E{last})-MIN(E2:E{last})"
    s2 = wb.create_sheet("Summary")
    s2["A1"] = "=Budget!B{0}*1.1".format(last + 1)
    s2["A2"] = "=A1/12"
    wb.save(path)
    return path


def roi_functions_openpyxl(path: Path) -> Path:
    """Calls to roi_xl's functions: ROI, LIFT with an error case, a spilling funnel."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "ROI"
    ws["A1"], ws["A2"], ws["A3"] = 10_000_000, 3_500_000, 2_720_000
    ws["B1"] = "=ROI(A1,A2,A3)"
    ws["B2"] = "=LIFT(300,10000,200,10000)"
    ws["B3"] = "=LIFT(1,0,1,0)"  # → #DIV/0!
    ws["B4"] = "=B3+1"  # a real error propagates
    ws["B5"] = '=ROI(A1,A2,A3,"gross")*100'
    ws["B6"] = "=FOOBARBAZ(A1)"  # a function nobody has: keeps its (absent) cache
    ws["H1"], ws["I1"], ws["J1"] = 0.0666, 0.40, 0.33
    ws["D1"] = "=BACKCALC_FUNNEL(3000000,500000,H1:J1)"
    ws["B7"] = "=E4"  # reads the spill
    wb.save(path)
    return path


def rich_xlsxwriter(path: Path, vba: bool = False) -> Path:
    """Charts, images, tables, comments, validation, conditional formats (and VBA)."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Data")
    bold = wb.add_format({"bold": True, "num_format": "0.00%"})
    ws.write_row(0, 0, ["month", "spend", "revenue", "roi"])
    for i in range(1, 9):
        ws.write_row(i, 0, [f"m{i}", 1000 * i, 1700 * i + 13 * i * i])
        ws.write_formula(i, 3, f"=(C{i + 1}-B{i + 1})/B{i + 1}", bold, 0)
    ws.add_table(
        "F1:H4",
        {
            "data": [[1, 2], [3, 4], [5, 6]],
            "columns": [
                {"header": "a"},
                {"header": "b"},
                {"header": "sum", "formula": "=[@a]+[@b]"},
            ],
        },
    )
    ws.write_comment("A1", "monthly figures")
    ws.data_validation("B2:B9", {"validate": "integer", "criteria": ">=", "value": 0})
    ws.conditional_format(
        "D2:D9",
        {
            "type": "cell",
            "criteria": "<",
            "value": 0,
            "format": wb.add_format({"font_color": "red"}),
        },
    )
    ws.write_formula("J1", "=SUM(B2:B9)")
    ws.write_formula("J2", '=IF(J1>1000,"big","small")')
    ws.write_formula("J3", "=ROI(C2,0,B2)")
    chart = wb.add_chart({"type": "line"})
    chart.add_series({"values": "=Data!$D$2:$D$9"})
    ws.insert_chart("L2", chart)
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00"
        b"\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02"
        b"\xfe\xa7V\x89\xdd\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    import io

    ws.insert_image("L20", "dot.png", {"image_data": io.BytesIO(png)})
    if vba:
        vba_file = path.with_name("vbaProject.bin")
        vba_file.write_bytes(real_vba_project())
        wb.add_vba_project(str(vba_file))
    wb.close()
    return path


# Hostile files ---------------------------------------------------------------------------------


def truncated(src: Path, path: Path) -> Path:
    data = src.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def random_bytes(path: Path) -> Path:
    path.write_bytes(os.urandom(4096))
    return path


def ole(path: Path) -> Path:
    """The OLE2 signature and noise: a damaged compound file."""
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(4096))
    return path


def encrypted(path: Path, password: str = "secret") -> Path:
    """A real password-protected .xlsx: an openpyxl workbook encrypted by msoffcrypto-tool
    (ECMA-376 agile encryption in an OLE container, as Excel writes it)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = path.with_name(path.name + ".plain")
    budget_openpyxl(plain)
    with open(plain, "rb") as src, open(path, "wb") as out:
        OOXMLFile(src).encrypt(password, out)
    plain.unlink()
    return path


def legacy_xls(path: Path) -> Path:
    """A real Excel 97–2003 (BIFF8) workbook saved by Microsoft Excel, copied from the test
    data statsmodels ships (statsmodels is a test dependency)."""
    import statsmodels

    src = (
        Path(statsmodels.__file__).parent
        / "tsa/statespace/tests/results/frbny_nowcast/Nowcasting/data/US/2016-06-29.xls"
    )
    path.write_bytes(src.read_bytes())
    return path


def _replace_member(src: Path, path: Path, name: str, data: bytes) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in zin.infolist():
            out.writestr(info, data if info.filename == name else zin.read(info))
    return path


def xxe(src: Path, path: Path) -> Path:
    sheet = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&e;</t></is></c>'
        b'<c r="B1"><f>1+1</f></c></row></sheetData></worksheet>'
    )
    return _replace_member(src, path, "xl/worksheets/sheet1.xml", sheet)


def billion_laughs(src: Path, path: Path) -> Path:
    ents = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{i} "{("&a%d;" % (i - 1)) * 10}">' for i in range(1, 10)
    )
    sheet = (
        f'<?xml version="1.0"?><!DOCTYPE x [{ents}]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&a9;</t></is></c>'
        '<c r="B1"><f>1+1</f></c></row></sheetData></worksheet>'
    ).encode()
    return _replace_member(src, path, "xl/worksheets/sheet1.xml", sheet)


def zip_bomb(src: Path, path: Path, gigabytes: float = 2.0) -> Path:
    """A valid workbook plus a member of ``gigabytes`` of zeros, streamed (never in memory)."""
    _replace_member(src, path, "", b"")
    chunk = bytes(16 * 1024**2)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with zf.open("xl/worksheets/sheet9.xml", "w", force_zip64=True) as fh:
            for _ in range(int(gigabytes * 1024**3) // len(chunk)):
                fh.write(chunk)
    return path


def lying_bomb(src: Path, path: Path) -> Path:
    """A sheet whose header says 100 bytes but whose data inflates to 300 MB."""
    import zlib

    comp = zlib.compressobj(1, zlib.DEFLATED, -15)
    body = b"".join(comp.compress(bytes(16 * 1024**2)) for _ in range(20)) + comp.flush()
    _replace_member(src, path, "xl/worksheets/sheet1.xml", b"x" * 100)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    # splice: keep the declared sizes of 100 bytes, put the big stream where data was
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    new = bytes(data[:start]) + body + bytes(data[start + info.compress_size :])
    delta = len(body) - info.compress_size
    path.write_bytes(_fix_offsets(new, info, delta))
    return path


def _fix_offsets(data: bytes, info: zipfile.ZipInfo, delta: int) -> bytes:
    buf = bytearray(data)
    struct.pack_into("<I", buf, info.header_offset + 18, info.compress_size + delta)
    eocd = buf.rfind(b"PK\x05\x06")
    cd_size, cd_off = struct.unpack_from("<II", buf, eocd + 12)
    struct.pack_into("<I", buf, eocd + 16, cd_off + delta)
    p = cd_off + delta
    while p < cd_off + delta + cd_size:
        n, e, c = struct.unpack_from("<HHH", buf, p + 28)
        name = bytes(buf[p + 46 : p + 46 + n]).decode()
        off = struct.unpack_from("<I", buf, p + 42)[0]
        if name == info.filename:
            struct.pack_into("<I", buf, p + 20, info.compress_size + delta)
        elif off > info.header_offset:
            struct.pack_into("<I", buf, p + 42, off + delta)
        p += 46 + n + e + c
    return bytes(buf)
