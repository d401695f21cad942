"""Refresh throughput: ``roi-xl refresh`` vs LibreOffice headless, same files, same run.

    /work/venv/bin/python benchmarks/bench_refresh.py            # 100 workbooks
    /work/venv/bin/python benchmarks/bench_refresh.py --n 1000 --jobs-compare

Both sides are timed as a fresh process over the whole batch (process start included), in
turn, ``--repeat`` rounds (default 3; a shared machine's speed drifts by a third within
minutes): times are medians with their range, the ratio is that of the medians:
``roi-xl refresh DIR`` (``python -m roi_xl.cli refresh``) and one ``soffice --convert-to
xlsx`` over every file with a profile that recalculates on load. The values of every cell
must be equal. Also timed: a second refresh (nothing left to change), reading every value
of the files with openpyxl (read-only) for comparison, and the first-file latency (one
workbook, process start included; best of five) beside LibreOffice's.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.libreoffice import convert  # noqa: E402


def make_budgets(n: int, directory: Path) -> list[Path]:
    """``n`` budget-template-like workbooks: a few dozen SUM/ROUNDUP/IF/percent formulas."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(n):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Budget"
        ws.append(["channel", "budget", "cpc", "clicks", "cvr", "deals", "share", "flag"])
        rows = 8
        for i in range(2, rows + 2):
            ws.append(
                [
                    f"ch{i}",
                    100_000 + 1_000 * ((i * 7 + k) % 13),
                    50 + (i + k) % 9,
                    f"=ROUNDUP(B{i}/C{i},0)",
                    0.01 + 0.002 * ((i + k) % 5),
                    f"=ROUNDUP(D{i}*E{i},0)",
                    f"=B{i}/B${rows + 2}",
                    f'=IF(F{i}>=20,"ok","low")',
                ]
            )
        t = rows + 2
        ws[f"A{t}"] = "total"
        for col in "BDF":
            ws[f"{col}{t}"] = f"=SUM({col}2:{col}{t - 1})"
        ws[f"G{t}"] = f"=SUM(G2:G{t - 1})"
        ws[f"E{t}"] = f"=IF(D{t}=0,0,F{t}/D{t})"
        ws[f"C{t}"] = f"=ROUND(B{t}/D{t},2)"
        path = directory / f"budget_{k:04d}.xlsx"
        wb.save(path)
        paths.append(path)
    return paths


#: file name → cells that call roi_xl functions by intent (``add_in_cells``): LibreOffice
#: cannot compute them (#NAME?), so they are left out of the value comparison (the template
#: tests compare them with the library instead).
ADD_IN: dict[str, set[str]] = {}


def make_templates(n: int, directory: Path) -> list[Path]:
    """``n`` roi_xl template workbooks (every template, both languages, in turn), saved
    once more by openpyxl so that they carry no cached values: both engines compute all.
    ``mmm`` is left out: most of its cells are =MMM(...) calls or read them, which
    LibreOffice cannot compute, so the two engines' times would not measure the same work
    (its refresh is checked by the template tests)."""
    from roi_xl.templates import NAMES, write
    from roi_xl.templates.builder import add_in_cells

    directory.mkdir(parents=True, exist_ok=True)
    kinds = [(name, lang) for name in NAMES if name != "mmm" for lang in ("ja", "en")]
    paths = []
    for k in range(n):
        name, lang = kinds[k % len(kinds)]
        path = directory / f"{k:04d}-{name}-{lang}.xlsx"
        ADD_IN[path.name] = set(add_in_cells(name, lang))
        if k < len(kinds):
            write(name, path, lang)
            openpyxl.load_workbook(path).save(path)
        else:
            shutil.copyfile(paths[k % len(kinds)], path)
        paths.append(path)
    return paths


def convert_in_chunks(files: list[Path], outdir: Path, chunk: int = 200) -> list[Path]:
    """LibreOffice over many files: one soffice process per ``chunk`` files (one process
    for a thousand files stops writing partway), process start included."""
    out: list[Path] = []
    for i in range(0, len(files), chunk):
        out += convert(files[i : i + chunk], outdir, timeout=3600)
    return out


def values(path: Path) -> dict:
    wb = openpyxl.load_workbook(path, data_only=True)
    return {(ws.title, c.coordinate): c.value for ws in wb for row in ws.iter_rows() for c in row}


def equal(a: dict, b: dict, skip: set[str] = frozenset()) -> bool:
    for key in a.keys() | b.keys():
        if key[1] in skip:
            continue
        x, y = a.get(key), b.get(key)
        if isinstance(x, (int, float)) and isinstance(y, (int, float)):
            if abs(x - y) > 1e-9 * max(1, abs(x)):
                return False
        elif x != y:
            return False
    return True


def time_refresh(directory: Path, jobs: int | None) -> float:
    """``roi-xl refresh DIR`` as a fresh process (the CLI's own entry), timed from outside."""
    cmd = [sys.executable, "-m", "roi_xl.cli", "refresh", str(directory), "-q", "--no-backup"]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    return _timed(cmd)


def _timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, capture_output=True)
    return time.perf_counter() - start


