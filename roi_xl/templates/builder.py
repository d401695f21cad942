"""Turn a :class:`~roi_xl.templates.model.Template` into an openpyxl workbook and a file.

Layout is one sheet, top to bottom: title, explanation, legend, the blocks, the charts.
Labels in column A, values from column B. Formula text comes from
:mod:`roi_xl.templates.formulas` only; this module never computes a metric.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference, Series
from openpyxl.chart.label import DataLabelList
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.table import Table as XlTable
from openpyxl.worksheet.table import TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from ..i18n import Language, language, normalise, text_width
from . import styles
from .formulas import METRICS
from .model import Calc, Chart, Grid, Input, Lines, Section, T, Table, Template

LAST_COL = 4  # A..D: the printed width, unless a grid or table is wider
LABEL_WIDTH = 36
VALUE_WIDTH = 17
RED_FONT = Font(color="9C0006", bold=True)


class _Sheet:
    """Places cells and remembers where every key went."""

    def __init__(self, ws: Worksheet, template: Template, lang: Language, udf: bool) -> None:
        self.ws, self.t, self.lang, self.udf = ws, template, lang, udf
        self.row = 1
        self.addr: dict[str, tuple[int, int]] = {}
        self.caption: dict[str, tuple[int, int]] = {}
        self.header: dict[str, tuple[int, int]] = {}
        self.columns: dict[str, tuple[int, int, int]] = {}  # table column key → col, r0, r1
        self.names: dict[str, str] = {}  # defined name → absolute reference
        self.pending: list[
            tuple[int, int, Calc, tuple[str, int] | None]
        ] = []  # formulas to write last
        self.widths: dict[int, int] = {}
        self.last_col = max(
            [LAST_COL]
            + [len(b.columns) for b in template.blocks if isinstance(b, Table)]
            + [len(b.headers) for b in template.blocks if isinstance(b, Grid)]
        )

    # -- references ------------------------------------------------------------------
    def ref(self, key: str, absolute: bool = True) -> str:
        row, col = self.addr[key]
        letter = get_column_letter(col)
        return f"${letter}${row}" if absolute else f"{letter}{row}"

    def range_ref(self, keys: list[str], span: bool = False) -> str:
        """Absolute range over ``keys`` (all of them, contiguous; or ``span``: first to last)."""
        cells = sorted(self.addr[k] for k in keys)
        (r0, c0), (r1, c1) = cells[0], cells[-1]
        if not span and len(cells) != (r1 - r0 + 1) * (c1 - c0 + 1):
            raise ValueError(f"{self.t.name}: range {keys} is not contiguous")
        a = f"${get_column_letter(c0)}${r0}"
        b = f"${get_column_letter(c1)}${r1}"
        return a if a == b else f"{a}:{b}"

    def column_ref(self, key: str) -> str:
        col, r0, r1 = self.columns[key]
        letter = get_column_letter(col)
        return f"${letter}${r0}:${letter}${r1}"

    def resolve(self, value: str | int, in_table: tuple[str, int] | None) -> str:
        """A reference for a metric parameter; ``in_table`` = (table, row) for formulas
        inside a table, whose column keys mean "this row" and ``key[]`` "this column"."""
        if isinstance(value, int):
            return str(value)
        if value.startswith("="):
            return value[1:]
        if value.endswith("[]"):
            key = value[:-2]
            return self.column_ref(f"{in_table[0]}.{key}" if in_table and "." not in key else key)
        if value in self.t.ranges:
            return self.range_ref(self.t.ranges[value])
        if ":" in value:
            a, b = value.split(":")
            return self.range_ref([a, b], span=True)
        if in_table and f"{in_table[0]}.{value}" in self.columns:
            return f"{get_column_letter(self.columns[f'{in_table[0]}.{value}'][0])}{in_table[1]}"
        return self.ref(value)

    def sheet_ref(self, local: str) -> str:
        return f"{quote_sheetname(self.ws.title)}!{local}"

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
            self.addr[item.key] = (row, col)

    # -- blocks -------------------------------------------------------------------------
    def section(self, block: Section) -> None:
        self.heading(block.title)
        for item in block.rows:
            r = self.row
            label = item.label(self.lang)
            self.put(r, 1, label, font={"bold": block.results}, alignment=Alignment(indent=1))
            self.fit(1, label, 4)
            self.caption[item.key] = (r, 1)
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
                self.caption[item.key] = (rr, 1)
                self.header[item.key] = (r, c)
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
            self.columns[f"{block.name}.{col.key}"] = (c, first, last)
            self.fit(c, col.header(self.lang), 3)
        inputs = [col for col in block.columns if col.calc is None]
        for i, values in enumerate(block.rows):
            r = first + i
            given = {
                col.key: v(self.lang) if isinstance(v, T) else v for col, v in zip(inputs, values)
            }
            for c, col in enumerate(block.columns, start=1):
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
            self.names[f"{block.name}_{col.key}"] = self.column_ref(f"{block.name}.{col.key}")
        self.row = last + 1

    def lines(self, block: Lines) -> None:
        self.heading(block.title)
        for line in block.lines:
            self.merged_text(line(self.lang), size=9.5)

    # -- formulas, names, rules -----------------------------------------------------------
    def write_formulas(self) -> None:
        for row, col, calc, in_table in self.pending:
            metric = METRICS[calc.metric]
            use_udf = self.udf and metric.udf is not None
            refs = {p: self.resolve(calc.args[p], in_table) for p in metric.params(use_udf)}
            self.ws.cell(row=row, column=col).value = metric.formula(refs, use_udf)

    def define_names(self, wb: Workbook) -> None:
        for block in self.t.blocks:
            items: list[Input | Calc] = []
            if isinstance(block, Section):
                items = list(block.rows)
            elif isinstance(block, Grid):
                items = [c for _, cells in block.rows for c in cells if c is not None]
            for item in items:
                if isinstance(item, Input) or item.named:
                    self.names[item.key] = self.ref(item.key)
        for name, keys in self.t.ranges.items():
            self.names[name] = self.range_ref(keys)
        for name, local in self.names.items():
            wb.defined_names[name] = DefinedName(name, attr_text=self.sheet_ref(local))

    def validations(self) -> None:
        ws, lang = self.ws, self.lang
        for block in self.t.blocks:
            if isinstance(block, Table):
                for col in block.columns:
                    if col.calc is None:
                        c, r0, r1 = self.columns[f"{block.name}.{col.key}"]
                        top = f"{get_column_letter(c)}{r0}"
                        dv = styles.validation(col.kind, top, lang)
                        dv.add(f"{top}:{get_column_letter(c)}{r1}")
                        ws.add_data_validation(dv)
                continue
            for item in _items(block):
                if isinstance(item, Input):
                    cell = self.ref(item.key, absolute=False)
                    extra = extra_text = None
                    if item.at_most:
                        extra = f"{cell}<={self.ref(item.at_most)}"
                        extra_text = T("(人数以下)", "(not more than the group size)")
                    dv = styles.validation(item.kind, cell, lang, extra, extra_text)
                    dv.add(cell)
                    ws.add_data_validation(dv)

    def bad_values(self) -> None:
        for block in self.t.blocks:
            if isinstance(block, Table):
                for col in block.columns:
                    if col.calc is not None:
                        where = self.column_ref(f"{block.name}.{col.key}")
                        self._bad(col.calc, where.replace("$", ""))
                continue
            for item in _items(block):
                if isinstance(item, Calc):
                    self._bad(item, self.ref(item.key, absolute=False))

    def _bad(self, calc: Calc, where: str) -> None:
        limit = calc.bad_below
        if limit is None:
            limit = {"roi": 0.0, "roi_gross": 1.0}.get(calc.kind)
        if limit is not None:
            rule = CellIsRule(
                operator="lessThan", formula=[repr(limit)], font=RED_FONT, fill=styles.BAD_FILL
            )
            self.ws.conditional_formatting.add(where, rule)

    # -- charts ------------------------------------------------------------------------
    def area(self, spec: tuple[str, str] | str) -> Reference:
        first, last = (spec, spec) if isinstance(spec, str) else spec
        a, b = self.point(first, True), self.point(last, False)
        return Reference(self.ws, min_col=a[1], min_row=a[0], max_col=b[1], max_row=b[0])

    def point(self, key: str, first: bool = True) -> tuple[int, int]:
        if key.endswith("[]"):  # "table.column[]": its first or last data cell
            c, r0, r1 = self.columns[key[:-2]]
            return (r0 if first else r1, c)
        if key.startswith("@"):
            return self.caption[key[1:]]
        if key.startswith("^"):
            return self.header[key[1:]]
        return self.addr[key]

    def chart(self, spec: Chart, anchor_row: int) -> int:
        ch = BarChart()
        ch.type = "bar" if spec.kind == "bar" else "col"
        ch.title = spec.title(self.lang)
        ch.style = 10
        ch.legend = None if len(spec.series) == 1 else ch.legend
        for title, values in spec.series:
            ch.series.append(Series(self.area(values), title=title(self.lang)))
        ch.set_categories(self.area(spec.categories))
        if spec.kind == "bar":
            ch.x_axis.scaling.orientation = "maxMin"  # top of the funnel first
        ch.y_axis.numFmt = "0%" if spec.percent else "#,##0"
        ch.y_axis.majorGridlines = ch.y_axis.majorGridlines
        ch.x_axis.delete = False
        ch.y_axis.delete = False
        if spec.y_title:
            ch.y_axis.title = spec.y_title(self.lang)
        ch.dataLabels = DataLabelList(
            showVal=True,
            showCatName=False,
            showSerName=False,
            showLegendKey=False,
            showPercent=False,
        )
        ch.dataLabels.numFmt = "0%" if spec.percent else "#,##0"
        ch.x_axis.tickLblPos = "low"  # labels clear of bars that go below zero
        page = sum(
            self.ws.column_dimensions[get_column_letter(c)].width or VALUE_WIDTH
            for c in range(1, self.last_col + 1)
        )
        ch.width = round(min(max(page * 0.19 * 0.75, 16.0), 26.0), 1)
        ch.height = 7.5 if spec.kind == "col" else max(7.5, 1.5 + 1.1 * self.bars(spec))
        ch.gapWidth = 60  # bars thick enough to read
        self.ws.add_chart(ch, f"A{anchor_row}")
        return anchor_row + math.ceil(ch.height / 0.53) + 2

    def bars(self, spec: Chart) -> int:
        ref = self.area(spec.categories)
        return (
            (ref.max_row - ref.min_row + 1)
            * (ref.max_col - ref.min_col + 1)
            // max(1, ref.max_col - ref.min_col + 1)
        )


def _items(block: object) -> list[Input | Calc]:
    if isinstance(block, Section):
        return list(block.rows)
    if isinstance(block, Grid):
        return [c for _, cells in block.rows for c in cells if c is not None]
    return []


def build(template: Template | str, lang: str | None = None, udf: bool = False) -> Workbook:
    """The workbook of ``template`` (a name or a definition) in ``lang`` (default: the
    user's language); ``udf=True`` writes key cells as calls of the roi_xl functions."""
    from .catalog import get

    if isinstance(template, str):
        template = get(template)
    language_: Language = normalise(lang) if lang else language()
    wb = Workbook()
    ws = wb.active
    ws.title = template.sheet(language_)[:31]
    sheet = _Sheet(ws, template, language_, udf)

    ws.sheet_view.showGridLines = False
    sheet.put(1, 1, template.title(language_), font={"bold": True, "size": 16, "color": "1F3864"})
    ws.row_dimensions[1].height = 28
    sheet.row = 2
    for line in template.explanation:
        sheet.merged_text(line(language_))
    legend = T(
        "青い入力セルに数字を入れると、灰色の結果がすべて再計算されます(入力セル以外は保護"
        "されています。保護の解除にパスワードは不要です)。",
        "Type your numbers into the blue input cells; every grey result recalculates. "
        "Everything else is protected (no password needed to unprotect).",
    )
    sheet.merged_text(legend(language_), size=9, italic=True, color="1F4E9A")
    for block in template.blocks:
        sheet.row += 1
        {Section: sheet.section, Grid: sheet.grid, Table: sheet.table, Lines: sheet.lines}[
            type(block)
        ](block)  # type: ignore[operator]
    sheet.write_formulas()
    sheet.define_names(wb)
    sheet.validations()
    sheet.bad_values()
    labelled = any(isinstance(b, (Section, Grid)) for b in template.blocks)
    ws.column_dimensions["A"].width = max(LABEL_WIDTH if labelled else 10, sheet.widths.get(1, 0))
    for c in range(2, sheet.last_col + 1):  # tables alone: narrower columns, more fit
        ws.column_dimensions[get_column_letter(c)].width = max(
            VALUE_WIDTH if labelled else 13, sheet.widths.get(c, 0)
        )
    anchor = sheet.row + 2
    for spec in template.charts:
        anchor = sheet.chart(spec, anchor)
    ws.freeze_panes = "A2"
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # users may still widen columns
    ws.print_title_rows = "1:1"
    ws.print_area = f"A1:{get_column_letter(sheet.last_col)}{anchor}"
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    wb.properties.title = template.title(language_)
    wb.properties.creator = "roi_xl"
    return wb


def write(
    template: Template | str,
    path: str | os.PathLike[str],
    lang: str | None = None,
    udf: bool = False,
) -> Path:
    """Build ``template`` and save it to ``path`` atomically, with cached values when the
    refresh engine is available. Returns the path written."""
    path = Path(path)
    wb = build(template, lang, udf)
    path.parent.mkdir(parents=True, exist_ok=True)
    from ..fileio import replacing

    with replacing(path) as tmp:
        wb.save(tmp)
        _refresh(tmp)
    return path


def _refresh(path: Path) -> None:
    """Write every formula's cached value (SPEC §4/§5) before the file appears under its
    final name, so pandas and previews see numbers at once."""
    from roi_xl.refresh import refresh_file

    report = refresh_file(path, backup=False)
    if report.failed or report.kept:
        why = report.reason or "; ".join(map(str, report.kept_cells))
        raise RuntimeError(
            f"could not compute the template's formulas ({why}): please report this bug"
        )
