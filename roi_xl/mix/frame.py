"""The marketing mix from pandas: ``roi_xl.mmm(df, revenue=..., spend=[...])``.

>>> import pandas as pd
>>> from roi_xl.mix.simulate import simulate
>>> sim = simulate(seed=2, periods=104, channels=2)
>>> df = pd.DataFrame(sim.spends, columns=sim.channel_names).assign(sales=sim.revenue)
>>> df["date"] = pd.date_range("2024-01-07", periods=104, freq="W")
>>> result = mmm(df, revenue="sales", spend=["TV", "search"], date="date")
>>> list(result.summary.index), result.periods_per_year
(['TV', 'search'], 52.0)
>>> plan = result.allocate(df[["TV", "search"]].tail(13).mean().sum())
>>> bool(plan.uplift >= 0)
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ..errors import MissingColumnsError
from .allocate import Allocation, allocate, budget_for_target, target_with_spread, with_spread
from .fit import SPREAD_DRAWS, LiftTest, MixFit, fit_mix


def periods_per_year(dates: pd.Series) -> float:
    """52 for weekly dates, 12 monthly, 365 daily, 4 quarterly (the median step).

    >>> periods_per_year(pd.Series(pd.date_range("2024-01-01", periods=10, freq="MS")))
    12.0
    """
    d = pd.to_datetime(pd.Series(dates)).sort_values().diff().dt.days.dropna()
    if d.empty:
        return 52.0
    step = float(d.median())
    for days, per_year in ((1, 365.0), (7, 52.0), (30.4, 12.0), (91.3, 4.0)):
        if abs(step - days) <= 0.25 * days:
            return per_year
    return 365.25 / step


@dataclass
class MMMResult:
    """A fitted marketing mix, as DataFrames, and the questions asked of it next."""

    fitted: MixFit
    periods_per_year: float | None
    index: pd.Index
    gross_margin: float = 1.0

    @property
    def summary(self) -> pd.DataFrame:
        """One row per channel: spend, incremental revenue, shares, ROAS, ROI, marginal ROAS,
        the 90 % ROAS interval."""
        f = self.fitted
        return pd.DataFrame(
            {
                "spend": f.spend,
                "contribution": f.contribution,
                "share_of_spend": f.share_of_spend,
                "share_of_effect": f.share_of_effect,
                "roas": f.roas,
                "roi": f.roi(self.gross_margin),
                "marginal_roas": f.marginal_roas,
                "roas_low": f.roas_low,
                "roas_high": f.roas_high,
            },
            index=pd.Index(f.channels, name="channel"),
        )

    @property
    def model(self) -> pd.DataFrame:
        """The parameter table (the one MMM's "model" spills)."""
        m = self.fitted.model
        rows = [
            {
                "adstock": c.adstock,
                "saturation": c.saturation,
                "beta": c.beta,
                "decay": c.decay,
                "peak_lag": c.peak_lag,
                "half": c.half,
                "shape": c.shape,
                "current_spend": c.current_spend,
            }
            for c in m.channels
        ]
        out = pd.DataFrame(rows, index=pd.Index(m.names, name="channel"))
        out["baseline"] = m.baseline
        return out

    @property
    def fit(self) -> pd.DataFrame:
        """Measures of fit, one per row, and the warnings."""
        f = self.fitted
        rows = {
            "r2": f.r2,
            "mape": f.mape,
            "nrmse": f.nrmse,
            "decomp_rssd": f.decomp_rssd,
            "holdout_mape": f.holdout_mape,
            "periods": float(f.revenue.size),
        }
        out = pd.DataFrame({"value": list(rows.values())}, index=list(rows))
        out.attrs["warnings"] = list(f.warnings)
        return out

    @property
    def warnings(self) -> list[str]:
        return list(self.fitted.warnings)

    @property
    def decomposition(self) -> pd.DataFrame:
        """Per period: revenue, fitted, baseline and each channel's contribution."""
        f = self.fitted
        out = pd.DataFrame(f.contributions, columns=f.channels, index=self.index)
        out.insert(0, "baseline", f.baseline)
        out.insert(0, "fitted", f.fitted)
        out.insert(0, "revenue", f.revenue)
        return out

    def response(self, channel: str, spend: Any) -> np.ndarray:
        """Incremental revenue per period of ``channel`` at each steady spend per period."""
        m = self.fitted.model
        return m.channels[m.index(channel)].response(np.asarray(spend, dtype=float))

    def allocate(
        self, budget: float, bounds: tuple[Any, Any] | None = None, spread: int = SPREAD_DRAWS
    ) -> Allocation:
        """The best split of ``budget`` per period; ``bounds`` = (min_spend, max_spend).
        With ``spread`` draws from the fit's posterior (0: none), the plan also carries
        the 90 % ranges of its uplift and of each channel's best spend."""
        lo, hi = bounds if bounds is not None else (None, None)
        plan = allocate(self.fitted.model, budget, lo, hi)
        if spread and self.fitted.posterior is not None:
            plan = with_spread(plan, self.fitted.posterior.draws(spread), lo, hi)
        return plan

    def budget_for(
        self, target: float, bounds: tuple[Any, Any] | None = None, spread: int = SPREAD_DRAWS
    ) -> Allocation:
        """The least budget per period that reaches ``target`` revenue per period. With
        ``spread`` draws from the fit's posterior (0: none), the plan also carries the
        90 % ranges of that budget and of each channel's spend in it."""
        lo, hi = bounds if bounds is not None else (None, None)
        plan = budget_for_target(self.fitted.model, target, lo, hi)
        if spread and self.fitted.posterior is not None:
            plan = target_with_spread(plan, self.fitted.posterior.draws(spread), target, lo, hi)
        return plan

    def plot(self, path: str | None = None) -> Any:
        """Decomposition (stacked) and response curves with matplotlib (``pip install
        'roi-xl[plot]'``); saves to ``path`` when given, returns the figure."""
        try:
            import matplotlib

            if path is not None:
                matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError as exc:  # an optional extra
            raise ImportError("plot() needs matplotlib: pip install 'roi-xl[plot]'") from exc
        d = self.decomposition
        fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 8))
        parts = ["baseline", *self.fitted.channels]
        top.stackplot(np.arange(len(d)), *[d[c].to_numpy() for c in parts], labels=parts)
        top.plot(np.arange(len(d)), d["revenue"].to_numpy(), color="black", lw=1, label="revenue")
        top.set_title("Decomposition of revenue")
        top.legend(loc="upper left", fontsize="small", ncol=3)
        m = self.fitted.model
        for c in m.channels:
            x = np.linspace(0, max(2.5 * c.current_spend, 1.0), 100)
            bottom.plot(x, c.response(x), label=c.channel)
            bottom.plot([c.current_spend], [float(c.response(c.current_spend))], "o", color="grey")
        bottom.set_title("Response curves (incremental revenue per period; dot: today)")
        bottom.set_xlabel("spend per period")
        bottom.legend(fontsize="small")
        fig.tight_layout()
        if path is not None:
            fig.savefig(path, dpi=110)
        return fig


