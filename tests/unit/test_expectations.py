"""Expectations: the reader's credence under ranges, and hazy counting, against references.

* The two cases that motivated expectations (issue "the calculators say what the essay
  infers"): every class's advantage anywhere from -1000 to 1000 bits with schemers
  counted 2^100 gives an expected P(schemer) of 0.30; Bob's taste unknown (-20 to 20
  bits per cuisine; 1 Mexican, 10 Chinese, 1 Thai) gives about 29% / 41% / 29%.  The
  references are the true expectations, integrated by mpmath (the best-of-N form turns
  each into a one-dimensional integral); the calculators' seeded 10,000-sample means
  must lie within Monte-Carlo error of them.
* The mean itself is exact: log-mean-exp of the very samples, against mpmath at 200 bits.
* Hazy counting's closed form is the expectation it claims to be: strict counting
  averaged over class-level uncertainty of the Gumbel-preserving shape (the log of a
  positive stable variable), checked by sampling that uncertainty with numpy.
"""

from __future__ import annotations

import math
import re

import mpmath
import numpy as np
import pytest

from calculators import CALCULATORS, run
from calculators.logspace import LN2, log2_p, log2_q, mean_log2_odds, p_from_odds
from calculators.parse import parse_field
from calculators.uncertainty import SAMPLES, sample_columns, seed_for

NAMES = ("saint", "misgeneralized", "reward_seeker", "schemer")
CUISINES = ("mexican", "chinese", "thai")


def best_of_classes(locations: list[float], half_width: float) -> list[mpmath.mpf]:
    """E[P(class i)] when P ∝ 2^(a_i + u_i), u_i ~ U(-w, w) independently.

    By the Gumbel-max trick this is the chance that a_i + u_i + G_i is the largest,
    G standard Gumbel in bits (P(G ≤ g) = exp(-2^-g)): a one-dimensional integral of
    the density of one class's score against the others' CDFs.  The CDF of u + G has a
    closed form through the exponential integral E1.
    """
    mpmath.mp.dps = 30
    w = mpmath.mpf(half_width)
    ln2 = mpmath.log(2)

    def cdf(x: mpmath.mpf, a: float) -> mpmath.mpf:
        return (mpmath.e1(mpmath.power(2, -(x - a + w)))
                - mpmath.e1(mpmath.power(2, -(x - a - w)))) / (ln2 * 2 * w)

    def pdf(x: mpmath.mpf, a: float) -> mpmath.mpf:
        return (mpmath.exp(-mpmath.power(2, -(x - a + w)))
                - mpmath.exp(-mpmath.power(2, -(x - a - w)))) / (2 * w)

    lo = min(locations) - half_width - 60
    hi = max(locations) + half_width + 60
    cuts = sorted({lo, hi, *(a + d for a in locations for d in (-half_width, half_width))})
    return [
        mpmath.quad(lambda x, i=i: pdf(x, locations[i]) * mpmath.fprod(
            cdf(x, locations[j]) for j in range(len(locations)) if j != i), cuts)
        for i in range(len(locations))
    ]


def test_counting_with_every_advantage_unknown_expects_thirty_percent() -> None:
    raw = {f"{n}_bits": "-1000 to 1000" for n in NAMES}
    reply = run("counting-odds", raw)
    third = -math.log2(3.0)  # the non-schemers' measure, split among three classes
    ref = best_of_classes([third, third, third, 100.0], 1000.0)
    assert float(ref[3]) == pytest.approx(0.30, abs=0.001)
    out = reply["outputs"]
    mean = float(out["strict_p_schemer"]["range"]["mean"]["value"])
    se = math.sqrt(0.3 * 0.7 / SAMPLES)  # each sample is ~0 or ~1 at this spread
    assert abs(mean - float(ref[3])) < 4 * se
    # It is the headline, in the page and the CLI JSON alike; the median was ~10^-124.
    assert out["p_schemer"]["value"] == out["strict_p_schemer"]["value"]
    assert re.fullmatch(r"(29|30)\.\d% \(mean; median \S+ × 10\^-12\d, 90% range .*\)",
                        out["p_schemer"]["text"])
    assert reply["headline"]["key"] == "p_schemer"
    assert re.match(r"P\(schemer\) ≈ (29|30)\.\d%: hazy counting, close to uniform over the four",
                    reply["headline"]["text"])
    assert float(out["p_schemer"]["range"]["p50"]["value"]) < 1e-100


