"""Ctrl-C, two runs on one file, exit codes, the progress bar rule (issue 12 items 6, 7, 8),
all with real processes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from refresh_corpus import budget_openpyxl
from roi_xl.refresh import refresh_files
from roi_xl.refresh.engine import SLOW_HOOK

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "roi_xl.cli", "refresh"]


def env(**extra: str) -> dict[str, str]:
    return {**os.environ, **extra}


def dotfiles(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_ctrl_c_mid_batch_leaves_every_file_whole_and_prints_the_table(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    first = budget_openpyxl(folder / "b000.xlsx", rows=6)
    for k in range(1, 120):
        shutil.copyfile(first, folder / f"b{k:03d}.xlsx")
    original = first.read_bytes()
    proc = subprocess.Popen(
        [*CLI, "-j", "2", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env(**{SLOW_HOOK: "0.05"}),
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    deadline = time.monotonic() + 60
    while len(list(folder.glob("*.bak"))) < 5 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C does: the whole group gets SIGINT
    out, err = proc.communicate(timeout=60)
    after = snapshot(folder)
    assert proc.returncode == 130, out + err
    assert "Traceback" not in out + err
    assert "interrupted" in out and "refreshed" in out and "total" in out, out
    assert dotfiles(folder) == []  # no temp file, no lock file
    refreshed = untouched = 0
    for path in sorted(folder.glob("b*.xlsx")):
        if path.read_bytes() == original:
            untouched += 1
            assert not path.with_name(path.name + ".bak").exists()
        else:
            refreshed += 1
            assert openpyxl.load_workbook(path, data_only=True).active["D2"].value is not None
            assert path.with_name(path.name + ".bak").read_bytes() == original
    assert refreshed >= 5 and untouched >= 1, (refreshed, untouched)
    time.sleep(1.5)
    assert snapshot(folder) == after  # nothing changes after the command returned


def hold_lock(path: Path, seconds: float) -> subprocess.Popen:
    code = (
        "import sys, time, pathlib\n"
        "from roi_xl.refresh.worker import file_lock\n"
        "with file_lock(pathlib.Path(sys.argv[1]), 0) as mine:\n"
        "    assert mine\n"
        "    print('locked', flush=True)\n"
        "    time.sleep(float(sys.argv[2]))\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(path), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def test_a_second_run_on_a_busy_file_reports_busy_and_leaves_it(tmp_path):
    path = budget_openpyxl(tmp_path / "b.xlsx")
    data = path.read_bytes()
    holder = hold_lock(path, 60)
    try:
        run = subprocess.run(
            [*CLI, "--timeout", "3", str(path)], capture_output=True, text=True, cwd=ROOT
        )
    finally:
        holder.kill()
        holder.wait()
    assert run.returncode == 3, run.stdout + run.stderr
    line = next(ln for ln in run.stdout.splitlines() if "b.xlsx" in ln)
    assert "skipped" in line and "busy: another roi-xl refresh" in line
    assert path.read_bytes() == data and not path.with_name("b.xlsx.bak").exists()


def test_a_second_run_waits_for_the_first_then_refreshes(tmp_path):
    path = budget_openpyxl(tmp_path / "b.xlsx")
    holder = hold_lock(path, 1.0)
    run = subprocess.run([*CLI, str(path)], capture_output=True, text=True, cwd=ROOT)
    holder.wait()
    assert run.returncode == 0 and "refreshed" in run.stdout, run.stdout + run.stderr
    assert dotfiles(tmp_path) == []


def test_two_overlapping_runs_never_mix_the_file(tmp_path):
    path = budget_openpyxl(tmp_path / "b.xlsx")
    runs = [
        subprocess.Popen(
            [*CLI, "--no-backup", str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env(**{SLOW_HOOK: "1"}),
        )
        for _ in range(2)
    ]
    outs = [(p.communicate(timeout=120), p.returncode) for p in runs]
    for (out, err), code in outs:
        assert code == 0 and "failed" not in out.splitlines()[2], out + err
    statuses = sorted(
        next(ln for ln in out.splitlines() if "b.xlsx" in ln).split()[1] for (out, _), _ in outs
    )
    assert statuses == ["refreshed", "unchanged"]  # the second saw the first's whole file
    assert openpyxl.load_workbook(path, data_only=True).active["D2"].value is not None
    assert dotfiles(tmp_path) == []


def test_a_file_open_in_excel_makes_the_exit_code_3(tmp_path):
    path = budget_openpyxl(tmp_path / "b.xlsx")
    good = budget_openpyxl(tmp_path / "c.xlsx")
    (tmp_path / "~$b.xlsx").write_bytes(b"owner")
    run = subprocess.run([*CLI, str(path), str(good)], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 3, run.stdout + run.stderr
    assert "open in Excel" in run.stdout


def test_exit_codes_are_documented_in_help():
    run = subprocess.run([*CLI, "--help"], capture_output=True, text=True, cwd=ROOT)
    for code in ("0 ", "1 ", "2 ", "3 ", "130"):
        assert f"\n  {code}" in run.stdout, code


@pytest.mark.parametrize("jobs", ["-1", "0", "two"])
def test_bad_jobs_is_a_plain_error_before_any_work(tmp_path, jobs):
    path = budget_openpyxl(tmp_path / "b.xlsx")
    data = path.read_bytes()
    run = subprocess.run([*CLI, "-j", jobs, str(path)], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 2 and run.stdout == "", run.stdout + run.stderr
    assert "--jobs" in run.stderr and "Traceback" not in run.stderr
    assert path.read_bytes() == data
    with pytest.raises(ValueError, match="1 or more"):
        refresh_files([path], jobs=0)


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path, capfd):
    path = budget_openpyxl(tmp_path / "b.xlsx")
    assert refresh_files([path], progress=True)[0].status == "refreshed"
    assert capfd.readouterr().err == ""


def test_workers_stay_warm_across_files(tmp_path):
    """The engine start-up is paid once per worker, not per file: one worker, many files,
    one worker process."""
    from roi_xl.refresh import batch

    paths = [budget_openpyxl(tmp_path / f"b{k}.xlsx", rows=2) for k in range(6)]
    sup = batch.Supervisor(batch.Limits())
    try:
        pids = set()
        for p in paths:
            assert sup.refresh(str(p), False, False).status == "refreshed"
            assert sup.proc is not None
            pids.add(sup.proc.pid)
    finally:
        sup.stop()
    assert len(pids) == 1 and os.getpid() not in pids


def test_a_script_without_a_main_guard_runs_a_batch(tmp_path):
    """The README's three lines, pasted into a script as they are (no
    ``if __name__ == "__main__":``): the workers must not re-run the script."""
    budget_openpyxl(tmp_path / "b.xlsx")
    script = tmp_path / "script.py"
    script.write_text(
        "from roi_xl.refresh import refresh_files\n"
        f"reports = refresh_files([{str(tmp_path)!r}], jobs=2, backup=False)\n"
        "print([r.status for r in reports])\n"
    )
    run = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert run.stdout.strip() == "['refreshed']", run.stdout + run.stderr
