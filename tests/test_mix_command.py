"""`roi-xl mmm`: a history file in, the summary and fit printed, a report workbook out
(summary, fit, decomposition, response, allocation, with charts); bad input is one plain
line naming what is wrong."""

from __future__ import annotations

import contextlib
import csv
import io
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from roi_xl.cli import main
from roi_xl.mix.allocate import allocate
from roi_xl.mix.fit import LiftTest, fit_mix
from roi_xl.mix.simulate import simulate

ROBYN = Path("/work/shared/data/robyn_dt_simulated_weekly.csv")
ROBYN_SPENDS = ["tv_S", "ooh_S", "print_S", "facebook_S", "search_S"]
SHEETS = {
    "en": ["Summary", "Fit", "Decomposition", "Response", "Allocation"],
    "ja": ["要約", "当てはまり", "分解", "反応曲線", "配分"],
}


def _write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def _simulated(path: Path, periods: int = 104, seed: int = 3):
    sim = simulate(seed=seed, periods=periods, channels=3)
    weeks = np.datetime64("2022-01-02") + 7 * np.arange(periods)
    header = ["week", "sales", *sim.channel_names, "promotion"]
    rows = [
        [str(weeks[t]), sim.revenue[t], *sim.spends[t], sim.controls[t, 0]] for t in range(periods)
    ]
    return sim, _write_csv(path, header, rows)


