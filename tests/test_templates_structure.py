"""What a user finds in every template, checked with openpyxl: named and validated
inputs that are the only unlocked cells, protection, formats, rules, charts, printing."""

from __future__ import annotations

import re

import openpyxl
import pytest
from openpyxl.utils.cell import range_boundaries
from templates_support import KEY_NAMES, cells_of, inputs

from roi_xl.templates import NAMES, UnknownTemplateError, build, get, write
from roi_xl.templates.formulas import METRICS
from roi_xl.templates.model import Calc, Table, items

BUILDS = [(n, lang, udf) for n in NAMES for lang in ("ja", "en") for udf in (False, True)]


@pytest.fixture(scope="module", params=BUILDS, ids=lambda b: f"{b[0]}-{b[1]}{'-udf' * b[2]}")
def book(request, tmp_path_factory):
    name, lang, udf = request.param
    path = write(name, tmp_path_factory.mktemp("b") / f"{name}.xlsx", lang, udf)
    return name, lang, udf, openpyxl.load_workbook(path)


def _covered(ranges, coordinate: str) -> bool:
    for ref in str(ranges).split():
        c0, r0, c1, r1 = range_boundaries(ref)
        cell = openpyxl.utils.cell.coordinate_from_string(coordinate)
        col = openpyxl.utils.column_index_from_string(cell[0])
        if c0 <= col <= c1 and r0 <= cell[1] <= r1:
            return True
    return False


def test_key_names_exist(book):
    name, _, _, wb = book
    for key in KEY_NAMES[name]:
        assert key in wb.defined_names, f"{name}: no defined name {key}"
        assert wb.defined_names[key].localSheetId is None  # workbook level


def test_rate_ranges_are_one_cell_per_rate(book):
    name, _, _, wb = book
    if name == "funnel-budget":
        assert len(cells_of(wb, "funnel_rates")) == 3
    if name == "event-roi":
        assert len(cells_of(wb, "rates_base")) == len(cells_of(wb, "rates_followup")) == 4


def test_inputs_are_the_only_unlocked_cells_and_all_named_and_validated(book):
    name, _lang, _, wb = book
    ws = wb.active
    assert ws.protection.sheet is True and not ws.protection.password
    named = {c.coordinate for key in wb.defined_names for c in cells_of(wb, key)}
    unlocked = {c.coordinate for row in ws.iter_rows() for c in row if c.protection.locked is False}
    declared = {c.coordinate for key in inputs(name) for c in cells_of(wb, key)}
    assert unlocked == declared, "unlocked cells must be exactly the inputs"
    assert unlocked <= named
    for coordinate in unlocked:
        rules = [dv for dv in ws.data_validations.dataValidation if _covered(dv.sqref, coordinate)]
        assert len(rules) == 1, f"{name}: {coordinate} needs one validation"
        dv = rules[0]
        assert dv.showErrorMessage and dv.showInputMessage and dv.prompt and dv.error
        assert ws[coordinate].fill.fgColor.rgb.endswith("DDEBF7")  # styled as input


def test_formulas_are_plain_references(book):
    _, _, _, wb = book
    for row in wb.active.iter_rows():
        for c in row:
            if isinstance(c.value, str) and c.value.startswith("="):
                assert "[" not in c.value, f"structured reference in {c.coordinate}"
                assert "#REF" not in c.value


def test_formats_charts_printing_rules(book):
    _name, lang, _, wb = book
    ws = wb.active
    assert len(ws._charts) >= 1
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.freeze_panes == "A2"
    assert ws.print_area
    formats = {c.number_format for row in ws.iter_rows() for c in row}
    assert any("%" in f for f in formats)
    assert any("¥" in f for f in formats) == (lang == "ja")
    rule_cells = " ".join(str(r.sqref) for r in ws.conditional_formatting)
    for key in (
        "roi",
        "marketing_roi",
        "roi_base",
        "roi_followup",
        "incremental_roi",
        "initiatives_roi",
        "budget_gap",
    ):
        if key in wb.defined_names:
            for c in cells_of(wb, key):
                assert _covered(rule_cells, c.coordinate), f"{key}: no bad-value rule"


