"""The ``roi-xl`` command: argument parsing only; the work happens in the library."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Sequence

from . import __version__
from .formatting import format_value
from .i18n import set_language

EPILOG = """\
examples:
  roi-xl calc ROI 10000000 3500000 2720000          → 138.97 %
  roi-xl calc BACKCALC_FUNNEL 3000000 500000 0.0666,0.4,0.33
  roi-xl calc LIFT 300 10000 200 10000 table --json
  roi-xl functions                                   list every Excel function
  roi-xl excel setup                                 point xlwings at roi_udfs
"""


def _parse_cli_value(text: str, listed: bool) -> Any:
    """A shell word as a cell would hold it; a list parameter (rates, stage names) takes a
    comma-separated row: ``0.0666,0.4,0.33``."""
    if listed:
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
    values = [_parse_cli_value(a, p.kind.listed) for a, p in zip(args.arguments, fn.params)]
    outcome = fn.evaluate(*values)
    result = outcome.value
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
            if len(row) == 2 and isinstance(row[0], str):  # a spilled table: label, value
                print(f"{row[0]:<{width}}  {format_value(row[1], 'number')}")
            else:
                print("  ".join(format_value(v, fn.shows) for v in row))
    else:
        print(format_value(result, fn.shows))
    error = _first_error(result)
    if error is not None:
        why = outcome.reason(name) or _element_error_hint(error)
        print(f"roi-xl calc: {name} gives {error}: {why}", file=sys.stderr)
        return 1
    return 0


def _first_error(result: Any) -> str | None:
    """The first Excel error value in a result (a table's labels are not values)."""
    rows = result if isinstance(result, list) else [[result]]
    for row in rows:
        cells = row if isinstance(row, list) else [row]
        if len(cells) == 2 and isinstance(cells[0], str) and not cells[0].startswith("#"):
            cells = cells[1:]  # a spilled table's label
        for c in cells:
            if isinstance(c, str) and c.startswith("#"):
                return c
    return None


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
    from .excel_functions.table import FUNCTIONS

    *first, last = FUNCTIONS
    calc.add_argument("function", help=f"{', '.join(first)} or {last}")
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
    from .mix.command import register as mmm

    registers.append(mmm)
    return registers


def _negative_numbers_are_arguments(argv: list[str]) -> list[str]:
    """``calc ROI -5000 0 1000``: argparse would take ``-5000`` (or ``-1e3``) for an option;
    put calc's own options first and its arguments after ``--``."""
    i = 0
    while i < len(argv) and argv[i].startswith("-"):  # global options: --lang ja, --version
        i += 2 if argv[i] == "--lang" else 1
    if i >= len(argv) or argv[i] != "calc" or "--" in argv[i:]:
        return argv
    rest = argv[i + 1 :]
    words = [t for t in rest if not t.startswith("-") or _looks_like_a_number(t)]
    options = [t for t in rest if t.startswith("-") and not _looks_like_a_number(t)]
    return [*argv[: i + 1], *options, "--", *words]


def _looks_like_a_number(word: str) -> bool:
    return len(word) > 1 and word[0] == "-" and (word[1].isdigit() or word[1] in ".(¥$€£")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["refresh"]:
        # Straight to refresh's own parser (the same one, with the same usage and errors):
        # the whole CLI's parser loads the function table and the template catalog first.
        from .refresh.command import main as refresh

        return _guarded(lambda: refresh(argv[1:]))
    parser = build_parser()
    args = parser.parse_args(_negative_numbers_are_arguments(argv))
    if args.global_lang:
        set_language(args.global_lang)
    run = getattr(args, "run", None) or getattr(args, "func", None)
    if run is None:
        parser.print_help()
        return 2
    return _guarded(lambda: run(args))


def _guarded(run: Any) -> int:
    """Run a command: Ctrl-C is exit 130, a closed output pipe a quiet end."""
    try:
        return int(run() or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `roi-xl functions | head`: the reader left, not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
