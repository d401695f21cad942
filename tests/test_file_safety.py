"""Files the user owns: atomic writes, modes and owners, no file replaced that we did not
write (issue 12 items 3, 4, 5 and the write failures of 6)."""

from __future__ import annotations

import contextlib
import csv
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from refresh_corpus import budget_openpyxl
from roi_xl.cli import main
from roi_xl.fileio import WriteError, atomic_open, replacing
from roi_xl.refresh import refresh_files

ROOT = Path(__file__).resolve().parents[1]
ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0
OTHER_UID, OTHER_GID = 4321, 5432  # not this process's user or group


@contextlib.contextmanager
def umask(mask: int):
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def leftovers(folder: Path) -> list[str]:
    """Temp and lock files a failed or interrupted write might leave."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@contextlib.contextmanager
def small_disk(tmp_path: Path, size: str = "256k", read_only: bool = False):
    """A real tmpfs (root only here): a full disk, or a read-only file system."""
    if not ROOT_USER:
        pytest.skip("mounting a small file system needs root (CI runs as root)")
    point = tmp_path / "mnt"
    point.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)], check=True)
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


def remount_read_only(point: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(point)], check=True)


# The helper ------------------------------------------------------------------------------------


@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_a_new_file_follows_the_umask(tmp_path, mask, expected):
    with umask(mask):
        with atomic_open(tmp_path / "a.txt", "w") as fh:
            fh.write("x")
    assert mode(tmp_path / "a.txt") == expected


@pytest.mark.skipif(not ROOT_USER, reason="changing a file's owner needs root")
def test_a_replaced_file_keeps_mode_owner_and_group(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old")
    os.chown(target, OTHER_UID, OTHER_GID)
    os.chmod(target, 0o640)
    with replacing(target, backup=True) as tmp:
        tmp.write_text("new")
    st = target.stat()
    assert target.read_text() == "new"
    assert (st.st_uid, st.st_gid, mode(target)) == (OTHER_UID, OTHER_GID, 0o640)
    bak = target.with_name("a.txt.bak")
    assert bak.read_text() == "old" and bak.stat().st_uid == OTHER_UID
    assert leftovers(tmp_path) == []


def test_an_interrupted_write_leaves_the_target_and_no_temp_file(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old")
    with pytest.raises(KeyboardInterrupt):
        with replacing(target, backup=True) as tmp:
            tmp.write_text("half")
            raise KeyboardInterrupt
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]  # no temp, no .bak


def test_write_failures_are_one_plain_line(tmp_path):
    afile = tmp_path / "plain.txt"
    afile.write_text("x")
    with pytest.raises(WriteError) as err:
        with atomic_open(afile / "inside.csv", "w") as fh:
            fh.write("x")
    assert str(err.value) == f"{afile / 'inside.csv'}: {afile} is not a folder"
    with pytest.raises(WriteError, match="does not exist"):
        with atomic_open(tmp_path / "missing" / "s.csv", "w"):
            pass
    afile.chmod(0o444)
    with pytest.raises(WriteError, match="read-only"):
        with atomic_open(afile, "w"):
            pass
    assert afile.read_text() == "x"


def test_a_full_disk_leaves_the_old_file_and_no_temp_file(tmp_path):
    with small_disk(tmp_path, "64k") as disk:
        target = disk / "a.bin"
        target.write_bytes(b"old")
        with pytest.raises(WriteError, match="no space left"):
            with atomic_open(target, "wb") as fh:
                fh.write(b"x" * 1_000_000)
        assert target.read_bytes() == b"old"
        assert sorted(p.name for p in disk.iterdir()) == ["a.bin"]


# roi-xl new, the demo, the example -------------------------------------------------------------


def test_new_writes_files_colleagues_can_read(tmp_path, capsys):
    with umask(0o022):
        assert main(["new", "roi", "-o", str(tmp_path / "roi.xlsx"), "--lang", "en"]) == 0
        assert main(["new", "--all", "-o", str(tmp_path / "all"), "--lang", "en"]) == 0
    assert mode(tmp_path / "roi.xlsx") == 0o644
    assert {mode(p) for p in (tmp_path / "all").glob("*.xlsx")} == {0o644}
    assert leftovers(tmp_path) == [] and leftovers(tmp_path / "all") == []


def test_new_all_never_overwrites_without_force(tmp_path, capsys):
    folder = tmp_path / "all"
    assert main(["new", "--all", "-o", str(folder), "--lang", "en"]) == 0
    (folder / "kpi.xlsx").write_bytes(b"my own file")
    with pytest.raises(SystemExit) as exit_:
        main(["new", "--all", "-o", str(folder), "--lang", "en"])
    assert exit_.value.code == 2 and "already exists" in capsys.readouterr().err
    assert (folder / "kpi.xlsx").read_bytes() == b"my own file"


def test_new_into_a_read_only_folder_is_a_plain_error_before_any_work(tmp_path, capsys):
    with small_disk(tmp_path) as disk:
        remount_read_only(disk)
        with pytest.raises(SystemExit) as exit_:
            main(["new", "roi", "-o", str(disk / "roi.xlsx")])
        err = capsys.readouterr().err
        assert exit_.value.code == 2 and "read-only file system" in err, err
        assert "Traceback" not in err
        with pytest.raises(SystemExit) as exit_:
            main(["new", "--all", "-o", str(disk / "all")])
        assert exit_.value.code == 2 and "read-only" in capsys.readouterr().err


def test_demo_files_follow_the_umask(tmp_path, capsys):
    with umask(0o002):
        assert main(["--lang", "en", "demo", str(tmp_path / "d")]) == 0
    assert {mode(p) for p in (tmp_path / "d").glob("*.xlsx")} == {0o664}


def test_demo_run_again_keeps_a_file_the_user_edited(tmp_path, capsys):
    folder = tmp_path / "d"
    assert main(["--lang", "en", "demo", str(folder)]) == 0
    edited, untouched = folder / "roi-en.xlsx", folder / "kpi-ja.xlsx"
    wb = openpyxl.load_workbook(edited)
    ws = wb.active
    cell = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, (int, float)))
    cell.value = cell.value + 12345  # the user types their own number
    wb.save(edited)
    before, before_untouched = edited.read_bytes(), untouched.read_bytes()
    capsys.readouterr()
    assert main(["--lang", "en", "demo", str(folder)]) == 0
    out = capsys.readouterr().out
    assert edited.read_bytes() == before
    assert "Kept 1 file" in out and str(edited) in out
    assert untouched.read_bytes() == before_untouched  # same content: not rewritten
    assert "seed 002: ROI, net basis" in out and leftovers(folder) == []


def test_demo_into_a_path_through_a_file_is_a_plain_error(tmp_path, capsys):
    (tmp_path / "f").write_text("x")
    assert main(["demo", str(tmp_path / "f" / "d")]) == 2
    err = capsys.readouterr().err
    assert "is not a folder" in err and "Traceback" not in err


def test_example_overview_follows_the_umask(tmp_path):
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        import collect_roi
    finally:
        sys.path.remove(str(ROOT / "examples"))
    import pandas as pd

    with umask(0o022):
        collect_roi.save_overview(
            pd.DataFrame({"workbook": ["a"], "roi": [0.5]}), tmp_path / "o.xlsx"
        )
    assert mode(tmp_path / "o.xlsx") == 0o644 and leftovers(tmp_path) == []


# Refresh: modes, owners, write failures --------------------------------------------------------


@pytest.mark.skipif(not ROOT_USER, reason="changing a file's owner needs root")
def test_refresh_as_root_keeps_the_service_accounts_owner_group_and_mode(tmp_path):
    path = budget_openpyxl(tmp_path / "b.xlsx")
    os.chown(path, OTHER_UID, OTHER_GID)
    os.chmod(path, 0o640)
    [report] = refresh_files([path], progress=False)
    assert report.status == "refreshed", report.reason
    for p in (path, tmp_path / "b.xlsx.bak"):
        st = p.stat()
        assert (st.st_uid, st.st_gid, mode(p)) == (OTHER_UID, OTHER_GID, 0o640), p
    assert openpyxl.load_workbook(path, data_only=True).active["D2"].value is not None


def refresh_cli(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "roi_xl.cli", "refresh", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=kw.pop("cwd", ROOT),
        **kw,
    )


def test_refresh_write_failures_are_one_plain_line_and_leave_no_bak(tmp_path):
    readonly = budget_openpyxl(tmp_path / "readonly.xlsx")
    readonly.chmod(0o444)
    data = readonly.read_bytes()
    run = refresh_cli(str(readonly))
    assert run.returncode == 1, run.stdout + run.stderr
    line = next(ln for ln in run.stdout.splitlines() if "readonly.xlsx" in ln)
    assert "failed" in line and "the file is read-only" in line
    assert "Traceback" not in run.stdout + run.stderr
    assert readonly.read_bytes() == data and leftovers(tmp_path) == []
    assert not readonly.with_name("readonly.xlsx.bak").exists()


def test_refresh_on_a_read_only_file_system_and_a_full_disk(tmp_path):
    with small_disk(tmp_path, "200k") as disk:
        full = budget_openpyxl(disk / "full.xlsx", rows=400)
        data = full.read_bytes()
        filler = disk / "filler"
        with contextlib.suppress(OSError):
            with open(filler, "wb") as fh:
                while True:
                    fh.write(b"\0" * 4096)
                    fh.flush()
        run = refresh_cli(str(full))
        assert run.returncode == 1, run.stdout + run.stderr
        line = next(ln for ln in run.stdout.splitlines() if "full.xlsx" in ln)
        assert "no space left on the disk" in line and "file left untouched" in line, line
        assert full.read_bytes() == data
        assert sorted(p.name for p in disk.iterdir()) == ["filler", "full.xlsx"]
        filler.unlink()
        remount_read_only(disk)
        run = refresh_cli(str(full))
        assert run.returncode == 1 and "read-only file system" in run.stdout, run.stdout
        assert "Traceback" not in run.stdout + run.stderr and full.read_bytes() == data


# --summary -------------------------------------------------------------------------------------


@pytest.fixture
def workbooks(tmp_path):
    folder = tmp_path / "s"
    folder.mkdir()
    return [budget_openpyxl(folder / f"{k}.xlsx", rows=3) for k in "abc"]


def test_summary_over_a_workbook_is_refused_even_with_dry_run(workbooks, tmp_path):
    """The shell slip of issue 12: `--summary s/*.xlsx` makes s/a.xlsx the summary."""
    before = [p.read_bytes() for p in workbooks]
    run = refresh_cli("--dry-run", "--summary", *map(str, workbooks))
    assert run.returncode == 2, run.stdout + run.stderr
    assert "is not a summary roi-xl wrote" in run.stderr and "--force" in run.stderr
    assert run.stdout == ""  # refused before any work
    assert [p.read_bytes() for p in workbooks] == before


def test_summary_never_replaces_an_input_not_even_with_force(workbooks):
    data = workbooks[0].read_bytes()
    run = refresh_cli("--force", "--summary", str(workbooks[0]), *map(str, workbooks))
    assert run.returncode == 2 and "one of the workbooks to refresh" in run.stderr
    assert workbooks[0].read_bytes() == data


@pytest.mark.parametrize("name", ["summary.csv", "summary.xlsx"])
def test_summary_replaces_its_own_earlier_summary_but_not_a_foreign_file(workbooks, tmp_path, name):
    summary = tmp_path / name
    assert refresh_cli("--summary", str(summary), *map(str, workbooks)).returncode == 0
    assert refresh_cli("--summary", str(summary), *map(str, workbooks)).returncode == 0
    if name.endswith(".csv"):
        with open(summary, newline="", encoding="utf-8") as fh:
            assert next(csv.reader(fh))[:2] == ["file", "status"]
    else:
        assert openpyxl.load_workbook(summary).active["A1"].value == "file"
    foreign = tmp_path / ("notes" + summary.suffix)
    shutil.copyfile(workbooks[0], foreign) if name.endswith("xlsx") else foreign.write_text("x\n")
    data = foreign.read_bytes()
    run = refresh_cli("--summary", str(foreign), *map(str, workbooks))
    assert run.returncode == 2 and foreign.read_bytes() == data
    assert refresh_cli("--force", "--summary", str(foreign), *map(str, workbooks)).returncode == 0
    assert foreign.read_bytes() != data


def test_summary_into_a_missing_folder_is_a_plain_error_before_any_work(workbooks, tmp_path):
    run = refresh_cli("--summary", str(tmp_path / "missing" / "s.csv"), *map(str, workbooks))
    assert run.returncode == 2 and run.stdout == ""
    assert "does not exist" in run.stderr and "Traceback" not in run.stderr
    assert not any(p.with_name(p.name + ".bak").exists() for p in workbooks)


def test_summary_is_written_with_the_umask(workbooks, tmp_path):
    with umask(0o022):
        assert refresh_cli("--summary", str(tmp_path / "s.csv"), str(workbooks[0])).returncode == 0
    assert mode(tmp_path / "s.csv") == 0o644


def test_a_symlink_stays_a_symlink_and_its_file_is_replaced(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    with atomic_open(link, "w") as fh:
        fh.write("new")
    assert link.is_symlink() and real.read_text() == "new"


def test_a_new_private_file_stays_private(tmp_path):
    with umask(0o022):
        with atomic_open(tmp_path / "xlwings.conf", "w", new_mode=0o600) as fh:
            fh.write('"ROI","x"\n')
    assert mode(tmp_path / "xlwings.conf") == 0o600


KILLER = """
import os, signal, sys
from pathlib import Path
from roi_xl import fileio

