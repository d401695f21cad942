"""SUMIF and its kin over a summed range that holds an error keep Excel's value, now that the
guard is put in after the engine has evaluated the file (:func:`conditional_guard.apply`).

The expected values are worked out by hand from Excel's rule (a matched error is the
answer: Microsoft's SUMIF page; an unmatched one is skipped, but which rows match is the
engine's criteria logic, so any error in the summed range keeps the cell). The big sheet is
over :data:`recalc.EARLY_ENGINE_CHARS`, so the engine loads the file itself while the sheets
are scanned: the route the guard used to rule out.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from roi_xl.refresh import conditional_guard, engine_input, recalc, refresh_file
from roi_xl.refresh.xlsx import Package


def _book(path: Path, rows: int, shared: bool) -> Path:
    """A sheet of ``rows`` rows (A: 1..rows, B: A*2 with B3 = #DIV/0!), two SUMIF formulas
    in D (one over B, which holds the error; one over A) and E = D + 1 reading them; with
    ``shared``, D2:D4 as one shared formula, the way Excel writes a filled column."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    for r in range(1, rows + 1):
        ws.cell(r, 1, r)
        ws.cell(r, 2, "=1/0" if r == 3 else f"=A{r}*2")
        ws.cell(r, 6, f"=A{r}+B{r}")  # bulk, so that the sheet XML is big
    for r in (2, 3, 4):
        ws[f"D{r}"] = f"=SUMIF($A$1:$A${rows},A{r},$B$1:$B${rows})"
        ws[f"E{r}"] = f"=D{r}+1"
    ws["D6"] = f"=SUMIF($A$1:$A${rows},2)"
    ws["E6"] = "=D6+1"
    wb.save(path)
    if shared:
        with zipfile.ZipFile(path) as zf:
            members = {i.filename: zf.read(i) for i in zf.infolist()}
        xml = members["xl/worksheets/sheet1.xml"].decode()
        text = f"SUMIF($A$1:$A${rows},A{{r}},$B$1:$B${rows})"
        xml = xml.replace(
            f"<f>{text.format(r=2)}</f>", f'<f t="shared" ref="D2:D4" si="0">{text.format(r=2)}</f>'
        )
        for r in (3, 4):
            xml = xml.replace(f"<f>{text.format(r=r)}</f>", '<f t="shared" si="0"/>')
        assert xml.count('si="0"') == 3
        members["xl/worksheets/sheet1.xml"] = xml.encode()
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in members.items():
                zf.writestr(name, data)
    return path


@pytest.mark.parametrize("rows,shared", [(20, False), (20, True), (30_000, True)])
def test_an_error_in_the_summed_range_keeps_the_cell_and_its_readers(tmp_path, rows, shared):
    path = _book(tmp_path / "b.xlsx", rows, shared)
    report = refresh_file(path, backup=False)
    kept = {k.cell: k.why for k in report.kept_cells}
    # D2:D4 sum over B (B3 holds #DIV/0!): kept, and E2:E4 read them: kept too
    for r in (2, 3, 4):
        assert f"Data!D{r}" in kept, kept
        assert f"Data!E{r}" in kept and "keeps Excel's value" in kept[f"Data!E{r}"]
    # D6 sums A itself (no error): computed, 2; E6 = 3
    ws = openpyxl.load_workbook(path, data_only=True)["Data"]
    assert (ws["D6"].value, ws["E6"].value) == (2, 3)
    assert "Data!D6" not in kept and "Data!E6" not in kept
    assert ws["B4"].value == 8 and ws[f"F{rows}"].value == 3 * rows


def test_a_sumif_no_longer_makes_the_engine_copy(tmp_path):
    """The big book loads as-is: nothing else in it needs the engine's own copy."""
    path = _book(tmp_path / "b.xlsx", 30_000, shared=True)
    with Package(path) as pkg:
        texts = {s: pkg.read(p).decode() for s, p in pkg.sheets()}
        assert sum(map(len, texts.values())) > recalc.EARLY_ENGINE_CHARS
        assert engine_input.may_load_as_is(pkg, list(texts), texts.values())


def test_cells_calling_finds_the_formulas_and_leaves_cached_text_alone():
    from roi_xl.refresh.sheet import scan

    xml = (
        '<sheetData><row r="1"><c r="A1" t="str"><f>"SUMIF"&amp;1</f>'
        '<v>SUMIF1</v></c><c r="B1"><f>SUMIFS(C:C,D:D,1)</f></c><c r="C1"><f>1+1</f>'
        '<v>2</v></c><c r="D1" t="inlineStr"><is><t>AVERAGEIF</t></is></c></row></sheetData>'
    )
    sc = scan(xml, formulas=True)
    # A1's formula names SUMIF only in a string: found, and the guard leaves it as is
    assert conditional_guard.cells_calling(sc) == [((1, 1), False), ((1, 2), False)]
    assert conditional_guard.guard('="SUMIF"&1') == '="SUMIF"&1'
    assert conditional_guard.cells_calling(scan(xml.replace("SUMIF", "SUM"), formulas=True)) == []


def test_a_sumif_beside_a_union_is_kept_not_re_printed(tmp_path):
    """The engine prints ``INDEX((A1:A2,B1:B2),1,1,2)`` without the union's parentheses, so
    the cell is not re-set from its printing: kept, with its reason."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    for r in (1, 2):
        ws.cell(r, 1, r)
        ws.cell(r, 2, 10 * r)
    ws["C1"] = "=SUMIF(A1:A2,1,B1:B2)+INDEX((A1:A2,B1:B2),1,1,2)"  # Excel: 10 + 10
    ws["C2"] = "=SUMIF(A1:A2,1,B1:B2)"
    wb.save(tmp_path / "u.xlsx")
    report = refresh_file(tmp_path / "u.xlsx", backup=False)
    kept = {k.cell: k.why for k in report.kept_cells}
    assert "Data!C1" in kept and "Data!C2" not in kept, kept
    assert openpyxl.load_workbook(tmp_path / "u.xlsx", data_only=True)["Data"]["C2"].value == 10


def test_apply_keeps_a_union_formula_and_guards_the_others():
    import formualizer as fz

    wb = fz.Workbook()
    s = wb.sheet("S")
    s.set_value(1, 1, 1)
    s.set_formula(1, 2, "=1/0")
    s.set_formula(1, 3, "=SUMIF(A1:A1,1,B1:B1)")  # summed range holds #DIV/0!
    s.set_formula(2, 3, "=SUMIF(A1:A1,1,A1:A1)+1")
    s.set_formula(3, 3, "=SUMIF(A1:A1,1,A1:A1)+1")  # as if its file text held a union
    conditional_guard.register(wb, None)
    wb.evaluate_all()
    assert wb.get_value("S", 1, 3) == 0.0  # the engine skips the error: Excel says #DIV/0!
    cells = {"S": [((1, 3), False), ((2, 3), False), ((3, 3), True), ((1, 1), False)]}
    assert conditional_guard.apply(wb, cells) == 3
    assert [wb.get_value("S", r, 3) for r in (1, 3)] == [{"type": "Error", "kind": "NImpl"}] * 2
    assert wb.get_value("S", 2, 3) == 2.0


def test_the_summed_block_is_read_as_excel_reads_it(tmp_path):
    """A defined name, a constant error typed in the sheet, SUMIF's one-cell sum_range
    read in the shape of its range (C1 → C1:C4: C3 holds #N/A), a summed range that is no
    plain block (INDEX: guarded in the engine instead); an error outside every summed
    block keeps nothing."""
    from openpyxl.workbook.defined_name import DefinedName

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    for r in range(1, 5):
        ws.cell(r, 1, 1)
        ws.cell(r, 3, r)
        ws.cell(r, 5, 10 * r)
    ws["C3"] = "#N/A"  # a constant error (openpyxl writes t="e")
    ws["E2"] = "=1/0"  # a computed one
    ws["G9"] = "#REF!"  # far from every summed block
    wb.defined_names["Sales"] = DefinedName("Sales", attr_text="Data!$E$1:$E$4")
    ws["H1"] = "=SUMIF(A1:A4,1,C1)"  # C1:C4 holds C3
    ws["H2"] = "=SUMIF(A1:A4,1,Sales)"  # E1:E4 holds E2
    ws["H3"] = "=SUMIFS(INDEX(E1:E4,0,1),A1:A4,1)"  # no plain block: guarded in the engine
    ws["H4"] = "=SUMIF(A1:A4,1,A1)"  # A1:A4 holds no error
    ws["H5"] = "=AVERAGEIF(A1:A2,1,C1)"  # C1:C2: none either
    wb.save(tmp_path / "s.xlsx")
    report = refresh_file(tmp_path / "s.xlsx", backup=False)
    kept = {k.cell: k.why for k in report.kept_cells}
    for ref in ("H1", "H2", "H3"):
        assert "summed range that holds an error" in kept.get(f"Data!{ref}", ""), kept
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx", data_only=True)["Data"]
    assert (ws["H4"].value, ws["H5"].value) == (4, 1.5)
    assert "Data!H4" not in kept and "Data!H5" not in kept
