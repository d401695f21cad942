"""The coverage table of Excel's functions (docs/function-coverage.md and .csv).

Every case of ``tests/function_cases.py`` goes into one workbook (openpyxl writes the
formula texts verbatim, with the prefixes Excel writes); ``refresh_file`` refreshes a copy,
LibreOffice headless recalculates another (one LibreOffice run for all cases), and each
case is:

- *equal*: computed by refresh and equal to the reference (numbers to 1e-9 relative),
- *kept*: refresh kept the cell and named why,
- *wrong*: computed and different from the reference,
- *unverified*: computed, with no reference to compare with.

The test fails on any wrong or unverified case, and when the docs are not the table this
run makes. Regenerate them with::

    ROI_XL_WRITE_COVERAGE=1 python -m pytest tests/test_function_coverage.py -q
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import shutil
import subprocess
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.formula import ArrayFormula

from tests import function_cases as fc
from tools import libreoffice

pytestmark = pytest.mark.libreoffice

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "function-coverage.md"
CSV = ROOT / "docs" / "function-coverage.csv"
WRITE = "ROI_XL_WRITE_COVERAGE"
REL = 1e-9
SHEET = "Cases"


@dataclass
class Placed:
    case: fc.Case
    row: int
    rows: int
    cols: int

    def cells(self) -> list[tuple[int, int]]:
        return [(self.row + r, 2 + c) for r in range(self.rows) for c in range(self.cols)]


def shape(case: fc.Case) -> tuple[int, int]:
    if isinstance(case.expected, list):
        return len(case.expected), len(case.expected[0])
    return case.shape


def build(path: Path) -> list[Placed]:
    """The workbook of every case: sheet Cases (label in A, formula in B) and sheet Data."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    data = wb.create_sheet("Data")
    for first, rows in fc.DATA:
        top = data[first]
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                if value is not None:
                    data.cell(top.row + r, top.column + c, value)
    placed, row = [], 1
    for case in fc.CASES:
        rows, cols = shape(case)
        ws.cell(row, 1, case.function)
        text = fc.file_formula(case.formula)
        if case.array:
            ref = f"B{row}:{get_column_letter(1 + cols)}{row + rows - 1}"
            ws[f"B{row}"] = ArrayFormula(ref, text)
        else:
            ws.cell(row, 2, text)
        placed.append(Placed(case, row, rows, cols))
        row += rows
    wb.save(path)
    return placed


