"""``roi-xl mmm``: fit the marketing mix to a history file, print what it found, write a
report workbook. Argument handling and printing only: the file is read by
:mod:`.history`, fitted by :mod:`.fit`, the budget split by :mod:`.allocate`, and the
workbook laid out by :mod:`.report`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..i18n import Language, label, language, pad, text_width
from ..templates.model import T

HELP = """\
Fit a marketing-mix model (MMM) to a history of revenue and spend per channel, one row
per period (week, month or day): what each channel added (its incremental revenue and
ROAS), how sure that is, and where the next yen should go. The fit is deterministic and
takes about a second.

It prints:
  summary      one row per channel: spend, incremental revenue (the revenue the channel
               added), shares of spend and of effect, ROAS = incremental revenue / spend,
               ROI (net) = (incremental revenue x gross margin - spend) / spend,
               marginal ROAS = revenue of the next 1 of spend at today's level (the next
               yen goes where it is highest), and the 90 % interval of the ROAS
  fit          R² and MAPE (how well the model follows revenue), NRMSE, DECOMP.RSSD
               (distance between shares of spend and of effect), holdout MAPE (error on
               the last 10 % of periods left out of a second fit); then its warnings
  allocation   today's budget per period (the last quarter's average spend) split for
               the most incremental revenue, each channel within 0.5x-2x its spend today
  target       with --target REVENUE: the least budget per period that reaches it
               (baseline included; seed 000's 逆算), its 90 % range and its split

and writes a report workbook (-o, default ./HISTORY-mmm.xlsx) with the sheets summary,
fit (with the warnings and actual vs fitted revenue), decomposition (revenue per period
as baseline + each channel, stacked chart), response (incremental revenue per period at
spends from 0 to 2.5x today's, line chart) and allocation (the budget table: today,
recommended, change, revenue, marginal ROAS, uplift).

A control holding labels instead of numbers (an "events" column of na/event names)
becomes one 0/1 indicator per label; the most common label (na) is the reference.
"""

EXAMPLES = """\
examples:
  roi-xl mmm history.csv --revenue sales --spend TV,search,social --date week
  roi-xl mmm robyn_dt_simulated_weekly.csv --revenue revenue \\
      --spend tv_S,ooh_S,print_S,facebook_S,search_S \\
      --controls competitor_sales_B,events --date DATE -o robyn-mmm.xlsx
  roi-xl mmm history.xlsx --sheet data --revenue 売上 --spend テレビ,検索 --lang ja
  roi-xl mmm history.csv --revenue sales --spend TV,search --lift-tests lift.csv

--lift-tests FILE: a CSV (or .xlsx) with the columns channel, first, last,
incremental_revenue, standard_error: what a geo or holdout test measured for one channel
over periods first..last (period numbers from 1 in date order, or dates of the --date
column). The fit is pulled toward each measurement, weighted by its standard error.
"""

_TEXT = {
    "read": T("{file}: {n} 期間", "{file}: {n} periods"),
    "dates": T("{first} ～ {last}", "{first} to {last}"),
    "ppy": T("季節性: 1 年 {ppy:g} 期", "seasonality: {ppy:g} periods per year"),
    "ppy_assumed": T(
        "季節性: 1 年 {ppy:g} 期と仮定(--date か --periods-per-year で指定)",
        "seasonality: {ppy:g} periods per year assumed (give --date or --periods-per-year)",
    ),
    "no_season": T("季節性なし", "no seasonality"),
    "forms": T(
        "残存効果 {adstock}、飽和曲線 {saturation}", "carryover {adstock}, saturation {saturation}"
    ),
    "controls": T("コントロール: {names}", "controls: {names}"),
    "indicators": T(
        "{name} はラベルの列: ラベルごとに 0/1 の指標 ({labels})、基準は {reference!r}",
        "{name} holds labels: one 0/1 indicator per label ({labels}), reference {reference!r}",
    ),
    "lift": T("リフトテスト: {n} 件", "lift tests: {n}"),
    "fit": T("当てはまり", "Fit"),
    "warnings": T("注意", "Warnings"),
    "none": T("注意: なし", "Warnings: none"),
    "allocation": T(
        "今日の予算 {budget}/期 の最適配分 (各チャネル現在の {lo:g}～{hi:g} 倍): "
        "増分売上 +{uplift}/期 ({relative})",
        "Today's budget of {budget} per period split for the most revenue (each channel "
        "{lo:g}x-{hi:g}x today's): incremental revenue +{uplift} per period ({relative})",
    ),
    "no_allocation": T("配分は計算できません: {why}", "No allocation: {why}"),
    "spread": T(
        "  推定の不確かさ (90%): 増分売上 {low}～{high}/期",
        "  how sure (90 %, models drawn from the fit): uplift {low} to {high} per period",
    ),
    "target": T(
        "目標売上 {target}/期 (ベース込み) に届く最小の予算: {budget}/期 "
        "(各チャネル現在の {lo:g}～{hi:g} 倍)",
        "Target revenue of {target} per period (baseline included) needs at least {budget} "
        "per period (each channel {lo:g}x-{hi:g}x today's)",
    ),
    "target_spread": T(
        "  推定の不確かさ (90%): 予算 {low}～{high}/期",
        "  how sure (90 %, models drawn from the fit): budget {low} to {high} per period",
    ),
    "target_open": T(
        "  推定の不確かさ (90%): 予算 {low}/期 以上。引いたモデルの 5% 超ではどの予算でも届きません",
        "  how sure (90 %, models drawn from the fit): a budget of {low} per period or more; "
        "over 5 % of the models cannot reach the target at all",
    ),
    "no_target": T(
        "目標売上 {target}/期 に届く予算はありません: {why}",
        "No budget reaches {target} per period: {why}",
    ),
    "report": T("レポート: {path}", "report: {path}"),
}


@dataclass
class History:
    """The columns of one history, in date order, ready for the fit."""

    file: str
    revenue: np.ndarray
    spends: np.ndarray
    channels: list[str]
    controls: np.ndarray | None
    control_names: list[str]
    references: dict[str, str]
    periods: list[Any]  # date of each period, or its number
    dated: bool


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``mmm`` to the main parser's subcommands."""
    p = subparsers.add_parser(
        "mmm",
        help="fit a marketing-mix model to a history file; print it and write a report",
        description=HELP,
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "history", metavar="HISTORY", help="CSV or .xlsx; a header row, one row per period"
    )
    p.add_argument("--revenue", required=True, metavar="COL", help="the revenue column")
    p.add_argument(
        "--spend",
        required=True,
        action="append",
        metavar="COL,COL,...",
        help="the spend columns, one per channel (blank cells are 0)",
    )
    p.add_argument(
        "--controls",
        action="append",
        default=[],
        metavar="COL,COL,...",
        help="what else moved revenue (price, promotions, holidays, competitor sales)",
    )
    p.add_argument(
        "--date", metavar="COL", help="the date column: sorts the rows and sets the seasonality"
    )
    p.add_argument("--sheet", metavar="NAME", help="the sheet of an .xlsx (default: the first)")
    p.add_argument(
        "-o",
        "--output",
        metavar="REPORT.xlsx",
        help="the report workbook (default: ./HISTORY-mmm.xlsx)",
    )
    p.add_argument("--no-report", action="store_true", help="print only, write no workbook")
    p.add_argument("--force", action="store_true", help="overwrite an existing report")
    p.add_argument(
        "--lang",
        choices=["ja", "en"],
        default=None,
        help=f"language of the output and report (default: from your locale, now {language()!r})",
    )
    p.add_argument(
        "--adstock",
        choices=["geometric", "delayed"],
        default="geometric",
        help="carryover: geometric (the effect fades each period) or delayed (it peaks a "
        "few periods after the spend, as TV often does); default geometric",
    )
    p.add_argument(
        "--saturation",
        choices=["hill", "logistic"],
        default="hill",
        help="diminishing returns: hill (S-shaped or concave) or logistic; default hill",
    )
    p.add_argument(
        "--periods-per-year",
        type=float,
        metavar="N",
        help="52 weekly, 12 monthly, 365 daily (default: from --date, else 52); 0: no seasonality",
    )
    p.add_argument(
        "--lift-tests", metavar="FILE", help="measured lift tests to calibrate with (see below)"
    )
    p.add_argument(
        "--gross-margin",
        type=float,
        default=1.0,
        metavar="RATE",
        help="gross margin in (0, 1] for the ROI column (default 1: ROI on revenue)",
    )
    p.add_argument(
        "--budget",
        type=float,
        metavar="AMOUNT",
        help="total budget per period to allocate (default: today's, the last quarter's average)",
    )
    p.add_argument(
        "--target",
        type=float,
        metavar="REVENUE",
        help="also work back from a revenue target per period, baseline included (seed 000's "
        "逆算): the least budget that reaches it, its 90 %% range and its split (printed)",
    )
    p.set_defaults(func=run, parser=p)


def _words(values: list[str]) -> list[str]:
    return [w.strip() for v in values for w in v.split(",") if w.strip()]


def run(args: argparse.Namespace) -> int:
    """Read, fit, print, write; an input problem is one line on stderr and exit code 2."""
    from ..errors import WriteError
    from .history import HistoryError

    parser: argparse.ArgumentParser = args.parser
    lang: Language = args.lang or getattr(args, "global_lang", None) or language()
    if not 0 < args.gross_margin <= 1:
        parser.error(f"--gross-margin must be in (0, 1], not {args.gross_margin:g}")
    ppy = args.periods_per_year
    if ppy is not None and not (ppy == 0 or 2 <= ppy <= 366):
        parser.error("--periods-per-year must be 0 (no seasonality) or 2-366 (52 weekly)")
    output = None if args.no_report else _output_path(args, parser)
    try:
        history = read_history(args)
        fitted, ppy_used, tests = _fit(history, args)
    except HistoryError as exc:
        print(f"roi-xl mmm: {exc}", file=sys.stderr)
        return 2
    plan, why = _allocation(fitted, args.budget)
    print_result(history, fitted, plan, why, args, ppy_used, len(tests), lang)
    if args.target is not None:
        print("")
        for line in target_lines(fitted, args.target, lang):
            print(line)
    if output is not None:
        from .report import Report, write_report

        report = Report(
            fitted,
            plan,
            why,
            history.file,
            history.periods,
            history.control_names,
            args.adstock,
            args.saturation,
            ppy_used,
            args.gross_margin,
            len(tests),
            history.spends,
        )
        try:
            write_report(report, output, lang)
        except WriteError as exc:
            print(f"roi-xl mmm: {exc}", file=sys.stderr)
            return 1
        print(_TEXT["report"](lang).format(path=output))
    return 0


def _output_path(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Path:
    """Where the report goes; refused before any work if it is an input, exists (without
    --force) or cannot be written."""
    from ..fileio import check_writable

    out = Path(args.output) if args.output else Path(f"{Path(args.history).stem}-mmm.xlsx")
    if out.is_dir():
        out = out / f"{Path(args.history).stem}-mmm.xlsx"
    if out.suffix.lower() != ".xlsx":
        parser.error(f"{out}: the report must be an .xlsx file (add .xlsx)")
    for given in (args.history, args.lift_tests):
        if given and _same_file(out, Path(given)):
            parser.error(f"{out} is an input file; the report never replaces its input: give -o")
    if out.exists() and not args.force:
        parser.error(f"{out} already exists; add --force to overwrite it, or give another -o")
    why = check_writable(out)
    if why:
        parser.error(f"cannot write {out}: {why}")
    return out


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def read_history(args: argparse.Namespace) -> History:
    """The columns the arguments name, from the file, sorted by date when there is one."""
    from .history import HistoryError, control_columns, dates, numbers, read_table

    table = read_table(args.history, args.sheet)
    spend_cols = _words(args.spend)
    control_cols = _words(args.controls)
    if not spend_cols:
        raise HistoryError("--spend names no column")
    named = [args.revenue, *spend_cols, *control_cols, *([args.date] if args.date else [])]
    missing = [c for c in named if _find(table.header, c) is None]
    if missing:
        raise HistoryError(
            f"{table.name}: no column {', '.join(map(repr, missing))}; "
            f"the columns are: {', '.join(table.header)}"
        )
    spend_names = [table.header[table.index(c)] for c in spend_cols]
    twice = sorted({c for c in spend_names if spend_names.count(c) > 1})
    if twice:
        raise HistoryError(f"--spend names {', '.join(twice)} twice")
    revenue = numbers(table, args.revenue, blank=None)
    if (revenue < 0).any():
        i = int(np.argmax(revenue < 0))
        raise HistoryError(f"{table.name}: {args.revenue} is negative in row {table.line(i)}")
    spends = np.column_stack([numbers(table, c, blank=0.0) for c in spend_cols])
    for j, c in enumerate(spend_names):
        if (spends[:, j] < 0).any():
            i = int(np.argmax(spends[:, j] < 0))
            raise HistoryError(f"{table.name}: spend {c} is negative in row {table.line(i)}")
    names, controls, references = control_columns(table, control_cols)
    periods: list[Any] = list(range(1, len(table.rows) + 1))
    order = np.arange(len(table.rows))
    if args.date:
        when = dates(table, args.date)
        order = np.argsort(np.array(when, dtype="datetime64[s]"), kind="stable")
        periods = [when[i] for i in order]
    return History(
        table.name,
        revenue[order],
        spends[order],
        spend_names,
        controls[order] if names else None,
        names,
        references,
        periods,
        bool(args.date),
    )


def _find(header: list[str], name: str) -> int | None:
    folded = [h.casefold() for h in header]
    key = name.strip().casefold()
    return folded.index(key) if key in folded else None


def _fit(history: History, args: argparse.Namespace) -> tuple[Any, float | None, tuple]:
    from .fit import FitError, fit_mix
    from .frame import periods_per_year
    from .history import HistoryError

    if args.periods_per_year is not None:
        ppy = float(args.periods_per_year) or None
    elif history.dated:
        import pandas as pd

        ppy = periods_per_year(pd.Series(history.periods))
    else:
        ppy = 52.0
    tests = _lift_tests(args, history) if args.lift_tests else ()
    try:
        with np.errstate(all="ignore"):
            fitted = fit_mix(
                history.revenue,
                history.spends,
                history.channels,
                history.controls,
                history.control_names or None,
                adstock=args.adstock,
                saturation=args.saturation,
                periods_per_year=ppy,
                lift_tests=tests,
            )
    except FitError as exc:
        raise HistoryError(f"{history.file}: {exc}") from exc
    return fitted, ppy, tests


def _lift_tests(args: argparse.Namespace, history: History) -> tuple:
    """The lift-test file's rows; ``first``/``last`` are period numbers or dates."""
    from .fit import LiftTest
    from .history import HistoryError, numbers, read_table

    table = read_table(args.lift_tests)
    wanted = ("channel", "first", "last", "incremental_revenue", "standard_error")
    missing = [c for c in wanted if _find(table.header, c) is None]
    if missing:
        raise HistoryError(
            f"{table.name}: no column {', '.join(missing)}; a lift-test file has the columns "
            f"{', '.join(wanted)} (its columns are: {', '.join(table.header)})"
        )
    value = numbers(table, "incremental_revenue", blank=None)
    se = numbers(table, "standard_error", blank=None)
    channels = [str(c).strip() for c in table.column(table.header[_find(table.header, "channel")])]
    known = {c.casefold() for c in history.channels}
    tests = []
    for i, channel in enumerate(channels):
        if channel.casefold() not in known:
            raise HistoryError(
                f"{table.name}: row {table.line(i)} names channel {channel!r}; the channels "
                f"are: {', '.join(history.channels)}"
            )
        first = _period(table, i, "first", history)
        last = _period(table, i, "last", history)
        tests.append(LiftTest(channel, first, last, float(value[i]), float(se[i])))
    return tuple(tests)


def _period(table: Any, i: int, column: str, history: History) -> int:
    """A period number (from 1), or the date of one: the first period on or after it
    (``first``), the last on or before it (``last``)."""
    from .history import HistoryError, _number

    v = table.rows[i][_find(table.header, column)]
    x = _number(v)
    if x is not None and float(x).is_integer():
        return int(x)
    if history.dated and v is not None:
        import pandas as pd

        when = v if isinstance(v, dt.datetime) else pd.to_datetime(str(v), errors="coerce")
        if not pd.isna(when):
            stamps = np.array(history.periods, dtype="datetime64[s]")
            at = np.datetime64(pd.Timestamp(when).to_pydatetime(), "s")
            if column == "first":
                return int(np.searchsorted(stamps, at, side="left")) + 1
            return int(np.searchsorted(stamps, at, side="right"))
    raise HistoryError(
        f"{table.name}: {column} in row {table.line(i)} is {v!r}: give a period number "
        f"(1 = the first row){' or a date' if history.dated else ''}"
    )


def _allocation(fitted: Any, budget: float | None) -> tuple[Any, str]:
    from .allocate import InfeasibleBudget, allocate, with_spread

    amount = float(fitted.model.current_spend.sum()) if budget is None else float(budget)
    try:
        with np.errstate(all="ignore"):
            plan = allocate(fitted.model, amount)
            if fitted.posterior is not None:
                plan = with_spread(plan, fitted.posterior.draws())
            return plan, ""
    except (InfeasibleBudget, ValueError) as exc:
        return None, str(exc)


# Printing ------------------------------------------------------------------------------------


def _signed(x: float) -> str:
    """Money with its sign ("+1,200", "-37,924"): an uplift range may start below 0."""
    return ("+" if x >= 0 else "") + _money(x)


def _money(x: float | None) -> str:
    return f"{round(x):,d}" if x is not None and np.isfinite(x) else ""  # never "-0"


def _ratio(x: float | None) -> str:
    return f"{x:,.2f}" if x is not None and np.isfinite(x) else ""


def _share(x: float | None) -> str:
    return f"{100 * x:.1f} %" if x is not None and np.isfinite(x) else ""


def _columns(rows: list[list[str]], right_from: int = 1) -> list[str]:
    """Rows of text as aligned columns (numbers right-aligned; wide characters count two)."""
    widths = [max(text_width(r[j]) for r in rows) for j in range(len(rows[0]))]
    out = []
    for r in rows:
        cells = [
            pad(v, w) if j < right_from else " " * (w - text_width(v)) + v
            for j, (v, w) in enumerate(zip(r, widths))
        ]
        out.append("  ".join(cells).rstrip())
    return out


_SHOW = {"text": str, "money": _money, "share": _share, "ratio": _ratio}


def _shown(columns: tuple, rows: list[list[Any]], lang: Language) -> list[str]:
    head = [label(key, lang) for key, _ in columns]
    body = [[_SHOW[kind](v) for (_, kind), v in zip(columns, row)] for row in rows]
    return _columns([head, *body])


def summary_lines(fitted: Any, gross_margin: float, lang: Language) -> list[str]:
    """The summary table as printed: one line per channel under a header."""
    from .report import SUMMARY_COLUMNS, summary_table

    return _shown(SUMMARY_COLUMNS, summary_table(fitted, gross_margin), lang)


def fit_line(fitted: Any, lang: Language) -> str:
    """The measures of fit on one line."""
    parts = [
        f"{label('r2', lang)} {fitted.r2:.3f}",
        f"{label('mape', lang)} {_share(fitted.mape)}",
        f"{label('nrmse', lang)} {fitted.nrmse:.3f}",
        f"{label('decomp_rssd', lang)} {fitted.decomp_rssd:.3f}",
        f"{label('holdout_mape', lang)} {_share(fitted.holdout_mape)}",
        f"{label('periods', lang)} {fitted.revenue.size}",
    ]
    return f"{_TEXT['fit'](lang)}: " + ", ".join(parts)


def target_lines(fitted: Any, target: float, lang: Language) -> list[str]:
    """The least budget per period that reaches ``target``, its 90 % range over the models
    drawn from the fit, and its split; or why no budget within the bounds reaches it."""
    from .allocate import (
        DEFAULT_MAX,
        DEFAULT_MIN,
        InfeasibleBudget,
        budget_for_target,
        target_with_spread,
    )

    try:
        with np.errstate(all="ignore"):
            plan = budget_for_target(fitted.model, target)
            if fitted.posterior is not None:
                plan = target_with_spread(plan, fitted.posterior.draws(), target)
    except (InfeasibleBudget, ValueError) as exc:
        return [_TEXT["no_target"](lang).format(target=_money(target), why=exc)]
    high = plan.budget_high
    out = [
        _TEXT["target"](lang).format(
            target=_money(target),
            budget=_money(plan.budget),
            lo=DEFAULT_MIN,
            hi=DEFAULT_MAX,
        )
    ]
    if plan.budget_low is not None:
        low = _money(plan.budget_low)
        if high is not None and np.isfinite(high):
            out.append(_TEXT["target_spread"](lang).format(low=low, high=_money(high)))
        else:
            out.append(_TEXT["target_open"](lang).format(low=low))
    return out + allocation_lines(plan, lang)


def allocation_lines(plan: Any, lang: Language) -> list[str]:
    """BUDGET_ALLOCATE's table as printed, with its total row."""
    from .report import PLAN_COLUMNS, plan_table

    return _shown(PLAN_COLUMNS, plan_table(plan, label("total", lang)), lang)


def print_result(
    history: History,
    fitted: Any,
    plan: Any,
    why: str,
    args: argparse.Namespace,
    ppy: float | None,
    tests: int,
    lang: Language,
) -> None:
    """Everything the command prints, in ``lang``."""
    say = print
    head = _TEXT["read"](lang).format(file=history.file, n=history.revenue.size)
    if history.dated:
        first, last = history.periods[0], history.periods[-1]
        head += (
            " ("
            + _TEXT["dates"](lang).format(first=f"{first:%Y-%m-%d}", last=f"{last:%Y-%m-%d}")
            + ")"
        )
    if ppy is None:
        season = _TEXT["no_season"](lang)
    elif history.dated or args.periods_per_year is not None:
        season = _TEXT["ppy"](lang).format(ppy=ppy)
    else:
        season = _TEXT["ppy_assumed"](lang).format(ppy=ppy)
    forms = _TEXT["forms"](lang).format(adstock=args.adstock, saturation=args.saturation)
    say(f"{head}; {forms}; {season}")
    if history.control_names:
        say(_TEXT["controls"](lang).format(names=", ".join(history.control_names)))
    for name, reference in history.references.items():
        labels = [c for c in history.control_names if c.startswith(f"{name}=")]
        say(
            "  "
            + _TEXT["indicators"](lang).format(
                name=name, labels=", ".join(labels), reference=reference
            )
        )
    if tests:
        say(_TEXT["lift"](lang).format(n=tests))
    say("")
    for line in summary_lines(fitted, args.gross_margin, lang):
        say(line)
    say("")
    say(fit_line(fitted, lang))
    if fitted.warnings:
        say(f"{_TEXT['warnings'](lang)}:")
        for w in fitted.warnings:
            say(f"  - {w}")
    else:
        say(_TEXT["none"](lang))
    say("")
    if plan is None:
        say(_TEXT["no_allocation"](lang).format(why=why))
        return
    from .allocate import DEFAULT_MAX, DEFAULT_MIN

    base = float(plan.revenue_today.sum())
    relative = f"{100 * plan.uplift / base:+.1f} %" if base > 0 else "-"
    say(
        _TEXT["allocation"](lang).format(
            budget=_money(plan.budget),
            lo=DEFAULT_MIN,
            hi=DEFAULT_MAX,
            uplift=_money(plan.uplift),
            relative=relative,
        )
    )
    if plan.uplift_low is not None:
        say(
            _TEXT["spread"](lang).format(
                low=_signed(plan.uplift_low), high=_signed(plan.uplift_high)
            )
        )
    for line in allocation_lines(plan, lang):
        say(line)
