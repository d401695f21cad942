"""The overrides of engine built-ins that answered unlike Excel (roi_xl/refresh/builtin_fixes.py):
one workbook refreshed by ``refresh_file`` and recalculated by LibreOffice headless; each
case equals LibreOffice's value, or Microsoft's documented one (URL by the case) where
LibreOffice differs from Excel or lacks the function; the inputs an override is not sure
of are kept with a reason, never written.
"""

from __future__ import annotations

import datetime as dt
import math
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils.datetime import to_excel

from tools import libreoffice

LO = object()  #: the expected value is LibreOffice's
KEPT = object()  #: the cell must keep Excel's value
MS_CEILING = (
    "https://support.microsoft.com/office/ceiling-function-0a5cd7c8-0720-4f0a-bd2c-c943e510899f"
)
MS_FLOOR = (
    "https://support.microsoft.com/office/floor-function-14bb497c-24f2-4e04-b327-b0b4de5a8886"
)
MS_CMATH = "https://support.microsoft.com/office/ceiling-math-function-80f95d2f-b499-4eee-9f16-f795a8e306c8"
MS_FMATH = (
    "https://support.microsoft.com/office/floor-math-function-c302b599-fbdb-4177-ba19-2c2b1249a2f5"
)
MS_GCD = "https://support.microsoft.com/office/gcd-function-d5107a51-69e3-461f-8e4c-ddfc21b5073a"
MS_DB = "https://support.microsoft.com/office/db-function-354e7d28-5f93-4ff1-8a52-eb4ee549d9d7"
MS_DATE = "https://support.microsoft.com/office/date-function-e36c0c8c-4104-49da-ab83-82328b832349"
MS_TEXTBEFORE = (
    "https://support.microsoft.com/office/textbefore-function-d099c28a-dba8-448e-ac6c-f086d0fa1b29"
)
MS_TEXTAFTER = (
    "https://support.microsoft.com/office/textafter-function-c8db2546-5b51-416a-9690-c7e6722e90b4"
)

#: Data!A1:A6 and B1:B3 (dates in D1:D6).
DATA = [[12.0, 2.0], [18.0, -2.0], [30.0, 0.5], [None, None], [-7.25, None], [4.35, 0.05]]

