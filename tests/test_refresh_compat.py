"""Real-world packages the engine could not refresh (issue 12, item 9): strict OOXML, ZIP64,
engine gaps (TYPE of an error), table formulas. Each test failed before its fix."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from roi_xl.refresh import refresh_file
from tests import poi_corpus as poi
from tests import refresh_corpus as corpus

STRICT = ("SimpleStrict.xlsx", "sample.strict.xlsx", "SampleSS.strict.xlsx")


def values(path: Path) -> dict[tuple[str, str], object]:
    return {k: c.value for k, c in poi.cells(path).items() if c.has_f}


def test_strict_packages_are_computed_and_stay_strict(tmp_path):
    for name in STRICT:
        src = poi.CORPUS / name
        given = poi.strip(src, tmp_path / f"given-{name}")
        work = Path(shutil.copy(given, tmp_path / name))
        report = refresh_file(work, backup=False)
        assert report.status == "refreshed", report
        assert report.computed == len(values(src)) and report.kept == 0, report
        assert values(work) == values(src)  # Excel's own values, computed again
        poi.assert_only_cached_values_differ(given, work)
        with zipfile.ZipFile(work) as zf:
            book = zf.read("xl/workbook.xml")
            assert b"http://purl.oclc.org/ooxml/spreadsheetml/main" in book
            assert b"schemas.openxmlformats.org/spreadsheetml" not in b"".join(
                zf.read(n) for n in zf.namelist() if n.endswith((".xml", ".rels"))
            )


def test_strict_package_as_is_counts_its_formulas(tmp_path):
    work = Path(shutil.copy(poi.CORPUS / "SimpleStrict.xlsx", tmp_path / "s.xlsx"))
    report = refresh_file(work, backup=False)
    assert (report.status, report.computed, report.kept) == ("unchanged", 2, 0), report
    assert work.read_bytes() == (poi.CORPUS / "SimpleStrict.xlsx").read_bytes()


def zip64(src: Path, path: Path) -> Path:
    """``src`` repacked with every member in ZIP64 form (as .NET's and Go's zip writers and
    some exporters store workbooks)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in zin.infolist():
            with out.open(info.filename, "w", force_zip64=True) as fh:
                fh.write(zin.read(info))
    return path


def test_zip64_package_is_refreshed_and_stays_a_valid_package(tmp_path):
    plain = corpus.budget_openpyxl(tmp_path / "plain.xlsx")
    given = zip64(plain, tmp_path / "given.xlsx")
    with open(given, "rb") as fh:  # the fixture really is ZIP64 (zip64 extra field 0x0001)
        assert b"\x01\x00\x10\x00" in fh.read()
    work = Path(shutil.copy(given, tmp_path / "z64.xlsx"))
    report = refresh_file(work, backup=False)
    assert report.status == "refreshed" and report.kept == 0, report
    poi.assert_only_cached_values_differ(given, work)
    reference = Path(shutil.copy(plain, tmp_path / "reference.xlsx"))
    refresh_file(reference, backup=False)
    assert values(work) == values(reference)
    assert openpyxl.load_workbook(work, data_only=True)["Budget"]["H14"].value == "profit"


