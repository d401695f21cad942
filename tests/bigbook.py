"""One big workbook (tests and benchmarks), written as raw SpreadsheetML (openpyxl would take minutes at 10⁶ cells).

The case of issue 14: ``rows`` rows of arithmetic and IF on sheet ``Data`` (two formulas a
row) and 200 SUMIFS + 200 COUNTIF over whole columns on sheet ``Summary``; formulas only,
no cached values (as openpyxl writes them), so every engine computes every formula.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

SUMMARY_ROWS = 200

_CT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_BOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/>'
    '<sheet name="Summary" sheetId="2" r:id="rId2"/></sheets></workbook>'
)
_BOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>'
    "</Relationships>"
)
_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_TAIL = "</sheetData></worksheet>"


def rows_for(formulas: int) -> int:
    """Data rows giving about ``formulas`` formula cells in all."""
    return max(1, (formulas - 2 * SUMMARY_ROWS) // 2)


def data_sheet(rows: int) -> str:
    parts = [_HEAD]
    for i in range(1, rows + 1):
        parts.append(
            f'<row r="{i}"><c r="A{i}"><v>{i % 20}</v></c><c r="B{i}"><v>{(i * 37) % 1000 / 10}</v></c>'
            f'<c r="C{i}"><f>B{i}*1.5+A{i}</f></c>'
            f'<c r="D{i}"><f>IF(C{i}&gt;80,C{i}-80,0)</f></c></row>'
        )
    parts.append(_TAIL)
    return "".join(parts)


def summary_sheet() -> str:
    parts = [_HEAD]
    for k in range(1, SUMMARY_ROWS + 1):
        parts.append(
            f'<row r="{k}"><c r="A{k}"><v>{k % 20}</v></c>'
            f'<c r="B{k}"><f>SUMIFS(Data!C:C,Data!A:A,A{k})</f></c>'
            f'<c r="C{k}"><f>COUNTIF(Data!D:D,"&gt;"&amp;A{k})</f></c></row>'
        )
    parts.append(_TAIL)
    return "".join(parts)


def write(path: Path, formulas: int) -> int:
    """Write the workbook with about ``formulas`` formulas; return the exact count."""
    rows = rows_for(formulas)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _BOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS)
        z.writestr("xl/worksheets/sheet1.xml", data_sheet(rows))
        z.writestr("xl/worksheets/sheet2.xml", summary_sheet())
    return 2 * rows + 2 * SUMMARY_ROWS
