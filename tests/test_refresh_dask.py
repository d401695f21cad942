"""A batch runs on a Dask cluster through Client.get_executor()."""

from __future__ import annotations

import openpyxl
import pytest

from roi_xl.refresh import refresh_files
from tests import refresh_corpus as corpus

distributed = pytest.importorskip("dask.distributed")


def test_batch_on_a_dask_executor(tmp_path):
    paths = [corpus.budget_openpyxl(tmp_path / f"b{i}.xlsx", rows=4) for i in range(3)]
    bad = corpus.random_bytes(tmp_path / "bad.xlsx")
    with (
        distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cl,
        distributed.Client(cl) as client,
    ):
        reports = refresh_files([*paths, bad], executor=client.get_executor(), progress=False)
    assert [r.status for r in reports] == ["refreshed"] * 3 + ["failed"]
    assert openpyxl.load_workbook(paths[0], data_only=True)["Budget"]["B6"].value == sum(
        10_000 * i + 37 for i in range(2, 6)
    )


def test_cli_scheduler_runs_the_batch_on_a_cluster(tmp_path):
    """`roi-xl refresh --scheduler tcp://...` from the shell, against a real scheduler with
    worker processes (what a cluster looks like)."""
    import subprocess
    import sys

    paths = [corpus.budget_openpyxl(tmp_path / f"b{i}.xlsx", rows=4) for i in range(2)]
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
    ) as cluster:
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "roi_xl.cli",
                "refresh",
                "-q",
                "--no-backup",
                "--scheduler",
                cluster.scheduler_address,
                *map(str, paths),
            ],
            capture_output=True,
            text=True,
            timeout=180,
        )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 files, 0 failed" in run.stdout
    assert openpyxl.load_workbook(paths[1], data_only=True)["Budget"]["B6"].value == sum(
        10_000 * i + 37 for i in range(2, 6)
    )


def test_cli_scheduler_that_does_not_answer_is_a_plain_error(tmp_path):
    import subprocess
    import sys

    path = corpus.budget_openpyxl(tmp_path / "b.xlsx", rows=4)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "roi_xl.cli",
            "refresh",
            "-q",
            "--scheduler",
            "tcp://127.0.0.1:1",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr
    assert "127.0.0.1:1" in run.stderr