def test_type_of_an_error_is_16(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    ws["A1"] = "=1/0"
    for cell, formula in {
        "B1": "=TYPE(A1)",
        "B2": "=TYPE(1/0)",
        "B3": '=TYPE("x")',
        "B4": "=TYPE(TRUE)",
        "B5": "=TYPE(Z99)",
        "B6": "=TYPE(NA())+1",
        "B7": "=TYPE(3)",
    }.items():
        ws[cell] = formula
    path = tmp_path / "t.xlsx"
    wb.save(path)
    report = refresh_file(path, backup=False)
    assert report.status == "refreshed" and report.kept == 0, report
    got = {ref: v for (sheet, ref), v in values(path).items() if ref.startswith("B")}
    # Excel's TYPE: 1 number (blank too), 2 text, 4 logical, 16 error
    assert got == {"B1": 16, "B2": 16, "B3": 2, "B4": 4, "B5": 1, "B6": 17, "B7": 1}


def refreshed(name: str, tmp_path: Path, stripped: bool) -> Path:
    """A copy of a corpus file (its cached values stripped first, if asked), refreshed."""
    path = tmp_path / name
    poi.strip(poi.CORPUS / name, path) if stripped else shutil.copy(poi.CORPUS / name, path)
    report = refresh_file(path, backup=False)
    assert report.status != "failed", report
    return path


def differences(name: str, path: Path) -> dict:
    """Formula cells whose value is not the one Excel stored."""
    outcome = poi.score(poi.Outcome(name, "", path=path), None)
    return outcome.unequal


# Computed again from nothing: every value equals the one Excel stored.
COMPUTED_AS_EXCEL = {
    "table-sample.xlsx": "[#This Row] column ranges, [#Totals], a trailing space in a name",
    "StructuredReferences.xlsx": "escaped names (calc='#*'#), implicit intersection",
    "bug66215.xlsx": "tables on another sheet",
    "tableStyle.xlsx": "SUBTOTAL(109,Table1[value])",
    "63934.xlsx": "Member_Data[[#This Row],[Gender ]], Gender_lookup[]",
    "dataValidationTableRange.xlsx": "table references feeding 80 other formulas",
    "simple-monthly-budget.xlsx": "defined names over table columns",
    "simple-table-named-range.xlsx": "a defined name SUM(Table1[c])",
    "55906-MultiSheetRefs.xlsx": "3-D references SUM/AVERAGE/COUNTA(Sheet1:Sheet3!A1)",
    "FormulaSheetRange.xlsx": "3-D references over a range",
    "sample-beta.xlsx": "Excel 2007 beta namespace",
    "0-www-crossref-org.lib.rivier.edu_education-files_suffix-generator.xlsm": (
        'implicit intersection A:A&"/"&B:B in a shared formula'
    ),
    "59106.xlsx": "TEXT with an escaped literal, dd\\ mmm\\ yyyy",
    # POI's number-format test books: TEXT(value, format) by roi_xl.numfmt (1904 dates)
    "DateFormatTests.xlsx": "TEXT with dates, times, AM/PM, fractional seconds",
    "DateFormatNumberTests.xlsx": "TEXT with dates of the 1904 system",
    "ElapsedFormatTests.xlsx": "TEXT with [h] [m] [s] elapsed time, negative times",
    "FormatChoiceTests.xlsx": "TEXT with [conditions]",
    "FormatConditionTests.xlsx": "TEXT with [conditions] on negative numbers",
    "GeneralFormatTests.xlsx": "TEXT with General (11 characters, then E+nn)",
    "TextFormatTests.xlsx": "TEXT of texts and logicals with ;;; sections and @",
    "NumberFormatTests.xlsx": "TEXT with grouping, scaling, ?, fractions and literals",
    "NumberFormatApproxTests.xlsx": "TEXT with exponents (engineering steps, literals)",
    "59132.xlsx": "a sheet named sheet1 (the engine's own default sheet is Sheet1)",
}

# As they are: the engine must not write over Excel's value what it cannot compute.
KEEPS_EXCEL = {
    "ref-56737.xlsx": "[1]Defines!NR_To_A1 and [1]!NR_Global_B2 (other workbooks)",
    "link-external-workbook-b.xlsx": "'[link-external-workbook-a.xlsx]Sheet0'!A1:B1",
    "Intersection-52111-xssf.xlsx": "the intersection operator",
    "57535.xlsx": "a cycle under iterative calculation (its values depend on Excel's history)",
    "atp.xlsx": "complex numbers (IMLN, IMEXP) written with 17 digits instead of 15",
    "xlookup.xlsx": "XLOOKUP with binary search over unsorted data",
}


@pytest.mark.parametrize("name", sorted(COMPUTED_AS_EXCEL))
def test_computed_from_nothing_as_excel_did(name, tmp_path):
    path = refreshed(name, tmp_path, stripped=True)
    assert differences(name, path) == []


@pytest.mark.parametrize("name", sorted(KEEPS_EXCEL))
def test_keeps_excel_values_it_cannot_compute(name, tmp_path):
    path = refreshed(name, tmp_path, stripped=False)
    assert differences(name, path) == []


def test_reversed_range_no_longer_fails_the_workbook(tmp_path):
    # SUMIFS(O2:O1, ...): Excel reads O1:O2; the engine failed the whole workbook
    path = refreshed("bug60858.xlsx", tmp_path, stripped=True)
    assert values(path)[("Arbeitszeitcheck_2.3", "I2")] == " "


def test_date1904_workbook(tmp_path):
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws["A1"] = 0
    ws["B1"] = "=YEAR(A1)"
    ws["B2"] = '=TEXT(A1+1,"yyyy-mm-dd")'
    path = tmp_path / "mac.xlsx"
    wb.save(path)
    refresh_file(path, backup=False)
    got = values(path)
    assert (got[("Sheet", "B1")], got[("Sheet", "B2")]) == (1904, "1904-01-02")


def data_table(path: Path) -> Path:
    """A one-variable data table (What-If analysis) as Excel stores it: B4:B5 hold
    ``<f t="dataTable">`` with Excel's results; C6 sums them (its cached value is stale)."""
    wb = openpyxl.Workbook()
    wb.active.title = "S"
    wb.save(path)
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1"><v>2</v></c><c r="B1"><f>A1*10</f><v>20</v></c></row>'
        '<row r="3"><c r="B3"><f>B1</f><v>20</v></c></row>'
        '<row r="4"><c r="A4"><v>1</v></c><c r="B4"><f t="dataTable" ref="B4:B5" dt2D="0" '
        'dtr="0" r1="A1"/><v>10</v></c></row>'
        '<row r="5"><c r="A5"><v>3</v></c><c r="B5"><v>30</v></c></row>'
        '<row r="6"><c r="C6"><f>SUM(B4:B5)</f><v>0</v></c></row></sheetData></worksheet>'
    )
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in items:
            out.writestr(info, sheet.encode() if info.filename.endswith("sheet1.xml") else data)
    return path


