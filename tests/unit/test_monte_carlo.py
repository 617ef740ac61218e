"""The unifying fact, checked by seeded Monte-Carlo with numpy at small N.

If every individual's score is its class's advantage plus Gumbel noise, the best one
lies in class i with probability 2^(c_i + s_i) / Σ 2^(c_j + s_j): counting bits and
selection bits trade one for one.  The Gaussian integral is checked the same way.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from calculators import CALCULATORS
from calculators.logspace import p_from_odds

TRIALS = 100_000
CUISINES = ("mexican", "chinese", "thai")


def carriers(calc_id: str, inputs: dict[str, float]) -> dict[str, float]:
    """The model's numeric carriers by output key (a text output, a word, is left out)."""
    out = CALCULATORS[calc_id].compute(inputs)
    return {k: float(v) for k, v in out.items() if isinstance(v, int | float)}


def simulate(counts: list[int], means: list[float], noise: str, scale: float) -> np.ndarray:
    rng = np.random.default_rng(12345)
    n = sum(counts)
    cls = np.repeat(np.arange(len(counts)), counts)
    mu = np.repeat(np.array(means), counts)
    if noise == "gumbel":
        draws = mu + scale * rng.gumbel(size=(TRIALS, n))
    else:
        draws = mu + scale * rng.standard_normal(size=(TRIALS, n))
    winners = cls[np.argmax(draws, axis=1)]
    return np.bincount(winners, minlength=len(counts)) / TRIALS


@pytest.mark.parametrize(("counts", "bits", "noise"), [
    ([1, 10, 1], [0.0, 0.0, 0.0], 1.0),
    ([1, 10, 1], [2.0, 0.0, 0.0], 1.0),
    ([3, 5, 2], [1.0, -1.0, 0.5], 0.7),
])
def test_best_of_n(counts: list[int], bits: list[float], noise: float) -> None:
    inp = {f"{c}_count": math.log2(n) for c, n in zip(CUISINES, counts, strict=True)}
    inp |= {f"{c}_bits": b for c, b in zip(CUISINES, bits, strict=True)}
    inp["noise"] = noise
    r = carriers("restaurants", inp)
    gumbel_scale = noise / math.log(2)
    mc_gumbel = simulate(counts, bits, "gumbel", gumbel_scale)
    mc_gauss = simulate(counts, bits, "gauss", gumbel_scale * math.pi / math.sqrt(6))
    for i, c in enumerate(CUISINES):
        p_gum = p_from_odds(r[f"p_{c}_best_gumbel"])
        p_gau = p_from_odds(r[f"p_{c}_best_gauss"])
        tol = 5 * math.sqrt(0.25 / TRIALS)
        assert abs(mc_gumbel[i] - p_gum) < tol
        assert abs(mc_gauss[i] - p_gau) < tol


def test_unifying_fact_matches_strict_counting() -> None:
    counts, bits = [1, 4, 2], [3.0, 1.0, 0.0]
    inp = {f"{c}_count": math.log2(n) for c, n in zip(CUISINES, counts, strict=True)}
    inp |= {f"{c}_bits": b for c, b in zip(CUISINES, bits, strict=True)}
    inp["noise"] = 1.0
    r = carriers("restaurants", inp)
    weights = [n * 2.0**b for n, b in zip(counts, bits, strict=True)]
    for c, w in zip(CUISINES, weights, strict=True):
        assert p_from_odds(r[f"p_{c}_best_gumbel"]) == pytest.approx(
            w / sum(weights), rel=1e-12)
    mc = simulate(counts, bits, "gumbel", 1 / math.log(2))
    assert np.allclose(mc, np.array(weights) / sum(weights), atol=0.008)
