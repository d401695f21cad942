"""The phases benchmark still runs against the code (it wraps refresh's phase functions by
name: a renamed one must fail here, not on the day someone measures)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_phases_benchmark_runs_and_accounts_for_the_refresh():
    script = ROOT / "benchmarks" / "bench_refresh_phases.py"
    args = ["--size", "30000", "--rounds", "1", "--no-libreoffice"]
    out = subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, cwd=ROOT
    )
    assert out.returncode == 0, out.stderr[-3000:]
    lines = out.stdout.splitlines()
    phases = {line.split(" | ")[0].lstrip("| ") for line in lines if line.count("|") == 6}
    # a sheet this big takes the early route: every phase shows up
    assert {
        "engine load (holds the GIL)",
        "engine evaluation (thread, no GIL)",
        "scan of the sheet XML",
        "values read and formatted",
        "values spliced into the XML",
        "expat check of the written XML",
        "deflate (thread, no GIL)",
        "written package read back",
    } <= phases, out.stdout
    assert any(line.startswith("| our per-cell Python") for line in lines), out.stdout
