"""The ``roi-xl refresh`` subcommand: argument parsing only; the work is in batch/recalc."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXAMPLES = """\
examples:
  roi-xl refresh budget.xlsx                 recompute one workbook in place (keeps budget.xlsx.bak)
  roi-xl refresh reports/ --recursive -j 8   every .xlsx/.xlsm under reports/, 8 at a time
  roi-xl refresh *.xlsm --no-backup          VBA projects, charts, styles are kept byte for byte
  roi-xl refresh q3/ --dry-run --summary q3.csv
                                             compute and report what would change, write nothing
  roi-xl refresh big/ --scheduler tcp://10.0.0.5:8786
                                             run the batch on a Dask cluster (pip install roi-xl[dask])

Only the cached values of formula cells change. A cell the engine cannot compute (a
function it does not have) keeps Excel's value and is listed. Files open in Excel (a ~$
lock file beside them), corrupt, encrypted or .xls files are reported and left untouched.
Each file is replaced atomically, keeping its mode, owner and group; a second run on the
same file waits for the first (up to 10 s), then reports it busy. --summary never replaces
a workbook given, nor a file it did not write itself (unless --force).

exit codes:
  0    every file refreshed, unchanged or (with --dry-run) would refresh
  1    some file failed (corrupt, encrypted, .xls, time/memory limit, cannot write it)
  2    usage error (bad option, nothing to refresh, summary not writable, engine missing)
  3    no failure, but some file was skipped: open in Excel (~$ file) or busy with
       another roi-xl refresh; run again later
  130  interrupted (Ctrl-C): the files done are listed, the others are untouched
"""

#: Exit codes (documented in ``roi-xl refresh --help`` and the README).
OK, FAILED, USAGE, SKIPPED, INTERRUPTED = 0, 1, 2, 3, 130


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"{n}: give 1 or more files at a time")
    return n


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add ``refresh`` to an argparse subparsers object."""
    p = subparsers.add_parser(
        "refresh",
        help="recompute formulas and write their cached values",
        description="Recompute every formula (native functions and roi_xl's ROI, LIFT, "
        "BACKCALC_FUNNEL...) and store the results as the cached values Excel, viewers and "
        "pandas read. Works without Excel.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="workbooks or directories")
    p.add_argument(
        "-r",
        "--recursive",
        action="store_true",
        help="look into subdirectories of directories given",
    )
    p.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=None,
        metavar="N",
        help="files refreshed in parallel (default: number of CPUs)",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler, e.g. tcp://host:8786 (needs roi-xl[dask])",
    )
    p.add_argument(
        "--connect-timeout",
        type=float,
        default=10,
        metavar="SECONDS",
        help="how long to wait for the Dask scheduler (default 10)",
    )
    p.add_argument(
        "--engine",
        choices=("python", "excel"),
        default="python",
        help="python: formualizer (default, no Excel needed); excel: drive Excel "
        "through xlwings (Windows/macOS with Excel)",
    )
    p.add_argument("--no-backup", dest="backup", action="store_false", help="do not keep PATH.bak")
    p.add_argument("--dry-run", action="store_true", help="compute and report, write nothing")
    p.add_argument(
        "--summary",
        metavar="FILE",
        help="write the closing table (.csv or .xlsx); never over a workbook given, nor "
        "over a file it did not write itself (a summary carries a mark: its CSV header, or "
        "the .xlsx custom property roi-xl = refresh summary)",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="let --summary replace an existing file that is not a summary",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="per-file time limit (default 60)",
    )
    p.add_argument(
        "--memory",
        type=int,
        default=1536,
        metavar="MB",
        help="per-file memory limit (default 1536)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    """Execute a parsed ``refresh`` command; return the exit code."""
    if args.engine == "excel":
        return _excel(args)
    from .batch import Interrupted, expand, refresh_files
    from .report import summary_problem, table, write_summary

    if args.summary:
        why = summary_problem(
            args.summary, [*map(Path, args.paths), *expand(args.paths, args.recursive)], args.force
        )
        if why:
            print(f"roi-xl refresh: {why}", file=sys.stderr)
            return USAGE
    executor = None
    client = None
    if args.scheduler:
        try:
            from dask.distributed import Client
        except ImportError:
            print("--scheduler needs Dask: pip install 'roi-xl[dask]'", file=sys.stderr)
            return 2
        try:
            client = Client(args.scheduler, timeout=args.connect_timeout)
        except (OSError, TimeoutError, ValueError) as exc:
            print(
                f"could not reach the Dask scheduler at {args.scheduler} ({exc}); check the "
                "address and that `dask scheduler` runs there",
                file=sys.stderr,
            )
            return 2
        executor = client.get_executor()
    interrupted = False
    try:
        reports = refresh_files(
            args.paths,
            jobs=args.jobs,
            executor=executor,
            backup=args.backup,
            dry_run=args.dry_run,
            progress=not args.quiet and sys.stderr.isatty(),
            recursive=args.recursive,
            timeout=args.timeout,
            memory_mb=args.memory,
        )
    except Interrupted as exc:
        reports, interrupted = exc.reports, True
    finally:
        if client is not None:
            client.close()
    if not reports:
        print("no .xlsx/.xlsm workbooks found in the paths given", file=sys.stderr)
        return USAGE
    print(table(reports))
    for r in reports:
        for kept in r.kept_cells:
            print(f"kept {r.path} {kept}")
    if args.summary:
        from ..fileio import WriteError

        try:
            write_summary(reports, args.summary)
        except WriteError as exc:
            print(f"roi-xl refresh: could not write the summary {exc}", file=sys.stderr)
            return FAILED
    return exit_code(reports, interrupted)


def exit_code(reports: list, interrupted: bool = False) -> int:
    """130 interrupted, 1 some file failed, 3 some skipped (open in Excel, busy), else 0."""
    from .report import SKIPPED as SKIPPED_STATUS

    if interrupted:
        return INTERRUPTED
    if any(r.failed for r in reports):
        return FAILED
    if any(r.status == SKIPPED_STATUS for r in reports):
        return SKIPPED
    return OK


def _excel(args: argparse.Namespace) -> int:
    if sys.platform not in ("win32", "darwin"):
        print(
            "--engine excel needs Microsoft Excel (Windows or macOS), which is not "
            "available on this machine; use --engine python",
            file=sys.stderr,
        )
        return 2
    try:
        import xlwings as xw
    except ImportError:
        print("--engine excel needs xlwings: pip install xlwings", file=sys.stderr)
        return 2
    from .batch import expand

    failed = 0
    with xw.App(visible=False, add_book=False) as app:
        for path in expand(args.paths, args.recursive):
            try:
                book = app.books.open(str(path.resolve()))
                app.calculate()
                if not args.dry_run:
                    book.save()
                book.close()
                print(f"{path}: recalculated by Excel")
            except Exception as exc:
                failed += 1
                print(f"{path}: failed: {exc}", file=sys.stderr)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    """``python -m roi_xl.refresh`` = ``roi-xl refresh``."""
    parser = argparse.ArgumentParser(prog="roi-xl")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["refresh", *(sys.argv[1:] if argv is None else argv)])
    return args.func(args)
