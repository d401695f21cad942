"""Read a marketing history (CSV or .xlsx) into the columns a fit needs, with errors that
say which file, row and column is wrong (the ``roi-xl mmm`` command's input side).

A table is a header row and one row per period. Numbers may be written as a spreadsheet
shows them (``1,200``, ``¥3,000``, full-width digits); a blank spend is 0; a blank
revenue is an error. A control column that holds labels instead of numbers (Robyn's
``events``: ``na``, ``event1``…) becomes one 0/1 indicator per label, its most common
label being the reference (no indicator).

>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "history.csv"
>>> _ = path.write_text("week,sales,TV,events\\n1,100,5,na\\n2,120,\\"1,000\\",sale\\n3,90,,na\\n")
>>> table = read_table(path)
>>> table.header, table.line(1)
(['week', 'sales', 'TV', 'events'], 3)
>>> numbers(table, "TV", blank=0.0).tolist()
[5.0, 1000.0, 0.0]
>>> names, columns, reference = control_columns(table, ["events"])
>>> names, columns.tolist(), reference
(['events=sale'], [[0.0], [1.0], [0.0]], {'events': 'na'})
>>> numbers(table, "events", blank=None)
Traceback (most recent call last):
...
roi_xl.errors.HistoryError: history.csv: events in row 2 is 'na', not a number
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np
from ..errors import HistoryError

#: A text control with more labels than this is refused (it is likely an ID or free text).
MAX_LABELS = 30
#: Encodings tried for a CSV: UTF-8 (with or without BOM), then Excel's Japanese CSV.
ENCODINGS = ("utf-8-sig", "cp932")


@dataclass
class Table:
    """The header and the rows of a history, and where each row sits in the file."""

    name: str
    header: list[str]
    rows: list[list[Any]]
    lines: list[int]  # the file's row number of each row (the header is row 1 of a CSV)

    def line(self, i: int) -> int:
        """The file's row number of data row ``i`` (0-based)."""
        return self.lines[i]

    def column(self, name: str) -> list[Any]:
        """The cells of column ``name`` (an error naming the columns there are)."""
        return [r[self.index(name)] for r in self.rows]

    def index(self, name: str) -> int:
        if name in self.header:
            return self.header.index(name)
        folded = [h.casefold() for h in self.header]
        if name.strip().casefold() in folded:  # `--revenue Revenue` for a column `revenue`
            return folded.index(name.strip().casefold())
        raise HistoryError(
            f"{self.name}: no column {name!r}; the columns are: {', '.join(self.header)}"
        )


def read_table(path: str | Path, sheet: str | None = None) -> Table:
    """The history in ``path``: a ``.csv`` (or ``.txt``/``.tsv``) or an ``.xlsx``/``.xlsm``
    (the first sheet, or ``sheet``). Raises :class:`HistoryError` when it cannot be read."""
    path = Path(path)
    if not path.exists():
        raise HistoryError(f"{path}: no such file")
    if path.is_dir():
        raise HistoryError(f"{path}: is a folder, not a history file")
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise HistoryError(f"{path.name}: an old .xls file; save it as .xlsx or .csv first")
    try:
        if suffix in (".xlsx", ".xlsm"):
            header, rows, lines = _read_xlsx(path, sheet)
        else:
            header, rows, lines = _read_csv(path)
    except HistoryError:
        raise
    except OSError as exc:
        raise HistoryError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    if not header:
        raise HistoryError(f"{path.name}: is empty (no header row)")
    header = [("" if h is None else str(h)).strip() for h in header]
    if not rows:
        raise HistoryError(f"{path.name}: has a header row but no data rows")
    width = len(header)
    rows = [list(r[:width]) + [None] * (width - len(r)) for r in rows]
    return Table(path.name, header, rows, lines)


def _read_csv(path: Path) -> tuple[list[Any], list[list[Any]], list[int]]:
    data = path.read_bytes()
    if b"\x00" in data[:4096] or data[:4] == b"PK\x03\x04":
        raise HistoryError(
            f"{path.name}: is not a text (CSV) file; give a .csv, or an .xlsx named .xlsx"
        )
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise HistoryError(f"{path.name}: is neither UTF-8 nor Shift-JIS text")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    records = list(csv.reader(io.StringIO(text), dialect))
    return _split(records, first_line=1)


def _read_xlsx(path: Path, sheet: str | None) -> tuple[list[Any], list[list[Any]], list[int]]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise HistoryError(f"{path.name}: not a readable .xlsx workbook ({exc})") from exc
    try:
        if sheet is None:
            ws = wb.worksheets[0]
        elif sheet in wb.sheetnames:
            ws = wb[sheet]
        else:
            raise HistoryError(
                f"{path.name}: no sheet {sheet!r}; the sheets are: {', '.join(wb.sheetnames)}"
            )
        records = [list(r) for r in ws.iter_rows(values_only=True)]
        names = wb.sheetnames
    finally:
        wb.close()
    header, rows, lines = _split(records, first_line=1)
    if not rows and len(names) > 1:
        raise HistoryError(
            f"{path.name}: sheet {ws.title!r} holds no data rows; the sheets are: "
            f"{', '.join(names)} (choose one with --sheet)"
        )
    return header, rows, lines


