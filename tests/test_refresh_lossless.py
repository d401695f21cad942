"""Refresh writes cached values and nothing else; values match the roi_xl library."""

from __future__ import annotations

import shutil
import zipfile
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pytest

import roi_xl
from roi_xl.refresh import refresh_file, refresh_files
from tests import refresh_corpus as corpus

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def sheet_parts(path: Path) -> set[str]:
    with zipfile.ZipFile(path) as zf:
        return {n for n in zf.namelist() if n.startswith("xl/worksheets/sheet")}


def without_cached_values(xml: bytes) -> ET.Element:
    root = ET.fromstring(xml)
    for c in root.iter(f"{MAIN}c"):
        if c.find(f"{MAIN}f") is not None:
            c.attrib.pop("t", None)
            for v in c.findall(f"{MAIN}v"):
                c.remove(v)
    return root


def same_tree(a: ET.Element, b: ET.Element) -> bool:
    return (
        a.tag == b.tag
        and a.attrib == b.attrib
        and (a.text or "") == (b.text or "")
        and (a.tail or "") == (b.tail or "")
        and len(a) == len(b)
        and all(same_tree(x, y) for x, y in zip(a, b))
    )


def assert_lossless(before: Path, after: Path) -> None:
    with zipfile.ZipFile(before) as za, zipfile.ZipFile(after) as zb:
        assert za.namelist() == zb.namelist()
        sheets = sheet_parts(before)
        for ia, ib in zip(za.infolist(), zb.infolist()):
            assert ia.compress_type == ib.compress_type, ia.filename
            a, b = za.read(ia), zb.read(ib)
            if ia.filename in sheets:
                assert same_tree(without_cached_values(a), without_cached_values(b)), ia.filename
            else:
                assert a == b, ia.filename


def refreshed_copy(src: Path, tmp_path: Path) -> tuple[Path, Path]:
    before = tmp_path / ("before" + src.suffix)
    shutil.copy(src, before)
    report = refresh_file(src, backup=True)
    assert report.status == "refreshed", report
    assert Path(str(src) + ".bak").read_bytes() == before.read_bytes()
    return before, src


def test_openpyxl_file_without_cached_values_gets_every_value(tmp_path):
    path = corpus.budget_openpyxl(tmp_path / "b.xlsx")
    before, after = refreshed_copy(path, tmp_path)
    assert_lossless(before, after)
    ws = openpyxl.load_workbook(after, data_only=True)["Budget"]
    assert ws["E2"].value == 24  # ROUNDUP(1034*0.023, 0) = ROUNDUP(23.78)
    assert ws["B14"].value == sum(10_000 * i + 37 for i in range(2, 14))
    assert ws["H14"].value == "profit"
    assert ws["I14"].value is True
    assert ws["J14"].value == "#DIV/0!"
    assert openpyxl.load_workbook(after, data_only=True)["Summary"]["A2"].value == pytest.approx(
        ws["B14"].value * 1.1 / 12
    )


def test_roi_functions_refresh_to_the_library_values(tmp_path):
    path = corpus.roi_functions_openpyxl(tmp_path / "roi.xlsx")
    report = refresh_file(path, backup=False)
    assert report.status == "refreshed"
    ws = openpyxl.load_workbook(path, data_only=True)["ROI"]
    assert ws["B1"].value == pytest.approx(roi_xl.roi(10_000_000, 3_500_000, 2_720_000))
    assert ws["B2"].value == pytest.approx(float(roi_xl.lift(300, 10_000, 200, 10_000)))
    assert ws["B5"].value == pytest.approx(
        100 * roi_xl.roi(10_000_000, 3_500_000, 2_720_000, "gross")
    )
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml").decode()
    assert '<c r="B3" t="e"><f>LIFT(1,0,1,0)</f><v>#DIV/0!</v></c>' in xml  # a real error
    assert '<c r="B4" t="e"><f>B3+1</f><v>#DIV/0!</v></c>' in xml  # and it propagates
    funnel = roi_xl.backcalc_funnel(3_000_000, 500_000, [0.0666, 0.40, 0.33])
    assert ws["D1"].value == "Top of funnel"  # the anchor caches the spill's corner
    assert ws["B7"].value == funnel[-1]  # another cell reads the spilled column
    kept = {k.cell: k for k in report.kept_cells}
    assert kept["ROI!B6"].functions == ("FOOBARBAZ",)
    assert report.kept == 1


def test_cell_engine_cannot_compute_keeps_excels_cached_value(tmp_path):
    path = corpus.roi_functions_openpyxl(tmp_path / "roi.xlsx")
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml").decode()
    assert '<c r="B6"><f>FOOBARBAZ(A1)</f><v /></c>' in xml
    excel_says = xml.replace(
        '<c r="B6"><f>FOOBARBAZ(A1)</f><v /></c>', '<c r="B6"><f>FOOBARBAZ(A1)</f><v>42</v></c>'
    )
    src = tmp_path / "cached.xlsx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as out:
        for info in zin.infolist():
            data = excel_says.encode() if info.filename.endswith("sheet1.xml") else zin.read(info)
            out.writestr(info, data)
    refresh_file(src, backup=False)
    with zipfile.ZipFile(src) as zf:
        assert (
            '<c r="B6"><f>FOOBARBAZ(A1)</f><v>42</v></c>'
            in zf.read("xl/worksheets/sheet1.xml").decode()
        )


