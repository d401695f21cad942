"""The ``roi-xl`` command: argument parsing only; the work happens in the library."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Sequence

from . import __version__
from .i18n import set_language

EPILOG = """\
examples:
  roi-xl calc ROI 10000000 3500000 2720000          → 138.97 %
  roi-xl calc BACKCALC_FUNNEL 3000000 500000 0.0666,0.4,0.33
  roi-xl calc LIFT 300 10000 200 10000 table --json
  roi-xl functions                                   list every Excel function
  roi-xl excel setup                                 point xlwings at roi_udfs
"""


def format_value(value: Any, kind: str) -> str:
    """A result as the shell shows it: percent, count, money or a plain number."""
    if isinstance(value, str):
        return value
    if kind == "percent":
        return f"{value * 100:,.2f} %"
    if kind == "count":
        return f"{value:,.0f}"
    if kind == "money":
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:,.6g}"


def _parse_cli_value(text: str, kind: str) -> Any:
    """A shell word as a cell would hold it; a list parameter (rates, stage names) takes a
    comma-separated row: ``0.0666,0.4,0.33``."""
    if kind in ("vector", "labels"):
        return [[t.strip() for t in text.split(",")]]
    return text


def _cmd_calc(args: argparse.Namespace) -> int:
    from .excel_functions import FUNCTIONS

    name = args.function.upper()
    if name not in FUNCTIONS:
        print(
            f"roi-xl calc: unknown function {args.function!r}; choose from {', '.join(FUNCTIONS)}",
            file=sys.stderr,
        )
        return 2
    fn = FUNCTIONS[name]
    if not fn.min_args <= len(args.arguments) <= fn.max_args:
        print(
            f"roi-xl calc: {fn.signature()} takes {fn.min_args}–{fn.max_args} arguments, "
            f"got {len(args.arguments)}",
            file=sys.stderr,
        )
        return 2
    values = [_parse_cli_value(a, p.kind) for a, p in zip(args.arguments, fn.params)]
    result = fn(*values)
    is_error = isinstance(result, str) and result.startswith("#")
    if args.json:
        print(
            json.dumps(
                {"function": name, "arguments": args.arguments, "result": result},
                ensure_ascii=False,
            )
        )
    elif isinstance(result, list):
        rows = result if result and isinstance(result[0], list) else [result]
        width = max(len(str(r[0])) for r in rows) if rows and len(rows[0]) > 1 else 0
        for row in rows:
            if len(row) == 2 and isinstance(row[0], str):
                kind = "count" if fn.result == "table" else "number"
                print(f"{row[0]:<{width}}  {format_value(row[1], kind)}")
            else:
                print("  ".join(format_value(v, fn.result) for v in row))
    else:
        print(format_value(result, fn.result))
    if is_error:
        why = fn.explain(*values) or _element_error_hint(result)
        print(f"roi-xl calc: {name} gives {result}: {why}", file=sys.stderr)
        return 1
    return 0


def _element_error_hint(error: str) -> str:
    return {
        "#DIV/0!": "a denominator is 0 (investment, marketing cost, ad spend, conversions, "
        "visits or a group size)",
        "#NUM!": "a value is outside its domain (a negative count or cost, a rate outside "
        "(0, 1], conversions larger than the group)",
        "#VALUE!": "an argument is text that is not a number, or an unknown option word",
    }.get(error, "see the function's help: roi-xl functions")


def _cmd_functions(args: argparse.Namespace) -> int:
    from .excel_functions import FUNCTIONS

    if args.markdown:
        from .excel_functions.reference import reference_markdown

        print(reference_markdown())
        return 0
    for fn in FUNCTIONS.values():
        print(fn.signature())
        print("    " + fn.doc().replace("\n\n", "\n    "))
        for p in fn.params:
            print(f"      {p.name:<24} {p.doc(args.global_lang or 'en')}")
        print()
    return 0


def _cmd_excel_setup(args: argparse.Namespace) -> int:
    from . import excel_setup

    path, text = excel_setup.install(dry_run=args.dry_run)
    verb = "would write" if args.dry_run else "updated"
    print(f"{verb} {path}:\n{text}")
    print(excel_setup.NEXT_STEPS)
    if sys.platform != "win32":
        print(
            "Note: this machine is not Windows; the classic add-in needs Excel for "
            "Windows. The setting is written anyway for a shared home folder."
        )
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from .demo import run

    return run(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="roi-xl",
        description="Marketing-ROI toolkit for Excel: functions, budget templates, refresh.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"roi-xl {__version__}")
    parser.add_argument(
        "--lang",
        choices=["ja", "en"],
        dest="global_lang",
        help="language of labels and help (default: from the locale or ROI_XL_LANG)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    calc = sub.add_parser(
        "calc",
        help="compute one of the Excel functions from the shell",
        description="Compute an Excel function of roi_xl with the arguments given, as Excel "
        "would (text is read like a cell; a list of rates is comma-separated).",
        epilog="examples:\n  roi-xl calc ROI 10000000 3500000 2720000\n"
        "  roi-xl calc ROI 10000000 3500000 2720000 gross\n"
        "  roi-xl calc BACKCALC_FUNNEL 3000000 500000 0.0666,0.4,0.33\n"
        "  roi-xl calc SAMPLE_SIZE 0.02 0.01 --json\n"
        '  roi-xl calc ATTRIBUTION "ads>owned>email,ads>email" 10,5 markov',
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    calc.add_argument(
        "function",
        help="ROI, MARKETING_ROI, BACKCALC_FUNNEL, FUNNEL_FORECAST, "
        "LIFT, SAMPLE_SIZE, ROAS, CPA, CVR, LTV, ATTRIBUTION, AB_BAYES, SRM_CHECK, "
        "ALLOWABLE_CPA, REQUIRED_CVR or BUDGET_PACING",
    )
    calc.add_argument("arguments", nargs="*", help="the function's arguments, in order")
    calc.add_argument("--json", action="store_true", help="print JSON for scripts")
    calc.set_defaults(run=_cmd_calc)

    fns = sub.add_parser("functions", help="list the Excel functions with their help")
    fns.add_argument(
        "--markdown",
        action="store_true",
        help="print the README's function reference (both languages)",
    )
    fns.set_defaults(run=_cmd_functions)

    excel = sub.add_parser("excel", help="set up Excel to use the functions")
    excel_sub = excel.add_subparsers(dest="excel_command", metavar="ACTION")
    setup = excel_sub.add_parser(
        "setup",
        help="add roi_udfs to xlwings' UDF Modules (~/.xlwings/xlwings.conf)",
        description='Add roi_udfs to the "UDF Modules" setting of the classic xlwings '
        "add-in and print the remaining steps.",
    )
    setup.add_argument("--dry-run", action="store_true", help="show the change, write nothing")
    setup.set_defaults(run=_cmd_excel_setup)
    excel.set_defaults(run=lambda a: (excel.print_help(), 2)[1])

    demo = sub.add_parser(
        "demo",
        help="the main job on the built-in seed examples: no Excel needed",
        description="Compute the worked examples of the method (seed articles) and, where "
        "the template builder is available, write every template into DIR.",
    )
    demo.add_argument(
        "dir",
        nargs="?",
        default="roi-xl-demo",
        help="folder for the demo workbooks (default: ./roi-xl-demo)",
    )
    demo.set_defaults(run=_cmd_demo)

    for register in _command_plugins():
        register(sub)
    return parser


def _command_plugins():
    """Sub-commands that live with their feature (templates, refresh)."""
    registers = []
    try:
        from .templates.command import register as templates

        registers.append(templates)
    except ImportError:
        pass
    from .refresh.command import register as refresh

    registers.append(refresh)
    return registers


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.global_lang:
        set_language(args.global_lang)
    run = getattr(args, "run", None) or getattr(args, "func", None)
    if run is None:
        parser.print_help()
        return 2
    try:
        return int(run(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `roi-xl functions | head`: the reader left, not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
