"""The table is the only list of functions: an entry added to it appears in every runtime
(roi_udfs for classic xlwings and for Office.js, the refresh engine, ``roi-xl calc`` and
``roi-xl functions``), and reading it (as the refresh engine does) loads no NumPy."""

import inspect
import json
import os
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from roi_xl.cli import main
from roi_xl.excel_functions import FUNCTIONS
from roi_xl.excel_functions.spec import REQUIRED, each

ROOT = Path(__file__).resolve().parents[1]
OFFICEJS = dict(XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY="noncommercial")


def _run(code: str, **env: str) -> dict:
    path = os.pathsep.join(str(p) for p in (ROOT, ROOT / "udfs", ROOT / "tests"))
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env={**os.environ, "PYTHONPATH": path, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture
def scale(monkeypatch):
    from new_function import SCALE

    monkeypatch.setitem(FUNCTIONS, SCALE.name, SCALE)
    return SCALE


def test_roi_udfs_defines_exactly_the_table_with_its_signatures():
    import roi_udfs

    assert roi_udfs.__all__ == list(FUNCTIONS)
    for name, entry in FUNCTIONS.items():
        params = inspect.signature(getattr(roi_udfs, name)).parameters
        assert list(params) == [p.name for p in entry.params]
        for p in entry.params:
            default = params[p.name].default
            assert default == (inspect.Parameter.empty if p.default is REQUIRED else p.default)
        assert entry.en in roi_udfs.__dict__[name].__doc__
        assert entry.ja in roi_udfs.__dict__[name].__doc__


def test_reading_the_table_and_the_refresh_engine_loads_no_numpy():
    out = _run("""
        import json, sys
        from roi_xl.excel_functions import FUNCTIONS
        from roi_xl.refresh import engine
        names = list(FUNCTIONS)
        engine.called(["ROI(A1,A2,A3)"])
        print(json.dumps([names, "numpy" in sys.modules]))
    """)
    assert out == [list(FUNCTIONS), False]


def test_a_new_entry_reaches_office_js_and_roi_udfs():
    out = _run(
        """
        import asyncio, inspect, json, new_function, xlwings
        new_function.register()
        import roi_udfs
        from xlwings.server import custom_functions_call, custom_functions_meta
        meta = {f["id"]: f for f in custom_functions_meta(roi_udfs)["functions"]}["SCALE_BY"]
        data = dict(func_name="SCALE_BY", args=[[[21], [5]], None, [["下"]]],
                    version=xlwings.__version__, client="Office.js", runtime="1.4",
                    culture_info_name="en-US", date_format="m/d/yyyy")
        print(json.dumps({
            "all": "SCALE_BY" in roi_udfs.__all__,
            "signature": str(inspect.signature(roi_udfs.SCALE_BY)),
            "doc": roi_udfs.SCALE_BY.__doc__,
            "meta": meta,
            "call": asyncio.run(custom_functions_call(data, roi_udfs)),
        }, ensure_ascii=False))
    """,
        **OFFICEJS,
        ROI_XL_LANG="en",
    )
    assert out["all"]
    assert out["signature"] == "(amount, factor=2.0, direction='up')"
    assert out["doc"] == "Scale an amount up or down by a factor.\n\n金額を係数で拡大・縮小します。"
    meta = out["meta"]
    assert [p["name"] for p in meta["parameters"]] == ["amount", "factor", "direction"]
    assert [p.get("optional", False) for p in meta["parameters"]] == [False, True, True]
    assert meta["parameters"][1]["description"] == "Factor (default 2, must be > 0) / 係数(既定 2)"
    assert out["call"] == [[10.5], [2.5]]


def test_a_new_entry_reaches_the_classic_add_in_and_its_vba():
    code = (ROOT / "tests" / "udf_metadata.py").read_text(encoding="utf-8")
    code = code.replace(
        "    import roi_udfs\n\n    vba",
        "    import new_function\n\n    new_function.register()\n    import roi_udfs\n\n    vba",
    )
    assert "new_function.register()" in code
    code = code.replace('if __name__ == "__main__":', "if True:").replace("sys.argv[1]", '"x"')
    out = _run(code, ROI_XL_LANG="ja")
    assert out["SCALE_BY"]["vba"].startswith(
        "Function SCALE_BY(amount, Optional factor, Optional direction)"
    )
    xlfunc = out["SCALE_BY"]["xlfunc"]
    assert xlfunc["category"] == "roi_xl"
    assert [a["optional"] for a in xlfunc["args"][1:]] == [2.0, "up"]
    assert xlfunc["args"][0]["doc"] == "金額 / Amount to scale"


def test_a_new_entry_reaches_the_refresh_engine(scale, tmp_path):
    from roi_xl.refresh import engine

    assert engine.called(["SUM(A1)", "scale_by(A1, 3)"]) == ("SCALE_BY",)
    assert engine.engine_knows("SCALE_BY")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "S"
    sheet["A1"] = 21
    sheet["B1"] = "=SCALE_BY(A1)"
    sheet["B2"] = '=SCALE_BY(A1, 0, "up")'
    book.save(tmp_path / "book.xlsx")
    wb = engine.load(str(tmp_path / "book.xlsx"), ["SCALE_BY(A1)"])
    assert wb.evaluate_cell("S", 1, 2) == 42
    assert wb.evaluate_cell("S", 2, 2)["kind"] == "Div"


def test_a_new_entry_reaches_calc_and_functions(scale, capsys):
    assert main(["calc", "SCALE_BY", "21"]) == 0
    assert capsys.readouterr().out == "42\n"
    assert main(["calc", "SCALE_BY", "21", "0"]) == 1
    out, err = capsys.readouterr()
    assert out == "#DIV/0!\n" and "factor" in err and "greater than 0" in err
    assert main(["functions"]) == 0
    out = capsys.readouterr().out
    assert "SCALE_BY(amount, [factor], [direction])" in out and "金額を係数で" in out
    assert main(["functions", "--markdown"]) == 0
    assert "### `SCALE_BY(amount, [factor], [direction])`" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["calc", "--help"])
    assert "SCALE_BY" in capsys.readouterr().out


