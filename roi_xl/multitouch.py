"""Multi-touch attribution: share each conversion among the channels of its path.

Seed 003 ③: a conversion that came through digital ads → owned media → email should be
judged on every medium, not only the last one. Input is a plain table, one row per path
(``"search > display > email"``), with its conversions, optionally its revenue and the
journeys on that path that did not convert. Heuristic models weigh the touches of each
path; ``"markov"`` is the data-driven removal effect of a first-order Markov chain
(Anderl et al. 2016; the model of the R/Python package ChannelAttribution), solved
exactly as an absorbing chain with NumPy, no simulation.

Credit always sums to the totals: Σ credited conversions = Σ conversions of the paths
that have at least one channel.
"""

from __future__ import annotations

from typing import NamedTuple, Sequence

import numpy as np

from ._checked import ArrayLike
from .errors import ExcelError, InvalidInputError
from .options import MODEL_WORDS, normalise


class Attribution(NamedTuple):
    """Credit per channel, sorted by credited conversions (descending), ties by name."""

    channels: list[str]
    conversions: np.ndarray
    values: np.ndarray | None  # credited revenue, when values were given


class _Paths(NamedTuple):
    channels: list[str]  # sorted names
    codes: np.ndarray  # channel code of every touch, paths one after another
    starts: np.ndarray  # index of each path's first touch in codes
    lengths: np.ndarray  # touches per path (0 for an empty path)


def _parse(paths: Sequence[object], separator: str, merge_repeats: bool) -> _Paths:
    index: dict[str, int] = {}
    codes: list[int] = []
    lengths = np.zeros(len(paths), dtype=np.int64)
    sep = separator or ">"
    for row, text in enumerate(paths):
        if text is None or (isinstance(text, float) and text != text):
            continue
        previous = -1
        for name in str(text).split(sep):
            name = name.strip()
            if not name:
                continue
            code = index.setdefault(name, len(index))
            if merge_repeats and code == previous:
                continue
            codes.append(code)
            previous = code
            lengths[row] += 1
    # renumber channels in name order, so results never depend on row order
    names = sorted(index)
    order = np.empty(len(index), dtype=np.int64)
    order[[index[n] for n in names]] = np.arange(len(names))
    code_array = order[np.asarray(codes, dtype=np.int64)] if codes else np.zeros(0, np.int64)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1])) if len(paths) else lengths
    return _Paths(names, code_array, starts, lengths)


