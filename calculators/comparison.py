"""Scenarios side by side: each scenario's reply (kept in a small cache, so an edit
recomputes only the scenario it changes) and the comparison's reply around them."""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from . import composed
from .spec import Calculator

__all__ = ["MAX_SCENARIOS", "SCENARIO_CACHE_SIZE", "side_by_side"]

#: A comparison holds the defaults, the reader's inputs and up to three named scenarios.
MAX_SCENARIOS = 5
#: How many scenario replies ``compare`` keeps (least recently used first out).
SCENARIO_CACHE_SIZE = 64
_scenarios: OrderedDict[tuple[str, str], dict[str, Any]] = OrderedDict()

#: How a scenario is computed: the bridge's ``run`` without charts.
Run = Callable[[str, Mapping[str, object]], dict[str, Any]]


def _scenario(calc_id: str, raw: Mapping[str, object], run: Run) -> dict[str, Any]:
    """One scenario's reply, without charts (the comparison draws its own), kept for
    the next comparison. While a reader compares, each change recomputes only the
    scenario they edit: the defaults and the kept scenarios come from here. A reply
    depends on nothing but its inputs (ranged runs are seeded by them)."""
    key = (calc_id, json.dumps(raw, sort_keys=True, default=str))
    reply = _scenarios.get(key)
    if reply is None:
        reply = run(calc_id, raw)
        _scenarios[key] = reply
        if len(_scenarios) > SCENARIO_CACHE_SIZE:
            _scenarios.popitem(last=False)
    else:
        _scenarios.move_to_end(key)
    return reply


def side_by_side(calc: Calculator, scenarios: Sequence[Mapping[str, Any]], run: Run
                 ) -> dict[str, Any]:
    """The comparison's reply: the first ``MAX_SCENARIOS`` scenarios (``{"name",
    "inputs"}``), each one's headline, results and provenance (or its failure), and
    one chart of the successful ones."""
    rows = []
    for sc in list(scenarios)[:MAX_SCENARIOS]:
        raw, name = sc.get("inputs"), sc.get("name")
        reply = _scenario(calc.id, {} if raw is None else raw, run)
        rows.append({"name": "" if name is None else str(name)[:40], "ok": reply["ok"],
                     "reply": reply})
    good = [r for r in rows if r["ok"]]
    chart = composed.comparison(calc, [r["name"] for r in good], [r["reply"] for r in good])
    kept = ("headline", "outputs", "provenance")
    return {
        "ok": True,
        "id": calc.id,
        "scenarios": [
            {"name": r["name"], "ok": r["ok"],
             **{k: r["reply"][k] for k in (kept if r["ok"] else ("error", "errors"))}}
            for r in rows
        ],
        "chart": chart,
    }
