"""Gradient-step breakeven (section 4.2, the 2^100 example and footnote 8): an exchange rate.

Prior odds schemer : non-schemer are 2^k.  Each gradient step is worth b bits of
selection power (the essay: at least 1).  So a non-schemer need only be worth
n* = k / b extra steps *to SGD* for SGD to have an incentive to overcome the prior.
If the reader says a non-schemer is worth w steps to SGD (section 4.4's hope that
avoiding scheming's costs is worth a lot), the net log2 odds are k - b·w.
n* is also given as a share of a run of T steps (or tokens / batch size).

Under ranges the reader's credence is the expected P(schemer), so n* and the worth
needed for a target are solved where that expectation crosses one half (the target),
not averaged over the samples (the mean of k/b can sit far from where the mean
P(schemer) is one half); the samples' own thresholds are reported only as spread.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from . import charts, spec
from .fmt import brief, fmt_count_log2, fmt_number, fmt_probability
from .logspace import mean_log2, mean_log2_odds
from .parse import Parsed
from .spec import Calculator, ChartSpec, Columns, Field, Nudge, OutputSpec, Preset, Question
from .uncertainty import crossing

__all__ = ["BREAKEVEN", "compute_columns", "draw", "expect"]

BIG = 1e15  # limit for counts, in bits

FIELDS = (
    Field("prior_ratio", "Prior odds schemer : non-schemer", "2^100", "count",
          "Schemer-like goals per non-schemer goal (the essay's made-up 2^100).",
          example="2^100", minimum=-BIG, maximum=BIG,
          nudge=Nudge("add", 1.0, "pow2")),
    Field("bits_per_step", "Bits per step", "1", "real",
          "Selection power of one gradient step, in bits (the essay: at least 1, a halving).",
          example="1", unit="bits", minimum=1e-9, maximum=BIG, span=0.5,
          nudge=Nudge("mul", 2.0)),
    Field("training_steps", "Training steps", "1e6", "count",
          "Gradient updates in the run (footnote 8, from a quick, informal conversation, "
          "a calculation Carlsmith has not dug into: training a model of over a trillion "
          "parameters might well take more than a million, depending on the batch size).",
          example="1e6", unit="steps", minimum=0.0, maximum=BIG,
          nudge=Nudge("add", math.log2(10.0), "exp10")),
    Field("training_tokens", "Training tokens", "", "count",
          "Optional: with the batch size, sets the steps as tokens / batch (at least 1).",
          example="1e13", unit="tokens", minimum=0.0, maximum=BIG, optional=True),
    Field("batch_tokens", "Batch size", "", "count",
          "Optional: tokens per gradient step.", example="4e6", unit="tokens",
          minimum=0.0, maximum=BIG, optional=True),
    Field("target_p_schemer", "Target P(schemer)", "0.01", "probability",
          "A chance of a schemer low enough for you.",
          example="0.01", minimum=0.0, maximum=1.0, min_exclusive=True, max_exclusive=True),
    Field("worth_steps", "What a non-schemer is worth to SGD", "0", "real",
          "Your guess: how many extra gradient steps getting a non-schemer rather than a "
          "schemer is worth to SGD (section 4.4 hopes for a lot).",
          example="1000", unit="steps", minimum=0.0, maximum=BIG, span=100.0,
          nudge=Nudge("add", 50.0)),
)

OUTPUTS = (
    OutputSpec("prior_log2_odds", "Prior log2 odds k", "Bits of prior favouring schemers."),
    OutputSpec("p_schemer_prior", "P(schemer) under the prior alone",
               "If SGD drew uniformly among the goals.", kind="probability"),
    OutputSpec("breakeven_steps", "Breakeven worth n* = k / b",
               "Extra steps a non-schemer must be worth to SGD to balance the prior (under "
               "ranges: where the expected P(schemer) is one half).",
               main=True, solved=True),
    OutputSpec("training_fraction", "n* as a share of the run", kind="fraction", main=True,
               solved=True),
    OutputSpec("steps_to_target", "Worth needed for the target",
               "Extra steps a non-schemer must be worth to SGD to bring P(schemer) down "
               "to the target (under ranges: the expected P(schemer)).", solved=True),
    OutputSpec("training_steps_used", "Training steps used", kind="count"),
    OutputSpec("worth_bits", "Your worth, in bits", "Your worth in steps times the bits "
               "per step."),
    OutputSpec("net_log2_odds", "Net bits for schemers, k − b·w",
               "The prior's bits less what SGD's preference for a non-schemer is worth."),
    OutputSpec("p_schemer_net", "Toy P(schemer) at your worth",
               "Ours, not the essay's: the prior and SGD's preference read as one weighted "
               "draw. The essay turns worth into an incentive to overcome the prior, not "
               "into a chance.", kind="probability", main=True),
)


def compute_columns(cols: Columns, n: int) -> dict[str, Sequence[object]]:
    """Column-wise model; probabilities carried as log2 odds, the fraction as log2.

    >>> r = compute_columns({"prior_ratio": [100.0], "bits_per_step": [1.0],
    ...     "training_steps": [math.log2(1e6)], "target_p_schemer": [0.01],
    ...     "worth_steps": [150.0]}, 1)
    >>> r["breakeven_steps"], round(2 ** r["training_fraction"][0], 12), r["net_log2_odds"]
    ([100.0], 0.0001, [-50.0])
    """
    k, b = cols["prior_ratio"], cols["bits_per_step"]
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
        max(0.0, (ki - log2(p / (1.0 - p))) / bi)
        for ki, bi, p in zip(k, b, cols["target_p_schemer"], strict=True)
    ]
    worth = [bi * w for bi, w in zip(b, cols["worth_steps"], strict=True)]
    net = [ki - wi for ki, wi in zip(k, worth, strict=True)]
    return {
        "prior_log2_odds": list(k),
        "p_schemer_prior": list(k),
        "breakeven_steps": nstar,
        "training_fraction": frac,
        "steps_to_target": to_target,
        "training_steps_used": t,
        "worth_bits": worth,
        "net_log2_odds": net,
        "p_schemer_net": net,
    }


def _odds_and_slope(k: Sequence[float], b: Sequence[float], w: float) -> tuple[float, float]:
    """The log2 odds of the samples' mean P(schemer) at worth w (exact, in log space),
    and its slope in w (in linear space: it only steers the solver's steps).

    >>> _odds_and_slope([100.0], [2.0], 10.0)
    (80.0, -2.0)
    """
    ts = [ki - bi * w for ki, bi in zip(k, b, strict=True)]
    if max(abs(min(ts)), abs(max(ts))) < _LINEAR:
        # Every p and 1 - p is a normal double: one pass in linear space, with the sums
        # mean_log2_odds would take (p = 1 / (1 + e), 1 - p = e / (1 + e), e = 2^-t).
        es = [2.0 ** -t for t in ts]
        ps = [1.0 / (1.0 + e) for e in es]
        qs = [e * p for e, p in zip(es, ps, strict=True)]
        big_p, big_q = math.fsum(ps), math.fsum(qs)
        s = sum([bi * p * q for bi, p, q in zip(b, ps, qs, strict=True)])
        g = math.log2(big_p) - math.log2(big_q)
        return g, (-s * len(ts) / (big_p * big_q) if s > 0.0 else math.nan)
    g = mean_log2_odds(ts)
    # d/dw of log2(P / (1 - P)) is -mean(b·p(1 - p)) / (P(1 - P)), each p(1 - p) taken as
    # e / (1 + e)^2 with e = 2^-|t|, which cannot overflow.
    es = [2.0 ** -abs(t) for t in ts]
    s = math.fsum([bi * e / ((1.0 + e) * (1.0 + e)) for bi, e in zip(b, es, strict=True)])
    eg = 2.0 ** -abs(g)
    pq = eg / ((1.0 + eg) * (1.0 + eg))
    return g, (-s / len(ts) / pq if s > 0.0 and pq > 0.0 else math.nan)


#: Within this many bits of even odds, every sample's p and 1 - p is a normal double.
_LINEAR = 1000.0


#: A solve over more samples than this starts from the answer for every n-th of them.
_COARSE = 1000


def _solve(k: Sequence[float], b: Sequence[float], line: float) -> float:
    """The worth w >= 0 at which the expected P(schemer) over the samples (log2 odds
    k_i - b_i·w each) falls to ``line`` (log2 odds); exact in log space.

    >>> _solve([100.0], [1.0], 0.0)
    100.0
    >>> round(_solve([0.0, 4.0], [1.0, 1.0], 0.0), 9)  # by symmetry, midway
    2.0
    """
    per = [max(0.0, (ki - line) / bi) for ki, bi in zip(k, b, strict=True)]
    lo, hi = min(per), max(per)
    if lo == hi:
        return lo
    if len(k) > _COARSE:
        # Three or four Newton steps over all the samples, from a nearby start.
        n = len(k) // _COARSE
        start = _solve(k[::n], b[::n], line)
    else:
        start = sorted(per)[len(per) // 2]
    return crossing(lambda w: _odds_and_slope(k, b, w), line, lo, hi, start)


def expect(cols: Columns, res: Mapping[str, Sequence[object]],
           given: Mapping[str, Parsed] | None) -> dict[str, float]:
    """Under ranges: n* and the worth for the target, solved on the expected P(schemer)
    (the target's own range taken at its mean), and n*'s share of the run; each only
    where ``res`` holds that output (the tornado asks for the headline alone).

    Three samples with thresholds k/b of 100, 100 and 10,000 steps: their mean is 3,400,
    but the expected P(schemer) is one half at 100 + log2 3 steps.

    >>> r = expect({"prior_ratio": [100.0] * 3, "bits_per_step": [1.0, 1.0, 0.01],
    ...             "target_p_schemer": [0.5] * 3},
    ...            {"breakeven_steps": [], "steps_to_target": []}, None)
    >>> round(r["breakeven_steps"], 9), round(r["steps_to_target"], 9)
    (101.584962501, 101.584962501)
    """
    k, b = cols["prior_ratio"], cols["bits_per_step"]
    out: dict[str, float] = {}
    if "breakeven_steps" in res or "training_fraction" in res:
        out["breakeven_steps"] = nstar = _solve(k, b, 0.0)
        if "training_steps_used" in res:
            steps = [float(t) for t in res["training_steps_used"]]  # type: ignore[arg-type]
            # The share n*/T averaged over the run lengths: log2 n* + log2 mean(1/T).
            out["training_fraction"] = (math.log2(nstar) + mean_log2([-t for t in steps])
                                        if nstar > 0.0 else -math.inf)
    if "steps_to_target" in res:
        target = math.fsum(cols["target_p_schemer"]) / len(cols["target_p_schemer"])
        out["steps_to_target"] = _solve(k, b, math.log2(target / (1.0 - target)))
    return out


def sentence(out: Mapping[str, Mapping[str, object]], given: Mapping[str, Parsed]) -> str:
    """The exchange rate in words; under ranges, where the reader's credence crosses."""
    def t(key: str) -> str:
        return brief(str(out[key]["text"]))

    if float(str(out["prior_log2_odds"]["value"])) <= 0.0 and not any(
            p.is_range for p in given.values()):
        return (f"The prior already favours non-schemers ({t('prior_log2_odds')} bits): "
                "nothing to overcome.")
    if float(str(out["breakeven_steps"]["value"])) <= 0.0:
        return ("Your expected P(schemer) is already at most one half with no help from "
                "SGD: nothing to overcome.")
    run = f"{t('training_fraction')} of a {t('training_steps_used')}-step run"
    if any(p.is_range for p in given.values()):
        return (f"Over your ranges, SGD's incentive balances the prior (the expected "
                f"P(schemer) falls to one half) once a non-schemer is worth "
                f"{t('breakeven_steps')} extra gradient steps to SGD ({run}).")
    return (f"Once a non-schemer is worth {t('breakeven_steps')} extra gradient steps to SGD "
            f"({run}), SGD has reason to overcome the prior's {t('prior_log2_odds')} bits "
            "in favour of schemers.")


def draw(inputs: Mapping[str, float], res: Mapping[str, object], prefix: str,
         scale: str = "probability") -> dict[str, tuple[str, str]]:
    """P(schemer) against what a non-schemer is worth to SGD, with n* and the target."""
    k, b = inputs["prior_ratio"], inputs["bits_per_step"]
    nstar = float(res["breakeven_steps"])  # type: ignore[arg-type]
    to_t = float(res["steps_to_target"])  # type: ignore[arg-type]
    w = inputs["worth_steps"]
    tgt = inputs["target_p_schemer"]
    x1 = max(2.0 * nstar, 1.25 * to_t, 1.1 * w, 8.0 / b)
    if not math.isfinite(x1) or x1 <= 0:
        x1 = 1.0
    xs = [x1 * i / 120 for i in range(121)]
    ts = [k - b * x for x in xs]
    title = "P(schemer) against what a non-schemer is worth to SGD"
    desc = (
        f"With prior odds {fmt_count_log2(k)} and {fmt_number(b)} bits per step, P(schemer) "
        f"falls through one half when a non-schemer is worth n* = {fmt_number(nstar)} "
        f"extra steps to SGD, and below the target {fmt_number(tgt)} at "
        f"{fmt_number(to_t)} steps; at your {fmt_number(w)} steps it is "
        f"{fmt_probability(k - b * w)}."
    )
    marks = [(nstar, f"n* = {fmt_number(nstar)}")]
    if w > 0.0:
        marks.append((w, f"yours: {fmt_number(w)}"))
    tgt_odds = math.log2(tgt / (1.0 - tgt))
    svg = charts.line_chart(
        f"{prefix}-curve", title, desc, xs, ts,
        "What a non-schemer is worth to SGD, in extra steps",
        "P(schemer)" if scale != "odds" else "log2 odds, schemer : non-schemer",
        marks, [(tgt_odds, f"target {fmt_number(100 * tgt)}%")],
        "odds" if scale == "odds" else "probability",
    )
    rows = [[fmt_number(x), fmt_probability(t)] for x, t in zip(xs[::12], ts[::12], strict=True)]
    tbl = charts.table(title, ["Worth to SGD (extra steps)", "P(schemer)"], rows)
    return {"curve": (svg, tbl)}


PRESETS = (
    Preset("essay", "The essay's 2^100 example", {},
           "2^100 schemer-like goals per non-schemer goal, at least a bit per step; "
           "the run's length from footnote 8's rough, unchecked \"more than a million\" "
           "updates."),
    Preset("worth-a-lot", "A non-schemer worth 1,000 steps",
           {"worth_steps": "1000"},
           "Our example of section 4.4's hope that getting a non-schemer is worth "
           "substantive costs to SGD: 1,000 extra steps. The essay draws an incentive "
           "from this, not a chance: the toy P(schemer) is our weighted draw."),
    Preset("weak-steps", "A step buys only 0.01 bits",
           {"bits_per_step": "0.01"},
           "If a gradient step narrows the goals far less than a halving."),
    Preset("prior-unsure", "Prior from 2^50 to 2^150",
           {"prior_ratio": "2^50 to 2^150"},
           "The made-up ratio as a range, sampled log-uniformly."),
)

QUESTIONS = (
    Question("halving", "Schemer-like goals outnumber non-schemer goals 2^100 to 1, and "
             "each gradient step is worth one bit. How many extra steps must a "
             "non-schemer be worth to SGD to balance that prior?", "breakeven_steps"),
    Question("weak-steps", "Suppose instead a gradient step buys only 0.01 bits. What "
             "must a non-schemer be worth to SGD now, in extra steps?", "breakeven_steps",
             "weak-steps"),
)

BREAKEVEN = Calculator.from_module(
    globals(),
    id="breakeven",
    title="Gradient-step breakeven",
    summary="How many extra gradient steps must a non-schemer be worth to SGD to outweigh "
            "a prior of 2^k to 1 for schemers?",
    charts=spec.with_standard_charts(
        ChartSpec("curve", "P(schemer) against what a non-schemer is worth to SGD")),
    headline="breakeven_steps",
)
