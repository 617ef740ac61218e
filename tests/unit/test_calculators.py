"""Tables of cases per calculator (the essay's worked example first) and properties."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calculators import CALCULATORS, run
from calculators.logspace import p_from_odds


def outputs(calc_id: str, **raw: str) -> Any:
    reply = run(calc_id, raw)
    assert reply["ok"], reply
    return reply["outputs"]


def value(calc_id: str, key: str, **raw: str) -> float:
    return float(outputs(calc_id, **raw)[key]["value"])


def point(calc_id: str, **inputs: float) -> Mapping[str, Any]:
    """Compute directly from parsed values (counts in log2), defaults filled in."""
    calc = CALCULATORS[calc_id]
    base = {k: float(v["value"]) for k, v in run(calc_id, {})["inputs"].items() if v["value"]}
    base.update(inputs)
    return calc.compute(base)  # carriers: floats (log2 odds for probabilities)


class TestBreakeven:
    def test_essay_example(self) -> None:
        out = outputs("breakeven", prior_ratio="2^100", bits_per_step="1",
                      training_steps="1e6")
        assert out["breakeven_steps"]["value"] == "100.0"
        assert out["breakeven_steps"]["text"] == "100"
        assert out["training_fraction"]["value"] == "0.0001"
        assert out["training_fraction"]["text"] == "0.01%"
        assert out["prior_log2_odds"]["value"] == "100.0"

    @pytest.mark.parametrize(("raw", "key", "expected"), [
        ({"prior_ratio": "2^100", "bits_per_step": "2"}, "breakeven_steps", 50.0),
        ({"prior_ratio": "2^1000000000"}, "breakeven_steps", 1e9),
        ({"prior_ratio": "2^100", "target_p_schemer": "50%"}, "steps_to_target", 100.0),
        ({"prior_ratio": "2^100", "target_p_schemer": "0.2"}, "steps_to_target", 102.0),
        ({"prior_ratio": "0.5"}, "breakeven_steps", 0.0),
        ({"training_tokens": "1e13", "batch_tokens": "1e7"}, "training_steps_used", 1e6),
        ({"training_tokens": "1e13", "batch_tokens": "1e7", "training_steps": "5"},
         "training_fraction", 1e-4),
    ])
    def test_table(self, raw: dict[str, str], key: str, expected: float) -> None:
        assert value("breakeven", key, **raw) == pytest.approx(expected, rel=1e-9)

    @given(st.floats(1.0, 1e6), st.floats(1e-3, 1e3), st.floats(1.1, 1e3))
    def test_scales_as_one_over_bits(self, k: float, b: float, f: float) -> None:
        n1 = float(point("breakeven", prior_ratio=k, bits_per_step=b)["breakeven_steps"])
        n2 = float(point("breakeven", prior_ratio=k, bits_per_step=b * f)["breakeven_steps"])
        assert n1 == pytest.approx(n2 * f, rel=1e-12)


class TestCounting:
    def test_essay_defaults(self) -> None:
        out = outputs("counting-odds")
        # Strict counting: 2^100 schemers against three single goals.
        assert float(out["strict_log2_odds_schemer"]["value"]) == pytest.approx(
            100 - math.log2(3), rel=1e-12)
        assert out["class_p_schemer"]["text"] == "25%"
        assert float(out["p_schemer"]["value"]) == pytest.approx(0.5 + 0.5 * 0.25, rel=1e-12)

    @pytest.mark.parametrize(("raw", "key", "expected"), [
        ({"strict_weight": "1"}, "p_schemer", 1.0),
        ({"strict_weight": "0"}, "p_schemer", 0.25),
        ({"schemer_bits": "-100", "strict_weight": "1"}, "p_schemer", 0.25),
        ({"schemer_count": "1", "saint_bits": "1", "strict_weight": "1"}, "p_saint", 0.4),
        ({"schemer_count": "2^1000000000", "strict_weight": "1"}, "log2_odds_schemer",
         1e9 - math.log2(3)),
    ])
    def test_table(self, raw: dict[str, str], key: str, expected: float) -> None:
        assert value("counting-odds", key, **raw) == pytest.approx(expected, rel=1e-9)

    classes = st.lists(st.floats(-200, 200), min_size=4, max_size=4)

    @given(classes, classes, st.floats(0, 1))
    def test_probabilities_sum_to_one(self, c: list[float], s: list[float], w: float) -> None:
        names = ["saint", "misgeneralized", "reward_seeker", "schemer"]
        inp = {f"{n}_count": x for n, x in zip(names, c, strict=True)}
        inp |= {f"{n}_bits": x for n, x in zip(names, s, strict=True)}
        r = point("counting-odds", strict_weight=w, **inp)
        for prefix in ("", "strict_", "class_"):
            total = math.fsum(p_from_odds(float(r[f"{prefix}p_{n}"])) for n in names)
            assert total == pytest.approx(1.0, abs=1e-12)

    @given(st.floats(-300, 300), st.floats(0, 300), st.floats(0, 1), st.floats(-50, 50))
    def test_more_schemer_measure_never_lowers_p(self, c: float, more: float, w: float,
                                                 s: float) -> None:
        a = point("counting-odds", schemer_count=c, schemer_bits=s, strict_weight=w)
        b = point("counting-odds", schemer_count=c + more, schemer_bits=s, strict_weight=w)
        assert float(b["p_schemer"]) >= float(a["p_schemer"]) - 1e-9

    @given(st.floats(-1e4, 1e4), st.floats(-1e4, 1e4), st.floats(-1e3, 1e3))
    def test_counting_and_selection_bits_trade_one_for_one(self, c: float, s: float,
                                                           d: float) -> None:
        a = point("counting-odds", schemer_count=c, schemer_bits=s, strict_weight=1.0)
        b = point("counting-odds", schemer_count=c + d, schemer_bits=s - d, strict_weight=1.0)
        assert float(a["log2_odds_schemer"]) == pytest.approx(
            float(b["log2_odds_schemer"]), abs=1e-9 * max(1.0, abs(c) + abs(s) + abs(d)))


class TestRestaurants:
    def test_essay_ten_to_one(self) -> None:
        out = outputs("restaurants", mexican_count="1", chinese_count="10", thai_count="1",
                      mexican_bits="0", chinese_bits="0", thai_bits="0")
        assert float(out["p_chinese_by_restaurants"]["value"]) == pytest.approx(10 / 12)
        assert float(out["p_chinese_by_cuisine"]["value"]) == pytest.approx(1 / 3)
        assert float(out["p_chinese_by_preference"]["value"]) == pytest.approx(1 / 3)
        assert float(out["p_chinese_best_gumbel"]["value"]) == pytest.approx(10 / 12)
        # Gaussian tails are thinner than Gumbel's: more restaurants help less.
        g = float(out["p_chinese_best_gauss"]["value"])
        assert 1 / 3 < g < 10 / 12

    def test_preference_wins_with_one_restaurant(self) -> None:
        out = outputs("restaurants", mexican_bits="2")
        assert float(out["p_mexican_by_preference"]["value"]) == pytest.approx(4 / 6)
        assert float(out["p_mexican_best_gumbel"]["value"]) == pytest.approx(4 / 15)

    def test_huge_counts_stay_finite(self) -> None:
        out = outputs("restaurants", chinese_count="2^1000", mexican_bits="30")
        for key in ("p_mexican_best_gauss", "p_chinese_best_gauss", "p_thai_best_gauss"):
            assert out[key]["text"] not in ("0", "1", "0%", "100%")
        total = sum(float(out[f"p_{c}_best_gauss"]["value"])
                    for c in ("mexican", "chinese", "thai"))
        assert total == pytest.approx(1.0, abs=1e-9)

    @given(st.lists(st.floats(0, 40), min_size=3, max_size=3),
           st.lists(st.floats(-5, 5), min_size=3, max_size=3), st.floats(0.2, 5))
    def test_gauss_sums_to_one(self, c: list[float], m: list[float], s: float) -> None:
        names = ["mexican", "chinese", "thai"]
        inp = {f"{n}_count": x for n, x in zip(names, c, strict=True)}
        inp |= {f"{n}_bits": x for n, x in zip(names, m, strict=True)}
        r = point("restaurants", noise=s, **inp)
        for way in ("by_restaurants", "by_preference", "best_gumbel", "best_gauss"):
            total = math.fsum(p_from_odds(float(r[f"p_{n}_{way}"])) for n in names)
            assert total == pytest.approx(1.0, abs=1e-9)


class TestFrames:
    @pytest.mark.parametrize(("raw", "key", "expected"), [
        ({"reward_gap": "1", "beta": "10", "simplicity_bits": "10"}, "reward_gap_bits",
         10 / math.log(2)),
        ({"reward_gap": "1", "beta": "10", "simplicity_bits": "10"}, "net_bits",
         10 - 10 / math.log(2)),
        ({"reward_gap": "0", "simplicity_bits": "0"}, "p_schemer_extra_frame", 0.5),
        ({"reward_gap": "0", "simplicity_bits": "1"}, "p_schemer_extra_frame", 2 / 3),
        ({"reward_gap": "0", "simplicity_bits": "1"}, "p_schemer_reward_frame", 0.5),
    ])
    def test_table(self, raw: dict[str, str], key: str, expected: float) -> None:
        assert value("frames", key, **raw) == pytest.approx(expected, rel=1e-12)

    @pytest.mark.parametrize(("raw", "word"), [
        ({}, "reward"),
        ({"beta": "0.1"}, "simplicity"),
        ({"reward_gap": "0", "simplicity_bits": "0"}, "tie"),
    ])
    def test_decides(self, raw: dict[str, str], word: str) -> None:
        assert outputs("frames", **raw)["decides"]["value"] == word

    @given(st.floats(-10, 10), st.floats(0.01, 50), st.floats(-100, 100))
    def test_duality(self, d: float, beta: float, s: float) -> None:
        r = point("frames", reward_gap=d, beta=beta, simplicity_bits=s)
        # The reward frame's odds are exactly exp(-beta·dR): beta·dR/ln 2 bits.
        assert float(r["p_schemer_reward_frame"]) == pytest.approx(
            math.log2(math.exp(-beta * d)), rel=1e-12, abs=1e-9)
