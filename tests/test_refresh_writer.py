"""The cached-value writer: any value a formula can compute makes a valid package that
other readers (openpyxl, LibreOffice) read back as that value (issue 12 item 1)."""

from __future__ import annotations

import csv
import math
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl.utils.escape import unescape as openpyxl_unescape

from tools.libreoffice import executable
from roi_xl.refresh import refresh_file, sheet, writer
from roi_xl.refresh.package import Package
from roi_xl.refresh.values import Value, encode_text, to_value
from tests import refresh_corpus as corpus

ERRORS = ["#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"]

# Every UTF-16 code unit (lone surrogates included), astral characters, runs that look like
# ST_Xstring escapes, and XML's special characters.
escape_like = st.builds(
    lambda u, h: f"{'_' if u else ''}x{h:04{'X' if u else 'x'}}_",
    st.booleans(),
    st.integers(0, 0xFFFF),
) | st.sampled_from(["_x0041_", "_x005F_", "_x005F_x0041_", "_x00", "_xD800_", "__x0007_"])
chars = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=())
texts = st.lists(chars | escape_like | st.sampled_from(list("<&>\"'_\r\n\t")), max_size=12).map(
    "".join
)
numbers = (
    st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from([0.0, -0.0, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308])
    | st.integers(-(2**70), 2**70)
)
results = texts | numbers | st.booleans() | st.sampled_from(ERRORS).map(lambda e: ("e", e))


def _book(path: Path, n: int) -> Path:
    """A workbook with ``n`` formula cells (A1..An, no cached values), as openpyxl writes."""
    wb = openpyxl.Workbook()
    for i in range(1, n + 1):
        wb.active.cell(i, 1, "=1")
    wb.save(path)
    return path


def _write(path: Path, values: list[Value]) -> None:
    """Write ``values`` as the cached results of A1..An through the refresh writer."""
    with Package(path) as pkg:
        (_, part), *_ = pkg.sheets()
        scan = sheet.scan(pkg.read(part).decode())
        changes = [(i, values[scan.rows[i] - 1]) for i in range(len(scan))]
        writer.write_package(pkg, {part: sheet.splice(scan, changes).encode()}, path, False)


def _expected(result) -> object:
    """What a reader should see for ``result`` (Excel's rules: NaN/inf/overflow are #NUM!)."""
    v = to_value(result)
    if v.t == "e":
        return v.text
    if v.t == "b":
        return result
    if v.t is None:
        return float(v.text)
    return result


def _same(read, expected) -> bool:
    if isinstance(expected, float):
        return isinstance(read, (int, float)) and not isinstance(read, bool) and read == expected
    return read == expected and type(read) is type(expected)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(results, min_size=1, max_size=25))
def test_any_value_written_reads_back_through_openpyxl(values):
    with tempfile.TemporaryDirectory() as tmp:
        path = _book(Path(tmp) / "w.xlsx", len(values))
        _write(path, [to_value(v) for v in values])
        ws = openpyxl.load_workbook(path, data_only=True).active
        for i, result in enumerate(values, start=1):
            read = ws.cell(i, 1).value
            expected = _expected(result)
            if isinstance(expected, str) and to_value(result).t == "str":
                # openpyxl hands t="str" text over as stored (it decodes _xHHHH_ only in
                # shared strings); its own decoder must give the text back exactly
                read = openpyxl_unescape(read or "")
            assert _same(read, expected), (i, result, read)


def test_numbers_are_written_as_excel_writes_them(tmp_path):
    cases = {
        2**53 + 1: "9007199254740992",  # an integer past 2^53: the double Excel keeps
        10**20: "1E+20",
        -0.0: "0",
        1e-7: "1E-7",
        0.1 + 0.2: "0.30000000000000004",
        float("nan"): "#NUM!",
        10**400: "#NUM!",
    }
    for result, text in cases.items():
        assert to_value(result).text == text, result


def test_control_character_result_makes_a_valid_file(tmp_path):
    # issue 12 item 1: ="a"&CHAR(7)&"b" used to be written raw and broke the sheet XML
    path = tmp_path / "char7.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = '="a"&CHAR(7)&"b"'
    wb.active["A2"] = '="_x0041_"&CHAR(13)'
    wb.save(path)
    report = refresh_file(path, backup=False)
    assert report.status == "refreshed", report
    ws = openpyxl.load_workbook(path, data_only=True).active
    assert openpyxl_unescape(ws["A1"].value) == "a\x07b"
    assert ws["A2"].value == "_x005F_x0041__x000D_"  # the literal run is kept literal
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None