@pytest.mark.parametrize("vba", [False, True])
def test_xlsxwriter_charts_images_tables_vba_survive(tmp_path, vba):
    path = corpus.rich_xlsxwriter(tmp_path / ("rich.xlsm" if vba else "rich.xlsx"), vba=vba)
    before, after = refreshed_copy(path, tmp_path)
    assert_lossless(before, after)
    with zipfile.ZipFile(after) as zf:
        names = zf.namelist()
        assert any("chart" in n for n in names) and any("media" in n for n in names)
        assert any("table" in n for n in names) and any("comments" in n for n in names)
        if vba:
            assert zf.read("xl/vbaProject.bin") == corpus.real_vba_project()
    ws = openpyxl.load_workbook(after, data_only=True)["Data"]
    assert ws["D2"].value == pytest.approx((1713 - 1000) / 1000)
    assert ws["J1"].value == sum(1000 * i for i in range(1, 9))
    assert ws["J2"].value == "big"
    assert ws["J3"].value == pytest.approx(roi_xl.roi(1713, 0, 1000))


def test_second_refresh_changes_nothing(tmp_path):
    path = corpus.budget_openpyxl(tmp_path / "b.xlsx")
    refresh_file(path, backup=False)
    data = path.read_bytes()
    assert refresh_file(path, backup=False).status == "unchanged"
    assert path.read_bytes() == data


def test_dry_run_and_lock_file_leave_the_file_alone(tmp_path):
    path = corpus.budget_openpyxl(tmp_path / "b.xlsx")
    data = path.read_bytes()
    assert refresh_file(path, dry_run=True).status == "would refresh"
    (tmp_path / "~$b.xlsx").write_bytes(b"owner")
    reports = refresh_files([tmp_path], progress=False)
    assert [r.status for r in reports] == ["skipped"]
    assert "~$b.xlsx" in reports[0].reason
    assert path.read_bytes() == data and not Path(str(path) + ".bak").exists()


def test_shared_formulas_are_expanded_and_written(tmp_path):
    path = corpus.budget_openpyxl(tmp_path / "b.xlsx", rows=3)
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml").decode()
    xml = (
        xml.replace("<f>E2*12345.5</f>", '<f t="shared" ref="F2:F4" si="0">E2*12345.5</f>')
        .replace("<f>E3*12345.5</f>", '<f t="shared" si="0"/>')
        .replace("<f>E4*12345.5</f>", '<f t="shared" si="0"/>')
    )
    src = tmp_path / "shared.xlsx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as out:
        for info in zin.infolist():
            out.writestr(
                info, xml.encode() if info.filename.endswith("sheet1.xml") else zin.read(info)
            )
    report = refresh_file(src, backup=False)
    assert report.kept == 0, report.kept_cells
    ws = openpyxl.load_workbook(src, data_only=True)["Budget"]
    assert [ws[f"F{r}"].value for r in (2, 3, 4)] == [
        ws[f"E{r}"].value * 12345.5 for r in (2, 3, 4)
    ]


@pytest.mark.parametrize("book", ["quickstart.xlsm", "quickstart_standalone.xlsm"])
def test_workbook_saved_by_excel_with_vba_is_left_byte_identical(tmp_path, book):
    """Real .xlsm files written by Excel (shipped in the xlwings package): nothing to
    compute, so not a byte may change."""
    import xlwings

    path = tmp_path / book
    shutil.copyfile(Path(xlwings.__file__).parent / book, path)
    before = path.read_bytes()
    report = refresh_file(path, backup=False)
    assert not report.failed, report.reason
    assert path.read_bytes() == before


def test_dynamic_array_block_as_excel_stores_it_gets_every_spilled_value(tmp_path):
    """Excel stores a spilling formula as an array block (<f t="array" ref="E2:F5">) whose
    other cells hold plain cached values; all of them must be refreshed, stale ones too."""
    from openpyxl.worksheet.formula import ArrayFormula

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([3_000_000, 500_000, 0.0666, 0.4, 0.33])
    ws["E2"] = ArrayFormula("E2:F5", "=BACKCALC_FUNNEL(A1,B1,C1:E1)")
    for ref in ("F2", "E3", "F3", "E4", "F4", "E5", "F5"):
        ws[ref] = 0  # stale values from an older calculation
    ws["A8"], ws["A9"], ws["A10"] = 1, 2, 3
    ws["B8"] = ArrayFormula("B8:B10", "=A8:A10*10")  # a legacy CSE block
    ws["B9"], ws["B10"] = 0, 0
    ws["H1"] = "=F5+1"
    path = tmp_path / "spill.xlsx"
    wb.save(path)
    before = path.read_bytes()
    report = refresh_file(path, backup=False)
    assert report.status == "refreshed" and report.kept == 0, report.kept_cells
    assert report.computed == 8 + 3 + 1  # every cell of both blocks, and H1
    got = openpyxl.load_workbook(path, data_only=True).active
    funnel = roi_xl.backcalc_funnel(3_000_000, 500_000, [0.0666, 0.4, 0.33])
    assert [got[f"F{r}"].value for r in range(2, 6)] == funnel.tolist()
    assert [got[f"E{r}"].value for r in range(2, 6)] == [
        "Top of funnel",
        "Stage 2",
        "Stage 3",
        "Deals",
    ]
    assert [got[f"B{r}"].value for r in (8, 9, 10)] == [10, 20, 30]
    assert got["H1"].value == funnel[-1] + 1
    # the cells of the block are cached values too (they change); every other part is kept
    tmp_before = tmp_path / "before.xlsx"
    tmp_before.write_bytes(before)
    with zipfile.ZipFile(tmp_before) as za, zipfile.ZipFile(path) as zb:
        assert za.namelist() == zb.namelist()
        for name in za.namelist():
            if name != "xl/worksheets/sheet1.xml":
                assert za.read(name) == zb.read(name), name
