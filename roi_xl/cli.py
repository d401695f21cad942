"""Minimal `roi-xl` entry point for the templates branch (the lead replaces it at merge)."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    from .templates import command

    parser = argparse.ArgumentParser(prog="roi-xl")
    command.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
