"""Benchmark: the marketing-mix fit and the allocator (SPEC §6), and PyMC-Marketing beside it.

One history of 208 weeks × 8 channels × 3 controls, simulated in the form PyMC-Marketing
fits (``benchmarks/mmm_simulate.py``: geometric carryover, logistic saturation, known
truth). roi_xl fits it on one core (the process is pinned to one CPU and BLAS to one
thread), ``--rounds`` times; the median is reported with the range, in wall and CPU
seconds. Then BUDGET_ALLOCATE and BUDGET_FOR_TARGET on the fitted model (CPU
milliseconds, median and largest of ``--rounds``). The roi_xl measured is this checkout's;
``PYTHONPATH=<dir>`` measures the one in ``<dir>`` (a before/after comparison). Recovery:
mean absolute relative ROAS error over the channels, share-of-effect error, and whether
the 90 % intervals hold the truth; beside them the oracle's (least squares given the true
curves, no prior: the error the history's noise and collinearity leave the betas).

PyMC-Marketing is not a dependency of roi_xl and not in CI. When ``--pymc-python`` names a
Python that has it (``python3 -m venv /work/pymc-venv && /work/pymc-venv/bin/pip install
pymc-marketing``; default: that path when it exists), the same simulated history is fitted
by its ``MMM`` (``GeometricAdstock(l_max=8)``, ``LogisticSaturation()``, yearly
seasonality 2, the default sampler) through ``benchmarks/pymc_reference.py``, and the two
are printed side by side with the ratio of seconds.

    python benchmarks/bench_mmm.py --rounds 7 --seeds 0 1 2
    python benchmarks/bench_mmm.py --seeds 0 --pymc-json benchmarks/pymc_runs/history/seed0.json
    python benchmarks/bench_mmm.py --rounds 5 --pymc-json benchmarks/pymc_runs/history/*.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))  # the recovery tests' oracle
# this checkout's roi_xl (not an installed one), unless PYTHONPATH names another: a
# before/after comparison runs the same script with PYTHONPATH=<an older roi_xl's parent>
_given = {os.path.abspath(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p}
_after = [i for i, p in enumerate(sys.path) if p and os.path.abspath(p) in _given]
sys.path.insert(max(_after, default=0) + 1, str(HERE.parent))

from mix_recovery import least_squares  # noqa: E402
from mmm_simulate import geometric_adstock, logistic_saturation, simulate  # noqa: E402

from roi_xl.mix.allocate import allocate, budget_for_target  # noqa: E402
from roi_xl.mix.baseline import baseline_design  # noqa: E402
from roi_xl.mix.fit import fit_mix  # noqa: E402

DEFAULT_PYMC = Path("/work/pymc-venv/bin/python")


def ours(seed: int, rounds: int, saturation: str, noise: float) -> dict:
    df = simulate(seed, 208, 8, 3, noise)
    truth = df.attrs["truth"]
    channels, controls = truth["channels"], truth["controls"]
    y = df["revenue"].to_numpy(float)
    s = df[channels].to_numpy(float)
    c = df[controls].to_numpy(float)
    # not timed: the first fit in a process also imports SciPy's optimisers (~0.5 s)
    fit_mix(y, s, channels, c, controls, adstock="geometric", saturation=saturation)
    times, cpu = [], []
    for _ in range(rounds):
        t, p = time.perf_counter(), time.process_time()
        fit = fit_mix(y, s, channels, c, controls, adstock="geometric", saturation=saturation)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - p)
    model = fit.model
    budget = float(model.current_spend.sum())
    t_alloc, t_target = [], []  # CPU seconds: the bars are on one core
    for _ in range(rounds):
        t = time.process_time()
        plan = allocate(model, budget)
        t_alloc.append(time.process_time() - t)
        t = time.process_time()
        budget_for_target(model, plan.expected_revenue * 1.02)
        t_target.append(time.process_time() - t)
    true_roas = np.asarray(truth["roas"])
    rel = np.abs(fit.roas / true_roas - 1)
    covered = (fit.roas_low <= true_roas) & (true_roas <= fit.roas_high)
    share = np.abs(fit.share_of_effect - np.asarray(truth["share_of_effect"]))
    big = np.asarray(truth["share_of_effect"]) >= 0.05
    return {
        "big_mare": float(rel[big].mean()),
        "big_errors": rel[big],
        "seconds": statistics.median(times),
        "range": (min(times), max(times)),
        "cpu": statistics.median(cpu),
        "cpu_range": (min(cpu), max(cpu)),
        "allocate": statistics.median(t_alloc),
        "allocate_max": max(t_alloc),
        "target": statistics.median(t_target),
        "target_max": max(t_target),
        "roas_mare": float(rel.mean()),
        "coverage": float(covered.mean()),
        "share_mae": float(share.mean()),
        "r2": fit.r2,
    }


def oracle(seed: int, noise: float) -> dict:
    """Least squares given the true curves (each channel's true decay and λ; the baseline
    and the betas free): how far the history's own noise and collinearity put the betas,
    without any prior. A fit with priors can land closer than this on a noisy history."""
    df = simulate(seed, 208, 8, 3, noise)
    truth = df.attrs["truth"]
    s = df[truth["channels"]].to_numpy(float)
    f = np.column_stack(
        [
            logistic_saturation(geometric_adstock(s[:, c] / s[:, c].max(), d), lam)
            for c, (d, lam) in enumerate(zip(truth["decay"], truth["lam"]))
        ]
    )
    base = baseline_design(len(df), 52, df[truth["controls"]].to_numpy(float)).columns
    roas, shares = least_squares(base, f, df["revenue"].to_numpy(float), s)
    true_roas = np.asarray(truth["roas"])
    rel = np.abs(roas / true_roas - 1)
    big = np.asarray(truth["share_of_effect"]) >= 0.05
    share = np.abs(shares - np.asarray(truth["share_of_effect"]))
    return {
        "roas_mare": float(rel.mean()),
        "big_mare": float(rel[big].mean()),
        "share_mae": float(share.mean()),
    }


def pymc(python: Path, seed: int, noise: float, saved: Path | None) -> dict | None:
    """PyMC-Marketing's fit of the same history: run now, or read from ``saved`` (a JSON
    that ``pymc_reference.py --json`` wrote for this seed and noise; a fit takes minutes)."""
    if saved is not None:
        d = json.loads(saved.read_text())
        if d.get("seed") == seed and abs(d.get("noise", -1) - noise) < 1e-12:
            return d
        print(f"{saved}: not seed {seed}, noise {noise}; running PyMC-Marketing", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "pymc.json"
        args = ["--seed", str(seed), "--noise", str(noise), "--json", str(out)]
        proc = subprocess.run(
            [str(python), str(HERE / "pymc_reference.py"), *args],
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0 or not out.exists():
            print(f"PyMC-Marketing run failed:\n{proc.stderr[-2000:]}", file=sys.stderr)
            return None
        return json.loads(out.read_text())


def _big_mare(p: dict) -> float:
    """PyMC-Marketing's mean relative ROAS error over the channels with ≥ 5 % of the effect."""
    share = p["true_share_of_effect"]
    errors = [e for ch, e in p["roas_rel_error"].items() if share[ch] >= 0.05]
    return float(np.mean(errors))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=7, help="fits per seed (median reported)")
    ap.add_argument(
        "--seeds",
        type=int,
        nargs="+",
        default=None,
        help="simulation seeds (default 0; with --pymc-json, each saved run's seed and noise)",
    )
    ap.add_argument(
        "--pymc-python",
        type=Path,
        default=DEFAULT_PYMC if DEFAULT_PYMC.exists() else None,
        help="a Python with pymc-marketing installed (default /work/pymc-venv/bin/python)",
    )
    ap.add_argument("--no-pymc", action="store_true", help="skip PyMC-Marketing")
    ap.add_argument("--noise", type=float, default=0.1, help="noise of the simulated revenue")
    ap.add_argument(
        "--pymc-json",
        type=Path,
        nargs="*",
        default=[],
        help="PyMC-Marketing results saved by pymc_reference.py --json (one per seed, in order)",
    )
    args = ap.parse_args(argv)
    if args.seeds is None and args.pymc_json:  # every saved run: its own seed and noise
        saved = [json.loads(p.read_text()) for p in args.pymc_json]
        histories = [(d["seed"], d["noise"]) for d in saved]
    else:
        histories = [(seed, args.noise) for seed in args.seeds or [0]]
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    import roi_xl

    where = Path(roi_xl.__file__).resolve().parent
    print(f"208 periods x 8 channels x 3 controls, one core (roi_xl from {where})")
    print(
        "| seed | fit | seconds (range) | CPU s (range) | allocate, CPU ms (max) "
        "| for target, CPU ms (max) | ROAS MARE | MARE, "
        "channels ≥ 5 % of effect | interval coverage | share MAE |\n"
        "|---|---|---|---|---|---|---|---|---|---|"
    )
    pooled: dict[str, list] = {"roi_xl": [], "PyMC": [], "oracle": [], "pairs": []}
    for n, (seed, noise) in enumerate(histories):
        for saturation, name in (("logistic", "roi_xl, true forms"), ("hill", "roi_xl, defaults")):
            r = ours(seed, args.rounds, saturation, noise)
            if len(set(h[1] for h in histories)) > 1:
                name += f", noise {noise:g}"
            print(
                f"| {seed} | {name} | {r['seconds']:.3f} ({r['range'][0]:.3f}-{r['range'][1]:.3f})"
                f" | {r['cpu']:.3f} ({r['cpu_range'][0]:.3f}-{r['cpu_range'][1]:.3f})"
                f" | {r['allocate'] * 1000:.1f} ({r['allocate_max'] * 1000:.1f})"
                f" | {r['target'] * 1000:.1f} ({r['target_max'] * 1000:.1f})"
                f" "
                f"| {r['roas_mare']:.3f} | {r['big_mare']:.3f} | {r['coverage']:.0%} "
                f"| {r['share_mae']:.3f} |"
            )
            if saturation == "logistic":
                base = r
        o = oracle(seed, noise)
        print(
            f"| {seed} | oracle: least squares, true curves | | | | "
            f"| {o['roas_mare']:.3f} | {o['big_mare']:.3f} | | {o['share_mae']:.3f} |"
        )
        if args.pymc_python and not args.no_pymc:
            saved = args.pymc_json[n] if n < len(args.pymc_json) else None
            p = pymc(args.pymc_python, seed, noise, saved)
            if p:
                pooled["roi_xl"].append(base["big_mare"])
                pooled["PyMC"].append(_big_mare(p))
                pooled["oracle"].append(o["big_mare"])
                share = p["true_share_of_effect"]
                theirs = [e for ch, e in p["roas_rel_error"].items() if share[ch] >= 0.05]
                pooled["pairs"] += list(zip(base["big_errors"], theirs))
                print(
                    f"| {seed} | PyMC-Marketing {p.get('pymc_marketing', '')} "
                    f"({p.get('chains')}x{p.get('draws')}, {p.get('cores')} cores) "
                    f"| {p['seconds']:.1f} | | | | {p['roas_mare']:.3f} | {_big_mare(p):.3f} "
                    f"| {p['interval_coverage']:.0%} | {p['share_of_effect_mae']:.3f} |"
                )
                print(
                    f"|   | ratio | PyMC ÷ roi_xl: {p['seconds'] / base['seconds']:.0f}x "
                    f"| | | | | | | |"
                )
    if len(pooled["PyMC"]) > 1:
        print(summary(pooled))


