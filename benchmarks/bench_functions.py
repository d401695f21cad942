"""ROI over 1 000 000 rows: our vectorised paths against the bare NumPy expression and
against one call per row, in the same run.

    python benchmarks/bench_functions.py [--rows 1000000] [--per-row-sample 100000]

Prints a Markdown table. Per-row calls are timed on a sample and scaled to all rows.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "udfs")]

import roi_udfs  # noqa: E402
import roi_xl  # noqa: E402


def best(fn, repeat=5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--per-row-sample", type=int, default=100_000)
    args = ap.parse_args()
    n = args.rows
    rng = np.random.default_rng(1)
    r = rng.uniform(1e5, 1e7, n)
    c = rng.uniform(0, 1e5, n)
    i = rng.uniform(1e4, 1e6, n)
    col = lambda a: a.reshape(-1, 1).tolist()  # noqa: E731  what xlwings hands a UDF (ndim=2)
    rl, cl, il = col(r), col(c), col(i)

    bare = best(lambda: (r - c - i) / i)
    lib = best(lambda: roi_xl.roi(r, c, i))
    np.testing.assert_allclose(roi_xl.roi(r, c, i), (r - c - i) / i)

    def bare_lists():
        R, C, I = np.asarray(rl), np.asarray(cl), np.asarray(il)
        return ((R - C - I) / I).tolist()

    bare_l = best(bare_lists, 3)
    udf = best(lambda: roi_udfs.ROI(rl, cl, il), 3)
    assert roi_udfs.ROI(rl[:5], cl[:5], il[:5]) == bare_lists()[:5]

    k = min(args.per_row_sample, n)
    t = time.perf_counter()
    for j in range(k):
        roi_udfs.ROI(r[j], c[j], i[j])
    per_row_udf = (time.perf_counter() - t) * n / k
    t = time.perf_counter()
    rs, cs, is_ = r[:k].tolist(), c[:k].tolist(), i[:k].tolist()
    for j in range(k):
        roi_xl.roi(rs[j], cs[j], is_[j])
    per_row_lib = (time.perf_counter() - t) * n / k

    print(
        f"ROI over {n:,} rows — Python {platform.python_version()}, NumPy {np.__version__}, "
        f"{platform.machine()}; per-row timed on {k:,} rows and scaled\n"
    )
    print("| path | seconds | vs bare NumPy | speed-up vs per-row UDF calls |")
    print("|---|---:|---:|---:|")
    rows = [
        ("bare NumPy `(r - c - i) / i` (float arrays)", bare, bare),
        ("`roi_xl.roi(r, c, i)` (float arrays, with error checks)", lib, bare),
        ("bare NumPy incl. list → array → list conversion", bare_l, bare_l),
        ("`roi_udfs.ROI` on column ranges (nested lists, as xlwings hands them)", udf, bare_l),
        ("`roi_xl.roi` called once per row", per_row_lib, bare),
        ("`roi_udfs.ROI` called once per row", per_row_udf, bare_l),
    ]
    for name, secs, ref in rows:
        print(f"| {name} | {secs:.4f} | {secs / ref:.2f}× | {per_row_udf / secs:,.0f}× |")


if __name__ == "__main__":
    main()
