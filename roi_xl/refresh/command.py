"""The ``roi-xl refresh`` subcommand: argument parsing only; the work is in batch/recalc."""

from __future__ import annotations

import argparse
import sys

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
Exit code: 0 all good, 1 some file failed, 2 usage error or engine not available.
"""


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
        type=int,
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
    p.add_argument("--summary", metavar="FILE", help="write the closing table (.csv or .xlsx)")
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
    from .batch import refresh_files
    from .report import table, write_summary

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
    finally:
        if client is not None:
            client.close()
    if not reports:
        print("no .xlsx/.xlsm workbooks found in the paths given", file=sys.stderr)
        return 2
    print(table(reports))
    for r in reports:
        for kept in r.kept_cells:
            print(f"kept {r.path} {kept}")
    if args.summary:
        write_summary(reports, args.summary)
    return 1 if any(r.failed for r in reports) else 0


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
