"""`roi-xl new` and `roi-xl list`: argument parsing only; the work is in the builder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..i18n import language
from .catalog import NAMES, UnknownTemplateError, get

NEW_HELP = """\
Create a budget workbook from a template, prefilled with its worked example.
Blue cells are inputs; everything else is computed by native Excel formulas
(works in Excel, LibreOffice and Google Sheets without the add-in).

examples:
  roi-xl new funnel-budget -o 予算.xlsx            # Japanese/English from your locale
  roi-xl new roi -o roi.xlsx --lang en              # force English labels
  roi-xl new lift-test -o lift.xlsx --udf           # key cells call =LIFT(...) etc.
  roi-xl new --all -o templates/                    # every template into a folder
  roi-xl list                                       # what templates there are
"""

LIST_HELP = """\
List the workbook templates with one line on what each computes.

example:
  roi-xl list
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``new`` and ``list`` to the main parser's subcommands."""
    new = subparsers.add_parser(
        "new",
        help="create a budget workbook from a template",
        description=NEW_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    new.add_argument("name", nargs="?", metavar="NAME", help=f"template: {', '.join(NAMES)}")
    new.add_argument(
        "--all", action="store_true", help="create every template (then -o is a folder)"
    )
    new.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="PATH",
        help="file to write (.xlsx), or folder with --all",
    )
    new.add_argument(
        "--lang",
        choices=["ja", "en"],
        default=None,
        help=f"label language (default: from your locale, now {language()!r})",
    )
    new.add_argument(
        "--udf",
        action="store_true",
        help="write key cells as roi_xl function calls (=ROI(...)); needs the "
        "xlwings add-in in Excel",
    )
    new.add_argument("--force", action="store_true", help="overwrite an existing file")
    new.set_defaults(func=run_new, parser=new)

    lst = subparsers.add_parser(
        "list",
        help="list the workbook templates",
        description=LIST_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    lst.add_argument("--lang", choices=["ja", "en"], default=None)
    lst.set_defaults(func=run_list, parser=lst)


def run_new(args: argparse.Namespace) -> int:
    """Write the workbook(s); errors go to stderr with exit code 2."""
    from .builder import write

    parser: argparse.ArgumentParser = args.parser
    if args.all == bool(args.name):
        parser.error("give a template NAME or --all (not both); names: " + ", ".join(NAMES))
    out = Path(args.output)
    if args.all:
        if out.exists() and not out.is_dir():
            parser.error(f"--all writes one file per template: {out} must be a folder")
        targets = [(n, out / f"{n}.xlsx") for n in NAMES]
    else:
        try:
            get(args.name)
        except UnknownTemplateError as exc:
            parser.error(str(exc))
        if out.is_dir():
            out = out / f"{args.name}.xlsx"
        elif out.suffix.lower() != ".xlsx":
            parser.error(f"{out}: the output must be an .xlsx file (add .xlsx)")
        targets = [(args.name, out)]
    existing = [str(p) for _, p in targets if p.exists()]
    if existing and not args.force:
        parser.error(f"{', '.join(existing)} already exists; add --force to overwrite")
    from ..fileio import check_writable

    for _, path in targets:  # before any work: a read-only folder is a plain error
        why = check_writable(path, make_folders=True)
        if why:
            parser.error(f"cannot write {path}: {why}")
    for name, path in targets:
        write(name, path, args.lang, udf=args.udf)
        print(f"{path}  ({name})")
    return 0


def run_list(args: argparse.Namespace) -> int:
    lang = args.lang or language()
    width = max(map(len, NAMES))
    for name in NAMES:
        t = get(name)
        print(f"{name:<{width}}  {t.summary(lang)}  [seed {t.seed}]")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point (the real CLI is ``roi_xl.cli``)."""
    parser = argparse.ArgumentParser(prog="roi-xl")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
