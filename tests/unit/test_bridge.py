"""The bridge: the reply's exact shape, ranges, errors, and that it never raises."""

from __future__ import annotations

import json
import math
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calculators import CALCULATORS, __version__, run, run_json

IDS = sorted(CALCULATORS)


@pytest.mark.parametrize("calc_id", IDS)
def test_default_reply_shape(calc_id: str) -> None:
    calc = CALCULATORS[calc_id]
    r = run(calc_id, {})
    ranged = calc_id == "frames"  # its extra criterion's weight is a range by default
    assert r["ok"] is True and r["id"] == calc_id and r["ranged"] is ranged
    assert set(r) == {"ok", "id", "ranged", "headline", "outputs", "charts", "inputs",
                      "provenance"}
    assert set(r["outputs"]) == {o.key for o in calc.outputs}
    for out in r["outputs"].values():
        assert set(out) == {"value", "text", "quote", "range"}
        assert out["text"] and "nan" not in out["text"] and "inf" not in out["text"]
        # What prose quotes: the value alone, the mean under ranges.
        assert out["quote"] == (out["range"]["mean"]["text"] if out["range"] else out["text"])
    assert r["headline"]["key"] == calc.headline and len(r["headline"]["text"]) > 20
    assert set(r["charts"]) == {c.key for c in calc.charts}
    for c in calc.charts:
        chart = r["charts"][c.key]
        if c.kind == "distribution" and not ranged:
            assert chart == {"svg": "", "table": ""}
            continue
        assert chart["svg"].startswith("<svg") and "<title" in chart["svg"]
        assert "<desc" in chart["svg"] and chart["table"].startswith("<table")
        ids = re.findall(r'id="([^"]+)"', chart["svg"])
        assert ids and all(i.startswith(calc_id + "-") for i in ids)
        # Fluid: as wide as its column, fixed height, no viewBox scaling the text.
        outer = chart["svg"][: chart["svg"].index(">")]
        assert 'width="100%"' in outer and 'height="' in outer and "viewBox" not in outer
    assert set(r["inputs"]) == {f.name for f in calc.fields}
    prov = r["provenance"]
    assert prov["version"] == __version__ and prov["inputs"] == {
        f.name: f.default for f in calc.fields}
    assert (prov["seed"] is None) is (not ranged)
    assert prov["samples"] == (10_000 if ranged else 1)
    json.dumps(r, allow_nan=False)


def test_version_matches_the_project() -> None:
    import tomllib
    from pathlib import Path

    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    assert project["project"]["version"] == __version__


def test_public_contract_keys() -> None:
    want = {
        "breakeven": {"prior_log2_odds", "p_schemer_prior", "breakeven_steps",
                      "training_fraction", "steps_to_target", "training_steps_used",
                      "net_log2_odds", "p_schemer_net", "worth_bits"},
        "counting-odds": {"p_saint", "p_misgeneralized", "p_reward_seeker", "p_schemer",
                          "log2_odds_schemer", "strict_p_schemer", "strict_log2_odds_schemer",
                          "class_p_schemer", "class_log2_odds_schemer",
                          "class_p_schemer_merged", "hazy_temperature",
                          *(f"{m}_p_{c}" for m in ("strict", "class")
                            for c in ("saint", "misgeneralized", "reward_seeker"))},
        "frames": {"reward_gap_bits", "p_schemer_reward_frame", "p_schemer_extra_frame",
                   "p_schemer_simplicity_frame", "decides", "net_bits", "frames_agree"},
        "restaurants": {f"p_{c}_{w}" for c in ("mexican", "chinese", "thai")
                        for w in ("by_restaurants", "by_preference", "best_gumbel",
                                  "best_gauss")},
    }
    for calc_id, keys in want.items():
        assert keys <= {o.key for o in CALCULATORS[calc_id].outputs}
    assert [f.name for f in CALCULATORS["breakeven"].fields] == [
        "prior_ratio", "bits_per_step", "training_steps", "training_tokens", "batch_tokens",
        "target_p_schemer", "worth_steps"]
    assert [f.name for f in CALCULATORS["frames"].fields][::2] == [
        "reward_gap", "beta", "simplicity_weight"]


