"""The analytics pack as Excel functions: values, spilled tables in the user's language,
bad input as error values (never an exception), fuzzing through the UDF module, a
workbook refreshed headlessly, and ``roi-xl calc``."""

import math
import sys
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import roi_xl
from roi_xl.cli import main
from roi_xl.excel_functions import FUNCTIONS
from roi_xl.i18n import set_language

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "udfs"))

PATHS = [["search > display > email"], ["search > email"], ["display"], [None]]
CONV = [[6], [3], [1], [None]]
VALUES = [[600], [300], [100], [None]]
ANALYTICS = (
    "ATTRIBUTION",
    "AB_BAYES",
    "SRM_CHECK",
    "ALLOWABLE_CPA",
    "REQUIRED_CVR",
    "BUDGET_PACING",
)


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language(None)


def test_attribution_spills_channel_conversions_revenue_most_credited_first():
    out = FUNCTIONS["ATTRIBUTION"](PATHS, CONV, "last", VALUES)
    # last touch: email gets 6 + 3, display 1, search 0 (listed: it appears in paths)
    assert out == [["email", 9.0, 900.0], ["display", 1.0, 100.0], ["search", 0.0, 0.0]]
    # linear: path 1 gives 2 each, path 2 1.5 each, path 3 display 1
    out = FUNCTIONS["ATTRIBUTION"](PATHS, CONV)
    assert out == [["search", 3.5], ["email", 3.5], ["display", 3.0]] or out == [
        ["email", 3.5],
        ["search", 3.5],
        ["display", 3.0],
    ]
    assert [r[0] for r in out] == ["email", "search", "display"]  # tie broken by name


def test_attribution_markov_with_non_conversions_and_a_custom_separator():
    paths = [["C1|C2|C3"], ["C1"], ["C2|C3"]]
    out = FUNCTIONS["ATTRIBUTION"](paths, [[1], [0], [0]], "markov", None, "|", [[0], [1], [1]])
    # the worked example of test_attribution: 20 % / 40 % / 40 %
    assert out == [
        ["C2", pytest.approx(0.4)],
        ["C3", pytest.approx(0.4)],
        ["C1", pytest.approx(0.2)],
    ]


@pytest.mark.parametrize(
    "args, error",
    [
        ((PATHS, CONV, "shapley"), "#VALUE!"),  # unknown model
        ((PATHS, CONV[:3]), "#VALUE!"),  # ranges of different lengths
        ((PATHS, CONV, "linear", VALUES[:2]), "#VALUE!"),
        ((PATHS, [[6], [-3], [1], [0]]), "#NUM!"),  # negative conversions
        ((PATHS, CONV, "markov", None, ">", [[1], [-1], [0], [0]]), "#NUM!"),
        ((PATHS, [[6], ["many"], [1], [0]]), "#VALUE!"),  # text where a number belongs
        ((PATHS, [[6], ["#N/A"], [1], [0]]), "#N/A"),  # an error value propagates
        (([[None], [""]], [[1], [2]]), "#VALUE!"),  # no channel at all
        ((), "#VALUE!"),
    ],
)
def test_attribution_bad_input_is_an_error_value(args, error):
    assert FUNCTIONS["ATTRIBUTION"](*args) == error


def test_ab_bayes_values_table_and_errors():
    p = FUNCTIONS["AB_BAYES"](300, 10_000, 200, 10_000)
    assert p == pytest.approx(roi_xl.ab_bayes(300, 10_000, 200, 10_000))
    # a column of tests is one call, bad elements only spoil themselves
    out = FUNCTIONS["AB_BAYES"](
        [[300], [-1], [300], [20]], [[10_000], [10], [200], [10]], 200, 10_000
    )
    assert out[1] == ["#NUM!"] and out[2] == ["#NUM!"] and out[3] == ["#NUM!"]
    assert FUNCTIONS["AB_BAYES"](300, 10_000, 200, 10_000, "odds") == "#VALUE!"
    table = FUNCTIONS["AB_BAYES"](300, 10_000, 200, 10_000, "table")
    assert [r[0] for r in table] == ["P(treated better)", "Expected loss (rate)"]
    set_language("ja")
    table = FUNCTIONS["AB_BAYES"](300, 10_000, 200, 10_000, "表")
    assert [r[0] for r in table] == ["施策群が優れている確率", "期待損失(成約率)"]
    assert FUNCTIONS["AB_BAYES"](300, 10_000, 200, 10_000, "期待損失") == pytest.approx(table[1][1])