target, point, link = Path(sys.argv[1]), sys.argv[2], sys.argv[3] == "link"
real_replace, real_copy = os.replace, fileio.shutil.copy2
if not link:  # a file system without hard links: the backup is a copy
    fileio.os.link = lambda *a: (_ for _ in ()).throw(OSError("no hard links"))

def replace(src, dst):
    if Path(dst) == target and point == "before-replace":
        os.kill(os.getpid(), signal.SIGKILL)
    real_replace(src, dst)
    if Path(dst) == target and point == "between-renames":
        os.kill(os.getpid(), signal.SIGKILL)

def copy2(src, dst):  # killed half-way through copying the old file
    with open(dst, "wb") as fh:
        fh.write(Path(src).read_bytes()[:10])
    os.kill(os.getpid(), signal.SIGKILL)

fileio.os.replace = replace
if point == "mid-copy":
    fileio.shutil.copy2 = copy2
with fileio.replacing(target, backup=True) as tmp:
    tmp.write_bytes(b"new content")
"""


@pytest.mark.parametrize(
    "point, link",
    [(p, k) for p in ("before-replace", "between-renames") for k in ("link", "copy")]
    + [("mid-copy", "copy")],  # a hard link is made at once: there is no half-made one
)
def test_a_writer_killed_at_any_point_loses_neither_the_file_nor_its_backup(tmp_path, point, link):
    """SIGKILL cannot be held: a writer killed between replacing the file and moving the
    old one to .bak used to leave the old file only as a temp file, which the next run
    removed (a CI run caught it). recover() now finishes or undoes what was left."""
    from roi_xl.fileio import recover, temp_files

    target = tmp_path / "book.xlsx"
    target.write_bytes(b"old content, the user's")
    previous_bak = tmp_path / "book.xlsx.bak"
    previous_bak.write_bytes(b"the backup of an earlier run")
    run = subprocess.run(
        [sys.executable, "-c", KILLER, str(target), point, link], cwd=ROOT, capture_output=True
    )
    assert run.returncode == -9, run.stderr.decode()
    assert temp_files(target)  # what a killed writer leaves
    recover(target)
    assert temp_files(target) == []
    if point == "between-renames":  # the replace happened: finished as the writer meant
        assert target.read_bytes() == b"new content"
        assert previous_bak.read_bytes() == b"old content, the user's"
    else:  # it did not: undone, the earlier backup untouched
        assert target.read_bytes() == b"old content, the user's"
        assert previous_bak.read_bytes() == b"the backup of an earlier run"
