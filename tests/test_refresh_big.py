"""A big workbook refreshes within the default limits (issue 12 item 2: the cost of every
step is linear; 200 000 formulas used to take minutes and were stopped by the 60 s limit).

No timing is asserted beyond the product's own limits; speed is in benchmarks/."""

from __future__ import annotations

import re
import zipfile

from roi_xl.refresh import refresh_files
from tests import bigbook


def _cached(path, part: str, refs: list[str]) -> dict[str, float]:
    with zipfile.ZipFile(path) as z:
        xml = z.read(part).decode()
    out = {}
    for ref in refs:
        m = re.search(rf'<c r="{ref}"[^>]*>(?:<f>[^<]*</f>)?<v>([^<]*)</v>', xml)
        out[ref] = float(m.group(1))
    return out


def test_200_000_formulas_refresh_within_the_default_limits(tmp_path):
    path = tmp_path / "big.xlsx"
    count = bigbook.write(path, 200_000)
    (report,) = refresh_files([path], progress=False, backup=False)
    assert (report.status, report.computed, report.kept) == ("refreshed", count, 0), report
    rows = bigbook.rows_for(200_000)
    a = [i % 20 for i in range(1, rows + 1)]
    c = [(i * 37) % 1000 / 10 * 1.5 + a[i - 1] for i in range(1, rows + 1)]
    data = _cached(path, "xl/worksheets/sheet1.xml", ["C7", f"D{rows}", f"C{rows}"])
    assert data["C7"] == c[6]
    assert data[f"C{rows}"] == c[-1] and data[f"D{rows}"] == (c[-1] - 80 if c[-1] > 80 else 0)
    summary = _cached(path, "xl/worksheets/sheet2.xml", ["B3", "C3"])
    assert abs(summary["B3"] - sum(x for x, k in zip(c, a) if k == 3)) < 1e-6 * summary["B3"]
    assert summary["C3"] == sum(1 for x in c if (x - 80 if x > 80 else 0) > 3)
    (again,) = refresh_files([path], progress=False, backup=False)
    assert (again.status, again.changed) == ("unchanged", 0), again
