"""Real-world packages the engine could not refresh (issue 12, item 9): strict OOXML, ZIP64,
engine gaps (TYPE of an error), table formulas. Each test failed before its fix."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl

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
