"""The MMM benchmark scripts still run (they are not part of the product, but their tables
are in the README): one round of ``bench_mmm.py`` without PyMC-Marketing, and the
comparison table of ``pymc_recovery.py`` on a saved fit written here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_bench_mmm_prints_roi_xl_and_the_oracle():
    run = subprocess.run(
        [sys.executable, "benchmarks/bench_mmm.py", "--rounds", "1", "--seeds", "4", "--no-pymc"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    rows = [ln.split("|") for ln in run.stdout.splitlines() if ln.startswith("| 4 |")]
    assert [r[2].strip() for r in rows] == [
        "roi_xl, true forms",
        "roi_xl, defaults",
        "oracle: least squares, true curves",
    ]
    errors = [float(r[8]) for r in rows]  # large channels' ROAS error
    assert all(0 <= e < 1.5 for e in errors), errors


def test_pymc_recovery_compares_a_saved_fit(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import pymc_recovery
    finally:
        sys.path.pop(0)
    k, n, noise = pymc_recovery.SHAPES[0]
    sim = pymc_recovery.history(k, n, noise, 0)
    by = lambda v: dict(zip(sim.channel_names, map(float, v)))  # noqa: E731
    saved = {  # a "PyMC-Marketing" that found the truth exactly
        "k": k,
        "n": n,
        "noise": noise,
        "seed": 0,
        "roas": by(sim.roas),
        "roas_low": by(sim.roas * 0.9),
        "roas_high": by(sim.roas * 1.1),
        "share_of_effect": by(sim.share_of_effect),
    }
    (tmp_path / f"k{k}_n{n}_seed0.json").write_text(json.dumps(saved))
    run = subprocess.run(
        [sys.executable, "benchmarks/pymc_recovery.py", "compare", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("1 history of")
    row = next(ln for ln in run.stdout.splitlines() if ln.startswith("| PyMC-Marketing"))
    assert row.split("|")[2:7] == [" 100% ", " 0.0% ", " 0.0% ", " 100% ", " 100% "]
    assert any(ln.startswith("| roi_xl |") for ln in run.stdout.splitlines())