def _split(
    records: list[list[Any]], first_line: int
) -> tuple[list[Any], list[list[Any]], list[int]]:
    """Header = the first row that is not blank; blank rows below are dropped."""
    lines = list(range(first_line, first_line + len(records)))
    kept = [(r, n) for r, n in zip(records, lines) if not all(_blank(v) for v in r)]
    if not kept:
        return [], [], []
    (header, _), body = kept[0], kept[1:]
    while header and _blank(header[-1]):  # trailing empty header cells of a spreadsheet
        header = header[:-1]
    return list(header), [r for r, _ in body], [n for _, n in body]


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _number(v: Any) -> float | None:
    if isinstance(v, bool):
        return float(v)
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        from ..excel_functions.coerce import parse_number_text

        return parse_number_text(v)
    return None


def numbers(table: Table, name: str, blank: float | None) -> np.ndarray:
    """Column ``name`` as floats; ``blank``: the value of an empty cell (``None``: an
    error). Text that is not a number, or an infinite value, is an error naming the row."""
    out = np.empty(len(table.rows))
    j = table.index(name)
    for i, row in enumerate(table.rows):
        v = row[j]
        if _blank(v):
            if blank is None:
                raise HistoryError(
                    f"{table.name}: {table.header[j]} is blank in row {table.line(i)}; "
                    "fill every period"
                )
            out[i] = blank
            continue
        x = _number(v)
        if x is None or not math.isfinite(x):
            raise HistoryError(
                f"{table.name}: {table.header[j]} in row {table.line(i)} is {v!r}, not a number"
            )
        out[i] = x
    return out


def dates(table: Table, name: str) -> list[dt.datetime]:
    """Column ``name`` as dates (ISO text, ``2024/01/07``, or spreadsheet dates)."""
    import pandas as pd

    j = table.index(name)
    out = []
    for i, row in enumerate(table.rows):
        v = row[j]
        when = v if isinstance(v, (dt.date, dt.datetime)) else None
        if when is None and not _blank(v) and not isinstance(v, (int, float)):
            when = pd.to_datetime(str(v).strip(), errors="coerce")
            when = None if pd.isna(when) else when.to_pydatetime()
        if when is None:
            raise HistoryError(
                f"{table.name}: {table.header[j]} in row {table.line(i)} is {v!r}, not a date"
            )
        if not isinstance(when, dt.datetime):
            when = dt.datetime(when.year, when.month, when.day)
        out.append(when)
    return out


def control_columns(
    table: Table, names: Sequence[str]
) -> tuple[list[str], np.ndarray, dict[str, str]]:
    """The controls as numeric columns, their names, and the reference label of each
    control of labels: a numeric column as it is (blank = 0); a column of labels as one
    0/1 indicator per label except the most common, the reference (``events=event1``)."""
    out_names: list[str] = []
    columns: list[np.ndarray] = []
    references: dict[str, str] = {}
    for name in names:
        j = table.index(name)
        cells = table.column(name)
        parsed = [None if _blank(v) else _number(v) for v in cells]
        texts = [i for i, (v, x) in enumerate(zip(cells, parsed)) if not _blank(v) and x is None]
        if not texts:
            out_names.append(table.header[j])
            columns.append(np.array([0.0 if x is None else x for x in parsed]))
            continue
        numeric = [i for i, x in enumerate(parsed) if x is not None]
        if numeric:
            i, t = numeric[0], texts[0]
            raise HistoryError(
                f"{table.name}: control {table.header[j]} mixes numbers (row "
                f"{table.line(i)}: {cells[i]!r}) and labels (row {table.line(t)}: "
                f"{cells[t]!r}); make it all numbers, or all labels (one indicator per label)"
            )
        words = ["" if _blank(v) else str(v).strip() for v in cells]
        labels = Counter(words)
        if len(labels) > MAX_LABELS:
            raise HistoryError(
                f"{table.name}: control {table.header[j]} holds {len(labels)} different "
                f"labels (at most {MAX_LABELS} become indicators); give numbers instead"
            )
        reference = labels.most_common(1)[0][0]
        references[table.header[j]] = reference
        for value in sorted(labels):
            if value != reference:
                out_names.append(f"{table.header[j]}={value or '(blank)'}")
                columns.append(np.array([float(w == value) for w in words]))
    stacked = np.column_stack(columns) if columns else np.empty((len(table.rows), 0))
    return out_names, stacked, references
