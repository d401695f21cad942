"""The Excel function table as xlwings hands it values: scalars, flat lists (a row),
nested lists (a 2-D range), NumPy arrays, blanks, text, booleans and error values."""

import datetime as dt
import logging
import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import roi_xl
from roi_xl.excel_functions import FUNCTIONS

ERRORS = {"#DIV/0!", "#NUM!", "#VALUE!", "#N/A", "#NAME?", "#REF!", "#NULL!"}
ROI = FUNCTIONS["ROI"]


def test_column_range_stays_a_column_and_one_call_covers_it():
    revenue = [[10e6], [9e6], [1e6]]
    out = ROI(revenue, [[3.5e6], [2.4e6], [0]], [[2.72e6], [3e6], [0]])
    assert len(out) == 3 and all(len(r) == 1 for r in out)
    assert out[0][0] == pytest.approx(roi_xl.roi(10e6, 3.5e6, 2.72e6))
    assert out[2][0] == "#DIV/0!"


def test_scalar_broadcasts_over_a_range_and_row_by_column_gives_a_table():
    assert ROI([[10], [20]], 0, 5) == [[1.0], [3.0]]
    table = ROI([[10], [20]], 0, [[5, 10]])
    assert table == [[1.0, 0.0], [3.0, 1.0]]


def test_flat_list_is_a_row_and_comes_back_flat():
    assert ROI([10, 20], [0, 0], [5, 5]) == [1.0, 3.0]


def test_numpy_arrays_in_any_dimension():
    assert ROI(np.array(10.0), 0, 5) == 1.0
    assert ROI(np.array([10.0, 20.0]), 0, 5) == [1.0, 3.0]
    assert ROI(np.array([[10.0], [20.0]]), np.zeros((2, 1)), 5) == [[1.0], [3.0]]


def test_mismatched_ranges_pad_with_na_like_excel():
    out = ROI([[10], [20], [30]], 0, [[5], [5]])
    assert out == [[1.0], [3.0], ["#N/A"]]


def test_blank_is_zero_text_is_value_error_errors_propagate():
    assert ROI(10, None, 5) == 1.0
    assert ROI(10, "", 5) == 1.0
    assert ROI(10, "abc", 5) == "#VALUE!"
    assert ROI(10, "#N/A", 5) == "#N/A"
    assert ROI("#REF!", "#N/A", 5) == "#REF!"  # the leftmost error wins, as in Excel
    assert ROI(10, -2146826281, 5) == "#DIV/0!"  # a COM error integer
    assert ROI(10, {"type": "Error", "basicValue": "#NUM!"}, 5) == "#NUM!"  # Office.js object
    assert ROI([[10], ["#N/A"], [10]], 0, 5) == [[1.0], ["#N/A"], [1.0]]


def test_numeric_text_is_read_as_excel_arithmetic_reads_it():
    assert FUNCTIONS["CPA"]("¥100,000", "125") == 800.0
    assert FUNCTIONS["CPA"]("１００，０００", "１２５") == 800.0  # full-width digits
    assert FUNCTIONS["CVR"]("200", "4,000") == 0.05
    assert FUNCTIONS["LTV"](1500, 1, 6, "50%") == 4500.0
    assert FUNCTIONS["CPA"](True, 1) == 1.0


def test_other_number_types_and_numpy_scalars():
    from decimal import Decimal
    from fractions import Fraction

    assert FUNCTIONS["CPA"](Decimal("100000"), Fraction(125)) == 800.0
    assert FUNCTIONS["CPA"](np.float32(100000), np.int64(125)) == 800.0
    assert FUNCTIONS["CPA"](Decimal("NaN"), 1) == "#NUM!"
    assert FUNCTIONS["CPA"](object(), 1) == "#VALUE!"


def test_dates_are_serial_numbers():
    assert FUNCTIONS["CPA"](dt.date(2026, 1, 1), 1) == 46023.0  # Excel serial


def test_options_accept_case_and_japanese_and_reject_unknown_words():
    assert ROI(10, 0, 5, "GROSS") == 2.0
    assert ROI(10, 0, 5, "粗利") == 2.0
    assert ROI(10, 0, 5, [["net"]]) == 1.0
    assert ROI(10, 0, 5, None) == 1.0
    assert ROI(10, 0, 5, "profit") == "#VALUE!"
    assert (
        FUNCTIONS["BACKCALC_FUNNEL"](3e6, 5e5, [0.0666, 0.4, 0.33], None, None, "maybe")
        == "#VALUE!"
    )


