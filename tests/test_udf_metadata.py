"""xlwings sees the UDF module exactly as before it was generated from the table.

``tests/data/udf_metadata.json`` was written from the hand-written ``roi_udfs`` (ten
functions, one wrapper each) by ``tests/udf_metadata.py``: xlwings' Office.js metadata and,
for the classic add-in, each function's ``__xlfunc__`` and VBA wrapper, in both languages.
Functions added to the table later only add entries; the original ten must stay identical.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = json.loads((ROOT / "tests" / "data" / "udf_metadata.json").read_text(encoding="utf-8"))
OFFICEJS = dict(XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY="noncommercial")


def _metadata(route: str, lang: str) -> dict:
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'udfs'}",
        "ROI_XL_LANG": lang,
        **(OFFICEJS if route == "officejs" else {}),
    }
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "udf_metadata.py"), route],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("route", ["officejs", "classic"])
def test_xlwings_sees_the_original_functions_unchanged(route, lang):
    golden = GOLDEN[f"{route}-{lang}"]
    now = _metadata(route, lang)
    if route == "officejs":
        assert now["rest"] == golden["rest"]
        golden, now = golden["functions"], now["functions"]
    assert len(golden) == 10
    for name, expected in golden.items():
        assert now[name] == expected, name