def test_invalid_output_leaves_the_file_untouched(tmp_path, monkeypatch):
    path = tmp_path / "char7.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = '="a"&CHAR(7)&"b"'
    wb.save(path)
    before = path.read_bytes()
    monkeypatch.setattr(sheet, "encode_text", lambda text: text)  # the old, raw writer
    report = refresh_file(path, backup=True)
    assert report.failed
    assert "not well-formed XML" in report.reason and "untouched" in report.reason
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["char7.xlsx"]  # no temp, no .bak


@pytest.mark.parametrize(
    "doc",
    [
        '<?xml version="1.0" encoding="UTF-8"?>\n<a x="日本">予算 ROI \U0001f4b9<b/>&amp;</a>',
        "<a>\x07</a>",  # a control character: not XML 1.0
        "<a><b></a>",  # crossed tags
        "<a>予算</a><a/>",  # two roots
        "<a>予算",  # unfinished
        '<a x="1" x="2"/>',  # an attribute twice
    ],
)
def test_the_check_in_pieces_says_what_one_call_says(doc, monkeypatch):
    """Fed a few bytes at a time (every multibyte character split somewhere), the check
    accepts and refuses exactly what expat does in one call; the message names the part."""
    from xml.parsers import expat

    data = doc.encode("utf-8")
    try:
        expat.ParserCreate().Parse(data, True)
        whole = None
    except expat.ExpatError as exc:
        whole = str(exc).split(":")[0]
    for size in (1, 2, 3, 5, len(data)):
        monkeypatch.setattr(writer, "CHECK_CHUNK", size)
        if whole is None:
            writer.check_xml("xl/worksheets/sheet1.xml", data)
        else:
            with pytest.raises(writer.InvalidOutput, match="sheet1.xml") as err:
                writer.check_xml("xl/worksheets/sheet1.xml", data)
            assert whole in str(err.value)


def test_a_package_that_does_not_reopen_is_not_written(tmp_path, monkeypatch):
    path = corpus.budget_openpyxl(tmp_path / "b.xlsx")
    before = path.read_bytes()

    def broken(out, info, raw):  # a zipfile change that corrupts copied members
        real(out, info, raw[:-1] + bytes([raw[-1] ^ 0xFF]))

    real = writer._copy_raw
    monkeypatch.setattr(writer, "_copy_raw", broken)
    report = refresh_file(path, backup=False)
    assert report.failed and "did not reopen" in report.reason, report.reason
    assert path.read_bytes() == before


def _raw_members(path: Path) -> dict[str, bytes]:
    out = {}
    with zipfile.ZipFile(path) as z, open(path, "rb") as fh:
        for info in z.infolist():
            out[info.filename] = writer._raw_member(fh, info)
    return out


def test_unchanged_members_are_copied_as_their_compressed_bytes(tmp_path):
    # the exact code path that uses zipfile internals, on this Python
    path = corpus.budget_openpyxl(tmp_path / "b.xlsx")
    before = _raw_members(path)
    with zipfile.ZipFile(path) as z:
        assert writer.raw_copy_supported(zipfile.ZipFile(tmp_path / "probe.zip", "w"))
        infos = z.infolist()
    report = refresh_file(path, backup=False)
    assert report.status == "refreshed", report.reason
    after = _raw_members(path)
    with zipfile.ZipFile(path) as z:
        assert [i.filename for i in z.infolist()] == [i.filename for i in infos]
    changed = {n for n in before if before[n] != after[n]}
    assert changed == {"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"}


def test_without_zipfile_internals_members_are_recompressed(tmp_path, monkeypatch):
    path = corpus.budget_openpyxl(tmp_path / "b.xlsx")
    with zipfile.ZipFile(path) as z:
        before = {i.filename: z.read(i) for i in z.infolist()}
    monkeypatch.setattr(writer, "raw_copy_supported", lambda out: False)
    report = refresh_file(path, backup=False)
    assert report.status == "refreshed", report.reason
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        after = {i.filename: z.read(i) for i in z.infolist()}
    assert list(after) == list(before)
    assert {n for n in before if before[n] != after[n]} == {
        "xl/worksheets/sheet1.xml",
        "xl/worksheets/sheet2.xml",
    }


