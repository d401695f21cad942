"""Write a file atomically: readers see the old file or the new one, never half of one.

One helper for every file roi_xl writes (templates, the demo, refresh summaries, refreshed
workbooks, examples):

- the new content goes to a temp file in the target's own folder (``.NAME.XXXX.tmp``, so
  the final rename never crosses a file system), is flushed to disk (``fsync``) and only
  then renamed over the target; the folder is fsynced too, so the rename survives a crash;
- a new file gets the permissions of any new file (``0666`` less the umask), not the
  ``0600`` of :func:`tempfile.mkstemp`; a replaced file keeps its mode, owner and group
  (refreshing a service account's file as root must not hand it to root);
- on any failure, ``KeyboardInterrupt`` included, the temp file is removed and the target
  is untouched; a writer killed outright (``SIGKILL``, power loss) leaves temp files that
  :func:`recover` turns back into a consistent state (the backup is never lost);
- write problems (read-only file or folder, full disk, a path through a file) raise
  :class:`WriteError`, whose message is one plain line naming the file and the cause.

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> with atomic_open(folder / "notes.txt", "w", encoding="utf-8") as fh:
...     _ = fh.write("hello")
>>> (folder / "notes.txt").read_text(encoding="utf-8")
'hello'
>>> [p.name for p in folder.iterdir()]  # no temp file left behind
['notes.txt']
>>> check_writable(folder / "missing" / "x.csv")  # doctest: +ELLIPSIS
'the folder .../missing does not exist'
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from .errors import WriteError

#: Plain words for the errors a write meets.
CAUSES = {
    errno.EACCES: "permission denied (read-only file or folder)",
    errno.EPERM: "operation not permitted",
    errno.EROFS: "read-only file system",
    errno.ENOSPC: "no space left on the disk",
    errno.EDQUOT: "disk quota exceeded",
    errno.EFBIG: "file too large for this file system or limit",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.ENOENT: "the folder does not exist",
    errno.EISDIR: "it is a folder",
    errno.EIO: "input/output error (disk or network failure)",
}


#: Whether :func:`replacing` fsyncs the folder after each rename. A batch that writes many
#: files in one folder turns it off in its workers and calls :func:`sync_folders` once at
#: the end (a folder fsync costs milliseconds; the old-or-new guarantee holds without it,
#: only the rename's durability waits for the end of the batch).
SYNC_FOLDERS = True


def cause(exc: OSError) -> str:
    """The plain cause of an OS error (``no space left on the disk``, ...)."""
    if isinstance(exc, WriteError):
        return exc.why
    return CAUSES.get(exc.errno or 0, exc.strerror or str(exc))


def check_writable(target: str | os.PathLike[str], make_folders: bool = False) -> str | None:
    """Why ``target`` cannot be written (replaced or created), or ``None`` when it can.

    Checked before any work starts, so that a command fails at once with a plain reason.
    A file without any write permission bit counts as read-only even for root, as in
    Excel; a folder is checked with :func:`os.access` (so root may write a ``0555`` folder,
    but nobody a read-only file system). ``make_folders``: missing folders above
    ``target`` will be created, so the nearest existing one must take them.
    """
    target = Path(target)
    folder = target.parent
    existing = folder
    while not (existing.exists() or existing.is_symlink()) and existing.parent != existing:
        existing = existing.parent
    if not existing.is_dir():
        return f"{existing} is not a folder"
    if existing != folder and not make_folders:
        return f"the folder {folder} does not exist"
    if _read_only_fs(existing):
        return "read-only file system"
    if target.is_dir():
        return "it is a folder"
    if target.exists():
        st = target.stat()
        if not st.st_mode & 0o222 or not os.access(target, os.W_OK):
            return "the file is read-only"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"the folder {existing} is read-only (a new file is written there, then renamed)"
    return None


def _read_only_fs(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (AttributeError, OSError):  # Windows: os.access tells
        return False


@contextlib.contextmanager
def replacing(
    target: str | os.PathLike[str], *, backup: bool = False, new_mode: int = 0o666
) -> Iterator[Path]:
    """Yield the path of a new empty temp file; on a clean exit it replaces ``target``.

    Write the new content to the yielded path (by name: openpyxl's ``save``, zipfile...).
    When the block ends without an exception the temp file is fsynced, given the target's
    mode, owner and group (when the target exists), renamed over it, and the folder is
    fsynced. ``backup=True`` keeps the replaced file as ``TARGET.bak`` (nothing is written
    when there was no file). Any exception (``KeyboardInterrupt`` too) removes the temp file
    and leaves the target and its ``.bak`` untouched; OS errors come out as
    :class:`WriteError`. A symbolic link stays one: the file it points to is replaced.
    ``new_mode``: permissions of a new file before the umask (``0o600`` for a private one).
    """
    target = Path(target)
    if target.is_symlink():
        target = target.resolve()
    why = check_writable(target)
    if why:
        raise WriteError(target, why)
    old = target.stat() if target.exists() else None
    tmp = _new_temp(target, new_mode)
    bak: Path | None = None
    replaced = False
    try:
        try:
            yield tmp
            _fsync(tmp)
            if old is not None:
                _keep_owner_and_mode(old, tmp, target)
                if backup:
                    bak = _backup_copy(target)
            with _signals_held():  # the renames are one step: no Ctrl-C/SIGTERM between
                os.replace(tmp, target)
                replaced = True
                if bak is not None:
                    os.replace(bak, target.with_name(target.name + ".bak"))
                    bak = None
            if SYNC_FOLDERS:
                _fsync_folder(target.parent)
        except WriteError:
            raise
        except OSError as exc:
            raise WriteError(target, cause(exc)) from exc
    finally:
        # After the replace, the old file's copy is the backup: never removed (recover()).
        for p in (tmp, None if replaced else bak):
            if p is not None:
                with contextlib.suppress(OSError):
                    p.unlink()


@contextlib.contextmanager
def atomic_open(
    target: str | os.PathLike[str], mode: str = "wb", *, new_mode: int = 0o666, **kwargs: Any
) -> Iterator[IO]:
    """``open(target, mode)`` that replaces ``target`` atomically when the block ends
    (see :func:`replacing`); ``mode`` is ``"w"`` or ``"wb"``."""
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_open writes a whole file: mode 'w' or 'wb', not {mode!r}")
    with replacing(target, new_mode=new_mode) as tmp, open(tmp, mode, **kwargs) as fh:
        yield fh


def temp_name(target: Path, kind: str = "") -> Path:
    """A fresh temp name beside ``target`` (``.NAME.XXXXXXXX.tmp``; with ``kind="bak"``,
    ``.NAME.XXXXXXXX.bak.tmp``: a complete copy of the old file, see :func:`recover`)."""
    return target.with_name(f".{target.name}.{os.urandom(4).hex()}.{kind + '.' if kind else ''}tmp")


def temp_files(target: Path) -> list[Path]:
    """The temp files :func:`replacing` may have left beside ``target`` (a killed writer)."""
    return sorted(target.parent.glob(f".{target.name}.*.tmp"))


def recover(target: str | os.PathLike[str]) -> list[str]:
    """Finish or undo what a killed :func:`replacing` left beside ``target``; call it only
    when no other writer of ``target`` runs (under its lock). Returns what was done.

    A writer killed outright (``SIGKILL``, a time limit, power loss) cannot clean up. It
    may die before the replace (the target is the old file: the temp files go) or between
    replacing the target and moving the old file's copy to ``TARGET.bak`` (the target is
    the new file: the copy becomes ``TARGET.bak``, as the writer meant). The copy tells
    which: it is the target's own inode (a hard link), or its same bytes, before the
    replace. A half-made copy never carries the ``.bak.tmp`` name, so it is just removed.

    >>> import pathlib, tempfile
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "book.xlsx"
    >>> _ = target.write_bytes(b"old")
    >>> copy = _backup_copy(target)              # killed after the copy ...
    >>> new = target.with_name("new.tmp")
    >>> _ = new.write_bytes(b"new")
    >>> os.replace(new, target)                  # ... and after the replace
    >>> recover(target)
    ['kept the old file as book.xlsx.bak']
    >>> target.with_name("book.xlsx.bak").read_bytes(), temp_files(target)
    (b'old', [])
    """
    target = Path(target)
    done = []
    for tmp in temp_files(target):
        try:
            if tmp.name.endswith(".bak.tmp") and not _same_file(tmp, target):
                os.replace(tmp, target.with_name(target.name + ".bak"))
                done.append(f"kept the old file as {target.name}.bak")
            else:
                tmp.unlink()
                done.append(f"removed {tmp.name}")
        except OSError:
            pass
    return done


def _same_file(a: Path, b: Path) -> bool:
    try:
        if os.path.samefile(a, b):
            return True
        if a.stat().st_size != b.stat().st_size:
            return False
        with open(a, "rb") as fa, open(b, "rb") as fb:
            while True:
                x, y = fa.read(1 << 20), fb.read(1 << 20)
                if x != y:
                    return False
                if not x:
                    return True
    except FileNotFoundError:  # no target: keep the copy as the backup
        return False


def _new_temp(target: Path, new_mode: int = 0o666) -> Path:
    # os.open with 0o666 lets the kernel apply the umask (and a folder's default ACL),
    # exactly as for any file a program creates; mkstemp would force 0600.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = temp_name(target)
        try:
            os.close(os.open(tmp, flags, new_mode))
            return tmp
        except FileExistsError:
            continue
        except OSError as exc:
            raise WriteError(target, cause(exc)) from exc
    raise WriteError(target, "could not create a temp file beside it")


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block ends (POSIX), so an interrupt cannot fall
    between replacing the file and moving its backup into place."""
    import signal

    held = {signal.SIGINT, signal.SIGTERM}
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _fsync(path: Path) -> None:
    with open(path, "rb+") as fh:  # Windows flushes only handles open for writing
        os.fsync(fh.fileno())


