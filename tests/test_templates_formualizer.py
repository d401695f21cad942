"""The native templates compute in formualizer (the refresh engine's spreadsheet engine)
exactly as in the library: an early warning for a formula the engine lacks."""

from __future__ import annotations

import openpyxl
import pytest
from templates_support import cells_of, engine_errors, expected, for_other_engines

from roi_xl.templates import NAMES, write

fz = pytest.importorskip("formualizer")


@pytest.mark.parametrize("name", NAMES)
def test_formualizer_computes_the_native_templates(tmp_path, name):
    path = write(name, tmp_path / f"{name}.xlsx", "ja")
    engine = fz.load_workbook(str(for_other_engines(path, name, "ja")))
    wb = openpyxl.load_workbook(path)
    for key, want in expected(name, wb).items():
        wants = want if isinstance(want, list) else [want]
        for cell, w in zip(cells_of(wb, key), wants, strict=True):
            got = engine.evaluate_cell(cell.parent.title, cell.row, cell.column)
            if key in engine_errors(name):  # plain engine, none of our functions
                assert got == {"type": "Error", "kind": "Name"}, (name, key)
                continue
            assert got == pytest.approx(float(w), rel=1e-9), (name, key, cell.coordinate)
