"""Bad files are reported with a plain reason and left byte-identical; the batch goes on."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

from roi_xl.refresh import refresh_files
from roi_xl.refresh.engine import SLOW_HOOK
from tests import refresh_corpus as corpus


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("hostile")
    good = corpus.budget_openpyxl(d / "good.xlsx")
    src = corpus.budget_openpyxl(d / "src.tmpl")
    files = {
        "truncated": corpus.truncated(src, d / "truncated.xlsx"),
        "random": corpus.random_bytes(d / "random.xlsx"),
        "ole": corpus.encrypted(d / "protected.xlsx"),
        "xls": corpus.legacy_xls(d / "legacy.xls"),
        "xls_renamed": corpus.legacy_xls(d / "renamed.xlsx"),
        "damaged_ole": corpus.ole(d / "damaged.xlsx"),
        "xxe": corpus.xxe(src, d / "xxe.xlsx"),
        "laughs": corpus.billion_laughs(src, d / "laughs.xlsx"),
        "bomb": corpus.zip_bomb(src, d / "bomb.xlsx", gigabytes=2.0),
        "lying": corpus.lying_bomb(src, d / "lying.xlsx"),
        "good": good,
    }
    return files


EXPECTED = {
    "truncated": "corrupt or truncated",
    "random": "not a zip",
    "ole": "password-protected",
    "xls": "legacy .xls",
    "xls_renamed": "legacy .xls (BIFF) workbook: open it in Excel and save it as .xlsx",
    "damaged_ole": "damaged OLE compound file",
    "xxe": "DTD or XML entities",
    "laughs": "DTD or XML entities",
    "bomb": "zip bomb",
    "lying": "corrupt",  # zipfile never inflates past the declared size; CRC check fails
}


def test_each_hostile_file_is_reported_and_untouched(hostile):
    before = {k: p.read_bytes() for k, p in hostile.items()}
    reports = refresh_files(list(hostile.values()), jobs=2, progress=False, backup=False)
    by_name = {Path(r.path).name: r for r in reports}
    for key, fragment in EXPECTED.items():
        report = by_name[hostile[key].name]
        assert report.failed, key
        assert fragment in report.reason, (key, report.reason)
        assert "Traceback" not in report.reason
        assert hostile[key].read_bytes() == before[key], key
    assert by_name["good.xlsx"].status == "refreshed"  # the batch went on
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert peak_kb < 1.5 * 1024**2


def test_a_hanging_file_is_stopped_and_the_batch_goes_on(tmp_path, monkeypatch):
    slow = corpus.roi_functions_openpyxl(tmp_path / "slow.xlsx")
    data = slow.read_bytes()
    monkeypatch.setenv(SLOW_HOOK, "30")
    reports = refresh_files([slow], jobs=1, progress=False, timeout=2)
    assert reports[0].failed and "time limit" in reports[0].reason
    assert slow.read_bytes() == data and not list(tmp_path.glob(".*tmp"))
    monkeypatch.delenv(SLOW_HOOK)
    good = corpus.budget_openpyxl(tmp_path / "good.xlsx")
    assert refresh_files([good], progress=False)[0].status == "refreshed"


def test_a_file_past_the_memory_limit_is_stopped(tmp_path):
    path = corpus.budget_openpyxl(tmp_path / "b.xlsx")
    data = path.read_bytes()
    reports = refresh_files([path], progress=False, memory_mb=40)
    assert reports[0].failed and ("memory" in reports[0].reason), reports[0].reason
    assert path.read_bytes() == data


def test_cli_reports_without_traceback_and_fails(hostile, tmp_path):
    summary = tmp_path / "summary.csv"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "roi_xl.refresh",
            "-q",
            str(hostile["random"]),
            str(hostile["ole"]),
            str(hostile["good"]),
            "--summary",
            str(summary),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stdout + run.stderr
    assert "not a zip" in run.stdout and "password-protected" in run.stdout
    assert summary.read_text().startswith("file,status,formulas computed,kept,errors,seconds")


def test_engine_excel_says_plainly_it_is_not_available(tmp_path):
    if sys.platform in ("win32", "darwin"):
        pytest.skip("Excel may exist here")
    run = subprocess.run(
        [sys.executable, "-m", "roi_xl.cli", "refresh", "--engine", "excel", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2 and "not available" in run.stderr


def test_help_teaches_by_example():
    run = subprocess.run(
        [sys.executable, "-m", "roi_xl.cli", "refresh", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0 and "examples:" in run.stdout and "--scheduler" in run.stdout
