"""roi_xl.numfmt against the text Excel itself stored: Apache POI's number-format test books
(``tests/data/poi/*Format*Tests.xlsx``) are tables of value, format and ``=TEXT(value,
format)``, saved by Excel with its results. We did not write those expectations."""

from __future__ import annotations

import math
import re
import zipfile
from collections import Counter

import pytest

from roi_xl import numfmt
from tests import poi_corpus as poi

BOOKS = (
    "DateFormatNumberTests.xlsx",
    "DateFormatTests.xlsx",
    "ElapsedFormatTests.xlsx",
    "FormatChoiceTests.xlsx",
    "FormatConditionTests.xlsx",
    "GeneralFormatTests.xlsx",
    "NumberFormatApproxTests.xlsx",
    "NumberFormatTests.xlsx",
    "TextFormatTests.xlsx",
)
_TEXT = re.compile(r'TEXT\(\s*([A-Z]+)(\d+)\s*,\s*(CONCATENATE\(";;;",\s*)?([A-Z]+)(\d+)\)?\s*\)')


def excel_cases(name: str) -> list[tuple[str, object, str, object, bool]]:
    """(cell, value, format, Excel's text, date1904) of every ``TEXT(value, format)`` in a
    book, shared formulas followed down their column."""
    path = poi.CORPUS / name
    with zipfile.ZipFile(path) as zf:
        date1904 = re.search(rb'date1904="(1|true)"', zf.read("xl/workbook.xml")) is not None
    cells = poi.cells(path)
    master: dict[tuple[str, str], tuple[str, int]] = {}
    out = []
    for (sheet, ref), cell in sorted(cells.items(), key=lambda kv: (kv[0][0], _row(kv[0][1]))):
        if not cell.has_f:
            continue
        col, row = re.match(r"([A-Z]+)", ref).group(1), _row(ref)
        if cell.formula:
            master[(sheet, col)] = (cell.formula, row)
        if (sheet, col) not in master:
            continue
        formula, first = master[(sheet, col)]
        m = _TEXT.fullmatch(formula.strip())
        if not m:
            continue
        value = cells.get((sheet, f"{m.group(1)}{int(m.group(2)) + row - first}"))
        fmt = cells.get((sheet, f"{m.group(4)}{int(m.group(5)) + row - first}"))
        if value is None or fmt is None or not isinstance(fmt.value, str):
            continue
        prefix = ";;;" if m.group(3) else ""
        out.append((f"{sheet}!{ref}", value.value, prefix + fmt.value, cell.value, date1904))
    return out


def _row(ref: str) -> int:
    return int(re.sub(r"[A-Z]", "", ref))


@pytest.mark.parametrize("name", BOOKS)
def test_equals_what_excel_stored(name):
    cases = excel_cases(name)
    assert len(cases) >= 10, name
    wrong, refused = [], []
    for ref, value, fmt, expected, date1904 in cases:
        try:
            got = numfmt.text(value, fmt, date1904=date1904)
        except numfmt.FormatNotSupported as exc:
            refused.append((ref, fmt, str(exc)))
            continue
        if got != expected:
            wrong.append((ref, fmt, value, expected, got))
    assert wrong == [], wrong[:10]
    assert refused == [], refused[:10]


def test_the_books_cover_the_grammar():
    cases = [c for name in BOOKS for c in excel_cases(name)]
    assert len(cases) == 832
    kinds = Counter()
    for _, _, fmt, _, _ in cases:
        for pattern, kind in (
            (r"\[[<>=]", "condition"),
            (r"General", "General"),
            (r"[eE][+-]", "exponent"),
            (r"[#?0]/", "fraction"),
            (r"\[[hms]+\]", "elapsed"),
            (r"(?i)am/pm|a/p", "AM/PM"),
            (r"@", "text"),
            (r"[0#],+(?![0#?])", "thousands scaling"),
            (r"\?", "? alignment"),
            (r"(?i)yy|mmm|dd", "date"),
        ):
            if re.search(pattern, fmt):
                kinds[kind] += 1
    assert all(kinds[k] >= 5 for k in kinds) and len(kinds) == 10, kinds


