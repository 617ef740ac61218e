"""Tables of cases per calculator (the essay's worked example first) and properties."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any, ClassVar

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
        # Worth nothing to SGD, the prior stands: 1 − 2^-100.
        assert out["net_log2_odds"]["value"] == "100.0"
        assert out["p_schemer_net"]["text"].startswith("1 − 2^-100")

    def test_headline_reads_as_an_exchange_rate(self) -> None:
        text = run("breakeven", {})["headline"]["text"]
        assert "Once a non-schemer is worth 100 extra gradient steps to SGD" in text
        assert "0.01% of a 1,000,000-step run" in text
        # The retired reading, P(schemer) after a whole run spent against schemers, is gone.
        assert "p_schemer_after_run" not in run("breakeven", {})["outputs"]

    @pytest.mark.parametrize(("raw", "key", "expected"), [
        ({"prior_ratio": "2^100", "bits_per_step": "2"}, "breakeven_steps", 50.0),
        ({"prior_ratio": "2^1000000000"}, "breakeven_steps", 1e9),
        ({"prior_ratio": "2^100", "target_p_schemer": "50%"}, "steps_to_target", 100.0),
        ({"prior_ratio": "2^100", "target_p_schemer": "0.2"}, "steps_to_target", 102.0),
        ({"prior_ratio": "0.5"}, "breakeven_steps", 0.0),
        ({"training_tokens": "1e13", "batch_tokens": "1e7"}, "training_steps_used", 1e6),
        ({"training_tokens": "1e13", "batch_tokens": "1e7", "training_steps": "5"},
         "training_fraction", 1e-4),
        ({"worth_steps": "150"}, "net_log2_odds", -50.0),
        ({"worth_steps": "150", "bits_per_step": "2"}, "worth_bits", 300.0),
        ({"worth_steps": "100"}, "p_schemer_net", 0.5),
        ({"worth_steps": "101"}, "p_schemer_net", 1 / 3),
    ])
    def test_table(self, raw: dict[str, str], key: str, expected: float) -> None:
        assert value("breakeven", key, **raw) == pytest.approx(expected, rel=1e-9)

    @given(st.floats(1.0, 1e6), st.floats(1e-3, 1e3), st.floats(1.1, 1e3))
    def test_scales_as_one_over_bits(self, k: float, b: float, f: float) -> None:
        n1 = float(point("breakeven", prior_ratio=k, bits_per_step=b)["breakeven_steps"])
        n2 = float(point("breakeven", prior_ratio=k, bits_per_step=b * f)["breakeven_steps"])
        assert n1 == pytest.approx(n2 * f, rel=1e-12)

    @given(st.floats(1.0, 1e6), st.floats(1e-3, 1e3))
    def test_worth_n_star_is_even_odds(self, k: float, b: float) -> None:
        n = float(point("breakeven", prior_ratio=k, bits_per_step=b)["breakeven_steps"])
        r = point("breakeven", prior_ratio=k, bits_per_step=b, worth_steps=n)
        assert float(r["net_log2_odds"]) == pytest.approx(0.0, abs=1e-9 * k)


NAMES = ("saint", "misgeneralized", "reward_seeker", "schemer")


class TestCounting:
    def test_essay_defaults_are_strict_counting(self) -> None:
        out = outputs("counting-odds")
        # 2^100 schemer-like goals for every non-schemer goal: the same 100 bits as the
        # breakeven calculator's prior.
        assert float(out["strict_log2_odds_schemer"]["value"]) == pytest.approx(100, rel=1e-12)
        assert out["strict_log2_odds_schemer"]["value"] == outputs("breakeven")[
            "prior_log2_odds"]["value"]
        assert out["log2_odds_schemer"] == out["strict_log2_odds_schemer"]
        assert out["class_p_schemer"]["text"] == "25%"
        assert out["hazy_temperature"]["value"] == "1.0"

    def test_class_level_depends_on_how_classes_are_split(self) -> None:
        out = outputs("counting-odds")
        assert out["class_p_schemer"]["text"] == "25%"
        assert out["class_p_schemer_merged"]["text"] == "50%"
        out = outputs("counting-odds", schemer_bits="1", saint_bits="2")
        # Merged, the non-schemers' pull is the mean of 4, 1, 1: schemers 2 : 2.
        assert float(out["class_p_schemer_merged"]["value"]) == pytest.approx(0.5)

    ONES: ClassVar[dict[str, str]] = {
        "saint_count": "1", "misgeneralized_count": "1", "reward_seeker_count": "1"}

    @pytest.mark.parametrize(("raw", "key", "expected"), [
        ({"preference_spread": "0"}, "p_schemer", 1.0),
        ({"schemer_bits": "-100"}, "p_schemer", 0.5),
        ({"schemer_bits": "-100", **ONES}, "p_schemer", 0.25),
        ({"schemer_count": "1", "saint_bits": "1", **ONES}, "p_saint", 0.4),
        ({"schemer_count": "2^1000000000"}, "log2_odds_schemer", 1e9),
        # τ = sqrt(1 + 6 (σ ln 2 / π)²); at σ = π / (ln 2 · sqrt 2), τ = 2: 100 bits → 50.
        ({"preference_spread": str(math.pi / (math.log(2) * math.sqrt(2))), **ONES},
         "log2_odds_schemer", 50 - math.log2(3)),
        ({"preference_spread": str(math.pi / (math.log(2) * math.sqrt(2)))},
         "hazy_temperature", 2.0),
    ])
    def test_table(self, raw: dict[str, str], key: str, expected: float) -> None:
        assert value("counting-odds", key, **raw) == pytest.approx(expected, rel=1e-9)

    classes = st.lists(st.floats(-200, 200), min_size=4, max_size=4)

    @given(classes, classes, st.floats(0, 1e4))
    def test_probabilities_sum_to_one(self, c: list[float], s: list[float],
                                      spread: float) -> None:
        inp = {f"{n}_count": x for n, x in zip(NAMES, c, strict=True)}
        inp |= {f"{n}_bits": x for n, x in zip(NAMES, s, strict=True)}
        r = point("counting-odds", preference_spread=spread, **inp)
        for prefix in ("", "strict_", "class_"):
            total = math.fsum(p_from_odds(float(r[f"{prefix}p_{n}"])) for n in NAMES)
            assert total == pytest.approx(1.0, abs=1e-12)

    @given(st.floats(-300, 300), st.floats(0, 300), st.floats(0, 1e4), st.floats(-50, 50))
    def test_more_schemer_measure_never_lowers_p(self, c: float, more: float, spread: float,
                                                 s: float) -> None:
        a = point("counting-odds", schemer_count=c, schemer_bits=s, preference_spread=spread)
        b = point("counting-odds", schemer_count=c + more, schemer_bits=s,
                  preference_spread=spread)
        assert float(b["p_schemer"]) >= float(a["p_schemer"]) - 1e-9

    @given(st.floats(-1e4, 1e4), st.floats(-1e4, 1e4), st.floats(-1e3, 1e3))
    def test_counting_and_selection_bits_trade_one_for_one(self, c: float, s: float,
                                                           d: float) -> None:
        a = point("counting-odds", schemer_count=c, schemer_bits=s)
        b = point("counting-odds", schemer_count=c + d, schemer_bits=s - d)
        assert float(a["log2_odds_schemer"]) == pytest.approx(
            float(b["log2_odds_schemer"]), abs=1e-9 * max(1.0, abs(c) + abs(s) + abs(d)))

    @given(classes, classes)
    def test_zero_uncertainty_is_strict_counting(self, c: list[float], s: list[float]) -> None:
        inp = {f"{n}_count": x for n, x in zip(NAMES, c, strict=True)}
        inp |= {f"{n}_bits": x for n, x in zip(NAMES, s, strict=True)}
        r = point("counting-odds", preference_spread=0.0, **inp)
        for n in NAMES:
            assert r[f"p_{n}"] == r[f"strict_p_{n}"]

    @given(st.lists(st.floats(-10, 10), min_size=4, max_size=4), st.floats(3000, 1e6))
    def test_wide_uncertainty_with_equal_counts_is_uniform(self, s: list[float],
                                                           spread: float) -> None:
        inp = {f"{n}_bits": x for n, x in zip(NAMES, s, strict=True)}
        inp |= {f"{n}_count": 0.0 for n in NAMES}
        r = point("counting-odds", preference_spread=spread, **inp)
        for n in NAMES:
            assert p_from_odds(float(r[f"p_{n}"])) == pytest.approx(0.25, rel=0.01)

    @given(st.floats(1, 1e4), st.floats(1.0, 1e5))
    def test_the_count_shifts_the_hazy_odds_by_c_over_tau(self, c: float,
                                                          spread: float) -> None:
        # Privileges but does not settle: c bits of count are worth c / τ hazy bits.
        r = point("counting-odds", schemer_count=c, preference_spread=spread,
                  saint_count=0.0, misgeneralized_count=0.0, reward_seeker_count=0.0)
        tau = float(r["hazy_temperature"])
        p = p_from_odds(float(r["p_schemer"]))
        assert p > 0.25
        assert float(r["log2_odds_schemer"]) == pytest.approx(
            c / tau - math.log2(3), abs=1e-9 * max(1.0, c))

    def test_headline_names_where_the_answer_sits(self) -> None:
        assert "strict counting" in run("counting-odds", {})["headline"]["text"]
        wide = {f"{n}_bits": "-1000 to 1000" for n in NAMES}
        text = run("counting-odds", wide)["headline"]["text"]
        assert re.match(r"P\(schemer\) ≈ (29|30)\.\d%: hazy counting, close to uniform over "
                        r"the four classes, lifted above its 25%", text)


CUISINES = ("mexican", "chinese", "thai")


class TestRestaurants:
    def test_essay_defaults_bob_might_just_choose_mexican(self) -> None:
        out = outputs("restaurants")
        # Ten Chinese restaurants per Mexican one...
        assert float(out["p_chinese_by_restaurants"]["value"]) == pytest.approx(10 / 12)
        # ...but Bob likes Mexican food better: its best restaurant is most likely Mexican.
        best = {c: float(out[f"p_{c}_best_gumbel"]["value"]) for c in CUISINES}
        assert max(best, key=best.__getitem__) == "mexican"
        assert best["mexican"] == pytest.approx(16 / 27)

    def test_ten_to_one_without_taste(self) -> None:
        out = outputs("restaurants", mexican_bits="0")
        assert float(out["p_chinese_by_preference"]["value"]) == pytest.approx(1 / 3)
        assert float(out["p_chinese_best_gumbel"]["value"]) == pytest.approx(10 / 12)
        # Gaussian tails are thinner than Gumbel's: more restaurants help less.
        g = float(out["p_chinese_best_gauss"]["value"])
        assert 1 / 3 < g < 10 / 12

    def test_no_hard_coded_uniform_over_cuisines(self) -> None:
        keys = set(run("restaurants", {})["outputs"])
        assert not any(k.endswith("_by_cuisine") for k in keys)

    def test_huge_counts_stay_finite(self) -> None:
        out = outputs("restaurants", chinese_count="2^1000", mexican_bits="30")
        for key in ("p_mexican_best_gauss", "p_chinese_best_gauss", "p_thai_best_gauss"):
            assert out[key]["text"] not in ("0", "1", "0%", "100%")
        total = sum(float(out[f"p_{c}_best_gauss"]["value"]) for c in CUISINES)
        assert total == pytest.approx(1.0, abs=1e-9)

    @given(st.lists(st.floats(0, 40), min_size=3, max_size=3),
           st.lists(st.floats(-5, 5), min_size=3, max_size=3), st.floats(0.2, 5))
    def test_gauss_sums_to_one(self, c: list[float], m: list[float], s: float) -> None:
        inp = {f"{n}_count": x for n, x in zip(CUISINES, c, strict=True)}
        inp |= {f"{n}_bits": x for n, x in zip(CUISINES, m, strict=True)}
        r = point("restaurants", noise=s, **inp)
        for way in ("by_restaurants", "by_preference", "best_gumbel", "best_gauss"):
            total = math.fsum(p_from_odds(float(r[f"p_{n}_{way}"])) for n in CUISINES)
            assert total == pytest.approx(1.0, abs=1e-9)


class TestFrames:
    @pytest.mark.parametrize(("raw", "key", "expected"), [
        ({"reward_gap": "1", "beta": "10"}, "reward_gap_bits", 10 / math.log(2)),
        ({"reward_gap": "1", "freed_reward": "0", "beta": "10", "simplicity_weight": "1"},
         "net_bits", 10 - 10 / math.log(2)),
        ({"freed_reward": "0", "simplicity_bits": "0"}, "p_schemer_extra_frame", 0.5),
        ({"freed_reward": "0", "simplicity_weight": "1", "simplicity_bits": "1"},
         "p_schemer_extra_frame", 2 / 3),
        ({"freed_reward": "0", "simplicity_weight": "1", "simplicity_bits": "1"},
         "p_schemer_reward_frame", 0.5),
        # Frame 1 counts simplicity only through reward: freed parameters earn reward.
        ({"freed_reward": str(math.log(2)), "beta": "1"}, "p_schemer_reward_frame", 2 / 3),
        ({"simplicity_weight": "0.5", "simplicity_bits": "10"}, "extra_bits", 5.0),
    ])
    def test_table(self, raw: dict[str, str], key: str, expected: float) -> None:
        assert value("frames", key, **raw) == pytest.approx(expected, rel=1e-12)

    @pytest.mark.parametrize(("raw", "word"), [
        ({"reward_gap": "1", "freed_reward": "0", "simplicity_weight": "1"}, "reward"),
        ({"reward_gap": "1", "beta": "0.1", "simplicity_weight": "1"}, "simplicity"),
        ({"freed_reward": "0", "simplicity_bits": "0", "simplicity_weight": "1"}, "tie"),
    ])
    def test_decides(self, raw: dict[str, str], word: str) -> None:
        assert outputs("frames", **raw)["decides"]["value"] == word

    def test_by_default_reward_settles_frame_one_and_the_weight_is_a_range(self) -> None:
        r = run("frames", {})
        assert r["ranged"] is True and r["headline"]["key"] == "p_schemer_reward_frame"
        out = r["outputs"]
        # Section 4.1: in frame 1 the model that earns more reward wins (here the
        # schemer, by its freed parameters), modulo noise and slack.
        assert float(out["p_schemer_reward_frame"]["value"]) > 0.9999
        assert "reward settles it" in r["headline"]["text"]
        assert out["p_schemer_extra_frame"]["range"]["p5"]["value"] != (
            out["p_schemer_extra_frame"]["range"]["p95"]["value"])

    def test_same_reward_leaves_frame_one_a_coin_flip_and_frame_two_to_the_weight(
            self) -> None:
        preset = next(p for p in CALCULATORS["frames"].presets if p.name == "same-reward")
        r = run("frames", dict(preset.values))
        assert r["outputs"]["p_schemer_reward_frame"]["value"] == "0.5"
        assert 0.8 < float(r["outputs"]["p_schemer_extra_frame"]["value"]) < 0.95
        assert "cannot choose" in r["headline"]["text"]

    def test_house_buyer_focus_on_price(self) -> None:
        preset = next(p for p in CALCULATORS["frames"].presets if p.name == "house-buyer")
        out = outputs("frames", **dict(preset.values))
        assert float(out["p_schemer_reward_frame"]["value"]) < 1e-3
        assert out["decides"]["value"] == "reward"

    @given(st.floats(-10, 10), st.floats(0.01, 50), st.floats(-100, 100))
    def test_duality(self, d: float, beta: float, s: float) -> None:
        r = point("frames", reward_gap=d, freed_reward=0.0, beta=beta, simplicity_bits=s,
                  simplicity_weight=1.0)
        # The reward frame's odds are exactly exp(-beta·dR): beta·dR/ln 2 bits.
        assert float(r["p_schemer_reward_frame"]) == pytest.approx(
            math.log2(math.exp(-beta * d)), rel=1e-12, abs=1e-9)
        assert float(r["reward_gap_bits"]) == pytest.approx(beta * d / math.log(2), rel=1e-12)


@pytest.mark.parametrize("calc_id", sorted(CALCULATORS))
def test_every_preset_runs_and_differs_from_the_defaults(calc_id: str) -> None:
    calc = CALCULATORS[calc_id]
    assert len(calc.presets) >= 2
    default = run(calc_id, {})
    for preset in calc.presets:
        reply = run(calc_id, dict(preset.values))
        assert reply["ok"], (preset.name, reply)
        if preset.values:
            assert reply["outputs"] != default["outputs"], preset.name