def test_input_echo() -> None:
    r = run("breakeven", {})
    assert r["inputs"]["prior_ratio"] == {"value": "100.0", "text": "2^100 (≈ 1.27 × 10^30)"}
    assert r["inputs"]["training_tokens"] == {"value": "", "text": ""}


def test_errors_per_field() -> None:
    r = run("breakeven", {"prior_ratio": "lots", "bits_per_step": "-1", "unknown": "x"})
    assert r["ok"] is False and r["id"] == "breakeven"
    assert set(r) == {"ok", "id", "error", "errors"}
    assert set(r["errors"]) == {"prior_ratio", "bits_per_step"}
    assert r["errors"]["prior_ratio"].startswith("Prior odds")
    # One error, coded, naming the first field at fault and saying every message.
    assert r["error"]["code"] == "bad_input" and r["error"]["field"] == "prior_ratio"
    assert r["error"]["message"] == " ".join(r["errors"].values())


def test_unknown_id() -> None:
    r = run("nope", {})
    assert r["ok"] is False and r["id"] == "nope" and "Unknown calculator" in r["errors"][""]
    assert r["error"]["code"] == "unknown_calculator" and "field" not in r["error"]


def test_an_exception_is_an_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from calculators import bridge

    def broken(*_: object) -> dict[str, object]:
        raise ZeroDivisionError

    monkeypatch.setattr(bridge, "sample_columns", broken)
    ranged = {"prior_ratio": "1 to 2"}
    for reply in (run("breakeven", ranged), bridge.samples("breakeven", ranged),
                  json.loads(run_json(json.dumps({"calc": "breakeven", "inputs": ranged})))):
        assert reply["ok"] is False and reply["error"]["code"] == "internal"
        assert "ZeroDivisionError" in reply["error"]["message"] == reply["errors"][""]


@pytest.mark.parametrize(("calc_id", "raw", "key"), [
    ("breakeven", {"prior_ratio": "2^90 to 2^110"}, "breakeven_steps"),
    ("counting-odds", {"schemer_bits": "-120 to -80"}, "p_schemer"),
    ("restaurants", {"chinese_count": "1 to 100"}, "p_chinese_best_gauss"),
    ("frames", {"beta": "1 to 20"}, "net_bits"),
])
def test_ranged_reply(calc_id: str, raw: dict[str, str], key: str) -> None:
    r = run(calc_id, raw)
    assert r["ok"] and r["ranged"] is True
    out = r["outputs"][key]
    assert set(out["range"]) == {"mean", "p5", "p50", "p95"}
    # The headline value is the expectation (the reader's credence), not the median; a
    # threshold is solved on it, and its samples are shown only as spread.
    assert out["value"] == out["range"]["mean"]["value"]
    solved = next(o for o in CALCULATORS[calc_id].outputs if o.key == key).solved
    tail = " (per sample: median " if solved else " (mean; median "
    assert out["text"].startswith(out["range"]["mean"]["text"] + tail)
    assert "90% range" in out["text"]
    lo, mid, hi = (float(out["range"][p]["value"]) for p in ("p5", "p50", "p95"))
    assert lo <= mid <= hi
    assert r["charts"]["distribution"]["svg"].startswith("<svg")
    assert "Mean" in r["charts"]["distribution"]["table"]
    assert r["provenance"]["samples"] == 10_000 and isinstance(r["provenance"]["seed"], int)
    assert run(calc_id, raw) == r  # seeded: same inputs, same answer


@pytest.mark.parametrize(("calc_id", "raw", "groups"), [
    ("counting-odds", {"schemer_bits": "-1000 to 1000", "saint_bits": "-5 to 5"},
     [[f"{m}p_{c}" for c in ("saint", "misgeneralized", "reward_seeker", "schemer")]
      for m in ("", "strict_", "class_")]),
    ("restaurants", {"mexican_bits": "-20 to 20", "chinese_count": "1 to 1000"},
     [[f"p_{c}_{w}" for c in ("mexican", "chinese", "thai")]
      for w in ("by_restaurants", "by_preference", "best_gumbel", "best_gauss")]),
])
def test_means_of_exclusive_classes_sum_to_one(calc_id: str, raw: dict[str, str],
                                               groups: list[list[str]]) -> None:
    out = run(calc_id, raw)["outputs"]
    for keys in groups:
        total = math.fsum(float(out[k]["range"]["mean"]["value"]) for k in keys)
        assert total == pytest.approx(1.0, abs=1e-12), keys


