"""What runs inside a batch worker process: its set-up and the task for one file.

The processes themselves are pebble's (:mod:`roi_xl.refresh.batch`): kept warm across
files, stopped and replaced when a file passes the time limit or kills its worker.
:func:`init` runs once per worker; :func:`task` once per file.
"""

from __future__ import annotations

import os
import signal
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .report import FAILED, FileReport

#: Longest wait for another run that is writing the same file (cron overlapping a manual
#: run) before the file is reported as busy; never more than a third of the time limit.
BUSY_WAIT = 10.0


def init(
    memory_bytes: int, settings: dict[str, str] | None = None, sync_folders: bool = True
) -> None:
    """Worker set-up: Ctrl-C is the main process's business (it stops the workers), the
    caller's ``ROI_XL_*`` settings apply, the engine is loaded before the address-space
    limit is set. ``sync_folders=False``: the batch fsyncs the folders once at its end."""
    from .. import fileio

    fileio.SYNC_FOLDERS = sync_folders
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for key in [k for k in os.environ if k.startswith("ROI_XL_")]:
        del os.environ[key]
    os.environ.update(settings or {})
    from . import engine, recalc  # noqa: F401

    if memory_bytes:
        try:
            import resource
        except ImportError:  # Windows: no address-space limit (the time limit still holds)
            return
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def lock_path(path: Path) -> Path:
    """The lock file beside a workbook while a refresh writes it (removed afterwards)."""
    return path.with_name(f".{path.name}.roi-xl.lock")


@contextmanager
def file_lock(path: Path, wait: float) -> Iterator[bool]:
    """Hold the workbook's refresh lock; yields ``False`` when another process keeps it
    longer than ``wait`` seconds. An OS lock (``flock``/``LockFileEx`` via filelock): it
    dies with its process, so a killed run never leaves the file locked."""
    from filelock import FileLock, Timeout

    lock = FileLock(lock_path(path), timeout=wait)
    try:
        lock.acquire()
    except Timeout:
        yield False
        return
    try:
        yield True
    finally:
        if os.name != "nt":  # (filelock removes it itself on Windows)
            # Removed while still held, so no lock file is left beside the workbook: a
            # waiter that then gets the old file's lock sees it unlinked and takes the new
            # one (filelock checks st_nlink), so two runs never both hold it.
            lock_path(path).unlink(missing_ok=True)
        lock.release()


def remove_stale_temp_files(path: Path, wait: float = 0.0) -> None:
    """Remove the temp and lock files a stopped worker left beside ``path``, only when no
    other run is writing it (under its lock: another run's files are never touched)."""
    from ..fileio import temp_files

    if not temp_files(path) and not lock_path(path).exists():
        return
    with file_lock(path, wait) as mine:
        if mine:
            _unlink(temp_files(path))


def _unlink(paths: list[Path]) -> None:
    for p in paths:
        try:
            p.unlink()
        except OSError:
            pass


def task(path: str, backup: bool, dry_run: bool, timeout: float) -> FileReport:
    """Refresh one file under its lock (the function the worker processes run)."""
    from ..fileio import check_writable, temp_files
    from .recalc import refresh_file

    target = Path(path)
    if dry_run or not target.exists():
        return refresh_file(target, backup=backup, dry_run=dry_run)
    why = check_writable(target)
    if why:
        return FileReport(path, FAILED, reason=f"cannot write it: {why}; file left untouched")
    with file_lock(target, min(BUSY_WAIT, timeout / 3)) as mine:
        if not mine:
            return FileReport(
                path,
                "skipped",
                reason="busy: another roi-xl refresh is writing this file; run again when "
                "it has finished",
            )
        _unlink(temp_files(target))  # left by a run that was stopped; we hold the lock
        return refresh_file(target, backup=backup)