def test_roi_sheets_state_benchmarks_with_their_basis(book):
    name, lang, _, wb = book
    if name not in ("roi", "marketing-roi", "event-roi"):
        return
    text = " ".join(str(c.value) for row in wb.active.iter_rows() for c in row if c.value)
    for band in ("200%", "300", "500%", "1000%"):
        assert band in text.replace(" %", "%")
    assert (
        ("粗利ベース" in text and "純利益ベース" in text)
        if lang == "ja"
        else ("gross basis" in text and "net basis" in text)
    )


UDF_CALLS = {
    "roi": {"roi": "ROI(", "roi_gross": "ROI("},
    "marketing-roi": {"marketing_roi": "MARKETING_ROI("},
    "funnel-budget": {"required_top": "BACKCALC_FUNNEL(", "required_deals": "BACKCALC_FUNNEL("},
    "event-roi": {"orders_base": "FUNNEL_FORECAST(", "roi_followup": "ROI("},
    "lift-test": {
        "p_value": "LIFT(",
        "ci_low": "LIFT(",
        "incremental_roi": "MARKETING_ROI(",
        "sample_size": "SAMPLE_SIZE(",
        "srm_p_value": "SRM_CHECK(",
    },
    "roi-ranking": {"initiatives_roi": "ROI("},
    "attribution": {"paths_roi": "ROI(", "paths_cvr": "CVR("},
    "mmm": {f"curves_{c}": "MMM_RESPONSE(" for c in ("tv", "search", "social", "display")},
    "kpi": {
        "roas": "ROAS(",
        "cpa": "CPA(",
        "cvr": "CVR(",
        "ltv": "LTV(",
        "allowable_cpa": "ALLOWABLE_CPA(",
        "required_cvr": "REQUIRED_CVR(",
    },
}


def test_udf_variant_calls_our_functions_native_does_not(book):
    name, _, udf, wb = book
    for key, call in UDF_CALLS[name].items():
        for c in cells_of(wb, key):
            assert (call in c.value) == udf, (key, c.value)
            assert c.value.startswith("=")


def test_every_metric_in_a_definition_exists():
    for name in NAMES:
        for block in get(name).blocks:
            calcs = [c for c in items(block) if isinstance(c, Calc)]
            if isinstance(block, Table):
                calcs = [c.calc for c in block.columns if c.calc]
            for calc in calcs:
                metric = METRICS[calc.metric]
                assert metric.params() <= set(calc.args), (name, calc.key)
                assert metric.params(udf=True) <= set(calc.args), (name, calc.key)


def test_every_kind_of_cell_has_a_look_and_every_input_kind_a_rule():
    from roi_xl.templates import model, styles

    for kind in model.INPUT_KINDS + model.RESULT_KINDS:
        assert styles.number_format(kind, "ja") and styles.number_format(kind, "en")
    for kind in model.INPUT_KINDS:
        assert styles.validation(kind, "B2", "en").formula1 or kind == "text"
    with pytest.raises(ValueError, match="'monye' is not one of money"):
        model.Input("x", model.T("x", "x"), 1, "monye")


def test_funnel_rounding_follows_the_library():
    assert "ROUNDUP(" in METRICS["funnel_stage_up"].native
    assert "1E-9" in METRICS["funnel_stage_up"].native


def test_ranking_is_an_excel_table_named_initiatives():
    wb = build("roi-ranking", "en")
    assert "initiatives" in wb.active.tables


def test_unknown_template_lists_the_names():
    with pytest.raises(UnknownTemplateError) as err:
        get("budget")
    for n in NAMES:
        assert n in str(err.value)


def test_write_is_atomic_and_leaves_no_temp_files(tmp_path):
    target = tmp_path / "roi.xlsx"
    write("roi", target, "en")
    write("roi", target, "ja")
    assert [p.name for p in tmp_path.iterdir()] == ["roi.xlsx"]
    assert re.search("ROI", openpyxl.load_workbook(target).active["A1"].value)


def test_new_file_carries_cached_values(tmp_path):
    import pandas as pd

    path = write("roi", tmp_path / "roi.xlsx", "en")
    wb = openpyxl.load_workbook(path, data_only=True)
    assert cells_of(wb, "roi")[0].value == pytest.approx(3_780_000 / 2_720_000)
    assert pd.read_excel(path, header=None).notna().any().any()
