"""Placeholder CLI for the refresh branch (the lead's cli.py replaces it at merge)."""

from __future__ import annotations

import argparse


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="roi-xl")
    sub = parser.add_subparsers(dest="command", required=True)
    from .refresh import command

    command.register(sub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