#: Reading every cell value of the workbooks in a folder, as a user's script would.
_READ = (
    "import openpyxl, pathlib, sys\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.xlsx')):\n"
    "    for ws in openpyxl.load_workbook(p, read_only=True, data_only=True):\n"
    "        list(ws.iter_rows(values_only=True))\n"
)


def time_reading(directory: Path) -> float:
    """Reading every value of every workbook with openpyxl (read-only), a fresh process."""
    return _timed([sys.executable, "-c", _READ, str(directory)])


def first_file(src: Path, tmp: Path, runs: int = 5) -> tuple[float, float]:
    """One workbook, process start included: the best of ``runs`` for roi-xl refresh, and
    LibreOffice converting the same file once."""
    one = tmp / "one"
    one.mkdir()
    best = float("inf")
    for _ in range(runs):
        shutil.copyfile(src, one / src.name)
        best = min(best, time_refresh(one, None))
    start = time.perf_counter()
    convert([src], tmp / "one-lo", timeout=600)
    return best, time.perf_counter() - start


def run(
    n: int, jobs_compare: bool, kind: str = "templates", repeat: int = 3
) -> list[tuple[str, str, str]]:
    """``repeat`` rounds, roi-xl and LibreOffice in turn on fresh copies, so that a slow
    spell of the machine hits both sides alike; times are medians (with the range)."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench_refresh_") as tmp:
        tmp = Path(tmp)
        make = make_templates if kind == "templates" else make_budgets
        files = make(n, tmp / "src")
        t_ours, t_again, t_lo = [], [], []
        for r in range(repeat):
            ours = tmp / f"ours{r}"
            shutil.copytree(tmp / "src", ours)
            os.sync()  # the copies' writes are not charged to the refresh's fsyncs
            t_ours.append(time_refresh(ours, None))
            t_again.append(time_refresh(ours, None))
            start = time.perf_counter()
            lo = convert_in_chunks(files, tmp / f"lo{r}")
            t_lo.append(time.perf_counter() - start)
        t_read = time_reading(ours)
        same = all(
            equal(values(ours / f.name), values(o), ADD_IN.get(f.name, set()))
            for f, o in zip(files, lo)
        )
        ratios = [b / a for a, b in zip(t_ours, t_lo)]
        mid = statistics.median
        rows.append(
            (
                f"{n} {kind}, roi-xl refresh (jobs=CPUs)",
                spread(t_ours),
                f"{n / mid(t_ours):.1f} files/s",
            )
        )
        rows.append(
            (f"{n} {kind}, LibreOffice headless", spread(t_lo), f"{n / mid(t_lo):.1f} files/s")
        )
        rows.append(
            (
                "throughput ratio (refresh ÷ LibreOffice)",
                f"**{mid(t_lo) / mid(t_ours):.1f}×** (rounds: {min(ratios):.1f}–{max(ratios):.1f}×)",
                "values equal" if same else "VALUES DIFFER",
            )
        )
        rows.append(
            (
                f"{n} {kind}, roi-xl refresh again (nothing to change)",
                spread(t_again),
                f"{n / mid(t_again):.1f} files/s",
            )
        )
        rows.append(
            (
                f"{n} {kind}, reading every value (openpyxl, read-only)",
                f"{t_read:.2f} s",
                f"{n / t_read:.1f} files/s",
            )
        )
        t_one, t_one_lo = first_file(files[0], tmp)
        rows.append(
            (
                f"first file: one {kind[:-1]}, process start included (best of 5)",
                f"{t_one:.2f} s",
                f"LibreOffice: {t_one_lo:.2f} s",
            )
        )
        if jobs_compare:
            for jobs in (1, 2):
                d = tmp / f"jobs{jobs}"
                shutil.copytree(tmp / "src", d)
                os.sync()
                t = time_refresh(d, jobs)
                rows.append((f"{n} {kind}, --jobs {jobs}", f"{t:.2f} s", f"{n / t:.1f} files/s"))
    return rows


def spread(seconds: list[float]) -> str:
    """The median, and the range when there is more than one run."""
    text = f"{statistics.median(seconds):.2f} s"
    return text if len(seconds) == 1 else f"{text} ({min(seconds):.2f}–{max(seconds):.2f})"


def byte_compile() -> None:
    """Byte-compile roi_xl as ``pip install`` does: without it (a fresh checkout, and
    PYTHONDONTWRITEBYTECODE set) every process compiles our modules anew (~0.07 s each)."""
    import compileall

    compileall.compile_dir(ROOT / "roi_xl", quiet=1)


def main() -> None:
    byte_compile()
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--jobs-compare", action="store_true")
    ap.add_argument(
        "--repeat", type=int, default=3, help="rounds of each side, in turn (default 3)"
    )
    ap.add_argument(
        "--kind",
        choices=["templates", "budgets"],
        default="templates",
        help="roi_xl templates (default) or small synthetic budget sheets",
    )
    args = ap.parse_args()
    rows = run(args.n, args.jobs_compare, args.kind, args.repeat)
    print("| case | time | throughput |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
