"""The marketing mix's fast paths (issue 20) give what the plain computations give: the
doubling-scan carryover, every channel's response and marginal ROAS in one call, and the
allocator's split for a price read off each channel's upper concave hull."""

from __future__ import annotations

import numpy as np
import pytest

from roi_xl.mix.adstock import carryover
from roi_xl.mix.allocate import _Grid, _upper_hull, bounds
from roi_xl.mix.model import ChannelCurve, MixModel


def _loop(spend: np.ndarray, decay: float) -> np.ndarray:
    out, carry = np.empty_like(spend), 0.0
    for t, s in enumerate(spend):
        carry = s + decay * carry
        out[t] = carry
    return out


@pytest.mark.parametrize("n", [1, 2, 5, 16, 17, 208, 1000])
def test_geometric_carryover_matches_the_period_by_period_recursion(n):
    rng = np.random.default_rng(n)
    spends = rng.gamma(2.0, 50.0, size=(n, 6)) * (rng.random((n, 6)) > 0.3)
    decays = np.array([0.0, 1e-9, 0.3, 0.7, 0.9, 0.95])
    got = carryover(spends, "geometric", decays)
    for c, d in enumerate(decays):
        want = _loop(spends[:, c], d)
        np.testing.assert_allclose(got[:, c], want, rtol=1e-13, atol=0)
        np.testing.assert_allclose(carryover(spends[:, c], "geometric", d), want, rtol=1e-13)


def _model(shapes, forms=None, spend=100.0) -> MixModel:
    forms = forms or ["hill"] * len(shapes)
    curves = tuple(
        ChannelCurve(f"c{i}", "geometric", form, 1000.0 * (i + 1), 0.3, 0, 150.0 + 40 * i, k, spend)
        for i, (k, form) in enumerate(zip(shapes, forms))
    )
    return MixModel(curves, 5000.0)


@pytest.mark.parametrize(
    "shapes, forms",
    [
        ([0.7, 1.0, 1.5, 3.0], None),
        ([2.5, 1.0, 4.0], ["hill", "logistic", "hill"]),
        ([1.0, 1.0], ["logistic", "logistic"]),
    ],
)
def test_vectorised_responses_and_marginals_equal_one_channel_at_a_time(shapes, forms):
    model = _model(shapes, forms)
    spends = np.array([0.0, 37.5, 120.0, 900.0][: len(shapes)])
    want_r = [c.response(s) for c, s in zip(model.channels, spends)]
    want_m = [c.marginal_roas(s) for c, s in zip(model.channels, spends)]
    np.testing.assert_array_equal(model.responses(spends), want_r)
    np.testing.assert_array_equal(model.marginals(spends), want_m)
    grid = np.linspace(0.0, 500.0, 11)
    both = np.vstack([grid] * len(shapes))
    np.testing.assert_array_equal(
        model.responses(both), np.array([c.response(grid) for c in model.channels])
    )


@pytest.mark.parametrize(
    "shapes, forms, wide",
    [
        ([0.7, 1.0, 1.5, 3.0], None, False),
        ([0.7, 1.0, 1.5, 3.0], None, True),  # S-curves whose convex start is in the grid
        ([2.5, 1.0, 4.0], ["hill", "logistic", "hill"], True),
    ],
)
def test_the_hull_split_is_the_argmax_over_the_grid(shapes, forms, wide):
    model = _model(shapes, forms)
    k = len(shapes)
    lo, hi = (np.zeros(k), np.full(k, 3000.0)) if wide else bounds(model)
    lo[0] = hi[0] = lo[0] if not wide else 50.0  # a channel held at one spend
    grid = _Grid(model, lo, hi)
    assert grid._hulls is not None
    rows = np.arange(k)
    for price in np.concatenate([np.geomspace(grid.top * 1e-7, grid.top, 400), [0.0]]):
        x, r = grid.split(price)
        best = np.argmax(grid.values - price * grid.grids, axis=1)
        np.testing.assert_array_equal(x, grid.grids[rows, best])
        assert r == float(grid.values[rows, best].sum())


def test_the_upper_hull_drops_collinear_points_and_an_s_curves_convex_start():
    g = np.linspace(0.0, 10.0, 201)
    v = g**3 / (g**3 + 27.0)  # Hill, shape 3: convex up to its inflection
    hull = _upper_hull(g, v)
    slopes = np.diff(v[hull]) / np.diff(g[hull])
    assert np.all(np.diff(slopes) < 0)  # strictly concave
    assert hull[0] == 0 and hull[-1] == g.size - 1 and hull[1] > 40  # one chord over the start
    # every point is on or below the hull
    assert np.all(v <= np.interp(g, g[hull], v[hull]) + 1e-15)
    assert _upper_hull(g, 2.0 * g).tolist() == [0, g.size - 1]
    assert _upper_hull(np.full(5, 3.0), np.full(5, 1.0)).tolist() == [0]
