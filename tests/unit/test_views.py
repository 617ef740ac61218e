"""What the reader sees beyond the numbers: sensitivity, log-odds charts, questions, CSV."""

from __future__ import annotations

import math
import re

import pytest

from calculators import CALCULATORS, run
from calculators.bridge import samples_csv
from calculators.parse import Parsed, parse_field
from calculators.sensitivity import span, swings

IDS = sorted(CALCULATORS)


def parsed(calc_id: str, **raw: str) -> dict[str, Parsed]:
    calc = CALCULATORS[calc_id]
    return {f.name: parse_field(f, raw.get(f.name, f.default)) for f in calc.fields}


class TestSensitivity:
    def test_breakeven_swings_are_exact(self) -> None:
        sw = {s.name: s for s in swings(CALCULATORS["breakeven"], parsed("breakeven"), None)}
        # The prior moves ±10 bits: n* = k / b from 90 to 110.
        assert (sw["prior_ratio"].at_low, sw["prior_ratio"].at_high) == (90.0, 110.0)
        assert sw["prior_ratio"].stated
        # The target and the worth do not move n* at all.
        assert sw["target_p_schemer"].size == 0.0 and sw["worth_steps"].size == 0.0
        assert "training_tokens" not in sw  # an empty optional input has no span

    @pytest.mark.parametrize("calc_id", IDS)
    def test_sorted_largest_first_and_one_bar_per_input(self, calc_id: str) -> None:
        calc = CALCULATORS[calc_id]
        reply = run(calc_id, {})
        sw = swings(calc, parsed(calc_id), None) if not reply["ranged"] else None
        if sw is not None:
            sizes = [s.size for s in sw]
            assert sizes == sorted(sizes, reverse=True)
        chart = reply["charts"]["sensitivity"]
        inputs = [f for f in calc.fields if reply["inputs"][f.name]["value"]]
        assert chart["svg"].count("<rect") == len(inputs)
        assert chart["table"].count("<tr>") == len(inputs) + 1
        assert chart["caption"].startswith("The input that matters most here is ")

    def test_the_readers_range_is_the_span(self) -> None:
        p = parsed("breakeven", prior_ratio="2^50 to 2^150")
        f = next(f for f in CALCULATORS["breakeven"].fields if f.name == "prior_ratio")
        assert span(f, p["prior_ratio"]) == (50.0, 150.0, False)
        reply = run("breakeven", {"prior_ratio": "2^50 to 2^150"})
        assert "(your range)" in reply["charts"]["sensitivity"]["table"]

    def test_counting_names_uncertainty_as_what_matters_most(self) -> None:
        caption = run("counting-odds", {})["charts"]["sensitivity"]["caption"]
        assert "Uncertainty about SGD's class-level preferences" in caption

    def test_limits_are_respected(self) -> None:
        f = next(f for f in CALCULATORS["frames"].fields if f.name == "beta")
        lo, hi, _ = span(f, parse_field(f, "1"))
        assert 0.0 < lo < 1.0 < hi  # beta > 0: never at or below the limit


class TestLogOdds:
    @pytest.mark.parametrize("calc_id", IDS)
    def test_same_numbers_other_drawing(self, calc_id: str) -> None:
        a, b = run(calc_id, {}), run(calc_id, {}, {"scale": "odds"})
        assert a["outputs"] == b["outputs"] and a["headline"] == b["headline"]
        key = next(c.key for c in CALCULATORS[calc_id].charts if c.kind == "model")
        assert a["charts"][key]["svg"] != b["charts"][key]["svg"]
        assert "bits" in b["charts"][key]["svg"]

    def test_breakeven_curve_is_straight_in_log_odds(self) -> None:
        svg = run("breakeven", {}, {"scale": "odds"})["charts"]["curve"]["svg"]
        pts = [tuple(map(float, p.split(",")))
               for p in re.search(r'points="([^"]+)"', svg).group(1).split()]  # type: ignore[union-attr]
        (x0, y0), (x1, y1) = pts[0], pts[-1]
        for x, y in pts:
            assert y == pytest.approx(y0 + (y1 - y0) * (x - x0) / (x1 - x0), abs=0.11)

    def test_unknown_scale_is_probability(self) -> None:
        assert run("frames", {}, {"scale": "nope"}) == run("frames", {})


class TestQuestions:
    @pytest.mark.parametrize("calc_id", IDS)
    def test_every_answer_is_exactly_one_choice(self, calc_id: str) -> None:
        calc = CALCULATORS[calc_id]
        assert calc.questions
        for q in calc.questions:
            preset = next((p for p in calc.presets if p.name == q.preset), None)
            out = run(calc_id, dict(preset.values) if preset else {})["outputs"][q.key]
            v = float(out["value"])
            if q.choices:
                assert sum(c.low <= v < c.high for c in q.choices) == 1, (q.name, v)
            else:
                assert math.isfinite(v)


class TestSamplesCsv:
    def test_rows_are_the_samples_and_replay_the_reply(self) -> None:
        raw = {"prior_ratio": "2^90 to 2^110", "worth_steps": "80 to 120"}
        lines = samples_csv("breakeven", raw).splitlines()
        head = lines[0].split(",")
        assert len(lines) == 1 + 10_000
        rows = [[float(x) for x in line.split(",")] for line in lines[1:]]
        col = {name: [r[i] for r in rows] for i, name in enumerate(head)}
        reply = run("breakeven", raw)["outputs"]["breakeven_steps"]
        # The samples' own thresholds are the reply's spread...
        n_star = sorted(col["breakeven_steps"])
        assert float(reply["range"]["p50"]["value"]) == n_star[round(0.5 * (len(n_star) - 1))]
        # ...and its value is where their mean P(schemer) is one half.
        w = float(reply["value"])
        mean_p = math.fsum(1.0 / (1.0 + 2.0 ** (b * w - k)) for k, b in zip(
            col["log2(prior_ratio)"], col["bits_per_step"], strict=True)) / len(rows)
        assert mean_p == pytest.approx(0.5, abs=1e-9)

    def test_exact_log_odds_where_probabilities_round(self) -> None:
        lines = samples_csv("breakeven", {"worth_steps": "2000"}).splitlines()
        head, row = lines[0].split(","), lines[1].split(",")
        assert row[head.index("p_schemer_net")] == "0.0"
        assert float(row[head.index("log2_odds(p_schemer_net)")]) == -1900.0

    def test_bad_input_is_named(self) -> None:
        assert "Bits per step" in samples_csv("breakeven", {"bits_per_step": "none"})


@pytest.mark.parametrize("calc_id", IDS)
@pytest.mark.parametrize("scale", ["probability", "odds"])
def test_every_preset_draws_finite_charts(calc_id: str, scale: str) -> None:
    for preset in CALCULATORS[calc_id].presets:
        reply = run(calc_id, dict(preset.values), {"scale": scale})
        for key, chart in reply["charts"].items():
            assert not re.search(r'="[^"]*\b(nan|inf)\b', chart["svg"], re.I), (
                preset.name, key)
