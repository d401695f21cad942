"""PyMC-Marketing's MMM on the simulated histories of ``mmm_simulate``: the reference that
``bench_mmm.py`` compares roi_xl's fit with (speed and ROAS recovery).

PyMC-Marketing is NOT a dependency of roi_xl. It lives in its own venv:

    python3 -m venv /work/pymc-venv && /work/pymc-venv/bin/pip install pymc-marketing
    /work/pymc-venv/bin/python benchmarks/pymc_reference.py [--seed 0] [--draws N]
        [--tune N] [--chains N] [--json OUT]

The model is PyMC-Marketing's ``MMM`` (``from pymc_marketing.mmm import MMM``; deprecated in
0.19 in favour of ``pymc_marketing.mmm.multidimensional.MMM``, removal announced for 0.20)
with ``GeometricAdstock(l_max=8)``, ``LogisticSaturation()``, ``yearly_seasonality=2``, its
default priors and, unless overridden, ``pm.sample``'s default settings (1000 tune + 1000
draws, NUTS, chains = max(2, cores), cores = min(4, CPUs)). That MMM has no trend term; as
in PyMC-Marketing's own examples, a trend enters as a control column ``t`` (0..1).

ROAS per channel is computed per posterior draw from ``channel_contribution_original_scale``
(the model's deterministic: contribution in scaled units times the target's max), summed
over the history and divided by the channel's total spend; the point is the posterior mean,
the interval the 5 % and 95 % quantiles. This module imports without PyMC (only
``fit_pymc`` needs it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mmm_simulate import simulate

__all__ = ["fit_pymc", "roas_errors", "simulate"]


def fit_pymc(
    df: pd.DataFrame,
    channels: list[str],
    controls: list[str],
    date: str = "date",
    draws: int | None = None,
    tune: int | None = None,
    chains: int | None = None,
    seed: int = 0,
    revenue: str = "revenue",
    trend: bool = True,
    progressbar: bool = False,
    l_max: int = 8,
) -> dict[str, Any]:
    """Fit PyMC-Marketing's MMM; return the fit's seconds, ROAS and shares of effect.

    ``draws``, ``tune``, ``chains`` left as None keep PyMC's defaults; ``l_max`` is the
    carryover's length in periods (8, PyMC-Marketing's examples' choice). The result:
    ``seconds`` (``MMM.fit``: model build, compilation and sampling), ``sampling_seconds``
    (PyMC's own count), ``roas`` / ``roas_low`` / ``roas_high`` / ``share_of_effect`` /
    ``contribution`` (dicts by channel), the sampler settings actually used, the versions
    and convergence diagnostics (divergences, max r_hat, min bulk ESS).
    """
    import arviz as az
    import pymc as pm
    import pymc_marketing
    from pymc.sampling.parallel import _cpu_count
    from pymc_marketing.mmm import MMM, GeometricAdstock, LogisticSaturation

    channels, controls = list(channels), list(controls)
    X = df[[date, *channels, *controls]].copy()
    X[date] = pd.to_datetime(X[date])
    ctrl = list(controls)
    if trend:
        n = len(X)
        X["t"] = np.arange(n) / max(n - 1, 1)
        ctrl.append("t")
    y = df[revenue].astype(float)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # the legacy MMM's deprecation notice
        mmm = MMM(
            date_column=date,
            channel_columns=channels,
            control_columns=ctrl or None,
            adstock=GeometricAdstock(l_max=l_max),
            saturation=LogisticSaturation(),
            yearly_seasonality=2,
        )
    kwargs = {
        k: v for k, v in {"draws": draws, "tune": tune, "chains": chains}.items() if v is not None
    }
    t0 = time.perf_counter()
    idata = mmm.fit(X, y, random_seed=seed, progressbar=progressbar, **kwargs)
    seconds = time.perf_counter() - t0

    post = idata.posterior
    contrib = post["channel_contribution_original_scale"].sum("date")  # chain, draw, channel
    contrib = contrib.stack(sample=("chain", "draw")).transpose("channel", "sample")
    c = contrib.sel(channel=channels).to_numpy()  # k x samples
    spend = df[channels].to_numpy(dtype=float).sum(axis=0)
    roas = c / spend[:, None]
    share = c / c.sum(axis=0, keepdims=True)

    free = [rv.name for rv in mmm.model.free_RVs]
    rhat = az.rhat(post, var_names=free)
    ess = az.ess(post, var_names=free)

    def by_channel(v: np.ndarray) -> dict[str, float]:
        return {ch: float(x) for ch, x in zip(channels, v, strict=True)}

    # the fit's own check: posterior-mean mu in original units against revenue
    mu = post["y_original_scale"].mean(("chain", "draw")).to_numpy()
    resid = y.to_numpy() - mu
    r2 = 1.0 - float(resid @ resid) / float(((y - y.mean()) ** 2).sum())
    return {
        "seconds": seconds,
        "sampling_seconds": float(post.attrs.get("sampling_time", float("nan"))),
        "roas": by_channel(roas.mean(axis=1)),
        "roas_low": by_channel(np.quantile(roas, 0.05, axis=1)),
        "roas_high": by_channel(np.quantile(roas, 0.95, axis=1)),
        "share_of_effect": by_channel(share.mean(axis=1)),
        "contribution": by_channel(c.mean(axis=1)),
        "r2_in_sample": r2,
        "draws": int(post.sizes["draw"]),
        "chains": int(post.sizes["chain"]),
        "tune": int(post.attrs.get("tuning_steps", tune or 1000)),
        "cores": min(4, _cpu_count()),  # pm.sample's default: half the CPUs, at most 4
        "divergences": int(idata.sample_stats["diverging"].sum()),
        "max_rhat": float(max(float(rhat[v].max()) for v in rhat.data_vars)),
        "min_ess_bulk": float(min(float(ess[v].min()) for v in ess.data_vars)),
        "pymc_marketing": pymc_marketing.__version__,
        "pymc": pm.__version__,
        "trend_control": trend,
    }


def roas_errors(fit: dict[str, Any], truth: dict[str, Any]) -> dict[str, Any]:
    """Relative ROAS error per channel, their mean (MARE), median and spend-weighted mean,
    the 90 % intervals' coverage of the truth and the shares of effect's mean abs error."""
    chans = truth["channels"]
    rel = {ch: abs(fit["roas"][ch] - r) / r for ch, r in zip(chans, truth["roas"], strict=True)}
    covered = [
        fit["roas_low"][ch] <= r <= fit["roas_high"][ch]
        for ch, r in zip(chans, truth["roas"], strict=True)
    ]
    share_abs = [
        abs(fit["share_of_effect"][ch] - s)
        for ch, s in zip(chans, truth["share_of_effect"], strict=True)
    ]
    spend = np.asarray(truth["spend"], dtype=float)
    return {
        "roas_rel_error": rel,
        "roas_mare": float(np.mean(list(rel.values()))),
        "roas_median_rel_error": float(np.median(list(rel.values()))),
        "roas_spend_weighted_rel_error": float(np.dot(list(rel.values()), spend / spend.sum())),
        "interval_coverage": float(np.mean(covered)),
        "share_of_effect_mae": float(np.mean(share_abs)),
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0, help="simulation seed (also the sampler's)")
    ap.add_argument("--draws", type=int, default=None)
    ap.add_argument("--tune", type=int, default=None)
    ap.add_argument("--chains", type=int, default=None)
    ap.add_argument("--periods", type=int, default=208)
    ap.add_argument("--channels", type=int, default=8)
    ap.add_argument("--controls", type=int, default=3)
    ap.add_argument("--noise", type=float, default=0.1)
    ap.add_argument("--json", metavar="OUT", default=None, help="write the results as JSON")
    args = ap.parse_args(argv)

    df = simulate(args.seed, args.periods, args.channels, args.controls, args.noise)
    truth = df.attrs["truth"]
    fit = fit_pymc(
        df,
        truth["channels"],
        truth["controls"],
        draws=args.draws,
        tune=args.tune,
        chains=args.chains,
        seed=args.seed,
    )
    err = roas_errors(fit, truth)

    print(
        f"PyMC-Marketing {fit['pymc_marketing']} (PyMC {fit['pymc']}), seed {args.seed}: "
        f"{args.periods} periods x {args.channels} channels x {args.controls} controls; "
        f"{fit['chains']} chains x ({fit['tune']} tune + {fit['draws']} draws), "
        f"{fit['cores']} cores"
    )
    print(
        f"fit {fit['seconds']:.1f} s (sampling {fit['sampling_seconds']:.1f} s); "
        f"divergences {fit['divergences']}, max r_hat {fit['max_rhat']:.3f}, "
        f"min ESS {fit['min_ess_bulk']:.0f}, in-sample R2 {fit['r2_in_sample']:.3f}"
    )
    print("channel  true ROAS   PyMC ROAS   [90 % interval]     rel err  true share  PyMC share")
    for i, ch in enumerate(truth["channels"]):
        print(
            f"{ch:7s} {truth['roas'][i]:9.3f} {fit['roas'][ch]:11.3f}"
            f"   [{fit['roas_low'][ch]:6.3f}, {fit['roas_high'][ch]:6.3f}]"
            f" {err['roas_rel_error'][ch]:10.3f} {truth['share_of_effect'][i]:11.3f}"
            f" {fit['share_of_effect'][ch]:11.3f}"
        )
    print(
        f"ROAS mean abs relative error {err['roas_mare']:.3f} (median "
        f"{err['roas_median_rel_error']:.3f}, spend-weighted "
        f"{err['roas_spend_weighted_rel_error']:.3f}); "
        f"90 % interval covers the truth for {err['interval_coverage']:.0%} of channels; "
        f"share-of-effect MAE {err['share_of_effect_mae']:.3f}"
    )
    if args.json:
        out = {
            "seed": args.seed,
            "periods": args.periods,
            "channels": args.channels,
            "controls": args.controls,
            "noise": args.noise,
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
            **fit,
            **err,
            "true_roas": truth["roas_by_channel"],
            "true_share_of_effect": dict(
                zip(truth["channels"], truth["share_of_effect"], strict=True)
            ),
        }
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
