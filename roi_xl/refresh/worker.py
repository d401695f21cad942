"""The worker process: refreshes one file per request, under a memory limit.

Run by :mod:`roi_xl.refresh.batch` as ``python -m roi_xl.refresh.worker MEMORY_BYTES
[sync]``, kept warm across files; requests and reports travel as length-prefixed pickles
(:func:`frame` / :func:`read_frame`, the one definition both sides use) over stdin/stdout.
:func:`init` runs once per worker; :func:`task` once per file.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

from .report import FAILED, FileReport

HEADER = struct.Struct("<Q")


def frame(obj: Any) -> bytes:
    """One message: its length, then its pickle."""
    data = pickle.dumps(obj)
    return HEADER.pack(len(data)) + data


def read_frame(read: Callable[[int], bytes]) -> Any:
    """The next message, from ``read(n)`` (n bytes, or fewer at the end of the stream:
    ``EOFError``)."""
    head = read(HEADER.size)
    if len(head) < HEADER.size:
        raise EOFError
    (size,) = HEADER.unpack(head)
    data = read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


#: Longest wait for another run that is writing the same file (cron overlapping a manual
#: run) before the file is reported as busy; never more than a third of the time limit.
BUSY_WAIT = 10.0


def init(memory_bytes: int, sync_folders: bool = True) -> None:
    """Worker set-up: Ctrl-C is the batch's business (it stops the workers), the engine is
    loaded before the address-space limit is set. ``sync_folders=False``: the batch fsyncs
    the folders once at its end."""
    from .. import fileio

    fileio.SYNC_FOLDERS = sync_folders
    signal.signal(signal.SIGINT, signal.SIG_IGN)
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


def remove_stale_temp_files(path: Path, wait: float = 0.0) -> bool:
    """Clean up after a stopped worker: its temp files go, a backup it had not yet moved
    to ``PATH.bak`` is moved there (:func:`roi_xl.fileio.recover`); only when no other run
    is writing the file (under its lock: another run's files are never touched).
    ``True`` when the worker had replaced the file already (stopped between its renames)."""
    from ..fileio import recover, temp_files

    if not temp_files(path) and not lock_path(path).exists():
        return False
    with file_lock(path, wait) as mine:
        return mine and any(step.startswith("kept") for step in recover(path))


def task(path: str, backup: bool, dry_run: bool, timeout: float) -> FileReport:
    """Refresh one file under its lock (the function the worker processes run)."""
    from ..fileio import check_writable, recover
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
        recover(target)  # after a run that was killed; we hold the lock
        return refresh_file(target, backup=backup)


def main(argv: list[str]) -> int:
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print must not corrupt the protocol
    init(int(argv[0]) if argv else 0, sync_folders=argv[1:2] == ["sync"])
    requests = sys.stdin.buffer
    while True:
        try:
            path, backup, dry_run, timeout = read_frame(requests.read)
        except EOFError:
            return 0
        out.write(frame(task(path, backup, dry_run, timeout)))
        out.flush()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
