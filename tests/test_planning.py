"""ALLOWABLE_CPA, REQUIRED_CVR and BUDGET_PACING: seed 004's chain and a month's pacing,
by hand, and their error codes."""

import numpy as np
import pytest

import roi_xl
from roi_xl.errors import ExcelError, InvalidInputError, ZeroDenominatorError
from roi_xl.metrics import allowable_cpa_checked, required_cvr_checked
from roi_xl.pacing import budget_pacing_checked


def test_seed_004_chain_ltv_to_cpa_to_cvr():
    # LTV = 1 500 × 1 × 6 = 9 000 (seed 004); at a 30 % gross margin 2 700 of profit.
    profit_ltv = roi_xl.ltv(1_500, 1, 6, 0.3)
    assert profit_ltv == pytest.approx(2_700)
    # break-even CPA = 2 700; at a 50 % target ROI: 2 700 ÷ 1.5 = 1 800
    assert roi_xl.allowable_cpa(profit_ltv) == pytest.approx(2_700)
    cpa = roi_xl.allowable_cpa(profit_ltv, 0.5)
    assert cpa == pytest.approx(1_800)
    # at 90 per click a page must convert 90 ÷ 1 800 = 5 % (seed 004's CVR)
    assert roi_xl.required_cvr(90, cpa) == pytest.approx(0.05)
    # and that CPA is what the CPA function gives back: 90 × 4 000 clicks ÷ 200 = 1 800
    assert roi_xl.cpa(90 * 4_000, 0.05 * 4_000) == pytest.approx(cpa)


def test_allowable_cpa_and_required_cvr_errors():
    c = allowable_cpa_checked([9_000, -1, 9_000, 9_000], [0, 0, -1, -2])
    assert c.value[0] == 9_000
    assert c.error.tolist() == [0, ExcelError.NUM, ExcelError.DIV0, ExcelError.NUM]
    r = required_cvr_checked([90, 90, -1, 3_000], [1_800, 0, 1_800, 1_800])
    assert r.value[3] == pytest.approx(3_000 / 1_800)  # above 1: no rate can (documented)
    assert r.error.tolist() == [0, ExcelError.DIV0, ExcelError.NUM, 0]
    with pytest.raises(ZeroDenominatorError):
        roi_xl.required_cvr(90, 0)


def test_pacing_by_hand():
    # 1 200 000 spent in 10 of 30 days: 120 000 a day → 3 600 000 at month end,
    # 3 600 000 ÷ 3 000 000 = 1.2 (20 % over); (3 000 000 − 1 200 000) ÷ 20 = 90 000 a day
    assert roi_xl.budget_pacing(3e6, 1.2e6, 10, 30, "forecast") == pytest.approx(3.6e6)
    assert roi_xl.budget_pacing(3e6, 1.2e6, 10, 30) == pytest.approx(1.2)
    assert roi_xl.budget_pacing(3e6, 1.2e6, 10, 30, "daily_remaining") == pytest.approx(90_000)
    assert roi_xl.budget_pacing_table(3e6, 1.2e6, 10, 30) == pytest.approx(
        {"forecast": 3.6e6, "pacing": 1.2, "daily_remaining": 90_000}
    )
    # Japanese measure words
    assert roi_xl.budget_pacing(3e6, 1.2e6, 10, 30, "着地見込み") == pytest.approx(3.6e6)


def test_pacing_days_outside_the_period_are_num():
    elapsed = np.array([0, -1, 31, 30, 10])
    c = budget_pacing_checked(3e6, 1.2e6, elapsed, 30, "pacing")
    assert c.error.tolist() == [ExcelError.NUM] * 3 + [0, 0]
    d = budget_pacing_checked(3e6, 1.2e6, elapsed, 30, "daily_remaining")
    assert d.error.tolist()[3] == ExcelError.DIV0  # the last day: no day left to spend on
    assert budget_pacing_checked(-1, 0, 10, 30, "pacing").error.tolist() == ExcelError.NUM
    assert budget_pacing_checked(0, 0, 10, 30, "pacing").error.tolist() == ExcelError.DIV0
    with pytest.raises(InvalidInputError) as e:
        roi_xl.budget_pacing(3e6, 1e6, 0, 30)
    assert "days_elapsed" in str(e.value) and e.value.excel_error is ExcelError.NUM
    with pytest.raises(InvalidInputError) as e:
        roi_xl.budget_pacing(3e6, 1e6, 10, 30, "speed")
    assert e.value.excel_error is ExcelError.VALUE
