"""The short cuts the refresh takes for speed give the answers of the long way.

Speed itself is measured in ``benchmarks/`` (never timed here); these tests check that
each short cut is taken only when it is safe and changes no value.
"""

from __future__ import annotations

import os
import time
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roi_xl.excel_functions.table import FUNCTIONS
from roi_xl.refresh import engine
from roi_xl.refresh.recalc import refresh_file


def _values(path):
    wb = openpyxl.load_workbook(path, data_only=True)
    return {(ws.title, c.coordinate): c.value for ws in wb for row in ws.iter_rows() for c in row}


def _counted(monkeypatch, name: str) -> list:
    """The arguments of every call the engine makes to our function ``name``."""
    calls: list = []
    function = FUNCTIONS[name]

    class Counting:
        def __getattr__(self, attr):
            return getattr(function, attr)

        def __call__(self, *args):
            calls.append(args)
            return function(*args)

    monkeypatch.setitem(FUNCTIONS, name, Counting())
    return calls


def test_repeated_calls_are_computed_once_per_workbook_and_never_mixed_up(tmp_path, monkeypatch):
    roi = FUNCTIONS["ROI"]
    calls = _counted(monkeypatch, "ROI")
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


def test_calls_on_big_ranges_are_not_remembered_and_still_right(tmp_path, monkeypatch):
    calls = _counted(monkeypatch, "ROI")
    book = openpyxl.Workbook()
    sheet = book.active
    for row in range(1, 5001):
        sheet.append([1000 + row, 300, 200])
    sheet["E1"] = "=SUM(ROI(A1:A5000,B1:B5000,C1:C5000))"
    sheet["E2"] = "=SUM(ROI(A1:A5000,B1:B5000,C1:C5000))"
    path = tmp_path / "big.xlsx"
    book.save(path)
    assert refresh_file(path, backup=False).status == "refreshed"
    got = _values(path)
    expected = sum((1000 + r - 300 - 200) / 200 for r in range(1, 5001))
    assert got["Sheet", "E1"] == got["Sheet", "E2"] == pytest.approx(expected)
    assert len(calls) == 2  # 15 000 cells: computed each time, no key text kept


def test_only_plain_arguments_are_remembered():
    assert engine._plain([[1.0, "a", None, True], {"type": "Error", "kind": "Div"}])
    assert not engine._plain([[1.0, object()]])
    assert not engine._plain({"type": object()})


# The per-file lock (flock on POSIX) ---------------------------------------------------------


@pytest.mark.skipif(os.name == "nt", reason="flock is the POSIX lock")
def test_a_waiter_that_gets_the_lock_of_a_removed_lock_file_takes_the_new_one(
    tmp_path, monkeypatch
):
    import fcntl

    from roi_xl.refresh.worker import _flock, lock_path

    lock = lock_path(tmp_path / "b.xlsx")
    first = _flock(lock, 0)
    assert isinstance(first, int) and first >= 0
    third: list[int] = []
    real = fcntl.flock

    def racing(fd, op):
        if not third and fd != first:
            # between the waiter's open and its flock, the holder removes the lock file and
            # lets go, and a third run creates and locks a new one
            lock.unlink()
            os.close(first)
            third.append(os.open(lock, os.O_RDWR | os.O_CREAT))
            real(third[0], fcntl.LOCK_EX)
        return real(fd, op)

    monkeypatch.setattr(fcntl, "flock", racing)
    try:
        assert _flock(lock, 0.3) is None  # busy: never a second holder
    finally:
        os.close(third[0])
    monkeypatch.undo()
    fd = _flock(lock, 0)
    assert isinstance(fd, int) and fd >= 0
    os.close(fd)


