"""Refresh a folder of budget workbooks and collect every workbook's ROI into one table.

    python examples/collect_roi.py reports/ -o overview.xlsx

1. ``roi_xl.refresh.refresh_files`` recomputes every formula (no Excel needed) and writes
   the cached values, changing nothing else in the files;
2. ``roi_xl.named_values`` reads the ROI-type results through the workbooks' defined names;
3. the rows become a pandas DataFrame, printed and saved as an overview workbook.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pandas as pd

from roi_xl.defined_names import named_values
from roi_xl.fileio import replacing
from roi_xl.refresh import refresh_files

#: Defined names of ROI-type results in the roi_xl templates (any workbook may have them).
ROI_NAMES = (
    "roi",
    "roi_gross",
    "marketing_roi",
    "roi_base",
    "roi_followup",
    "incremental_roi",
    "roas",
    "required_budget",
    "budget_gap",
)


def collect(folder: str | os.PathLike[str], recursive: bool = True) -> pd.DataFrame:
    """Refresh every workbook under ``folder``; one row per workbook, one column per name."""
    reports = refresh_files(
        [folder], recursive=recursive, backup=False, progress=sys.stderr.isatty()
    )
    rows = []
    for report in reports:
        row: dict[str, object] = {"workbook": report.path, "status": report.status}
        if not report.failed:
            import openpyxl

            names = set(openpyxl.load_workbook(report.path, read_only=True).defined_names)
            row.update(named_values(report.path, [n for n in ROI_NAMES if n in names]))
        else:
            row["problem"] = report.reason
        rows.append(row)
    frame = pd.DataFrame(rows)
    order = ["workbook", "status", *ROI_NAMES, "problem"]
    return frame[[c for c in order if c in frame]]


def save_overview(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write the overview workbook atomically (a crash leaves no half-written file)."""
    path = Path(path)
    with replacing(path) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            frame.to_excel(writer, sheet_name="ROI overview", index=False)
            sheet = writer.sheets["ROI overview"]
            for k, name in enumerate(frame.columns, start=1):
                fmt = "#,##0" if "budget" in name else "0.0%"
                sheet.column_dimensions[sheet.cell(1, k).column_letter].width = (
                    max(12, len(name) + 2) if name != "workbook" else 48
                )
                for (cell,) in sheet.iter_rows(min_row=2, min_col=k, max_col=k):
                    if isinstance(cell.value, (int, float)):
                        cell.number_format = fmt
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("folder", help="folder with .xlsx/.xlsm workbooks (searched recursively)")
    parser.add_argument(
        "-o",
        "--output",
        default="roi-overview.xlsx",
        help="overview workbook to write (default: roi-overview.xlsx)",
    )
    args = parser.parse_args(argv)
    frame = collect(args.folder)
    with pd.option_context("display.width", 160, "display.max_columns", 20):
        print(frame.drop(columns=["status"]).to_string(index=False))
    print(f"\nwrote {save_overview(frame, args.output)}")
    return 1 if (frame["status"] == "failed").any() else 0


if __name__ == "__main__":
    sys.exit(main())
