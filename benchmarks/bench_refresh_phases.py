"""Where the time of one big refresh goes, phase by phase, and what is left for our Python.

    python benchmarks/bench_refresh_phases.py                     # 100 000 formulas, 5 rounds
    python benchmarks/bench_refresh_phases.py --size 10000 --rounds 9 --no-libreoffice

The workbook of issue 14 (:mod:`tests.bigbook`) is refreshed in process
(``refresh_file``, a fresh copy each round, the cyclic collector set as in a worker, every
core given, as the command gives a lone file) with each phase timed by wrapping the
function that does it (phase-level functions only, never a per-cell one: the wrappers cost
microseconds); the command (``python -m roi_xl.cli refresh``, worker process included) and
LibreOffice headless run on the same copies in the same rounds. The timeline shown is that
of the median round (by in-process time); the other figures are medians over the rounds.

The closing budget answers one question: with everything this refresh must do besides
its per-cell Python (start two processes, read, load, evaluate, check and write the
package), how close to LibreOffice's time divided by four can it get? "Per-cell Python" is
reading the engine's values and formatting them (``_evaluate``) plus splicing them into the sheet XML (``write_sheet``); the expat check of the
written XML is counted apart, since it is a guarantee (SPEC §6), not a cost to remove.
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from tests import bigbook  # noqa: E402
from bench_refresh import byte_compile  # noqa: E402
from bench_refresh_big import _ENGINE_ALONE, _LIBREOFFICE, measure  # noqa: E402

from roi_xl.refresh import engine, engine_input, recalc, worker, writer, xlsx  # noqa: E402

#: (label, owner, attribute): the phases, in the order they start
PHASES = [
    ("engine load (holds the GIL)", engine, "load"),
    ("engine evaluation (thread, no GIL)", recalc, "evaluate_all"),
    ("scan of the sheet XML", recalc, "scan"),
    ("the engine's view", engine_input, "build"),
    ("wait for the evaluation", recalc.EarlyEngine, "__exit__"),
    ("values read and formatted", recalc, "_evaluate"),
    ("values spliced into the XML", recalc, "write_sheet"),
    ("package written", xlsx, "write_package"),
    ("expat check of the written XML", writer, "check_xml"),
    ("deflate (thread, no GIL)", writer._Deflating, "_run"),
    ("written package read back", writer, "check_package"),
]


class Timeline:
    def __init__(self) -> None:
        self.t0 = 0.0
        self.calls: list[tuple[str, str, float, float]] = []  # label, thread, start, took

    def wrap(self, label: str, owner: object, attribute: str) -> None:
        original = getattr(owner, attribute)  # an AttributeError here: the code moved on

        @functools.wraps(original)
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                took = time.perf_counter() - start
                thread = (
                    "main" if threading.current_thread() is threading.main_thread() else "thread"
                )
                self.calls.append((label, thread, start - self.t0, took))

        setattr(owner, attribute, timed)

    def round(self) -> dict[str, tuple[str, float, float]]:
        """label → (thread, first start, total time) for the last round."""
        out: dict[str, tuple[str, float, float]] = {}
        for label, thread, start, took in self.calls:
            if label in out:
                t, s, total = out[label]
                out[label] = (t, min(s, start), total + took)
            else:
                out[label] = (thread, start, took)
        self.calls = []
        return out


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--size", type=int, default=100_000, help="formula cells (default 100 000)")
    ap.add_argument("--rounds", type=int, default=5, help="rounds (default 5)")
    ap.add_argument("--no-libreoffice", action="store_true", help="skip LibreOffice")
    args = ap.parse_args()
    byte_compile()
    worker.fewer_collections()  # as in the command's worker process
    timeline = Timeline()
    for label, owner, attribute in PHASES:
        timeline.wrap(label, owner, attribute)
    rounds: list[dict[str, tuple[str, float, float]]] = []
    totals, cli, lo, alone = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="bench_phases_") as tmp:
        tmp = Path(tmp)
        src = tmp / f"big{args.size}.xlsx"
        count = bigbook.write(src, args.size)
        copy = tmp / "copy.xlsx"
        for _ in range(args.rounds):
            shutil.copyfile(src, copy)
            timeline.t0 = time.perf_counter()
            report = recalc.refresh_file(copy, backup=False, cores=os.cpu_count() or 1)
            totals.append(time.perf_counter() - timeline.t0)
            assert report.status == "refreshed", report
            rounds.append(timeline.round())
            shutil.copyfile(src, copy)
            command = [
                sys.executable,
                "-m",
                "roi_xl.cli",
                "refresh",
                str(copy),
                "-q",
                "--no-backup",
            ]
            cli.append(measure(command)["seconds"])
            alone.append(_engine_alone(src))
            if not args.no_libreoffice:
                lo.append(
                    measure([sys.executable, "-c", _LIBREOFFICE, str(src), str(tmp / "lo")])[
                        "seconds"
                    ]
                )
    order = sorted(range(args.rounds), key=totals.__getitem__)
    pick = order[len(order) // 2]
    total, command = totals[pick], statistics.median(cli)
    print(f"\n{count:,} formulas, {args.rounds} rounds; the median round's timeline\n")
    print("| phase | thread | starts at | takes | ends at |\n|---|---|---|---|---|")
    med = {}
    for label, _, _ in PHASES:
        if label in rounds[pick]:
            thread, start, took = rounds[pick][label]
            med[label] = took
            print(f"| {label} | {thread} | {start:.3f} s | {took:.3f} s | {start + took:.3f} s |")
    print(f"| **in process, in all** | | | **{total:.3f} s** | |")
    per_cell = med["values read and formatted"] + med["values spliced into the XML"]
    load_eval = statistics.median(alone)
    print("\n| budget | seconds |\n|---|---|")
    print(f"| the command (`roi-xl refresh`, two processes) | {command:.3f} |")
    print(
        f"| of which outside the refresh (process starts, imports, exit) | {command - total:.3f} |"
    )
    print(f"| formualizer alone, in process (load + evaluate) | {load_eval:.3f} |")
    print(f"| our per-cell Python (values read and formatted, spliced) | {per_cell:.3f} |")
    print(
        f"| expat check of the written XML (kept: SPEC §6) | {med.get('expat check of the written XML', 0):.3f} |"
    )
    print(f"| the command without the per-cell Python | {command - per_cell:.3f} |")
    if lo:
        office = statistics.median(lo)
        print(f"| LibreOffice headless | {office:.3f} |")
        print(f"| LibreOffice ÷ 4 (issue 14's goal) | {office / 4:.3f} |")
        print(f"| ratio now | {office / command:.1f}× |")
        print(
            f"| ratio if the per-cell Python took no time | {office / (command - per_cell):.1f}× |"
        )


def _engine_alone(path: Path) -> float:
    """formualizer's own load + evaluate, in a process of its own (bench_refresh_big's)."""
    out = subprocess.run(
        [sys.executable, "-c", _ENGINE_ALONE, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    times = dict(zip(*[iter(out.stdout.split())] * 2))  # "import t load t evaluate t"
    return float(times["load"]) + float(times["evaluate"])


if __name__ == "__main__":
    main()
