"""Base-2 log-space arithmetic: sums, probabilities and means that never under/overflow.

A probability is carried as its log2 odds ``t = log2(p / (1 - p))``: both
``p = 2^-1000000`` (t ≈ -1000000) and ``p = 1 - 2^-5000000`` (t ≈ 5000000) are then
ordinary floats, and either tail can be read back exactly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = [
    "LN2",
    "class_log2_odds",
    "class_log2_odds_columns",
    "log2_p",
    "log2_q",
    "lse",
    "lse2",
    "mean_log2",
    "mean_log2_odds",
    "p_from_odds",
    "softplus2",
]

LN2 = math.log(2.0)
_NEG_INF = -math.inf
#: Below this spread of log2 weights, 2^(w - max) cannot underflow: sum in linear space.
_LINEAR_SPREAD = 1000.0
#: A sum of 2^(w - max) terms above this (about 2^-897) has a normal largest term, so
#: it is exact to a double's precision.
_TINY_SUM = 1e-270


def softplus2(x: float) -> float:
    """Return log2(1 + 2^x) without overflow.

    >>> softplus2(0.0)
    1.0
    >>> softplus2(1e9)
    1000000000.0
    """
    if x > 0.0:
        return x + math.log1p(2.0 ** (-x)) / LN2
    if x == _NEG_INF:
        return 0.0
    return math.log1p(2.0**x) / LN2


def lse2(xs: Sequence[float]) -> float:
    """Return log2(sum of 2^x) over ``xs`` (``-inf`` for an empty sequence).

    >>> lse2([1e6, 1e6, 1e6, 1e6])
    1000002.0
    >>> lse2([-1e6, 0.0])
    0.0
    """
    if not xs:
        return _NEG_INF
    m = max(xs)
    if m == _NEG_INF or m == math.inf:
        return m
    return m + math.log2(math.fsum([2.0 ** (x - m) for x in xs]))


def lse(xs: Sequence[float]) -> float:
    """Return ln(sum of e^x) over ``xs``: the natural-log twin of ``lse2``.

    >>> round(lse([0.0, 0.0]), 15) == round(math.log(2.0), 15)
    True
    """
    m = max(xs)
    if m == _NEG_INF or m == math.inf:
        return m
    return m + math.log(math.fsum([math.exp(x - m) for x in xs]))


def class_log2_odds(weights: Sequence[float]) -> list[float]:
    """Log2 odds of each class against all the others, from the classes' log2 weights.

    Exact whatever the spread: a class 10^6 bits behind the rest gets odds of about
    2^-1000000, not 0.

    >>> class_log2_odds([0.0, 0.0, 0.0, 0.0])
    [-1.584962500721156, -1.584962500721156, -1.584962500721156, -1.584962500721156]
    >>> class_log2_odds([0.0, 2000.0, 0.0])
    [-2000.0, 1999.0, -2000.0]
    """
    return [col[0] for col in class_log2_odds_columns([[w] for w in weights])]


def class_log2_odds_columns(weights: Sequence[Sequence[float]]) -> list[list[float]]:
    """``class_log2_odds`` for many samples at once: ``weights[k][i]`` is class k's log2
    weight in sample i; returns the log2 odds in the same layout.

    >>> class_log2_odds_columns([[0.0, 0.0], [0.0, 1e6]])
    [[0.0, -1000000.0], [0.0, 1000000.0]]
    """
    k = len(weights)
    tops = [max(ws) for ws in zip(*weights, strict=True)]
    # Weights relative to each sample's largest: one that underflows here is so far
    # behind that it cannot move anyone else's odds; its own odds come from its exponent.
    rel = [[w - t for w, t in zip(col, tops, strict=True)] for col in weights]
    es = [[2.0**d for d in col] for col in rel]
    log2 = math.log2
    out = []
    for c in range(k):
        # The others' sum is added up afresh for each class (k is small): 1 - p by
        # subtraction would lose a dominant class's tiny complement.
        others = [es[j] for j in range(k) if j != c]
        rests = list(map(sum, zip(*others, strict=True))) if len(others) > 1 else others[0]
        col = [d - log2(r) if r > _TINY_SUM else math.nan
               for d, r in zip(rel[c], rests, strict=True)]
        for i, r in enumerate(rests):
            if not r > _TINY_SUM:  # every other class is over ~900 bits behind: exactly
                col[i] = weights[c][i] - lse2([weights[j][i] for j in range(k) if j != c])
        out.append(col)
    return out


def p_from_odds(t: float) -> float:
    """Return p from its log2 odds t (rounds to 0.0 or 1.0 only past float range).

    >>> p_from_odds(0.0)
    0.5
    >>> p_from_odds(-1e6)
    0.0
    """
    if t >= 0.0:
        return 1.0 / (1.0 + 2.0 ** (-t)) if t < 2000.0 else 1.0
    if t < -1100.0:
        return 0.0
    e = math.pow(2.0, t)
    return e / (1.0 + e)


def log2_p(t: float) -> float:
    """Return log2 p from log2 odds t.

    >>> log2_p(-1e6)
    -1000000.0
    """
    return -softplus2(-t)


def log2_q(t: float) -> float:
    """Return log2 (1 - p) from log2 odds t.

    >>> log2_q(5e6)
    -5000000.0
    """
    return -softplus2(t)


def mean_log2(xs: Sequence[float]) -> float:
    """Return log2 of the mean of 2^x over ``xs``: the mean of quantities carried as log2.

    >>> mean_log2([1.0, 3.0])
    2.321928094887362
    """
    return lse2(xs) - math.log2(len(xs))


def mean_log2_odds(ts: Sequence[float]) -> float:
    """Return the log2 odds of the mean probability of samples given as log2 odds.

    The mean of p and the mean of 1 - p are each taken in log space (log-mean-exp), so
    the mean of probabilities such as 2^-1000000 is exact, and so is a mean within
    2^-5000000 of 1.  Means of mutually exclusive classes sum to one.

    >>> mean_log2_odds([0.0, 0.0])
    0.0
    >>> round(p_from_odds(mean_log2_odds([-1e9, 1e9])), 12)
    0.5
    >>> mean_log2_odds([-1e6, -1e6 + 1.0])
    -999999.4150374993
    """
    # Where neither p nor 1 - p can underflow, sum them in linear space (fast); the
    # rest, in log space.
    inside = [t for t in ts if -_LINEAR_SPREAD < t < _LINEAR_SPREAD]
    lps, lqs = [], []
    if inside:
        es = [2.0 ** (-t) for t in inside]
        lps.append(math.log2(math.fsum([1.0 / (1.0 + e) for e in es])))
        lqs.append(math.log2(math.fsum([e / (1.0 + e) for e in es])))
    if len(inside) < len(ts):
        # Beyond ±1000 bits, log2 p is t itself (or 0) and log2 (1 - p) is 0 (or -t),
        # each to far below a double's precision: 2^-1000 cannot move them.
        low = [t for t in ts if t <= -_LINEAR_SPREAD]
        high = [-t for t in ts if t >= _LINEAR_SPREAD]
        count = [math.log2(len(xs)) if xs else _NEG_INF for xs in (high, low)]
        lps.append(lse2([lse2(low), count[0]]))
        lqs.append(lse2([count[1], lse2(high)]))
    lp, lq = lse2(lps), lse2(lqs)
    if lp == lq:
        return 0.0
    return lp - lq
