"""Ranges to seeded samples, and samples to percentiles and histograms.

A range on a ``count`` field is sampled log-uniformly (uniform in its log2), any other
range uniformly.  The seed comes from the calculator id and the raw inputs, so the same
inputs always give the same answer.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence

from .logspace import mean_log2, mean_log2_odds
from .parse import Parsed
from .spec import Field, OutputSpec

__all__ = ["SAMPLES", "crossing", "expectation", "histogram", "percentiles",
           "sample_columns", "seed_for"]

SAMPLES = 10_000


def seed_for(calc_id: str, raw: Mapping[str, str]) -> int:
    """Return a reproducible seed for these inputs.

    >>> seed_for("breakeven", {"a": "1 to 2"}) == seed_for("breakeven", {"a": " 1 to 2 "})
    True
    """
    import hashlib  # here, not at the top: a point computation never needs it

    text = calc_id + "\x00" + "\x00".join(f"{k}={v.strip()}" for k, v in sorted(raw.items()))
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def sample_columns(
    fields: Sequence[Field], parsed: Mapping[str, Parsed], seed: int, n: int = SAMPLES
) -> dict[str, list[float]]:
    """Return one list of n samples per (non-empty) field; fixed fields repeat their value.

    >>> from calculators.spec import Field
    >>> f = Field("x", "X", "1", "real", "", "1")
    >>> cols = sample_columns([f], {"x": Parsed(1.5, 1.0, 2.0)}, seed=1, n=1000)
    >>> 1.0 <= min(cols["x"]) and max(cols["x"]) <= 2.0
    True
    """
    import random

    rnd = random.Random(seed)
    r = rnd.random
    cols: dict[str, list[float]] = {}
    for f in fields:
        p = parsed[f.name]
        if p.empty:
            continue
        if p.low is None or p.high is None:
            cols[f.name] = [p.value] * n
        else:
            lo, w = p.low, p.high - p.low
            cols[f.name] = [lo + w * r() for _ in range(n)]
    return cols


def percentiles(s: Sequence[float]) -> tuple[float, float, float]:
    """Return (p5, p50, p95) of the sorted samples ``s`` by the nearest-rank rule.

    >>> percentiles([float(i) for i in range(101)])
    (5.0, 50.0, 95.0)
    """
    n = len(s) - 1
    return s[round(0.05 * n)], s[round(0.5 * n)], s[round(0.95 * n)]


def histogram(
    xs: Sequence[float], bins: int = 24, presorted: bool = False
) -> tuple[list[int], float, float]:
    """Return (counts, low, high) over the samples' 0.5th to 99.5th percentiles.

    >>> histogram([0.0, 1.0, 2.0, 3.0], bins=2)
    ([2, 2], 0.0, 3.0)
    """
    s = xs if presorted else sorted(xs)
    # Infinite carriers (an exact 0 or 1) sit at the ends of the sorted list; skip them.
    a, b = bisect_right(s, -math.inf), bisect_left(s, math.inf)
    if a >= b:
        return [0] * bins, 0.0, 0.0
    n = b - 1 - a
    lo, hi = s[a + round(0.005 * n)], s[a + round(0.995 * n)]
    if hi <= lo:
        counts = [0] * bins
        counts[bins // 2] = bisect_right(s, hi) - bisect_left(s, lo)
        return counts, lo, hi
    edges = [lo + (hi - lo) * i / bins for i in range(bins + 1)]
    cuts = [bisect_left(s, e) for e in edges[:-1]] + [bisect_right(s, hi)]
    return [cuts[i + 1] - cuts[i] for i in range(bins)], lo, hi


def expectation(spec: OutputSpec, xs: Sequence[float]) -> float:
    """Return the carrier of an output's expectation over its samples ``xs``.

    Probabilities (and log2 odds) average the probability in log space, so the mean is
    the reader's credence and the classes' means sum to one; counts and fractions
    average the quantity, not its log; plain numbers average as they are.

    >>> from calculators.spec import OutputSpec
    >>> expectation(OutputSpec("p", "P", kind="probability"), [-1e9, 1e9])
    0.0
    >>> expectation(OutputSpec("n", "N"), [1.0, 2.0])
    1.5
    """
    if len(xs) == 1:
        return xs[0]
    if spec.kind in ("probability", "log2_odds"):
        return mean_log2_odds(xs)
    if spec.kind in ("count", "fraction"):
        return mean_log2(xs)
    return math.fsum(xs) / len(xs)


def crossing(f: Callable[[float], tuple[float, float]], line: float, lo: float, hi: float,
             start: float) -> float:
    """Return x in [lo, hi] where the decreasing function ``f`` crosses ``line``.

    ``f(x)`` gives the function's value and its slope at x; ``f(lo) >= line >= f(hi)``
    is assumed (the caller brackets the crossing).  Newton's method from ``start``,
    kept inside the bracket, which shrinks at every step; where a Newton step would
    leave it (or the slope is not a finite negative number) the bracket is halved
    instead, so it always converges.  It stops after a step of under 1e-7 of x: Newton
    squares the relative error, which leaves it near 1e-14, below what CPython and
    Pyodide may differ by (1e-12) and far below the digits shown.

    >>> round(crossing(lambda x: (10.0 - x * x, -2.0 * x), 1.0, 0.0, 10.0, 5.0), 12)
    3.0
    """
    x = min(max(start, lo), hi)
    for _ in range(400):
        fx, slope = f(x)
        fx -= line
        if fx == 0.0:
            return x
        if fx > 0.0:
            lo = x
        else:
            hi = x
        nx = x - fx / slope if slope < 0.0 and math.isfinite(slope) else math.nan
        if abs(nx - x) <= 4e-16 * abs(x):  # a step of a few ulps: converged
            return x
        if abs(nx - x) <= 1e-7 * abs(x) and lo < nx < hi:
            return nx  # Newton squares the error: this step leaves it near 1e-14
        if not lo < nx < hi:
            nx = lo + (hi - lo) / 2.0
        if hi - lo <= 4e-16 * abs(nx):
            return nx
        x = nx
    return x
