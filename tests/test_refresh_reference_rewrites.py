"""Functions that read the workbook (issue 21): AREAS, ISFORMULA, FORMULATEXT, INDEX of a
union, INDIRECT of R1C1 text and dates written as text, rewritten in the engine's copy
(roi_xl/refresh/reference_rewrites.py) or kept with a reason.

The pure rewrites are checked text to text; whole workbooks (defined names, shared and
array formulas, a protected sheet, the 1904 date system) go through ``refresh_file``, and
the cells LibreOffice computes are compared with its recalculation of the same file.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import formualizer as fz
import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.formula import ArrayFormula

from roi_xl.errors import UnresolvedFormula
from roi_xl.refresh import refresh_file
from roi_xl.refresh.date_texts import ambiguous, serial
from roi_xl.refresh.formula_text import shown
from roi_xl.refresh.reference_rewrites import Book, may_have, r1c1_to_a1, rewrite
from roi_xl.refresh.sheet import scan


def _rw(formula: str, kind: str = "normal", ref: str = "B2", book: Book | None = None) -> str:
    return rewrite(formula, "S", ref, kind, book)


# The rewrites, text to text -------------------------------------------------------------------


@pytest.mark.parametrize(
    "formula, want",
    [
        ("=AREAS(A1)", "=1"),
        ("=AREAS($A$1:B9)+AREAS(C:D)+AREAS(3:4)", "=1+1+1"),
        ("=AREAS((A1:B2,C3,S!D4))", "=3"),
        ("=INDEX((A1:A3,B1:B3),2,1,2)", "=INDEX(B1:B3,2,1)"),
        ("=INDEX((A1:A3,B1:B3),2)", "=INDEX(A1:A3,2)"),
        ("=INDEX((A1:A3,B1:B3),2,1,3)", "=#REF!"),
        ("=SUM(INDEX((A1:B3,C1:D3),0,2,2))", "=SUM(INDEX(C1:D3,0,2))"),
        ("=INDEX(A1:A3,2)", "=INDEX(A1:A3,2)"),
        ('=INDIRECT("A1")&INDIRECT("A1",TRUE)', '=INDIRECT("A1")&INDIRECT("A1",TRUE)'),
        # its error passed on, a value that is no text #REF!
        ("=INDIRECT(A1)", "=IF(ISERROR(A1),A1,IF(ISTEXT(A1),INDIRECT(A1),#REF!))"),
        (
            '=INDIRECT("S!A"&B1,TRUE)',
            '=IF(ISERROR("S!A"&B1),"S!A"&B1,IF(ISTEXT("S!A"&B1),INDIRECT("S!A"&B1,TRUE),#REF!))',
        ),
        ("=SUM(INDIRECT(A1:A2))", "=SUM(INDIRECT(A1:A2))"),
        ('=DAY("2024-03-15")', "=DAY(45366.0)"),
        ('=_xlfn.DAYS("2024-03-15","2024-02-01")', "=_xlfn.DAYS(45366.0,45323.0)"),
        ('=HOUR("10:30 PM")', "=HOUR(0.9375)"),
        ('=DATEVALUE("2024-03-15 18:00")', "=45366.0"),
        ('=TIMEVALUE("2024-03-15 18:00")', "=0.75"),
        ('=DATEVALUE("15-Mar-2024")', '=DATEVALUE("15-Mar-2024")'),  # the engine's, as before
        ('=LEN("DAY(2024-03-15)")', '=LEN("DAY(2024-03-15)")'),  # inside a text
    ],
)
def test_rewrites_to_what_the_engine_computes(formula, want):
    assert _rw(formula) == want


def test_indirect_of_r1c1_text_reads_it_at_the_formula_cell():
    out = _rw('=SUM(INDIRECT("R1C1:R[1]C",FALSE))+INDIRECT(A1,0)')
    assert out.count("ROIXL_R1C1(") == 6  # twice checked for an error, once read, each
    assert 'ROIXL_R1C1("R1C1:R[1]C",ROW(),COLUMN())' in out
    assert "ROIXL_R1C1(A1,ROW(),COLUMN())" in out


@pytest.mark.parametrize(
    "formula, kind, reason",
    [
        ("=AREAS(OFFSET(A1,1,1))", "normal", "AREAS of a reference computed"),
        ("=AREAS((A1,(B1,C1)))", "normal", "AREAS of a reference computed"),
        ("=AREAS((A1,'My sheet'!D4))", "normal", "several sheets"),
        ("=INDEX((A1:A3,B1:B3),1,1,C1)", "normal", "area number the formula computes"),
        ("=INDEX((A1:A3,X!B1:B3),1,1,2)", "normal", "several sheets"),
        ("=INDEX((A1:A3,B1:B3),C1,1,3)", "normal", "out of range"),
        ("=INDEX((A1:A3,OFFSET(B1,0,0)),1,1,1)", "normal", "not a literal reference"),
        ('=IFERROR(INDIRECT("R1C1",FALSE),0)', "normal", "catches errors"),
        ('=INDIRECT("R1C1",FALSE)', "array", "array formula"),
        ("=ISFORMULA(A1:A3)", "normal", "outside an array formula"),
        ("=ISFORMULA(A1)", "shared", "relative reference in a shared formula"),
        ("=ISFORMULA(INDIRECT(B1))", "normal", "computed by the formula"),
        ("=ISFORMULA((A1,B1))", "normal", "union"),
        ('=DAY("3/4/2024")', "normal", "depends on the locale"),
        ('=DATEVALUE("03-04-2024")', "normal", "depends on the locale"),
        ('=MONTH("15-Mar-2024")', "normal", "MONTH of a date or time written as text"),
        ('=YEAR("2024"&"-03-15")', "normal", "YEAR of a date or time written as text"),
        ('=HOUR("25:00")', "normal", "HOUR of a date or time written as text"),
        ('=DAY("1900-02-29")', "normal", "written as text"),  # only Excel's calendar has it
    ],
)
def test_what_cannot_be_put_exactly_is_kept_with_its_reason(formula, kind, reason):
    with pytest.raises(UnresolvedFormula, match=reason):
        _rw(formula, kind, book=Book({"S": scan("")}, ["S"]))


def test_dates_follow_the_workbooks_date_system():
    book = Book({}, ["S"], date_system="1904")
    assert _rw('=DAY("2024-03-15")', book=book) == f"=DAY({45366.0 - 1462!r})"
    assert serial("1903-12-31", "1904") is None and serial("1904-01-01", "1904") == 0.0


@pytest.mark.parametrize(
    "text, locale_dependent",
    [("3/4/2024", True), ("3.4.24", True), ("3/4", True), ("03-04-2024 10:00", True),
     ("2024-03-04", False), ("2024/3/4", False), ("10:30", False), ("Mar 4", False)],
)  # fmt: skip
def test_which_day_and_month_orders_depend_on_the_locale(text, locale_dependent):
    assert ambiguous(text) is locale_dependent


def test_the_cheap_test_lets_common_formulas_pass():
    for formula in (
        "SUM(A1:A9)*2",
        "INDEX(A:A,MATCH(B1,C:C,0))",
        "VLOOKUP(A1,B:C,2,FALSE)",
        'IF(A1>0,"up","down")',
        'TEXT(A1,"yyyy")&B1',
    ):
        assert not may_have(formula), formula
    assert may_have("INDEX( (A1,B1),1)") and may_have('DAY("2024-01-01")')


# ROIXL_R1C1 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, want",
    [
        ("R2C3", "$C$2"),
        ("R[1]C[-1]", "D6"),
        ("RC", "E5"),
        ("R[-4]C[-4]", "A1"),
        ("Data!R2C1", "Data!$A$2"),
        ("'My sheet'!R1C1:R2C2", "'My sheet'!$A$1:$B$2"),
        ("R1:R3", "$1:$3"),
        ("C", "E:E"),
        ("R1048576C16384", "$XFD$1048576"),
    ],
)
def test_r1c1_text_becomes_a1_text_relative_to_the_cell(text, want):
    assert r1c1_to_a1(text, 5.0, 5.0) == want


@pytest.mark.parametrize("text", ["", "R0C1", "R1C16385", "R1048577C1", "Data!C0"])
def test_r1c1_text_that_is_no_reference_is_ref(text):
    wb = fz.Workbook()
    wb.register_function("F", lambda: r1c1_to_a1(text, 5.0, 5.0), min_args=0, max_args=0)
    wb.sheet("S").set_formula(1, 1, "=F()")
    wb.evaluate_all()
    assert wb.get_value("S", 1, 1) == {"type": "Error", "kind": "Ref"}


@pytest.mark.parametrize(
    "text", ["r1c1", "Z1S1", "MyName", "R[-5]C", "RC[20000]", "[1]S!R1C1", "R1:C1", "R1C1:R2"]
)
def test_r1c1_text_whose_excel_answer_is_not_settled_is_not_computed(text):
    value = r1c1_to_a1(text, 5.0, 5.0)
    assert isinstance(value, fz.LiteralValue), value


# FORMULATEXT's text ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, kind, want",
    [
        ("A1+1", "normal", "=A1+1"),
        ('ROUND(_xlfn.STDEV.S(A1:A8),2)&" (sd)"', "normal", '=ROUND(STDEV.S(A1:A8),2)&" (sd)"'),
        ("SUM('My sheet'!A1:A3, Data!B1)", "normal", "=SUM('My sheet'!A1:A3, Data!B1)"),
        ("IF(A1>0,B1:B3,C1:C3)", "array", "{=IF(A1>0,B1:B3,C1:C3)}"),
        ("_xlfn._xlws.SORT(A1:A3)", "dynamic", "=SORT(A1:A3)"),
        ("{1,2;3,4}*TRUE", "array", "{={1,2;3,4}*TRUE}"),
    ],
)
def test_formula_text_as_excel_shows_it(text, kind, want):
    assert shown(text, kind, ["Data", "My sheet"]) == want


@pytest.mark.parametrize(
    "text, kind",
    [
        ("sum(A1)", "normal"),  # Excel prints SUM
        ("a1+1", "normal"),
        ("1.50+A1", "normal"),  # Excel prints 1.5
        ("1E+3", "normal"),
        ("true", "normal"),
        ("Revenue*2", "normal"),  # a name: printed as defined
        ("Table1[Col]", "normal"),
        ("INDEX(A1:A9,2)", "normal"),  # Excel 365 may print =@INDEX(...)
        ("ABS(A1:A3)", "normal"),  # =ABS(@A1:A3)
        ("SUM(A1:A3+1)", "normal"),  # a range inside an expression
        ("_xlfn.SINGLE(A1:A3)", "dynamic"),  # =@A1:A3
        ("'Data'!A1", "normal"),  # Excel drops quotes it does not need
        ("data!A1", "normal"),  # and spells the sheet as named
        ("'データ'!A1", "normal"),
        ("=A1", "normal"),
    ],
)
def test_formula_text_excel_may_print_otherwise_is_kept(text, kind):
    with pytest.raises(UnresolvedFormula, match="FORMULATEXT"):
        shown(text, kind, ["Data", "データ"])


# Whole workbooks --------------------------------------------------------------------------------


def _patched(path: Path, part: str, replacements: dict[str, str]) -> Path:
    """``path`` with text of ``part`` replaced (shared formulas, cell attributes that
    openpyxl does not write)."""
    out = path.with_name("patched_" + path.name)
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == part:
                text = data.decode()
                for old, new in replacements.items():
                    assert old in text, old
                    text = text.replace(old, new)
                data = text.encode()
            zout.writestr(info, data)
    return out


def test_workbook_rewrites_compute_what_excel_shows(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    data = wb.create_sheet("Data")
    for r in range(1, 5):
        ws.cell(r, 2, r * 10)
        data.cell(r, 1, r)
    data["B1"] = "=A1*2"
    for r in (2, 3, 4):
        ws[f"D{r}"] = f"=B{r}*2"
        ws[f"C{r}"] = '=INDIRECT("RC[-1]",FALSE)'
    ws["E1"] = "=AREAS(Pair)"
    ws["E2"] = "=ISFORMULA(One)"
    ws["E3"] = "=_xlfn.FORMULATEXT(D4)"
    ws["E4"] = "=_xlfn.FORMULATEXT(F1)"
    ws["F1"] = ArrayFormula("F1", "=SUM(B2:B4*2)")
    ws["E5"] = "=_xlfn.ISFORMULA(Data!B1)+_xlfn.ISFORMULA(Data!A1)*10"
    ws["E7"] = '=DAY("2024-03-15")+HOUR("6:30 PM")'
    ws["E8"] = '=SUM(INDIRECT("Data!R1C1:R4C1",FALSE))'
    ws["G2"], ws["G3"], ws["H2"] = "=_xlfn.ISFORMULA(H2)", "=_xlfn.ISFORMULA(H3)", "=1"
    ws["I2"], ws["I3"] = "=_xlfn.FORMULATEXT(D2)", "=_xlfn.FORMULATEXT(D3)"
    wb.defined_names["Pair"] = DefinedName("Pair", attr_text="Data!$A$1:$A$2,Data!$B$1")
    wb.defined_names["One"] = DefinedName("One", attr_text="Data!$B$1")
    plain = tmp_path / "plain.xlsx"
    wb.save(plain)
    path = _patched(
        plain,
        "xl/worksheets/sheet1.xml",
        {
            "<f>B2*2</f>": '<f t="shared" ref="D2:D4" si="0">B2*2</f>',
            "<f>B3*2</f>": '<f t="shared" si="0"/>',
            "<f>B4*2</f>": '<f t="shared" si="0"/>',
            '<c r="C2"><f>INDIRECT("RC[-1]",FALSE)</f>': '<c r="C2"><f t="shared" ref="C2:C4" '
            'si="1">INDIRECT("RC[-1]",FALSE)</f>',
            '<c r="C3"><f>INDIRECT("RC[-1]",FALSE)</f>': '<c r="C3"><f t="shared" si="1"/>',
            '<c r="C4"><f>INDIRECT("RC[-1]",FALSE)</f>': '<c r="C4"><f t="shared" si="1"/>',
            "<f>_xlfn.ISFORMULA(H2)</f>": '<f t="shared" ref="G2:G3" si="2">'
            "_xlfn.ISFORMULA(H2)</f>",
            "<f>_xlfn.ISFORMULA(H3)</f>": '<f t="shared" si="2"/>',
            "<f>_xlfn.FORMULATEXT(D2)</f>": '<f t="shared" ref="I2:I3" si="3">'
            "_xlfn.FORMULATEXT(D2)</f>",
            "<f>_xlfn.FORMULATEXT(D3)</f>": '<f t="shared" si="3"/>',
        },
    )
    report = refresh_file(path, backup=False)
    assert report.kept == 0, report.kept_cells
    got = openpyxl.load_workbook(path, data_only=True)["S"]
    want = {
        "C2": 20, "C3": 30, "C4": 40,  # each child reads its own row (ROW(), COLUMN())
        "E1": 2, "E2": True, "E3": "=B4*2", "E4": "{=SUM(B2:B4*2)}", "E5": 1,
        "E7": 15 + 18, "E8": 10,
        "G2": True, "G3": False, "I2": "=B2*2", "I3": "=B3*2",  # shared: each cell its own
    }  # fmt: skip
    assert {ref: got[ref].value for ref in want} == want


def test_what_the_rewrites_cannot_read_keeps_excels_value(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    ws["A1"], ws["B1"] = "=1+1", 5
    ws["D1"] = '=DAY("3/4/2024")'
    ws["D2"] = '=DATEVALUE("3/4/2024")'
    ws["D3"] = '=INDIRECT("r1c2",FALSE)'  # lower case: Excel's reading not settled here
    ws["D4"] = "=INDEX((A1,B1),1,1,B1)"
    ws["D5"] = "=_xlfn.FORMULATEXT(Locked!A1)"
    locked = wb.create_sheet("Locked")
    locked["A1"] = "=1+2"
    locked.protection.sheet = True
    plain = tmp_path / "plain.xlsx"
    wb.save(plain)
    path = plain
    report = refresh_file(path, backup=False)
    why = {k.cell.split("!")[1]: k.why for k in report.kept_cells if k.cell.startswith("S!")}
    assert "depends on the locale" in why["D1"] and "depends on the locale" in why["D2"]
    assert "R1C1" in why["D3"]
    assert "area number" in why["D4"]
    assert "protected" in why["D5"]
    got = openpyxl.load_workbook(path, data_only=True)["S"]
    assert [got[r].value for r in ("D1", "D2", "D3", "D4", "D5")] == [None] * 5  # as left


def test_dynamic_array_formula_shows_without_braces(tmp_path):
    xml = (
        '<worksheet><sheetData><row r="1"><c r="A1" cm="1"><f t="array" ref="A1:A3">'
        '_xlfn._xlws.SORT(B1:B3)</f><v>1</v></c><c r="C1"><f t="array" ref="C1:C2">'
        'B1:B2*2</f><v>2</v></c></row><row r="2"><c r="A2"><v>2</v></c><c r="C2"><v>4</v></c>'
        "</row></sheetData></worksheet>"
    )
    book = Book({"S": scan(xml)}, ["S"])
    assert book.shown("S", 1, 1) == "=SORT(B1:B3)"
    assert book.shown("S", 2, 3) == "{=B1:B2*2}"  # every cell of a legacy block shows it
    assert book.is_formula("S", 2, 3) is True and book.is_formula("S", 5, 5) is False
    with pytest.raises(UnresolvedFormula, match="dynamic array spills"):
        book.is_formula("S", 2, 1)


@pytest.mark.libreoffice
def test_libreoffice_computes_the_same(tmp_path):
    """The cells of a workbook of these functions that LibreOffice computes as Excel does
    (it reads INDIRECT's R1C1 text, AREAS, ISFORMULA, INDEX of a union, ISO dates)."""
    from tools.libreoffice import convert

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for r in range(1, 6):
        ws.cell(r, 1, r * 3)
    formulas = {
        "B1": '=INDIRECT("R[1]C[-1]",FALSE)',
        "B2": '=SUM(INDIRECT("R1C1:R5C1",FALSE))',
        "B3": '=INDIRECT("RC1",0)*2',
        "B4": "=AREAS((A1:A2,A3,A4:A5))",
        "B5": "=_xlfn.ISFORMULA(B1)+_xlfn.ISFORMULA(A1)*10",
        "B6": "=INDEX((A1:A2,A3:A5),2,1,2)",
        "B7": "=INDEX((A1:A2,A3:A5),1,1,3)",  # no third area: #REF!
        "B8": '=_xlfn.DAYS("2024-12-31","2024-01-01")+MINUTE("10:45")',
        "B9": '=TIMEVALUE("2024-03-15 06:00:30")',
    }
    for ref, f in formulas.items():
        ws[ref] = f
    src = tmp_path / "lo_cases.xlsx"
    wb.save(src)
    ours = tmp_path / "ours.xlsx"
    shutil.copy(src, ours)
    report = refresh_file(ours, backup=False)
    assert report.kept == 0, report.kept_cells
    (lo,) = convert([src], tmp_path / "lo")
    theirs = openpyxl.load_workbook(lo, data_only=True)["S"]
    got = openpyxl.load_workbook(ours, data_only=True)["S"]
    for ref in formulas:
        a, b = got[ref].value, theirs[ref].value
        assert a == pytest.approx(b, rel=1e-12) if isinstance(b, float) else a == b, (ref, a, b)
