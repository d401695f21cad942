"""ATTRIBUTION's library: hand-worked paths, an independent Monte-Carlo Markov chain, and
conservation of credit."""

import math
import random

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import roi_xl
from roi_xl.errors import ExcelError, InvalidInputError, UnknownOptionError
from roi_xl.multitouch import attribute, removal_effects

# Four paths, 14 conversions; the arithmetic of every model is written out below.
PATHS = [
    "search > display > email",  # 6 conversions, revenue 600
    "search > email",  # 3, 300
    "display",  # 1, 100
    "display > search > email > search",  # 4, 400
]
CONV = [6, 3, 1, 4]
VALUES = [600, 300, 100, 400]


def credit(model, **kw):
    a = attribute(PATHS, CONV, model, **kw)
    return dict(zip(a.channels, a.conversions))


def test_last_touch_by_hand():
    # email gets paths 1 and 2 (6 + 3), display path 3 (1), search path 4 (4)
    assert credit("last") == pytest.approx({"email": 9, "search": 4, "display": 1})


def test_first_touch_by_hand():
    # search starts paths 1 and 2 (6 + 3), display paths 3 and 4 (1 + 4)
    assert credit("first") == pytest.approx({"search": 9, "display": 5, "email": 0})


def test_linear_by_hand():
    # path 1: 6/3 = 2 each; path 2: 3/2 = 1.5 each; path 3: display 1;
    # path 4: 4/4 = 1 per touch, search touched twice → 2
    assert credit("linear") == pytest.approx(
        {"search": 2 + 1.5 + 2, "display": 2 + 1 + 1, "email": 2 + 1.5 + 1}
    )


def test_position_by_hand():
    # path 1 (3 touches): 40 % of 6 = 2.4 first and last, 20 % = 1.2 to the middle
    # path 2 (2 touches): 50/50 of 3; path 3 (1 touch): display 100 %
    # path 4 (4 touches): 40 % of 4 = 1.6 first (display) and last (search),
    #                     20 % of 4 shared by the two middle touches = 0.4 each
    assert credit("position") == pytest.approx(
        {
            "search": 2.4 + 1.5 + 0.4 + 1.6,
            "display": 1.2 + 1 + 1.6,
            "email": 2.4 + 1.5 + 0.4,
        }
    )


def test_time_decay_by_hand():
    # path 1: weights 1/4, 1/2, 1 (sum 7/4) → search 6·(1/4)/(7/4) = 6/7, display 12/7,
    #         email 24/7; path 2: weights 1/2, 1 → search 1, email 2; path 3: display 1;
    # path 4: display 1/8, search 1/4, email 1/2, search 1 (sum 15/8)
    #         → display 4/15, search 4·(5/4)·(8/15) = 8/3, email 16/15
    assert credit("time_decay") == pytest.approx(
        {
            "search": 6 / 7 + 1 + 8 / 3,
            "display": 12 / 7 + 1 + 4 / 15,
            "email": 24 / 7 + 2 + 16 / 15,
        }
    )


def test_values_are_credited_like_conversions():
    a = attribute(PATHS, CONV, "linear", values=VALUES)
    # every path's revenue is 100 × its conversions, so revenue credit is 100 × conversions
    assert a.values == pytest.approx(100 * a.conversions)


def test_sorted_by_credit_then_name_and_zero_credit_listed():
    a = attribute(["b > a", "c"], [1, 1], "last")
    assert a.channels == ["a", "c", "b"]  # a and c tie at 1: by name; b has 0 but is listed
    assert a.conversions.tolist() == [1, 1, 0]


def test_names_trimmed_custom_separator_and_blank_rows():
    a = attribute([" ads | mail ", "", None, "ads||mail"], [2, 0, 0, 2], "linear", separator="|")
    assert dict(zip(a.channels, a.conversions)) == {"ads": 2, "mail": 2}


# Markov ------------------------------------------------------------------------------------


def test_markov_worked_example_by_hand():
    # The textbook three-path example: C1 > C2 > C3 converts; C1 ends without; C2 > C3 ends
    # without. Transitions: start→C1 2/3 (paths 1, 2), start→C2 1/3 (path 3);
    # C1→C2 ½, C1→null ½; C2→C3 1; C3→conversion ½, C3→null ½.
    # P(conv) = (2/3·½ + 1/3)·1·½ = 1/3.
    # Without C1: 1/3 · 1 · ½ = 1/6 → RE = 1 − (1/6)/(1/3) = ½.
    # Without C2 or C3 nothing converts → RE = 1. Credit of the 1 conversion ∝ (½, 1, 1),
    # i.e. 20 % / 40 % / 40 %.
    paths = ["C1 > C2 > C3", "C1", "C2 > C3"]
    names, effects, p = removal_effects(paths, [1, 0, 0], [0, 1, 1])
    assert names == ["C1", "C2", "C3"]
    assert p == pytest.approx(1 / 3)
    assert effects == pytest.approx([1 / 2, 1, 1])
    a = attribute(paths, [1, 0, 0], "markov", non_conversions=[0, 1, 1])
    assert dict(zip(a.channels, a.conversions)) == pytest.approx({"C1": 0.2, "C2": 0.4, "C3": 0.4})


def test_markov_merges_consecutive_repeats():
    merged = attribute(["a > b", "b"], [3, 1], "markov", non_conversions=[1, 2])
    repeated = attribute(["a > a > b > b", "b > b"], [3, 1], "markov", non_conversions=[1, 2])
    assert merged.channels == repeated.channels
    assert merged.conversions == pytest.approx(repeated.conversions)