def _captured(argv: list[str]) -> tuple[int, str, str]:
    """main(argv) with its output captured (for module-scoped fixtures, without capsys)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's own errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def simulated_run(tmp_path_factory):
    """One fit of a simulated history through the command (English), shared by the tests."""
    folder = tmp_path_factory.mktemp("mmm")
    sim, history = _simulated(folder / "history.csv")
    report = folder / "report.xlsx"
    code, out, err = _captured(
        [
            "mmm",
            str(history),
            "--revenue",
            "sales",
            "--spend",
            ",".join(sim.channel_names),
            "--controls",
            "promotion",
            "--date",
            "week",
            "-o",
            str(report),
            "--lang",
            "en",
        ]
    )
    return sim, history, report, code, out, err


def test_simulated_history_prints_the_fit_of_the_library(simulated_run):
    sim, history, report, code, out, err = simulated_run
    assert code == 0, err
    fitted = fit_mix(
        sim.revenue, sim.spends, sim.channel_names, sim.controls, ["promotion"], periods_per_year=52
    )
    lines = out.splitlines()
    assert lines[0].startswith("history.csv: 104 periods (2022-01-02 to 2023-12-24)")
    assert "seasonality: 52 periods per year" in lines[0]  # from the weekly dates
    for i, name in enumerate(sim.channel_names):
        (row,) = [line for line in lines if line.split()[:1] == [name]][:1]
        words = row.split()
        assert words[1] == f"{fitted.spend[i]:,.0f}"
        assert words[2] == f"{fitted.contribution[i]:,.0f}"
        assert f"{fitted.roas[i]:,.2f}" in words  # the same deterministic fit
        assert f"{fitted.marginal_roas[i]:,.2f}" in words
    fit_line = next(line for line in lines if line.startswith("Fit: "))
    assert f"R² {fitted.r2:.3f}" in fit_line and "Periods 104" in fit_line
    if fitted.warnings:
        assert all(f"  - {w}" in lines for w in fitted.warnings)
    else:
        assert "Warnings: none" in lines
    plan = allocate(fitted.model, float(fitted.model.current_spend.sum()))
    assert f"+{plan.uplift:,.0f} per period" in out
    assert lines[-1] == f"report: {report}"


def test_a_target_is_worked_back_to_the_least_budget_and_its_range(capsys, tmp_path):
    from roi_xl.mix.allocate import budget_for_target, target_with_spread

    sim, history = _simulated(tmp_path / "history.csv")
    fitted = fit_mix(
        sim.revenue, sim.spends, sim.channel_names, sim.controls, ["promotion"], periods_per_year=52
    )
    today = allocate(fitted.model, float(fitted.model.current_spend.sum()))
    target = round(1.03 * today.expected_revenue, -2)
    args = ["mmm", str(history), "--revenue", "sales", "--spend", ",".join(sim.channel_names)]
    args += ["--controls", "promotion", "--date", "week", "--no-report", "--lang", "en"]
    code, out, err = _run(capsys, *args, "--target", str(target))
    assert code == 0, err
    plan = budget_for_target(fitted.model, target)
    plan = target_with_spread(plan, fitted.posterior.draws(), target)
    assert (
        f"Target revenue of {target:,.0f} per period (baseline included) needs at least "
        f"{plan.budget:,.0f} per period" in out
    )
    assert f"budget {plan.budget_low:,.0f} to {plan.budget_high:,.0f} per period" in out
    assert plan.budget_low <= plan.budget <= plan.budget_high
    code, out, err = _run(capsys, *args, "--target", str(100 * target))
    assert code == 0 and "No budget reaches" in out and "the most revenue per period is" in out


def test_the_report_has_its_sheets_tables_and_charts(simulated_run):
    sim, _, report, code, _, _ = simulated_run
    assert code == 0
    wb = openpyxl.load_workbook(report)
    assert wb.sheetnames == SHEETS["en"]
    summary, fit, decomposition, response, allocation = wb.worksheets
    k = len(sim.channel_names)
    # summary: the header row, then one row per channel, and the shares chart
    head = next(r for r in range(1, 20) if summary.cell(r, 1).value == "Channel")
    assert [summary.cell(head + 1 + i, 1).value for i in range(k)] == sim.channel_names
    assert summary.cell(head, 6).value == "ROAS"
    shares = [summary.cell(head + 1 + i, 5).value for i in range(k)]
    assert sum(shares) == pytest.approx(1.0)
    # fit: the measures, and a line chart of actual vs fitted
    measures = {fit.cell(r, 1).value: fit.cell(r, 2).value for r in range(1, 14)}
    assert measures["Periods"] == 104 and 0 < measures["R²"] <= 1
    # every sheet has its chart; the decomposition's is stacked, the response a line chart
    kinds = {ws.title: [type(c).__name__ for c in ws._charts] for ws in wb.worksheets}
    assert kinds == {
        "Summary": ["BarChart"],
        "Fit": ["LineChart"],
        "Decomposition": ["AreaChart", "AreaChart"],
        "Response": ["ScatterChart"],
        "Allocation": ["BarChart"],
    }
    assert all(c.grouping == "stacked" for c in decomposition._charts)
    assert len(decomposition._charts[0].series) == 1 + k  # baseline + channels
    assert len(response._charts[0].series) == k + 1  # a curve per channel + today's points
    # decomposition: baseline + channels = fitted revenue in every period
    head = next(r for r in range(1, 60) if decomposition.cell(r, 1).value == "Period")
    rows = list(decomposition.iter_rows(min_row=head + 1, max_col=4 + k, values_only=True))
    assert len(rows) == 104
    for row in rows:
        assert sum(row[3:]) == pytest.approx(row[2], rel=1e-9)
    # response: spend grids reach 2.5x today's spend, revenue rises along them
    first_grid = next(
        r for r in range(1, 80) if response.cell(r, 2).value == f"{sim.channel_names[0]} spend"
    )
    spend = [response.cell(first_grid + i, 2).value for i in range(1, 52)]
    revenue = [response.cell(first_grid + i, 3).value for i in range(1, 52)]
    assert spend[0] == 0 and np.all(np.diff(revenue) >= 0)
    today_spend = next(
        response.cell(r, 2).value
        for r in range(1, 20)
        if response.cell(r, 1).value == sim.channel_names[0]
    )
    assert spend[-1] == pytest.approx(2.5 * today_spend)
    # allocation: the recommended split spends today's budget, and gains
    head = next(r for r in range(1, 20) if allocation.cell(r, 1).value == "Channel")
    today = [allocation.cell(head + 1 + i, 2).value for i in range(k)]
    recommended = [allocation.cell(head + 1 + i, 3).value for i in range(k)]
    assert sum(recommended) == pytest.approx(sum(today), rel=1e-6)
    assert allocation.cell(head + 1 + k, 1).value == "Total"
    uplift = next(
        allocation.cell(r, 4).value
        for r in range(1, head)
        if allocation.cell(r, 1).value == "Uplift per period"
    )
    assert uplift >= 0


def test_japanese_report_and_output(tmp_path, capsys):
    sim, history = _simulated(tmp_path / "履歴.csv", periods=80, seed=5)
    out_path = tmp_path / "レポート.xlsx"
    code, out, err = _run(
        capsys,
        "mmm",
        str(history),
        "--revenue",
        "sales",
        "--spend",
        ",".join(sim.channel_names),
        "-o",
        str(out_path),
        "--lang",
        "ja",
        "--adstock",
        "delayed",
        "--saturation",
        "logistic",
    )
    assert code == 0, err
    assert "チャネル" in out and "限界ROAS" in out and "当てはまり:" in out
    assert "1 年 52 期と仮定" in out  # no --date: weekly assumed, and said so
    wb = openpyxl.load_workbook(out_path)
    assert wb.sheetnames == SHEETS["ja"]
    assert "残存効果 delayed、飽和曲線 logistic" in wb.worksheets[0].cell(2, 1).value


@pytest.fixture(scope="module")
def robyn_run(tmp_path_factory):
    if not ROBYN.exists():
        pytest.skip(f"{ROBYN} is not here")
    report = tmp_path_factory.mktemp("robyn") / "robyn.xlsx"
    code, out, err = _captured(
        [
            "mmm",
            str(ROBYN),
            "--revenue",
            "revenue",
            "--spend",
            ",".join(ROBYN_SPENDS),
            "--controls",
            "competitor_sales_B,events",
            "--date",
            "DATE",
            "-o",
            str(report),
            "--lang",
            "en",
        ]
    )
    return report, code, out, err


def test_robyn_history_with_a_text_control(robyn_run):
    report, code, out, err = robyn_run
    assert code == 0, err
    assert "208 periods (2015-11-23 to 2019-11-11)" in out
    assert "controls: competitor_sales_B, events=event1, events=event2" in out
    assert "reference 'na'" in out
    for name in ROBYN_SPENDS:
        assert any(line.startswith(name + " ") for line in out.splitlines())
    wb = openpyxl.load_workbook(report, read_only=True)
    assert wb.sheetnames == SHEETS["en"]


@pytest.mark.libreoffice
def test_libreoffice_turns_the_reports_into_pdf(robyn_run, simulated_run, tmp_path):
    from tools import libreoffice

    reports = [robyn_run[0], simulated_run[2]]
    pdfs = libreoffice.convert(reports, tmp_path, "pdf", recalculate=False)
    for pdf in pdfs:
        data = pdf.read_bytes()
        pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
        assert data.startswith(b"%PDF") and pages >= 5  # at least a page a sheet
        if shutil.which("pdftotext"):
            text = subprocess.run(
                ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
            ).stdout
            for title in ("Marketing-mix model (MMM)", "Revenue decomposed", "Response curves"):
                assert title in text


# Bad input ----------------------------------------------------------------------------------


@pytest.fixture
def small(tmp_path):
    rows = [[t + 1, 1000 + 10 * t, 50 + (t % 7), "" if t == 3 else 20 * (t % 3)] for t in range(40)]
    return _write_csv(tmp_path / "small.csv", ["week", "sales", "tv", "radio"], rows)


def _mmm(capsys, history, *extra: str) -> tuple[int, str, str]:
    return _run(capsys, "mmm", str(history), "--no-report", *extra)


def test_a_missing_column_names_the_columns_there_are(capsys, small):
    code, _, err = _mmm(capsys, small, "--revenue", "sales", "--spend", "tv,search")
    assert code == 2
    assert "no column 'search'; the columns are: week, sales, tv, radio" in err


def test_an_unreadable_file_says_so(capsys, tmp_path):
    missing = tmp_path / "nope.csv"
    code, _, err = _mmm(capsys, missing, "--revenue", "a", "--spend", "b")
    assert code == 2 and "nope.csv: no such file" in err
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip at all")
    code, _, err = _mmm(capsys, broken, "--revenue", "a", "--spend", "b")
    assert code == 2 and "broken.xlsx: not a readable .xlsx workbook" in err
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"PK\x03\x04\x00\x00junk")
    code, _, err = _mmm(capsys, binary, "--revenue", "a", "--spend", "b")
    assert code == 2 and "is not a text (CSV) file" in err
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    code, _, err = _mmm(capsys, old, "--revenue", "a", "--spend", "b")
    assert code == 2 and "save it as .xlsx or .csv" in err


def test_too_few_periods_names_the_minimum(capsys, tmp_path):
    rows = [[t + 1, 1000 + t, 10 * (t % 4)] for t in range(20)]
    history = _write_csv(tmp_path / "short.csv", ["week", "sales", "tv"], rows)
    code, _, err = _mmm(capsys, history, "--revenue", "sales", "--spend", "tv")
    assert code == 2
    assert "20 periods are too few" in err and "needs at least 26" in err


def test_a_non_numeric_cell_names_its_row_and_column(capsys, small):
    text = small.read_text().splitlines()
    cells = text[6].split(",")
    cells[2] = "lots"
    text[6] = ",".join(cells)
    small.write_text("\n".join(text) + "\n")
    code, _, err = _mmm(capsys, small, "--revenue", "sales", "--spend", "tv,radio")
    assert code == 2
    assert "tv in row 7 is 'lots', not a number" in err  # row 7 of the file (header = 1)


def test_a_blank_revenue_is_refused_a_blank_spend_is_zero(capsys, small):
    text = small.read_text().splitlines()
    cells = text[10].split(",")
    cells[1] = ""
    text[10] = ",".join(cells)
    small.write_text("\n".join(text) + "\n")
    code, _, err = _mmm(capsys, small, "--revenue", "sales", "--spend", "tv,radio")
    assert code == 2 and "sales is blank in row 11" in err


def test_a_control_of_numbers_and_labels_is_refused(capsys, small, tmp_path):
    rows = list(csv.reader(small.open()))
    rows[0].append("promo")
    for i, row in enumerate(rows[1:]):
        row.append("sale" if i == 5 else str(i % 2))
    history = _write_csv(tmp_path / "mixed.csv", rows[0], rows[1:])
    code, _, err = _mmm(
        capsys, history, "--revenue", "sales", "--spend", "tv", "--controls", "promo"
    )
    assert code == 2
    assert "control promo mixes numbers (row 2: '0') and labels (row 7: 'sale')" in err


def test_the_report_never_replaces_an_input_or_an_existing_file(capsys, small, tmp_path):
    before = small.read_bytes()
    code, _, err = _run(
        capsys, "mmm", str(small), "--revenue", "sales", "--spend", "tv", "-o", str(small)
    )
    assert code == 2 and ".xlsx" in err  # a .csv output is refused as it is
    book = tmp_path / "history.xlsx"
    wb = openpyxl.Workbook()
    for row in csv.reader(small.open()):
        wb.active.append([float(v) if v.replace(".", "").isdigit() else v for v in row])
    wb.save(book)
    kept = book.read_bytes()
    code, _, err = _run(
        capsys, "mmm", str(book), "--revenue", "sales", "--spend", "tv", "-o", str(book)
    )
    assert code == 2 and "is an input file; the report never replaces its input" in err
    assert book.read_bytes() == kept and small.read_bytes() == before
    existing = tmp_path / "old-report.xlsx"
    existing.write_bytes(b"keep me")
    code, _, err = _run(
        capsys, "mmm", str(small), "--revenue", "sales", "--spend", "tv", "-o", str(existing)
    )
    assert code == 2 and "already exists; add --force" in err
    assert existing.read_bytes() == b"keep me"


def test_xlsx_input_with_a_sheet_and_lift_tests(capsys, tmp_path):
    sim, history = _simulated(tmp_path / "h.csv", periods=104, seed=7)
    book = tmp_path / "history.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "notes"
    wb.active.append(["this sheet is not the data"])
    data = wb.create_sheet("data")
    for i, row in enumerate(csv.reader(history.open())):
        data.append(row if i == 0 else [row[0], *map(float, row[1:])])
    wb.save(book)
    lift = _write_csv(
        tmp_path / "lift.csv",
        ["channel", "first", "last", "incremental_revenue", "standard_error"],
        [[sim.channel_names[0], 53, 60, float(sim.contributions[52:60, 0].sum()), 1000.0]],
    )
    argv = ["mmm", str(book), "--revenue", "sales", "--spend", ",".join(sim.channel_names)]
    code, _, err = _run(capsys, *argv, "--no-report")
    assert code == 2 and "sheet 'notes' holds no data rows; the sheets are: notes, data" in err
    code, _, err = _run(capsys, *argv, "--sheet", "nope", "--no-report")
    assert code == 2 and "no sheet 'nope'; the sheets are: notes, data" in err
    code, out, err = _run(
        capsys, *argv, "--sheet", "data", "--date", "week", "--lift-tests", str(lift), "--no-report"
    )
    assert code == 0, err
    assert "lift tests: 1" in out
    fitted = fit_mix(
        sim.revenue,
        sim.spends,
        sim.channel_names,
        periods_per_year=52,
        lift_tests=[
            LiftTest(sim.channel_names[0], 53, 60, float(sim.contributions[52:60, 0].sum()), 1000.0)
        ],
    )
    row = next(line for line in out.splitlines() if line.startswith(sim.channel_names[0] + " "))
    assert f"{fitted.roas[0]:,.2f}" in row.split()
    bad = _write_csv(
        tmp_path / "bad-lift.csv",
        ["channel", "first", "last", "incremental_revenue", "standard_error"],
        [["radio", 1, 4, 100.0, 10.0]],
    )
    code, _, err = _run(capsys, *argv, "--sheet", "data", "--lift-tests", str(bad), "--no-report")
    assert code == 2 and "names channel 'radio'; the channels are: " in err


def test_help_teaches_with_an_example(capsys):
    code, out, _ = _run(capsys, "mmm", "--help")
    assert code == 0
    assert "roi-xl mmm robyn_dt_simulated_weekly.csv --revenue revenue" in out
    for words in ("marginal ROAS", "DECOMP.RSSD", "holdout MAPE", "decomposition", "allocation"):
        assert words in out
