"""Laying a template out on its sheet, top to bottom: which cell holds what, and its style.

Labels in column A, values from column B. Results get their formulas last
(:meth:`Layout.write_formulas`), once every key has an address; the formula text comes
from :mod:`roi_xl.templates.formulas` only.
"""

from __future__ import annotations

import math

from openpyxl.styles import Alignment, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.table import Table as XlTable
from openpyxl.worksheet.table import TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from ..i18n import Language, text_width
from . import styles
from .addressing import Addresses
from .charts import VALUE_WIDTH
from .formulas import METRICS
from .model import Calc, Grid, Input, Lines, Section, T, Table, Template, items

LAST_COL = 4  # A..D: the printed width, unless a grid or table is wider
LABEL_WIDTH = 36


class Layout:
    """Places a template's blocks on a worksheet and remembers where every key went."""

    def __init__(self, ws: Worksheet, template: Template, lang: Language, udf: bool) -> None:
        self.ws, self.t, self.lang, self.udf = ws, template, lang, udf
        self.row = 1
        self.at = Addresses(template.name, template.ranges)
        self.names: dict[str, str] = {}  # defined name → absolute reference
        # formulas to write once every key has a place: row, col, result, (table, row)
        self.pending: list[tuple[int, int, Calc, tuple[str, int] | None]] = []
        self.widths: dict[int, int] = {}
        self.add_in: list[str] = []  # cells that call our functions in every variant
        self.last_col = max(
            [LAST_COL]
            + [len(b.columns) for b in template.blocks if isinstance(b, Table)]
            + [len(b.headers) for b in template.blocks if isinstance(b, Grid)]
        )

    # -- writing helpers ----------------------------------------------------------------
    def fit(self, col: int, text: str, extra: int = 2) -> None:
        self.widths[col] = max(self.widths.get(col, 0), text_width(text) + extra)

    def put(self, row: int, col: int, value: object, **style: object):
        cell = self.ws.cell(row=row, column=col, value=value)
        cell.font = styles.font(self.lang, **style.pop("font", {}))  # type: ignore[arg-type]
        for k, v in style.items():
            setattr(cell, k, v)
        return cell

    def merged_text(
        self,
        text: str,
        first_col: int = 1,
        size: float = 10,
        italic: bool = False,
        color: str = "404040",
    ) -> None:
        """A paragraph across the printed width, wrapped, with a height that fits it."""
        ws, r = self.ws, self.row
        self.put(
            r,
            first_col,
            text,
            font={"size": size, "italic": italic, "color": color},
            alignment=styles.WRAP,
        )
        ws.merge_cells(start_row=r, start_column=first_col, end_row=r, end_column=self.last_col)
        width = self.width_between(first_col, self.last_col)
        lines = max(1, math.ceil(text_width(text) * size / 11 / max(width - 2, 1)))
        ws.row_dimensions[r].height = 15 * size / 10 * lines + 2
        self.row += 1

    def width_between(self, c0: int, c1: int) -> float:
        return sum(LABEL_WIDTH if c == 1 else VALUE_WIDTH for c in range(c0, c1 + 1))

    def heading(self, title: T) -> None:
        r = self.row
        for c in range(1, self.last_col + 1):
            self.ws.cell(row=r, column=c).fill = styles.HEAD_FILL
        self.put(r, 1, title(self.lang), font={"bold": True, "color": "FFFFFF", "size": 11})
        self.ws.row_dimensions[r].height = 20
        self.row += 1

    def value_cell(
        self,
        row: int,
        col: int,
        item: Input | Calc,
        results: bool,
        in_table: tuple[str, int] | None = None,
    ) -> None:
        lang = self.lang
        cell = self.ws.cell(row=row, column=col)
        if isinstance(item, Input):
            cell.value = item.value
            cell.font = styles.font(lang, color=styles.BLUE)
            cell.fill = styles.INPUT_FILL
            cell.border = styles.INPUT_BORDER
            cell.protection = Protection(locked=False)
            cell.number_format = styles.number_format(item.kind, lang)
            if item.kind == "text":
                cell.alignment = Alignment(horizontal="left")
        else:
            self.pending.append((row, col, item, in_table))
            cell.font = styles.font(lang, bold=results)
            cell.number_format = styles.number_format(item.kind, lang)
            cell.fill = styles.RESULT_FILL
            cell.border = styles.RESULT_BORDER
        if in_table is None:
            self.at.cell[item.key] = (row, col)

    # -- blocks -------------------------------------------------------------------------
    def block(self, block: Section | Grid | Table | Lines) -> None:
        """Lay out one block below what is there."""
        if isinstance(block, Section):
            self.section(block)
        elif isinstance(block, Grid):
            self.grid(block)
        elif isinstance(block, Table):
            self.table(block)
        else:
            self.lines(block)

    def section(self, block: Section) -> None:
        self.heading(block.title)
        for item in block.rows:
            r = self.row
            label = item.label(self.lang)
            self.put(r, 1, label, font={"bold": block.results}, alignment=Alignment(indent=1))
            self.fit(1, label, 4)
            self.at.caption[item.key] = (r, 1)
            self.value_cell(r, 2, item, block.results)
            if item.note:
                self.put(
                    r,
                    3,
                    item.note(self.lang),
                    font={"size": 9, "color": "595959"},
                    alignment=Alignment(vertical="center", wrap_text=True),
                )
                self.ws.merge_cells(
                    start_row=r, start_column=3, end_row=r, end_column=self.last_col
                )
                lines = math.ceil(
                    text_width(item.note(self.lang))
                    * 0.9
                    / (self.width_between(3, self.last_col) - 2)
                )
                if lines > 1:
                    self.ws.row_dimensions[r].height = 13 * lines + 3
            self.row += 1

    def grid(self, block: Grid) -> None:
        self.heading(block.title)
        r = self.row
        for c, h in enumerate(block.headers, start=1):
            self.put(
                r,
                c,
                h(self.lang),
                font={"bold": True},
                fill=styles.RESULT_FILL,
                alignment=Alignment(
                    horizontal="left" if c == 1 else "center", wrap_text=True, vertical="center"
                ),
                border=styles.RESULT_BORDER,
            )
            if c > 1:
                lines = math.ceil(text_width(h(self.lang)) / (VALUE_WIDTH - 1))
                self.ws.row_dimensions[r].height = max(
                    self.ws.row_dimensions[r].height or 15, 15 * lines + 2
                )
        self.row += 1
        for label, cells in block.rows:
            rr = self.row
            self.put(rr, 1, label(self.lang), alignment=Alignment(indent=1))
            self.fit(1, label(self.lang), 4)
            for c, item in enumerate(cells, start=2):
                if item is None:
                    continue
                self.value_cell(rr, c, item, block.results)
                self.at.caption[item.key] = (rr, 1)
                self.at.header[item.key] = (r, c)
            self.row += 1
        if block.note:
            self.merged_text(block.note(self.lang), size=9, italic=True)

    def table(self, block: Table) -> None:
        self.heading(block.title)
        head = self.row
        first, last = head + 1, head + len(block.rows)
        for c, col in enumerate(block.columns, start=1):
            self.put(
                head,
                c,
                col.header(self.lang),
                font={"bold": True, "color": "FFFFFF"},
                fill=styles.TABLE_HEAD_FILL,
                alignment=Alignment(horizontal="center", wrap_text=True),
            )
            self.at.columns[f"{block.name}.{col.key}"] = (c, first, last)
            self.at.table_first[block.name] = first
            self.fit(c, col.header(self.lang), 3)
        given_columns = [col for col in block.columns if col.is_input] + [
            col for col in block.columns if col.fixed
        ]
        for i, values in enumerate(block.rows):
            r = first + i
            given = {
                col.key: v(self.lang) if isinstance(v, T) else v
                for col, v in zip(given_columns, values)
            }
            for c, col in enumerate(block.columns, start=1):
                if col.fixed:
                    self.put(
                        r,
                        c,
                        given[col.key],
                        fill=styles.RESULT_FILL,
                        border=styles.RESULT_BORDER,
                        number_format=styles.number_format(col.kind, self.lang),
                    )
                    continue
                if col.calc is None:
                    item: Input | Calc = Input(col.key, col.header, given[col.key], col.kind)
                    if col.kind == "text":
                        self.fit(c, str(given[col.key]), 3)
                else:
                    item = col.calc
                self.value_cell(r, c, item, results=False, in_table=(block.name, r))
        ref = f"A{head}:{get_column_letter(len(block.columns))}{last}"
        xl = XlTable(displayName=block.name, ref=ref)
        xl.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=False)
        self.ws.add_table(xl)
        for col in block.columns:
            self.names[f"{block.name}_{col.key}"] = self.at.column_ref(f"{block.name}.{col.key}")
        self.row = last + 1

    def lines(self, block: Lines) -> None:
        self.heading(block.title)
        for line in block.lines:
            self.merged_text(line(self.lang), size=9.5)

    # -- once everything has its place ----------------------------------------------------
    def write_formulas(self) -> None:
        """Every result's formula (native, or a call of our function with ``udf``)."""
        for row, col, calc, in_table in self.pending:
            metric = METRICS[calc.metric]
            use_udf = (self.udf or metric.add_in_only) and metric.udf is not None
            if metric.add_in_only:
                self.add_in.append(f"{get_column_letter(col)}{row}")
            refs = {p: self.at.resolve(calc.args[p], in_table) for p in metric.params(use_udf)}
            self.ws.cell(row=row, column=col).value = metric.formula(refs, use_udf)

    def defined_names(self) -> dict[str, str]:
        """Workbook-level name → sheet-qualified reference: every input, every named
        result, the template's ranges and the table columns."""
        for block in self.t.blocks:
            for item in items(block):
                if isinstance(item, Input) or item.named:
                    self.names[item.key] = self.at.ref(item.key)
        for name, keys in self.t.ranges.items():
            self.names[name] = self.at.range_ref(keys)
        sheet = quote_sheetname(self.ws.title)
        return {name: f"{sheet}!{local}" for name, local in self.names.items()}