@pytest.mark.parametrize("which", ["file_lock", "_filelock"])
def test_the_lock_is_exclusive_and_leaves_no_file(tmp_path, which):
    """Both routes (``_filelock`` is Windows' and the fallback of a file system without
    flock), run on every OS."""
    from roi_xl.refresh import worker

    lock = getattr(worker, which)
    path = tmp_path / "b.xlsx"
    with lock(path, 0) as mine:
        assert mine and worker.lock_path(path).exists()
        with lock(path, 0.2) as again:
            assert not again
    assert not worker.lock_path(path).exists()
    with lock(path, 0) as mine:
        assert mine


def test_temp_files_of_a_stopped_run_are_removed_with_one_listing_per_folder(tmp_path):
    from roi_xl.refresh import worker
    from roi_xl.templates import write

    paths = [write("roi", tmp_path / f"{k}.xlsx", "en") for k in range(3)]
    stale = tmp_path / ".1.xlsx.0badf00d.tmp"  # a run killed while writing 1.xlsx
    stale.write_bytes(b"half a file")
    other = tmp_path / ".notes.txt.tmp"  # not one of ours
    other.write_bytes(b"x")
    for path in paths:
        assert worker.task(str(path), False, False, 60).status == "unchanged"
    assert not stale.exists() and other.exists()
    assert str(tmp_path) in worker._temp_names  # listed once, kept for the next files


# The engine's view of the package ----------------------------------------------------------


def _view(path):
    from roi_xl.refresh import engine_input, xlsx
    from roi_xl.refresh.sheet import scan

    with xlsx.Package(path) as pkg:
        sheets = pkg.sheets()
        scans = {s: scan(pkg.read(p).decode(), formulas=True) for s, p in sheets}
        return engine_input.build(pkg, sheets, scans)


def test_a_plain_workbook_is_loaded_as_it_is_without_reading_its_tables(tmp_path, monkeypatch):
    from roi_xl.refresh import engine_input
    from roi_xl.templates import write

    def no_tables(*_):
        raise AssertionError("tables read for a workbook without structured references")

    monkeypatch.setattr(engine_input, "read_tables", no_tables)
    view = _view(write("roi-ranking", tmp_path / "r.xlsx", "en"))
    assert view.data is None and view.kept == {} and view.date_system == "1900"


def test_lower_case_function_names_still_keep_excel_values(tmp_path):
    # (complex-number functions, the example here once, are computed now: builtins/)
    book = openpyxl.Workbook()
    book.active["A1"] = "=formulatext(A2)"
    book.active["A2"] = "=sum(1,2)"  # Excel would show =SUM(1,2): not the file's text
    path = tmp_path / "c.xlsx"
    book.save(path)
    view = _view(path)
    assert set(view.kept) == {("Sheet", "A1")}
    assert "FORMULATEXT" in view.kept["Sheet", "A1"]


# Reading members straight from the file's bytes -------------------------------------------


def test_every_member_of_the_corpus_reads_as_zipfile_reads_it():
    """The direct inflate against the standard library's zipfile, on every member of every
    workbook of the real-world corpus."""
    import zipfile
    from pathlib import Path

    from roi_xl.refresh import xlsx
    from roi_xl.refresh.package import _inflate

    files = sorted((Path(__file__).parent / "data" / "poi").glob("*.xls[xm]"))
    assert len(files) > 50
    members = 0
    for path in files:
        with zipfile.ZipFile(path) as z, xlsx.Package(path) as pkg:
            assert pkg._bytes is not None
            for info in z.infolist():
                got = _inflate(pkg._bytes, info, info.file_size)
                assert got is not None, (path.name, info.filename)
                assert got == z.read(info), (path.name, info.filename)
                members += 1
    assert members > 1000


