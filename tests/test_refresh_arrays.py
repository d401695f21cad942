"""Legacy (CSE) array-formula blocks: every cell of the block is refreshed, whether the
file holds the block's other cells (Excel's shape) or only the top-left one (openpyxl's),
with the result fitted into the block as Excel does, and checked against LibreOffice."""

from __future__ import annotations

import shutil
import zipfile

import openpyxl
import pytest
from openpyxl.worksheet.formula import ArrayFormula

from roi_xl.refresh import refresh_file
from roi_xl.refresh.arrays import insert
from roi_xl.refresh.values import Value

#: block → formula: results the same size as the block, smaller (repeated or #N/A),
#: larger (cut), one value, text, booleans, errors.
BLOCKS = {
    "A1:A3": "=B1:B3*2",
    "C1:D1": "=TRANSPOSE(B1:B2)+1",
    "E1:E3": "=SUM(B1:B3)",
    "F1:F4": "=B1:B3+1",
    "G1:G2": "=B1:B3+1",
    "H1:I3": "=B1:B3*1",
    "K1:L2": "=B1:B3*1",
    "A6:B6": '=IF(B1:B2>15,"big","small")',
    "A8:A9": "=B1:B2>15",
    "A11:A12": "=1/(B1:B2-10)",
    "C11:E12": '=B1:B2&"x"',
    "N3:N5": "=E1:E3*2",  # reads a block the result is repeated in
    "Q1:Q4": "=E1:E3+G1:G3",  # the same, and itself larger than its result
    "S1:S2": "=B1:B3*3",  # a larger result that runs into S3 (not empty) in the engine
}
#: Formulas that read the cells where Excel and a spilling engine differ.
READERS = {"P1": "=SUM(E1:E3)", "P2": "=G3+1", "P3": "=P1+P2", "P4": "=COUNT(F1:F4)"}
#: What Excel shows in each cell of the blocks (LibreOffice agrees: see below).
EXPECTED = {
    "A1": 20, "A2": 40, "A3": 60,
    "C1": 11, "D1": 21,
    "E1": 60, "E2": 60, "E3": 60,
    "F1": 11, "F2": 21, "F3": 31, "F4": "#N/A",
    "G1": 11, "G2": 21,
    "H1": 10, "H2": 20, "H3": 30, "I1": 10, "I2": 20, "I3": 30,
    "K1": 10, "K2": 20, "L1": 10, "L2": 20,
    "A6": "small", "B6": "small",
    "A8": False, "A9": True,
    "A11": "#DIV/0!", "A12": 0.1,
    "C11": "10x", "D11": "10x", "E11": "10x", "C12": "20x", "D12": "20x", "E12": "20x",
    "N3": 120, "N4": 120, "N5": 120,
    "Q1": 71, "Q2": 81, "Q3": 60, "Q4": "#N/A",
    "P1": 180, "P2": 1, "P3": 181, "P4": 3,
    "S1": 30, "S2": 60,
}  # fmt: skip


