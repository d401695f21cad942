"""The fitted marketing mix as a table a reader can check: one :class:`ChannelCurve` per
channel and the baseline. Response curves, marginal ROAS and the allocator read only this
(SPEC §3c: MMM's "model" table), so a hand-edited table is a model too.

The response of a channel at a steady spend ``s`` per period is
``beta · saturation(s · steady_factor)``: the spend, carried over until it no longer
changes, read off the saturation curve.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from . import adstock, saturation
from ..errors import ModelError


@dataclass(frozen=True)
class ChannelCurve:
    """One channel of a fitted (or hand-written) marketing mix.

    ``beta`` is the largest incremental revenue per period the channel can bring;
    ``half`` the carried-over spend at half of it; ``current_spend`` today's spend per
    period (the mean of the history's last quarter).

    >>> tv = ChannelCurve("TV", "geometric", "hill", beta=1000, decay=0.5, peak_lag=0,
    ...                   half=200, shape=1, current_spend=100)
    >>> float(tv.response(100)), float(tv.marginal_roas(100))
    (500.0, 2.5)
    """

    channel: str
    adstock: str
    saturation: str
    beta: float
    decay: float
    peak_lag: float
    half: float
    shape: float
    current_spend: float

    def __post_init__(self) -> None:
        checks = [
            (
                self.adstock in adstock.FORMS,
                f"adstock {self.adstock!r} is not one of {adstock.FORMS}",
            ),
            (
                self.saturation in saturation.FORMS,
                f"saturation {self.saturation!r} is not one of {saturation.FORMS}",
            ),
            (np.isfinite(self.beta) and self.beta >= 0, f"beta {self.beta} must be ≥ 0"),
            (
                0 <= self.decay <= adstock.MAX_DECAY,
                f"decay {self.decay} must be in [0, {adstock.MAX_DECAY}]",
            ),
            (
                0 <= self.peak_lag <= adstock.MAX_LAG - 1,
                f"peak lag {self.peak_lag} must be in [0, {adstock.MAX_LAG - 1}]",
            ),
            (np.isfinite(self.half) and self.half > 0, f"half {self.half} must be > 0"),
            (
                np.isfinite(self.shape) and 0 < self.shape <= 10,
                f"shape {self.shape} must be in (0, 10]",
            ),
            (
                np.isfinite(self.current_spend) and self.current_spend >= 0,
                f"current spend {self.current_spend} must be ≥ 0",
            ),
        ]
        for ok, message in checks:
            if not ok:
                words = self.adstock in adstock.FORMS and self.saturation in saturation.FORMS
                raise ModelError(f"{self.channel}: {message}", "#NUM!" if words else "#VALUE!")

    @property
    def steady(self) -> float:
        """Carried-over spend per yen of steady spend."""
        return adstock.steady_factor(self.adstock, self.decay, self.peak_lag)

    def response(self, spend: np.ndarray | float) -> np.ndarray:
        """Incremental revenue per period at a steady ``spend`` per period."""
        x = np.asarray(spend, dtype=float) * self.steady
        return self.beta * saturation.saturation(x, self.saturation, self.half, self.shape)

    def marginal_roas(self, spend: np.ndarray | float) -> np.ndarray:
        """Revenue of the next 1 of spend per period, at a steady ``spend``."""
        x = np.asarray(spend, dtype=float) * self.steady
        _, slope, _, _ = saturation.derivatives(x, self.saturation, self.half, self.shape)
        return self.beta * slope * self.steady


@dataclass(frozen=True)
class MixModel:
    """The channels' curves and the revenue per period that comes without media.

    ``baseline`` is the expected revenue per period without any media spend over the
    history's last quarter (intercept, trend, seasonality and controls there).
    """

    channels: tuple[ChannelCurve, ...]
    baseline: float

    @property
    def names(self) -> list[str]:
        return [c.channel for c in self.channels]

    @property
    def current_spend(self) -> np.ndarray:
        return np.array([c.current_spend for c in self.channels])

    def index(self, channel: str) -> int:
        """The position of a channel by name (case and surrounding blanks ignored)."""
        key = str(channel).strip().casefold()
        for i, c in enumerate(self.channels):
            if c.channel.strip().casefold() == key:
                return i
        raise ModelError(
            f"channel {channel!r} is not in the model ({', '.join(self.names)})", "#N/A"
        )

    @functools.cached_property
    def _arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list]:
        """beta, steady factor, half, shape per channel, and the channels of each
        saturation form (a slice when every channel has the same)."""
        cs = self.channels
        beta = np.array([c.beta for c in cs], dtype=float)
        steady = np.array([c.steady for c in cs], dtype=float)
        half = np.array([c.half for c in cs], dtype=float)
        shape = np.array([c.shape for c in cs], dtype=float)
        forms = [c.saturation for c in cs]
        if len(set(forms)) <= 1:
            groups: list = [(forms[0], slice(None))] if forms else []
        else:
            groups = [(f, np.flatnonzero([g == f for g in forms])) for f in sorted(set(forms))]
        return beta, steady, half, shape, groups

    def _per_channel(self, spends: Sequence[float] | np.ndarray, slope: bool) -> np.ndarray | None:
        """Every channel's response (or marginal ROAS) at once; ``None`` when ``spends``
        is not one value (or one equal-length array) per channel."""
        try:
            x = np.asarray(spends, dtype=float)
        except (TypeError, ValueError):
            return None
        if x.ndim == 0 or x.shape[0] != len(self.channels):
            return None
        beta, steady, half, shape, groups = self._arrays
        tail = (1,) * (x.ndim - 1)
        out = np.empty_like(x)
        for form, idx in groups:
            s = steady[idx].reshape(-1, *tail)
            h, k = half[idx].reshape(-1, *tail), shape[idx].reshape(-1, *tail)
            carried = x[idx] * s
            b = beta[idx].reshape(-1, *tail)
            if slope:
                value = b * saturation.derivatives(carried, form, h, k)[1] * s
            else:
                value = b * saturation.saturation(carried, form, h, k)
            if len(groups) == 1:
                return value
            out[idx] = value
        return out

    def responses(self, spends: Sequence[float] | np.ndarray) -> np.ndarray:
        """Incremental revenue per channel at a steady spend per channel (one value, or
        one array of spends, per channel)."""
        out = self._per_channel(spends, slope=False)
        if out is not None:
            return out
        return np.array([c.response(s) for c, s in zip(self.channels, spends)], dtype=float)

    def marginals(self, spends: Sequence[float] | np.ndarray) -> np.ndarray:
        """Marginal ROAS per channel at a steady spend per channel."""
        out = self._per_channel(spends, slope=True)
        if out is not None:
            return out
        return np.array([c.marginal_roas(s) for c, s in zip(self.channels, spends)], dtype=float)
