"""A function of one value given an array is applied to each element (issue 21,
roi_xl/refresh/array_lifting.py): the rewrite of the engine's copy, and refreshed
workbooks compared with LibreOffice (which lifts like Excel) and, where LibreOffice
differs from Excel (it has no logical cell type), with Microsoft's documented answers.
"""

from __future__ import annotations

import openpyxl
import pytest
from openpyxl.worksheet.formula import ArrayFormula

from roi_xl.errors import UnresolvedFormula
from roi_xl.refresh import array_lifting, engine_gaps, refresh_file
from tests.test_refresh_never_wrong import libreoffice_and_refreshed


#: formula, kind → the engine's copy
WRITTEN_OUT = {
    ("SUMPRODUCT(LEN(A1:A2))", "normal"): "SUMPRODUCT(VSTACK(LEN(A1),LEN(A2)))",
    # 2-D: rows of columns; a single cell and a number are in every element
    ("SUM(ROUND(A1:B2*C1,2))", "array"): (
        "SUM(VSTACK(HSTACK(ROUND(A1*C1,2),ROUND(B1*C1,2)),HSTACK(ROUND(A2*C1,2),ROUND(B2*C1,2))))"
    ),
    # a column against a row: their table, as Excel broadcasts
    ("SUMPRODUCT(ABS(A1:A2-B1:C1))", "normal"): (
        "SUMPRODUCT(VSTACK(HSTACK(ABS(A1-B1),ABS(A1-C1)),HSTACK(ABS(A2-B1),ABS(A2-C1))))"
    ),
    # nested: the outermost function of one value is written out; aggregates inside stay
    ("SUMPRODUCT(ABS(A1:A2-AVERAGE(A1:A2)))", "normal"): (
        "SUMPRODUCT(VSTACK(ABS(A1-AVERAGE(A1:A2)),ABS(A2-AVERAGE(A1:A2))))"
    ),
    (
        "SUMPRODUCT(MOD(ROW(A1:A2),2))",
        "normal",
    ): "SUMPRODUCT(VSTACK(MOD(ROW(A1),2),MOD(ROW(A2),2)))",
    ("SUMPRODUCT(LEN('My data'!A1:A2))", "shared"): (
        "SUMPRODUCT(VSTACK(LEN('My data'!A1),LEN('My data'!A2)))"
    ),
    ('SUMPRODUCT(LEN("A1:A3"))', "normal"): 'SUMPRODUCT(LEN("A1:A3"))',
    # a chain inside an aggregate inside another: the inner one first
    ("SUM(ABS(A1:A2-SUM(LEN(B1:B2))))", "array"): (
        "SUM(VSTACK(ABS(A1-SUM(VSTACK(LEN(B1),LEN(B2)))),ABS(A2-SUM(VSTACK(LEN(B1),LEN(B2))))))"
    ),
}


@pytest.mark.parametrize("formula, kind", sorted(WRITTEN_OUT))
def test_a_chain_becomes_the_array_of_its_element_calls(formula, kind):
    assert array_lifting.expand(formula, kind) == WRITTEN_OUT[(formula, kind)]


def test_a_raising_builtin_gives_an_error_element_as_itself():
    text = array_lifting.expand('SUMPRODUCT(--ISNUMBER(SEARCH("x",A1:A2)))', "normal")
    g = array_lifting.GUARD
    assert text == (
        f"SUMPRODUCT(--VSTACK(ISNUMBER(LET({g}1,A1,IF(ISERROR({g}1),{g}1,"
        f'SEARCH("x",{g}1)))),ISNUMBER(LET({g}2,A2,IF(ISERROR({g}2),{g}2,SEARCH("x",{g}2))))))'
    )
    # so the IS function around it is no longer a reason to keep the cell
    assert engine_gaps.unsupported('=SUMPRODUCT(--ISNUMBER(SEARCH("x",A1:A2)))') == ""
    assert "escapes" in engine_gaps.unsupported('=ISNUMBER(SEARCH("x",A1))')


@pytest.mark.parametrize(
    "formula, kind, words",
    [
        ("SUMPRODUCT(ABS(A1:A3*B1:B2))", "normal", "different sizes"),
        ("SUMPRODUCT(ABS(A1:A3*Rate))", "normal", "a name"),
        ("SUMPRODUCT(ROUND(A1:A3*RAND(),1))", "normal", "once for the whole array"),
        ("SUMPRODUCT(ABS(A1:A20000))", "normal", "more than"),
        ("SUMPRODUCT(ABS(A:A))", "normal", "not a literal reference"),
        ("SUMPRODUCT(ABS(IF(A1:A3>0,A1:A3)))", "normal", "what IF answers"),
        ("SUM(ABS(OFFSET(A1,0,0,3)))+ABS(A1:A2)", "array", "what OFFSET answers"),
        # an ordinary formula: Excel intersects the argument of SUM's ABS
        ("SUM(ABS(A1:A3))", "normal", "of an array"),
        ("SUMPRODUCT(ABS($A1:A3))", "shared", "shared formula"),
        ("SUMPRODUCT(ABS(A1:A3 A2:B2))", "normal", "intersection"),
        ("SUMPRODUCT(ABS((A1:A3,B1:B3)))", "normal", "union"),
    ],
)
def test_what_is_not_exact_is_kept(formula, kind, words):
    with pytest.raises(UnresolvedFormula, match=words):
        array_lifting.expand(formula, kind)


