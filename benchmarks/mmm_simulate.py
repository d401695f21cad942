"""Simulated marketing-mix histories with a known truth, for the MMM benchmarks.

NumPy and pandas only (no PyMC), so that both the roi_xl benchmark and the PyMC-Marketing
reference (``benchmarks/pymc_reference.py``, run from its own venv) read the same data.

The media part is generated in exactly the form PyMC-Marketing's ``MMM`` (0.19) fits with
``GeometricAdstock(l_max=8)`` and ``LogisticSaturation()``:

    x_c,t   = spend_c,t / max_t(spend_c,t)                       (channel scaled by its max)
    a_c,t   = sum_{l=0}^{7} w_l x_c,t-l,  w_l = decay^l / sum_{m=0}^{7} decay^m
              (normalised, truncated geometric carryover; spend before the first week is 0)
    s_c,t   = (1 - exp(-lam_c a_c,t)) / (1 + exp(-lam_c a_c,t))
    contribution_c,t = beta_c * s_c,t                            (beta_c in revenue units)

PyMC-Marketing divides the target by its max, so its ``saturation_beta`` estimates
``beta_c / max(revenue)`` (given in the truth as ``beta_scaled``). Controls enter raw
(PyMC-Marketing does not scale them), so they are made O(1) here.

    revenue_t = (baseline_t + sum_c contribution_c,t + sum_j gamma_j c_j,t) * (1 + eps_t),
    eps_t ~ N(0, noise),   baseline_t = intercept * (1 + trend * t/(n-1)) + yearly Fourier (2 modes)

The truth per channel is its ROAS over the history (sum_t contribution_c,t / sum_t spend_c,t,
from the noise-free contribution) and its share of effect (of all channels' contribution).

    python benchmarks/mmm_simulate.py [--seed 0]      # prints the truth
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

L_MAX = 8
DAYS_IN_YEAR = 365.25


def geometric_adstock(x: np.ndarray, decay: float, l_max: int = L_MAX) -> np.ndarray:
    """PyMC-Marketing's GeometricAdstock (normalize=True, mode After) on one series.

    >>> geometric_adstock(np.array([1.0, 0.0, 0.0]), 0.5, l_max=2).round(4).tolist()
    [0.6667, 0.3333, 0.0]
    """
    w = decay ** np.arange(l_max)
    w = w / w.sum()
    return np.convolve(x, w)[: len(x)]


def logistic_saturation(x: np.ndarray, lam: float) -> np.ndarray:
    """(1 - exp(-lam x)) / (1 + exp(-lam x)), PyMC-Marketing's logistic_saturation.

    >>> float(logistic_saturation(np.array([0.0]), 2.0)[0])
    0.0
    """
    e = np.exp(-lam * x)
    return (1.0 - e) / (1.0 + e)


def _ar1(rng: np.random.Generator, n: int, phi: float, sd: float) -> np.ndarray:
    z = np.empty(n)
    z[0] = rng.normal(0.0, sd / np.sqrt(1.0 - phi * phi))
    for t in range(1, n):
        z[t] = phi * z[t - 1] + rng.normal(0.0, sd)
    return z


def _flighting(rng: np.random.Generator, n: int, level: float) -> np.ndarray:
    """A TV-like channel: bursts of 3-8 weeks on, 2-10 weeks off (zero spend)."""
    spend = np.zeros(n)
    t = int(rng.integers(0, 4))
    while t < n:
        on = int(rng.integers(3, 9))
        burst_level = level * rng.lognormal(0.0, 0.25)
        spend[t : t + on] = burst_level * rng.lognormal(0.0, 0.1, size=len(spend[t : t + on]))
        t += on + int(rng.integers(2, 11))
    return spend


def _spends(rng: np.random.Generator, n: int, k: int, doy: np.ndarray) -> np.ndarray:
    t = np.arange(n) / max(n - 1, 1)
    season = np.sin(2 * np.pi * doy / DAYS_IN_YEAR)
    x = np.empty((n, k))
    for c in range(k):
        level = float(rng.uniform(5_000.0, 60_000.0))
        if c == 0:
            x[:, c] = _flighting(rng, n, 2.0 * level)
            continue
        kind = c % 4
        log_path = _ar1(rng, n, phi=0.7, sd=0.25)
        if kind == 1:  # search-like: follows demand seasonality
            log_path += 0.3 * season
        elif kind == 2:  # growing channel (social-like)
            log_path += float(rng.uniform(0.3, 0.9)) * (t - 0.5)
        elif kind == 3:  # bursty with some dark weeks (display-like)
            log_path += rng.normal(0.0, 0.35, size=n)
        x[:, c] = level * np.exp(log_path)
        if kind == 3:
            x[rng.random(n) < 0.1, c] = 0.0
    return np.round(x, 2)


def _controls(rng: np.random.Generator, n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    z = np.empty((n, m))
    gamma = np.empty(m)
    for j in range(m):
        kind = j % 3
        if kind == 0:  # price index, standardised (higher price, lower sales)
            v = _ar1(rng, n, phi=0.8, sd=0.6)
            z[:, j] = (v - v.mean()) / v.std()
            gamma[j] = -float(rng.uniform(20_000.0, 50_000.0))
        elif kind == 1:  # promotion weeks (0/1)
            z[:, j] = (rng.random(n) < 0.12).astype(float)
            gamma[j] = float(rng.uniform(50_000.0, 120_000.0))
        else:  # competitor activity, standardised
            v = _ar1(rng, n, phi=0.6, sd=0.8)
            z[:, j] = (v - v.mean()) / v.std()
            gamma[j] = -float(rng.uniform(10_000.0, 30_000.0))
    return np.round(z, 4), gamma


def simulate(
    seed: int,
    n_periods: int = 208,
    n_channels: int = 8,
    n_controls: int = 3,
    noise: float = 0.1,
) -> pd.DataFrame:
    """A weekly history with a known truth, in ``df.attrs["truth"]``.

    Columns: ``date`` (weekly, Sundays from 2021-01-03), ``revenue``, ``ch1``..``chK``
    (spend; ``ch1`` is TV-like with zero weeks), ``c1``..``cM`` (controls). The truth dict
    holds per channel (lists in channel order) ``decay``, ``lam``, ``beta`` (revenue units),
    ``beta_scaled`` (beta / max revenue: what PyMC-Marketing's saturation_beta estimates),
    ``channel_scale`` (max spend), ``spend`` and ``contribution`` (totals over the history),
    ``roas`` and ``share_of_effect``; ``roas_by_channel`` (a dict); ``contributions``
    (n x k array, noise-free); the baseline's parameters; ``gamma`` of the controls.

    >>> df = simulate(0, n_periods=60, n_channels=3, n_controls=2)
    >>> list(df.columns)
    ['date', 'revenue', 'ch1', 'ch2', 'ch3', 'c1', 'c2']
    >>> t = df.attrs["truth"]
    >>> bool(np.allclose(t["roas"], np.divide(t["contribution"], t["spend"])))
    True
    >>> bool((df["ch1"] == 0).any()), round(sum(t["share_of_effect"]), 9)
    (True, 1.0)
    """
    rng = np.random.default_rng(seed)
    n, k, m = n_periods, n_channels, n_controls
    dates = pd.date_range("2021-01-03", periods=n, freq="7D")
    doy = dates.day_of_year.to_numpy().astype(float)
    t = np.arange(n) / max(n - 1, 1)

    spend = _spends(rng, n, k, doy)
    decay = rng.uniform(0.1, 0.6, size=k)
    decay[0] = rng.uniform(0.5, 0.75)  # TV carries over longest
    lam = rng.uniform(1.0, 4.0, size=k)
    target_roas = rng.uniform(0.6, 4.0, size=k)

    channel_scale = np.maximum(spend.max(axis=0), 1.0)
    sat = np.empty((n, k))
    for c in range(k):
        sat[:, c] = logistic_saturation(
            geometric_adstock(spend[:, c] / channel_scale[c], decay[c]), lam[c]
        )
    beta = target_roas * spend.sum(axis=0) / sat.sum(axis=0)
    contrib = sat * beta

    intercept = 2_000_000.0
    trend = 0.15  # the baseline grows 15 % over the history
    fourier = np.array([0.06, -0.03, 0.02, 0.015]) * intercept  # sin1, cos1, sin2, cos2
    phase = 2 * np.pi * doy / DAYS_IN_YEAR
    basis = np.column_stack([np.sin(phase), np.cos(phase), np.sin(2 * phase), np.cos(2 * phase)])
    baseline = intercept * (1.0 + trend * t) + basis @ fourier

    ctrl, gamma = _controls(rng, n, m)
    mu = baseline + contrib.sum(axis=1) + ctrl @ gamma
    revenue = np.maximum(mu * (1.0 + rng.normal(0.0, noise, size=n)), 1.0)

    channels = [f"ch{c + 1}" for c in range(k)]
    df = pd.DataFrame({"date": dates, "revenue": np.round(revenue, 2)})
    for c, name in enumerate(channels):
        df[name] = spend[:, c]
    for j in range(m):
        df[f"c{j + 1}"] = ctrl[:, j]

    total = contrib.sum(axis=0)
    roas = total / np.maximum(spend.sum(axis=0), 1e-12)
    df.attrs["truth"] = {
        "seed": seed,
        "channels": channels,
        "controls": [f"c{j + 1}" for j in range(m)],
        "adstock": f"geometric, normalised weights over l_max={L_MAX} lags, spend / max",
        "saturation": "logistic (1-exp(-lam a))/(1+exp(-lam a))",
        "decay": decay.tolist(),
        "lam": lam.tolist(),
        "beta": beta.tolist(),
        "beta_scaled": (beta / revenue.max()).tolist(),
        "channel_scale": channel_scale.tolist(),
        "target_scale": float(revenue.max()),
        "spend": spend.sum(axis=0).tolist(),
        "contribution": total.tolist(),
        "roas": roas.tolist(),
        "roas_by_channel": dict(zip(channels, roas.tolist(), strict=True)),
        "share_of_effect": (total / total.sum()).tolist(),
        "share_of_spend": (spend.sum(axis=0) / spend.sum()).tolist(),
        "contributions": contrib,
        "intercept": intercept,
        "trend": trend,
        "fourier": fourier.tolist(),
        "gamma": gamma.tolist(),
        "noise": noise,
        "media_share_of_revenue": float(contrib.sum() / mu.sum()),
        # the R2 of the noise-free truth itself on the noisy revenue: what no fit can beat
        "r2_ceiling": float(
            1.0 - ((revenue - mu) ** 2).sum() / ((revenue - revenue.mean()) ** 2).sum()
        ),
    }
    return df


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    df = simulate(args.seed)
    t = df.attrs["truth"]
    print(df.describe().T.round(2).to_string())
    print(
        f"media share of revenue: {t['media_share_of_revenue']:.3f}, R2 ceiling {t['r2_ceiling']:.3f}"
    )
    print("channel  decay   lam   ROAS  share_of_effect  share_of_spend")
    for i, ch in enumerate(t["channels"]):
        print(
            f"{ch:7s} {t['decay'][i]:6.3f} {t['lam'][i]:5.2f} {t['roas'][i]:6.3f}"
            f" {t['share_of_effect'][i]:16.3f} {t['share_of_spend'][i]:15.3f}"
        )


if __name__ == "__main__":
    main()
