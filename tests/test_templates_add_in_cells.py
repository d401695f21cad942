"""The narrow exemption from "every formula is native": cells a template declares as
calls of our functions (metrics without a native pattern: AB_BAYES, ATTRIBUTION) carry
the library's value on creation, also after the inputs change and the file is refreshed;
no other cell of a native template calls our functions."""

from __future__ import annotations

import random

import openpyxl
import pytest
from openpyxl.formula import Tokenizer
from templates_support import ADD_IN_KEYS, cells_of, expected, randomise

from roi_xl.excel_functions import FUNCTIONS
from roi_xl.refresh import refresh_file
from roi_xl.templates import NAMES, add_in_cells, write


def _calls_ours(formula: str) -> bool:
    return any(
        t.type == "FUNC" and t.subtype == "OPEN" and t.value.rstrip("(") in FUNCTIONS
        for t in Tokenizer(formula).items
    )


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_only_declared_cells_call_our_functions(tmp_path, name, lang):
    ws = openpyxl.load_workbook(write(name, tmp_path / "t.xlsx", lang)).active
    calling = {
        c.coordinate
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=") and _calls_ours(c.value)
    }
    assert calling == set(add_in_cells(name, lang))
    assert bool(calling) == (name in ADD_IN_KEYS)
    if name in ADD_IN_KEYS:  # every declared cell is a named key output, explained
        wb = openpyxl.load_workbook(tmp_path / "t.xlsx")
        named = {c.coordinate for key in ADD_IN_KEYS[name] for c in cells_of(wb, key)}
        assert named == calling
        text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
        assert ("roi_xl アドインが必要" if lang == "ja" else "Needs the roi_xl add-in") in text


def _check(path, name):
    wb = openpyxl.load_workbook(path, data_only=True)
    want = expected(name, wb)
    for key in ADD_IN_KEYS[name]:
        got = [c.value for c in cells_of(wb, key)]
        w = want[key] if isinstance(want[key], list) else [want[key]]
        assert got == pytest.approx([float(x) for x in w], rel=1e-9, abs=1e-15), key


@pytest.mark.parametrize("name", list(ADD_IN_KEYS))
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_cached_values_are_the_library_values(tmp_path, name, lang):
    _check(write(name, tmp_path / "t.xlsx", lang), name)


@pytest.mark.parametrize("name", list(ADD_IN_KEYS))
def test_refresh_after_new_inputs_gives_the_library_values(tmp_path, name):
    path = write(name, tmp_path / "t.xlsx", "en")
    rng = random.Random(15)
    for _ in range(3):
        wb = openpyxl.load_workbook(path)
        randomise(wb, name, rng)
        wb.save(path)
        report = refresh_file(path, backup=False)
        assert not report.failed and not report.kept, report
        _check(path, name)


def test_seed_003_attribution_by_hand(tmp_path):
    """Seed 003 ③ worked out: last touch gives email every path it ends on (① 400 + ③ 200 +
    ④ 100), ads none; first touch gives ads ① 400 + ② 300; linear splits ① in thirds."""
    wb = openpyxl.load_workbook(write("attribution", tmp_path / "a.xlsx", "en"), data_only=True)
    col = lambda key: dict(
        zip(
            [c.value for c in cells_of(wb, "channels_channel")],
            [c.value for c in cells_of(wb, key)],
        )
    )
    assert col("channels_last") == pytest.approx({"Ads": 0, "Owned media": 300, "Email": 700})
    assert col("channels_first") == pytest.approx({"Ads": 700, "Owned media": 200, "Email": 100})
    assert col("channels_linear") == pytest.approx(
        {"Ads": 400 / 3 + 150, "Owned media": 400 / 3 + 150 + 100, "Email": 400 / 3 + 100 + 100}
    )
    # linear revenue: ① 8M/3 each, ② 3M each, ③ 2M each, ④ 2M email
    assert col("channel_revenue_linear")["Email"] == pytest.approx(8e6 / 3 + 2e6 + 2e6)
    # ROI of ads under last touch: nothing credited, all its cost lost
    assert col("channel_roi_last")["Ads"] == pytest.approx(-1.0)
    for model in ("last", "first", "linear", "position", "time_decay", "markov"):
        assert sum(col(f"channels_{model}").values()) == pytest.approx(1000)
        assert sum(col(f"channel_revenue_{model}").values()) == pytest.approx(20e6)
