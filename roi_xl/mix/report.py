"""The report workbook of ``roi-xl mmm``: what a fitted marketing mix found, laid out for
a reader who opens it in Excel, LibreOffice or Google Sheets (values, not formulas).

Sheets, in the user's language: summary (one row per channel, shares of spend vs effect
as a chart), fit (measures, warnings, actual vs fitted revenue), decomposition (revenue
per period as baseline + channels, a stacked area chart), response (incremental revenue
per period at spends from 0 to 2.5x today's, a line chart) and allocation (today's
budget split for the most revenue, today vs recommended as a chart). This module lays
out; every number comes from :mod:`.fit` and :mod:`.allocate`.

>>> import openpyxl, pathlib, tempfile
>>> from roi_xl.mix.simulate import simulate
>>> from roi_xl.mix.fit import fit_mix
>>> from roi_xl.mix.allocate import allocate
>>> sim = simulate(seed=1, periods=104, channels=2)
>>> fitted = fit_mix(sim.revenue, sim.spends, sim.channel_names)
>>> plan = allocate(fitted.model, float(fitted.model.current_spend.sum()))
>>> report = Report(fitted, plan, "", "sim.csv", list(range(1, 105)))
>>> path = pathlib.Path(tempfile.mkdtemp()) / "report.xlsx"
>>> write_report(report, path, "en")
>>> openpyxl.load_workbook(path).sheetnames
['Summary', 'Fit', 'Decomposition', 'Response', 'Allocation']
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np
from openpyxl import Workbook
from openpyxl.chart import AreaChart, BarChart, LineChart, Reference, ScatterChart, Series
from openpyxl.chart.axis import DateAxis
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..i18n import Language, label
from ..templates.model import T
from ..templates.styles import BAD_FILL, HEAD_FILL, RESULT_BORDER, TABLE_HEAD_FILL, WRAP, font

#: Response curves run from 0 to this multiple of today's spend per period.
RESPONSE_SPAN = 2.5
RESPONSE_POINTS = 51
MONEY = "#,##0;[Red]-#,##0"  # the history's own currency: no symbol assumed
RATIO = "0.00"
SHARE = "0.0%"
CHART_HEIGHT = 8.5  # cm
CHART_ROWS = 18  # rows a chart of CHART_HEIGHT covers, with a margin
BASELINE_COLOUR = "A6B8D4"
#: One colour per channel, the same in every chart of the report.
PALETTE = ("C0504D", "4F81BD", "9BBB59", "8064A2", "F79646", "4BACC6", "2C4D75", "772C2A")


def _colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


@dataclass
class Report:
    """What the report shows: the fit, the allocation (or why there is none), and where
    the history came from."""

    fit: Any  # MixFit
    plan: Any  # Allocation or None
    no_plan: str
    source: str
    periods: Sequence[Any]  # a date or number per period
    controls: list[str] = field(default_factory=list)
    adstock: str = "geometric"
    saturation: str = "hill"
    periods_per_year: float | None = 52.0
    gross_margin: float = 1.0
    lift_tests: int = 0
    spends: np.ndarray | None = None  # per period × channel, for channels paused today


_SHEETS = ("summary", "fit", "decomposition", "response", "allocation")
_TEXT = {
    "summary": T("要約", "Summary"),
    "fit": T("当てはまり", "Fit"),
    "decomposition": T("分解", "Decomposition"),
    "response": T("反応曲線", "Response"),
    "allocation": T("配分", "Allocation"),
    "title": T("マーケティング・ミックス・モデル(MMM)", "Marketing-mix model (MMM)"),
    "source": T(
        "データ: {source}、{n} 期間{dates}。残存効果 {adstock}、飽和曲線 {saturation}、{season}。",
        "Data: {source}, {n} periods{dates}. Carryover {adstock}, saturation {saturation}, "
        "{season}.",
    ),
    "season": T("季節性 1 年 {ppy:g} 期", "seasonality {ppy:g} periods per year"),
    "no_season": T("季節性なし", "no seasonality"),
    "controls": T("コントロール: {names}。", "Controls: {names}."),
    "lift": T("リフトテスト {n} 件で校正。", "Calibrated with {n} lift tests."),
    "margin": T("ROI は粗利率 {gm:.0%} で計算。", "ROI uses a gross margin of {gm:.0%}."),
    "summary_help": T(
        "ROAS = 増分売上 ÷ 広告費(過去の平均的な 1 円あたり)。ROI(純額)= (増分売上 × 粗利率 − "
        "広告費) ÷ 広告費。限界 ROAS = 今の水準から次の 1 円が生む売上: 次の 1 円は限界 ROAS が最も"
        "高いチャネルへ(ROAS が高くても飽和していれば限界 ROAS は低い)。90% 区間が広いチャネルは"
        "履歴だけでは効果を決めきれません(リフトテストで校正を)。",
        "ROAS = incremental revenue ÷ spend (the average yen of the past). ROI (net) = "
        "(incremental revenue × gross margin − spend) ÷ spend. Marginal ROAS = revenue of the "
        "next 1 of spend at today's level: the next yen goes where it is highest (a channel "
        "with a high ROAS can be saturated, with a low marginal ROAS). A wide 90 % interval "
        "means the history alone cannot pin the channel down: calibrate with a lift test.",
    ),
    "shares": T("費用シェアと効果シェア", "Share of spend vs share of effect"),
    "fit_help": T(
        "R² と MAPE はモデルが売上をどれだけ追えているか、検証期間 MAPE は直近 10% の期間を外して"
        "当てはめ直したときの予測誤差(過学習の目安)。DECOMP.RSSD は費用シェアと効果シェアのずれ。",
        "R² and MAPE: how closely the model follows revenue; holdout MAPE: the error on the "
        "last 10 % of periods when they are left out of a second fit (a check on "
        "overfitting). DECOMP.RSSD: the distance between shares of spend and of effect.",
    ),
    "measure": T("指標", "Measure"),
    "value": T("値", "Value"),
    "actual": T("実績売上", "Actual revenue"),
    "fitted": T("モデルの売上", "Fitted revenue"),
    "actual_fitted": T("実績とモデルの売上", "Actual vs fitted revenue"),
    "decomposition_help": T(
        "各期の売上 = ベース売上(切片・トレンド・季節性・コントロール)+ 各チャネルの増分売上。",
        "Revenue per period = baseline (intercept, trend, seasonality, controls) + each "
        "channel's incremental revenue.",
    ),
    "decomposition_title": T("売上の分解", "Revenue decomposed"),
    "media_title": T(
        "チャネル別の増分売上(1 期あたり)", "Incremental revenue per period by channel"
    ),
    "baseline": T("ベース売上", "Baseline"),
    "response_help": T(
        "広告費を毎期一定にしたときの 1 期あたり増分売上(定常状態)。0 から現在の広告費の "
        "{span:g} 倍まで。◆ は現在の広告費。",
        "Incremental revenue per period at a steady spend per period, from 0 to {span:g}x "
        "today's spend. Diamonds: today's spend.",
    ),
    "response_title": T("反応曲線(1 期あたり)", "Response curves (per period)"),
    "spend_per_period": T("広告費/期", "Spend per period"),
    "revenue_per_period": T("増分売上/期", "Incremental revenue per period"),
    "spend_of": T("{c} 広告費", "{c} spend"),
    "revenue_of": T("{c} 増分売上", "{c} revenue"),
    "today_mark": T("現在", "Today"),
    "allocation_help": T(
        "今日の予算(直近四半期の平均広告費の合計)を、増分売上が最大になるように配分"
        "(各チャネル現在の 0.5～2 倍)。境界に当たっていないチャネルの限界 ROAS は等しくなります。",
        "Today's budget per period (the last quarter's average spend, all channels) split for "
        "the most incremental revenue, each channel within 0.5x-2x its spend today. "
        "Channels not held by a bound end with equal marginal ROAS.",
    ),
    "budget": T("予算/期", "Budget per period"),
    "uplift": T("増分売上の改善/期", "Uplift per period"),
    "expected": T("期待売上/期(ベース込み)", "Expected revenue per period (baseline included)"),
    "plan_title": T("現在と推奨の広告費/期", "Spend per period: today vs recommended"),
    "no_plan": T("配分は計算できません: {why}", "No allocation: {why}"),
}


def write_report(report: Report, path: str | Path, lang: Language) -> None:
    """Write the report workbook to ``path`` atomically (readers see no half file)."""
    from ..fileio import replacing

    wb = build_report(report, lang)
    with replacing(path) as tmp:
        wb.save(tmp)


def build_report(report: Report, lang: Language) -> Workbook:
    """The report as an openpyxl workbook (not saved)."""
    wb = Workbook()
    wb.remove(wb.active)
    sheets = [wb.create_sheet(_TEXT[k](lang)) for k in _SHEETS]
    summary, fit, decomposition, response, allocation = sheets
    _summary(summary, report, lang)
    series = _decomposition(decomposition, report, lang)
    _fit(fit, report, lang, series)
    _response(response, report, lang)
    _allocation(allocation, report, lang)
    for ws in wb.worksheets:
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 1 if ws in (summary, allocation) else 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    return wb


# The tables (shared with the printed output) ----------------------------------------------------

#: Summary columns: label key (:func:`roi_xl.i18n.label`) and kind of number.
SUMMARY_COLUMNS = (
    ("channel", "text"),
    ("spend", "money"),
    ("contribution", "money"),
    ("share_of_spend", "share"),
    ("share_of_effect", "share"),
    ("roas", "ratio"),
    ("roi_net", "share"),
    ("marginal_roas", "ratio"),
    ("roas_low", "ratio"),
    ("roas_high", "ratio"),
)
#: Allocation columns (BUDGET_ALLOCATE's table).
PLAN_COLUMNS = (
    ("channel", "text"),
    ("today", "money"),
    ("recommended", "money"),
    ("change", "money"),
    ("revenue_today", "money"),
    ("revenue_recommended", "money"),
    ("marginal_roas", "ratio"),
)
FORMATS: dict[str, str | None] = {"text": None, "money": MONEY, "share": SHARE, "ratio": RATIO}


def summary_table(fit: Any, gross_margin: float = 1.0) -> list[list[Any]]:
    """One row per channel, in :data:`SUMMARY_COLUMNS`' order."""
    per_channel = (
        fit.spend,
        fit.contribution,
        fit.share_of_spend,
        fit.share_of_effect,
        fit.roas,
        fit.roi(gross_margin),
        fit.marginal_roas,
        fit.roas_low,
        fit.roas_high,
    )
    return [[name, *(float(v[i]) for v in per_channel)] for i, name in enumerate(fit.channels)]


