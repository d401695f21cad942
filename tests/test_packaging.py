"""The wheel a clean checkout builds: pure Python (Pyodide / xlwings Lite can install it),
with the library, the UDF module and nothing platform-specific."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    src = tmp_path_factory.mktemp("src")
    files = (
        subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
        .stdout.decode()
        .split("\0")
    )
    if not any(files):
        pytest.fail("not a git checkout: the wheel test copies the tracked files")
    for f in filter(None, files):
        target = src / f
        target.parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / f).is_file():
            target.write_bytes((ROOT / f).read_bytes())
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(src)],
        check=True,
        capture_output=True,
    )
    (whl,) = out.glob("*.whl")
    return whl


def test_wheel_is_pure_python_and_holds_library_and_udfs(wheel):
    assert wheel.name.endswith("-py3-none-any.whl"), wheel.name
    names = zipfile.ZipFile(wheel).namelist()
    assert "roi_udfs.py" in names
    for module in (
        "roi_xl/__init__.py",
        "roi_xl/metrics.py",
        "roi_xl/excel_functions/table.py",
        "roi_xl/excel_functions/coerce.py",
        "roi_xl/py.typed",
    ):
        assert module in names
    assert not [n for n in names if n.endswith((".so", ".pyd", ".dll", ".dylib"))]
    # test and documentation tools stay in the checkout (tools/), out of the library
    assert not [n for n in names if n.startswith("tools/") or "libreoffice" in n]
    assert "roi_xl/templates/render.py" not in names
    meta = next(n for n in names if n.endswith("METADATA"))
    text = zipfile.ZipFile(wheel).read(meta).decode()
    assert "Requires-Python: >=3.11" in text
    entry = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt")))
    assert b"roi-xl = roi_xl.cli:main" in entry


def test_functions_import_no_process_or_thread_machinery():
    code = (
        "import sys, threading, roi_xl, roi_xl.excel_functions; "
        "bad = [m for m in ('multiprocessing', 'roi_xl.refresh', 'formualizer', 'openpyxl', "
        "'pandas') if m in sys.modules]; print(bad, threading.active_count())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout.strip()
    assert out == "[] 1"
