"""Cached values written by refresh equal LibreOffice's own recalculation."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

from tools.libreoffice import convert
from roi_xl.refresh import refresh_file
from tests import refresh_corpus as corpus
from tests.test_refresh_lossless import assert_lossless

pytestmark = pytest.mark.libreoffice


def values(path):
    wb = openpyxl.load_workbook(path, data_only=True)
    return {
        (ws.title, c.coordinate): c.value
        for ws in wb
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    }


def assert_same_values(ours, theirs):
    a, b = values(ours), values(theirs)
    assert a.keys() == b.keys()
    for key in a:
        if isinstance(a[key], float) or isinstance(b[key], float):
            assert a[key] == pytest.approx(b[key], rel=1e-12), key
        else:
            assert a[key] == b[key], key


def test_openpyxl_and_libreoffice_saved_files_match_libreoffice(tmp_path):
    made = corpus.budget_openpyxl(tmp_path / "budget.xlsx")
    lo_dir = tmp_path / "lo"
    (lo_saved,) = convert([made], lo_dir)  # a file LibreOffice wrote, with its own caches
    ours = tmp_path / "ours.xlsx"
    shutil.copy(made, ours)
    assert refresh_file(ours, backup=False).status == "refreshed"
    (recalc,) = convert([made], tmp_path / "recalc")
    assert_same_values(ours, recalc)

    lo_copy = tmp_path / "lo_copy.xlsx"
    shutil.copy(lo_saved, lo_copy)
    report = refresh_file(lo_copy, backup=False)
    assert report.failed is False and report.kept == 0
    assert_lossless(lo_saved, lo_copy)
    assert_same_values(lo_copy, lo_saved)
