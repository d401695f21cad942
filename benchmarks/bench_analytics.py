"""The analytics pack at scale, each as ONE call: ATTRIBUTION over 100 000 paths (every
model, markov included) and AB_BAYES with 1 000 000-visitor groups.

    python benchmarks/bench_analytics.py [--paths 100000] [--visitors 1000000]

Prints a Markdown table (goal: under a second per call). The Excel function rows go
through the one table of Excel functions (what xlwings, Office.js and the refresh engine
call) with the ranges as nested lists, as xlwings hands them.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

import roi_xl  # noqa: E402
from roi_xl.multitouch import attribute  # noqa: E402

CHANNELS = ["search", "display", "email", "social", "owned", "affiliate", "video", "tv"]


def best(fn, repeat=3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def random_paths(n: int, seed: int = 1):
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, 7, n)
    picks = rng.integers(0, len(CHANNELS), lengths.sum())
    names = np.array(CHANNELS)[picks]
    bounds = np.cumsum(lengths)[:-1]
    paths = [" > ".join(p) for p in np.split(names, bounds)]
    conversions = rng.poisson(2, n).astype(float)
    non_conversions = rng.poisson(30, n).astype(float)
    values = conversions * rng.uniform(3_000, 12_000, n)
    return paths, conversions, values, non_conversions


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--paths", type=int, default=100_000)
    ap.add_argument("--visitors", type=int, default=1_000_000)
    args = ap.parse_args()
    paths, conv, vals, non = random_paths(args.paths)
    n = args.visitors
    rows: list[tuple[str, float]] = []
    for model in ["last", "linear", "time_decay", "markov"]:
        secs = best(lambda: attribute(paths, conv, model, vals, ">", non))
        rows.append((f"`attribute(...)`, model {model!r}, {args.paths:,} paths", secs))
    ab_cases = [
        ("2 %", (int(0.0205 * n), n, int(0.02 * n), n)),
        ("50 %", (int(0.501 * n), n, int(0.5 * n), n)),
    ]
    for label, case in ab_cases:
        for measure in ("prob_better", "expected_loss"):
            secs = best(lambda: roi_xl.ab_bayes(*case, measure))
            rows.append((f"`ab_bayes(...)`, {measure}, {n:,} per group at {label}", secs))
    try:
        from roi_xl.excel_functions import FUNCTIONS
    except ImportError:
        FUNCTIONS = {}
    if "ATTRIBUTION" in FUNCTIONS:
        col = lambda a: [[x] for x in a]  # noqa: E731
        p, c, v, z = col(paths), col(conv.tolist()), col(vals.tolist()), col(non.tolist())
        secs = best(lambda: FUNCTIONS["ATTRIBUTION"](p, c, "markov", v, ">", z))
        rows.append((f'Excel `=ATTRIBUTION(..., "markov", ...)`, {args.paths:,} rows', secs))
        secs = best(lambda: FUNCTIONS["AB_BAYES"](int(0.0205 * n), n, int(0.02 * n), n, "table"))
        rows.append((f'Excel `=AB_BAYES(..., "table")`, {n:,} per group at 2 %', secs))
    print(
        f"Analytics pack — Python {platform.python_version()}, NumPy {np.__version__}, "
        f"{platform.machine()}; best of 3\n"
    )
    print("| one call | seconds |")
    print("|---|---:|")
    for name, secs in rows:
        print(f"| {name} | {secs:.3f} |")


if __name__ == "__main__":
    main()