def sync_folders(folders: Iterable[Path]) -> None:
    """fsync each folder (the renames in it become durable); see :data:`SYNC_FOLDERS`."""
    for folder in set(folders):
        _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open a folder; NTFS journals the rename itself
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _keep_owner_and_mode(old: os.stat_result, tmp: Path, target: Path) -> None:
    if hasattr(os, "chown") and (old.st_uid, old.st_gid) != (
        os.stat(tmp).st_uid,
        os.stat(tmp).st_gid,
    ):
        try:
            os.chown(tmp, old.st_uid, old.st_gid)
        except PermissionError:
            raise WriteError(
                target,
                f"cannot keep its owner and group (uid {old.st_uid}, gid {old.st_gid}): "
                "the new file would belong to you; run as its owner",
            ) from None
    os.chmod(tmp, stat.S_IMODE(old.st_mode))  # after chown, which clears set-id bits


def _backup_copy(target: Path) -> Path:
    """A temp-named copy of ``target`` (a hard link when the file system has them: same
    bytes, mode, owner and times at no cost), renamed to ``.bak`` after the replace."""
    bak = temp_name(target, "bak")
    try:
        os.link(target, bak)
    except OSError:
        part = temp_name(target)  # a copy takes time: named .bak.tmp only once whole
        try:
            shutil.copy2(target, part)
            with contextlib.suppress(OSError):
                st = target.stat()
                if hasattr(os, "chown"):
                    os.chown(part, st.st_uid, st.st_gid)
            _fsync(part)
            os.replace(part, bak)
        finally:
            with contextlib.suppress(OSError):
                part.unlink()
    return bak
