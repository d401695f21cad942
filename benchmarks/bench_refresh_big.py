"""One big workbook: ``roi-xl refresh`` vs LibreOffice headless vs formualizer alone.

    python benchmarks/bench_refresh_big.py                       # 10 000 and 100 000 formulas
    python benchmarks/bench_refresh_big.py --sizes 10000 100000 1000000

The workbook of issue 14 (:mod:`bigbook`): rows of arithmetic and IF, 200 SUMIFS and 200
COUNTIF over whole columns, formulas without cached values. Each side runs as a fresh
process, timed from outside with process start included, and its peak memory is the
largest resident set of its process tree. The sides run in turn, ``--repeat`` rounds
(default 3; a shared machine's speed drifts by a third within minutes), and each time is
the median with the range; the ratio is that of the medians:

- ``roi-xl refresh FILE`` (the command, default time and memory limits), then a second
  refresh of the refreshed file (nothing left to change);
- formualizer alone: ``Workbook.from_path`` + ``evaluate_all`` (load and evaluate timed
  inside too);
- reading every value of the refreshed file with openpyxl (read-only), for comparison
  with the second refresh;
- LibreOffice headless converting to xlsx with an always-recalculate profile.

The values of every formula cell are compared (openpyxl, read-only) between roi-xl's file
and LibreOffice's.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from tests import bigbook  # noqa: E402
from bench_refresh import _READ, byte_compile, equal  # noqa: E402

# Runs a command and reports its wall time and the peak RSS of its process tree.
_MEASURE = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
run = subprocess.run(sys.argv[1:], capture_output=True, text=True)
seconds = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "rc": run.returncode,
                  "out": run.stdout[-2000:], "err": run.stderr[-2000:]}))
"""

_ENGINE_ALONE = """
import sys, time
t0 = time.perf_counter()
import formualizer as fz
t1 = time.perf_counter()
wb = fz.Workbook.from_path(sys.argv[1])
t2 = time.perf_counter()
wb.evaluate_all()
t3 = time.perf_counter()
print(f"import {t1 - t0:.3f} load {t2 - t1:.3f} evaluate {t3 - t2:.3f}")
"""

_LIBREOFFICE = """
import sys
from tools.libreoffice import convert
convert([sys.argv[1]], sys.argv[2], timeout=3600)
"""


def measure(cmd: list[str]) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, *cmd], capture_output=True, text=True, cwd=ROOT
    )
    result = json.loads(out.stdout)
    if result["rc"] != 0:
        raise RuntimeError(f"{cmd} failed: {result['err']}{result['out']}")
    return result


def formula_values(path: Path) -> dict:
    formulas = openpyxl.load_workbook(path, read_only=True)
    values = openpyxl.load_workbook(path, read_only=True, data_only=True)
    out = {}
    for ws in formulas:
        for row_f, row_v in zip(ws.iter_rows(), values[ws.title].iter_rows()):
            for f, v in zip(row_f, row_v):
                if isinstance(f.value, str) and f.value.startswith("="):
                    out[(ws.title, f.coordinate)] = v.value
    return out


def run(size: int, compare: bool, repeat: int = 3) -> list[tuple[str, ...]]:
    """``repeat`` rounds, each side once a round in turn (a fresh copy for every first
    refresh), so that a slow spell of the machine hits both sides alike."""
    with tempfile.TemporaryDirectory(prefix="bench_big_") as tmp:
        tmp = Path(tmp)
        src = tmp / f"big{size}.xlsx"
        count = bigbook.write(src, size)
        ours = tmp / "ours" / src.name
        ours.parent.mkdir()
        refresh = [sys.executable, "-m", "roi_xl.cli", "refresh", str(ours), "-q", "--no-backup"]
        runs: dict[str, list[dict]] = {"first": [], "second": [], "alone": [], "lo": []}
        for _ in range(repeat):
            shutil.copyfile(src, ours)
            os.sync()  # the copy's writes are not charged to the refresh's fsync
            runs["first"].append(measure(refresh))
            runs["second"].append(measure(refresh))
            runs["alone"].append(measure([sys.executable, "-c", _ENGINE_ALONE, str(src)]))
            shutil.rmtree(tmp / "lo", ignore_errors=True)
            runs["lo"].append(
                measure([sys.executable, "-c", _LIBREOFFICE, str(src), str(tmp / "lo")])
            )
        reading = measure([sys.executable, "-c", _READ, str(ours.parent)])
        same = "not compared"
        if compare:
            a, b = formula_values(ours), formula_values(tmp / "lo" / src.name)
            same = "values equal" if a.keys() == b.keys() and equal(a, b) else "VALUES DIFFER"
    label = f"{count:,} formulas"

    def row(name: str, rs: list[dict], note: str = "") -> tuple[str, ...]:
        return (label, name, spread([r["seconds"] for r in rs]), peak(rs), note)

    lo, first = runs["lo"], runs["first"]
    ratios = [a["seconds"] / b["seconds"] for a, b in zip(lo, first)]
    ratio = median([r["seconds"] for r in lo]) / median([r["seconds"] for r in first])
    return [
        row(
            "roi-xl refresh",
            first,
            f"**{ratio:.1f}×** LibreOffice (rounds: {min(ratios):.1f}–{max(ratios):.1f}×)",
        ),
        row("roi-xl refresh again (nothing to change)", runs["second"]),
        row("formualizer alone (load + evaluate)", runs["alone"], runs["alone"][-1]["out"].strip()),
        row("reading every value (openpyxl, read-only)", [reading]),
        row("LibreOffice headless", lo, same),
    ]


def median(values: list[float]) -> float:
    return statistics.median(values)


def spread(seconds: list[float]) -> str:
    """The median, and the range when there is more than one run."""
    text = f"{median(seconds):.2f} s"
    return text if len(seconds) == 1 else f"{text} ({min(seconds):.2f}–{max(seconds):.2f})"


def peak(runs: list[dict]) -> str:
    return f"{max(r['peak_mb'] for r in runs):.0f} MB"


def main() -> None:
    byte_compile()
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--no-compare", action="store_true", help="skip the value comparison")
    ap.add_argument(
        "--repeat", type=int, default=3, help="rounds of each side, in turn (default 3)"
    )
    args = ap.parse_args()
    print("| workbook | run | time: median (range) | peak memory | note |")
    print("|---|---|---|---|---|")
    for size in args.sizes:
        for r in run(size, not args.no_compare, args.repeat):
            print("| " + " | ".join(r) + " |", flush=True)


if __name__ == "__main__":
    main()