def cell_values(path: Path) -> dict[tuple[int, int], Any]:
    ws = openpyxl.load_workbook(path, data_only=True)[SHEET]
    return {(c.row, c.column): c.value for row in ws.iter_rows(min_col=2) for c in row}


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return float(to_excel(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def same(a: Any, b: Any, digits: int = 0) -> bool:
    """Whether ``a`` is ``b``; numbers to :data:`REL`, or to the ``digits`` significant
    digits a source shows.

    >>> same(10.91914528, 10.9191453, 9), same(10.9215, 10.9191453, 9), same(True, 1)
    (True, False, False)
    """
    a, b = _plain(a), _plain(b)
    if isinstance(a, float) and isinstance(b, float):
        if digits and b:
            half = 0.5 * 10 ** (math.floor(math.log10(abs(b))) - digits + 1)
            return abs(a - b) <= half * (1 + 1e-9)
        return math.isclose(a, b, rel_tol=REL, abs_tol=1e-12)
    return type(a) is type(b) and a == b


#: What LibreOffice writes for a function it does not have.
LO_LACKS = ("#NAME?",)


def lo_version() -> str:
    exe = libreoffice.executable()
    try:
        out = subprocess.run(
            [exe, "--version"], check=True, capture_output=True, text=True, timeout=60
        )
        words = out.stdout.split()
        return "LibreOffice " + ".".join(words[1].split(".")[:2])
    except (OSError, subprocess.SubprocessError, IndexError):  # the version is only a label
        return "LibreOffice"


@dataclass
class Outcome:
    placed: Placed
    status: str  # equal, kept, wrong, unverified
    ours: Any
    reference: Any
    reference_name: str
    why: str = ""


def outcomes(tmp: Path) -> tuple[list[Outcome], str]:
    from roi_xl.refresh import refresh_file

    book = tmp / "functions.xlsx"
    placed = build(book)
    ours_path = tmp / "ours.xlsx"
    shutil.copy(book, ours_path)
    report = refresh_file(ours_path, backup=False)
    assert not report.failed, report.reason
    kept = {k.cell.split("!", 1)[1]: k for k in report.kept_cells if k.cell.startswith(SHEET)}
    ours = cell_values(ours_path)
    (lo_path,) = libreoffice.convert([book], tmp / "lo")
    theirs = cell_values(lo_path)
    lo = lo_version()
    out = []
    for p in placed:
        case = p.case
        refs = [f"{get_column_letter(c)}{r}" for r, c in p.cells()]
        got = [ours.get(rc) for rc in p.cells()]
        if case.expected is fc.FROM_LIBREOFFICE:
            want = [theirs.get(rc) for rc in p.cells()]
            name = lo if not any(w in LO_LACKS for w in want) else ""
        else:
            exp = case.expected
            want = [v for row in exp for v in row] if isinstance(exp, list) else [exp]
            name = case.source if exp is not None else ""
        shown_ours = got if p.rows * p.cols > 1 else got[0]
        shown_ref = want if p.rows * p.cols > 1 else want[0]
        held = [kept[r] for r in refs if r in kept]
        if held:
            why = held[0].why + (f" ({', '.join(held[0].functions)})" if held[0].functions else "")
            out.append(Outcome(p, "kept", shown_ours, shown_ref, name, why))
        elif not name:
            out.append(Outcome(p, "unverified", shown_ours, shown_ref, name))
        elif all(same(a, b, case.digits) for a, b in zip(got, want)):
            out.append(Outcome(p, "equal", shown_ours, shown_ref, name))
        else:
            out.append(Outcome(p, "wrong", shown_ours, shown_ref, name))
    return out, lo


# The table --------------------------------------------------------------------------------


@dataclass
class Row:
    function: str
    category: str
    status: str
    reason: str
    reference: str
    cases: int


def _short(name: str) -> str:
    if name.startswith("Microsoft documentation"):
        return "Microsoft documentation"
    return name


def table(results: list[Outcome]) -> list[Row]:
    by_function: dict[str, list[Outcome]] = defaultdict(list)
    for o in results:
        by_function[o.placed.case.function].append(o)
    rows = []
    for name in fc.all_functions():
        got = by_function.get(name, [])
        statuses = {o.status for o in got}
        refs = sorted({_short(o.reference_name) for o in got if o.reference_name})
        reasons = sorted({o.why for o in got if o.status == "kept"})
        outside = fc.OUTSIDE.get(name, "")
        if not got:
            status = "no case"
        elif "wrong" in statuses:
            status = "wrong"
        elif "unverified" in statuses:
            status = "unverified"
        elif statuses == {"equal"}:
            status = "computed"
        elif statuses == {"kept"}:
            status = "kept"
        else:
            status = "partly kept"
        reason = "; ".join(reasons)
        if outside:
            reason = f"{outside}" + (f"; {reason}" if reason else "")
        rows.append(Row(name, fc.category(name), status, reason, ", ".join(refs), len(got)))
    return rows


def counts(rows: list[Row]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for r in rows:
        out[r.status] += 1
    return dict(out)


def render(rows: list[Row], results: list[Outcome], lo: str) -> tuple[str, str]:
    n = counts(rows)
    inside = [r for r in rows if r.function not in fc.OUTSIDE]
    computed_inside = sum(r.status == "computed" for r in inside)
    share = 100 * computed_inside / len(inside)
    cases = len(results)
    case_n = defaultdict(int)
    for o in results:
        case_n[o.status] += 1
    md = io.StringIO()
    w = md.write
    w("# Excel function coverage of `roi-xl refresh`\n\n")
    w(
        "Generated by `tests/test_function_coverage.py` (do not edit by hand): every function "
        f"of Microsoft's [Excel functions (alphabetical)]({fc.LIST_URL}) list, with the cases of "
        "`tests/function_cases.py` written into one workbook as Excel writes them (`_xlfn.` "
        "prefixes), refreshed by `roi_xl.refresh.refresh_file` and compared with "
        f"{lo} headless (numbers to a relative 1e-9) or, where LibreOffice lacks the function or "
        "differs from Excel, with a value worked out from the function's page in Microsoft's "
        "documentation (the case names the page).\n\n"
        "Regenerate: `ROI_XL_WRITE_COVERAGE=1 python -m pytest tests/test_function_coverage.py -q` "
        "(the test fails when this file is stale, and on any wrong or unverified case).\n\n"
    )
    w("## Counts\n\n")
    w(f"- functions: {len(rows)}; cases: {cases}\n")
    for key in ("computed", "partly kept", "kept", "wrong", "unverified"):
        w(f"- {key}: {n.get(key, 0)}\n")
    w(
        f"- cases: {case_n.get('equal', 0)} computed and equal, {case_n.get('kept', 0)} kept, "
        f"{case_n.get('wrong', 0)} wrong, {case_n.get('unverified', 0)} unverified\n"
    )
    w(
        f"- computed among the {len(inside)} functions that are not volatile, external or "
        f"environment-dependent: {computed_inside} ({share:.1f} %)\n\n"
    )
    w(
        "A function is *computed* when every one of its cases is computed and equal to the "
        "reference, *partly kept* when some cases are kept (the cell keeps Excel's value and "
        "the refresh report names why), *kept* when all are.\n\n"
    )
    differ = [
        o
        for o in results
        if "LibreOffice" in o.placed.case.source and o.placed.case.source.startswith("Microsoft")
    ]
    if differ:
        w("## Where Excel and LibreOffice differ (Excel followed)\n\n")
        for o in differ:
            w(f"- `{o.placed.case.formula}`: Excel {o.reference!r} ({o.placed.case.source})\n")
        w("\n")
    w("## Functions\n\n| Function | Category | Status | Reason | Reference | Cases |\n")
    w("|---|---|---|---|---|---|\n")
    for r in rows:
        reason = r.reason.replace("|", "\\|")
        w(f"| {r.function} | {r.category} | {r.status} | {reason} | {r.reference} | {r.cases} |\n")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["function", "category", "status", "reason", "reference", "cases"])
    for r in rows:
        writer.writerow([r.function, r.category, r.status, r.reason, r.reference, r.cases])
    return md.getvalue(), out.getvalue()


def test_every_function_has_a_case():
    names = set(fc.all_functions())
    assert names >= {c.function for c in fc.CASES}
    assert not names - {c.function for c in fc.CASES}


def test_function_coverage_table(tmp_path):
    results, lo = outcomes(tmp_path)
    rows = table(results)
    md, table_csv = render(rows, results, lo)
    if os.environ.get(WRITE) == "1":
        DOC.write_text(md, encoding="utf-8")
        CSV.write_text(table_csv, encoding="utf-8")
    bad = [o for o in results if o.status in ("wrong", "unverified")]
    detail = "\n".join(
        f"{o.status}: {o.placed.case.function} {o.placed.case.formula} ours={o.ours!r} "
        f"reference={o.reference!r} ({o.reference_name or 'no reference'})"
        for o in bad
    )
    assert not bad, detail
    assert DOC.read_text(encoding="utf-8") == md, f"{DOC} is stale: run with {WRITE}=1"
    assert CSV.read_text(encoding="utf-8") == table_csv, f"{CSV} is stale: run with {WRITE}=1"