# LibreOffice: a smaller sample, read back as CSV with LibreOffice trusting the cached
# values (OOXMLRecalcMode=1, "never recalculate": the formulas here are placeholders).
_NEVER_RECALC = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>1</value></prop></item>
</oor:items>
"""


def _libreoffice_csv(path: Path, outdir: Path) -> list[str]:
    profile = outdir / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_NEVER_RECALC)
    subprocess.run(
        [
            executable(),
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false",
            "--outdir",
            str(outdir),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    with open(outdir / (path.stem + ".csv"), newline="", encoding="utf-8") as fh:
        return [row[0] if row else "" for row in csv.reader(fh)]


# LibreOffice (24.x) reads the text of <v> as stored: it does not decode ST_Xstring escapes
# there (it shows a_x0007_b for a BEL, _x005F_x0041_ for the literal _x0041_; Excel, which
# the escapes are for, decodes them per ECMA-376 §22.9.2.19). So its sample is text that
# needs no escape: any character XML 1.0 allows (astral ones too), XML's special characters,
# tab and line feed inside the text (LibreOffice drops a leading line feed of a cached value),
# underscores and x's that do not form an escape.
lo_texts = (
    st.lists(
        st.characters(
            min_codepoint=0x20,
            max_codepoint=0x10FFFF,
            exclude_categories=["Cs"],
            exclude_characters="\ufffe\uffff",
        )
        | st.sampled_from(list("<&>\"'_x\t\n") + ["_x12", "x0041_"]),
        min_size=1,
        max_size=10,
    )
    .map("".join)
    .filter(lambda t: encode_text(t).count("_x") == t.count("_x") and t == t.strip())
)


@pytest.mark.libreoffice
@settings(max_examples=2, deadline=None, phases=[Phase.generate])
@given(st.lists(lo_texts, min_size=30, max_size=40))
def test_text_written_reads_back_through_libreoffice(values):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        path = _book(tmp / "w.xlsx", len(values))
        _write(path, [to_value(v) for v in values])
        read = _libreoffice_csv(path, tmp / "out")
        assert read[: len(values)] == values


@pytest.mark.libreoffice
def test_numbers_read_back_through_libreoffice(tmp_path):
    # (booleans and errors: LibreOffice recomputes such formula cells even when told never
    # to recalculate, so only openpyxl reads those back above)
    values = [2**53 + 1, 10**20, -0.0, 5e-324, 0.1 + 0.2, 1e-7]
    path = _book(tmp_path / "n.xlsx", len(values))
    _write(path, [to_value(v) for v in values])
    read = _libreoffice_csv(path, tmp_path / "out")
    numbers = [float(x) for x in read[:6]]  # LibreOffice's CSV keeps 15 significant digits
    expected = [float(2**53), 1e20, 0.0, 5e-324, 0.1 + 0.2, 1e-7]
    assert numbers == [float(f"{x:.15g}") for x in expected]
    assert not math.copysign(1, numbers[2]) < 0
    shutil.rmtree(tmp_path / "out")


def test_a_cached_value_with_attributes_is_replaced_not_duplicated(tmp_path):
    # Excel writes <v xml:space="preserve"> for text with edge spaces, and <v/> for ""
    path = tmp_path / "space.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = '="World"&" "'
    wb.active["A2"] = '=""'
    wb.active["A3"] = '="new"'
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        members = {i.filename: z.read(i) for i in z.infolist()}
    xml = members["xl/worksheets/sheet1.xml"].decode()
    for ref, v in (("A1", '<v xml:space="preserve">World </v>'), ("A2", "<v/>"), ("A3", "<v/>")):
        xml = xml.replace(f'<c r="{ref}"><f>', f'<c r="{ref}" t="str"><f>')
        start = xml.index(f'<c r="{ref}"')
        end = xml.index("</c>", start)
        cell = xml[start:end]
        xml = xml[:start] + cell[: cell.index("</f>") + 4] + v + xml[end:]
    members["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    report = refresh_file(path, backup=False)
    assert (report.status, report.changed) == ("refreshed", 1), report  # only A3 changed
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert '<v xml:space="preserve">World </v>' in xml and "<v/>" in xml
    a3 = xml[xml.index('<c r="A3"') :]
    assert a3[: a3.index("</c>")].count("<v") == 1
    assert openpyxl.load_workbook(path, data_only=True).active["A3"].value == "new"


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.booleans(), results), min_size=1, max_size=40),
    st.sampled_from([1 << 20, 1, 150, 400]),
    st.integers(0, 50),
)
def test_streamed_sheet_writer_equals_the_one_pass_splice(cells, chunk, ahead):
    """write_sheet (re.split pieces, chunk by chunk, some chunks split ahead while the
    engine evaluates) and splice (spans) must agree byte for byte."""
    calls = iter(range(ahead))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sheet, "_CHUNK", chunk)
        _streamed_equals_splice(cells, lambda: next(calls, None) is not None, mp)


def _streamed_equals_splice(cells, go_on, mp):
    rows = []
    for r, (cached, _) in enumerate(cells, start=1):
        v = '<v xml:space="preserve"> 1</v>' if cached else ""
        t = ' t="str"' if cached else ""
        rows.append(f'<row r="{r}"><c r="A{r}"><v>1</v></c><c r="B{r}"{t}><f>A{r}</f>{v}</c></row>')
    xml = f"<worksheet><sheetData>{''.join(rows)}</sheetData></worksheet>"
    scan = sheet.scan(xml)
    changes = [(i, to_value(result)) for i, (_, result) in enumerate(cells) if i % 2 == 0]
    expected = sheet.splice(scan, changes).encode()
    sheet.split_ahead(scan, go_on)
    mp.setattr(sheet, "splice", None)  # write_sheet's own way, never its fallback
    assert sheet.write_sheet(scan, changes) == expected
    assert scan.ahead == []  # handed over: the pieces are freed with the written sheet


def test_an_inline_string_result_becomes_a_cached_string():
    # a formula's text result stored as an inline string (<is><t>) is valid OOXML; the
    # writer replaces it with <v> and t="str" (formualizer itself cannot load such cells:
    # calamine expects no <f> in an inlineStr cell, so such a file is reported, untouched)
    xml = (
        '<worksheet><sheetData><row r="1"><c r="A1" s="2" t="inlineStr">'
        '<f>"a"&amp;CHAR(7)</f><is><t>stale</t></is></c><c r="B1"><v>1</v></c>'
        "</row></sheetData></worksheet>"
    )
    out = sheet.rewrite(xml, {"A1": to_value("a\x07<b>")})
    assert out == xml.replace('t="inlineStr"', 't="str"').replace(
        "<is><t>stale</t></is>", "<v>a_x0007_&lt;b&gt;</v>"
    )


cell_shapes = st.tuples(
    st.sampled_from(["", ' s="3"', ' t="str"', ' s="1" t="e"', " t='b'", ' t="n" s="2"']),
    st.sampled_from(
        [
            "<f>A1+1</f>",
            '<f t="shared" si="0"/>',
            '<f t="shared" ref="B1:B9" si="0">A1</f>',
            "<f>IF(A1&gt;0,&quot;x&quot;,1)</f>",
            None,
        ]
    ),
    st.sampled_from(
        ["", "<v>1</v>", "<v/>", "<v></v>", '<v xml:space="preserve"> x </v>', "<v>a&amp;b</v>"]
    ),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(cell_shapes, min_size=1, max_size=30))
def test_fast_scanner_finds_what_the_general_scanner_finds(cells):
    body = []
    for n, (attrs, f, v) in enumerate(cells, start=1):
        inner = (f or "") + v
        body.append(f'<row r="{n}"><c r="B{n}"{attrs}>{inner}</c></row>')
    xml = f"<worksheet><sheetData>{''.join(body)}</sheetData></worksheet>"
    fast = sheet.scan(xml)
    general = sheet._scan_general(xml, 0, len(xml))
    if any(f for _, f, _ in cells):
        assert fast.pattern is sheet._FCELL_EXCEL  # the fast path took every formula cell
    for name in ("rows", "cols", "t", "v", "fattrs"):
        assert list(getattr(fast, name)) == list(getattr(general, name)), name
    assert list(fast.starts) == list(general.starts)
