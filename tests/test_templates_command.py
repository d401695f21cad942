"""`roi-xl new` and `roi-xl list` through argparse, as the lead's CLI will call them."""

from __future__ import annotations

import argparse

import openpyxl
import pytest

from roi_xl.templates import NAMES, command


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="roi-xl")
    command.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    return args.func(args)


def test_list_shows_every_template(capsys):
    assert run("list", "--lang", "en") == 0
    out = capsys.readouterr().out
    assert all(n in out for n in NAMES)


def test_new_writes_the_workbook(tmp_path):
    assert run("new", "funnel-budget", "-o", str(tmp_path / "予算.xlsx"), "--lang", "ja") == 0
    wb = openpyxl.load_workbook(tmp_path / "予算.xlsx")
    assert "required_top" in wb.defined_names


def test_new_udf(tmp_path):
    run("new", "kpi", "-o", str(tmp_path / "k.xlsx"), "--udf", "--lang", "en")
    wb = openpyxl.load_workbook(tmp_path / "k.xlsx")
    assert "ROAS(" in str(
        wb.active[wb.defined_names["roas"].attr_text.split("!")[1].replace("$", "")].value
    )


def test_new_all(tmp_path):
    run("new", "--all", "-o", str(tmp_path / "out"))
    assert sorted(p.stem for p in (tmp_path / "out").iterdir()) == sorted(NAMES)


def test_unknown_name_lists_the_names(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        run("new", "budget", "-o", str(tmp_path / "x.xlsx"))
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "unknown template 'budget'" in err and all(n in err for n in NAMES)


def test_existing_file_is_not_overwritten_without_force(tmp_path, capsys):
    target = tmp_path / "roi.xlsx"
    run("new", "roi", "-o", str(target))
    with pytest.raises(SystemExit):
        run("new", "roi", "-o", str(target))
    assert "--force" in capsys.readouterr().err
    assert run("new", "roi", "-o", str(target), "--force") == 0


def test_name_or_all_required(tmp_path, capsys):
    with pytest.raises(SystemExit):
        run("new", "-o", str(tmp_path))
    assert "--all" in capsys.readouterr().err


def test_help_teaches_by_example(capsys):
    with pytest.raises(SystemExit):
        run("new", "--help")
    out = capsys.readouterr().out
    assert "roi-xl new funnel-budget -o" in out and "--all" in out