def test_calc_explains_a_failure_without_computing_again(scale, capsys, monkeypatch):
    import new_function

    calls = []

    def counting(*args):
        calls.append(args)
        return new_function.scale_checked(*args)

    monkeypatch.setitem(FUNCTIONS, scale.name, replace(scale, kernel=each(counting)))
    assert main(["calc", "SCALE_BY", "21", "-1"]) == 1
    _, err = capsys.readouterr()
    assert "factor=-1.0 is not allowed" in err and "#NUM!" in err
    assert len(calls) == 1


def test_missing_optionals_are_none_and_options_arrive_canonical(monkeypatch):
    seen = []
    entry = replace(FUNCTIONS["BACKCALC_FUNNEL"], kernel=lambda *values: seen.append(values) or 0.0)
    entry(3e6, 5e5, [[0.5], [0.4]], "", None, "切り上げ")
    ((target, price, rates, names, cost, rounding),) = seen
    assert (target, price, rates.tolist(), names, cost, rounding) == (
        3e6,
        5e5,
        [0.5, 0.4],
        None,
        None,
        "ceil",
    )


def test_importing_roi_udfs_stays_cheap():
    """Beyond what xlwings itself imports (pandas, when installed), roi_udfs adds the
    table, its kernels and NumPy only."""
    out = _run("""
        import json, sys, xlwings
        before = set(sys.modules)
        import roi_udfs
        added = set(sys.modules) - before
        heavy = ("pandas", "formualizer", "openpyxl", "roi_xl.refresh", "roi_xl.templates")
        print(json.dumps([m for m in added if any(m == h or m.startswith(h + ".") for h in heavy)]))
    """)
    assert out == []


def test_a_required_word_or_flag_left_blank_is_value_not_a_guess():
    from roi_xl.excel_functions.kinds import flag, option

    entry = replace(
        FUNCTIONS["ROI"],
        params=(
            option("mode", ja="方式", en="Mode", words={"none": "none", "up": "up"}),
            flag("strict", ja="厳密", en="Strict"),
        ),
        kernel=lambda mode, strict: 1.0,
    )
    assert entry("", True) == "#VALUE!" and entry(None, True) == "#VALUE!"
    assert entry("up", None) == "#VALUE!"
    assert entry("NONE", "はい") == 1.0