def test_domain_errors_per_element():
    cvr = FUNCTIONS["CVR"]
    assert cvr([[1], [5], [-1], [1]], [[2], [4], [4], [0]]) == [
        [0.5],
        ["#NUM!"],
        ["#NUM!"],
        ["#DIV/0!"],
    ]
    assert FUNCTIONS["LIFT"](5, 0, 1, 10) == "#DIV/0!"
    assert FUNCTIONS["LIFT"](5, 10, 0, 10, "relative") == "#DIV/0!"
    assert FUNCTIONS["SAMPLE_SIZE"](0.1, 0) == "#DIV/0!"
    assert FUNCTIONS["SAMPLE_SIZE"](1.5, 0.1) == "#NUM!"


def test_funnel_bad_rate_spoils_only_the_stages_above_it():
    table = FUNCTIONS["BACKCALC_FUNNEL"](3e6, 5e5, [[0.0666], [0], [0.33]])
    assert [r[1] for r in table] == ["#NUM!", "#NUM!", 19.0, 6.0]
    table = FUNCTIONS["FUNNEL_FORECAST"](50, [0.5, "x", 0.3])
    assert table == "#VALUE!"


def test_stage_names_and_language(monkeypatch):
    roi_xl.set_language("ja")
    try:
        table = FUNCTIONS["BACKCALC_FUNNEL"](3e6, 5e5, [0.0666, 0.4, 0.33], None, 100)
        assert (
            table[0][0] == "ファネル入口" and table[-2][0] == "受注" and table[-1][0] == "必要予算"
        )
        named = FUNCTIONS["BACKCALC_FUNNEL"](
            3e6, 5e5, [0.0666, 0.4, 0.33], [["架電", None, "提案"]]
        )
        assert [r[0] for r in named] == ["架電", "ステージ2", "提案", "受注"]
    finally:
        roi_xl.set_language("en")
    assert FUNCTIONS["BACKCALC_FUNNEL"](3e6, 5e5, [0.0666, 0.4, 0.33])[0][0] == "Top of funnel"


def test_too_many_arguments_is_a_value_error_not_an_exception():
    assert ROI(1, 2, 3, "net", 5) == "#VALUE!"


def test_one_python_call_for_a_hundred_thousand_rows():
    rng = np.random.default_rng(0)
    n = 100_000
    r = rng.uniform(0, 1e7, (n, 1))
    c = rng.uniform(0, 1e6, (n, 1))
    i = rng.uniform(-1e5, 1e6, (n, 1))
    i[::1000] = 0
    out = ROI(r.tolist(), c.tolist(), i.tolist())
    assert len(out) == n
    with np.errstate(divide="ignore"):
        expected = (r - c - i) / i
    for k in range(0, n, 997):
        got = out[k][0]
        if i[k, 0] == 0:
            assert got == "#DIV/0!"
        elif i[k, 0] < 0:
            assert got == "#NUM!"
        else:
            assert got == pytest.approx(expected[k, 0])


# --- fuzz: every function, every kind of cell, never raises -------------------------------

cells = st.one_of(
    st.none(),
    st.just(""),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 0.0, -1, 1e308, -1e308, 5e-324, 0.5, 1, 1.0000001]),
    st.text(max_size=8),
    st.sampled_from(
        sorted(ERRORS) + ["1,000", "15%", "¥500", "net", "gross", "table", "ceil", "none"]
    ),
    st.sampled_from([-2146826281, -2146826246]),
    st.dates(),
)
rows = st.lists(cells, min_size=1, max_size=4)
ranges = st.one_of(
    cells,
    rows,  # a flat list
    st.lists(st.lists(cells, min_size=1, max_size=3), min_size=1, max_size=3),  # ragged ok
    rows.map(
        lambda r: np.array(
            [x for x in r if isinstance(x, (int, float)) and not isinstance(x, bool)] or [0.0],
            dtype=float,
        )
    ),
    rows.map(lambda r: [[x] for x in r]),  # a column
)


def _is_excel_value(v):
    if isinstance(v, str):
        return True  # error texts and stage labels
    if isinstance(v, float):
        return math.isfinite(v)
    if isinstance(v, list):
        return all(_is_excel_value(x) for x in v)
    return False


