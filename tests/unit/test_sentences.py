"""What a sentence may say under the reader's inputs (DESIGN: "Under uncertainty").

Thresholds are solved where the expected probability crosses the line (checked against a
brute-force search in arbitrary precision); sentences name the regime the inputs put
them in, never one they do not.
"""

from __future__ import annotations

import math

import mpmath
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculators import CALCULATORS, run
from calculators.parse import parse_field
from calculators.uncertainty import crossing, sample_columns, seed_for

CLASSES = ("saint", "misgeneralized", "reward_seeker", "schemer")


def _columns(calc_id: str, raw: dict[str, str]) -> dict[str, list[float]]:
    """The ranged run's sample columns, drawn as the bridge draws them."""
    calc = CALCULATORS[calc_id]
    used = {f.name: raw.get(f.name, f.default) for f in calc.fields}
    parsed = {f.name: parse_field(f, used[f.name]) for f in calc.fields}
    return sample_columns(calc.fields, parsed, seed_for(calc_id, used))


def _mean_p(k: list[float], b: list[float], w: float) -> mpmath.mpf:
    """The samples' mean P(schemer) at worth w, in 40-digit arithmetic."""
    with mpmath.workdps(40):
        terms = [1 / (1 + mpmath.power(2, mpmath.mpf(bi) * w - mpmath.mpf(ki)))
                 for ki, bi in zip(k, b, strict=True)]
        return mpmath.fsum(terms) / len(terms)


class TestThresholdsUnderRanges:
    @pytest.mark.parametrize(("raw", "key", "line"), [
        ({"bits_per_step": "0.01 to 10"}, "breakeven_steps", 0.5),
        ({"bits_per_step": "0.01 to 10"}, "steps_to_target", 0.01),
        ({"prior_ratio": "2^50 to 2^150"}, "breakeven_steps", 0.5),
        ({"prior_ratio": "2^10 to 2^1e6", "bits_per_step": "0.5 to 2"}, "breakeven_steps",
         0.5),
        ({"prior_ratio": "2^50 to 2^150", "target_p_schemer": "1e-6"}, "steps_to_target",
         1e-6),
    ])
    def test_the_threshold_is_where_the_mean_probability_crosses(
            self, raw: dict[str, str], key: str, line: float) -> None:
        reply = run("breakeven", raw)
        w = float(reply["outputs"][key]["value"])
        cols = _columns("breakeven", raw)
        k, b = cols["prior_ratio"], cols["bits_per_step"]
        # Brute force: the mean P crosses the line between w(1 - 1e-9) and w(1 + 1e-9).
        below, above = _mean_p(k, b, w * (1 - 1e-9)), _mean_p(k, b, w * (1 + 1e-9))
        assert below >= line >= above, (below, above)

    def test_done_when_a_wide_range_of_bits_per_step(self) -> None:
        # Issue 21: the mean of k/b is 65; the mean P(schemer) is one half near 20.
        out = run("breakeven", {"bits_per_step": "0.01 to 10"})["outputs"]
        assert 19 < float(out["breakeven_steps"]["value"]) < 21
        assert float(out["steps_to_target"]["value"]) > 500  # the 1% target, not 69.5
        assert "per sample: median" in out["breakeven_steps"]["text"]

    def test_a_point_run_is_k_over_b(self) -> None:
        out = run("breakeven", {"prior_ratio": "2^100", "bits_per_step": "4"})["outputs"]
        assert out["breakeven_steps"]["value"] == "25.0"

    def test_the_sensitivity_chart_solves_too(self) -> None:
        reply = run("breakeven", {"bits_per_step": "0.01 to 10"})
        caption = reply["charts"]["sensitivity"]["caption"]
        assert "Bits per step" in caption or "Prior odds" in caption

    @given(st.floats(-50, 50), st.floats(0.1, 10), st.floats(-40, 40))
    @settings(max_examples=60, deadline=None)
    def test_crossing_finds_the_line_of_a_decreasing_function(
            self, shift: float, slope: float, line: float) -> None:
        def f(x: float) -> tuple[float, float]:
            return shift - slope * x - math.atan(x), -slope - 1.0 / (1.0 + x * x)

        x = crossing(f, line, -1e3, 1e3, 0.0)
        eps = 1e-9 * max(1.0, abs(x))
        assert f(x - eps)[0] >= line >= f(x + eps)[0]

    def test_crossing_survives_a_useless_slope(self) -> None:
        # A slope of nan or zero makes every step a halving: slower, still right.
        x = crossing(lambda x: (5.0 - x, math.nan), 1.0, 0.0, 10.0, 9.0)
        assert x == pytest.approx(4.0, abs=1e-12)


def _sentence(raw: dict[str, str]) -> str:
    return str(run("counting-odds", raw)["headline"]["text"])