def openpyxl_book(path):
    """The blocks as openpyxl writes them: the top-left cell only, no cached values."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in range(1, 4):
        ws.cell(r, 2, r * 10)
    for ref, formula in BLOCKS.items():
        ws[ref.split(":")[0]] = ArrayFormula(ref, formula)
    for ref, formula in READERS.items():
        ws[ref] = formula
    ws["N1"] = "=SUM(A1:A3)"
    ws["S3"] = "text"
    wb.save(path)
    return path


def cached(path):
    ws = openpyxl.load_workbook(path, data_only=True).active
    return {ref: ws[ref].value for ref in EXPECTED}


def test_every_cell_of_an_openpyxl_block_is_written(tmp_path):
    """openpyxl writes no <c> for the block's other cells: refresh adds them, each with
    the value Excel shows (before: only A1, C1, ... got a value)."""
    path = openpyxl_book(tmp_path / "cse.xlsx")
    report = refresh_file(path, backup=False)
    assert report.status == "refreshed" and report.kept == 0, report.kept_cells
    assert cached(path) == EXPECTED
    ws = openpyxl.load_workbook(path, data_only=True).active
    assert ws["N1"].value == 120
    assert ws["G3"].value is None and ws["M1"].value is None  # past the blocks: nothing
    # the block is still the one openpyxl wrote; its other cells hold values, as in Excel's
    formulas = openpyxl.load_workbook(path).active
    assert formulas["A1"].value.ref == "A1:A3" and formulas["A1"].value.text == "=B1:B3*2"
    assert formulas.calculate_dimension() == "A1:S12"
    assert openpyxl.load_workbook(path, read_only=True).active.max_column == 19


def excel_book(path, tmp_path):
    """The same blocks as Excel stores them: every cell of the block a <c>, with stale
    cached values, and one empty styled cell (<c r=".." s="1"/>)."""
    source = openpyxl_book(tmp_path / "source.xlsx")
    wb = openpyxl.load_workbook(source)
    ws = wb.active
    for ref in EXPECTED:
        if ref not in READERS and not isinstance(ws[ref].value, ArrayFormula):
            ws[ref] = -1  # stale
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    assert '<c r="E2" t="n"><v>-1</v></c>' in sheet
    sheet = sheet.replace('<c r="E2" t="n"><v>-1</v></c>', '<c r="E2" s="0"/>')
    members["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_every_cell_of_an_excel_block_is_refreshed(tmp_path):
    """Excel's shape: stale values in every cell are replaced, including the cells a
    smaller result fills by repetition (before: kept stale as "left empty"), and an empty
    self-closing cell (before: counted as changed, but left empty)."""
    path = excel_book(tmp_path / "excel.xlsx", tmp_path)
    report = refresh_file(path, backup=False)
    assert report.status == "refreshed" and report.kept == 0, report.kept_cells
    assert cached(path) == EXPECTED


@pytest.mark.libreoffice
def test_blocks_match_libreoffice(tmp_path):
    """LibreOffice (recalculating every formula) shows the same value in every cell."""
    from tools.libreoffice import convert

    made = openpyxl_book(tmp_path / "cse.xlsx")
    (theirs,) = convert([made], tmp_path / "lo")
    lo = cached(theirs)
    for book in (made, excel_book(tmp_path / "excel.xlsx", tmp_path)):
        ours = tmp_path / f"ours-{book.name}"
        shutil.copy(book, ours)
        refresh_file(ours, backup=False)
        # LibreOffice stores booleans as numbers: False == 0 and True == 1 in Python
        assert cached(ours) == lo


def dynamic_book(path, formula, blocker=False):
    """A1:A3 as Excel stores a dynamic array (cm="1" on A1), B1:B3 = 1, 2, 3 and stale
    values in A2:A3; with ``blocker``, text in A4 that a longer result would run into."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["B1"], ws["B2"], ws["B3"] = 1, 2, 3
    ws["A1"] = ArrayFormula("A1:A3", formula)
    ws["A2"], ws["A3"] = 0, 7
    if blocker:
        ws["A4"], ws["B4"] = "x", 4
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    members["xl/worksheets/sheet1.xml"] = sheet.replace('<c r="A1">', '<c r="A1" cm="1">').encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_a_dynamic_array_block_is_not_fitted(tmp_path):
    """Excel stores a dynamic-array formula as a block marked cm="1": it spills, so a
    cell its new result no longer reaches is not #N/A; it keeps Excel's value, reported."""
    path = dynamic_book(tmp_path / "dyn.xlsx", "=B1:B2*2")
    report = refresh_file(path, backup=False)
    got = openpyxl.load_workbook(path, data_only=True).active
    assert [got[f"A{r}"].value for r in (1, 2, 3)] == [2, 4, 7]
    assert [k.cell for k in report.kept_cells] == ["Sheet!A3"]