def test_a_mean_of_tiny_probabilities_is_exact() -> None:
    # Every sample's P(schemer) is below 2^-100000: the mean is too, not 0.
    r = run("counting-odds", {"schemer_count": "2^-1000000 to 2^-100000"})
    out = r["outputs"]["p_schemer"]
    assert out["range"]["mean"]["text"].startswith("2^-100")
    assert float(r["outputs"]["log2_odds_schemer"]["value"]) < -99_000


def test_number_means_are_arithmetic() -> None:
    out = run("breakeven", {"prior_ratio": "2^80 to 2^120"})["outputs"]["breakeven_steps"]
    assert float(out["value"]) == pytest.approx(100, abs=1)


def test_breakeven_range_percentiles() -> None:
    out = run("breakeven", {"prior_ratio": "2^80 to 2^120"})["outputs"]["breakeven_steps"]
    assert float(out["range"]["p5"]["value"]) == pytest.approx(82, abs=1)
    assert float(out["range"]["p95"]["value"]) == pytest.approx(118, abs=1)


def test_run_json() -> None:
    for name in ("calc", "id"):  # "id" is the request's older name for the calculator
        reply = json.loads(run_json(json.dumps(
            {name: "breakeven", "inputs": {"prior_ratio": "2^100", "training_steps": "1e6"}})))
        assert reply["outputs"]["training_fraction"]["text"] == "0.01%"
        assert reply["id"] == "breakeven"  # the reply's id names the calculator (CLI replay)
    assert json.loads(run_json("not json"))["ok"] is False
    assert json.loads(run_json("[1]"))["ok"] is False


# ---------------------------------------------------------------------------
# One request parser: the three JSON doors read a request alike and fail alike
# ---------------------------------------------------------------------------

def _door(name: str, calc: object, inputs: object) -> dict[str, Any]:
    """One request through one door: COMPUTE, SAMPLES or COMPARE (as one scenario)."""
    from calculators import bridge

    if name == "compare":
        req: dict[str, object] = {"calc": calc, "scenarios": [{"name": "x", "inputs": inputs}]}
        reply = json.loads(bridge.compare_json(json.dumps(req)))
        # A scenario's own failure is the comparison's answer for that scenario.
        return reply if not reply["ok"] else {"id": reply["id"], **reply["scenarios"][0]}
    fn = bridge.run_json if name == "compute" else bridge.samples_json
    return json.loads(fn(json.dumps({"calc": calc, "inputs": inputs})))  # type: ignore[no-any-return]


DOORS = ("compute", "samples", "compare")


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize(("value", "same_as"), [
    (None, "2^100"),   # null: the default
    (100, "100"),      # a number: its repr
    (2.5, "2.5"),
    (1e30, "1e+30"),
])
def test_every_door_reads_a_value_alike(door: str, value: object, same_as: str) -> None:
    got = _door(door, "breakeven", {"prior_ratio": value})
    want = _door(door, "breakeven", {"prior_ratio": same_as})
    assert got["ok"] is True and got == want


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("value", [True, False, [], {}, ["2^100"]])
def test_every_door_refuses_a_value_alike(door: str, value: object) -> None:
    r = _door(door, "breakeven", {"prior_ratio": value, "bits_per_step": "0"})
    assert r["ok"] is False and r["id"] == "breakeven"
    assert r["error"]["code"] == "bad_input" and r["error"]["field"] == "prior_ratio"
    assert set(r["errors"]) == {"prior_ratio", "bits_per_step"}
    assert r["errors"]["prior_ratio"].startswith("Prior odds schemer : non-schemer: enter text")
    assert r["errors"] == run("breakeven", {"prior_ratio": value, "bits_per_step": "0"})["errors"]


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize(("calc", "inputs", "code"), [
    ("nope", {}, "unknown_calculator"),
    (7, {}, "bad_request"),
    (None, {}, "bad_request"),
    ("breakeven", [], "bad_request"),
    ("breakeven", "2^100", "bad_request"),
])
def test_every_door_refuses_a_request_alike(door: str, calc: object, inputs: object,
                                           code: str) -> None:
    r = _door(door, calc, inputs)
    assert r["ok"] is False and r["error"]["code"] == code, r
    assert r["errors"] == {"": r["error"]["message"]} and "field" not in r["error"]


