"""Two frames (section 4.1, footnote 2): selection by reward, by simplicity, or both.

Selection weight exp(beta·R) for reward and 2^(-K) for simplicity.  A reward gap dR in
the non-schemer's favour, at selection strength beta, is worth beta·dR / ln 2 bits; the
schemer's simplicity advantage K_non - K_schemer is worth that many bits the other way.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from . import charts
from ._point import at_point
from .fmt import fmt_number, fmt_probability
from .logspace import LN2, p_from_odds
from .spec import Calculator, ChartSpec, Columns, Field, OutputSpec

__all__ = ["FRAMES", "compute", "compute_columns", "draw"]

BIG = 1e15

FIELDS = (
    Field("reward_gap", "Reward gap dR", "1", "real",
          "How much more reward the non-schemer gets (negative: the schemer gets more).",
          example="1", minimum=-BIG, maximum=BIG),
    Field("beta", "Selection strength beta", "10", "real",
          "How hard training optimizes reward: selection weight exp(beta·R).",
          example="10", minimum=0.0, maximum=BIG, min_exclusive=True),
    Field("simplicity_bits", "Schemer's simplicity advantage", "10", "real",
          "K_non − K_schemer in bits: how much simpler the schemer is (weight 2^−K).",
          example="10", unit="bits", minimum=-BIG, maximum=BIG),
)

OUTPUTS = (
    OutputSpec("reward_gap_bits", "Reward gap in bits, beta·dR / ln 2", main=True),
    OutputSpec("net_bits", "Net bits for the schemer", "Simplicity bits minus reward bits."),
    OutputSpec("p_schemer_reward_frame", "P(schemer), reward only", kind="probability"),
    OutputSpec("p_schemer_simplicity_frame", "P(schemer), simplicity only",
               kind="probability"),
    OutputSpec("p_schemer_extra_frame", "P(schemer), reward and simplicity",
               kind="probability", main=True),
    OutputSpec("decides", "Which criterion decides", kind="text"),
)


def _decides(g: float, s: float) -> str:
    if math.isclose(abs(g), abs(s), rel_tol=1e-12, abs_tol=1e-12):
        return "tie"
    return "reward" if abs(g) > abs(s) else "simplicity"


def compute_columns(cols: Columns, n: int) -> dict[str, Sequence[object]]:
    """Column-wise model; probabilities carried as log2 odds schemer : non-schemer.

    >>> r = compute_columns({"reward_gap": [LN2], "beta": [1.0], "simplicity_bits": [3.0]}, 1)
    >>> r["reward_gap_bits"], r["net_bits"], r["decides"]
    ([1.0], [2.0], ['simplicity'])
    """
    g = [b * d / LN2 for b, d in zip(cols["beta"], cols["reward_gap"], strict=True)]
    s = list(cols["simplicity_bits"])
    net = [si - gi for si, gi in zip(s, g, strict=True)]
    return {
        "reward_gap_bits": g,
        "net_bits": net,
        "p_schemer_reward_frame": [-gi for gi in g],
        "p_schemer_simplicity_frame": s,
        "p_schemer_extra_frame": net,
        "decides": [_decides(gi, si) for gi, si in zip(g, s, strict=True)],
    }


def compute(inputs: Mapping[str, float]) -> Mapping[str, object]:
    """One point: parsed inputs to output carriers.

    >>> compute({"reward_gap": 1.0, "beta": 10.0, "simplicity_bits": 10.0})["decides"]
    'reward'
    """
    return at_point(compute_columns, inputs)


def draw(inputs: Mapping[str, float], res: Mapping[str, object], prefix: str
         ) -> dict[str, tuple[str, str]]:
    """Bars: P(schemer) under each frame, each labelled with its bits."""
    frames = (
        ("Reward only", "p_schemer_reward_frame"),
        ("Simplicity only", "p_schemer_simplicity_frame"),
        ("Both", "p_schemer_extra_frame"),
    )
    odds = [float(res[k]) for _, k in frames]  # type: ignore[arg-type]
    texts = [fmt_probability(t) for t in odds]
    title = "P(schemer) under each frame"
    desc = (
        f"The reward gap is worth {fmt_number(float(res['reward_gap_bits']))} bits "  # type: ignore[arg-type]
        f"against the schemer, its simplicity {fmt_number(inputs['simplicity_bits'])} bits "
        f"for it; {res['decides']} decides. "
        + "; ".join(f"{name}: {t}" for (name, _), t in zip(frames, texts, strict=True))
        + "."
    )
    svg = charts.bar_chart(
        f"{prefix}-frames", title, desc, [name for name, _ in frames], ["P(schemer)"],
        [[p_from_odds(t)] for t in odds], [[t] for t in texts],
    )
    rows = [[name, t, fmt_number(o)] for (name, _), t, o in zip(frames, texts, odds, strict=True)]
    tbl = charts.table(title, ["Frame", "P(schemer)", "log2 odds"], rows)
    return {"frames": (svg, tbl)}


FRAMES = Calculator(
    id="frames",
    title="Two frames: reward and simplicity",
    summary="A reward gap at selection strength beta is worth beta·dR / ln 2 bits.",
    fields=FIELDS,
    outputs=OUTPUTS,
    charts=(ChartSpec("frames", "P(schemer) under each frame"),
            ChartSpec("distribution", "Spread over the input ranges")),
    compute=compute,
    compute_columns=compute_columns,
    draw=draw,
)
