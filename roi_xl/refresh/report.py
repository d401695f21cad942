"""What refreshing one workbook did, and the closing table / summary file of a batch."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..i18n import pad, text_width

#: Statuses that count as a failure for the exit code.
FAILED = "failed"
#: A file not finished when Ctrl-C stopped the batch (left untouched).
INTERRUPTED = "interrupted"
#: A file left alone on purpose: open in Excel (``~$`` lock file) or busy with another run.
SKIPPED = "skipped"
STATUSES = ("refreshed", "unchanged", "would refresh", SKIPPED, INTERRUPTED, FAILED)


@dataclass
class KeptCell:
    """A formula cell whose cached value was kept because the engine could not compute it."""

    cell: str  # Sheet!A1
    functions: tuple[str, ...]  # functions the engine does not have ('' when none)
    why: str

    def __str__(self) -> str:
        what = f" ({', '.join(self.functions)})" if self.functions else ""
        return f"{self.cell}{what}: {self.why}"


@dataclass
class FileReport:
    """The outcome for one workbook."""

    path: str
    status: str
    computed: int = 0
    kept: int = 0
    errors: int = 0
    changed: int = 0
    seconds: float = 0.0
    reason: str = ""
    kept_cells: list[KeptCell] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.status == FAILED


COLUMNS = ("file", "status", "formulas computed", "kept", "errors", "seconds", "reason")


def rows(reports: Iterable[FileReport]) -> list[tuple[object, ...]]:
    return [
        (
            r.path,
            r.status,
            r.computed,
            r.kept,
            r.errors,
            round(r.seconds, 3),
            r.reason or "; ".join(map(str, r.kept_cells[:3])),
        )
        for r in reports
    ]


def table(reports: list[FileReport]) -> str:
    """The closing table: one line per file, then totals."""
    body = [tuple(str(x) for x in row) for row in rows(reports)]
    failed = sum(r.failed for r in reports)
    body.append(
        (
            "total",
            f"{len(reports)} files, {failed} failed",
            str(sum(r.computed for r in reports)),
            str(sum(r.kept for r in reports)),
            str(sum(r.errors for r in reports)),
            str(round(sum(r.seconds for r in reports), 3)),
            "",
        )
    )
    widths = [
        max(text_width(c), *(text_width(row[i]) for row in body)) for i, c in enumerate(COLUMNS)
    ]
    fmt = lambda row: "  ".join(pad(v, w) for v, w in zip(row, widths)).rstrip()  # noqa: E731
    lines = [fmt(COLUMNS), fmt(tuple("-" * w for w in widths))]
    lines += [fmt(row) for row in body]
    return "\n".join(lines)


#: How a summary file says it was written by ``roi-xl refresh --summary``: the header row
#: of the CSV, or this custom document property (File > Properties > Custom) of the .xlsx.
SUMMARY_PROPERTY = ("roi-xl", "refresh summary")


def write_summary(reports: list[FileReport], path: str | Path) -> None:
    """Write the table as CSV, or as .xlsx when ``path`` ends in .xlsx (atomically; see
    :func:`summary_problem` for what it may replace)."""
    from ..fileio import atomic_open, replacing

    path = Path(path)
    data = rows(reports)
    if path.suffix.lower() == ".xlsx":
        import openpyxl  # a new file of our own, so openpyxl is the right writer
        from openpyxl.packaging.custom import StringProperty

        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "refresh"
        ws.append(COLUMNS)
        for row in data:
            ws.append(row)
        wb.custom_doc_props.append(StringProperty(*SUMMARY_PROPERTY))
        with replacing(path) as tmp:
            wb.save(tmp)
        return
    with atomic_open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        writer.writerows(data)


def is_summary(path: str | Path) -> bool:
    """Whether ``path`` is a summary ``roi-xl refresh --summary`` wrote (CSV: our header
    row first; .xlsx: the custom property :data:`SUMMARY_PROPERTY`)."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
            if head == b"PK\x03\x04":
                import zipfile
                from xml.sax.saxutils import escape

                with zipfile.ZipFile(path) as z:
                    custom = z.read("docProps/custom.xml")[:65536].decode("utf-8", "replace")
                name, value = map(escape, SUMMARY_PROPERTY)
                return f'name="{name}"' in custom and f"<vt:lpwstr>{value}</" in custom
            fh.seek(0)
            first = fh.readline(4096).decode("utf-8", "replace").rstrip("\r\n")
    except Exception:  # unreadable, not a zip, no custom properties: not ours
        return False
    return next(csv.reader([first]), []) == list(COLUMNS)


def summary_problem(summary: str | Path, inputs: list[Path], force: bool = False) -> str | None:
    """Why ``--summary`` must not write ``summary``, or ``None``: it never replaces a file
    given as input, nor (unless ``force``) an existing file it did not write itself; its
    folder must exist and be writable. Checked before any work starts."""
    from ..fileio import check_writable

    target = Path(summary)
    if target.suffix.lower() in (".xlsm", ".xls", ".xlsb"):
        return f"{target}: a summary is written as .csv or .xlsx, not {target.suffix}"
    resolved = target.resolve()
    if any(resolved == p.resolve() for p in inputs):
        return f"{target} is one of the workbooks to refresh: give the summary another name"
    if target.exists() and not target.is_dir() and not force and not is_summary(target):
        return (
            f"{target} exists and is not a summary roi-xl wrote: give another name, or "
            "add --force to replace it"
        )
    why = check_writable(target)
    return f"cannot write the summary {target}: {why}" if why else None
