"""The charts of a template (bars and columns; lines over a numeric x; stacked areas),
placed below its tables or where the template says."""

from __future__ import annotations

import math

from openpyxl.chart import AreaChart, BarChart, Reference, ScatterChart, Series
from openpyxl.chart.label import DataLabelList
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..i18n import Language
from .addressing import Addresses
from .model import Chart

#: Width of a value column when none is set (as the layout sets them).
VALUE_WIDTH = 17


def add_chart(
    ws: Worksheet,
    spec: Chart,
    anchor_row: int,
    lang: Language,
    at: Addresses,
    last_col: int,
    column: int = 1,
    width: float | None = None,
) -> int:
    """Add ``spec``'s chart at ``column`` (A) of ``anchor_row``, ``width`` cm wide (default:
    the page's, within bounds); returns the first row below it."""
    if spec.kind in ("line", "area"):
        return _add_lines(ws, spec, anchor_row, lang, at, last_col, column, width)
    ch = BarChart()
    ch.type = "bar" if spec.kind == "bar" else "col"
    ch.title = spec.title(lang)
    ch.style = 10
    ch.legend = None if len(spec.series) == 1 else ch.legend
    for title, values in spec.series:
        ch.series.append(Series(_area(ws, at, values), title=title(lang)))
    categories = _area(ws, at, spec.categories)
    ch.set_categories(categories)
    if spec.kind == "bar":
        ch.x_axis.scaling.orientation = "maxMin"  # top of the funnel first
    ch.y_axis.numFmt = "0%" if spec.percent else "#,##0"
    ch.y_axis.majorGridlines = ch.y_axis.majorGridlines
    ch.x_axis.delete = False
    ch.y_axis.delete = False
    if spec.y_title:
        ch.y_axis.title = spec.y_title(lang)
    ch.dataLabels = DataLabelList(
        showVal=len(spec.series) <= 3,  # more bars per category: labels would overlap
        showCatName=False,
        showSerName=False,
        showLegendKey=False,
        showPercent=False,
    )
    ch.dataLabels.numFmt = "0%" if spec.percent else "#,##0"
    ch.x_axis.tickLblPos = "low"  # labels clear of bars that go below zero
    ch.width = width or _width(ws, last_col)
    bars = categories.max_row - categories.min_row + 1
    ch.height = 7.5 if spec.kind == "col" else max(7.5, 1.5 + 1.1 * bars)
    ch.gapWidth = 60  # bars thick enough to read
    ws.add_chart(ch, f"{get_column_letter(column)}{anchor_row}")
    return anchor_row + math.ceil(ch.height / 0.53) + 2


def rows_taken(spec: Chart, at: Addresses) -> int:
    """How many rows ``spec``'s chart covers, with the gap below it (as :func:`add_chart`)."""
    if spec.kind in ("line", "area"):
        height = LINE_HEIGHT
    elif spec.kind == "col":
        height = 7.5
    else:
        top, _, bottom, _ = _area_bounds(at, spec.categories)
        height = max(7.5, 1.5 + 1.1 * (bottom - top + 1))
    return math.ceil(height / 0.53) + 2


#: Height (cm) of a line or area chart.
LINE_HEIGHT = 9.0


def _width(ws: Worksheet, last_col: int) -> float:
    return round(min(max(page_width(ws, last_col), 16.0), 26.0), 1)


def page_width(ws: Worksheet, last_col: int, first_col: int = 1) -> float:
    """Roughly how many cm columns ``first_col``…``last_col`` take."""
    return (
        0.19
        * 0.75
        * sum(
            ws.column_dimensions[get_column_letter(c)].width or VALUE_WIDTH
            for c in range(first_col, last_col + 1)
        )
    )


def side_by_side(ws: Worksheet, last_col: int) -> tuple[int, float]:
    """Where a second chart starts (its column) and the width of each of two charts
    placed side by side across the printed columns."""
    half = page_width(ws, last_col) / 2
    column = next((c for c in range(2, last_col + 1) if page_width(ws, c - 1) >= half), last_col)
    return column, round(page_width(ws, column - 1) - 0.4, 1)


def _add_lines(
    ws: Worksheet,
    spec: Chart,
    anchor_row: int,
    lang: Language,
    at: Addresses,
    last_col: int,
    column: int,
    width: float | None,
) -> int:
    """Lines over a numeric x (response curves) or areas stacked over periods."""
    x = _area(ws, at, spec.categories)
    if spec.kind == "line":
        ch = ScatterChart()
        ch.scatterStyle = "line"
        for title, values in spec.series:
            series = Series(_area(ws, at, values), x, title=title(lang))
            series.marker.symbol = "none"
            series.smooth = False
            ch.series.append(series)
        ch.x_axis.numFmt = "#,##0"
        ch.x_axis.majorGridlines = None
    else:
        ch = AreaChart()
        ch.grouping = "stacked"
        for title, values in spec.series:
            ch.series.append(Series(_area(ws, at, values), title=title(lang)))
        ch.set_categories(x)
        ch.x_axis.numFmt = "yyyy-mm"
        ch.x_axis.tickLblSkip = 13
    ch.title = spec.title(lang)
    ch.style = 10
    ch.y_axis.numFmt = "0%" if spec.percent else "#,##0"
    ch.x_axis.delete = False
    ch.y_axis.delete = False
    if spec.y_title:
        ch.y_axis.title = spec.y_title(lang)
    if spec.x_title:
        ch.x_axis.title = spec.x_title(lang)
    ch.legend.position = "b"
    ch.width = width or _width(ws, last_col)
    ch.height = LINE_HEIGHT
    ws.add_chart(ch, f"{get_column_letter(column)}{anchor_row}")
    return anchor_row + math.ceil(ch.height / 0.53) + 2


def _area_bounds(at: Addresses, spec: tuple[str, str] | str) -> tuple[int, int, int, int]:
    first, last = (spec, spec) if isinstance(spec, str) else spec
    a, b = at.point(first, True), at.point(last, False)
    return a[0], a[1], b[0], b[1]


def _area(ws: Worksheet, at: Addresses, spec: tuple[str, str] | str) -> Reference:
    first, last = (spec, spec) if isinstance(spec, str) else spec
    a, b = at.point(first, True), at.point(last, False)
    return Reference(ws, min_col=a[1], min_row=a[0], max_col=b[1], max_row=b[0])
