"""Turn a :class:`~roi_xl.templates.model.Template` into an openpyxl workbook and a file.

One sheet, top to bottom: title, explanation, legend, the blocks, the charts. The rooms:
:mod:`.layout` (which cell holds what), :mod:`.addressing` (keys → references),
:mod:`.rules` (validation, red for bad values), :mod:`.charts`; formula text comes from
:mod:`.formulas` only. This module puts them together and never computes a metric.
"""

from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.pagebreak import Break

from ..i18n import Language, language, normalise
from .charts import VALUE_WIDTH, add_chart, page_width, rows_taken, side_by_side
from .layout import LABEL_WIDTH, Layout
from .model import Grid, Section, T, Table, Template

#: Tables longer than this start on a new page (in templates that place their charts).
LONG_TABLE = 40
from .rules import add_bad_value_formats, add_validations


def build(template: Template | str, lang: str | None = None, udf: bool = False) -> Workbook:
    """The workbook of ``template`` (a name or a definition) in ``lang`` (default: the
    user's language); ``udf=True`` writes key cells as calls of the roi_xl functions.

    Parameters
    ----------
    template : Template or str
        A definition or a template name (``"funnel-budget"``).
    lang : str, optional
        ``"ja"`` or ``"en"``; default the user's language.
    udf : bool
        Write key cells as calls of roi_xl's Excel functions instead of native formulas.

    Returns
    -------
    openpyxl.Workbook
        Not yet saved; :func:`write` saves it with cached values.
    """
    return _build(template, lang, udf)[0]


def add_in_cells(template: Template | str, lang: str | None = None) -> list[str]:
    """Cells (``B12``) of the native ``template`` that call our functions by intent
    (metrics without a native formula): their values are cached on creation and need the
    add-in to recompute; every other formula is plain Excel.

    Parameters
    ----------
    template : Template or str
        A definition or a template name.
    lang : str, optional
        ``"ja"`` or ``"en"``; default the user's language.

    Returns
    -------
    list of str
        A1 addresses of those cells, in the order their formulas are written.

    Examples
    --------
    >>> add_in_cells("funnel-budget", "en")
    []
    """
    return _build(template, lang, False)[1].add_in


def _build(
    template: Template | str, lang: str | None = None, udf: bool = False
) -> tuple[Workbook, Layout]:
    from .catalog import get

    if isinstance(template, str):
        template = get(template)
    language_: Language = normalise(lang) if lang else language()
    wb = Workbook()
    ws = wb.active
    ws.title = template.sheet(language_)[:31]
    sheet = Layout(ws, template, language_, udf)

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
    chart_rows: list[int] = []  # where each chart goes, once the columns have their widths
    for i, block in enumerate(template.blocks):
        if i == template.charts_at:  # two by two, side by side, on a new page
            ws.row_breaks.append(Break(id=sheet.row))
            sheet.row += 2
            for k in range(0, len(template.charts), 2):
                pair = template.charts[k : k + 2]
                chart_rows += [sheet.row] * len(pair)
                sheet.row += max(rows_taken(spec, sheet.at) for spec in pair)
        if isinstance(block, Table) and len(block.rows) > LONG_TABLE and template.charts_at:
            ws.row_breaks.append(Break(id=sheet.row))  # a long history starts a page
        sheet.row += 1
        sheet.block(block)
    sheet.write_formulas()
    for name, reference in sheet.defined_names().items():
        wb.defined_names[name] = DefinedName(name, attr_text=reference)
    add_validations(ws, template, language_, sheet.at)
    add_bad_value_formats(ws, template, sheet.at)
    labelled = any(isinstance(b, (Section, Grid)) for b in template.blocks)
    ws.column_dimensions["A"].width = max(LABEL_WIDTH if labelled else 10, sheet.widths.get(1, 0))
    for c in range(2, sheet.last_col + 1):  # tables alone: narrower columns, more fit
        ws.column_dimensions[get_column_letter(c)].width = max(
            VALUE_WIDTH if labelled else 13, sheet.widths.get(c, 0)
        )
    anchor = sheet.row + 2
    if chart_rows:
        column, width = side_by_side(ws, sheet.last_col)
        for k, (spec, row) in enumerate(zip(template.charts, chart_rows)):
            place = (column, page_width(ws, sheet.last_col, column) - 0.4) if k % 2 else (1, width)
            add_chart(ws, spec, row, language_, sheet.at, sheet.last_col, *place)
        anchor = sheet.row
    for spec in template.charts if not chart_rows else []:
        anchor = add_chart(ws, spec, anchor, language_, sheet.at, sheet.last_col)
    ws.freeze_panes = "A2"
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # users may still widen columns
    ws.print_title_rows = "1:1"
    ws.print_area = f"A1:{get_column_letter(sheet.last_col)}{anchor}"
    ws.page_setup.orientation = "landscape" if template.landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    wb.properties.title = template.title(language_)
    wb.properties.creator = "roi_xl"
    return wb, sheet


def write(
    template: Template | str,
    path: str | os.PathLike[str],
    lang: str | None = None,
    udf: bool = False,
) -> Path:
    """Build ``template`` and save it to ``path`` atomically, with cached values when the
    refresh engine is available. Returns the path written.

    Parameters
    ----------
    template : Template or str
        A definition or a template name.
    path : path-like
        Where to write the .xlsx.
    lang : str, optional
        ``"ja"`` or ``"en"``; default the user's language.
    udf : bool
        As for :func:`build`.

    Returns
    -------
    Path
        The path written.
    """
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