def mmm(
    df: pd.DataFrame,
    revenue: str,
    spend: Sequence[str],
    controls: Sequence[str] | None = None,
    date: str | None = None,
    *,
    adstock: str = "geometric",
    saturation: str = "hill",
    lift_tests: Sequence[LiftTest | tuple] = (),
    gross_margin: float = 1.0,
    periods_per_year: float | None = None,
) -> MMMResult:
    """Fit the marketing mix of SPEC §3c to the columns of ``df``.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per period.
    revenue : str
        The revenue column.
    spend : list of str
        One spend column per channel (blank cells are 0).
    controls : list of str, optional
        What else moved revenue (price, promotions, holidays).
    date : str, optional
        The date column: rows are taken in its order, and ``periods_per_year`` defaults
        to what its steps say (52 weekly, 12 monthly, 365 daily).
    adstock, saturation : str
        ``"geometric"`` (default) or ``"delayed"``; ``"hill"`` (default) or ``"logistic"``.
    lift_tests : list
        :class:`~roi_xl.mix.fit.LiftTest` or tuples (channel, first period, last period,
        incremental revenue, standard error).
    gross_margin : float
        For the summary's ROI column (default 1).
    periods_per_year : float, optional
        0 fits no seasonality.

    Returns
    -------
    MMMResult
        ``.summary``, ``.model``, ``.fit``, ``.decomposition`` (DataFrames),
        ``.response()``, ``.allocate()``, ``.budget_for()``, ``.plot()``.
    """
    spend = [spend] if isinstance(spend, str) else list(spend)
    controls = list(controls or [])
    wanted = [revenue, *spend, *controls, *([date] if date else [])]
    missing = [c for c in wanted if c not in df.columns]
    if missing:
        raise MissingColumnsError(
            f"mmm: no column {', '.join(map(repr, missing))} (columns: {', '.join(map(str, df.columns))})"
        )
    if date:
        df = df.sort_values(date)
        index = pd.Index(pd.to_datetime(df[date]), name=date)
        ppy = periods_per_year if periods_per_year is not None else periods_per_year_of(df[date])
    else:
        index = df.index
        ppy = 52.0 if periods_per_year is None else periods_per_year
    y = pd.to_numeric(df[revenue], errors="coerce").to_numpy(dtype=float)
    s = df[spend].apply(pd.to_numeric, errors="coerce").fillna(0.0).to_numpy(dtype=float)
    c = (
        df[controls].apply(pd.to_numeric, errors="coerce").fillna(0.0).to_numpy(dtype=float)
        if controls
        else None
    )
    tests = [t if isinstance(t, LiftTest) else LiftTest(*t) for t in lift_tests]
    fitted = fit_mix(
        y,
        s,
        spend,
        c,
        controls or None,
        adstock=adstock,
        saturation=saturation,
        periods_per_year=float(ppy) or None,
        lift_tests=tests,
    )
    return MMMResult(fitted, float(ppy) or None, index, gross_margin)


periods_per_year_of = periods_per_year
