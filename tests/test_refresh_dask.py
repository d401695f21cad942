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
    with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cl, \
            distributed.Client(cl) as client:
        reports = refresh_files([*paths, bad], executor=client.get_executor(), progress=False)
    assert [r.status for r in reports] == ["refreshed"] * 3 + ["failed"]
    assert openpyxl.load_workbook(paths[0], data_only=True)["Budget"]["B6"].value == sum(
        10_000 * i + 37 for i in range(2, 6))
