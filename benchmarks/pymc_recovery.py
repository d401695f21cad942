"""PyMC-Marketing on the recovery histories of tests/mix_recovery.py, beside roi_xl and the oracle.

How close does the field's Bayesian MMM come to a known truth on the same histories that
the README's recovery table measures roi_xl by?

Only the histories of geometric carryover and logistic saturation are used: the forms
PyMC-Marketing's ``MMM`` fits (``GeometricAdstock`` normalised over ``l_max`` = 12 periods,
which holds 99.8 % of the simulator's longest carryover, decay 0.6; ``LogisticSaturation``:
the simulator's logistic is the same curve, read by its half point). Default priors and
sampler, yearly seasonality 2, the promotion and a trend ``t`` as controls
(``pymc_reference.fit_pymc``). PyMC-Marketing is not a dependency of roi_xl: the fits run
in its own venv, one history at a time, each saved as JSON (a fit takes minutes):

    /work/pymc-venv/bin/python benchmarks/pymc_recovery.py fit --out /tmp/pymc_recovery [--seeds 0 1]

and the table is printed by roi_xl's Python (the fit and the oracle of each saved history):

    python benchmarks/pymc_recovery.py compare /tmp/pymc_recovery

The 27 fits of seeds 0-2 are saved in ``benchmarks/pymc_runs/recovery`` (compare reads
them in seconds).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE.parent))

import mix_recovery  # noqa: E402
from mix_recovery import SHAPES  # noqa: E402

FORMS = ("geometric", "logistic")
L_MAX = 12


def history(k: int, n: int, noise: float, seed: int):
    """The recovery case's history, exactly as ``tests/mix_recovery.run`` draws it."""
    return mix_recovery.history(k, n, noise, seed, FORMS)


def frame(sim) -> pd.DataFrame:
    df = pd.DataFrame(sim.spends, columns=sim.channel_names)
    df.insert(0, "date", pd.date_range("2021-01-04", periods=len(sim.revenue), freq="7D"))
    df["promotion"] = sim.controls[:, 0]
    df["revenue"] = sim.revenue
    return df


def fit_all(out: Path, seeds: list[int]) -> None:
    from pymc_reference import fit_pymc

    out.mkdir(parents=True, exist_ok=True)
    for seed in seeds:
        for k, n, noise in SHAPES:
            path = out / f"k{k}_n{n}_seed{seed}.json"
            if path.exists():
                continue
            sim = history(k, n, noise, seed)
            t = time.perf_counter()
            fit = fit_pymc(frame(sim), sim.channel_names, ["promotion"], seed=seed, l_max=L_MAX)
            record = {"k": k, "n": n, "noise": noise, "seed": seed, **fit}
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(record, indent=2) + "\n")
            tmp.replace(path)
            print(
                f"{path.name}: {time.perf_counter() - t:.0f} s, divergences "
                f"{fit['divergences']}, max r_hat {fit['max_rhat']:.3f}",
                flush=True,
            )


def compare(where: Path) -> None:
    from mix_recovery import oracle

    from roi_xl.mix.fit import fit_mix

    rows = {"roi_xl": [], "PyMC-Marketing": [], "oracle": []}
    shares = {name: [] for name in rows}
    covered = {"roi_xl": [], "PyMC-Marketing": []}
    histories = 0
    for path in sorted(where.glob("k*_n*_seed*.json")):
        rec = json.loads(path.read_text())
        sim = history(rec["k"], rec["n"], rec["noise"], rec["seed"])
        fit = fit_mix(
            sim.revenue,
            sim.spends,
            sim.channel_names,
            sim.controls,
            adstock=FORMS[0],
            saturation=FORMS[1],
        )
        o_roas, o_share = oracle(sim, rec["n"])
        names = sim.channel_names
        p_roas = np.array([rec["roas"][c] for c in names])
        p_share = np.array([rec["share_of_effect"][c] for c in names])
        p_low = np.array([rec["roas_low"][c] for c in names])
        p_high = np.array([rec["roas_high"][c] for c in names])
        big = sim.share_of_effect >= 0.05
        histories += 1
        for name, r, s in (
            ("roi_xl", fit.roas, fit.share_of_effect),
            ("PyMC-Marketing", p_roas, p_share),
            ("oracle", o_roas, o_share),
        ):
            rows[name] += list(np.abs(r / sim.roas - 1)[big])
            shares[name] += list(np.abs(s - sim.share_of_effect)[big])
        covered["roi_xl"] += list((fit.roas_low <= sim.roas) & (sim.roas <= fit.roas_high))
        covered["PyMC-Marketing"] += list((p_low <= sim.roas) & (sim.roas <= p_high))
    print(
        f"{histories} {'history' if histories == 1 else 'histories'} of geometric + logistic truth, {len(rows['oracle'])} channels "
        f"with >= 5 % of the effect\n"
        "| fit | ROAS within ±15 % | median ROAS error | mean ROAS error "
        "| share within ±3 pts | 90 % interval holds truth (every channel) |\n"
        "|---|---|---|---|---|---|"
    )
    for name, e in rows.items():
        e, s = np.array(e), np.array(shares[name])
        cov = f"{np.mean(covered[name]):.0%}" if name in covered else ""
        print(
            f"| {name} | {np.mean(e <= 0.15):.0%} | {np.median(e):.1%} | {np.mean(e):.1%} "
            f"| {np.mean(s <= 0.03):.0%} | {cov} |"
        )
    print(paired(rows["roi_xl"], rows["PyMC-Marketing"]))


def paired(ours: list[float], theirs: list[float]) -> str:
    """The channels where roi_xl's ROAS error is the smaller, and Wilcoxon's signed-rank
    test of the pairs (are both fits' errors from one distribution?)."""
    from scipy.stats import wilcoxon

    a, b = np.asarray(ours), np.asarray(theirs)
    return (
        f"Per channel: roi_xl's error the smaller on {int((a < b).sum())} of {a.size}; "
        f"Wilcoxon signed-rank p = {wilcoxon(a, b).pvalue:.2g}"
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    f = sub.add_parser("fit", help="fit each history with PyMC-Marketing (its venv)")
    f.add_argument("--out", type=Path, required=True, help="folder of the saved fits")
    f.add_argument("--seeds", type=int, nargs="+", default=[0])
    c = sub.add_parser("compare", help="the table: roi_xl, PyMC-Marketing, the oracle")
    c.add_argument("where", type=Path, help="folder of the saved fits")
    args = ap.parse_args(argv)
    if args.command == "fit":
        fit_all(args.out, args.seeds)
    else:
        compare(args.where)


if __name__ == "__main__":
    main()