def test_what_needs_no_lifting_is_left_alone():
    for formula in ("SUM(A1:A3)", "ABS(SUM(A1:A3))", "ABS(INDEX(A1:A3,2))", "MOD(ROW(A1:A3),2)"):
        assert array_lifting.expand(formula, "normal") == formula
    assert not array_lifting.may_have("SUM(A1:A9)*ABS(B1)")
    assert array_lifting.may_have("SUMPRODUCT(LEN(A1:A9))")
    assert not array_lifting.may_have_computed("SUMPRODUCT(A1:A9,ROW(A1:A9))")


#: cell → (formula, array formula block or None, "computed" or words of the kept reason)
CASES = {
    "F1": ('=SUMPRODUCT(--ISNUMBER(SEARCH("a",A1:A5)))', None, "computed"),
    "F2": ("SUM(ABS(B1:B5-4))", "F2", "computed"),
    "F3": ("UPPER(A1:A3)", "F3:F5", "computed"),
    "G3": ("LEN(TRIM(A1:B3))", "G3:H5", "computed"),
    "F6": ("UPPER(C1:C4)", "F6:F9", "computed"),  # C2 is #DIV/0!: an element, not the array
    "F10": ("ISERROR(TRIM(C1:C4))", "F10:F13", "computed"),
    "F14": ('SUM(IFERROR(FIND("a",A1:A5),0))+SUM(--ISERROR(UPPER(C1:C4)))', "F14", "computed"),
    "F15": ("SUM(ROUND(B1:B5*D1:D5/3,1))", "F15", "computed"),
    "F16": ("ABS(B1:B3*D1:D2)", "F16:F18", "different sizes"),
    "F19": ("SUM(ABS(B1:B3-TRANSPOSE(B1:B3)))", "F19", "what TRANSPOSE answers"),
    "F20": ("SUM(ROUND(B1:B2/D1:E1,1))", "F20", "computed"),  # a column against a row
    "F21": ("SUM(MOD(ROW(B2:B5),2)*B2:B5)", "F21", "computed"),
}


def _workbook(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for row, (a, b, c, d) in enumerate(
        [(" ab ", 3, "x", 1.25), ("b", -1, "=1/0", 2), ("  c a", 5, 4, -3.75), ("", 2, None, 4),
         ("A", 9, "", 0.5)],
        start=1,
    ):  # fmt: skip
        ws.cell(row, 1, a), ws.cell(row, 2, b), ws.cell(row, 3, c), ws.cell(row, 4, d)
    ws["E1"] = 3
    for ref, (formula, block, _) in CASES.items():
        ws[ref] = ArrayFormula(block, "=" + formula) if block else formula
    wb.save(path)


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    """(LibreOffice's values, the refreshed file's values, {cell: kept reason})."""
    return libreoffice_and_refreshed(tmp_path_factory.mktemp("lifting"), _workbook)


def _cells(block):
    first, _, last = block.partition(":")
    last = last or first
    return [c.coordinate for row in openpyxl.Workbook().active[first:last] for c in row]


@pytest.mark.libreoffice
@pytest.mark.parametrize("ref", sorted(CASES))
def test_refreshed_as_libreoffice_lifts_or_kept(refreshed, ref):
    theirs, ours, kept = refreshed
    formula, block, expected = CASES[ref]
    for cell in _cells(block or ref):
        a, b = ours[cell].value, theirs[cell].value
        if expected == "computed":
            assert cell not in kept, f"{formula} in {cell}: kept ({kept.get(cell)})"
            assert a == (pytest.approx(b) if isinstance(b, float) else b), (formula, cell)
        else:
            assert cell in kept, (formula, cell)
            assert a == b
    if expected != "computed":
        assert expected in kept[ref], kept[ref]


def test_logical_elements_as_excel_documents(tmp_path):
    """LibreOffice has no logical cell type (its TRUE is 1): Microsoft's pages say LEN
    counts "the number of characters in a text string" of the value's text (TRUE: 4) and
    ISLOGICAL is TRUE for a logical value."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for row, value in enumerate([True, "xy", None, -2.5], start=1):
        ws.cell(row, 1, value)
    ws["C1"] = "=SUMPRODUCT(LEN(A1:A4))"
    ws["C2"] = "=SUMPRODUCT(--ISLOGICAL(A1:A4))+SUMPRODUCT(--ISBLANK(A1:A4))"
    ws["C3"] = "=SUMPRODUCT(--ISTEXT(A1:A4))"
    wb.save(tmp_path / "logical.xlsx")
    report = refresh_file(tmp_path / "logical.xlsx", backup=False)
    assert not report.kept_cells, report.kept_cells
    values = openpyxl.load_workbook(tmp_path / "logical.xlsx", data_only=True).active
    assert [values[f"C{r}"].value for r in (1, 2, 3)] == [4 + 2 + 0 + 4, 1 + 1, 1]