def test_data_table_keeps_excel_values_and_feeds_them_on(tmp_path):
    path = data_table(tmp_path / "what-if.xlsx")
    report = refresh_file(path, backup=False)
    assert [k.cell for k in report.kept_cells] == ["S!B4"], report
    assert "data table" in report.kept_cells[0].why
    got = values(path)
    assert (got[("S", "B4")], got[("S", "C6")]) == (10, 40)  # C6 from Excel's 10 and 30


def test_range_given_to_a_scalar_function_is_intersected(tmp_path):
    # legacy Excel: =ABS(A1:D1) in column C reads C1 (the engine answered #VALUE!)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    ws.append([-1, -2, -3, -4])
    ws["C5"] = "=ABS(A1:D1)"
    ws["F5"] = "=ABS(A1:D1)"  # column F meets no cell of A1:D1: Excel's #VALUE!, kept
    ws["A7"] = "=ROUND(SUM(A1:D1)/3,2)"  # SUM takes the range whole
    path = tmp_path / "scalar.xlsx"
    wb.save(path)
    report = refresh_file(path, backup=False)
    got = values(path)
    assert (got[("S", "C5")], got[("S", "A7")]) == (3, -3.33)
    assert [k.cell for k in report.kept_cells] == ["S!F5"]


def test_a_sheet_named_sheet1_in_lower_case_is_computed(tmp_path):
    """formualizer starts every workbook with a sheet "Sheet1"; a workbook sheet of that name
    in another case ("sheet1", as in 59132.xlsx) met its IF formulas on a phantom "Sheet1"
    and never computed them. The engine now sees the sheet as "Sheet1"."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "sheet1"
    for row in (1, 2, 3):
        ws[f"B{row}"] = row
        ws[f"A{row}"] = f'=IF(B{row}>1,"big","small")'
    other = wb.create_sheet("Other")
    other["A1"] = "=SUM(sheet1!B1:B3)+COUNTIF('SHEET1'!A1:A3,\"big\")"
    path = tmp_path / "lower.xlsx"
    wb.save(path)
    report = refresh_file(path, backup=False)
    assert report.status == "refreshed" and report.kept == 0, report
    got = values(path)
    assert [got[("sheet1", f"A{r}")] for r in (1, 2, 3)] == ["small", "big", "big"]
    assert got[("Other", "A1")] == 8
    with zipfile.ZipFile(path) as zf:  # the file keeps its own name for the sheet
        assert b'name="sheet1"' in zf.read("xl/workbook.xml")


def test_a_spilled_text_from_the_shared_strings_is_left_as_it_is(tmp_path):
    """66365.xlsx: B1:B2 is an array formula; Excel stored B2's text ("Bob") as a shared
    string (``t="s"``). The engine computes the same text, so nothing changes; it used to
    be rewritten as an inline ``t="str"``."""
    work = Path(shutil.copy(poi.CORPUS / "66365.xlsx", tmp_path / "66365.xlsx"))
    report = refresh_file(work, backup=False)
    assert (report.status, report.changed, report.kept) == ("unchanged", 0, 0), report
    assert work.read_bytes() == (poi.CORPUS / "66365.xlsx").read_bytes()


def test_text_formats_are_computed_or_kept_with_their_reason(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    ws["A1"] = 1234.5
    ws["B1"] = '=TEXT(A1,"[<1000]0;#,##0.00,\\K")'  # conditions, scaling, escape: computed
    ws["B2"] = '=TEXT(A1,"*-0")'  # a fill: Excel's width is unknown, so kept
    ws["B3"] = "=B2&B1"  # depends on a kept cell
    path = tmp_path / "t.xlsx"
    wb.save(path)
    report = refresh_file(path, backup=False)
    got = values(path)
    assert got[("S", "B1")] == "1.23K"
    assert [(k.cell, k.why) for k in report.kept_cells][:1] == [
        (
            "S!B2",
            "TEXT's number format (or its value in it) cannot be rendered exactly as Excel does",
        )
    ]