def test_srm_check_values_and_errors():
    from scipy.stats import chisquare

    assert FUNCTIONS["SRM_CHECK"]([[10_000, 10_300]]) == pytest.approx(
        chisquare([10_000, 10_300]).pvalue
    )
    assert FUNCTIONS["SRM_CHECK"]([[9_000], [1_050]], [[90], [10]]) == pytest.approx(
        chisquare([9_000, 1_050], [9_045, 1_005]).pvalue
    )
    assert FUNCTIONS["SRM_CHECK"]([[10_000, -5]]) == "#NUM!"  # negative count
    assert FUNCTIONS["SRM_CHECK"]([[10_000, 10_000]], [[1, -1]]) == "#NUM!"  # share below 0
    assert FUNCTIONS["SRM_CHECK"]([[10_000, 10_000]], [[1, 1, 1]]) == "#VALUE!"  # mismatched
    assert FUNCTIONS["SRM_CHECK"](10_000) == "#VALUE!"  # one group
    assert FUNCTIONS["SRM_CHECK"]([[0, 0]]) == "#DIV/0!"


def test_allowable_cpa_and_required_cvr_chain():
    assert FUNCTIONS["ALLOWABLE_CPA"](2_700, 0.5) == pytest.approx(1_800)
    assert FUNCTIONS["ALLOWABLE_CPA"]([[9_000], [-1]], [[0, 1]]) == [
        [9_000, 4_500],
        ["#NUM!", "#NUM!"],
    ]
    assert FUNCTIONS["ALLOWABLE_CPA"](9_000, -1) == "#DIV/0!"
    assert FUNCTIONS["REQUIRED_CVR"](90, 1_800) == pytest.approx(0.05)
    assert FUNCTIONS["REQUIRED_CVR"](90, 0) == "#DIV/0!"
    assert FUNCTIONS["REQUIRED_CVR"](-90, 1_800) == "#NUM!"


def test_budget_pacing_values_table_and_days_outside_the_period():
    assert FUNCTIONS["BUDGET_PACING"](3e6, 1.2e6, 10, 30) == pytest.approx(1.2)
    table = FUNCTIONS["BUDGET_PACING"](3e6, 1.2e6, 10, 30, "table")
    assert table == [
        ["Forecast spend", pytest.approx(3.6e6)],
        ["Pacing (forecast ÷ budget)", pytest.approx(1.2)],
        ["Budget per remaining day", pytest.approx(90_000)],
    ]
    days = [[0], [-1], [31], [30]]
    assert FUNCTIONS["BUDGET_PACING"](3e6, 1.2e6, days, 30) == [
        ["#NUM!"],
        ["#NUM!"],
        ["#NUM!"],
        [pytest.approx(0.4)],
    ]
    assert FUNCTIONS["BUDGET_PACING"](3e6, 1.2e6, 30, 30, "daily_remaining") == "#DIV/0!"
    assert FUNCTIONS["BUDGET_PACING"](3e6, -1, 10, 30) == "#NUM!"
    assert FUNCTIONS["BUDGET_PACING"](3e6, 1e6, 10, 30, "speed") == "#VALUE!"


# --- fuzz through the UDF module -------------------------------------------------------------

ERRORS = {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"}
cells = st.one_of(
    st.none(),
    st.just(""),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, -1, 0.5, 1, 2, 30, 1e308, 10_000]),
    st.text(max_size=12),
    st.sampled_from(
        sorted(ERRORS)
        + ["a > b", "a>b>a", " > ", "x|y", "markov", "last", "table", "prob_better", "1,000"]
    ),
)
ranges = st.one_of(
    cells,
    st.lists(cells, min_size=1, max_size=4),
    st.lists(st.lists(cells, min_size=1, max_size=3), min_size=1, max_size=4),
    st.lists(cells, min_size=1, max_size=5).map(lambda r: [[x] for x in r]),
)


def _is_excel_value(v):
    if isinstance(v, str):
        return True
    if isinstance(v, float):
        return math.isfinite(v)
    if isinstance(v, list):
        return all(_is_excel_value(x) for x in v)
    return False


