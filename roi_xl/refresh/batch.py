"""Run many refreshes in parallel, each file bounded in time and memory.

Every file is refreshed inside a warm worker process (:mod:`roi_xl.refresh.worker`,
started once per thread and kept across files) that has an address-space limit; the thread
that handed it the file kills it when the file takes longer than the time limit, reports
that file and starts a fresh worker for the next. The same guarded call runs on any
:class:`concurrent.futures.Executor`, so a Dask cluster (``Client.get_executor()``) runs a
batch the same way. Ctrl-C kills and reaps every worker before :class:`Interrupted` is
raised: nothing changes after the call returns.

Why not pebble or loky: pebble's ProcessPool (per-task timeout, restart, initializer) was
built in and measured; loky has no per-task timeout. The workers of both are
multiprocessing children, which (1) re-import the caller's main script, so a script
without an ``if __name__ == "__main__":`` guard (the README's three-line example) fails in
every worker; (2) cost 0.2-0.5 s more per run here (forkserver and resource-tracker
start-up; ``fork`` would avoid it but forks a threaded process); (3) are refused inside
Dask's daemonic worker processes. A plain ``python -m
roi_xl.refresh.worker`` subprocess has none of these, and its protocol is a dozen lines
(:func:`worker.frame`/:func:`worker.read_frame`, used on both sides).
"""

from __future__ import annotations

import atexit
import concurrent.futures as cf
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from . import worker
from .report import FAILED, INTERRUPTED, FileReport

DEFAULT_TIMEOUT = 60.0
#: The reason of a file whose worker was stopped between replacing it and moving the old
#: file to .bak (:func:`roi_xl.fileio.recover` finished that step).
WRITTEN_BEFORE_STOP = "the new file was written just before the stop; the old one is {}.bak"
DEFAULT_MEMORY_MB = 1536
SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class Limits:
    """Bounds of one file's refresh."""

    timeout: float = DEFAULT_TIMEOUT
    memory_mb: int = DEFAULT_MEMORY_MB
    sync_folders: bool = True  # False: the batch fsyncs the folders once at its end


class Supervisor:
    """One worker process and the rules for stopping it."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.proc: subprocess.Popen[bytes] | None = None
        self.pipe: Pipe | None = None
        self.lock = threading.Lock()

    def _start(self) -> subprocess.Popen[bytes]:
        with _all_lock:
            spares = _spare.get(self.limits, [])
            while spares:
                proc = spares.pop()
                if proc.poll() is None:
                    return proc
        return _start_worker(self.limits)

    def refresh(self, path: str, backup: bool, dry_run: bool, cores: int = 1) -> FileReport:
        with self.lock:
            if self.proc is None or self.proc.poll() is not None or self.pipe is None:
                self.proc = self._start()
                assert self.proc.stdout is not None
                self.pipe = Pipe(self.proc.stdout.fileno())
            proc, pipe = self.proc, self.pipe
        start = time.perf_counter()
        deadline = time.monotonic() + self.limits.timeout
        try:
            assert proc.stdin is not None
            request = (path, backup, dry_run, self.limits.timeout, cores)
            proc.stdin.write(worker.frame(request))
            proc.stdin.flush()
            return worker.read_frame(lambda n: pipe.read(n, deadline))
        except TimeoutError:
            self.stop()
            reason = (
                f"stopped after {self.limits.timeout:g} s (time limit): the engine hung "
                "or the workbook is too heavy; file left untouched"
            )
        except (EOFError, BrokenPipeError, OSError, ValueError):
            code = proc.wait()
            with self.lock:
                if self.proc is proc:
                    self.proc = None
            reason = (
                f"the worker died (exit {code}), most likely past the memory limit of "
                f"{self.limits.memory_mb} MB; file left untouched"
            )
        if worker.remove_stale_temp_files(Path(path)):
            reason = reason.replace(
                "file left untouched", WRITTEN_BEFORE_STOP.format(Path(path).name)
            )
        return FileReport(path, FAILED, seconds=time.perf_counter() - start, reason=reason)

    def stop(self) -> None:
        """Kill the worker and wait until it is gone."""
        proc = self.release()
        if proc is not None:
            _kill(proc)

    def close(self) -> None:
        """Let the worker exit on its own (end of input)."""
        _end([self.release()])

    def release(self) -> subprocess.Popen[bytes] | None:
        """The worker process, no longer this supervisor's."""
        with self.lock:
            proc, self.proc = self.proc, None
        return proc


