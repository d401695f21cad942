"""What xlwings itself sees in ``roi_udfs``: run as a script in a fresh interpreter.

``python tests/udf_metadata.py officejs`` prints xlwings' Office.js metadata
(``custom_functions_meta``; run it with ``XLWINGS_ON_SERVER=true`` and
``XLWINGS_LICENSE_KEY=noncommercial``); ``python tests/udf_metadata.py classic`` prints each
function's ``__xlfunc__`` from xlwings' classic decorators and its VBA wrapper from
xlwings' generator (the Windows-only COM modules are stubbed; they are not called).
``tests/data/udf_metadata.json`` holds what the ten original functions gave before the
UDF module was generated from the table; ``test_udf_metadata.py`` compares against it.
"""

import io
import json
import re
import sys
import types


def officejs() -> dict:
    import roi_udfs
    from xlwings.server import custom_functions_meta

    meta = custom_functions_meta(roi_udfs)
    return {"functions": {f["id"]: f for f in meta.pop("functions")}, "rest": meta}


def classic() -> dict:
    for name in ("pythoncom", "pywintypes", "win32api", "win32com", "win32com.client"):
        mod = types.ModuleType(name)
        mod.Dispatch = mod.com_error = object
        mod.CoInitialize = lambda: None
        sys.modules[name] = mod
    import xlwings
    import xlwings.udfs as udfs

    xlwings.func, xlwings.arg, xlwings.ret = udfs.xlfunc, udfs.xlarg, udfs.xlret
    import roi_udfs

    vba = io.StringIO()

    class Book:
        Name = "Budget.xlsm"

    udfs.generate_vba_wrapper("roi_udfs", roi_udfs, vba, Book())
    blocks = re.findall(r"^Function (\w+)\(.*?^End Function$", vba.getvalue(), re.M | re.S)
    texts = re.findall(r"^Function \w+\(.*?^End Function$", vba.getvalue(), re.M | re.S)
    return {
        name: {"xlfunc": getattr(roi_udfs, name).__xlfunc__, "vba": text}
        for name, text in zip(blocks, texts)
    }


if __name__ == "__main__":
    out = officejs() if sys.argv[1] == "officejs" else classic()
    print(json.dumps(out, ensure_ascii=False, default=repr, sort_keys=True))