CASES: list[tuple[str, Any, str]] = [
    # CEILING / FLOOR: negative significances (LibreOffice agrees with Microsoft's rules)
    ("=CEILING(-2.5,-2)", LO, MS_CEILING),
    ("=CEILING(1.5,-1)", "#NUM!", MS_CEILING),  # LibreOffice says #VALUE!
    ("=CEILING(-2.5,2)", LO, MS_CEILING),
    ("=CEILING(2.5,1)", LO, ""),
    ("=CEILING(0.234,0.01)", LO, ""),
    ("=CEILING(Data!A5,Data!B2)", LO, ""),
    ("=CEILING(Data!A6,Data!B6)", LO, ""),
    ("=FLOOR(-2.5,-2)", LO, MS_FLOOR),
    ("=FLOOR(-2.5,2)", LO, MS_FLOOR),
    ("=FLOOR(3.7,2)", LO, MS_FLOOR),
    ("=FLOOR(1.58,0.1)", LO, MS_FLOOR),
    ("=FLOOR(Data!A6,Data!B6)", LO, ""),  # 4.35: the engine's own said 4.3
    ("=FLOOR(2.5,-2)", "#NUM!", MS_FLOOR),
    ("=CEILING(2.5,0)", KEPT, "undocumented"),
    # CEILING.MATH / FLOOR.MATH (Microsoft's examples)
    ("=_xlfn.CEILING.MATH(24.3,5)", 25.0, MS_CMATH),
    ("=_xlfn.CEILING.MATH(6.7)", 7.0, MS_CMATH),
    ("=_xlfn.CEILING.MATH(-8.1,2)", -8.0, MS_CMATH),
    ("=_xlfn.CEILING.MATH(-5.5,2,-1)", -6.0, MS_CMATH),
    ("=_xlfn.FLOOR.MATH(24.3,5)", 20.0, MS_FMATH),
    ("=_xlfn.FLOOR.MATH(6.7)", 6.0, MS_FMATH),
    ("=_xlfn.FLOOR.MATH(-8.1,2)", -10.0, MS_FMATH),
    ("=_xlfn.FLOOR.MATH(-5.5,2,-1)", -4.0, MS_FMATH),
    # GCD / LCM
    ("=GCD(24,36,60)", LO, ""),
    ("=GCD(Data!A1:A3)", LO, ""),
    ("=GCD(Data!A1:A4,9)", LO, ""),
    ("=GCD(5,2.9)", LO, ""),
    ("=GCD(-1,4)", "#NUM!", MS_GCD),  # LibreOffice says #VALUE!
    ("=LCM(24,36,5)", LO, ""),
    ("=LCM(Data!A1:A3)", LO, ""),
    ("=LCM(0,5)", LO, ""),
    ("=LCM(Data!A1:A4)", KEPT, "a blank among LCM's numbers"),
    # DB (Microsoft's example: the seventh year of a six-year life begun in month 7)
    ("=DB(1000000,100000,6,1,7)", LO, MS_DB),
    ("=DB(1000000,100000,6,2,7)", LO, MS_DB),
    ("=DB(1000000,100000,6,6,7)", LO, MS_DB),
    ("=DB(1000000,100000,6,7,7)", LO, MS_DB),
    ("=DB(10000,1000,5,3)", LO, ""),
    # DATE (Excel's 1900 is a leap year: serial 60 is 29 February 1900)
    ("=DATE(1900,2,29)", 60.0, MS_DATE),
    ("=DATE(1900,1,1)", 1.0, MS_DATE),
    ("=DATE(1900,3,1)", LO, ""),
    ("=DATE(2024,14,1)", LO, MS_DATE),
    ("=DATE(2024,1,-5)", LO, ""),
    ("=DATE(108,1,2)", 39449.0, MS_DATE),  # 2 January 2008; LibreOffice says #VALUE!
    ("=DATE(2024,0,31)", LO, ""),
    ("=DATE(-1,1,1)", "#NUM!", MS_DATE),
    # DATEDIF "yd"
    ('=DATEDIF(Data!D1,Data!D2,"yd")', LO, ""),  # 2024-01-15..2024-09-01: 230
    ('=DATEDIF(Data!D3,Data!D4,"yd")', LO, ""),  # 2021-10-03..2023-03-01
    ('=DATEDIF(Data!D3,Data!D2,"yd")', KEPT, "a 29 February between the dates"),
    ('=DATEDIF(Data!D1,Data!D2,"m")', LO, ""),
    ('=DATEDIF(Data!D1,Data!D2,"d")', LO, ""),
    # VALUE
    ('=VALUE("1,000.5")', LO, ""),
    ('=VALUE("-12,345")', LO, ""),
    ('=VALUE("16:48:00")', LO, ""),
    ('=VALUE("$1,000")', KEPT, "currency: Excel's language"),
    ('=IFERROR(VALUE("$1,000"),0)', KEPT, "kept inside a catcher"),
    # TEXTBEFORE / TEXTAFTER (LibreOffice 7.4 lacks them)
    ('=_xlfn.TEXTBEFORE("abc","x",1,0,0,"none")', "none", MS_TEXTBEFORE),
    ('=_xlfn.TEXTBEFORE("a-b-c","-",2,0)', "a-b", MS_TEXTBEFORE),
    ('=_xlfn.TEXTBEFORE("Red riding hood","RIDING",1,1)', "Red ", MS_TEXTBEFORE),
    ('=_xlfn.TEXTBEFORE("a-b-c","-",-1)', "a-b", MS_TEXTBEFORE),
    ('=_xlfn.TEXTBEFORE("abc","x")', "#N/A", MS_TEXTBEFORE),
    ('=_xlfn.TEXTAFTER("a-b-c","-",1,0,0,"none")', "b-c", MS_TEXTAFTER),
    ('=_xlfn.TEXTAFTER("a-b_c",{"-","_"},2)', "c", MS_TEXTAFTER),
    ('=_xlfn.TEXTAFTER("abc","x",1,0,0,"none")', "none", MS_TEXTAFTER),
    ('=_xlfn.TEXTAFTER("abc","b",1,0,1)', KEPT, "match_end"),
]


def _close(a: Any, b: Any) -> bool:
    if isinstance(b, dt.datetime):  # LibreOffice formats DATE's cell as a date
        b = to_excel(b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a == b


@pytest.mark.libreoffice
def test_overrides_equal_libreoffice_or_microsoft(tmp_path: Path) -> None:
    from roi_xl.refresh import refresh_file

    book = tmp_path / "fixes.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Cases"
    data = wb.create_sheet("Data")
    for r, row in enumerate(DATA, start=1):
        for c, v in enumerate(row, start=1):
            if v is not None:
                data.cell(r, c, v)
    dates = [dt.date(2024, 1, 15), dt.date(2024, 9, 1), dt.date(2021, 10, 3), dt.date(2023, 3, 1)]
    for r, d in enumerate(dates, start=1):
        data.cell(r, 4, d)
    for r, (formula, _, _) in enumerate(CASES, start=1):
        ws.cell(r, 1, formula[1:])  # the label
        ws.cell(r, 2, formula)
    wb.save(book)
    ours = tmp_path / "ours.xlsx"
    shutil.copy(book, ours)
    report = refresh_file(ours, backup=False)
    assert not report.failed, report.reason
    kept = {k.cell for k in report.kept_cells}
    got = openpyxl.load_workbook(ours, data_only=True)["Cases"]
    (lo_path,) = libreoffice.convert([book], tmp_path / "lo")
    theirs = openpyxl.load_workbook(lo_path, data_only=True)["Cases"]
    problems = []
    for r, (formula, expected, source) in enumerate(CASES, start=1):
        where = f"Cases!B{r}"
        if expected is KEPT:
            if where not in kept:
                problems.append(f"{formula}: computed {got.cell(r, 2).value!r}, must be kept")
            continue
        if where in kept:
            problems.append(f"{formula}: kept, expected computed")
            continue
        want = theirs.cell(r, 2).value if expected is LO else expected
        if not _close(got.cell(r, 2).value, want):
            problems.append(
                f"{formula}: ours {got.cell(r, 2).value!r}, reference {want!r} {source}"
            )
    assert not problems, "\n".join(problems)