def test_bob_with_taste_unknown_expects_29_41_29() -> None:
    raw = {f"{c}_bits": "-20 to 20" for c in CUISINES} | {
        "mexican_count": "1", "chinese_count": "10", "thai_count": "1"}
    out = run("restaurants", raw)["outputs"]
    ref = best_of_classes([0.0, math.log2(10), 0.0], 20.0)
    assert [round(float(r), 2) for r in ref] == [0.29, 0.41, 0.29]
    for c, r in zip(CUISINES, ref, strict=True):
        mean = float(out[f"p_{c}_best_gumbel"]["value"])
        assert abs(mean - float(r)) < 4 * math.sqrt(0.25 / SAMPLES), c
    texts = [out[f"p_{c}_best_gumbel"]["range"]["mean"]["text"] for c in CUISINES]
    assert [t[:2] for t in texts] == ["29", "41", "29"]


@pytest.mark.parametrize(("calc_id", "raw", "key"), [
    ("counting-odds", {f"{n}_bits": "-1000 to 1000" for n in NAMES}, "strict_p_schemer"),
    ("counting-odds", {"schemer_count": "2^-2000000 to 2^-900000"}, "p_schemer"),
    ("counting-odds", {"schemer_count": "2^900000 to 2^5000000"}, "p_schemer"),
    ("breakeven", {"prior_ratio": "2^-1000000 to 2^100", "worth_steps": "200"},
     "p_schemer_net"),
])
def test_the_mean_is_log_mean_exp_of_the_samples_exactly(
    calc_id: str, raw: dict[str, str], key: str,
) -> None:
    calc = CALCULATORS[calc_id]
    reply = run(calc_id, raw)
    used = reply["provenance"]["inputs"]
    parsed = {f.name: parse_field(f, used[f.name]) for f in calc.fields}
    cols = sample_columns(calc.fields, parsed, seed_for(calc_id, used), SAMPLES)
    ts = [float(t) for t in calc.compute_columns(cols, SAMPLES)[key]]  # type: ignore[arg-type]
    mpmath.mp.prec = 200
    two = mpmath.mpf(2)
    mean_p = mpmath.fsum(two ** mpmath.mpf(log2_p(t)) for t in ts) / len(ts)
    mean_q = mpmath.fsum(two ** mpmath.mpf(log2_q(t)) for t in ts) / len(ts)
    want = mpmath.log(mean_p / mean_q, 2)
    got = mean_log2_odds(ts)
    assert abs(mpmath.mpf(got) - want) <= 1e-9 * max(1, abs(want))
    assert reply["outputs"][key]["range"]["mean"]["value"] == repr(p_from_odds(got))


def positive_stable(alpha: float, shape: tuple[int, ...], rng: np.random.Generator
                    ) -> np.ndarray:
    """Kanter's representation: E[exp(-t S)] = exp(-t^alpha), 0 < alpha < 1."""
    u = rng.uniform(0.0, math.pi, shape)
    e = rng.exponential(1.0, shape)
    return (np.sin(alpha * u) / np.sin(u) ** (1 / alpha)) * (
        np.sin((1 - alpha) * u) / e) ** ((1 - alpha) / alpha)


@pytest.mark.parametrize(("spread", "weights"), [
    (2.0, [0.0, 1.0, -2.0, 5.0]),
    (6.0, [0.0, 0.0, 0.0, 10.0]),
    (20.0, [3.0, -4.0, 0.0, 30.0]),
])
def test_hazy_is_the_expectation_of_strict_counting(spread: float,
                                                    weights: list[float]) -> None:
    calc = CALCULATORS["counting-odds"]
    inp = {f"{n}_count": w for n, w in zip(NAMES, weights, strict=True)}
    inp |= {f"{n}_bits": 0.0 for n in NAMES} | {"preference_spread": spread}
    r = calc.compute(inp)
    tau = float(r["hazy_temperature"])  # type: ignore[arg-type]
    rng = np.random.default_rng(20231114)
    trials = 400_000
    # Class-level uncertainty: u = ln S (nats), S positive (1/τ)-stable, independent per
    # class; its standard deviation is the input's spread, in bits.
    u = np.log(positive_stable(1.0 / tau, (trials, 4), rng))
    assert float(np.std(u) / LN2) == pytest.approx(spread, rel=0.05)
    x = np.array(weights) * LN2 + u
    x -= x.max(axis=1, keepdims=True)
    strict = np.exp(x)
    strict /= strict.sum(axis=1, keepdims=True)
    expected = strict.mean(axis=0)
    for n, e, s in zip(NAMES, expected, strict.std(axis=0), strict=True):
        assert p_from_odds(float(r[f"p_{n}"])) == pytest.approx(  # type: ignore[arg-type]
            e, abs=5 * s / math.sqrt(trials) + 1e-4)
