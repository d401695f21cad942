"""The demo and the batch example, as a user runs them."""

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import roi_xl
from roi_xl.templates import NAMES
from roi_xl.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo") / "roi-xl-demo"
    assert main(["--lang", "en", "demo", str(folder)]) == 0
    return folder


def test_demo_writes_every_template_in_both_languages_with_cached_values(demo_dir):
    files = sorted(p.name for p in demo_dir.glob("*.xlsx"))
    assert len(files) == 2 * len(NAMES) and "attribution-ja.xlsx" in files
    values = roi_xl.named_values(
        demo_dir / "funnel-budget-ja.xlsx", ["required_top", "required_deals"]
    )
    assert values == {"required_top": 721, "required_deals": 6}
    # pandas sees numbers at once (cached values), no Excel involved
    frame = pd.read_excel(demo_dir / "roi-en.xlsx", header=None)
    numbers = pd.to_numeric(frame.stack(), errors="coerce").dropna()
    assert any(abs(numbers - roi_xl.roi(10e6, 3.5e6, 2.72e6)) < 1e-12)


def test_collect_roi_example_builds_one_dataframe_and_an_overview(demo_dir, tmp_path):
    out = tmp_path / "overview.xlsx"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "collect_roi.py"), str(demo_dir), "-o", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    frame = pd.read_excel(out)
    assert len(frame) == 2 * len(NAMES)
    roi = frame.set_index(frame.workbook.map(lambda p: Path(p).name))
    assert roi.loc["roi-ja.xlsx", "roi"] == pytest.approx(1.3897, abs=1e-4)
    assert roi.loc["marketing-roi-en.xlsx", "marketing_roi"] == pytest.approx(1.5)
    assert roi.loc["funnel-budget-en.xlsx", "required_budget"] == 721_000
    assert openpyxl.load_workbook(out).active["A1"].value == "workbook"
