"""LIFT and SAMPLE_SIZE against statsmodels and SciPy (code we did not write)."""

import math

import numpy as np
import pytest
from scipy.stats import norm
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

import roi_xl
from roi_xl.excel_functions import FUNCTIONS


def _random_cases(n=300, seed=7):
    rng = np.random.default_rng(seed)
    n1 = rng.integers(20, 200_000, n)
    n2 = rng.integers(20, 200_000, n)
    c1 = (rng.uniform(0.001, 0.999, n) * n1).astype(int)
    c2 = (rng.uniform(0.001, 0.999, n) * n2).astype(int)
    keep = (c1 + c2 > 0) & (c1 + c2 < n1 + n2)
    return c1[keep], n1[keep], c2[keep], n2[keep]


def test_z_and_p_value_equal_statsmodels_on_random_cases():
    c1, n1, c2, n2 = _random_cases()
    z = roi_xl.lift(c1, n1, c2, n2, "z")
    p = roi_xl.lift(c1, n1, c2, n2, "p_value")
    for i in range(len(c1)):
        sz, sp = proportions_ztest([c1[i], c2[i]], [n1[i], n2[i]])
        assert z[i] == pytest.approx(sz, rel=1e-9, abs=1e-9)
        assert p[i] == pytest.approx(sp, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("confidence", [0.8, 0.9, 0.95, 0.99])
def test_wald_interval_equals_statsmodels(confidence):
    c1, n1, c2, n2 = _random_cases(100, seed=int(confidence * 100))
    lo = roi_xl.lift(c1, n1, c2, n2, "ci_low", confidence)
    hi = roi_xl.lift(c1, n1, c2, n2, "ci_high", confidence)
    for i in range(len(c1)):
        slo, shi = confint_proportions_2indep(
            c1[i], n1[i], c2[i], n2[i], method="wald", compare="diff", alpha=1 - confidence
        )
        assert lo[i] == pytest.approx(slo, abs=1e-9)
        assert hi[i] == pytest.approx(shi, abs=1e-9)


def test_lift_relative_and_incremental_follow_seed_003():
    # 純増成約率 = 施策実施者の成約率 − 非実施者の成約率; アプローチ数 × 純増成約率 = 純増成約者数
    assert roi_xl.lift(300, 10_000, 200, 10_000) == pytest.approx(0.01)
    assert roi_xl.lift(300, 10_000, 200, 10_000, "relative") == pytest.approx(0.5)
    assert roi_xl.lift(300, 10_000, 200, 10_000, "incremental") == pytest.approx(100)


def test_lift_table_spills_every_measure():
    table = FUNCTIONS["LIFT"](300, 10_000, 200, 10_000, "table")
    assert len(table) == 9 and all(len(row) == 2 for row in table)
    values = [row[1] for row in table]
    assert values == list(roi_xl.lift_table(300, 10_000, 200, 10_000).values())
    assert values[6] == pytest.approx(proportions_ztest([300, 200], [10_000, 10_000])[1])


def _formula(p1, mde, alpha, power, relative):
    p2 = p1 * (1 + mde) if relative else p1 + mde
    pbar = (p1 + p2) / 2
    za, zb = norm.ppf(1 - alpha / 2), norm.ppf(power)
    n = (za * math.sqrt(2 * pbar * (1 - pbar)) + zb * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2
    return math.ceil(n / (p2 - p1) ** 2)


@pytest.mark.parametrize("seed", range(5))
def test_sample_size_equals_the_spec_formula(seed):
    rng = np.random.default_rng(seed)
    for _ in range(40):
        p1 = rng.uniform(0.01, 0.6)
        mde = rng.uniform(0.005, 0.3)
        alpha = rng.choice([0.01, 0.05, 0.1])
        power = rng.choice([0.8, 0.9])
        assert roi_xl.sample_size(p1, mde, alpha, power) == _formula(p1, mde, alpha, power, False)
        assert roi_xl.sample_size(p1, mde, alpha, power, True) == _formula(
            p1, mde, alpha, power, True
        )


def test_scalar_errors_are_typed_and_say_what_to_fix():
    with pytest.raises(roi_xl.ZeroDenominatorError, match="investment"):
        roi_xl.roi(1, 0, 0)
    with pytest.raises(roi_xl.InvalidInputError, match="must not exceed treated_size"):
        roi_xl.lift(20, 10, 1, 10)
    with pytest.raises(roi_xl.InvalidInputError, match="rate in \\(0, 1\\]"):
        roi_xl.backcalc_funnel(1e6, 1e5, [0.5, 1.5])
    with pytest.raises(roi_xl.UnknownOptionError, match="'net', 'gross'"):
        roi_xl.roi(1, 0, 1, basis="profit")
    with pytest.raises(roi_xl.InvalidInputError, match="must be a number"):
        roi_xl.roi("abc", 0, 1)


def test_array_path_marks_bad_elements_only():
    out = roi_xl.roi([10, 10, 10], [0, 0, 0], [5, 0, -1])
    assert out[0] == 1.0 and np.isnan(out[1]) and np.isnan(out[2])
    checked = roi_xl.metrics.roi_checked([10, 10, 10], [0, 0, 0], [5, 0, -1])
    assert checked.error.tolist() == [0, roi_xl.ExcelError.DIV0, roi_xl.ExcelError.NUM]


def test_a_vanishing_alpha_or_a_confidence_next_to_1_is_num_not_an_exception():
    # 1 - alpha / 2 rounds to 1.0 for alpha below ~1e-16: the quantile is infinite
    assert FUNCTIONS["SAMPLE_SIZE"](0.02, 0.01, 4e-180) == "#NUM!"
    assert FUNCTIONS["LIFT"](300, 10_000, 200, 10_000, "ci_low", 1 - 2**-53) == "#NUM!"
    with pytest.raises(roi_xl.InvalidInputError, match="not a finite number"):
        roi_xl.sample_size(0.02, 0.01, alpha=4e-180)