def _counts(function: str, argument: str, value: ArrayLike, rows: int) -> np.ndarray:
    try:
        a = np.asarray(value, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise InvalidInputError(
            function, argument, value, "must be numbers, one per path", ExcelError.VALUE
        ) from None
    if a.size != rows:
        raise InvalidInputError(
            function,
            argument,
            f"{a.size} values",
            f"must hold one number per path ({rows} paths)",
            ExcelError.VALUE,
        )
    if np.isnan(a).any():
        raise InvalidInputError(function, argument, value, "must be numbers", ExcelError.VALUE)
    return a


def _touch_weights(p: _Paths, model: str) -> np.ndarray:
    """Weight of every touch within its path (each non-empty path sums to 1)."""
    n = p.codes.size
    length = np.repeat(p.lengths, p.lengths).astype(float)
    position = np.arange(n) - np.repeat(p.starts, p.lengths)  # 0 = first touch
    from_end = length - 1 - position  # 0 = last touch
    if model == "last":
        return (from_end == 0).astype(float)
    if model == "first":
        return (position == 0).astype(float)
    if model == "linear":
        return 1.0 / length
    if model == "position":
        middle = np.where(length > 2, 0.2 / np.maximum(length - 2, 1), 0.0)
        ends = np.where(length == 1, 1.0, np.where(length == 2, 0.5, 0.4))
        return np.where((position == 0) | (from_end == 0), ends, middle)
    # time_decay: 2^−k for a touch k steps before the last, normalised per path
    raw = np.exp2(-from_end)
    total = 2.0 - np.exp2(1 - length)  # Σ_{k<L} 2^−k
    return raw / total


def removal_effects(
    paths: Sequence[object],
    conversions: ArrayLike,
    non_conversions: ArrayLike | None = None,
    separator: str = ">",
) -> tuple[list[str], np.ndarray, float]:
    """Channels, their Markov removal effects and the chain's conversion probability.

    The chain has the states start, every channel, conversion and null. Every path
    (consecutive repeats of one channel merged) contributes its conversions to the
    transitions start → c₁ → … → c_k → conversion and its non-conversions to
    start → c₁ → … → c_k → null. P(conversion) is the absorption probability from start,
    solved from (I − Q) x = r; removing channel c sends every transition into c to null,
    and RE_c = 1 − P(conversion without c) ÷ P(conversion).

    Parameters
    ----------
    paths, conversions, non_conversions, separator
        As for :func:`attribute`.

    Returns
    -------
    tuple
        The channel names (sorted), their removal effects (ndarray) and P(conversion).

    >>> names, re, p = removal_effects(["a > b", "b"], [1, 1], [0, 1])
    >>> names, [round(float(x), 4) for x in re], round(p, 4)
    (['a', 'b'], [0.3333, 1.0], 0.6667)
    """
    p = _parse(paths, separator, merge_repeats=True)
    conv = _counts("attribution", "conversions", conversions, len(paths))
    non = (
        np.zeros(len(paths))
        if non_conversions is None
        else _counts("attribution", "non_conversions", non_conversions, len(paths))
    )
    return p.channels, *_markov(p, conv, non)


def _markov(p: _Paths, conv: np.ndarray, non: np.ndarray) -> tuple[np.ndarray, float]:
    k = len(p.channels)
    start, conversion, null = k, k + 1, k + 2
    keep = p.lengths > 0
    weight = conv + non
    # transitions start → first touch, touch → next touch, last touch → conversion / null
    is_last = np.zeros(p.codes.size, dtype=bool)
    is_last[(p.starts + p.lengths - 1)[keep]] = True
    inner = ~is_last[:-1]
    per_touch = np.repeat(weight, p.lengths)
    last_codes = p.codes[is_last]
    source = np.concatenate(
        (np.full(keep.sum(), start), p.codes[:-1][inner], last_codes, last_codes)
    )
    target = np.concatenate(
        (
            p.codes[p.starts[keep]],
            p.codes[1:][inner],
            np.full(last_codes.size, conversion),
            np.full(last_codes.size, null),
        )
    )
    weights = np.concatenate((weight[keep], per_touch[:-1][inner], conv[keep], non[keep]))
    size = k + 3
    counts = np.bincount(source * size + target, weights, minlength=size * size).reshape(size, size)
    out = counts.sum(axis=1, keepdims=True)
    with np.errstate(all="ignore"):
        prob = np.where(out > 0, counts / np.where(out > 0, out, 1), 0.0)
    transient = k + 1  # channels 0..k-1 and start
    q = prob[:transient, :transient]
    r = prob[:transient, conversion]
    base = _absorb(q, r)
    if base <= 0:
        return np.zeros(k), 0.0
    effects = np.empty(k)
    for c in range(k):
        q_without = q.copy()
        q_without[:, c] = 0.0  # transitions into c go to null instead
        effects[c] = 1.0 - _absorb(q_without, r) / base
    return np.clip(effects, 0.0, 1.0), base


def _absorb(q: np.ndarray, r: np.ndarray) -> float:
    """Probability of absorption in conversion from start (the last transient state)."""
    x = np.linalg.solve(np.eye(q.shape[0]) - q, r)
    return float(x[-1])


def attribute(
    paths: Sequence[object],
    conversions: ArrayLike,
    model: str = "linear",
    values: ArrayLike | None = None,
    separator: str = ">",
    non_conversions: ArrayLike | None = None,
) -> Attribution:
    """Credit every channel with its share of the conversions (and revenue) of the paths.

    Parameters
    ----------
    paths : sequence of str
        One path per row: the channels in time order joined by ``separator``
        (``"search > display > email"``); names are trimmed, empty rows skipped.
    conversions : array_like
        Conversions per path (≥ 0).
    model : {"linear", "last", "first", "position", "time_decay", "markov"}
        ``"last"``/``"first"``: all credit to the last/first touch. ``"linear"`` (default):
        an equal share per touch. ``"position"``: 40 % first, 40 % last, 20 % shared by the
        middle touches (one touch 100 %, two 50/50). ``"time_decay"``: a touch k steps
        before the last weighs 2^−k, normalised per path. ``"markov"``: credit ∝ removal
        effect of a first-order Markov chain (see :func:`removal_effects`).
    values : array_like, optional
        Revenue per path; credited like the conversions (for ``"markov"`` in proportion to
        the removal effects, as the conversions are).
    separator : str
        Between channels in a path, default ``">"``.
    non_conversions : array_like, optional
        Journeys per path that ended without converting; only ``"markov"`` uses them
        (without them every path converted, and the removal effect measures how many
        conversions pass through a channel).

    Returns
    -------
    Attribution
        ``channels`` (every channel that appears in any path, 0 credit included),
        ``conversions`` and ``values`` (``None`` without ``values``), sorted by credited
        conversions descending, ties by name.

    Raises
    ------
    InvalidInputError
        Ranges of different lengths or text where numbers belong (``#VALUE!``), negative
        conversions or non-conversions (``#NUM!``), an unknown model (``#VALUE!``).

    Examples
    --------
    Two paths: ads → owned media → email converted 10 times, ads → email 5 times.

    >>> paths = ["ads > owned > email", "ads > email"]
    >>> a = attribute(paths, [10, 5], "linear", values=[100_000, 50_000])
    >>> a.channels, a.conversions.round(4).tolist(), a.values.round(0).tolist()
    (['ads', 'email', 'owned'], [5.8333, 5.8333, 3.3333], [58333.0, 58333.0, 33333.0])
    >>> attribute(paths, [10, 5], "last").conversions.tolist()
    [15.0, 0.0, 0.0]
    >>> attribute(paths, [10, 5], "position").conversions.tolist()
    [6.5, 6.5, 2.0]
    """
    fn = "attribution"
    model = normalise(fn, "model", model, MODEL_WORDS)
    rows = len(paths)
    conv = _counts(fn, "conversions", conversions, rows)
    vals = None if values is None else _counts(fn, "values", values, rows)
    non = None if non_conversions is None else _counts(fn, "non_conversions", non_conversions, rows)
    for name, a in (("conversions", conv), ("non_conversions", non)):
        if a is not None and (a < 0).any():
            bad = float(a[a < 0][0])
            raise InvalidInputError(fn, name, bad, "must be 0 or more")
    p = _parse(paths, separator, merge_repeats=model == "markov")
    k = len(p.channels)
    if model == "markov":
        effects, _ = _markov(p, conv, np.zeros(rows) if non is None else non)
        total_re = effects.sum()
        share = effects / total_re if total_re > 0 else np.zeros(k)
        has_touch = p.lengths > 0
        credit = share * conv[has_touch].sum()
        credit_values = None if vals is None else share * vals[has_touch].sum()
    else:
        w = _touch_weights(p, model)
        credit = np.bincount(p.codes, w * np.repeat(conv, p.lengths), minlength=k)
        credit_values = (
            None
            if vals is None
            else np.bincount(p.codes, w * np.repeat(vals, p.lengths), minlength=k)
        )
    with np.errstate(over="ignore", invalid="ignore"):  # 1e299 × 1e9 inside round
        rounded = np.round(credit, 9)  # float noise must not break ties by name
    rounded = np.where(np.isfinite(rounded), rounded, credit)
    order = sorted(range(k), key=lambda i: (-rounded[i], p.channels[i]))
    return Attribution(
        [p.channels[i] for i in order],
        credit[order],
        None if credit_values is None else credit_values[order],
    )
