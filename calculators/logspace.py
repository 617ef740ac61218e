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
    [-1.5849625007211563, -1.5849625007211563, -1.5849625007211563, -1.5849625007211563]
    >>> class_log2_odds([0.0, 2000.0, 0.0])
    [-2000.0, 1999.0, -2000.0]
    """
    m, lo = max(weights), min(weights)
    if m - lo < _LINEAR_SPREAD:
        e = [2.0 ** (w - m) for w in weights]
        log2, fsum = math.log2, math.fsum
        # The others' sum is added up afresh for each class (n is small): 1 - p by
        # subtraction would lose a dominant class's tiny complement.
        return [log2(x / fsum(e[:i] + e[i + 1:])) for i, x in enumerate(e)]
    out = []
    for i, w in enumerate(weights):
        rest = lse2([v for j, v in enumerate(weights) if j != i])
        out.append(w - rest)
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
        outside = [t for t in ts if not -_LINEAR_SPREAD < t < _LINEAR_SPREAD]
        lps.append(lse2([log2_p(t) for t in outside]))
        lqs.append(lse2([log2_q(t) for t in outside]))
    lp, lq = lse2(lps), lse2(lqs)
    if lp == lq:
        return 0.0
    return lp - lq