class TestCountingSentences:
    def test_uniform_among_individual_models_only_with_no_advantage_and_no_spread(
            self) -> None:
        assert "uniformly among individual models" in _sentence({})
        weighted = _sentence({"saint_bits": "100"})
        assert "uniformly" not in weighted and "weighted draw" in weighted

    def test_hazy_only_with_a_spread_or_uncertain_advantages(self) -> None:
        assert "hazy" not in _sentence({})
        assert "hazy" not in _sentence({"saint_bits": "3"})
        assert "hazy" not in _sentence({"schemer_count": "2^50 to 2^150"})
        assert "hazy" in _sentence({"preference_spread": "1000"})
        assert "hazy" in _sentence({"schemer_bits": "-10 to 10"})

    def test_uniform_over_the_classes_is_exactly_a_quarter(self) -> None:
        wide = {f"{c}_bits": "-1000 to 1000" for c in CLASSES}
        reply = run("counting-odds", wide)
        assert reply["outputs"]["class_p_schemer"]["value"] == repr(0.25)
        assert "uniform over the four classes" in reply["headline"]["text"]
        assert "25%" in reply["headline"]["text"]
        # One class's advantage unknown: no longer symmetric, no such claim.
        assert "uniform over the four classes" not in _sentence(
            {"schemer_bits": "-1000 to 1000"})

    @given(st.lists(st.sampled_from(["0", "5", "-1000 to 1000", "-3 to 3"]), min_size=4,
                    max_size=4),
           st.sampled_from(["0", "10", "1000"]))
    @settings(max_examples=40, deadline=None)
    def test_every_claim_matches_its_regime(self, bits: list[str], spread: str) -> None:
        raw = {f"{c}_bits": b for c, b in zip(CLASSES, bits, strict=True)}
        raw["preference_spread"] = spread
        reply = run("counting-odds", raw)
        text = reply["headline"]["text"]
        ranged = any(" to " in b for b in bits)
        if "uniformly among individual models" in text:
            assert spread == "0" and not ranged and len(set(bits)) == 1
        if "hazy" in text:
            assert spread != "0" or ranged
        if "uniform over the four classes" in text:
            assert reply["outputs"]["class_p_schemer"]["value"] == repr(0.25)

    def test_the_saints_preset_says_what_it_shows(self) -> None:
        preset = next(p for p in CALCULATORS["counting-odds"].presets
                      if p.name == "saints-favoured")
        reply = run("counting-odds", dict(preset.values))
        assert reply["outputs"]["p_schemer"]["text"] == "75%"
        assert "three chances in four" in preset.note and "cancel" not in preset.note


class TestFramesAndRestaurants:
    def test_the_question_asks_the_concept(self) -> None:
        q = CALCULATORS["frames"].questions[0]
        p = float(run("frames", {})["outputs"][q.key]["value"])
        right = next(c for c in q.choices if c.low <= p < c.high)
        assert right.label.startswith("The schemer")
        assert "β" not in q.prompt and "0.01" not in q.prompt

    def test_a_margin_of_uncertain_sign_settles_nothing(self) -> None:
        # The mean margin (16 bits for the schemer) hides that either model may earn
        # more: the verdict follows the expected probability, about a half.
        text = run("frames", {"reward_gap": "-1 to 1"})["headline"]["text"]
        assert "settles" not in text and "cannot choose surely" in text
        text = run("frames", {"reward_gap": "0.02 to 0.03"})["headline"]["text"]
        assert "frame 1 expects the non-schemer" in text

    def test_the_house_buyer_note_reports_the_move_in_odds(self) -> None:
        preset = next(p for p in CALCULATORS["frames"].presets if p.name == "house-buyer")
        out = run("frames", dict(preset.values))["outputs"]
        p1 = float(out["p_schemer_reward_frame"]["value"])
        p2 = float(out["p_schemer_extra_frame"]["value"])
        move = (p2 / (1 - p2)) / (p1 / (1 - p1))
        # The note's exact figure against the sampled run's: within sampling error.
        stated = float(preset.note.split("about ")[1].split("-fold")[0])
        assert stated == pytest.approx(move, rel=0.1)
        assert "barely" not in preset.note

    @pytest.mark.parametrize(("span", "near_uniform"), [("-20 to 20", True),
                                                         ("-2 to 2", False)])
    def test_unknown_taste_nears_uniform_only_when_wide(self, span: str,
                                                        near_uniform: bool) -> None:
        raw = {f"{c}_bits": span for c in ("mexican", "chinese", "thai")}
        reply = run("restaurants", raw)
        chinese = float(reply["outputs"]["p_chinese_best_gumbel"]["value"])
        assert ("is much wider than" in reply["headline"]["text"]) is near_uniform
        assert (chinese < 0.5) is near_uniform
