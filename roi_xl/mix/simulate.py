"""Histories simulated from a known marketing mix: the answer key a fit is judged by.

The tests, the ``mmm`` template and the benchmark all draw from here, so "the truth" means
the same everywhere. Each channel gets a spend pattern (TV-like flights with dark weeks,
always-on digital with noise, a mid-history step), a carryover and a saturation drawn
from plausible ranges, and a coefficient chosen so that its ROAS over the history is a
drawn target. The baseline has a trend, a yearly season and a promotion control.

>>> sim = simulate(seed=0, periods=104, channels=3)
>>> sim.spends.shape, sim.revenue.shape, len(sim.truth.channels)
((104, 3), (104,), 3)
>>> bool(abs(sim.contributions.sum(axis=0) / sim.spends.sum(axis=0) - sim.roas).max() < 1e-9)
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .adstock import carryover
from .model import ChannelCurve, MixModel
from .saturation import saturation

NAMES = ("TV", "search", "social", "display", "radio", "print", "OOH", "video")


@dataclass(frozen=True)
class Simulated:
    """A simulated history and its truth.

    ``truth`` is the true model (its ``current_spend`` and ``baseline`` from the last
    quarter, as a fit reports them); ``roas`` and ``share_of_effect`` are over the whole
    history; ``controls`` holds one promotion column (1 in promotion weeks).
    """

    revenue: np.ndarray
    spends: np.ndarray
    controls: np.ndarray
    channel_names: list[str]
    control_names: list[str]
    truth: MixModel
    contributions: np.ndarray
    baseline: np.ndarray
    roas: np.ndarray
    promotion_effect: float

    @property
    def share_of_effect(self) -> np.ndarray:
        total = self.contributions.sum()
        return self.contributions.sum(axis=0) / total


def _spend_pattern(rng: np.random.Generator, n: int, kind: int, level: float) -> np.ndarray:
    t = np.arange(n)
    if kind == 0:  # flights: a few weeks on, some dark
        on = np.zeros(n, dtype=bool)
        start = int(rng.integers(0, 4))
        while start < n:
            length = int(rng.integers(3, 9))
            on[start : start + length] = True
            start += length + int(rng.integers(2, 7))
        return np.where(on, level * rng.lognormal(0.5, 0.8, n), 0.0)
    if kind == 1:  # always on, noisy, with a yearly swell
        return level * _paused(rng, n) * rng.lognormal(0, 1.0, n)
    # always on with a change of level part-way (a budget decision)
    step = np.where(t >= int(rng.integers(n // 3, 2 * n // 3)), rng.uniform(1.5, 2.5), 1.0)
    return level * step * _paused(rng, n) * rng.lognormal(0, 0.9, n) / 1.5


def _paused(rng: np.random.Generator, n: int) -> np.ndarray:
    """1 in most periods, 0 in runs of one to three paused periods (about 15 % of them):
    the dark weeks are what tell a channel's effect from the baseline."""
    on = np.ones(n)
    t = int(rng.integers(0, 8))
    while t < n:
        on[t : t + int(rng.integers(1, 4))] = 0.0
        t += int(rng.integers(6, 16))
    return on


def simulate(
    seed: int = 0,
    periods: int = 156,
    channels: int = 4,
    *,
    adstock: str = "geometric",
    saturation_form: str = "hill",
    noise: float = 0.08,
    names: list[str] | None = None,
) -> Simulated:
    """Simulate ``periods`` weeks of revenue and spend on ``channels`` channels.

    ``noise`` is the standard deviation of the revenue's noise as a share of mean revenue
    (0.05–0.15 in the recovery tests). Deterministic in ``seed``.
    """
    rng = np.random.default_rng(seed)
    n, k = periods, channels
    names = list(names or NAMES[:k])
    if len(names) < k:
        names += [f"channel_{i + 1}" for i in range(len(names), k)]
    levels = rng.uniform(30_000, 300_000, k)
    spends = np.column_stack([_spend_pattern(rng, n, c % 3, levels[c]) for c in range(k)])
    spends = np.round(spends, -2)

    curves, f = [], np.empty((n, k))
    target_roas = rng.uniform(0.8, 4.0, k)
    recent = slice(n - 13, n)
    for c in range(k):
        decay = (
            float(rng.uniform(0.1, 0.6)) if adstock == "geometric" else float(rng.uniform(0.3, 0.7))
        )
        peak = 0.0 if adstock == "geometric" else float(rng.integers(1, 4))
        a = carryover(spends[:, c], adstock, decay, peak)
        half = float(np.mean(a[a > 0]) * rng.uniform(0.8, 1.6))
        shape = float(rng.uniform(1.0, 2.5)) if saturation_form == "hill" else 1.0
        f[:, c] = saturation(a, saturation_form, half, shape)
        beta = float(target_roas[c] * spends[:, c].sum() / f[:, c].sum())
        curves.append(
            ChannelCurve(
                names[c],
                adstock,
                saturation_form,
                beta,
                decay,
                peak,
                half,
                shape,
                current_spend=float(spends[recent, c].mean()),
            )
        )
    contributions = f * np.array([c.beta for c in curves])
    media_mean = contributions.sum(axis=1).mean()
    level = media_mean * rng.uniform(0.7, 1.5)  # media is 40-60 % of revenue
    t = np.arange(n)
    trend = level * rng.uniform(0.05, 0.25) * t / (n - 1)
    season = level * 0.1 * np.sin(2 * np.pi * (t + rng.uniform(0, 52)) / 52)
    promo = (rng.random(n) < 0.12).astype(float)
    promotion_effect = float(level * rng.uniform(0.05, 0.12))
    baseline = level + trend + season + promo * promotion_effect
    expected = baseline + contributions.sum(axis=1)
    revenue = expected + rng.normal(0, noise * expected.mean(), n)
    revenue = np.maximum(revenue, 0.0)
    truth = MixModel(tuple(curves), float(baseline[recent].mean()))
    return Simulated(
        revenue=revenue,
        spends=spends,
        controls=promo.reshape(-1, 1),
        channel_names=names,
        control_names=["promotion"],
        truth=truth,
        contributions=contributions,
        baseline=baseline,
        roas=contributions.sum(axis=0) / spends.sum(axis=0),
        promotion_effect=promotion_effect,
    )
