"""A third engine nobody here wrote: Gnumeric (``ssconvert --recalc``) recalculates every
template and agrees with our cached values cell by cell, and with the library on random
inputs. (Portable functions only: NORMSDIST, not NORM.S.DIST, which Gnumeric lacks.)"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from templates_support import (
    cells_of,
    compare_formula_cells,
    engine_add_in,
    engine_errors,
    expected,
    for_other_engines,
    is_error,
    randomise,
    value,
)

from roi_xl.templates import NAMES, write

REQUIRED = os.environ.get("ROI_XL_REQUIRE_LIBREOFFICE") == "1"  # CI installs both engines
if shutil.which("ssconvert") is None:
    if REQUIRED:
        raise RuntimeError("ssconvert (Gnumeric) is required: apt-get install gnumeric")
    pytest.skip("Gnumeric (ssconvert) is not installed", allow_module_level=True)


def _gnumeric(src: Path, dest: Path) -> Path:
    proc = subprocess.run(
        ["ssconvert", "--recalc", str(src), str(dest)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HOME": str(dest.parent)},
    )
    assert proc.returncode == 0 and dest.exists(), proc.stderr[-2000:]
    return dest


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    src = tmp_path_factory.mktemp("written")
    out = tmp_path_factory.mktemp("gnumeric")
    rng = random.Random(20251126)
    files = {}
    for name in NAMES:
        for lang in ("ja", "en"):
            files[f"{name}-{lang}"] = write(name, src / f"{name}-{lang}.xlsx", lang)
        path = write(name, src / f"{name}-random.xlsx", "en")
        wb = openpyxl.load_workbook(path)
        randomise(wb, name, rng)
        wb.save(path)
        files[f"{name}-random"] = path
    return {
        k: (p, _gnumeric(for_other_engines(p, k.rsplit("-", 1)[0]), out / p.name))
        for k, p in files.items()
    }


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_formula_cell_equals_gnumeric(written, name, lang):
    ours, theirs = written[f"{name}-{lang}"]
    assert compare_formula_cells(ours, theirs, f"{name}-{lang}", engine_add_in(name, lang)) >= 5


@pytest.mark.parametrize("name", NAMES)
def test_random_inputs_give_the_library_numbers(written, name):
    _, theirs = written[f"{name}-random"]
    wb = openpyxl.load_workbook(theirs, data_only=True)
    for key, want in expected(name, wb).items():
        if key in engine_errors(name):  # our functions: Gnumeric cannot compute
            assert all(is_error(c.value) for c in cells_of(wb, key)), key
            continue
        got = value(wb, key)
        assert got == pytest.approx(want, rel=1e-9, abs=1e-9), key