def test_a_block_the_engine_cannot_compute_adds_no_cell_and_is_reported(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = ArrayFormula("A1:A2", "=NOSUCHFUNCTION(B1:B2)")
    wb.save(tmp_path / "x.xlsx")
    report = refresh_file(tmp_path / "x.xlsx", backup=False)
    assert not report.failed
    assert {k.cell for k in report.kept_cells} == {"Sheet!A1", "Sheet!A2"}
    with zipfile.ZipFile(tmp_path / "x.xlsx") as z:
        assert 'r="A2"' not in z.read("xl/worksheets/sheet1.xml").decode()


def test_blocks_that_read_blocks_settle_level_by_level_and_the_rest_is_kept(tmp_path):
    """Ten blocks in a chain, each repeating the sum of the one before: the engine settles
    one level a round (8 rounds); the two left and the formula reading them keep Excel's
    values, reported, rather than get the engine's unfitted ones."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["B1"], ws["B3"] = 10, 30
    ws["A1"] = ArrayFormula("A1:A4", "=B1:B3")  # a blank in the result is 0, as in Excel
    before = "B1:B3"
    for col in "DEFGHIJKLM":
        ws[f"{col}1"] = ArrayFormula(f"{col}1:{col}2", f"=SUM({before})")
        before = f"{col}1:{col}2"
    ws["P1"] = "=SUM(M1:M2)"
    wb.save(tmp_path / "chain.xlsx")
    report = refresh_file(tmp_path / "chain.xlsx", backup=False)
    assert sorted(k.cell for k in report.kept_cells) == [
        "Sheet!L1", "Sheet!L2", "Sheet!M1", "Sheet!M2", "Sheet!P1"
    ]  # fmt: skip
    got = openpyxl.load_workbook(tmp_path / "chain.xlsx", data_only=True).active
    assert [got[f"A{r}"].value for r in (1, 2, 3, 4)] == [10, 0, 30, "#N/A"]
    for k, col in enumerate("DEFGHIJK"):
        assert got[f"{col}1"].value == got[f"{col}2"].value == 40 * 2**k


def test_a_spill_the_engine_cannot_place_keeps_excels_value_with_that_reason(tmp_path):
    """A dynamic array (cm="1") that now runs into a cell that is not empty: the engine's
    #SPILL! is reported as such (before: "engine Spill")."""
    path = dynamic_book(tmp_path / "x.xlsx", "=B1:B4*2", blocker=True)
    report = refresh_file(path, backup=False)
    assert report.kept_cells[0].cell == "Sheet!A1", report.kept_cells
    assert "runs into cells that are not empty" in report.kept_cells[0].why


def test_insert_keeps_order_prefixes_spans_and_dimension():
    xml = (
        '<x:worksheet xmlns:x="urn:x"><x:dimension ref="B2:C5"/><x:sheetData>'
        '<x:row r="2" spans="2:3"><x:c r="B2"><x:f t="array" ref="B2:D4">1</x:f><x:v>1</x:v>'
        '</x:c><x:c r="C2"><x:v>9</x:v></x:c></x:row>'
        '<x:row r="5" spans="3:3"><x:c r="C5"><x:v>5</x:v></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    )
    new = {(2, 4): Value(None, "1"), (3, 2): Value("str", "a<b"), (4, 3): Value("b", "1")}
    out = insert(xml, new)
    assert out == (
        '<x:worksheet xmlns:x="urn:x"><x:dimension ref="B2:D5"/><x:sheetData>'
        '<x:row r="2" spans="2:4"><x:c r="B2"><x:f t="array" ref="B2:D4">1</x:f><x:v>1</x:v>'
        '</x:c><x:c r="C2"><x:v>9</x:v></x:c><x:c r="D2"><x:v>1</x:v></x:c></x:row>'
        '<x:row r="3"><x:c r="B3" t="str"><x:v>a&lt;b</x:v></x:c></x:row>'
        '<x:row r="4"><x:c r="C4" t="b"><x:v>1</x:v></x:c></x:row>'
        '<x:row r="5" spans="3:3"><x:c r="C5"><x:v>5</x:v></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    )
    # before a cell of the row, and in a row written <row/>
    xml = '<sheetData><row r="1"><c r="C1"><v>3</v></c></row><row r="2"/></sheetData>'
    out = insert(xml, {(1, 1): Value(None, "1"), (2, 2): Value(None, "2")})
    assert out == (
        '<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="C1"><v>3</v></c></row>'
        '<row r="2"><c r="B2"><v>2</v></c></row></sheetData>'
    )


def test_blocks_on_a_sheet_the_engine_knows_by_another_name(tmp_path):
    """A sheet named ``sheet1`` goes into the engine as ``Sheet1`` (formualizer's own
    default sheet would shadow it); its blocks are fitted and written under its own name."""
    path = openpyxl_book(tmp_path / "cse.xlsx")
    wb = openpyxl.load_workbook(path)
    wb.active.title = "sheet1"
    wb.active["Z1"] = '=IF(B1>5,"a","b")'  # two IFs: what made the engine lose the sheet
    wb.active["Z2"] = '=IF(B2>5,"a","b")'
    wb.save(path)
    report = refresh_file(path, backup=False)
    assert report.status == "refreshed" and report.kept == 0, report.kept_cells
    assert cached(path) == EXPECTED
    assert openpyxl.load_workbook(path).sheetnames == ["sheet1"]