def _start_worker(limits: Limits) -> subprocess.Popen[bytes]:
    root = str(Path(__file__).resolve().parents[2])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p),
        "MALLOC_ARENA_MAX": "2",
    }
    args = [str(limits.memory_mb * 1024**2), "sync" if limits.sync_folders else ""]
    return subprocess.Popen(
        [sys.executable, "-m", "roi_xl.refresh.worker", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
        start_new_session=True,  # Ctrl-C in a terminal reaches the batch, not its workers
    )


def _end(procs: Iterable[subprocess.Popen[bytes] | None]) -> None:
    """Let workers exit on their own (end of input: all told first, then each waited for);
    one still there after 5 s is killed."""
    procs = [p for p in procs if p is not None]
    for proc in procs:
        try:
            assert proc.stdin is not None
            proc.stdin.close()
        except OSError:
            pass
    for proc in procs:
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            _kill(proc)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    try:
        if os.name == "nt":
            proc.kill()  # TerminateProcess (no process groups there)
        else:
            os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


#: Workers started ahead of the files (:func:`prestart`), by the limits they were started with.
_spare: dict[Limits, list[subprocess.Popen[bytes]]] = {}


def prestart(limits: Limits, count: int) -> None:
    """Have ``count`` idle workers for ``limits`` (started now, so that they load the engine
    while this process goes on: expanding the paths, starting its threads)."""
    with _all_lock:
        spares = _spare.setdefault(limits, [])
        busy = sum(1 for sup in _all if sup.limits == limits and sup.proc is not None)
        for _ in range(count - busy - len(spares)):
            spares.append(_start_worker(limits))


#: Read workers' replies through a thread (Windows: select() cannot wait on its pipes).
THREADED_READS = os.name == "nt"


class Pipe:
    """A worker's reply pipe, read with a deadline: ``select()`` on POSIX; where select
    cannot wait on pipes (Windows, or ``threaded=True``), a thread reads the pipe and hands
    the bytes over a queue that is waited on with the deadline."""

    def __init__(self, fd: int, threaded: bool | None = None) -> None:
        self.fd = fd
        self.queue: queue.SimpleQueue[bytes] | None = None
        self.buffer = b""
        self.ended = False
        if THREADED_READS if threaded is None else threaded:
            self.queue = queue.SimpleQueue()
            threading.Thread(target=self._pump, daemon=True, name="roi_xl-pipe").start()

    def _pump(self) -> None:
        assert self.queue is not None
        while True:
            try:
                chunk = os.read(self.fd, 1 << 20)
            except OSError:  # closed: the worker was stopped
                chunk = b""
            self.queue.put(chunk)
            if not chunk:
                return

    def read(self, size: int, deadline: float) -> bytes:
        """``size`` bytes before ``deadline`` (TimeoutError) or EOF (EOFError)."""
        if self.queue is None:
            return _read(self.fd, size, deadline)
        while len(self.buffer) < size:
            left = deadline - time.monotonic()
            if self.ended:
                raise EOFError
            if left <= 0:
                raise TimeoutError
            try:
                chunk = self.queue.get(timeout=left)
            except queue.Empty:
                raise TimeoutError from None
            if not chunk:
                self.ended = True
                raise EOFError
            self.buffer += chunk
        out, self.buffer = self.buffer[:size], self.buffer[size:]
        return out


def _read(fd: int, size: int, deadline: float) -> bytes:
    """``size`` bytes from ``fd`` before ``deadline`` (TimeoutError) or EOF (EOFError)."""
    import select

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


def _take_spares() -> list[subprocess.Popen[bytes]]:
    with _all_lock:
        spares = [p for ps in _spare.values() for p in ps]
        _spare.clear()
    return spares


@atexit.register
def close_workers() -> None:
    """End every worker process this process started."""
    with _all_lock:
        sups = list(_all)
        _all.clear()
    _end([*(sup.release() for sup in sups), *_take_spares()])


def kill_workers() -> None:
    """Kill every worker process this process started, and wait until each is gone."""
    with _all_lock:
        sups = list(_all)
    for sup in sups:
        sup.stop()
    for proc in _take_spares():
        _kill(proc)


def guarded_refresh(
    path: str,
    backup: bool = True,
    dry_run: bool = False,
    limits: Limits = Limits(),
    cores: int = 1,
) -> FileReport:
    """Refresh one file in a bounded worker process (the task sent to executors);
    ``cores``: the cores it may keep busy (:func:`~roi_xl.refresh.recalc.refresh_file`)."""
    return _supervisor(limits).refresh(path, backup, dry_run, cores)


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
    own = executor is None
    task_limits = Limits(timeout, memory_mb, sync_folders=not own)
    if own:
        prestart(task_limits, 1)  # loads the engine while the paths are looked at
    try:
        files = expand(paths, recursive)
    except BaseException:
        close_workers()
        raise
    reports: list[FileReport | None] = [None] * len(files)
    todo = []
    for i, f in enumerate(files):
        if not f.exists():
            reports[i] = FileReport(str(f), FAILED, reason="no such file")
        else:
            todo.append(i)
    threads = min(jobs or os.cpu_count() or 1, max(len(todo), 1))
    if own and todo:
        prestart(task_limits, threads)
    bar = None
    if progress and _is_terminal(sys.stderr):
        from tqdm import tqdm  # (its import costs 0.02-0.05 s: only for a bar shown)

        bar = tqdm(total=len(todo), file=sys.stderr, unit="file", desc="refresh")
    pool = executor or cf.ThreadPoolExecutor(
        max_workers=threads, thread_name_prefix="roi_xl-refresh"
    )
    futures: dict[cf.Future, int] = {}
    # the cores left to each file (a lone file gets them all: a big one evaluates on them)
    cores = max((os.cpu_count() or 1) // threads, 1) if own else 1
    try:
        for i in todo:
            path = str(files[i].resolve())
            future = pool.submit(guarded_refresh, path, backup, dry_run, task_limits, cores)
            futures[future] = i
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
            if bar is not None:
                bar.update()
    except KeyboardInterrupt:
        _stop(pool if own else None, futures)
        for i in todo:
            if reports[i] is None:
                written = worker.remove_stale_temp_files(files[i].resolve())
                reason = WRITTEN_BEFORE_STOP if written else "file left untouched"
                reason = reason.format(files[i].name)
                reports[i] = FileReport(str(files[i]), INTERRUPTED, reason=f"interrupted: {reason}")
        raise Interrupted([r for r in reports if r is not None]) from None
    finally:
        if bar is not None:
            bar.close()
        if own:
            pool.shutdown(wait=True)
            close_workers()
            from ..fileio import sync_folders

            sync_folders(files[i].resolve().parent for i in todo)
    return [r for r in reports if r is not None]


def _stop(pool: cf.Executor | None, futures: dict[cf.Future, int]) -> None:
    """Stop every worker and wait until each is gone (a second Ctrl-C is held meanwhile)."""
    held = signal.signal(signal.SIGINT, signal.SIG_IGN) if _main_thread() else None
    try:
        for fut in futures:
            fut.cancel()
        if pool is not None:
            kill_workers()  # the threads waiting on them see EOF and end at once
            pool.shutdown(wait=True, cancel_futures=True)
            kill_workers()  # a thread that started a worker meanwhile
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
