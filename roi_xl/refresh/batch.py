"""Run many refreshes in parallel, each file bounded in time and memory.

Every file is refreshed inside a warm worker process of a `pebble` process pool (the
engine loads once per worker, not per file) that has an address-space limit; pebble stops
a worker whose file takes longer than the time limit and starts a fresh one, and the file
is reported. The same guarded call runs on any :class:`concurrent.futures.Executor`, so a
Dask cluster (``Client.get_executor()``) runs a batch the same way (one warm worker per
executor thread). Ctrl-C stops and reaps every worker before :class:`Interrupted` is
raised: nothing changes after the call returns.
"""

from __future__ import annotations

import atexit
import concurrent.futures as cf
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from . import worker
from .report import FAILED, INTERRUPTED, FileReport

DEFAULT_TIMEOUT = 60.0
DEFAULT_MEMORY_MB = 1536
SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class Limits:
    """Bounds of one file's refresh."""

    timeout: float = DEFAULT_TIMEOUT
    memory_mb: int = DEFAULT_MEMORY_MB


def _pool(workers: int, limits: Limits, sync_folders: bool = True) -> Any:
    """Warm worker processes (pebble): each loads the engine once, under the memory limit,
    and is replaced when a file passes the time limit or kills it."""
    from pebble import ProcessPool

    return ProcessPool(
        max_workers=workers,
        initializer=worker.init,
        # the forkserver keeps the environment of its start: pass roi_xl's settings on
        initargs=(
            limits.memory_mb * 1024**2,
            {k: v for k, v in os.environ.items() if k.startswith("ROI_XL_")},
            sync_folders,
        ),
        context=_context(),
    )


def _context() -> Any:
    """Workers forked from a small server process that has loaded the engine (POSIX): they
    start in milliseconds, their memory limit counts the file's work and not this
    process's (a fork of a big caller would carry its memory), and no thread of the caller
    (a Dask worker's) is forked. Elsewhere (Windows) fresh interpreters."""
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["roi_xl.refresh.worker", "roi_xl.refresh.engine"])
    return ctx


def _outcome(future: cf.Future, path: str, limits: Limits, start: float) -> FileReport:
    """The report of a finished (or stopped) task; the worker of a stopped task is dead by
    now (pebble stops it before it reports), so its temp files can go."""
    from pebble import ProcessExpired

    try:
        return future.result()
    except TimeoutError:
        reason = (
            f"stopped after {limits.timeout:g} s (time limit): the engine hung "
            "or the workbook is too heavy; file left untouched"
        )
    except ProcessExpired as exc:
        reason = (
            f"the worker died (exit {exc.exitcode}), most likely past the memory limit of "
            f"{limits.memory_mb} MB; file left untouched"
        )
    except MemoryError:
        reason = "ran out of memory: the workbook is too large for the memory limit"
    worker.remove_stale_temp_files(Path(path))
    return FileReport(path, FAILED, seconds=time.perf_counter() - start, reason=reason)


# One warm worker per thread of whatever process runs the task (a Dask worker...) ---------------

_local = threading.local()
_all: list[Any] = []
_all_lock = threading.Lock()


def _thread_pool(limits: Limits) -> Any:
    import multiprocessing

    me = multiprocessing.current_process()
    if me.daemon:
        # A Dask worker process is daemonic, and multiprocessing refuses children to
        # daemonic processes (they could be orphaned). Ours are not: a pebble worker and
        # the forkserver exit when the pipe to this process closes.
        me.daemon = False
    pool, pool_limits = getattr(_local, "pool", (None, None))
    if pool is None or pool_limits != limits:
        if pool is not None:
            pool.stop()
            pool.join()
        pool = _pool(1, limits)
        _local.pool = (pool, limits)
        with _all_lock:
            _all.append(pool)
    return pool


@atexit.register
def close_workers() -> None:
    """End every worker process this process started."""
    with _all_lock:
        pools = list(_all)
        _all.clear()
    for pool in pools:
        pool.stop()
        pool.join()


