"""Base-2 log-space arithmetic: sums, probabilities and complements that never under/overflow.

A probability is carried as its log2 odds ``t = log2(p / (1 - p))``: both
``p = 2^-1000000`` (t ≈ -1000000) and ``p = 1 - 2^-5000000`` (t ≈ 5000000) are then
ordinary floats, and either tail can be read back exactly.
"""

from __future__ import annotations

import math

__all__ = [
    "LN2",
    "log2_odds",
    "log2_one_minus",
    "log2_p",
    "log2_q",
    "lse2",
    "lse2_pair",
    "p_from_odds",
    "softplus2",
]

LN2 = math.log(2.0)
_NEG_INF = -math.inf


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


def lse2_pair(a: float, b: float) -> float:
    """Return log2(2^a + 2^b).

    >>> lse2_pair(100.0, 100.0)
    101.0
    """
    if a < b:
        a, b = b, a
    if a == _NEG_INF:
        return _NEG_INF
    return a + softplus2(b - a)


def lse2(xs: list[float]) -> float:
    """Return log2(sum of 2^x) over ``xs`` (``-inf`` for an empty list).

    >>> lse2([1e6, 1e6, 1e6, 1e6])
    1000002.0
    """
    if not xs:
        return _NEG_INF
    m = max(xs)
    if m == _NEG_INF or m == math.inf:
        return m
    return m + math.log2(math.fsum(2.0 ** (x - m) for x in xs))


def log2_one_minus(lp: float) -> float:
    """Return log2(1 - 2^lp) for lp <= 0, accurate at both ends.

    >>> log2_one_minus(-1.0)
    -1.0
    """
    if lp >= 0.0:
        return _NEG_INF
    if lp < -1.0:
        return math.log1p(-(2.0**lp)) / LN2
    return math.log2(-math.expm1(lp * LN2))


def log2_odds(lp: float, lq: float) -> float:
    """Return log2 odds from log2 p and log2 (1 - p), kept apart so neither tail is lost.

    >>> log2_odds(-1.0, -1.0)
    0.0
    """
    if lp == lq:
        return 0.0
    return lp - lq


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
