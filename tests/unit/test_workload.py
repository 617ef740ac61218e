"""The benchmark's workload, derived from each calculator's spec (bench/workload.py):
every value it types moves the output it waits on, or the benchmark would wait in vain."""

from __future__ import annotations

from itertools import pairwise

import pytest

from bench.workload import RANGED, RANGED_SAMPLES, RECOMPUTE, RECOMPUTE_SAMPLES, SOAK, Typing
from calculators import CALCULATORS, run


def outputs(calc: str, typing: Typing, values: list[str]) -> list[object]:
    """The waited-on output's value after each typed value (with the typing's preset)."""
    got = []
    for value in values:
        reply = run(calc, {**typing.preset, typing.name: value}, charts=False)
        assert reply["ok"], (calc, value, reply.get("errors"))
        got.append(reply["outputs"][typing.output]["value"])
    return got


def moves_every_time(values: list[object]) -> bool:
    return all(a != b for a, b in pairwise(values))


@pytest.mark.parametrize("calc", sorted(CALCULATORS))
def test_every_calculator_has_a_workload_whose_every_value_moves_its_output(calc: str) -> None:
    point, ranged = RECOMPUTE[calc], RANGED[calc]
    n = SOAK.recomputes if calc == SOAK.calc else RECOMPUTE_SAMPLES
    default = run(calc, point.preset, charts=False)["outputs"][point.output]["value"]
    assert moves_every_time([default, *outputs(calc, point, point.values(n))])
    # Ranged runs are costly: the first two of the benchmark's, and the soak's last two.
    assert moves_every_time(outputs(calc, ranged, ranged.values(2)))
    last = (SOAK.ranged if calc == SOAK.calc else RANGED_SAMPLES) - 2
    assert moves_every_time(outputs(calc, ranged, ranged.values(2, last)))