@settings(
    max_examples=int(__import__("os").environ.get("ROI_XL_FUZZ", 150)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(name=st.sampled_from(sorted(FUNCTIONS)), args=st.lists(ranges, min_size=0, max_size=7))
def test_fuzz_every_function_returns_numbers_or_error_values(name, args):
    import roi_udfs

    fn = FUNCTIONS[name]
    failures = []
    handler = logging.Handler()
    handler.emit = failures.append  # a kernel that raised (not a typed error) is logged
    logging.getLogger("roi_xl.excel_functions").addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = fn(*args)  # the table takes any number of arguments (too many: #VALUE!)
    finally:
        logging.getLogger("roi_xl.excel_functions").removeHandler(handler)
    assert _is_excel_value(result), result
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)], caught
    assert not failures, failures[0].exc_info
    # the UDF as Excel calls it: required arguments present, optional ones maybe not
    args = (args + [None] * fn.min_args)[: max(fn.min_args, min(len(args), fn.max_args))]
    result = getattr(roi_udfs, name)(*args)
    assert _is_excel_value(result), result
    if isinstance(result, str) and name not in ("BACKCALC_FUNNEL", "FUNNEL_FORECAST", "LIFT"):
        assert result in ERRORS


def _draws_table() -> list[list]:
    """MMM's "draws" of a small two-channel history (fitted once per process: cached)."""
    t = np.arange(60)
    spend = np.column_stack([100.0 * (t % 3), 80.0 * ((t + 1) % 4)])
    revenue = 1000 + 2 * spend[:, 0] + 1.5 * spend[:, 1] + 20 * np.sin(t)
    return FUNCTIONS["MMM"](
        [[float(v)] for v in revenue], spend.tolist(), [["a", "b"]], None, "draws"
    )


@settings(
    max_examples=int(__import__("os").environ.get("ROI_XL_FUZZ", 150)) // 3,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    spoilt=st.lists(
        st.tuples(st.integers(0, 10**6), st.integers(0, 10), cells), min_size=0, max_size=3
    ),
    # often an amount the plan can meet: a budget of 109-437 a period, a target of 1 100-1 755
    amount=st.one_of(cells, st.floats(110, 430), st.floats(1050, 1750)),
    bounds=st.one_of(st.just([]), st.just([]), st.lists(ranges, max_size=2)),
    name=st.sampled_from(["BUDGET_ALLOCATE", "BUDGET_FOR_TARGET"]),
)
def test_fuzz_the_range_of_a_plan_over_spoilt_draws(spoilt, amount, bounds, name):
    """The "range" measures read MMM's draws table: with cells of it spoilt (blanks, text,
    errors, huge or negative numbers) and any amount or bounds, a number or an error value,
    never a raise."""
    table = [list(row) for row in _draws_table()]
    for r, c, v in spoilt:
        table[r % len(table)][c] = v
    failures = []
    handler = logging.Handler()
    handler.emit = failures.append
    logging.getLogger("roi_xl.excel_functions").addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = FUNCTIONS[name](table, amount, *(bounds + [None] * 2)[:2], "range")
    finally:
        logging.getLogger("roi_xl.excel_functions").removeHandler(handler)
    assert _is_excel_value(result), result
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)], caught
    assert not failures, failures[0].exc_info


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=3, max_size=3))
def test_fuzz_numeric_results_match_the_library(values):
    r, c, i = values
    got = ROI(r, c, i)
    with np.errstate(all="ignore"):
        ok = all(math.isfinite(v) for v in values) and i > 0 and math.isfinite((r - c - i) / i)
    if ok:
        assert got == pytest.approx(roi_xl.roi(r, c, i))
    else:
        assert got in ERRORS


def test_rates_are_one_row_or_one_column_never_a_block():
    backcalc, forecast = FUNCTIONS["BACKCALC_FUNNEL"], FUNCTIONS["FUNNEL_FORECAST"]
    assert backcalc(3e6, 5e5, [[0.0666, 0.4], [0.33, 0.5]]) == "#VALUE!"
    assert forecast(50, [[0.5, 0.3], [0.667, 0.3]]) == "#VALUE!"
    row = backcalc(3e6, 5e5, [[0.0666, 0.4, 0.33]])
    column = backcalc(3e6, 5e5, [[0.0666], [0.4], [0.33]])
    assert row == column
    assert [r[1] for r in row] == roi_xl.backcalc_funnel(3e6, 5e5, [0.0666, 0.4, 0.33]).tolist()
