"""Two frames (section 4.1): one schemer and one non-schemer, judged in each frame.

Selection at strength β weights a model by exp(β·R): a reward margin ΔR is worth
β·ΔR / ln 2 bits (footnote 2's duality: reward and an inductive bias on one scale).

* Frame 1, contributors to reward: only reward decides.  Simplicity counts only
  through reward: the schemer's simpler goal frees parameters for the task, earning it
  ``freed_reward``; the non-schemer earns ``reward_gap`` more otherwise.
  log2 odds schemer : non-schemer = β·(freed_reward − reward_gap) / ln 2.
* Frame 2, extra criteria: the same reward, plus simplicity as a selection pressure of
  its own: the schemer is ``simplicity_bits`` simpler, and each bit of simplicity is
  worth ``simplicity_weight`` bits of selection, a weight nobody knows (a range by
  default, as the house buyer's other criteria are poorly understood even in form).
  log2 odds = frame 1's + simplicity_weight · simplicity_bits.

The defaults follow the essay's frame-1 point: selection pushes hard on reward, so the
model that earns more reward wins, modulo noise and slack (the schemer's 0.01 of freed
reward is worth about 14 bits at β = 1000).  The headline is frame 1's answer: frame
2's number hangs on a weight nobody knows, and the essay gives none.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from . import charts, spec
from .fmt import brief, fmt_number, fmt_probability
from .logspace import LN2, softplus2
from .parse import Parsed
from .spec import Calculator, ChartSpec, Columns, Field, OutputSpec, Preset, Question

__all__ = ["FRAMES", "compute_columns", "draw"]

BIG = 1e15

FIELDS = (
    Field("reward_gap", "Non-schemer's reward edge", "0", "real",
          "How much more reward the non-schemer earns, apart from freed parameters "
          "(negative: the schemer earns more). The essay's frame-2 example: both earn "
          "high reward, so 0.", example="0.01", minimum=-BIG, maximum=BIG, span=0.01),
    Field("freed_reward", "Reward from freed parameters", "0.01", "real",
          "Reward the schemer gains because its simpler goal frees parameters for the task "
          "(the essay's frame-1 example).", example="0.01", minimum=-BIG, maximum=BIG, span=0.01),
    Field("beta", "Selection strength β", "1000", "real",
          "How hard training optimizes reward: selection weight exp(β·R). Our made-up "
          "default: hard enough that a reward margin of 0.01 is worth about 14 bits.",
          example="1000", minimum=0.0, maximum=BIG, min_exclusive=True, span=500.0),
    Field("simplicity_bits", "Schemer's simplicity advantage", "10", "real",
          "How much simpler the schemer's goal is, in bits (K_non − K_schemer).",
          example="10", unit="bits", minimum=-BIG, maximum=BIG),
    Field("simplicity_weight", "Weight of simplicity as an extra criterion", "0 to 1", "real",
          "Bits of selection per bit of simplicity in frame 2: unknown, so a range (0: no "
          "weight at all; 1: as strong as the bits say).",
          example="0 to 1", minimum=0.0, maximum=BIG, span=0.5),
)

OUTPUTS = (
    OutputSpec("p_schemer_reward_frame", "P(schemer), frame 1: contributors to reward",
               kind="probability", main=True),
    OutputSpec("p_schemer_extra_frame", "P(schemer), frame 2: extra criteria",
               kind="probability", main=True),
    OutputSpec("frames_agree", "Do the frames favour the same model?", kind="text"),
    OutputSpec("reward_bits", "Frame 1: reward margin in bits, β·(freed − edge) / ln 2",
               "Positive favours the schemer."),
    OutputSpec("extra_bits", "Frame 2 adds: weight × simplicity bits",
               "Where the frames part: the extra criterion's pull."),
    OutputSpec("net_bits", "Frame 2: net bits for the schemer", "Reward bits plus the extra "
               "criterion's bits."),
    OutputSpec("decides", "In frame 2, which criterion decides", kind="text"),
    OutputSpec("p_schemer_simplicity_frame", "P(schemer), simplicity alone",
               kind="probability"),
    OutputSpec("reward_gap_bits", "Footnote 2: the reward edge in bits, β·ΔR / ln 2",
               "The non-schemer's reward edge on the same scale as bits of simplicity."),
)


def _decides(reward: float, extra: float) -> str:
    if math.isclose(abs(reward), abs(extra), rel_tol=1e-12, abs_tol=1e-12):
        return "tie"
    return "reward" if abs(reward) > abs(extra) else "simplicity"


def _side(t: float) -> int:
    return (t > 0.0) - (t < 0.0)


def compute_columns(cols: Columns, n: int) -> dict[str, Sequence[object]]:
    """Column-wise model; probabilities carried as log2 odds schemer : non-schemer.

    >>> r = compute_columns({"reward_gap": [LN2], "freed_reward": [0.0], "beta": [1.0],
    ...     "simplicity_bits": [3.0], "simplicity_weight": [1.0]}, 1)
    >>> r["reward_gap_bits"], r["net_bits"], r["decides"], r["frames_agree"]
    ([1.0], [2.0], ['simplicity'], ['no'])
    """
    beta = cols["beta"]
    gap_bits = [b * d / LN2 for b, d in zip(beta, cols["reward_gap"], strict=True)]
    freed_bits = [b * f / LN2 for b, f in zip(beta, cols["freed_reward"], strict=True)]
    reward = [f - g for f, g in zip(freed_bits, gap_bits, strict=True)]
    extra = [w * k for w, k in zip(cols["simplicity_weight"], cols["simplicity_bits"],
                                   strict=True)]
    net = [r + e for r, e in zip(reward, extra, strict=True)]
    return {
        "p_schemer_reward_frame": reward,
        "p_schemer_extra_frame": net,
        "frames_agree": ["yes" if _side(r) == _side(t) else "no"
                         for r, t in zip(reward, net, strict=True)],
        "reward_bits": reward,
        "extra_bits": extra,
        "net_bits": net,
        "decides": [_decides(r, e) for r, e in zip(reward, extra, strict=True)],
        "p_schemer_simplicity_frame": extra,
        "reward_gap_bits": gap_bits,
    }


def sentence(out: Mapping[str, Mapping[str, object]], given: Mapping[str, Parsed]) -> str:
    """Frame 1's verdict, in the regime its reward margin puts it; then frame 2's pull."""
    def t(key: str) -> str:
        return brief(str(out[key]["text"]))

    bits = float(str(out["reward_bits"]["value"]))
    p = float(str(out["p_schemer_reward_frame"]["value"]))
    p1 = f"P(schemer) ≈ {t('p_schemer_reward_frame')}"
    unsure = any(given[name].is_range for name in ("reward_gap", "freed_reward", "beta"))
    if unsure:
        # The mean margin says little when the margin's sign is uncertain: the verdict
        # is the expected probability's.
        verdict = ("expects the schemer" if p >= 15 / 16 else
                   "expects the non-schemer" if p <= 1 / 16 else "cannot choose surely")
        one = f"Over your ranges, frame 1 {verdict} ({p1})"
    elif bits == 0.0:
        one = f"In frame 1 both earn the same reward, so reward alone cannot choose ({p1})"
    elif abs(bits) >= 4.0:
        who = "schemer" if bits > 0.0 else "non-schemer"
        one = (f"In frame 1 the {who} earns more reward, a margin worth "
               f"{fmt_number(abs(bits))} bits of selection, so reward settles it ({p1})")
    else:
        one = (f"In frame 1 reward separates them by only {t('reward_bits')} bits, too "
               f"little to settle it ({p1})")
    extra = float(str(out["extra_bits"]["value"]))
    if bits == 0.0 and not unsure and extra != 0.0:
        flip = f", so frame 2 leans to the {'schemer' if extra > 0.0 else 'non-schemer'}"
    elif out["frames_agree"]["value"] == "no":
        flip = ", enough to reverse frame 1's verdict"
    else:
        flip = ""
    weight = given["simplicity_weight"]
    how = ("at a weight nobody knows" if weight.is_range else
           f"at your weight of {fmt_number(weight.value)}")
    return (f"{one}. Frame 2 adds simplicity as an extra criterion {how}: "
            f"{t('extra_bits')} bits for the schemer{flip}.")


def draw(inputs: Mapping[str, float], res: Mapping[str, object], prefix: str,
         scale: str = "probability") -> dict[str, tuple[str, str]]:
    """Bars: P(schemer) in each frame, and simplicity alone."""
    frames = (
        ("Frame 1: reward only", "p_schemer_reward_frame"),
        ("Frame 2: reward and simplicity", "p_schemer_extra_frame"),
        ("Simplicity alone", "p_schemer_simplicity_frame"),
    )
    odds = [float(res[k]) for _, k in frames]  # type: ignore[arg-type]
    texts = [fmt_probability(t) for t in odds]
    title = "P(schemer) in each frame"
    desc = (
        f"Reward is worth {fmt_number(odds[0])} bits to the schemer; simplicity, as an "
        f"extra criterion at weight {fmt_number(inputs['simplicity_weight'])}, "
        f"{fmt_number(odds[2])} bits; in frame 2 {res['decides']} decides. "
        + "; ".join(f"{name}: {t}" for (name, _), t in zip(frames, texts, strict=True))
        + "."
    )
    svg = charts.bar_chart(
        f"{prefix}-frames", title, desc, [name for name, _ in frames], ["P(schemer)"],
        [[t] for t in odds], [[t] for t in texts], "odds" if scale == "odds" else "probability",
    )
    rows = [[name, t, fmt_number(o)] for (name, _), t, o in zip(frames, texts, odds, strict=True)]
    tbl = charts.table(title, ["Frame", "P(schemer)", "log2 odds"], rows)
    return {"frames": (svg, tbl)}


def _house_buyer_move() -> float:
    """How many times over the house buyer's other criteria multiply the odds of a
    schemer: frame 2's expected P(schemer) (weight uniform on 0 to 1, exact: the mean of
    a logistic in bits over [a, b] is (softplus2(b) − softplus2(a)) / (b − a)) against
    frame 1's, in odds."""
    a = -1000.0 * 0.01 / LN2
    b = a + 10.0
    p = (softplus2(b) - softplus2(a)) / (b - a)
    return float(p / (1.0 - p) / 2.0**a)


