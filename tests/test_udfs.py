"""roi_udfs through xlwings' own machinery.

- Office.js route (xlwings Lite and Server, Mac and the web): ``custom_functions_meta`` and
  ``custom_functions_call`` of the real xlwings package, with ``XLWINGS_ON_SERVER=true``
  and ``XLWINGS_LICENSE_KEY=noncommercial`` (allowed for non-commercial use such as tests).
- Classic Windows add-in: xlwings' own ``xlwings.udfs`` decorators and VBA generator, with
  the Windows-only COM modules stubbed (they are not called while decorating).
Each runs in a fresh interpreter, because xlwings picks its runtime at import.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from roi_xl.excel_functions import FUNCTIONS

ROOT = Path(__file__).resolve().parents[1]


def _run(code: str, **env: str) -> dict:
    full_env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'udfs'}", **env}
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


OFFICEJS = dict(XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY="noncommercial")


@pytest.fixture(scope="module")
def officejs_meta():
    return _run(
        """
        import json, roi_udfs
        from xlwings.server import custom_functions_meta
        print(json.dumps(custom_functions_meta(roi_udfs), ensure_ascii=False))
    """,
        **OFFICEJS,
        ROI_XL_LANG="ja",
    )


def test_officejs_metadata_lists_every_function_with_both_languages(officejs_meta):
    funcs = {f["id"]: f for f in officejs_meta["functions"]}
    assert set(funcs) == set(FUNCTIONS)
    assert officejs_meta["allowErrorForDataTypeAny"] is True
    for name, spec in FUNCTIONS.items():
        meta = funcs[name]
        assert meta["name"] == name
        assert meta["description"].startswith(spec.ja)  # ROI_XL_LANG=ja: Japanese first
        assert spec.en in meta["description"]
        params = meta["parameters"]
        assert [p["name"] for p in params] == [p.name for p in spec.params]
        for p, sp in zip(params, spec.params):
            assert sp.ja in p["description"] and sp.en in p["description"]
            assert p.get("optional", False) == sp.optional
            assert p["dimensionality"] == "matrix"


CALL = """
    import asyncio, json, xlwings, roi_udfs
    from xlwings.server import custom_functions_call
    cases = json.loads({cases!r})
    out = []
    for name, args in cases:
        data = dict(func_name=name, args=args, version=xlwings.__version__, client="Office.js",
                    runtime="1.4", culture_info_name="ja-JP", date_format="yyyy/mm/dd")
        out.append(asyncio.run(custom_functions_call(data, roi_udfs)))
    print(json.dumps(out, ensure_ascii=False))