@pytest.mark.parametrize("text", ["not json", "[1]", "null", '"breakeven"', "{}",
                                  '{"calc": "breakeven", "view": []}',
                                  '{"calc": "breakeven", "scenarios": {}}',
                                  '{"calc": "breakeven", "scenarios": [1]}'])
def test_a_bad_request_is_refused_by_every_door(text: str) -> None:
    from calculators import bridge

    for door in (bridge.run_json, bridge.samples_json, bridge.compare_json):
        r = json.loads(door(text))
        if door is not bridge.compare_json and "scenarios" in text:
            continue  # a member only the comparison reads
        assert r["ok"] is False and r["error"]["code"] == "bad_request", (door, text, r)
        assert list(r) == ["ok", "id", "error", "errors"]  # "ok" first: the worker reads it so


texts = st.one_of(st.text(max_size=120), st.sampled_from(
    ["2^100", "1 to 2", "0", "-1", "1e400", "2^1e9", "50%", "", "nan", "1e-400 to 1",
     "2^(10^15)", "-1e15", "1e-9", "2^-(10^15)", "1e6 to 1e300", "1e-6", "0.999999"]))


@given(st.sampled_from([*IDS, "x"]), st.dictionaries(st.text(max_size=20), texts, max_size=6),
       st.data())
def test_never_raises(calc_id: str, raw: dict[str, str], data: st.DataObject) -> None:
    if calc_id in CALCULATORS:
        names = [f.name for f in CALCULATORS[calc_id].fields]
        raw |= data.draw(st.dictionaries(st.sampled_from(names), texts, max_size=3))
    r = run(calc_id, raw)
    assert r["ok"] in (True, False)
    json.dumps(r, allow_nan=False)
    if not r["ok"]:
        assert r["errors"] and all(isinstance(m, str) and m for m in r["errors"].values())
        assert r["error"]["code"] in ("bad_input", "unknown_calculator"), r
    else:
        for out in r["outputs"].values():
            assert out["text"] and not re.search(r"\b(nan|inf)\b|∞", out["text"]), out
        for chart in r["charts"].values():
            # No coordinate or size is ever NaN or infinite: the chart would not draw.
            assert not re.search(r'="[^"]*\b(nan|inf)\b', chart["svg"], re.I), chart["svg"]


@given(st.text(max_size=200))
def test_run_json_never_raises(text: str) -> None:
    from calculators import bridge

    for door in (run_json, bridge.samples_json, bridge.compare_json):
        r = json.loads(door(text))
        assert r["ok"] is True or r["error"]["code"] in bridge.CODES


@given(st.text())
def test_chart_escaping_matches_the_standard_library(text: str) -> None:
    """charts.esc stands in for html.escape (too slow to import in Pyodide): the same text."""
    import html

    from calculators.charts import esc

    assert esc(text) == html.escape(text)


def test_a_spread_below_display_precision_is_one_bar_and_says_so() -> None:
    # Strict counting makes P(schemer) ≈ 1 for every sampled count, far beyond the
    # displayed digits.
    r = run("counting-odds", {"schemer_count": "2^20 to 2^200", "preference_spread": "1e5"})
    svg = r["charts"]["distribution"]["svg"]
    assert "every sample ≈" in svg and "25%" in svg
    heights = [float(h) for h in re.findall(r'<rect[^>]*height="([0-9.]+)"', svg)]
    assert sum(h > 0 for h in heights) == 1  # one bar in the one panel


