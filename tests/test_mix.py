"""The marketing mix (SPEC §3c): the forward model by hand, recovery of a known truth, the
allocator against brute force, lift-test calibration, bad input and the fit cache."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mix_recovery import FORMS, run
from roi_xl.excel_functions import FUNCTIONS
from roi_xl.mix.adstock import carryover
from roi_xl.mix.allocate import allocate, budget_for_target, target_with_spread, with_spread
from roi_xl.mix.fit import SPREAD_DRAWS, LiftTest, fit_mix
from roi_xl.mix.model import ChannelCurve, MixModel
from roi_xl.mix.saturation import saturation
from roi_xl.mix.simulate import simulate

# --- the forward model, written out ---------------------------------------------------------


def test_geometric_carryover_and_hill_saturation_by_hand():
    spend = np.array([100.0, 0.0, 200.0, 0.0, 0.0])
    # a_t = s_t + 0.5 a_(t-1)
    a = [100.0, 50.0, 225.0, 112.5, 56.25]
    assert carryover(spend, "geometric", 0.5).tolist() == a
    # hill, half 100, shape 2: a² / (a² + 100²)
    expected = [x * x / (x * x + 10_000) for x in a]
    assert saturation(np.array(a), "hill", 100, 2) == pytest.approx(expected, rel=1e-15)
    assert expected[:2] == [0.5, 0.2]
    # logistic read by its half point: 0.5 at x = half
    assert saturation(np.array([100.0]), "logistic", 100)[0] == pytest.approx(0.5)


def test_delayed_carryover_peaks_after_the_spend():
    # w_l = 0.5^((l - 1)²): 0.5, 1, 0.5, 0.0625, ...
    a = carryover(np.array([100.0, 0, 0, 0, 0]), "delayed", 0.5, 1)
    assert a.tolist() == pytest.approx([50.0, 100.0, 50.0, 6.25, 100 * 0.5**9])
    assert int(np.argmax(a)) == 1


def test_steady_state_response_and_marginal_roas_by_hand():
    # steady spend 100, decay 0.5: carried-over 200 = half, so half the largest effect
    tv = ChannelCurve("TV", "geometric", "hill", 1000, 0.5, 0, 200, 1, current_spend=100)
    assert float(tv.response(100)) == 500.0
    # d/ds beta·(2s)/(2s + 200) at s = 100: 1000 · 2 · 200 / 400² = 2.5
    assert float(tv.marginal_roas(100)) == pytest.approx(2.5)
    eps = 1e-3
    assert float(tv.marginal_roas(100)) == pytest.approx(
        float(tv.response(100 + eps) - tv.response(100 - eps)) / (2 * eps), rel=1e-6
    )


def test_decomposition_sums_to_the_fitted_revenue_in_every_period():
    sim = simulate(seed=4, periods=156, channels=4)
    fit = fit_mix(sim.revenue, sim.spends, sim.channel_names, sim.controls)
    assert fit.baseline + fit.contributions.sum(axis=1) == pytest.approx(fit.fitted, rel=1e-12)
    rows = FUNCTIONS["MMM"](
        sim.revenue.reshape(-1, 1).tolist(),
        sim.spends.tolist(),
        [sim.channel_names],
        sim.controls.tolist(),
        "decomposition",
    )
    assert len(rows) == 157 and rows[0][2:] == sim.channel_names
    fitted = np.array([sum(r[1:]) for r in rows[1:]])
    assert fitted == pytest.approx(fit.fitted, rel=1e-9)


def test_the_fit_is_deterministic():
    sim = simulate(seed=5, periods=104, channels=3)
    a = fit_mix(sim.revenue, sim.spends)
    b = fit_mix(sim.revenue.copy(), sim.spends.copy())
    assert a.roas.tolist() == b.roas.tolist()
    assert a.model == b.model


# --- recovery of a known truth ----------------------------------------------------------------


@pytest.mark.parametrize("forms", FORMS, ids=lambda f: "+".join(f))
def test_recovery_of_a_known_truth_with_the_generating_forms(forms):
    """27 histories per pair of forms (2-8 channels, 104-260 periods, noise 5-15 %).

    Measured (README "How well the model finds a known truth"): ROAS within ±15 % for
    76-81 % of channels with ≥ 5 % of the effect (the oracle, given the true curves: 85-92 %),
    shares within 3 points for 80-82 % (the oracle's: 90-95 %), intervals holding the truth
    88-96 %. The bars below are those measurements less a margin, so a regression fails;
    the issue's bars (every channel within ±15 %, every share within 3 points) are not met,
    and the oracle columns show they are the noise's limit for part of the cases.
    """
    o = run(forms)
    err = np.abs(o.roas_error)
    shares = np.abs(o.share_error)
    assert np.mean(o.covered) >= 0.80
    assert np.mean(err <= 0.15) >= 0.72
    assert np.median(err) <= 0.10
    assert np.mean(shares <= 0.03) >= 0.77
    assert np.mean(shares <= 0.03) <= np.mean(np.abs(o.oracle_share_error) <= 0.03)
    assert np.mean(err <= 0.15) <= np.mean(np.abs(o.oracle_error) <= 0.15) + 0.05


@pytest.mark.parametrize("forms", FORMS, ids=lambda f: "+".join(f))
def test_the_refinement_jacobian_is_exact(forms):
    """The refinement's Jacobian (data, priors: the half prior follows the decay, the
    decay's Beta prior) against central differences, away from the grid point."""
    from roi_xl.mix import fit as F
    from roi_xl.mix.baseline import baseline_design

    sim = simulate(seed=3, periods=104, channels=3, adstock=forms[0], saturation_form=forms[1])
    y, s = sim.revenue, sim.spends
    p = F._Problem(
        y / y.mean(),
        y.mean(),
        s,
        s.mean(axis=0),
        baseline_design(104, 52, sim.controls),
        forms[0],
        forms[1],
        [(1, 10, 30, 1e6, 1e5)],
    )
    curves = F._search(p)
    centres = np.array([F._prior_centre(p, c, curves.decay[c], curves.peak[c]) for c in range(3)])
    obj = F._Objective(p, curves.peak, centres, 0.05, slice(0, 104))
    theta = F._start(p, curves)
    lay = obj.layout
    theta[lay.p0 + 3 : lay.p0 + 6] = [0.2, 0.55, 0.8]  # decays off the grid
    j = obj.jacobian(theta)
    eps = 1e-6
    numeric = np.column_stack(
        [
            (obj.residuals(theta + eps * e) - obj.residuals(theta - eps * e)) / (2 * eps)
            for e in np.eye(theta.size)
        ]
    )
    assert np.abs(j - numeric).max() <= 1e-6 * np.abs(j).max()


# --- the allocator against brute force ---------------------------------------------------------


def _brute_force(model: MixModel, budget: float, lo: np.ndarray, hi: np.ndarray) -> float:
    """The most incremental revenue on a grid of splits (2 or 3 channels)."""
    grids = [np.linspace(a, b, 401 if len(lo) == 2 else 161) for a, b in zip(lo, hi)]
    c = model.channels
    if len(lo) == 2:
        x = grids[0]
        y = budget - x
        ok = (y >= lo[1]) & (y <= hi[1])
        return float(np.max((c[0].response(x) + c[1].response(y))[ok]))
    x, y = np.meshgrid(grids[0], grids[1])
    z = budget - x - y
    ok = (z >= lo[2]) & (z <= hi[2])
    r = c[0].response(x) + c[1].response(y) + c[2].response(np.clip(z, 0, None))
    return float(np.max(r[ok]))


@pytest.mark.parametrize("seed,k", [(50, 2), (51, 2), (52, 3), (53, 3), (54, 3)])
def test_allocation_against_the_truth_and_brute_force(seed, k):
    sim = simulate(seed=seed, periods=208, channels=k, noise=0.05)
    truth = sim.truth
    budget = float(truth.current_spend.sum())
    lo, hi = 0.5 * truth.current_spend, 2.0 * truth.current_spend
    best = _brute_force(truth, budget, lo, hi)
    # on the true model the allocator finds the optimum the grid finds (or better)
    plan = allocate(truth, budget, lo, hi)
    assert plan.recommended.sum() == pytest.approx(budget, rel=1e-9)
    assert truth.responses(plan.recommended).sum() >= best * (1 - 1e-6)
    free = ~plan.at_bound
    if free.sum() >= 2:  # equal marginal ROAS across the channels off their bounds
        m = plan.marginal_roas[free]
        assert m.max() - m.min() <= 1e-4 * m.mean()
    # the plan from the fitted model, judged by the truth: within 1 % of the best revenue
    fit = fit_mix(sim.revenue, sim.spends, sim.channel_names, sim.controls)
    fitted_plan = allocate(fit.model, budget, lo, hi)
    revenue = truth.baseline + truth.responses(fitted_plan.recommended).sum()
    assert revenue >= 0.99 * (truth.baseline + best)


@pytest.mark.parametrize("seed,k", [(60, 2), (61, 3), (62, 3)])
def test_budget_for_target_is_the_least_budget(seed, k):
    sim = simulate(seed=seed, periods=208, channels=k, noise=0.05)
    truth = sim.truth
    lo, hi = 0.25 * truth.current_spend, 3.0 * truth.current_spend
    target = truth.baseline + truth.responses(truth.current_spend).sum() * 1.05
    plan = budget_for_target(truth, target, lo, hi)
    assert plan.expected_revenue == pytest.approx(target, rel=1e-6)
    # brute force: the least budget whose best split (grid) reaches the target
    low, high = lo.sum(), hi.sum()
    for _ in range(40):
        mid = 0.5 * (low + high)
        if truth.baseline + _brute_force(truth, mid, lo, hi) >= target:
            high = mid
        else:
            low = mid
    assert plan.budget == pytest.approx(high, rel=0.002)
    # from the fitted model (same media increment): measured 0.94-1.06 of the true budget on
    # seeds 60-65 (README); the fitted curves, not the search, set this error
    fit = fit_mix(sim.revenue, sim.spends, sim.channel_names, sim.controls)
    fitted_target = fit.model.baseline - truth.baseline + target
    fitted_plan = budget_for_target(fit.model, fitted_target, lo, hi)
    assert fitted_plan.budget == pytest.approx(plan.budget, rel=0.10)


def test_budget_for_target_out_of_reach_names_the_most_reachable():
    model = MixModel(
        (ChannelCurve("a", "geometric", "hill", 1000, 0, 0, 100, 1, current_spend=100),),
        baseline=5000,
    )
    result = FUNCTIONS["BUDGET_FOR_TARGET"].evaluate(
        [["a", "geometric", "hill", 1000, 0, 0, 100, 1, 100, 5000]], 9000
    )
    assert result.value == "#NUM!"
    most = 5000 + float(model.channels[0].response(200))
    assert f"{most:,.0f}" in result.reason("BUDGET_FOR_TARGET")


# --- calibration with a lift test --------------------------------------------------------------


def test_a_lift_test_pins_down_a_channel_that_moves_with_another():
    sim = simulate(seed=7, periods=156, channels=3, noise=0.08)
    spends = sim.spends.copy()
    rng = np.random.default_rng(7)
    spends[:, 1] = spends[:, 0] * rng.uniform(0.9, 1.1, spends.shape[0])  # search follows TV
    # re-simulate revenue with the truth on these spends
    truth = sim.truth
    contrib = np.column_stack(
        [
            c.beta
            * saturation(carryover(spends[:, i], c.adstock, c.decay), c.saturation, c.half, c.shape)
            for i, c in enumerate(truth.channels)
        ]
    )
    revenue = sim.baseline + contrib.sum(axis=1) + rng.normal(0, 0.08 * sim.revenue.mean(), 156)
    true_roas = contrib.sum(axis=0) / spends.sum(axis=0)

    plain = fit_mix(revenue, spends, sim.channel_names, sim.controls)
    assert any("move together" in w for w in plain.warnings)
    # a geo test on search over weeks 100-125 measured its increment with a 5 % error
    measured = contrib[99:125, 1].sum()
    test = LiftTest("search", 100, 125, measured, 0.05 * measured)
    calibrated = fit_mix(revenue, spends, sim.channel_names, sim.controls, lift_tests=[test])
    err_plain = np.abs(plain.roas[:2] / true_roas[:2] - 1)
    err_cal = np.abs(calibrated.roas[:2] / true_roas[:2] - 1)
    assert err_cal.max() <= 0.15
    assert err_cal.max() < err_plain.max()
    # the interval narrows where the test measured
    width = lambda f: f.roas_high[1] - f.roas_low[1]  # noqa: E731
    assert width(calibrated) < width(plain)


# --- bad input (SPEC §3c), through the Excel functions ------------------------------------------


def _history(n=60, k=2, seed=3):
    sim = simulate(seed=seed, periods=n, channels=k)
    return sim.revenue.reshape(-1, 1).tolist(), sim.spends.tolist()


def test_too_few_periods_is_value_naming_the_minimum():
    revenue, spends = _history()
    r = FUNCTIONS["MMM"].evaluate(revenue[:20], spends[:20])
    assert r.value == "#VALUE!"
    assert "at least 26" in r.reason("MMM")
    r = FUNCTIONS["MMM"].evaluate(revenue[:8], spends[:8], None, None, "summary", *[None] * 4, 0)
    assert r.value == "#VALUE!" and "at least 11" in r.reason("MMM")


def test_negative_spend_or_revenue_is_num_and_blank_revenue_is_value():
    revenue, spends = _history()
    spends[5][1] = -1
    r = FUNCTIONS["MMM"].evaluate(revenue, spends)
    assert r.value == "#NUM!" and "period 6" in r.reason("MMM")
    revenue, spends = _history()
    revenue[3][0] = -5
    assert FUNCTIONS["MMM"](revenue, spends) == "#NUM!"
    revenue, spends = _history()
    revenue[3][0] = None
    r = FUNCTIONS["MMM"].evaluate(revenue, spends)
    assert r.value == "#VALUE!" and "row 4" in r.reason("MMM")
    revenue, spends = _history()
    spends[3][0] = None  # a blank spend is 0
    assert isinstance(FUNCTIONS["MMM"](revenue, spends), list)


def test_a_hand_edited_model_outside_its_bounds_is_num():
    row = ["TV", "geometric", "hill", 1000, 0.5, 0, 200, 1, 100, 5000]
    assert FUNCTIONS["MMM_RESPONSE"]([row], "TV", 100) == 500.0
    for j, bad in ((4, 0.99), (4, -0.1), (6, 0), (6, -5), (3, -1), (7, 0)):
        edited = list(row)
        edited[j] = bad
        assert FUNCTIONS["MMM_RESPONSE"]([edited], "TV", 100) == "#NUM!", (j, bad)
    edited = list(row)
    edited[2] = "cubic"
    assert FUNCTIONS["MMM_RESPONSE"]([edited], "TV", 100) == "#VALUE!"
    assert FUNCTIONS["MMM_RESPONSE"]([row], "radio", 100) == "#N/A"
    assert FUNCTIONS["MMM_RESPONSE"]([row], "TV", [[-1], [100]]) == [["#NUM!"], [500.0]]


def test_a_channel_that_never_varies_is_fitted_and_flagged():
    revenue, spends = _history(n=104, k=3)
    for row in spends:
        row[2] = 50_000.0
    rows = FUNCTIONS["MMM"](revenue, spends, [["TV", "search", "flat"]], None, "fit")
    warnings = [r[1] for r in rows if isinstance(r[1], str) and r[1]]
    assert any("flat: spend never varies" in w for w in warnings)
    summary = FUNCTIONS["MMM"](revenue, spends, [["TV", "search", "flat"]])
    low, high = summary[3][8], summary[3][9]
    assert high - low > summary[3][5] or summary[3][5] == 0  # its interval says how unsure


# --- one fit per set of ranges -------------------------------------------------------------------


def test_mmm_fits_once_for_its_four_measures(monkeypatch):
    import roi_xl.mix.fit as fit_module

    calls = []
    real = fit_module.fit_mix

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(fit_module, "fit_mix", counting)
    revenue, spends = _history(n=80, k=2, seed=11)
    tables = {
        m: FUNCTIONS["MMM"](revenue, spends, [["a", "b"]], None, m)
        for m in ("summary", "model", "fit", "decomposition")
    }
    assert len(calls) == 1
    model = tables["model"]
    # the three others read the model table without fitting
    today = sum(r[8] for r in model[1:])
    FUNCTIONS["BUDGET_ALLOCATE"](model, today)
    FUNCTIONS["BUDGET_FOR_TARGET"](model, model[1][9] * 1.01)
    FUNCTIONS["MMM_RESPONSE"](model, "a", [[0], [today]])
    assert len(calls) == 1
    # the summary's marginal ROAS is the model's at today's spend
    m = FUNCTIONS["MMM_RESPONSE"](model, "a", model[1][8] + 0.5)
    m0 = FUNCTIONS["MMM_RESPONSE"](model, "a", model[1][8] - 0.5)
    assert tables["summary"][1][7] == pytest.approx(m - m0, rel=1e-4)


def test_allocation_table_and_uplift_from_the_excel_function():
    model = [
        ["a", "geometric", "hill", 1000, 0, 0, 100, 1, 100, 5000],
        ["b", "geometric", "hill", 2000, 0, 0, 100, 1, 100, ""],
    ]
    table = FUNCTIONS["BUDGET_ALLOCATE"](model, 200, 0, 1000)
    assert len(table) == 4  # header, a, b, total
    a, b = table[1], table[2]
    # (b + 100) = √2 (a + 100), a + b = 200
    assert a[2] == pytest.approx(400 / (1 + math.sqrt(2)) - 100, rel=1e-6)
    assert a[6] == pytest.approx(b[6], rel=1e-6)
    assert table[3][2] == pytest.approx(200)
    assert FUNCTIONS["BUDGET_ALLOCATE"](model, 200, 0, 1000, "uplift") == pytest.approx(
        table[3][5] - table[3][4]
    )
    assert FUNCTIONS["BUDGET_ALLOCATE"](model, 5000, 0, 1000) == "#NUM!"  # above the bounds
    assert FUNCTIONS["BUDGET_ALLOCATE"](model, 200, [[0, 0, 0]]) == "#VALUE!"  # 3 bounds, 2 ch


def test_the_allocation_says_how_sure_it_is():
    """Over models drawn from the fit's posterior: measured on 20 histories, the uplift's
    90 % range held the true uplift of the plan 17 times, and the range of best spends the
    true best spend for 82 % of channels."""
    hits, spends = [], []
    for seed in range(20):
        sim = simulate(seed=200 + seed, periods=156, channels=[2, 3, 4][seed % 3], noise=0.08)
        fit = fit_mix(sim.revenue, sim.spends, sim.channel_names, sim.controls)
        today = fit.model.current_spend
        plan = with_spread(allocate(fit.model, today.sum()), fit.posterior.draws(40))
        assert plan.uplift_low <= plan.uplift <= plan.uplift_high
        truth = sim.truth
        true_uplift = truth.responses(plan.recommended).sum() - truth.responses(today).sum()
        hits.append(plan.uplift_low <= true_uplift <= plan.uplift_high)
        best = allocate(truth, today.sum(), 0.5 * today, 2 * today).recommended
        inside = (plan.recommended_low - 1e-6 <= best) & (best <= plan.recommended_high + 1e-6)
        spends.append(inside.mean())
    assert np.mean(hits) >= 0.8
    assert np.mean(spends) >= 0.75


def test_the_allocation_range_in_a_cell_is_the_one_python_gives():
    """MMM's "draws" table (the fit, then the 40 models Python's ``allocate`` draws) read by
    BUDGET_ALLOCATE's "range": the same 90 % ranges as ``with_spread`` in Python."""
    sim = simulate(seed=7, periods=156, channels=3, noise=0.08)
    revenue = [[float(v)] for v in sim.revenue]
    spends, names = sim.spends.tolist(), [sim.channel_names]
    draws = FUNCTIONS["MMM"](revenue, spends, names, sim.controls.tolist(), "draws")
    model = FUNCTIONS["MMM"](revenue, spends, names, sim.controls.tolist(), "model")
    k = len(sim.channel_names)
    assert len(draws) == 1 + (SPREAD_DRAWS + 1) * k
    assert [row[:-1] for row in draws[1 : k + 1]] == model[1:]  # draw 0 is the fit
    assert [row[-1] for row in draws[1:]] == [
        float(d) for d in range(SPREAD_DRAWS + 1) for _ in range(k)
    ]
    fit = fit_mix(sim.revenue, sim.spends, sim.channel_names, sim.controls)
    today = fit.model.current_spend
    lo, hi = 0.6 * today, 1.8 * today
    budget = float(today.sum()) * 1.1
    plan = with_spread(allocate(fit.model, budget, lo, hi), fit.posterior.draws(), lo, hi)
    table = FUNCTIONS["BUDGET_ALLOCATE"](draws, budget, [list(lo)], [list(hi)], "range")
    assert [row[0] for row in table[1:-1]] == sim.channel_names
    got = np.array([row[1:] for row in table[1:-1]], dtype=float)
    want = np.column_stack([plan.recommended, plan.recommended_low, plan.recommended_high])
    np.testing.assert_allclose(got, want, rtol=1e-9)
    np.testing.assert_allclose(
        table[-1][1:], [plan.uplift, plan.uplift_low, plan.uplift_high], rtol=1e-9
    )
    assert np.all(got[:, 1] <= got[:, 0] + 1e-6) and np.all(got[:, 0] <= got[:, 2] + 1e-6)
    # the point plan is the same from the draws table as from the model table
    assert FUNCTIONS["BUDGET_ALLOCATE"](draws, budget) == FUNCTIONS["BUDGET_ALLOCATE"](
        model, budget
    )
    # a model table holds no uncertainty: "range" says which table it needs
    r = FUNCTIONS["BUDGET_ALLOCATE"].evaluate(model, budget, None, None, "range")
    assert r.value == "#VALUE!" and '"draws"' in r.reason("BUDGET_ALLOCATE")
    # the least budget for a target, and its range, from the same draws
    target = 1.02 * plan.expected_revenue
    least = target_with_spread(
        budget_for_target(fit.model, target, lo, hi), fit.posterior.draws(), target, lo, hi
    )
    table = FUNCTIONS["BUDGET_FOR_TARGET"](draws, target, [list(lo)], [list(hi)], "range")
    np.testing.assert_allclose(
        table[-1][1:], [least.budget, least.budget_low, least.budget_high], rtol=1e-9
    )
    np.testing.assert_allclose(
        np.array([row[2:] for row in table[1:-1]], dtype=float),
        np.column_stack([least.recommended_low, least.recommended_high]),
        rtol=1e-9,
    )
    assert table[-1][2] <= table[-1][1] <= table[-1][3]
    # a target the fit just reaches and many drawn models cannot: the high end is #NUM!
    most = allocate(fit.model, float(hi.sum()), lo, hi).expected_revenue
    table = FUNCTIONS["BUDGET_FOR_TARGET"](draws, 0.999 * most, [list(lo)], [list(hi)], "range")
    assert table[-1][3] == "#NUM!" and table[-1][1] <= float(hi.sum()) + 1e-6
    # a draw block whose channels differ from the fit's is named
    broken = [list(row) for row in draws]
    broken[-1][0] = "radio"
    r = FUNCTIONS["BUDGET_ALLOCATE"].evaluate(broken, budget, None, None, "range")
    assert r.value == "#VALUE!" and "radio" in r.reason("BUDGET_ALLOCATE")


def test_a_later_peak_under_the_default_carryover_is_named():
    """The defaults cannot show an effect that peaks weeks after the spend (README: 26 %
    within ±15 % on delayed truths); the fit says so. Measured on the recovery histories
    (4 forms × 27): no channel of a geometric truth warned (0 of 222); 68 % of a delayed
    truth's channels did (73 % of those with ≥ 5 % of the effect), 97 % of them with the
    true lag. Here 9 histories of each truth."""
    from mix_recovery import SHAPES

    warned, right, false = [], [], []
    for k, n, noise in SHAPES:
        for truth in ("geometric", "delayed"):
            sim = simulate(seed=1000 * k, periods=n, channels=k, adstock=truth, noise=noise)
            fit = fit_mix(sim.revenue, sim.spends, sim.channel_names, sim.controls, holdout=False)
            for name, curve in zip(sim.channel_names, sim.truth.channels):
                said = [
                    w for w in fit.warnings if w.startswith(f"{name}: its effect seems to peak")
                ]
                if truth == "geometric":
                    false.append(bool(said))
                    continue
                warned.append(bool(said))
                if said:
                    right.append(f"peak {curve.peak_lag:.0f} period" in said[0])
    assert not any(false)
    assert np.mean(warned) >= 0.55
    assert np.mean(right) >= 0.9
