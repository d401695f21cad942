"""The short cuts the refresh takes for speed give the answers of the long way.

Speed itself is measured in ``benchmarks/`` (never timed here); these tests check that
each short cut is taken only when it is safe and changes no value.
"""

from __future__ import annotations

import openpyxl
import pytest

from roi_xl.excel_functions.table import FUNCTIONS
from roi_xl.refresh import engine
from roi_xl.refresh.recalc import refresh_file


def _values(path):
    wb = openpyxl.load_workbook(path, data_only=True)
    return {(ws.title, c.coordinate): c.value for ws in wb for row in ws.iter_rows() for c in row}


def test_repeated_calls_are_computed_once_per_workbook_and_never_mixed_up(tmp_path, monkeypatch):
    calls = []
    roi = FUNCTIONS["ROI"]

    class Counting:
        def __getattr__(self, name):
            return getattr(roi, name)

        def __call__(self, *args):
            calls.append(args)
            return roi(*args)

    monkeypatch.setitem(FUNCTIONS, "ROI", Counting())
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "S"
    sheet.append([1000, 300, 200])
    sheet.append([1000, 300, 100])
    for row in range(3, 13):  # the same call ten times, then a different one ten times
        sheet[f"A{row}"] = "=ROI($A$1,$B$1,$C$1)"
        sheet[f"B{row}"] = "=ROI($A$2,$B$2,$C$2)"
        sheet[f"C{row}"] = "=ROI(A1:A2,B1:B2,C1:C2)"
    sheet["D1"] = "=ROI(1000,300,200)"  # same numbers as row 1, given as literals
    sheet["D2"] = '=ROI(1000,300,"x")'
    path = tmp_path / "book.xlsx"
    book.save(path)
    assert refresh_file(path, backup=False).status == "refreshed"
    got = _values(path)
    for row in range(3, 13):
        assert got["S", f"A{row}"] == pytest.approx(roi(1000, 300, 200))
        assert got["S", f"B{row}"] == pytest.approx(roi(1000, 300, 100))
    assert got["S", "A3"] != got["S", "B3"]
    assert got["S", "D2"] == "#VALUE!"
    distinct = {repr(a) for a in calls}
    assert len(calls) == len(distinct) <= 5  # each distinct argument list once


def test_only_plain_arguments_are_remembered():
    assert engine._plain([[1.0, "a", None, True], {"type": "Error", "kind": "Div"}])
    assert not engine._plain([[1.0, object()]])
    assert not engine._plain({"type": object()})