@settings(
    max_examples=int(__import__("os").environ.get("ROI_XL_FUZZ", 300)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(name=st.sampled_from(ANALYTICS), args=st.lists(ranges, min_size=0, max_size=7))
def test_fuzz_the_udfs_never_raise(name, args):
    import logging

    import roi_udfs

    fn = FUNCTIONS[name]
    args = (args + [None] * fn.min_args)[: max(fn.min_args, min(len(args), fn.max_args))]
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    log = logging.getLogger("roi_xl.excel_functions")
    log.addHandler(handler)
    try:
        result = getattr(roi_udfs, name)(*args)
    finally:
        log.removeHandler(handler)
    assert not records, records[0].getMessage()  # every bad input is foreseen, none crashes
    assert _is_excel_value(result), result
    if isinstance(result, str) and name != "ATTRIBUTION":
        assert result in ERRORS


# --- a workbook refreshed headlessly ----------------------------------------------------------


def test_refresh_computes_attribution_in_a_workbook(tmp_path):
    from roi_xl.refresh import refresh_file

    path = tmp_path / "paths.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["path", "cv", "revenue"])
    for row in (
        ["ads > owned > email", 10, 100_000],
        ["ads > email", 5, 50_000],
        ["owned", 2, 20_000],
    ):
        ws.append(row)
    ws["E1"] = '=VLOOKUP("email",ATTRIBUTION(A2:A4,B2:B4,"last"),2,FALSE)'
    ws["E2"] = '=VLOOKUP("ads",ATTRIBUTION(A2:A4,B2:B4,"linear",C2:C4),3,FALSE)'
    ws["E3"] = '=INDEX(ATTRIBUTION(A2:A4,B2:B4,"markov"),1,1)'
    ws["E4"] = '=SUM(INDEX(ATTRIBUTION(A2:A4,B2:B4,"time_decay"),0,2))'
    ws["E5"] = "=AB_BAYES(300,10000,200,10000)"
    ws["E6"] = "=SRM_CHECK({10000,10300})"
    ws["E7"] = "=REQUIRED_CVR(90,ALLOWABLE_CPA(2700,0.5))"
    ws["E8"] = "=BUDGET_PACING(3000000,1200000,10,30)"
    ws["E9"] = '=ATTRIBUTION(A2:A4,B2:B4,"nope")'
    wb.save(path)
    report = refresh_file(path, backup=False)
    assert report.status == "refreshed"
    got = [c.value for c in openpyxl.load_workbook(path, data_only=True).active["E"]]
    assert got[0] == pytest.approx(15)  # email is the last touch of 10 + 5
    # ads: a third of path 1's 100 000 and half of path 2's 50 000
    assert got[1] == pytest.approx(100_000 / 3 + 25_000)
    # markov, all converted: ads and email carry every converting path → most credit;
    # ties broken by name
    assert got[2] == "ads"
    assert got[3] == pytest.approx(17)  # credit sums to the total
    assert got[4] == pytest.approx(roi_xl.ab_bayes(300, 10_000, 200, 10_000))
    assert got[5] == pytest.approx(roi_xl.srm_check([10_000, 10_300]))
    assert got[6] == pytest.approx(0.05)
    assert got[7] == pytest.approx(1.2)
    assert got[8] == "#VALUE!"


# --- roi-xl calc --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv, shown",
    [
        (["ATTRIBUTION", "ads>owned>email,ads>email", "10,5", "last"], "email  15"),
        (["AB_BAYES", "300", "10000", "200", "10000"], "99.9997 %"),
        (["AB_BAYES", "300", "10000", "200", "10000", "table"], "P(treated better)"),
        (["SRM_CHECK", "10000,10300"], "0.0352402"),
        (["ALLOWABLE_CPA", "2700", "0.5"], "1,800"),
        (["REQUIRED_CVR", "90", "1800"], "5.00 %"),
        (["BUDGET_PACING", "3000000", "1200000", "10", "30"], "120.00 %"),
    ],
)
def test_calc_each_function(capsys, argv, shown):
    assert main(["--lang", "en", "calc", *argv]) == 0
    assert shown in capsys.readouterr().out


def test_calc_explains_a_bad_day(capsys):
    assert main(["calc", "BUDGET_PACING", "3000000", "1200000", "0", "30"]) == 1
    err = capsys.readouterr().err
    assert "#NUM!" in err and "days_elapsed" in err
