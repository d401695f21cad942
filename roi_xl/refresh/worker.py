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
import time
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

    fewer_collections()
    if memory_bytes:
        try:
            import resource
        except ImportError:  # Windows: no address-space limit (the time limit still holds)
            return
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


#: The cyclic collector's first threshold in a worker (Python's default: 700), as mypy sets
#: it for its own bulk work: a refresh makes objects by the hundred thousand (the scan's
#: tuples, the changes) and almost no cycles, and the default collected 548 times per
#: 100 000 formulas (4 of them full, over every object), none with this (0.06 s of ~1 s
#: in process, 16 alternating rounds). Reference counting still frees everything at once.
GC_THRESHOLD = 200_000


def fewer_collections() -> None:
    """This process (a worker: nothing but refreshes) collects cycles rarely, and never
    traverses what is loaded now (the modules: ``gc.freeze``)."""
    import gc

    gc.freeze()
    _, second, third = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, max(second, 30), max(third, 30))


def lock_path(path: Path) -> Path:
    """The lock file beside a workbook while a refresh writes it (removed afterwards)."""
    return path.with_name(f".{path.name}.roi-xl.lock")


@contextmanager
def file_lock(path: Path, wait: float) -> Iterator[bool]:
    """Hold the workbook's refresh lock; yields ``False`` when another process keeps it
    longer than ``wait`` seconds. An OS lock (``flock`` on POSIX, ``LockFileEx`` via
    filelock on Windows): it dies with its process, so a killed run never leaves the file
    locked. The lock file is removed while still held, so none is left beside the workbook.
    """
    if os.name == "nt":
        with _filelock(path, wait) as mine:
            yield mine
        return
    fd = _flock(lock_path(path), wait)
    if fd is _NO_FLOCK:  # a file system without flock: filelock's soft lock
        with _filelock(path, wait) as mine:
            yield mine
        return
    if fd is None:
        yield False
        return
    try:
        yield True
    finally:
        try:
            lock_path(path).unlink(missing_ok=True)  # still held: see _flock
        finally:
            os.close(fd)  # releases the lock


_NO_FLOCK = -1


def _flock(lock: Path, wait: float) -> int | None:
    """An open descriptor of ``lock`` holding its ``flock``, ``None`` when another process
    holds it past ``wait`` seconds, ``_NO_FLOCK`` when the file system has no ``flock``.

    The holder unlinks the lock file before it lets go, so a waiter may get the lock of a
    file that is no longer there; it sees that (the path now names another file, or none)
    and starts again with the path's file, so two processes never both hold the lock.
    (filelock's native Unix lock costs ~0.5 ms and its import; this ~0.02 ms.)
    """
    import errno
    import fcntl

    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    deadline = time.monotonic() + wait
    pause = 0.001
    while True:
        fd = os.open(lock, flags, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                if exc.errno in (errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOLCK):
                    return _NO_FLOCK
                raise
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            time.sleep(min(pause, left))
            pause = min(pause * 2, 0.05)
            continue
        held = os.fstat(fd)
        try:
            now = os.stat(lock, follow_symlinks=False)
        except FileNotFoundError:
            now = None
        if (
            held.st_nlink
            and now is not None
            and (now.st_ino, now.st_dev) == (held.st_ino, held.st_dev)
        ):
            return fd
        os.close(fd)  # the lock of a file its holder removed: take the path's own


@contextmanager
def _filelock(path: Path, wait: float) -> Iterator[bool]:
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
            # Removed while still held, as in file_lock (filelock checks st_nlink).
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


#: folder → the hidden names it held when this worker first listed it.
_temp_names: dict[str, frozenset[str]] = {}


def _stale_temp_files(target: Path) -> list[Path]:
    """:func:`fileio.temp_files` of ``target``, with the folder listed once per worker
    (a glob per file lists the whole folder: 0.6 ms per file in a folder of 1 000). A run
    stopped after that listing leaves its temp file to the next run: its own batch removes
    it when it stops a worker, as this one does."""
    from ..fileio import temp_files

    folder = str(target.parent)
    names = _temp_names.get(folder)
    if names is None:
        try:
            listed = os.listdir(folder)
        except OSError:
            return temp_files(target)
        # every hidden name, whatever temp_files' pattern: it decides below
        names = _temp_names[folder] = frozenset(n for n in listed if n.startswith("."))
    prefix = f".{target.name}."
    return temp_files(target) if any(n.startswith(prefix) for n in names) else []


def task(path: str, backup: bool, dry_run: bool, timeout: float, cores: int = 1) -> FileReport:
    """Refresh one file under its lock (the function the worker processes run); ``cores``:
    as :func:`~roi_xl.refresh.recalc.refresh_file` takes it."""
    from ..fileio import check_writable, recover
    from .recalc import refresh_file

    target = Path(path)
    if dry_run or not target.exists():
        return refresh_file(target, backup=backup, dry_run=dry_run, cores=cores)
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
        if _stale_temp_files(target):  # after a run that was killed; we hold the lock
            recover(target)
        return refresh_file(target, backup=backup, cores=cores)


def main(argv: list[str]) -> int:
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print must not corrupt the protocol
    init(int(argv[0]) if argv else 0, sync_folders=argv[1:2] == ["sync"])
    requests = sys.stdin.buffer
    while True:
        try:
            request = read_frame(requests.read)
        except EOFError:  # every reply is written and flushed, every file closed
            sys.stderr.flush()
            os._exit(0)  # skip the interpreter's teardown: the batch waits for this exit
        out.write(frame(task(*request)))
        out.flush()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