PRESETS = (
    Preset("essay", "The essay's two simplicity arguments", {},
           "Our made-up numbers. Frame 1: the schemer's simpler goal frees parameters "
           "that earn it more reward, and selection pushes hard on reward, so the schemer "
           "wins. Frame 2: simplicity counts as well, at a weight nobody knows."),
    Preset("same-reward", "Both earn the same reward (frame 2's example)",
           {"freed_reward": "0"},
           "The essay's frame-2 example: both models earn high reward, so frame 1 cannot "
           "choose; only the extra criterion, at its unknown weight, leans either way."),
    Preset("house-buyer", "The house buyer (footnote 2)",
           {"beta": "1000", "reward_gap": "0.01", "freed_reward": "0"},
           "Our numbers in the spirit of footnote 2: selection pushes hard on reward "
           "(price, in our reading), which here slightly favours the non-schemer; the murky "
           f"other criteria multiply the odds of a schemer about {_house_buyer_move():.0f}-"
           "fold, yet the non-schemer still wins, as the buyer's price would."),
    Preset("no-weight", "Simplicity gets no weight",
           {"simplicity_weight": "0"},
           "Give the extra criterion no weight: the frames agree."),
)

QUESTIONS = (
    Question("frame-one", "Frame 1 only: training selects hard on reward, and the "
             "schemer's simpler goal frees parameters that earn it a little more reward. "
             "Which model does frame 1 expect?", "p_schemer_reward_frame", "",
             spec.buckets([0.05, 0.95], ["The non-schemer",
                                         "Neither: close to a coin flip",
                                         "The schemer: more reward wins"])),
)

FRAMES = Calculator.from_module(
    globals(),
    id="frames",
    title="Two frames: one schemer, one non-schemer",
    summary="Judge the pair by reward alone (frame 1), then by reward plus simplicity as "
            "an extra criterion of unknown weight (frame 2).",
    charts=spec.with_standard_charts(ChartSpec("frames", "P(schemer) in each frame")),
    headline="p_schemer_reward_frame",
)
