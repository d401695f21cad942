"""The bar and column charts of a template, placed below its tables."""

from __future__ import annotations

import math

from openpyxl.chart import BarChart, Reference, Series
from openpyxl.chart.label import DataLabelList
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..i18n import Language
from .addressing import Addresses
from .model import Chart

#: Width of a value column when none is set (as the layout sets them).
VALUE_WIDTH = 17


def add_chart(
    ws: Worksheet, spec: Chart, anchor_row: int, lang: Language, at: Addresses, last_col: int
) -> int:
    """Add ``spec``'s chart at column A of ``anchor_row``; returns the first row below it."""
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
    page = sum(
        ws.column_dimensions[get_column_letter(c)].width or VALUE_WIDTH
        for c in range(1, last_col + 1)
    )
    ch.width = round(min(max(page * 0.19 * 0.75, 16.0), 26.0), 1)
    bars = categories.max_row - categories.min_row + 1
    ch.height = 7.5 if spec.kind == "col" else max(7.5, 1.5 + 1.1 * bars)
    ch.gapWidth = 60  # bars thick enough to read
    ws.add_chart(ch, f"A{anchor_row}")
    return anchor_row + math.ceil(ch.height / 0.53) + 2


def _area(ws: Worksheet, at: Addresses, spec: tuple[str, str] | str) -> Reference:
    first, last = (spec, spec) if isinstance(spec, str) else spec
    a, b = at.point(first, True), at.point(last, False)
    return Reference(ws, min_col=a[1], min_row=a[0], max_col=b[1], max_row=b[0])
