"""Run many refreshes in parallel, each file bounded in time and memory.

Every file is refreshed inside a worker process (:mod:`roi_xl.refresh.worker`) that has an
address-space limit; the thread that handed it the file kills it when the file takes
longer than the timeout, reports that file and starts a fresh worker for the next. The
same guarded call runs on any :class:`concurrent.futures.Executor`, so a Dask cluster
(``Client.get_executor()``) runs a batch the same way.
"""

from __future__ import annotations

import atexit
import concurrent.futures as cf
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .report import FAILED, FileReport

DEFAULT_TIMEOUT = 60.0
DEFAULT_MEMORY_MB = 1536
SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class Limits:
    """Bounds of one file's refresh."""

    timeout: float = DEFAULT_TIMEOUT
    memory_mb: int = DEFAULT_MEMORY_MB


class Supervisor:
    """One worker process and the rules for stopping it."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.proc: subprocess.Popen[bytes] | None = None

    def _start(self) -> subprocess.Popen[bytes]:
        root = str(Path(__file__).resolve().parents[2])
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p),
            "MALLOC_ARENA_MAX": "2",
        }
        return subprocess.Popen(
            [sys.executable, "-m", "roi_xl.refresh.worker", str(self.limits.memory_mb * 1024**2)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            start_new_session=True,
        )

    def refresh(self, path: str, backup: bool, dry_run: bool) -> FileReport:
        if self.proc is None or self.proc.poll() is not None:
            self.proc = self._start()
        proc = self.proc
        start = time.perf_counter()
        deadline = time.monotonic() + self.limits.timeout
        try:
            assert proc.stdin is not None and proc.stdout is not None
            data = pickle.dumps((path, backup, dry_run))
            proc.stdin.write(struct.pack("<Q", len(data)) + data)
            proc.stdin.flush()
            (size,) = struct.unpack("<Q", _read(proc.stdout.fileno(), 8, deadline))
            return pickle.loads(_read(proc.stdout.fileno(), size, deadline))
        except TimeoutError:
            self.stop()
            reason = (
                f"stopped after {self.limits.timeout:g} s (time limit): the engine hung "
                "or the workbook is too heavy; file left untouched"
            )
        except (EOFError, BrokenPipeError, OSError):
            code = proc.wait()
            self.proc = None
            reason = (
                f"the worker died (exit {code}), most likely past the memory limit of "
                f"{self.limits.memory_mb} MB; file left untouched"
            )
        _remove_temp_files(Path(path))
        return FileReport(path, FAILED, seconds=time.perf_counter() - start, reason=reason)

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()

    def close(self) -> None:
        """Let the worker exit on its own (end of input)."""
        proc, self.proc = self.proc, None
        if proc is not None:
            try:
                assert proc.stdin is not None
                proc.stdin.close()
                proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.proc = proc
                self.stop()


def _read(fd: int, size: int, deadline: float) -> bytes:
    chunks, got = [], 0
    while got < size:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            raise TimeoutError
        chunk = os.read(fd, min(size - got, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _remove_temp_files(path: Path) -> None:
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            tmp.unlink()
        except OSError:
            pass


# One supervisor per thread of whatever process runs the task ---------------------------------

_local = threading.local()
_all: list[Supervisor] = []
_all_lock = threading.Lock()


def _supervisor(limits: Limits) -> Supervisor:
    sup = getattr(_local, "supervisor", None)
    if sup is None or sup.limits != limits:
        if sup is not None:
            sup.close()
        sup = _local.supervisor = Supervisor(limits)
        with _all_lock:
            _all.append(sup)
    return sup


@atexit.register
def close_workers() -> None:
    """End every worker process this process started."""
    with _all_lock:
        sups = list(_all)
        _all.clear()
    for sup in sups:
        sup.close()


def guarded_refresh(
    path: str, backup: bool = True, dry_run: bool = False, limits: Limits = Limits()
) -> FileReport:
    """Refresh one file in a bounded worker process (the task sent to executors)."""
    return _supervisor(limits).refresh(path, backup, dry_run)


# The batch -------------------------------------------------------------------------------------


def expand(paths: Iterable[str | os.PathLike[str]], recursive: bool = False) -> list[Path]:
    """Files named, plus the .xlsx/.xlsm workbooks inside directories named."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = p.rglob("*") if recursive else p.glob("*")
            out += sorted(
                f
                for f in found
                if f.is_file()
                and f.suffix.lower() in SUFFIXES
                and not f.name.startswith(("~$", "."))
            )
        else:
            out.append(p)
    return list(dict.fromkeys(out))


def refresh_files(
    paths: Iterable[str | os.PathLike[str]],
    jobs: int | None = None,
    executor: cf.Executor | None = None,
    backup: bool = True,
    dry_run: bool = False,
    progress: bool = True,
    recursive: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    memory_mb: int = DEFAULT_MEMORY_MB,
) -> list[FileReport]:
    """Refresh many workbooks in parallel; one report per file, in the order given.

    Parameters
    ----------
    paths : files and directories (a directory contributes its .xlsx/.xlsm files).
    jobs : parallel worker processes (default: the number of CPUs); ignored with ``executor``.
    executor : any :class:`concurrent.futures.Executor`, e.g. a Dask cluster's
        ``Client.get_executor()``; each of its workers starts bounded worker processes.
    backup : keep the original as ``PATH.bak`` before replacing it.
    dry_run : compute and report, write nothing.
    progress : show a progress bar on stderr.
    timeout, memory_mb : per-file bounds; a file past them is stopped and reported.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from roi_xl.templates import write
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("roi", "kpi"):
    ...     _ = write(name, folder / f"{name}.xlsx", "en")
    >>> (folder / "broken.xlsx").write_bytes(b"not a workbook")
    14
    >>> reports = refresh_files([folder], jobs=2, backup=False, progress=False)
    >>> [(pathlib.Path(r.path).name, r.status) for r in reports]
    [('broken.xlsx', 'failed'), ('kpi.xlsx', 'unchanged'), ('roi.xlsx', 'unchanged')]
    >>> reports[0].reason
    'not a zip package, so not an .xlsx/.xlsm file'
    """
    files = expand(paths, recursive)
    limits = Limits(timeout, memory_mb)
    reports: list[FileReport | None] = [None] * len(files)
    todo = []
    for i, f in enumerate(files):
        if not f.exists():
            reports[i] = FileReport(str(f), FAILED, reason="no such file")
        else:
            todo.append(i)
    own = executor is None
    pool = executor or cf.ThreadPoolExecutor(
        max_workers=jobs or os.cpu_count() or 1, thread_name_prefix="roi_xl-refresh"
    )
    try:
        futures = {
            pool.submit(guarded_refresh, str(files[i].resolve()), backup, dry_run, limits): i
            for i in todo
        }
        from tqdm import tqdm

        with tqdm(
            total=len(futures), file=sys.stderr, disable=not progress, unit="file", desc="refresh"
        ) as bar:
            for fut in cf.as_completed(futures):
                i = futures[fut]
                try:
                    report = fut.result()
                except Exception as exc:  # the executor itself failed (lost worker...)
                    report = FileReport(
                        str(files[i]), FAILED, reason=f"executor error {type(exc).__name__}: {exc}"
                    )
                report.path = str(files[i])
                reports[i] = report
                bar.update()
    finally:
        if own:
            pool.shutdown(wait=True)
            close_workers()
    return [r for r in reports if r is not None]
