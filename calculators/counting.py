"""Counting odds (section 4.2): strict, class-level and hazy counting over four classes.

Class i has a measure of 2^c_i individual models and a selection advantage of s_i bits.
Strict counting: P(i) ∝ 2^(c_i + s_i).  Class-level ("Bob's cuisine"): P(i) ∝ 2^s_i.
Hazy: credence w in the strict frame, P = w·P_strict + (1 - w)·P_class.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from . import charts
from ._point import at_point
from .fmt import fmt_number, fmt_probability
from .logspace import lse2_pair, p_from_odds
from .spec import Calculator, ChartSpec, Columns, Field, OutputSpec

__all__ = ["CLASSES", "COUNTING", "compute", "compute_columns", "draw"]

BIG = 1e15
#: (name prefix, label) of the four model classes, schemers last.
CLASSES = (
    ("saint", "Training saints"),
    ("misgeneralized", "Misgeneralized non-training-gamers"),
    ("reward_seeker", "Reward-on-the-episode seekers"),
    ("schemer", "Schemers"),
)
_DEFAULT_COUNT = {"saint": "1", "misgeneralized": "1", "reward_seeker": "1", "schemer": "2^100"}

FIELDS = tuple(
    Field(f"{c}_count", f"{label}: measure", _DEFAULT_COUNT[c], "count",
          f"How many individual models (goals) count as {label.lower()}; relative "
          "measures are all that matter.",
          example="2^100", minimum=-BIG, maximum=BIG)
    for c, label in CLASSES
) + tuple(
    Field(f"{c}_bits", f"{label}: selection advantage", "0", "real",
          "Bits by which reward and inductive biases favour this class.",
          example="10", unit="bits", minimum=-BIG, maximum=BIG)
    for c, label in CLASSES
) + (
    Field("strict_weight", "Credence in strict counting", "0.5", "probability",
          "Weight w on counting individual models; 1 − w goes to counting classes.",
          example="0.5", minimum=0.0, maximum=1.0),
)

OUTPUTS = (
    *(
        OutputSpec(f"p_{c}", f"P({label.lower()}), hazy", kind="probability",
                   main=c == "schemer")
        for c, label in CLASSES
    ),
    OutputSpec("log2_odds_schemer", "log2 odds schemer : non-schemer, hazy", main=True),
    OutputSpec("strict_p_schemer", "P(schemer), strict counting", kind="probability"),
    OutputSpec("strict_log2_odds_schemer", "log2 odds schemer, strict counting"),
    OutputSpec("class_p_schemer", "P(schemer), class-level counting", kind="probability"),
    OutputSpec("class_log2_odds_schemer", "log2 odds schemer, class-level counting"),
    *(
        OutputSpec(f"{m}_p_{c}", f"P({label.lower()}), {m}", kind="probability")
        for m in ("strict", "class")
        for c, label in CLASSES[:3]
    ),
)

_NEG_INF = -math.inf


def _lse3(a: float, b: float, c: float) -> float:
    m = max(a, b, c)
    if m == _NEG_INF or m == math.inf:
        return m
    return m + math.log2(2.0 ** (a - m) + 2.0 ** (b - m) + 2.0 ** (c - m))


def _mode(a: Sequence[float]) -> tuple[list[float], list[float], list[float]]:
    """Log2 odds, log2 p and log2 (1 - p) of each class given log2 weights a."""
    a0, a1, a2, a3 = a
    oth = (_lse3(a1, a2, a3), _lse3(a0, a2, a3), _lse3(a0, a1, a3), _lse3(a0, a1, a2))
    total = lse2_pair(a0, oth[0])
    odds = [ai - oi for ai, oi in zip(a, oth, strict=True)]
    return odds, [ai - total for ai in a], [oi - total for oi in oth]


def _sample(c: Sequence[float], s: Sequence[float], w: float) -> list[float]:
    """Hazy, strict and class-level log2 odds of the four classes for one sample."""
    a0, a1, a2, a3 = c[0] + s[0], c[1] + s[1], c[2] + s[2], c[3] + s[3]
    ma, ms = max(a0, a1, a2, a3), max(s)
    if ma - min(a0, a1, a2, a3) < 1000.0 and ms - min(s) < 1000.0:
        # Fast path in linear space (shifted by the max): no term can underflow.
        log2 = math.log2
        e0, e1, e2, e3 = 2.0 ** (a0 - ma), 2.0 ** (a1 - ma), 2.0 ** (a2 - ma), 2.0 ** (a3 - ma)
        f0, f1, f2, f3 = (2.0 ** (s[0] - ms), 2.0 ** (s[1] - ms), 2.0 ** (s[2] - ms),
                          2.0 ** (s[3] - ms))
        o0, o1, o2, o3 = e1 + e2 + e3, e0 + e2 + e3, e0 + e1 + e3, e0 + e1 + e2
        g0, g1, g2, g3 = f1 + f2 + f3, f0 + f2 + f3, f0 + f1 + f3, f0 + f1 + f2
        ws, wc = w / (e0 + o0), (1.0 - w) / (f0 + g0)
        hz = [
            log2((ws * e0 + wc * f0) / (ws * o0 + wc * g0)),
            log2((ws * e1 + wc * f1) / (ws * o1 + wc * g1)),
            log2((ws * e2 + wc * f2) / (ws * o2 + wc * g2)),
            log2((ws * e3 + wc * f3) / (ws * o3 + wc * g3)),
        ]
        return [
            *hz,
            log2(e0 / o0), log2(e1 / o1), log2(e2 / o2), log2(e3 / o3),
            log2(f0 / g0), log2(f1 / g1), log2(f2 / g2), log2(f3 / g3),
        ]
    return _sample_exact(c, s, w)


def _sample_exact(c: Sequence[float], s: Sequence[float], w: float) -> list[float]:
    st_odds, st_p, st_q = _mode([ci + si for ci, si in zip(c, s, strict=True)])
    cl_odds, cl_p, cl_q = _mode(s)
    lw = math.log2(w) if w > 0.0 else _NEG_INF
    lw1 = math.log2(1.0 - w) if w < 1.0 else _NEG_INF
    hz = [
        lse2_pair(lw + st_p[i], lw1 + cl_p[i]) - lse2_pair(lw + st_q[i], lw1 + cl_q[i])
        for i in range(4)
    ]
    return hz + st_odds + cl_odds


def compute_columns(cols: Columns, n: int) -> dict[str, Sequence[object]]:
    """Column-wise model; every probability carried as log2 odds.

    >>> r = compute_columns({"saint_count": [0.0], "misgeneralized_count": [0.0],
    ...     "reward_seeker_count": [0.0], "schemer_count": [5e6], "saint_bits": [0.0],
    ...     "misgeneralized_bits": [0.0], "reward_seeker_bits": [0.0], "schemer_bits": [0.0],
    ...     "strict_weight": [1.0]}, 1)
    >>> abs(r["log2_odds_schemer"][0] - (5e6 - math.log2(3))) < 1e-9 * 5e6
    True
    """
    cc = [cols[f"{c}_count"] for c, _ in CLASSES]
    ss = [cols[f"{c}_bits"] for c, _ in CLASSES]
    ww = cols["strict_weight"]
    rows = [
        _sample((c0, c1, c2, c3), (s0, s1, s2, s3), w)
        for c0, c1, c2, c3, s0, s1, s2, s3, w in zip(*cc, *ss, ww, strict=True)
    ]
    t = list(zip(*rows, strict=True))
    out: dict[str, Sequence[object]] = {}
    for i, (c, _) in enumerate(CLASSES):
        out[f"p_{c}"] = t[i]
        if c != "schemer":
            out[f"strict_p_{c}"] = t[4 + i]
            out[f"class_p_{c}"] = t[8 + i]
    out["log2_odds_schemer"] = t[3]
    out["strict_p_schemer"] = out["strict_log2_odds_schemer"] = t[7]
    out["class_p_schemer"] = out["class_log2_odds_schemer"] = t[11]
    return out


def compute(inputs: Mapping[str, float]) -> Mapping[str, object]:
    """One point: parsed inputs (counts in log2) to output carriers.

    >>> r = compute({"saint_count": 0.0, "misgeneralized_count": 0.0,
    ...     "reward_seeker_count": 0.0, "schemer_count": 100.0, "saint_bits": 0.0,
    ...     "misgeneralized_bits": 0.0, "reward_seeker_bits": 0.0, "schemer_bits": 0.0,
    ...     "strict_weight": 0.0})
    >>> round(p_from_odds(r["p_schemer"]), 12)
    0.25
    """
    return at_point(compute_columns, inputs)


def draw(inputs: Mapping[str, float], res: Mapping[str, object], prefix: str
         ) -> dict[str, tuple[str, str]]:
    """Grouped bars: each class's probability under strict, hazy and class-level counting."""
    modes = (("strict", "Strict"), ("hazy", "Hazy"), ("class", "Class-level"))
    groups, values, texts, rows = [], [], [], []
    for c, label in CLASSES:
        keys = {"strict": f"strict_p_{c}", "hazy": f"p_{c}", "class": f"class_p_{c}"}
        odds = [float(res[keys[m]]) for m, _ in modes]  # type: ignore[arg-type]
        groups.append(label)
        values.append([p_from_odds(t) for t in odds])
        texts.append([fmt_probability(t) for t in odds])
        rows.append([label, *texts[-1]])
    w = inputs["strict_weight"]
    title = "Probability of each class under three ways of counting"
    desc = (
        f"Strict counting over individual models, class-level counting, and the hazy mix "
        f"at credence {fmt_number(w)} in strict counting. Schemers: "
        + ", ".join(f"{name} {t}" for (_, name), t in zip(modes, texts[3], strict=True))
        + "."
    )
    names = [name for _, name in modes]
    svg = charts.bar_chart(f"{prefix}-modes", title, desc, groups, names, values, texts)
    tbl = charts.table(title, ["Class", *names], rows)
    return {"modes": (svg, tbl)}


COUNTING = Calculator(
    id="counting-odds",
    title="Counting odds",
    summary="P(schemer) when counting individual models, counting classes, or a mix.",
    fields=FIELDS,
    outputs=OUTPUTS,
    charts=(ChartSpec("modes", "Class probabilities under three ways of counting"),
            ChartSpec("distribution", "Spread over the input ranges")),
    compute=compute,
    compute_columns=compute_columns,
    draw=draw,
)
