"""Extremes against mpmath at 200-bit precision: counts of 2^(10^6) and 2^(10^9),
probabilities down to 2^-1000000 and up to 1 - 2^-5000000, to 1e-9 relative."""

from __future__ import annotations

import mpmath
import pytest

from calculators import CALCULATORS
from calculators.logspace import log2_p, log2_q

mpmath.mp.prec = 200
REL = 1e-9
NAMES = ("saint", "misgeneralized", "reward_seeker", "schemer")


def carriers(calc_id: str, inputs: dict[str, float]) -> dict[str, float]:
    """The model's numeric carriers by output key (a text output, a word, is left out)."""
    out = CALCULATORS[calc_id].compute(inputs)
    return {k: float(v) for k, v in out.items() if isinstance(v, int | float)}


def counting(counts: tuple[float, ...], bits: tuple[float, ...], spread: float = 0.0
             ) -> dict[str, float]:
    inp = {f"{n}_count": c for n, c in zip(NAMES, counts, strict=True)}
    inp |= {f"{n}_bits": s for n, s in zip(NAMES, bits, strict=True)}
    inp["preference_spread"] = spread
    return carriers("counting-odds", inp)


def ref_probs(logw: tuple[float, ...]) -> list[mpmath.mpf]:
    ws = [mpmath.power(2, mpmath.mpf(x)) for x in logw]
    tot = mpmath.fsum(ws)
    return [w / tot for w in ws]


def close(x: float, ref: mpmath.mpf) -> bool:
    return bool(abs(mpmath.mpf(x) - ref) <= REL * abs(ref))


@pytest.mark.parametrize("big", [1e6, 1e9])
def test_strict_huge_schemer_count(big: float) -> None:
    r = counting((0.0, 0.0, 0.0, big), (0.0, 1.0, -2.0, 3.0))
    ps = ref_probs((0.0, 1.0, -2.0, big + 3.0))
    # The schemer's complement and the minorities' own probabilities, both tiny.
    assert close(log2_q(r["p_schemer"]), mpmath.log(1 - ps[3] if ps[3] < 1 else
                                                    mpmath.fsum(ps[:3]), 2))
    assert close(log2_p(r["strict_p_saint"]), mpmath.log(ps[0], 2))
    assert close(r["strict_log2_odds_schemer"], mpmath.log(ps[3] / mpmath.fsum(ps[:3]), 2))


def test_log2_odds_exact_at_one_minus_two_to_minus_five_million() -> None:
    r = counting((0.0, -1e9, -1e9, 5e6), (0.0, 0.0, 0.0, 0.0))
    ps = ref_probs((0.0, -1e9, -1e9, 5e6))
    q = mpmath.fsum(ps[:3])
    assert close(log2_q(r["p_schemer"]), mpmath.log(q, 2))  # P = 1 - 2^-5000000
    assert close(r["log2_odds_schemer"], mpmath.log(ps[3] / q, 2))


@pytest.mark.parametrize("tiny", [-1e3, -1e5, -1e6])
def test_tiny_probabilities(tiny: float) -> None:
    r = counting((0.0, 0.0, 0.0, 0.0), (0.0, 0.0, 0.0, tiny))
    ps = ref_probs((0.0, 0.0, 0.0, tiny))
    assert close(log2_p(r["class_p_schemer"]), mpmath.log(ps[3], 2))
    assert close(log2_p(r["p_schemer"]), mpmath.log(ps[3], 2))


@pytest.mark.parametrize(("big", "spread"), [(1e9, 1e3), (1e6, 10.0), (1e9, 1e7)])
def test_hazy_with_huge_counts(big: float, spread: float) -> None:
    # Hazy counting is strict counting at temperature τ: the count 2^big is worth big/τ
    # bits, and a minority class's chance stays exact however small.
    r = counting((0.0, 0.0, 0.0, big), (0.0, 0.0, 0.0, 0.0), spread)
    tau = mpmath.sqrt(1 + 6 * (mpmath.mpf(spread) * mpmath.log(2) / mpmath.pi) ** 2)
    ps = ref_probs(tuple(float(mpmath.mpf(x) / tau) for x in (0.0, 0.0, 0.0, big)))
    assert close(r["hazy_temperature"], tau)
    assert close(log2_p(r["p_saint"]), mpmath.log(ps[0], 2))
    assert close(log2_q(r["p_schemer"]), mpmath.log(mpmath.fsum(ps[:3]), 2))


@pytest.mark.parametrize(("k", "b"), [(1e6, 1.0), (1e9, 3.0), (1e9, 1e-3)])
def test_breakeven_huge_prior(k: float, b: float) -> None:
    r = carriers("breakeven", {
        "prior_ratio": k, "bits_per_step": b, "training_steps": 20.0, "target_p_schemer": 0.01,
        "worth_steps": 2 * k / b,
    })
    # Worth twice the breakeven: the net odds are 2^-k, about 2^-1000000000 at most.
    assert close(log2_p(r["p_schemer_net"]), mpmath.log(
        1 / (1 + mpmath.power(2, mpmath.mpf(k))), 2))
    assert close(r["breakeven_steps"], mpmath.mpf(k) / b)
    target = mpmath.log(mpmath.mpf(0.01) / (1 - mpmath.mpf(0.01)), 2)
    assert close(r["steps_to_target"], (k - target) / b)


@pytest.mark.parametrize("counts", [(1000.0, 0.0, 999.0), (1e6, 0.0, 1e6 - 1), (40.0, 0.0, 3.0)])
def test_gauss_equal_means_is_exact_share(counts: tuple[float, float, float]) -> None:
    # With equal means every restaurant is exchangeable: P(i) = N_i / Σ N, exactly.
    inp = {f"{c}_count": n for c, n in zip(("mexican", "chinese", "thai"), counts, strict=True)}
    inp |= {"mexican_bits": 0.0, "chinese_bits": 0.0, "thai_bits": 0.0, "noise": 1.0}
    r = carriers("restaurants", inp)
    ps = ref_probs(counts)
    for c, p in zip(("mexican", "chinese", "thai"), ps, strict=True):
        assert close(log2_p(r[f"p_{c}_best_gauss"]), mpmath.log(p, 2))