BAR = re.compile(
    r'<text x="0" y="(\d+)" font-size="12">([^<]*)</text>'
    r'<rect x="0" y="(\d+)" width="([\d.]+)%" height="9"[^>]*><title>([^<]*)</title></rect>'
)


@pytest.mark.parametrize(("calc_id", "raw"), [
    ("counting-odds", {}),
    ("counting-odds", {"schemer_count": "2^1e6"}),
    ("counting-odds", {"schemer_count": "2^-1e6", "saint_bits": "1e6"}),
    ("restaurants", {}),
    ("restaurants", {"chinese_count": "1e15", "noise": "0.001"}),
    ("frames", {}),
    ("frames", {"simplicity_bits": "1e6"}),
])
def test_each_bar_has_its_label_on_the_line_above(
    calc_id: str, raw: dict[str, str],
) -> None:
    # A label on its own line never collides with a long bar on a narrow screen, and
    # sits on the page background, keeping the text's own contrast.
    r = run(calc_id, raw)
    key, chart = next((k, c) for k, c in r["charts"].items() if k != "distribution")
    bars = BAR.findall(chart["svg"])
    spec = next(c for c in CALCULATORS[calc_id].charts if c.key == key)
    assert bars, (spec, chart["svg"][:300])
    for label_y, label, bar_y, width, tooltip in bars:
        assert int(label_y) < int(bar_y) <= int(label_y) + 12, label
        assert 0.25 <= float(width) <= 100.0, (label, width)
        assert tooltip.endswith(label)
    # One bar per (group, series): groups are the table's rows, series the legend's items.
    groups = chart["table"].split("<tbody>", 1)[1].count("<tr>")
    series = chart["svg"].count('width="11" height="11"')
    assert len(bars) == groups * series


# ---------------------------------------------------------------------------
# compare: scenarios kept between comparisons
# ---------------------------------------------------------------------------


def test_run_without_charts_gives_the_same_numbers() -> None:
    raw = {"prior_ratio": "2^50 to 2^150"}
    full, bare = run("breakeven", raw), run("breakeven", raw, charts=False)
    assert bare["charts"] == {} and full["charts"]
    assert {k: v for k, v in bare.items() if k != "charts"} == {
        k: v for k, v in full.items() if k != "charts"}


def test_compare_recomputes_only_the_scenario_that_changed(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from calculators import bridge

    bridge._scenarios.clear()
    calls: list[dict[str, object]] = []
    real = bridge._run

    def counted(calc_id: str, raw: dict[str, object], scale: str,
                charts: bool = True) -> dict[str, object]:
        calls.append(dict(raw))
        return real(calc_id, raw, scale, charts)

    monkeypatch.setattr(bridge, "_run", counted)
    optimist = {"prior_ratio": "2^20"}
    kept = {"name": "Optimist", "inputs": optimist}
    first = bridge.compare("breakeven", [{"name": "Defaults", "inputs": {}}, kept,
                                         {"name": "Yours", "inputs": {"prior_ratio": "2^60"}}])
    assert len(calls) == 3
    second = bridge.compare("breakeven", [{"name": "Defaults", "inputs": {}}, kept,
                                          {"name": "Yours", "inputs": {"prior_ratio": "2^61"}}])
    assert calls[3:] == [{"prior_ratio": "2^61"}]  # the defaults and the kept one were kept
    assert first["scenarios"][:2] == second["scenarios"][:2]
    # Each scenario says what run() says.
    for sc in second["scenarios"]:
        raw = {"prior_ratio": "2^61"} if sc["name"] == "Yours" else (
            optimist if sc["name"] == "Optimist" else {})
        assert sc["outputs"] == run("breakeven", raw)["outputs"]


def test_compare_keeps_a_bounded_number_of_scenarios() -> None:
    from calculators import bridge

    bridge._scenarios.clear()
    for i in range(bridge.SCENARIO_CACHE_SIZE + 10):
        bridge.compare("breakeven", [{"name": "Yours", "inputs": {"prior_ratio": f"2^{i}"}}])
    assert len(bridge._scenarios) == bridge.SCENARIO_CACHE_SIZE
    assert ("breakeven", '{"prior_ratio": "2^0"}') not in bridge._scenarios  # oldest out
