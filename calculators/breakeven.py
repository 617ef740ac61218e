"""Gradient-step breakeven (section 4.2, the 2^100 example and footnote 8).

Prior odds schemer : non-schemer are 2^k; each gradient step that prefers the
non-schemer is worth b bits, so after n extra steps the log2 odds are k - b·n and the
breakeven is n* = k / b.  The run has T steps (or tokens / batch size).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from . import charts
from ._point import at_point
from .fmt import fmt_count_log2, fmt_number, fmt_probability
from .logspace import p_from_odds
from .spec import Calculator, ChartSpec, Columns, Field, OutputSpec

__all__ = ["BREAKEVEN", "compute", "compute_columns", "draw"]

BIG = 1e15  # limit for counts, in bits

FIELDS = (
    Field("prior_ratio", "Prior odds schemer : non-schemer", "2^100", "count",
          "How many schemer-like goals per non-schemer goal (the essay's made-up 2^100).",
          example="2^100", minimum=-BIG, maximum=BIG),
    Field("bits_per_step", "Bits per step", "1", "real",
          "Selection power of one gradient step, in bits (the essay: at least 1).",
          example="1", unit="bits", minimum=1e-9, maximum=BIG),
    Field("training_steps", "Training steps", "1e6", "count",
          "Gradient updates in the run (footnote 8: more than a million for a "
          "trillion-parameter model).", example="1e6", unit="steps", minimum=0.0, maximum=BIG),
    Field("training_tokens", "Training tokens", "", "count",
          "Optional: with the batch size, sets the steps as tokens / batch (at least 1).",
          example="1e13", unit="tokens", minimum=0.0, maximum=BIG, optional=True),
    Field("batch_tokens", "Batch size", "", "count",
          "Optional: tokens per gradient step.", example="4e6", unit="tokens",
          minimum=0.0, maximum=BIG, optional=True),
    Field("target_p_schemer", "Target P(schemer)", "0.01", "probability",
          "How low SGD's preference must push the chance of a schemer.",
          example="0.01", minimum=0.0, maximum=1.0, min_exclusive=True, max_exclusive=True),
)

OUTPUTS = (
    OutputSpec("prior_log2_odds", "Prior log2 odds k", "Bits of prior favouring schemers."),
    OutputSpec("p_schemer_prior", "P(schemer) before extra steps", kind="probability"),
    OutputSpec("breakeven_steps", "Breakeven steps n* = k / b",
               "Extra steps at which schemer and non-schemer are even.", main=True),
    OutputSpec("training_fraction", "n* as a share of the run", kind="fraction", main=True),
    OutputSpec("steps_to_target", "Extra steps to reach the target",
               "Steps that push P(schemer) below the target."),
    OutputSpec("training_steps_used", "Training steps used", kind="count"),
    OutputSpec("p_schemer_after_run", "P(schemer) if the whole run prefers the non-schemer",
               kind="probability"),
)


def compute_columns(cols: Columns, n: int) -> dict[str, Sequence[object]]:
    """Column-wise model; probabilities carried as log2 odds, the fraction as log2.

    >>> r = compute_columns({"prior_ratio": [100.0], "bits_per_step": [1.0],
    ...     "training_steps": [math.log2(1e6)], "target_p_schemer": [0.01]}, 1)
    >>> r["breakeven_steps"], round(2 ** r["training_fraction"][0], 12)
    ([100.0], 0.0001)
    """
    k, b = cols["prior_ratio"], cols["bits_per_step"]
    tgt = cols["target_p_schemer"]
    if "training_tokens" in cols and "batch_tokens" in cols:
        # A batch larger than the whole run still makes one step.
        t = [
            max(a - c, 0.0)
            for a, c in zip(cols["training_tokens"], cols["batch_tokens"], strict=True)
        ]
    else:
        t = list(cols["training_steps"])
    nstar = [max(ki, 0.0) / bi for ki, bi in zip(k, b, strict=True)]
    log2 = math.log2
    frac = [log2(ns) - ti if ns > 0.0 else -math.inf for ns, ti in zip(nstar, t, strict=True)]
    to_target = [
        max(0.0, (ki - log2(p / (1.0 - p))) / bi) for ki, bi, p in zip(k, b, tgt, strict=True)
    ]
    # Past 2^1000 steps the odds are below 2^-(10^300): report that bound, never 0.
    after = [
        max(ki - bi * 2.0 ** min(ti, 1000.0), -1e300) for ki, bi, ti in zip(k, b, t, strict=True)
    ]
    return {
        "prior_log2_odds": list(k),
        "p_schemer_prior": list(k),
        "breakeven_steps": nstar,
        "training_fraction": frac,
        "steps_to_target": to_target,
        "training_steps_used": t,
        "p_schemer_after_run": after,
    }


def compute(inputs: Mapping[str, float]) -> Mapping[str, object]:
    """One point: parsed inputs (counts in log2) to output carriers.

    >>> compute({"prior_ratio": 100.0, "bits_per_step": 2.0, "training_steps": 20.0,
    ...          "target_p_schemer": 0.5})["breakeven_steps"]
    50.0
    """
    return at_point(compute_columns, inputs)


def draw(inputs: Mapping[str, float], res: Mapping[str, object], prefix: str
         ) -> dict[str, tuple[str, str]]:
    """The curve of P(schemer) against extra steps, with n* and the target marked."""
    k, b = inputs["prior_ratio"], inputs["bits_per_step"]
    nstar = float(res["breakeven_steps"])  # type: ignore[arg-type]
    to_t = float(res["steps_to_target"])  # type: ignore[arg-type]
    tgt = inputs["target_p_schemer"]
    x1 = max(2.0 * nstar, 1.25 * to_t, 8.0 / b)
    if not math.isfinite(x1) or x1 <= 0:
        x1 = 1.0
    xs = [x1 * i / 120 for i in range(121)]
    ts = [k - b * x for x in xs]
    ys = [p_from_odds(t) for t in ts]
    title = "P(schemer) against extra gradient steps"
    desc = (
        f"Starting from prior odds {fmt_count_log2(k)} and {fmt_number(b)} bits per step, "
        f"P(schemer) falls through one half at n* = {fmt_number(nstar)} steps and below "
        f"the target {fmt_number(tgt)} after {fmt_number(to_t)} steps."
    )
    svg = charts.line_chart(
        f"{prefix}-curve", title, desc, xs, ys, "Extra steps preferring the non-schemer",
        "P(schemer)", [(nstar, f"n* = {fmt_number(nstar)}")],
        [(tgt, f"target {fmt_number(100 * tgt)}%")],
    )
    rows = [[fmt_number(x), fmt_probability(t)] for x, t in zip(xs[::12], ts[::12], strict=True)]
    tbl = charts.table(title, ["Extra steps", "P(schemer)"], rows)
    return {"curve": (svg, tbl)}


BREAKEVEN = Calculator(
    id="breakeven",
    title="Gradient-step breakeven",
    summary="How many extra gradient steps overcome a counting prior of 2^k to 1?",
    fields=FIELDS,
    outputs=OUTPUTS,
    charts=(ChartSpec("curve", "P(schemer) against extra steps"),
            ChartSpec("distribution", "Spread over the input ranges")),
    compute=compute,
    compute_columns=compute_columns,
    draw=draw,
)
