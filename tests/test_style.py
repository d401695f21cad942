"""The tree stays formatted and free of pyflakes errors (CI runs this with the pinned ruff)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _ruff() -> list[str]:
    exe = Path(sys.executable).parent / "ruff"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("ruff")
    if found is None:
        pytest.fail("ruff is not installed: pip install '.[test]' brings the pinned version")
    return [found]


def test_tree_is_ruff_formatted():
    proc = subprocess.run(
        [*_ruff(), "format", "--check", "--diff", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 0, "run `ruff format .`:\n" + proc.stdout[-3000:] + proc.stderr


def test_tree_has_no_pyflakes_errors():
    proc = subprocess.run(
        [*_ruff(), "check", "--select", "F", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr
