"""CELL() info types the engine cannot answer keep Excel's value with the real reason
(before: "circular reference" for CELL("width", A:A) in A2, and #VALUE! written over
Excel's value for "format", "filename", "prefix", ...)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl

from roi_xl.refresh import refresh_file

POI = Path(__file__).parent / "data" / "poi"


def test_cell_width_in_a_real_excel_file_keeps_excels_values_with_the_real_reason(tmp_path):
    """POI's 47804.xlsx (made by Excel for Mac): CELL("width", A:A) in A2, shared across
    B2:I2, each reading its own column."""
    path = tmp_path / "47804.xlsx"
    shutil.copy(POI / "47804.xlsx", path)
    before = path.read_bytes()
    report = refresh_file(path, backup=False)
    assert report.status == "unchanged" and report.kept == 9
    assert {k.why for k in report.kept_cells} == {
        'CELL("width") depends on the column\'s width, which the engine does not see'
    }
    assert path.read_bytes() == before


INFO = {  # info type → the value Excel stored (A1 holds 5, a General number)
    "width": 13,
    "format": "G",
    "prefix": "^",  # centred
    "protect": 1,
    "parentheses": 0,
    "color": 0,
    "filename": "/home/someone/[book.xlsx]Sheet",
}
COMPUTED = {"address": "$A$1", "col": 1, "row": 1, "contents": 5, "type": "v"}


def test_cell_info_types_the_engine_cannot_answer_are_kept_and_the_others_computed(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = 5
    for row, info in enumerate([*INFO, *COMPUTED], start=1):
        ws.cell(row, 2, f'=CELL("{info}",A1)')
    ws["C1"] = '=CELL("row")'
    ws["C2"] = "=B1+1"  # reads a kept cell: computes from Excel's value
    path = tmp_path / "cell.xlsx"
    wb.save(path)
    # Excel's cached values, put in as Excel writes them
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    xml = members["xl/worksheets/sheet1.xml"].decode()
    for row, (info, value) in enumerate([*INFO.items(), *COMPUTED.items()], start=1):
        v = f"<v>{value}</v>" if not isinstance(value, str) else f"<v>{value}</v>"
        t = ' t="str"' if isinstance(value, str) else ""
        old = f'<c r="B{row}"><f>CELL("{info}",A1)</f><v /></c>'
        assert old in xml, old
        xml = xml.replace(old, f'<c r="B{row}"{t}><f>CELL("{info}",A1)</f>{v}</c>')
    xml = xml.replace('<f>CELL("row")</f><v /></c>', '<f>CELL("row")</f><v>7</v></c>')
    members["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)

    report = refresh_file(path, backup=False)
    assert not report.failed, report.reason
    reasons = {k.cell: k.why for k in report.kept_cells}
    assert set(reasons) == {f"Sheet!B{r}" for r in range(1, len(INFO) + 1)} | {"Sheet!C1"}
    assert not any("circular" in why for why in reasons.values())
    assert reasons["Sheet!B1"].startswith('CELL("width") depends on the column')
    assert "without a reference" in reasons["Sheet!C1"]
    got = openpyxl.load_workbook(path, data_only=True).active
    assert [got.cell(r, 2).value for r in range(1, len(INFO) + 1)] == list(INFO.values())
    assert [got.cell(r, 2).value for r in range(len(INFO) + 1, 13)] == list(COMPUTED.values())
    assert got["C1"].value == 7 and got["C2"].value == 14


def test_row_or_column_of_the_cell_itself_is_not_called_a_circular_reference(tmp_path):
    """Excel computes =ROW(A1) in A1 (it reads where A1 is, not what it holds); the engine
    reports a cycle. The cell keeps Excel's value with that reason; a real cycle, direct
    or through another cell, is still called one."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "=ROW(A1)"
    ws["B2"] = "=COLUMNS(A:C)+ROWS(B1:B3)"
    ws["C3"] = '=CELL("address",C3)'
    ws["D4"], ws["E4"] = "=ROW(D4)+E4", "=D4"  # a real cycle through E4
    ws["F5"] = "=ROW(F5)+F5"
    wb.save(tmp_path / "c.xlsx")
    report = refresh_file(tmp_path / "c.xlsx", backup=False)
    why = {k.cell: k.why for k in report.kept_cells}
    assert why["Sheet!A1"].startswith("ROW() of a range that holds the cell itself")
    assert why["Sheet!B2"].startswith("COLUMNS() or ROWS() of a range that holds the cell")
    assert why["Sheet!C3"].startswith("CELL() of a range that holds the cell itself")
    assert [why[f"Sheet!{c}"] for c in ("D4", "E4", "F5")] == ["circular reference"] * 3