def guarded_refresh(
    path: str, backup: bool = True, dry_run: bool = False, limits: Limits = Limits()
) -> FileReport:
    """Refresh one file in a bounded worker process (the task sent to executors)."""
    start = time.perf_counter()
    future = _thread_pool(limits).schedule(
        worker.task, (path, backup, dry_run, limits.timeout), timeout=limits.timeout
    )
    return _outcome(future, path, limits, start)


class Interrupted(KeyboardInterrupt):
    """Ctrl-C stopped a batch; ``reports`` says what was done (files not finished are
    ``"interrupted"`` and untouched)."""

    def __init__(self, reports: list[FileReport]) -> None:
        super().__init__("interrupted")
        self.reports = reports


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
    jobs : parallel worker processes, 1 or more (default: the number of CPUs); ignored
        with ``executor``.
    executor : any :class:`concurrent.futures.Executor`, e.g. a Dask cluster's
        ``Client.get_executor()``; each of its workers starts bounded worker processes.
    backup : keep the original as ``PATH.bak`` before replacing it.
    dry_run : compute and report, write nothing.
    progress : show a progress bar on stderr, when stderr is a terminal (as the CLI).
    timeout, memory_mb : per-file bounds; a file past them is stopped and reported.

    Raises
    ------
    Interrupted
        (a ``KeyboardInterrupt``) on Ctrl-C, after every worker has been stopped and
        reaped; its ``reports`` tell what was done, files not finished are untouched.

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
    if jobs is not None and jobs < 1:
        raise ValueError(f"jobs must be 1 or more, not {jobs}")
    files = expand(paths, recursive)
    limits = Limits(timeout, memory_mb)
    reports: list[FileReport | None] = [None] * len(files)
    todo = []
    for i, f in enumerate(files):
        if not f.exists():
            reports[i] = FileReport(str(f), FAILED, reason="no such file")
        else:
            todo.append(i)
    from tqdm import tqdm

    bar = tqdm(
        total=len(todo),
        file=sys.stderr,
        disable=not (progress and _is_terminal(sys.stderr)),
        unit="file",
        desc="refresh",
    )
    own = executor is None
    workers = min(jobs or os.cpu_count() or 1, max(len(todo), 1))
    pool = _pool(workers, limits, sync_folders=False) if own else None
    futures: dict[cf.Future, tuple[int, float]] = {}
    try:
        for i in todo:
            path = str(files[i].resolve())
            if pool is not None:
                args = (path, backup, dry_run, limits.timeout)
                fut = pool.schedule(worker.task, args, timeout=limits.timeout)
            else:
                assert executor is not None
                fut = executor.submit(guarded_refresh, path, backup, dry_run, limits)
            futures[fut] = (i, time.perf_counter())
        for fut in cf.as_completed(futures):
            i, start = futures[fut]
            try:
                report = _outcome(fut, str(files[i].resolve()), limits, start)
            except Exception as exc:  # the executor itself failed (lost worker...)
                report = FileReport(
                    str(files[i]), FAILED, reason=f"executor error {type(exc).__name__}: {exc}"
                )
            report.path = str(files[i])
            reports[i] = report
            bar.update()
    except KeyboardInterrupt:
        _stop(pool, futures)
        for i in todo:
            if reports[i] is None:
                worker.remove_stale_temp_files(files[i].resolve())
                reports[i] = FileReport(
                    str(files[i]), INTERRUPTED, reason="interrupted: file left untouched"
                )
        raise Interrupted([r for r in reports if r is not None]) from None
    finally:
        bar.close()
        if pool is not None:  # every task is done (or stopped): end the workers now
            pool.stop()
            pool.join()
            from ..fileio import sync_folders

            sync_folders(files[i].resolve().parent for i in todo)
    return [r for r in reports if r is not None]


def _stop(pool: Any, futures: dict[cf.Future, tuple[int, float]]) -> None:
    """Stop every worker and wait until each is gone (a second Ctrl-C is held meanwhile)."""
    held = signal.signal(signal.SIGINT, signal.SIG_IGN) if _main_thread() else None
    try:
        for fut in futures:
            fut.cancel()
        if pool is not None:
            pool.stop()
            pool.join()
    finally:
        if held is not None:
            signal.signal(signal.SIGINT, held)


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
