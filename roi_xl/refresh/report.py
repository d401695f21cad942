"""What refreshing one workbook did, and the closing table / summary file of a batch."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..i18n import pad, text_width

#: Statuses that count as a failure for the exit code.
FAILED = "failed"
STATUSES = ("refreshed", "unchanged", "would refresh", "skipped", FAILED)


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


def write_summary(reports: list[FileReport], path: str | Path) -> None:
    """Write the table as CSV, or as .xlsx when ``path`` ends in .xlsx."""
    path = Path(path)
    data = rows(reports)
    if path.suffix.lower() == ".xlsx":
        import openpyxl  # a new file of our own, so openpyxl is the right writer

        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "refresh"
        ws.append(COLUMNS)
        for row in data:
            ws.append(row)
        wb.save(path)
        return
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        writer.writerows(data)
