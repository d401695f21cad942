"""The roi-xl command as a user types it."""

import json
from pathlib import Path

import pytest

import roi_xl

from roi_xl.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_calc_prints_the_seed_roi_as_a_percentage(capsys):
    assert run(capsys, "calc", "ROI", "10000000", "3500000", "2720000") == (0, "138.97 %\n", "")


def test_calc_json_for_scripts(capsys):
    code, out, _ = run(capsys, "calc", "roi", "10000000", "3500000", "2720000", "gross", "--json")
    data = json.loads(out)
    assert code == 0 and data["function"] == "ROI"
    assert data["result"] == pytest.approx(6_500_000 / 2_720_000)


def test_calc_funnel_takes_a_comma_separated_row_of_rates(capsys):
    code, out, _ = run(
        capsys,
        "calc",
        "BACKCALC_FUNNEL",
        "3000000",
        "500000",
        "0.0666,0.4,0.33",
        "calls,appointments,proposals,deals",
    )
    assert code == 0
    assert out.split() == ["calls", "721", "appointments", "48", "proposals", "19", "deals", "6"]


def test_calc_errors_say_which_argument_and_exit_nonzero(capsys):
    code, out, err = run(capsys, "calc", "ROI", "1", "2", "0")
    assert code == 1 and out.strip() == "#DIV/0!"
    assert "investment" in err and "greater than 0" in err
    code, _, err = run(capsys, "calc", "ROI", "1", "2", "3", "banana")
    assert code == 1 and "'net', 'gross'" in err
    code, _, err = run(capsys, "calc", "NOPE", "1")
    assert code == 2 and "ROI" in err
    code, _, err = run(capsys, "calc", "ROI", "1")
    assert code == 2 and "ROI(revenue, cost_of_sales, investment, [basis])" in err


def test_excel_setup_adds_roi_udfs_and_keeps_other_settings(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    conf = tmp_path / ".xlwings" / "xlwings.conf"
    conf.parent.mkdir()
    conf.write_text('"INTERPRETER_WIN","C:\\\\py\\\\python.exe"\n"UDF MODULES","mine"\n')
    code, out, _ = run(capsys, "excel", "setup")
    assert code == 0 and "Import Functions" in out
    # Mac and the web: the same tested route as the README's (requirements.txt + main.py)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for step in ("requirements.txt", "main.py", "from roi_udfs import *"):
        assert step in out and step in readme
    assert (
        conf.read_text() == '"INTERPRETER_WIN","C:\\\\py\\\\python.exe"\n'
        '"UDF MODULES","mine;roi_udfs"\n'
    )
    run(capsys, "excel", "setup")  # idempotent
    assert conf.read_text().count("roi_udfs") == 1


def test_help_teaches_by_example(capsys):
    with pytest.raises(SystemExit):
        main(["calc", "--help"])
    out = capsys.readouterr().out
    assert "roi-xl calc ROI 10000000 3500000 2720000" in out


def test_demo_prints_seed_results(capsys, tmp_path):
    from roi_xl.formatting import format_value

    code, out, _ = run(capsys, "--lang", "en", "demo", str(tmp_path / "demo"))
    assert code == 0
    lines = {line.strip().split("  ")[0]: line for line in out.splitlines()}
    seed_002 = roi_xl.roi(10_000_000, 3_500_000, 2_720_000)
    assert lines["seed 002: ROI, net basis"].endswith(format_value(seed_002, "percent"))
    # seed 001 with follow-up: the article's rates from 50 leads, gross basis, 2 200 000
    orders = roi_xl.funnel_forecast(50, [0.75, 0.643, 0.555, 0.40])[-1]
    followup = roi_xl.roi(orders * 5_000_000, orders * 5_000_000 * 0.5, 2_200_000, "gross")
    line = next(v for k, v in lines.items() if k.startswith("seed 001: with follow-up"))
    assert line.endswith(format_value(followup, "percent"))
    shown = f"{followup * 100:.0f} %"
    assert shown in line and f"**{shown}**" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "New files already carry the values" in out and "unchanged" in out


def test_excel_setup_on_windows_names_this_python_when_no_interpreter_is_set(tmp_path, monkeypatch):
    from roi_xl import excel_setup

    monkeypatch.setattr("sys.platform", "win32")
    conf = tmp_path / "xlwings.conf"
    _, text = excel_setup.install(conf)
    assert text.splitlines() == [
        '"UDF MODULES","roi_udfs"',
        f'"INTERPRETER_WIN","{__import__("sys").executable}"',
    ]
    conf.write_text('"INTERPRETER_WIN","C:/other/python.exe"\n')
    _, text = excel_setup.install(conf)
    assert '"INTERPRETER_WIN","C:/other/python.exe"' in text and text.count("INTERPRETER") == 1


def test_calc_takes_negative_numbers_as_arguments(capsys):
    code, out, _ = run(capsys, "calc", "ROI", "-5000", "0", "1000")
    assert (code, out) == (0, "-600.00 %\n")
    code, out, _ = run(capsys, "--lang", "en", "calc", "ROI", "5000", "-1e3", "1000", "--json")
    assert code == 0 and json.loads(out)["arguments"] == ["5000", "-1e3", "1000"]
    assert json.loads(out)["result"] == roi_xl.roi(5000, -1000, 1000)
    with pytest.raises(SystemExit):  # a misspelt option is still an error
        main(["calc", "ROI", "1", "2", "3", "--jsn"])


def test_calc_shows_values_by_magnitude_as_the_readme_does(capsys):
    code, out, _ = run(capsys, "calc", "FUNNEL_FORECAST", "50", "0.5,0.3,0.667,0.3", "5000000")
    expected = roi_xl.funnel_forecast(50, [0.5, 0.3, 0.667, 0.3])
    shown = [line.split()[-1] for line in out.splitlines()]
    assert code == 0 and shown[2:5] == ["7.5", "5.0025", "1.50075"]
    assert [float(s.replace(",", "")) for s in shown[:-1]] == pytest.approx(expected)
    assert shown[-1] == "7,503,750"


@pytest.mark.parametrize(
    "argv",
    [
        ["FUNNEL_FORECAST", "1e308", "1", "1e308"],  # the revenue overflows
        ["BACKCALC_FUNNEL", "3000000", "0", "0.5"],  # unit price 0: the whole table fails
        ["BACKCALC_FUNNEL", "3000000", "500000", "0.5,0"],  # one bad rate
        ["LIFT", "5", "0", "1", "10", "table"],
        ["LTV", "1e200", "1e200", "1e200"],
    ],
)
def test_calc_any_error_value_exits_1_with_the_reason_and_no_warning(capsys, argv):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        code, out, err = run(capsys, "calc", *argv)
    assert code == 1 and "#" in out
    assert err.startswith(f"roi-xl calc: {argv[0]} gives #") and "Warning" not in err
    assert "nan" not in err  # the reason names an argument or the overflow, not a NaN


def test_calc_reason_names_the_argument_of_a_table_function(capsys):
    _, _, err = run(capsys, "calc", "BACKCALC_FUNNEL", "3000000", "500000", "0.5,1.5")
    assert "rates=1.5 is not allowed" in err and "(0, 1]" in err
    _, _, err = run(capsys, "calc", "FUNNEL_FORECAST", "50", "0.5", "-1")
    assert "unit_price=-1.0 is not allowed" in err
    _, _, err = run(capsys, "calc", "ROI", "abc", "0", "1")
    assert "revenue is text that is not a number" in err
