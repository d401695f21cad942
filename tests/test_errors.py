"""One module of typed errors, one base class: ``except roi_xl.RoiXlError`` catches
everything roi_xl raises on purpose, wherever it comes from."""

import ast
import inspect
from pathlib import Path

import pytest

import roi_xl
from roi_xl import errors

ROOT = Path(__file__).resolve().parents[1]


def test_every_error_class_lives_in_errors_py():
    elsewhere = []
    for path in (ROOT / "roi_xl").rglob("*.py"):
        if path.name == "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                getattr(b, "id", getattr(b, "attr", "")).endswith(("Error", "Exception"))
                for b in node.bases
            ):
                elsewhere.append(f"{path.relative_to(ROOT)}:{node.name}")
    assert elsewhere == []


def test_every_error_derives_from_the_one_base():
    classes = [
        c
        for _, c in inspect.getmembers(errors, inspect.isclass)
        if issubclass(c, Exception) and c.__module__ == errors.__name__
    ]
    assert len(classes) >= 10
    assert all(issubclass(c, roi_xl.RoiXlError) for c in classes)


def test_errors_from_each_part_of_the_package_share_the_base(tmp_path):
    from roi_xl.refresh.xlsx import Package
    from roi_xl.templates import get

    not_a_workbook = tmp_path / "notes.xlsx"
    not_a_workbook.write_text("hello")
    with pytest.raises(roi_xl.RoiXlError, match="not a zip"):
        Package(not_a_workbook)
    with pytest.raises(roi_xl.RoiXlError, match="choose one of"):
        get("no-such-template")
    with pytest.raises(roi_xl.RoiXlError, match="investment"):
        roi_xl.roi(1, 0, 0)
    with pytest.raises(LookupError):  # and keep the standard base each one had
        get("no-such-template")
    with pytest.raises(ValueError):
        roi_xl.roi(1, 0, 0, basis="profit")


def test_language_and_defined_name_errors_are_ours_and_say_what_exists(tmp_path):
    from roi_xl.templates import write

    with pytest.raises(roi_xl.UnknownLanguageError, match="use 'ja'"):
        roi_xl.set_language("fr")
    path = write("kpi", tmp_path / "kpi.xlsx", "en")
    with pytest.raises(roi_xl.UnknownNameError, match="has no defined name 'rosa'.*roas"):
        roi_xl.named_values(path, ["rosa"])
    with pytest.raises(KeyError):
        roi_xl.named_values(path, ["rosa"])
