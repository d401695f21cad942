"""``roi-xl demo``: the main job on the built-in seed examples, no Excel needed.

Writes every template in both languages into a folder, refreshes them with the batch
engine (as a scheduled job would), reads the key results back from the files' cached
values and prints them next to what the seed articles say.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from .formatting import format_value
from .i18n import language, pad, text_width

# (template, defined name, how to show it, Japanese label, English label)
REPORT = [
    ("roi", "roi", "percent", "seed 002: ROI(純利益ベース)", "seed 002: ROI, net basis"),
    ("roi", "roi_gross", "percent", "seed 002: ROI(粗利ベース)", "seed 002: ROI, gross basis"),
    (
        "marketing-roi",
        "marketing_roi",
        "percent",
        "seed 003: マーケティングROI",
        "seed 003: marketing ROI",
    ),
    (
        "funnel-budget",
        "required_top",
        "count",
        "seed 001: 300万円に必要な架電数(記事: 6,750件)",
        "seed 001: calls for 3 000 000 (article: 6 750)",
    ),
    (
        "funnel-budget",
        "required_budget",
        "money",
        "seed 000: 架電に必要な予算",
        "seed 000: budget for those calls",
    ),
    (
        "event-roi",
        "roi_base",
        "percent",
        "seed 001: 展示会ROI(粗利ベース)",
        "seed 001: exhibition ROI (gross)",
    ),
    (
        "event-roi",
        "roi_followup",
        "percent",
        "seed 001: フォローアップあり(記事: 625%、記事の転換率では608%)",
        "seed 001: with follow-up (article: 625 %; its rates give 608 %)",
    ),
    ("lift-test", "p_value", "number", "seed 003: リフト検定のp値", "seed 003: lift test p-value"),
    ("kpi", "roas", "percent", "seed 004: ROAS", "seed 004: ROAS"),
    ("kpi", "cpa", "money", "seed 004: CPA", "seed 004: CPA"),
    ("kpi", "ltv", "money", "seed 004: LTV", "seed 004: LTV"),
]


# The analytics pack (SPEC §3b) on the seeds' numbers, through the Excel functions' table:
# (function, arguments, how to show it, English label, Japanese label)
SEED_PATHS = [["ads > owned > email"], ["ads > owned"], ["owned > email"], ["email"]]
ANALYTICS = [
    (
        "ATTRIBUTION",
        (SEED_PATHS, [[400], [300], [200], [100]], "markov"),
        "number",
        "seed 003 ③: conversions credited to email (markov)",
        "seed 003 ③: メールに配分した CV 数(マルコフ)",
    ),
    (
        "AB_BAYES",
        (300, 10_000, 200, 10_000),
        "percent",
        "seed 003 ②: P(treated better), Bayesian",
        "seed 003 ②: 施策群が優れている確率(ベイズ)",
    ),
    (
        "SRM_CHECK",
        ([[10_000, 10_000]],),
        "number",
        "seed 003 ②: SRM check p-value (10 000 / 10 000)",
        "seed 003 ②: SRM 検定の p値(10,000 / 10,000)",
    ),
    (
        "ALLOWABLE_CPA",
        (9_000,),
        "money",
        "seed 004: break-even CPA for LTV 9 000",
        "seed 004: LTV 9,000 の限界CPA",
    ),
    (
        "REQUIRED_CVR",
        (450, 9_000),
        "percent",
        "seed 004: CVR needed at 450 a click",
        "seed 004: クリック単価 450 円で必要な CVR",
    ),
    (
        "BUDGET_PACING",
        (200_000, 80_000, 10, 30),
        "percent",
        "seed 004: ad budget pacing (80 000 of 200 000 in 10/30 days)",
        "seed 004: 広告予算の消化ペース(30日中10日で20万円中8万円)",
    ),
]


def _analytics_rows(lang: str) -> list[tuple[str, str]]:
    from .excel_functions import FUNCTIONS

    rows = []
    for name, arguments, kind, en, ja in ANALYTICS:
        result = FUNCTIONS[name](*arguments)
        if name == "ATTRIBUTION":
            result = dict((row[0], row[1]) for row in result)["email"]
        rows.append((ja if lang == "ja" else en, format_value(result, kind)))
    return rows


def run(args: argparse.Namespace) -> int:
    import tempfile

    from .defined_names import named_values
    from .fileio import check_writable
    from .refresh import refresh_files
    from .refresh.report import table
    from .templates import NAMES, write

    outdir = Path(args.dir)
    why = _cannot_write(outdir, check_writable)
    if why:
        print(f"roi-xl demo: cannot write into {outdir}: {why}", file=sys.stderr)
        return 2
    lang = language()
    print(f"Writing {len(NAMES) * 2} budget workbooks (Japanese and English) to {outdir}/ …")
    with tempfile.TemporaryDirectory(prefix="roi-xl-demo-") as fresh_dir:
        # Built and refreshed in a fresh folder first, then placed into DIR: a file already
        # in DIR that differs from the demo's copy (the user typed their numbers) is kept.
        fresh = Path(fresh_dir)
        paths = [
            write(name, fresh / f"{name}-{lg}.xlsx", lg) for name in NAMES for lg in ("ja", "en")
        ]
        print(
            "Refreshing them with the batch engine (no Excel), as a scheduled job would …\n"
            "New files already carry the values the builder computed, so a file the engine "
            "agrees with stays 'unchanged':"
        )
        reports = refresh_files(paths, backup=False, progress=sys.stderr.isatty())
        for r in reports:
            r.path = str(outdir / Path(r.path).name)
        print(table(reports))
        failed = [r for r in reports if r.failed]
        outdir.mkdir(parents=True, exist_ok=True)
        kept = [outdir / p.name for p in paths if not _place(p, outdir / p.name)]

        print(
            "\nThe seed articles' worked examples, read back from the workbooks' cached values:\n"
        )
        rows = []
        for template, name, kind, ja, en in REPORT:
            value = named_values(fresh / f"{template}-{lang}.xlsx", [name])[name]
            rows.append((ja if lang == "ja" else en, format_value(value, kind)))
        rows += _analytics_rows(lang)
    width = max(text_width(label) for label, _ in rows)
    for label, shown in rows:
        print(f"  {pad(label, width)}  {shown:>12}")
    if kept:
        print(
            f"\nKept {len(kept)} file(s) that differ from the demo's copy (your numbers?);"
            "\ndelete them, or give another folder, for fresh ones:"
        )
        for path in kept:
            print(f"  {path}")
    print(
        f"\nOpen the files in {outdir.resolve()}/ and type your own numbers into the blue "
        "cells;\nrefresh a folder of workbooks with: roi-xl refresh "
        f"{outdir}/ --summary summary.csv"
    )
    return 1 if failed else 0


def _cannot_write(outdir: Path, check_writable) -> str | None:  # type: ignore[no-untyped-def]
    """Why DIR (or the nearest folder that exists above it) takes no new file, if so."""
    probe = outdir
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        return f"{probe} is not a folder"
    return check_writable(probe / ".roi-xl-demo-probe")


def _place(fresh: Path, target: Path) -> bool:
    """Copy the demo's ``fresh`` workbook to ``target`` unless a different file is there;
    ``False`` when an existing file was kept because its content differs."""
    if target.exists():
        return _same_content(fresh, target)  # the same workbook: nothing to write
    from .fileio import replacing

    with replacing(target) as tmp:
        shutil.copyfile(fresh, tmp)
    return True


def _same_content(a: Path, b: Path) -> bool:
    """Whether two workbooks hold the same sheets, cell values and formulas (new workbooks
    differ byte-wise by their timestamps, so bytes cannot tell)."""
    import openpyxl

    def cells(path: Path) -> dict[str, dict[str, object]]:
        wb = openpyxl.load_workbook(path, read_only=True)
        try:
            return {
                ws.title: {
                    c.coordinate: c.value
                    for row in ws.iter_rows()
                    for c in row
                    if c.value is not None
                }
                for ws in wb.worksheets
            }
        finally:
            wb.close()

    try:
        return cells(a) == cells(b)
    except Exception:  # not a workbook any more: certainly not ours to overwrite
        return False