def summary(pooled: dict[str, list]) -> str:
    """Over the histories with a PyMC-Marketing run: the large channels' mean ROAS error of
    each fit, how many histories roi_xl's is lower on, and a paired test over the channels
    (Wilcoxon's signed-rank: are roi_xl's errors and PyMC-Marketing's from one
    distribution?)."""
    from scipy.stats import wilcoxon

    ours_, theirs, best = (np.asarray(pooled[k]) for k in ("roi_xl", "PyMC", "oracle"))
    pairs = np.asarray(pooled["pairs"])
    test = wilcoxon(pairs[:, 0], pairs[:, 1])
    return (
        f"\nOver {ours_.size} histories, channels with >= 5 % of the effect: ROAS error "
        f"roi_xl {ours_.mean():.3f}, PyMC-Marketing {theirs.mean():.3f}, oracle "
        f"{best.mean():.3f}; roi_xl lower on {int((ours_ < theirs).sum())} of {ours_.size} "
        f"histories. Per channel ({len(pairs)}): median error roi_xl "
        f"{np.median(pairs[:, 0]):.3f}, PyMC {np.median(pairs[:, 1]):.3f}; roi_xl lower on "
        f"{int((pairs[:, 0] < pairs[:, 1]).sum())}; Wilcoxon signed-rank p = {test.pvalue:.2f}"
    )


if __name__ == "__main__":
    main()
