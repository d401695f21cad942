"""Recovery of a known truth by the marketing-mix fit: the cases, the measures, the table.

Each case simulates a history from known parameters (:mod:`roi_xl.mix.simulate`), fits it
(with the forms that generated it, or with the defaults) and compares with the truth:
ROAS error for channels with at least 5 % of the effect, shares of effect, and whether the
90 % ROAS interval holds the true ROAS. Beside it, the *oracle*: ordinary least squares
with the true carryover and saturation curves given, so the table shows how much of the
error is the history's (noise, collinearity) and how much is the fit's.

``python tests/mix_recovery.py`` prints both tables (the README's).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from roi_xl.mix.adstock import carryover
from roi_xl.mix.baseline import baseline_design
from roi_xl.mix.fit import fit_mix
from roi_xl.mix.saturation import saturation
from roi_xl.mix.simulate import simulate

#: (channels, periods, noise): 2-8 channels, 104-260 periods, noise 5-15 % of mean revenue;
#: every case runs with 3 seeds and each of the four pairs of forms.
SHAPES = [
    (2, 104, 0.10),
    (2, 260, 0.15),
    (3, 156, 0.08),
    (3, 208, 0.10),
    (4, 156, 0.05),
    (4, 260, 0.08),
    (5, 208, 0.05),
    (6, 260, 0.05),
    (8, 260, 0.05),
]
FORMS = [
    ("geometric", "hill"),
    ("geometric", "logistic"),
    ("delayed", "hill"),
    ("delayed", "logistic"),
]
SEEDS = (0, 1, 2)


@dataclass
class Outcome:
    forms: tuple[str, str]
    roas_error: list[float]  # relative, channels with ≥ 5 % of the effect
    oracle_error: list[float]
    share_error: list[float]  # points (fractions), same channels
    oracle_share_error: list[float]
    covered: list[bool]  # every channel
    seconds: list[float]


def history(k: int, n: int, noise: float, seed: int, forms: tuple[str, str]):
    """The simulated history of one case: ``k`` channels, ``n`` periods, its noise, seed."""
    return simulate(
        seed=1000 * k + seed,
        periods=n,
        channels=k,
        adstock=forms[0],
        saturation_form=forms[1],
        noise=noise,
    )


def oracle_roas(sim, n: int) -> np.ndarray:
    """ROAS by least squares with the true curves (the best any fit of these forms can do
    with this history's noise)."""
    return oracle(sim, n)[0]


def oracle(sim, n: int) -> tuple[np.ndarray, np.ndarray]:
    """ROAS and shares of effect by least squares with the true curves."""
    base = baseline_design(n, 52, sim.controls).columns
    f = np.column_stack(
        [
            saturation(
                carryover(sim.spends[:, c], ch.adstock, ch.decay, ch.peak_lag),
                ch.saturation,
                ch.half,
                ch.shape,
            )
            for c, ch in enumerate(sim.truth.channels)
        ]
    )
    return least_squares(base, f, sim.revenue, sim.spends)


def least_squares(
    base: np.ndarray, f: np.ndarray, revenue: np.ndarray, spends: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """ROAS and shares of effect of revenue regressed on the baseline's columns and the
    media columns ``f`` (the true curves' outputs): the oracle, for any simulator."""
    coef, *_ = np.linalg.lstsq(np.column_stack([base, f]), revenue, rcond=None)
    effect = coef[base.shape[1] :] * f.sum(axis=0)
    return effect / spends.sum(axis=0), effect / effect.sum()


def run(forms: tuple[str, str], fit_forms: tuple[str, str] | None = None) -> Outcome:
    import time

    out = Outcome(forms, [], [], [], [], [], [])
    fit_adstock, fit_saturation = fit_forms or forms
    for k, n, noise in SHAPES:
        for seed in SEEDS:
            sim = history(k, n, noise, seed, forms)
            t = time.perf_counter()
            fit = fit_mix(
                sim.revenue,
                sim.spends,
                sim.channel_names,
                sim.controls,
                adstock=fit_adstock,
                saturation=fit_saturation,
            )
            out.seconds.append(time.perf_counter() - t)
            big = sim.share_of_effect >= 0.05
            out.roas_error += list((fit.roas / sim.roas - 1)[big])
            roas, shares = oracle(sim, n)
            out.oracle_error += list((roas / sim.roas - 1)[big])
            out.oracle_share_error += list((shares - sim.share_of_effect)[big])
            out.share_error += list((fit.share_of_effect - sim.share_of_effect)[big])
            out.covered += list((fit.roas_low <= sim.roas) & (sim.roas <= fit.roas_high))
    return out


def row(o: Outcome, fitted_with: str) -> str:
    e, oe, s = np.abs(o.roas_error), np.abs(o.oracle_error), np.abs(o.share_error)
    return (
        f"| {o.forms[0]} + {o.forms[1]} | {fitted_with} | {len(e)} | {np.mean(e <= 0.15):.0%} "
        f"| {np.median(e):.1%} | {np.mean(oe <= 0.15):.0%} | {np.mean(s <= 0.03):.0%} "
        f"| {np.mean(np.abs(o.oracle_share_error) <= 0.03):.0%} "
        f"| {np.max(s) * 100:.1f} | {np.mean(o.covered):.0%} | {np.median(o.seconds):.3f} |"
    )


HEADER = (
    "| truth | fitted with | channels (≥ 5 % of effect) | ROAS within ±15 % | median ROAS error "
    "| oracle within ±15 % | share within ±3 pts | oracle's share within ±3 pts "
    "| worst share error (pts) | 90 % interval holds truth | median fit (s) |"
    "\n|---|---|---|---|---|---|---|---|---|---|---|"
)


def main() -> None:
    print(HEADER)
    for forms in FORMS:
        print(row(run(forms), "the same forms"))
    for forms in FORMS[1:]:
        print(row(run(forms, ("geometric", "hill")), "the defaults (geometric + hill)"))


if __name__ == "__main__":
    main()