"""


def _call(cases, runtime_env=OFFICEJS):
    return _run(CALL.format(cases=json.dumps(cases)), **runtime_env)


def test_officejs_call_computes_seed_examples_and_real_errors():
    # Excel sends every argument as a matrix; blanks as "" / null; omitted optionals as null.
    cases = [
        ["ROI", [[[10000000]], [[3500000]], [[2720000]], None]],
        ["ROI", [[[10000000]], [[3500000]], [[2720000]], [["gross"]]]],
        ["MARKETING_ROI", [[[100000000]], [[70000000]], [[5000000]], [[10000000]]]],
        [
            "BACKCALC_FUNNEL",
            [[[3000000]], [[500000]], [[0.0666], [0.4], [0.33]], None, [[200]], None],
        ],
        ["FUNNEL_FORECAST", [[[50]], [[0.5, 0.3, 0.667, 0.3]], [[5000000]], None]],
        ["LIFT", [[[300]], [[10000]], [[200]], [[10000]], [["p_value"]], None]],
        ["SAMPLE_SIZE", [[[0.02]], [[0.01]], None, None, None]],
        ["ROAS", [[[4000000]], [[200000]]]],
        ["CPA", [[[100000]], [[125]]]],
        ["CVR", [[[200]], [[4000]]]],
        ["LTV", [[[1500]], [[1]], [[6]], None]],
        # a column with a blank, a zero investment and an error cell
        [
            "ROI",
            [
                [[10], [""], [10], [{"type": "Error", "basicValue": "#N/A"}]],
                [[0]],
                [[5], [5], [0], [5]],
                None,
            ],
        ],
        ["CVR", [[[5]], [[4]]]],
        ["ROI", [[["abc"]], [[0]], [[5]], None]],
    ]
    out = _call(cases)
    assert out[0] == [[pytest.approx(1.3897058823529411)]]
    assert out[1] == [[pytest.approx(2.3897058823529411)]]
    assert out[2] == [[1.5]]
    assert [r[1] for r in out[3]] == [721, 48, 19, 6, 721 * 200]
    assert out[4][-1][1] == pytest.approx(7_503_750)
    assert out[5][0][0] == pytest.approx(5.923317990312188e-06)
    assert out[6] == [[3826]]
    assert out[7] == [[20]] and out[8] == [[800]] and out[9] == [[0.05]] and out[10] == [[9000]]
    div0 = {"type": "Error", "errorType": "Div0"}
    na = {"type": "Error", "errorType": "NotAvailable"}
    assert out[11] == [[1.0], [-1.0], [div0], [na]]
    assert out[12] == [[{"type": "Error", "errorType": "Num"}]]
    assert out[13] == [[{"type": "Error", "errorType": "Value"}]]


def test_classic_windows_decorators_and_vba_wrappers():
    code = """
        import io, json, sys, types
        for name in ("pythoncom", "pywintypes", "win32api", "win32com", "win32com.client"):
            mod = types.ModuleType(name)
            mod.Dispatch = mod.com_error = object
            mod.CoInitialize = lambda: None
            sys.modules[name] = mod
        import xlwings, xlwings.udfs as udfs
        xlwings.func, xlwings.arg, xlwings.ret = udfs.xlfunc, udfs.xlarg, udfs.xlret
        import roi_udfs
        info = {n: getattr(roi_udfs, n).__xlfunc__ for n in roi_udfs.__all__}
        vba = io.StringIO()
        class Book: Name = "Budget.xlsm"
        try:
            udfs.generate_vba_wrapper("roi_udfs", roi_udfs, vba, Book())
            text = vba.getvalue()
        except Exception as exc:
            text = "ERROR " + repr(exc)
        print(json.dumps({"info": {n: {"category": i["category"], "doc": i["ret"]["doc"],
            "args": [[a["name"], a["doc"], a["options"], "optional" in a] for a in i["args"]]}
            for n, i in info.items()}, "vba": text}, ensure_ascii=False, default=str))
    """
    out = _run(code, ROI_XL_LANG="en")
    for name, spec in FUNCTIONS.items():
        info = out["info"][name]
        assert info["category"] == "roi_xl"
        assert info["doc"].startswith(spec.en)
        for (arg, doc, options, optional), p in zip(info["args"], spec.params):
            assert arg == p.name and p.en in doc and p.ja in doc
            assert options == {"ndim": 2, "err_to_str": True}
            assert optional == p.optional
    vba = out["vba"]
    assert not vba.startswith("ERROR"), vba
    assert "Function ROI(revenue, cost_of_sales, investment, Optional basis)" in vba


def test_plain_python_import_on_any_platform():
    out = _run("""
        import json, roi_udfs
        print(json.dumps([roi_udfs.ROI(10000000, 3500000, 2720000),
                          roi_udfs.CVR([[1], [5]], [[2], [4]])]))
    """)
    assert out[0] == pytest.approx(1.3897058823529411)
    assert out[1] == [[0.5], ["#NUM!"]]


def test_lite_main_py_star_import_registers_every_function(tmp_path):
    """xlwings Lite registers the functions found in the workbook's main.py; a star import
    of roi_udfs puts every function of the table there (the documented Mac / web route)."""
    (tmp_path / "main.py").write_text("from roi_udfs import *\n", encoding="utf-8")
    out = _run(
        f"""
        import asyncio, json, sys, xlwings
        sys.path.insert(0, {str(tmp_path)!r})
        import main
        from xlwings.server import custom_functions_call, custom_functions_meta
        ids = sorted(f["id"] for f in custom_functions_meta(main)["functions"])
        data = dict(func_name="ROI", args=[[[1]], [[0]], [[0]], None], version=xlwings.__version__,
                    client="Office.js", runtime="1.4", culture_info_name="en-US",
                    date_format="m/d/yyyy")
        print(json.dumps([ids, asyncio.run(custom_functions_call(data, main))]))
    """,
        **OFFICEJS,
    )
    assert out[0] == sorted(FUNCTIONS)
    assert out[1] == [[{"type": "Error", "errorType": "Div0"}]]