@pytest.mark.parametrize(
    ("value", "fmt"),
    [
        (1.0, "*-0"),  # a fill: TEXT's width is unknown
        (-1.0, "yyyy-mm-dd"),  # a negative date
        (3e6, "yyyy-mm-dd"),  # after 9999-12-31
        ("12:30", "0.00"),  # a text Excel may read as a time
        ("abc", "0;@"),  # @ in a format of two sections
        (45000.0, "[$-407]mmmm"),  # German month names
        (45000.0, "[$-F800]dddd"),  # the system's long date format
        (-5.0, "[<0]0"),  # whether Excel shows the minus under [<0] is not known
        (-5.0, '"neg"'),  # a negative number in a section of text only
        (10.5, '[<10]0" small"'),  # no condition matches a fraction
        (-15.0, "[>0]0;[<-10]0;0"),  # a negative number in another conditional section
        (0.001, "# ?/?"),  # a fraction rounding to nothing
        (1.0, "0.0[$xyz-409"),  # an unclosed bracket
        (1.0, "[Blinking]0"),  # not a colour Excel knows
        (1.0, "0 q"),  # a letter Excel would read as a code we do not know
        (1.5e-12, "General"),
    ],
)
def test_what_it_cannot_render_exactly_it_refuses(value, fmt):
    if fmt == "General":  # General's scientific form is exact; this one is certain
        assert numfmt.text(value, fmt) == "1.5E-12"
        return
    with pytest.raises(numfmt.FormatNotSupported):
        numfmt.text(value, fmt)


def test_dates_count_from_the_workbooks_epoch():
    assert numfmt.text(1, "yyyy-mm-dd", date1904=True) == "1904-01-02"
    assert numfmt.text(61, "yyyy-mm-dd ddd") == "1900-03-01 Thu"
    # Excel counts 1900 as a leap year (Microsoft's "Excel incorrectly assumes that the year
    # 1900 is a leap year"): serial 60 is 29 February 1900, serial 1 a Sunday
    assert numfmt.text(60, "yyyy-mm-dd dddd") == "1900-02-29 Wednesday"
    assert numfmt.text(1, "dddd") == "Sunday"


#: Everyday formats, checked against LibreOffice's own TEXT(). Left out: the places where
#: Excel's stored values (POI's books above) show that LibreOffice differs from Excel:
#: times are rounded to the shown second (DateFormatNumberTests: 00:04:37.638 → "00:04:38";
#: LibreOffice truncates), a trailing point stays ("#,##.#" → "1,234,567."), General
#: switches to E+ from 11 digits, a zero in an exponent format fills every placeholder, and
#: days before 1900-03-01 follow Excel's leap-year bug (LibreOffice: 0 is 1899-12-30).
EVERYDAY_FORMATS = (
    "0", "0.00", "#,##0", "#,##0.00", "$#,##0.00_);($#,##0.00)", "0%", "0.0%", "0.00E+00",
    "# ?/?", "# ??/??", "?/4", "0.0,", '#,##0,,"M"', "mm/dd/yyyy", "d-mmm-yy",
    "dddd, mmmm d, yyyy", "h:mm AM/PM", "h:mm:ss", "[h]:mm:ss", "mm:ss.0", "yyyy-mm-dd hh:mm",
    "General", '0.00;(0.00);"zero"', "[Red]0.0;[Blue]-0.0", '"$"#,##0.00', "000-00-0000",
    "#,##0.00 \\€", "[$-409]mmmm d, yyyy", "0.000", '0 "units"', "@", "00000", "ddd",
    "mmm-yy", "h AM/PM", "[mm]:ss", '[>=1000]#,##0,"K";0',
)  # fmt: skip
EVERYDAY_VALUES = (
    0,
    1,
    -1,
    0.5,
    1234.625,
    -1234.625,
    45000.75,
    12345678.9,
    2.5,
    100,
    0.0425,
    "12.5",
    "abc",
)


@pytest.mark.libreoffice
def test_everyday_formats_equal_libreoffice(tmp_path):
    import openpyxl

    from tools import libreoffice

    wb = openpyxl.Workbook()
    ws = wb.active
    grid = []
    for fmt in EVERYDAY_FORMATS:
        for value in EVERYDAY_VALUES:
            row = len(grid) + 1
            ws.cell(row, 1, value)
            ws.cell(row, 2, fmt)
            ws.cell(row, 3, f"=TEXT(A{row},B{row})")
            grid.append((row, value, fmt))
    src = tmp_path / "grid.xlsx"
    wb.save(src)
    theirs = poi.cells(libreoffice.convert([src], tmp_path / "lo")[0])
    compared, differ = 0, []
    for row, value, fmt in grid:
        if _number(value) < 61 and re.search(r"[dy]", fmt):
            continue  # Excel's 1900 leap-year bug, which LibreOffice does not follow
        try:
            ours = numfmt.text(value, fmt)
        except numfmt.FormatNotSupported:
            continue
        compared += 1
        if ours != theirs[(ws.title, f"C{row}")].value:
            differ.append((fmt, value, ours, theirs[(ws.title, f"C{row}")].value))
    assert differ == []
    assert compared >= 0.8 * len(grid)


def _number(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except ValueError:
        return math.nan