def _monte_carlo_removal_effects(paths, conv, non, walks=200_000, seed=1):
    """Estimate removal effects by simulating the chain (independent of the solver)."""
    from collections import Counter, defaultdict

    transitions = defaultdict(Counter)
    for text, c, n in zip(paths, conv, non):
        states = []
        for s in (x.strip() for x in text.split(">")):
            if not states or states[-1] != s:
                states.append(s)
        seq = ["(start)"] + states
        for x, y in zip(seq, seq[1:]):
            transitions[x][y] += c + n
        transitions[seq[-1]]["(conversion)"] += c
        transitions[seq[-1]]["(null)"] += n
    table = {
        s: (list(cnt), np.cumsum(list(cnt.values())) / sum(cnt.values()))
        for s, cnt in transitions.items()
    }
    rng = random.Random(seed)

    def walk(removed):
        state = "(start)"
        while True:
            targets, cum = table[state]
            state = targets[int(np.searchsorted(cum, rng.random(), side="right"))]
            if state == "(conversion)":
                return 1
            if state == "(null)" or state == removed:
                return 0

    channels = sorted({s for s in table if not s.startswith("(")})
    base = sum(walk(None) for _ in range(walks)) / walks
    return channels, {c: 1 - (sum(walk(c) for _ in range(walks)) / walks) / base for c in channels}


def test_markov_removal_effects_agree_with_monte_carlo():
    paths = [
        "search > display > email",
        "search",
        "display > email",
        "email > search > email",
        "social > search",
        "social",
    ]
    conv = [30, 12, 8, 5, 7, 1]
    non = [70, 300, 90, 20, 60, 200]
    names, effects, _ = removal_effects(paths, conv, non)
    mc_names, mc = _monte_carlo_removal_effects(paths, conv, non, walks=60_000)
    assert names == mc_names
    for name, effect in zip(names, effects):
        # standard error of each estimate is below 0.01 at 60 000 walks
        assert effect == pytest.approx(mc[name], abs=0.03), name


def test_markov_without_non_conversions_still_conserves():
    a = attribute(PATHS, CONV, "markov", values=VALUES)
    assert a.conversions.sum() == pytest.approx(14)
    assert a.values.sum() == pytest.approx(1400)


# Conservation -------------------------------------------------------------------------------

channel = st.sampled_from(["search", "display", "email", "social", "tv"])
path = st.lists(channel, min_size=1, max_size=6).map(" > ".join)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            path,
            st.integers(0, 1000),
            st.floats(0, 1e6, allow_nan=False),
            st.integers(0, 1000),
        ),
        min_size=1,
        max_size=12,
    ),
    model=st.sampled_from(["last", "first", "linear", "position", "time_decay", "markov"]),
)
def test_credit_always_sums_to_the_totals(rows, model):
    paths, conv, vals, non = map(list, zip(*rows))
    a = attribute(paths, conv, model, values=vals, non_conversions=non)
    assert a.conversions.sum() == pytest.approx(sum(conv), rel=1e-9, abs=1e-6)
    assert a.values.sum() == pytest.approx(sum(vals), rel=1e-9, abs=1e-3)
    assert (a.conversions >= -1e-9).all()
    assert set(a.channels) == {c.strip() for p in paths for c in p.split(">")}
    assert list(a.conversions) == sorted(a.conversions, reverse=True) or np.allclose(
        sorted(a.conversions, reverse=True), a.conversions
    )


# Bad input ----------------------------------------------------------------------------------


def test_bad_input_says_what_to_fix():
    with pytest.raises(UnknownOptionError) as e:
        attribute(PATHS, CONV, "shapley")
    assert e.value.excel_error is ExcelError.VALUE
    with pytest.raises(InvalidInputError) as e:
        attribute(PATHS, CONV[:3], "linear")
    assert e.value.excel_error is ExcelError.VALUE and "one number per path" in str(e.value)
    with pytest.raises(InvalidInputError) as e:
        attribute(PATHS, [6, -3, 1, 4], "linear")
    assert e.value.excel_error is ExcelError.NUM
    with pytest.raises(InvalidInputError) as e:
        attribute(PATHS, CONV, "markov", non_conversions=[0, 0, -1, 0])
    assert e.value.excel_error is ExcelError.NUM


def test_model_words_in_japanese():
    assert attribute(PATHS, CONV, "ラストクリック").conversions.tolist() == [9, 4, 1]


# pandas --------------------------------------------------------------------------------------


def test_dataframe_models_side_by_side():
    df = pd.DataFrame({"journey": PATHS, "cv": CONV, "revenue": VALUES})
    one = roi_xl.attribution(df, path="journey", conversions="cv", model="last", value="revenue")
    assert list(one.columns) == ["conversions", "value"]
    assert one.loc["email", "conversions"] == 9 and one.loc["email", "value"] == 900
    many = roi_xl.attribution(df, path="journey", conversions="cv", model=["first", "last"])
    assert list(many.columns) == ["first", "last"]
    assert many.index.tolist() == ["search", "display", "email"]  # by the first model
    assert many.loc["display"].tolist() == [5, 1]
    assert not math.isnan(many.to_numpy().sum())


def test_a_huge_conversion_count_ranks_without_overflow_warnings():
    """Found by the function-table fuzz: rounding credit of 1.8e299 to 9 places overflowed
    (a RuntimeWarning the fuzz test forbids); the ranking is unchanged for such values."""
    import warnings

    from roi_xl.excel_functions.table import FUNCTIONS

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = FUNCTIONS["ATTRIBUTION"](False, 1.797693134862316e299)
    assert isinstance(result, (str, list))
