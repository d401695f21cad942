"""A workbook that calls the marketing-mix functions refreshes headlessly, and an omitted
argument of any of our functions takes its default in the engine as it does in Excel."""

from __future__ import annotations

import openpyxl
import pytest
from openpyxl.worksheet.formula import ArrayFormula

from roi_xl.excel_functions import FUNCTIONS
from roi_xl.mix.simulate import simulate
from roi_xl.refresh import refresh_file


def test_mmm_and_the_functions_that_read_its_model_refresh_without_excel(tmp_path):
    sim = simulate(seed=3, periods=60, channels=2)
    path = tmp_path / "mmm.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["revenue", "TV", "search"])
    for i in range(60):
        ws.append([float(sim.revenue[i]), float(sim.spends[i, 0]), float(sim.spends[i, 1])])
    ws["H1"] = ArrayFormula("H1:Q3", '=MMM(A2:A61,B2:C61,B1:C1,,"model")')
    ws["E1"] = '=MMM_RESPONSE(H1:Q3,"TV",100000)'
    ws["E2"] = '=INDEX(MMM(A2:A61,B2:C61,B1:C1,,"summary"),2,6)'
    ws["E3"] = '=BUDGET_ALLOCATE(H1:Q3,SUM(P2:P3),,,"uplift")'
    ws["E4"] = '=BUDGET_FOR_TARGET(H1:Q3,Q2*1.1,,,"budget")'
    wb.save(path)
    report = refresh_file(path, backup=False)
    assert report.status == "refreshed" and not report.kept
    got = openpyxl.load_workbook(path, data_only=True).active

    rows = [[c.value for c in r[:3]] for r in got.iter_rows(min_row=2, max_row=61)]
    revenue, spends = [[r[0]] for r in rows], [r[1:] for r in rows]
    model = FUNCTIONS["MMM"](revenue, spends, [["TV", "search"]], None, "model")
    written = [[c.value for c in r] for r in got["H2:Q3"]]
    for ours, theirs in zip(model[1:], written):
        assert ours[:3] == theirs[:3]
        assert [float(v) for v in theirs[3:9]] == pytest.approx(ours[3:9], rel=1e-9)
    summary = FUNCTIONS["MMM"](revenue, spends, [["TV", "search"]])
    assert got["E2"].value == pytest.approx(summary[1][5], rel=1e-9)
    assert got["E1"].value == pytest.approx(FUNCTIONS["MMM_RESPONSE"](model, "TV", 100000))
    today = model[1][8] + model[2][8]
    uplift = FUNCTIONS["BUDGET_ALLOCATE"](model, today, None, None, "uplift")
    assert got["E3"].value == pytest.approx(uplift, rel=1e-6)
    budget = FUNCTIONS["BUDGET_FOR_TARGET"](model, model[1][9] * 1.1, None, None, "budget")
    assert got["E4"].value == pytest.approx(budget, rel=1e-6)


def test_an_omitted_argument_is_the_default_not_zero(tmp_path):
    path = tmp_path / "funnel.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["A2"], ws["A3"] = 0.0666, 0.4, 0.33
    # stage names omitted: the default names, not "0.0"; the budget row from cost_per_top
    ws["C1"] = ArrayFormula("C1:D5", "=BACKCALC_FUNNEL(3000000,500000,A1:A3,,200)")
    ws["F1"] = "=LIFT(30,1000,20,1000,,0.9)"  # measure omitted: "lift"
    wb.save(path)
    refresh_file(path, backup=False)
    got = openpyxl.load_workbook(path, data_only=True).active
    table = FUNCTIONS["BACKCALC_FUNNEL"](3_000_000, 500_000, [[0.0666], [0.4], [0.33]], None, 200)
    assert [[c.value for c in r] for r in got["C1:D5"]] == table
    assert got["F1"].value == pytest.approx(FUNCTIONS["LIFT"](30, 1000, 20, 1000, None, 0.9))
