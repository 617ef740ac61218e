"""Links of every format still open: the migration table against the spec."""

from __future__ import annotations

import json

import pytest

from calculators import CALCULATORS, run
from calculators.links import HISTORY, LINK_VERSION, history_json, migrate

# Links as the v=1 site wrote them (only inputs that differed from the v=1 defaults).
V1_LINKS = [
    {"prior_ratio": "2^50", "bits_per_step": "0.5"},
    {"training_tokens": "1e13", "batch_tokens": "4e6"},
    {"schemer_count": "2^200", "strict_weight": "1"},
    {"schemer_count": "2^200", "strict_weight": "0.3"},
    {"saint_bits": "-1000 to 1000"},
    {"chinese_count": "100"},
    {"mexican_bits": "5", "noise": "2"},
    {"beta": "0.1"},
    {"reward_gap": "-1", "simplicity_bits": "3"},
]


def test_every_current_input_is_in_the_spec_and_history_names_real_calculators() -> None:
    for step in HISTORY:
        calc = CALCULATORS[step.calc]
        names = {f.name for f in calc.fields}
        assert set(step.old_defaults) <= names and set(step.added) <= names
        assert not {r.name for r in step.retired} & names
        for r in step.retired:
            for mapped in r.maps.values():
                assert set(mapped) <= names


@pytest.mark.parametrize("link", V1_LINKS)
def test_v1_links_open_without_errors_and_keep_their_values(link: dict[str, str]) -> None:
    params, notices = migrate(link, 1)
    for name, value in link.items():
        if name in params:
            assert params[name] == value  # inputs that still exist keep their values
    for calc in CALCULATORS.values():
        names = {f.name for f in calc.fields}
        if names & set(params):
            reply = run(calc.id, {k: v for k, v in params.items() if k in names})
            assert reply["ok"], reply
    assert all(isinstance(n, str) and n for n in notices)


def test_retired_strict_weight_is_mapped_or_named() -> None:
    params, notices = migrate({"schemer_count": "2^200", "strict_weight": "1"}, 1)
    assert params == {"schemer_count": "2^200", "preference_spread": "0", "saint_count": "1",
                      "misgeneralized_count": "1", "reward_seeker_count": "1"}
    assert notices == []
    params, notices = migrate({"schemer_count": "2^200", "strict_weight": "0.3"}, 1)
    assert "strict_weight" not in params and len(notices) == 1
    assert "credence in strict counting" in notices[0]


def test_v1_frames_link_reproduces_the_old_arithmetic() -> None:
    # v1: net bits = simplicity_bits − beta·reward_gap/ln 2, with reward_gap defaulting
    # to 1 and the simplicity bits counted at full weight.
    params, _ = migrate({"beta": "0.1"}, 1)
    out = run("frames", params)["outputs"]
    assert run("frames", params)["ranged"] is False
    assert float(out["net_bits"]["value"]) == pytest.approx(10 - 0.1 / 0.6931471805599453)


def test_v1_restaurants_link_keeps_the_old_default_liking() -> None:
    params, _ = migrate({"chinese_count": "100"}, 1)
    assert params["mexican_bits"] == "2"
    assert migrate({"chinese_count": "100"}, 2) == ({"chinese_count": "100"}, [])


def test_a_link_that_does_not_touch_a_calculator_leaves_it_alone() -> None:
    params, _ = migrate({"prior_ratio": "2^50"}, 1)
    assert params == {"prior_ratio": "2^50", "worth_steps": "0"}


def test_history_json_is_what_the_page_reads() -> None:
    data = history_json()
    assert data["version"] == LINK_VERSION == 2
    json.dumps(data)
    steps = data["steps"]
    assert isinstance(steps, list) and len(steps) == len(HISTORY)