def plan_table(plan: Any, total: str | None = None) -> list[list[Any]]:
    """One row per channel in :data:`PLAN_COLUMNS`' order, and a ``total`` row if named."""
    parts = (plan.today, plan.recommended, plan.change, plan.revenue_today)
    parts += (plan.revenue_recommended,)
    rows = [
        [name, *(float(v[i]) for v in parts), float(plan.marginal_roas[i])]
        for i, name in enumerate(plan.channels)
    ]
    if total is not None:
        rows.append([total, *(float(v.sum()) for v in parts), None])
    return rows


# Building blocks --------------------------------------------------------------------------------


def _heading(ws: Worksheet, title: str, lines: list[str], lang: Language, width: int) -> int:
    """Title bar and explanation lines; returns the next free row."""
    ws.cell(1, 1, title).font = font(lang, bold=True, size=14, color="FFFFFF")
    for c in range(1, width + 1):
        ws.cell(1, c).fill = HEAD_FILL
    ws.row_dimensions[1].height = 24
    row = 2
    for text in lines:
        ws.cell(row, 1, text).font = font(lang, size=10)
        ws.cell(row, 1).alignment = WRAP
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        chars = sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
        room = sum(
            ws.column_dimensions[get_column_letter(c)].width or 13 for c in range(1, width + 1)
        )
        ws.row_dimensions[row].height = 14 * max(1, -(-chars // max(int(room * 1.1), 1)))
        row += 1
    return row + 1


def _table(
    ws: Worksheet,
    top: int,
    header: list[str],
    rows: list[list[Any]],
    formats: list[str | None],
    lang: Language,
    left: int = 1,
) -> tuple[int, int]:
    """A header row and value rows from column ``left``; returns (header row, last row)."""
    for j, text in enumerate(header, start=left):
        c = ws.cell(top, j, text)
        c.font = font(lang, bold=True, color="FFFFFF", size=10)
        c.fill = TABLE_HEAD_FILL
        c.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for i, values in enumerate(rows, start=top + 1):
        for j, v in enumerate(values, start=left):
            if isinstance(v, (float, np.floating)) and not np.isfinite(v):
                v = None
            c = ws.cell(i, j, v.item() if isinstance(v, np.generic) else v)
            c.font = font(lang, size=10)
            c.border = RESULT_BORDER
            fmt = formats[j - left]
            if fmt:
                c.number_format = fmt
    return top, top + len(rows)


def _widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w


def _style(chart: Any, title: str, width: float = 24.0) -> Any:
    chart.title = title
    chart.style = 10
    chart.width = width
    chart.height = CHART_HEIGHT
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend.position = "b"
    return chart


def _source_lines(r: Report, lang: Language) -> list[str]:
    f = r.fit
    dates = ""
    if r.periods and isinstance(r.periods[0], (dt.date, dt.datetime)):
        dates = f" ({r.periods[0]:%Y-%m-%d} – {r.periods[-1]:%Y-%m-%d})"
    season = (
        _TEXT["season"](lang).format(ppy=r.periods_per_year)
        if r.periods_per_year
        else _TEXT["no_season"](lang)
    )
    text = _TEXT["source"](lang).format(
        source=r.source,
        n=f.revenue.size,
        dates=dates,
        adstock=r.adstock,
        saturation=r.saturation,
        season=season,
    )
    extra = []
    if r.controls:
        extra.append(_TEXT["controls"](lang).format(names=", ".join(r.controls)))
    if r.lift_tests:
        extra.append(_TEXT["lift"](lang).format(n=r.lift_tests))
    if r.gross_margin != 1:
        extra.append(_TEXT["margin"](lang).format(gm=r.gross_margin))
    return [" ".join([text, *extra])]


def _period_values(r: Report) -> list[Any]:
    return [p if isinstance(p, (dt.date, dt.datetime, int, float)) else str(p) for p in r.periods]


# The sheets ------------------------------------------------------------------------------------


def _summary(ws: Worksheet, r: Report, lang: Language) -> None:
    f = r.fit
    keys = [k for k, _ in SUMMARY_COLUMNS]
    _widths(ws, [18, 15, 17, 11, 11, 9, 10, 10, 10, 10])
    top = _heading(
        ws,
        _TEXT["title"](lang),
        [*_source_lines(r, lang), _TEXT["summary_help"](lang)],
        lang,
        len(keys),
    )
    rows = summary_table(f, r.gross_margin)
    formats = [FORMATS[kind] for _, kind in SUMMARY_COLUMNS]
    head, last = _table(ws, top, [label(k, lang) for k in keys], rows, formats, lang)
    ws.row_dimensions[head].height = 30
    ws.freeze_panes = ws.cell(head + 1, 2)
    ws.conditional_formatting.add(
        f"G{head + 1}:G{last}", CellIsRule(operator="lessThan", formula=["0"], fill=BAD_FILL)
    )
    chart = BarChart()
    chart.type = "col"
    for col in (4, 5):
        chart.series.append(
            Series(Reference(ws, min_col=col, min_row=head, max_row=last), title_from_data=True)
        )
    chart.set_categories(Reference(ws, min_col=1, min_row=head + 1, max_row=last))
    chart.y_axis.numFmt = "0%"
    chart.y_axis.scaling.min = 0
    chart.gapWidth = 60
    ws.add_chart(_style(chart, _TEXT["shares"](lang)), f"A{last + 2}")


def _fit(ws: Worksheet, r: Report, lang: Language, series: tuple[Worksheet, int, int]) -> None:
    f = r.fit
    _widths(ws, [30, 14, 14, 14, 14, 14, 14])
    top = _heading(ws, _TEXT["fit"](lang), [_TEXT["fit_help"](lang)], lang, 7)
    measures = [
        ("r2", f.r2, "0.000"),
        ("mape", f.mape, "0.0%"),
        ("nrmse", f.nrmse, "0.000"),
        ("decomp_rssd", f.decomp_rssd, "0.000"),
        ("holdout_mape", f.holdout_mape, "0.0%"),
        ("periods", f.revenue.size, "0"),
    ]
    header = [_TEXT["measure"](lang), _TEXT["value"](lang)]
    _, last = _table(
        ws, top, header, [[label(k, lang), v] for k, v, _ in measures], [None, None], lang
    )
    for i, (_, _, fmt) in enumerate(measures, start=top + 1):
        ws.cell(i, 2).number_format = fmt
    row = last + 2
    ws.cell(
        row, 1, label("warning", lang) if f.warnings else label("warnings_none", lang)
    ).font = font(lang, bold=True)
    for w in f.warnings:
        row += 1
        c = ws.cell(row, 1, w)
        c.font = font(lang, size=10, color="9C0006")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=7)
    # actual vs fitted: the series are the decomposition sheet's first columns
    where, head, end = series
    chart = LineChart()
    for col in (2, 3):
        chart.series.append(
            Series(Reference(where, min_col=col, min_row=head, max_row=end), title_from_data=True)
        )
    chart.set_categories(Reference(where, min_col=1, min_row=head + 1, max_row=end))
    chart.series[0].graphicalProperties.line.solidFill = "404040"
    chart.series[1].graphicalProperties.line.solidFill = "C55A11"
    for s in chart.series:
        s.smooth = False
        s.graphicalProperties.line.width = 15000
    chart.y_axis.numFmt = "#,##0"
    _time_axis(chart, r, end - head)
    ws.add_chart(_style(chart, _TEXT["actual_fitted"](lang), width=26.0), f"A{row + 2}")


def _time_axis(chart: Any, r: Report, n: int) -> None:
    """About eight labels along the time axis: a date axis by whole months when the
    periods are dates (LibreOffice reads dates as a date axis and would ignore a skip)."""
    if not _dated(r):
        chart.x_axis.number_format = "0"
        chart.x_axis.tickLblSkip = max(1, round(n / 8))
        chart.x_axis.tickMarkSkip = max(1, round(n / 8))
        return
    span = (r.periods[-1] - r.periods[0]).days / 30.44 if len(r.periods) > 1 else 1
    chart.x_axis = DateAxis(crossAx=100)
    chart.x_axis.number_format = "yyyy-mm"
    chart.x_axis.majorTimeUnit = "months"
    chart.x_axis.majorUnit = max(1, round(span / 8))
    chart.x_axis.delete = False
    chart.y_axis.crossAx = 500


def _dated(r: Report) -> bool:
    return bool(r.periods) and isinstance(r.periods[0], (dt.date, dt.datetime))


def _decomposition(ws: Worksheet, r: Report, lang: Language) -> tuple[Worksheet, int, int]:
    """The table and its two stacked charts; returns (sheet, header row, last row)."""
    f = r.fit
    k = len(f.channels)
    _widths(ws, [12, 14, 14, 14, *[14] * k])
    top = _heading(
        ws,
        _TEXT["decomposition"](lang),
        [_TEXT["decomposition_help"](lang)],
        lang,
        max(4 + k, 8),
    )
    table_top = top + 2 * CHART_ROWS
    header = [
        label("period", lang),
        _TEXT["actual"](lang),
        _TEXT["fitted"](lang),
        _TEXT["baseline"](lang),
        *f.channels,
    ]
    rows = [
        [p, f.revenue[t], f.fitted[t], f.baseline[t], *f.contributions[t]]
        for t, p in enumerate(_period_values(r))
    ]
    formats = ["yyyy-mm-dd" if _dated(r) else "0", *[MONEY] * (3 + k)]
    head, last = _table(ws, table_top, header, rows, formats, lang)
    ws.freeze_panes = ws.cell(head + 1, 2)
    columns = range(4, 5 + k)
    colours = [BASELINE_COLOUR, *map(_colour, range(k))]
    area = _stacked(ws, columns, colours, head, last, r)
    line = LineChart()
    line.series.append(
        Series(Reference(ws, min_col=2, min_row=head, max_row=last), title_from_data=True)
    )
    line.series[0].graphicalProperties.line.solidFill = "000000"
    line.series[0].graphicalProperties.line.width = 12000
    line.series[0].smooth = False
    line.x_axis = area.x_axis  # one time axis for both
    line.y_axis = area.y_axis
    area += line
    ws.add_chart(_style(area, _TEXT["decomposition_title"](lang), width=28.0), f"A{top}")
    # the baseline dwarfs the channels: them alone, on their own scale
    media = _stacked(ws, columns[1:], colours[1:], head, last, r)
    ws.add_chart(_style(media, _TEXT["media_title"](lang), width=28.0), f"A{top + CHART_ROWS}")
    return ws, head, last


def _stacked(
    ws: Worksheet, columns: Sequence[int], colours: Sequence[str], head: int, last: int, r: Report
) -> AreaChart:
    """A stacked area chart of ``columns`` (header row ``head``) over the periods."""
    chart = AreaChart()
    chart.grouping = "stacked"
    for col, colour in zip(columns, colours):
        s = Series(Reference(ws, min_col=col, min_row=head, max_row=last), title_from_data=True)
        s.graphicalProperties.solidFill = colour
        s.graphicalProperties.line.noFill = True  # outlines would streak the areas white
        chart.series.append(s)
    chart.set_categories(Reference(ws, min_col=1, min_row=head + 1, max_row=last))
    chart.y_axis.numFmt = "#,##0"
    _time_axis(chart, r, last - head)
    return chart


def _response(ws: Worksheet, r: Report, lang: Language) -> None:
    model = r.fit.model
    channels = model.channels
    k = len(channels)
    _widths(ws, [16, *[13] * (2 * k)])
    top = _heading(
        ws,
        _TEXT["response"](lang),
        [_TEXT["response_help"](lang).format(span=RESPONSE_SPAN)],
        lang,
        max(2 * k, 8),
    )
    # today's points first (a small table the chart marks), then the curves below the chart
    today_rows = [
        [
            c.channel,
            c.current_spend,
            float(c.response(c.current_spend)),
            float(c.marginal_roas(c.current_spend)),
        ]
        for c in channels
    ]
    today_head = [
        label("channel", lang),
        label("current_spend", lang),
        label("revenue_today", lang),
        label("marginal_roas", lang),
    ]
    t_head, t_last = _table(ws, top, today_head, today_rows, [None, MONEY, MONEY, RATIO], lang)
    ws.row_dimensions[t_head].height = 42
    chart_top = t_last + 2
    grid_top = chart_top + CHART_ROWS
    header, columns = [], []
    for c in channels:
        reach = c.current_spend if c.current_spend > 0 else _typical_spend(r, c.channel)
        spend = np.linspace(0.0, RESPONSE_SPAN * reach, RESPONSE_POINTS)
        header += [
            _TEXT["spend_of"](lang).format(c=c.channel),
            _TEXT["revenue_of"](lang).format(c=c.channel),
        ]
        columns += [spend, c.response(spend)]
    rows = [[col[i] for col in columns] for i in range(RESPONSE_POINTS)]
    g_head, g_last = _table(ws, grid_top, header, rows, [MONEY] * (2 * k), lang, left=2)
    ws.row_dimensions[g_head].height = 30
    chart = ScatterChart()
    chart.scatterStyle = "lineMarker"
    for i in range(k):
        xs = Reference(ws, min_col=2 + 2 * i, min_row=g_head + 1, max_row=g_last)
        ys = Reference(ws, min_col=3 + 2 * i, min_row=g_head + 1, max_row=g_last)
        s = Series(ys, xs, title=channels[i].channel)
        s.marker.symbol = "none"
        s.smooth = False
        s.graphicalProperties.line.width = 25000
        s.graphicalProperties.line.solidFill = _colour(i)
        chart.series.append(s)
    xs = Reference(ws, min_col=2, min_row=t_head + 1, max_row=t_last)
    ys = Reference(ws, min_col=3, min_row=t_head + 1, max_row=t_last)
    today = Series(ys, xs, title=_TEXT["today_mark"](lang))
    today.marker.symbol = "diamond"
    today.marker.size = 9
    today.marker.graphicalProperties.solidFill = "000000"
    today.marker.graphicalProperties.line.solidFill = "000000"
    today.graphicalProperties.line.noFill = True
    chart.series.append(today)
    chart.x_axis.title = _TEXT["spend_per_period"](lang)
    chart.y_axis.title = _TEXT["revenue_per_period"](lang)
    chart.x_axis.numFmt = "#,##0"
    chart.y_axis.numFmt = "#,##0"
    chart.x_axis.scaling.min = 0
    chart.y_axis.scaling.min = 0
    chart.x_axis.majorGridlines = None
    ws.add_chart(_style(chart, _TEXT["response_title"](lang), width=28.0), f"A{chart_top}")


def _typical_spend(r: Report, channel: str) -> float:
    """A channel paused today: its curve spans its average spend while it ran."""
    col = r.fit.channels.index(channel)
    if r.spends is None:
        return float(r.fit.spend[col] / max(r.fit.revenue.size, 1)) or 1.0
    ran = r.spends[:, col][r.spends[:, col] > 0]
    return float(ran.mean()) if ran.size else 1.0


def _allocation(ws: Worksheet, r: Report, lang: Language) -> None:
    _widths(ws, [18, 15, 15, 13, 16, 16, 12])
    top = _heading(ws, _TEXT["allocation"](lang), [_TEXT["allocation_help"](lang)], lang, 7)
    plan = r.plan
    if plan is None:
        ws.cell(top, 1, _TEXT["no_plan"](lang).format(why=r.no_plan)).font = font(lang, bold=True)
        return
    facts = [
        (_TEXT["budget"](lang), plan.budget),
        (_TEXT["uplift"](lang), plan.uplift),
        (_TEXT["expected"](lang), plan.expected_revenue),
    ]
    for i, (text, value) in enumerate(facts):
        ws.cell(top + i, 1, text).font = font(lang, bold=True, size=10)
        ws.merge_cells(start_row=top + i, start_column=1, end_row=top + i, end_column=3)
        c = ws.cell(top + i, 4, float(value))
        c.number_format = MONEY
        c.font = font(lang, bold=True, size=10)
        c.border = RESULT_BORDER
    keys = [k for k, _ in PLAN_COLUMNS]
    rows = plan_table(plan, label("total", lang))
    formats = [FORMATS[kind] for _, kind in PLAN_COLUMNS]
    head, last = _table(
        ws, top + len(facts) + 1, [label(k, lang) for k in keys], rows, formats, lang
    )
    ws.row_dimensions[head].height = 42
    for j in range(1, len(keys) + 1):
        ws.cell(last, j).font = font(lang, bold=True, size=10)
    chart = BarChart()
    chart.type = "col"
    for col in (2, 3):
        chart.series.append(
            Series(Reference(ws, min_col=col, min_row=head, max_row=last - 1), title_from_data=True)
        )
    chart.set_categories(Reference(ws, min_col=1, min_row=head + 1, max_row=last - 1))
    chart.y_axis.numFmt = "#,##0"
    chart.y_axis.scaling.min = 0
    chart.gapWidth = 60
    ws.add_chart(_style(chart, _TEXT["plan_title"](lang)), f"A{last + 2}")