def test_a_member_with_a_wrong_crc_is_corrupt(tmp_path):
    import zipfile

    from roi_xl.refresh import xlsx
    from roi_xl.refresh.package import UnreadableWorkbook
    from roi_xl.templates import write

    path = write("roi", tmp_path / "r.xlsx", "en")
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/workbook.xml")
    at = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    with zipfile.ZipFile(path) as z:
        stored = info.compress_type == zipfile.ZIP_STORED
    data[at + (10 if stored else info.compress_size // 2)] ^= 0x55  # flip bits mid-stream
    path.write_bytes(bytes(data))
    with xlsx.Package(path) as pkg, pytest.raises(UnreadableWorkbook, match="corrupt"):
        pkg.read("xl/workbook.xml")


# Start-up: what the refresh path loads, and its workers ---------------------------------------


def test_roi_xl_refresh_loads_no_openpyxl_numpy_or_tqdm_in_the_main_process(tmp_path):
    import subprocess
    import sys

    from roi_xl.templates import write

    path = write("lift-test", tmp_path / "l.xlsx", "en")  # its workers do need NumPy
    code = (
        "import sys\n"
        "from roi_xl.cli import main\n"
        "code = main(['refresh', sys.argv[1], '-q', '--no-backup'])\n"
        "print(code, sorted(m for m in ('openpyxl', 'numpy', 'tqdm') if m in sys.modules))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "0 []"


def test_the_number_format_renderer_is_loaded_only_for_a_workbook_that_calls_text(tmp_path):
    import subprocess
    import sys

    from roi_xl.templates import write

    plain = write("roi", tmp_path / "roi.xlsx", "en")
    book = openpyxl.Workbook()
    book.active["A1"] = 0.25
    book.active["A2"] = '=TEXT(A1,"0.0%")'
    with_text = tmp_path / "text.xlsx"
    book.save(with_text)
    code = (
        "import sys\n"
        "from roi_xl.refresh.recalc import refresh_file\n"
        "for path in sys.argv[1:]:\n"
        "    status = refresh_file(path, backup=False).status\n"
        "    print(status, 'roi_xl.numfmt' in sys.modules)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(plain), str(with_text)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["unchanged", "False", "refreshed", "True"]
    assert _values(with_text)["Sheet", "A2"] == "25.0%"


def test_refresh_help_is_the_same_through_the_short_way(capsys):
    from roi_xl.cli import build_parser, main

    with pytest.raises(SystemExit):
        main(["refresh", "--help"])
    short = capsys.readouterr().out
    with pytest.raises(SystemExit):
        build_parser().parse_args(["refresh", "--help"])
    assert short == capsys.readouterr().out and "exit codes:" in short


def _recorded(monkeypatch, module, name) -> list:
    """What ``module.name(...)`` returns, call after call, from now on."""
    made: list = []
    real = getattr(module, name)

    def call(*args):
        made.append(real(*args))
        return made[-1]

    monkeypatch.setattr(module, name, call)
    return made


def test_workers_started_ahead_are_used_then_ended(tmp_path, monkeypatch):
    from roi_xl.refresh import batch
    from roi_xl.templates import write

    started = _recorded(monkeypatch, batch, "_start_worker")
    assert batch.refresh_files([tmp_path], progress=False) == []  # nothing to do
    assert len(started) == 1 and started[0].poll() == 0  # the one started ahead, ended
    for k in range(4):
        write("roi", tmp_path / f"{k}.xlsx", "en")
    reports = batch.refresh_files([tmp_path], jobs=2, progress=False)
    assert [r.status for r in reports] == ["unchanged"] * 4
    assert len(started) == 3 and all(p.poll() == 0 for p in started)  # two more, both used


# Replies read through a thread (the Windows route), run here too --------------------------


def test_threaded_reads_refresh_a_batch_and_stop_a_hanging_file(tmp_path, monkeypatch):
    from roi_xl.refresh import batch
    from roi_xl.refresh.engine import SLOW_HOOK
    from tests import refresh_corpus as corpus

    monkeypatch.setattr(batch, "THREADED_READS", True)
    made = _recorded(monkeypatch, batch, "Pipe")
    books = [corpus.budget_openpyxl(tmp_path / f"b{k}.xlsx") for k in range(3)]
    reports = batch.refresh_files(books, jobs=2, progress=False)
    assert [r.status for r in reports] == ["refreshed"] * 3
    assert made and all(p.queue is not None for p in made)  # the threaded route was taken
    slow = corpus.roi_functions_openpyxl(tmp_path / "slow.xlsx")
    data = slow.read_bytes()
    monkeypatch.setenv(SLOW_HOOK, "30")
    reports = batch.refresh_files([slow], jobs=1, progress=False, timeout=2)
    assert reports[0].failed and "time limit" in reports[0].reason
    assert slow.read_bytes() == data


def test_a_threaded_pipe_reads_across_chunks_and_ends():
    import os as _os

    from roi_xl.refresh.batch import Pipe

    r, w = _os.pipe()
    pipe = Pipe(r, threaded=True)
    _os.write(w, b"abc")
    _os.write(w, b"defg")
    far = time.monotonic() + 5
    assert pipe.read(2, far) == b"ab" and pipe.read(4, far) == b"cdef"
    with pytest.raises(TimeoutError):
        pipe.read(2, time.monotonic() + 0.2)  # one byte there, the second never comes
    _os.close(w)
    with pytest.raises(EOFError):
        pipe.read(2, far)
    _os.close(r)


def test_parts_deflated_in_a_thread_read_back_as_the_plain_route_writes_them(tmp_path, monkeypatch):
    import shutil
    import zipfile

    from roi_xl.refresh import writer
    from tests import refresh_corpus as corpus

    src = corpus.budget_openpyxl(tmp_path / "src.xlsx")
    outs = {}
    for route, threshold in (("thread", 1), ("plain", 1 << 60)):
        monkeypatch.setattr(writer, "THREAD_DEFLATE_BYTES", threshold)
        started = _recorded(monkeypatch, writer, "_Deflating")
        path = shutil.copy(src, tmp_path / f"{route}.xlsx")
        assert refresh_file(path, backup=False).status == "refreshed"
        assert bool(started[0].jobs) == (route == "thread")
        with zipfile.ZipFile(path) as z:
            assert z.testzip() is None
            outs[route] = [(i.filename, i.compress_type, z.read(i)) for i in z.infolist()]
    assert outs["thread"] == outs["plain"]


# The engine evaluating while the sheets are scanned ----------------------------------------


def _early(monkeypatch, threshold: int) -> list:
    """Every EarlyEngine made from now on, with ``EARLY_ENGINE_CHARS`` set to ``threshold``."""
    from roi_xl.refresh import recalc

    monkeypatch.setattr(recalc, "EARLY_ENGINE_CHARS", threshold)
    made: list = []
    real = recalc.EarlyEngine.start.__func__

    def start(cls, *args, **kwargs):
        made.append(real(cls, *args, **kwargs))
        return made[-1]

    monkeypatch.setattr(recalc.EarlyEngine, "start", classmethod(start))
    return made


def _members(path) -> list:
    import zipfile

    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        return [(i.filename, z.read(i)) for i in z.infolist()]


@pytest.mark.parametrize("kind", ["roi functions", "rich", "budget"])
def test_the_engine_evaluating_beside_the_scan_writes_the_file_of_the_usual_route(
    tmp_path, monkeypatch, kind
):
    import shutil

    from tests import refresh_corpus as corpus

    make = {
        "roi functions": corpus.roi_functions_openpyxl,
        "rich": corpus.rich_xlsxwriter,
        "budget": corpus.budget_openpyxl,
    }[kind]
    from roi_xl.refresh import engine_input

    monkeypatch.setattr(engine_input, "may_load_as_is", lambda *_: True)  # a wrong guess too
    src = make(tmp_path / "src.xlsx")
    outs = {}
    for route, threshold in (("early", 0), ("usual", 1 << 60)):
        made = _early(monkeypatch, threshold)
        path = shutil.copy(src, tmp_path / f"{route}.xlsx")
        report = refresh_file(path, backup=False)
        assert report.status == "refreshed", report.reason
        assert (made[0].thread is not None) == (route == "early")
        outs[route] = (_members(path), report.computed, report.kept, report.errors)
    assert outs["early"] == outs["usual"]


def test_a_workbook_the_engine_must_see_otherwise_drops_the_early_evaluation(tmp_path, monkeypatch):
    # a 3-D reference is shown to the engine rewritten (engine_gaps.three_d), which the
    # quick guess before the scan does not see: the early workbook must not be used
    book = openpyxl.Workbook()
    book.active.title = "Jan"
    book.create_sheet("Feb")["A1"] = 5
    book["Jan"]["A1"] = 4
    total = book.create_sheet("Sum")
    total["A1"] = "=SUM(Jan:Feb!A1)"
    total["A2"] = "=A1*2"
    path = tmp_path / "three_d.xlsx"
    book.save(path)
    made = _early(monkeypatch, 0)
    report = refresh_file(path, backup=False)
    assert report.status == "refreshed" and report.kept == 0, report.reason
    assert made[0].thread is not None and made[0].wb is None  # started, then dropped
    assert _values(path)["Sum", "A1"] == 9 and _values(path)["Sum", "A2"] == 18


@pytest.mark.parametrize("case", ["plain", "table", "sheet1", "array", "iterate"])
def test_the_engine_starts_early_only_when_it_will_likely_load_the_file_itself(
    tmp_path, monkeypatch, case
):
    from roi_xl.refresh import engine_input, xlsx

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([1, 2])
    sheet["C1"] = "=A1+B1"
    if case == "table":
        from openpyxl.worksheet.table import Table

        sheet.append([3, 4])
        sheet["A1"], sheet["B1"], sheet["C1"] = "x", "y", "z"
        sheet.add_table(Table(displayName="T", ref="A1:B2"))
        sheet["D1"] = "=SUM(T[x])"
    elif case == "sheet1":
        sheet.title = "sheet1"
    elif case == "array":
        from openpyxl.worksheet.formula import ArrayFormula

        sheet["D1"] = ArrayFormula("D1:D2", "=A1:B1*2")
    elif case == "iterate":
        book.calculation.iterate = True
    path = tmp_path / f"{case}.xlsx"
    book.save(path)
    with xlsx.Package(path) as pkg:
        sheets = pkg.sheets()
        texts = {name: pkg.read(part).decode() for name, part in sheets}
        guess = engine_input.may_load_as_is(pkg, list(texts), texts.values())
    assert guess == (case == "plain")
    made = _early(monkeypatch, 0)
    assert refresh_file(path, backup=False).status == "refreshed"
    assert (made[0].thread is not None) == (case == "plain")


def test_a_failure_of_the_early_engine_takes_the_usual_routes(tmp_path, monkeypatch):
    from roi_xl.errors import EngineFailed
    from roi_xl.refresh import recalc
    from tests import refresh_corpus as corpus

    src = corpus.budget_openpyxl(tmp_path / "src.xlsx")
    expected = tmp_path / "expected.xlsx"
    expected.write_bytes(src.read_bytes())
    assert refresh_file(expected, backup=False).status == "refreshed"

    # 1. its evaluation fails as the engine's own failures do: the second route runs
    real = recalc.evaluate_all
    failed = []

    def fail_once(wb):
        if not failed:
            failed.append(wb)
            raise EngineFailed("reversed range")
        real(wb)

    monkeypatch.setattr(recalc, "evaluate_all", fail_once)
    made = _early(monkeypatch, 0)
    report = refresh_file(src, backup=False)
    assert report.status == "refreshed" and failed == [made[0].wb], report.reason
    assert _values(src) == _values(expected)

    # 2. its load fails: it stays idle and the usual route loads the file
    monkeypatch.setattr(recalc, "evaluate_all", real)
    again = corpus.budget_openpyxl(tmp_path / "again.xlsx")
    loads = []

    def load(source, formulas=None, date_system="1900", **kwargs):
        loads.append(formulas is None)
        if formulas is None:
            raise OSError("simulated")
        return real_load(source, formulas, date_system, **kwargs)

    real_load = engine.load
    monkeypatch.setattr(engine, "load", load)
    report = refresh_file(again, backup=False)
    assert report.status == "refreshed" and loads == [True, False], report.reason
    assert made[-1].thread is None and _values(again) == _values(expected)


def test_a_big_sheet_of_data_without_formulas_never_loads_the_engine(tmp_path, monkeypatch):
    from roi_xl.refresh import recalc

    book = openpyxl.Workbook()
    for row in range(200):
        book.active.append([row, row * 2.5, f"text {row}"])
    path = tmp_path / "data.xlsx"
    book.save(path)
    made = _early(monkeypatch, 0)
    monkeypatch.setattr(engine, "load", lambda *a, **k: pytest.fail("engine loaded"))
    assert recalc.refresh_file(path, backup=False).status == "unchanged"
    assert made[0].thread is None


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.floats(allow_nan=False, allow_infinity=False) | st.integers(-(10**17), 10**17).map(float)
    )
)
def test_numbers_in_bulk_are_written_as_one_at_a_time(values):
    """The bulk shortcut (repr, integral values cut at ".0") is :func:`number_text` itself."""
    from roi_xl.refresh.values import number_text, number_texts

    assert number_texts(values) == [number_text(x) for x in values]
    assert all(float(t) == x for t, x in zip(number_texts(values), values))


def test_a_worker_collects_cycles_rarely_and_never_its_modules():
    """worker.init raises the collector's first threshold and freezes what is loaded; the
    process that calls refresh_file itself (the Python API) keeps its own settings."""
    import subprocess
    import sys

    code = (
        "import gc; from roi_xl.refresh import worker, recalc\n"
        "before = gc.get_threshold()\n"
        "worker.init(0)\n"
        "print(before[0], gc.get_threshold()[0], gc.get_freeze_count() > 1000)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["700", "200000", "True"]


def test_the_cores_given_reach_the_early_engine_and_change_no_value(tmp_path, monkeypatch):
    """refresh_file(cores=2): the early engine evaluates on two threads; the file written is
    the one a single core writes."""
    import shutil

    from roi_xl.refresh import engine, engine_input
    from tests import refresh_corpus as corpus

    seen: list = []
    real = engine.load
    monkeypatch.setattr(engine, "load", lambda *a, **k: (seen.append(k), real(*a, **k))[1])
    monkeypatch.setattr(engine_input, "may_load_as_is", lambda *_: True)
    made = _early(monkeypatch, 0)
    src = corpus.roi_functions_openpyxl(tmp_path / "src.xlsx")
    outs = {}
    for cores in (1, 2):
        seen.clear()
        path = shutil.copy(src, tmp_path / f"cores{cores}.xlsx")
        report = refresh_file(path, backup=False, cores=cores)
        assert report.status == "refreshed", report.reason
        assert made[-1].thread is not None  # the early route
        assert [k.get("threads", 1) for k in seen] == [cores]
        outs[cores] = (_members(path), report.computed)
    assert outs[1] == outs[2]


def test_a_batch_gives_a_lone_file_every_core_and_shares_them_otherwise(tmp_path, monkeypatch):
    from roi_xl.refresh import batch, worker
    from roi_xl.refresh.batch import refresh_files
    from tests import refresh_corpus as corpus

    sent: list = []
    real = worker.frame
    monkeypatch.setattr(worker, "frame", lambda obj: (sent.append(obj), real(obj))[1])
    monkeypatch.setattr(batch.os, "cpu_count", lambda: 2)
    a = corpus.budget_openpyxl(tmp_path / "a.xlsx")
    b = corpus.budget_openpyxl(tmp_path / "b.xlsx")
    for paths, jobs, cores in (([a], None, 2), ([a, b], None, 1), ([a, b], 1, 2)):
        sent.clear()
        reports = refresh_files(paths, jobs=jobs, backup=False, progress=False)
        assert all(not r.failed for r in reports), reports
        assert [request[4] for request in sent] == [cores] * len(paths)
