"""Counting odds (section 4.2): strict, class-level and hazy counting over four classes.

Class i holds 2^c_i individual models and has a selection advantage of s_i bits.

* Strict counting, a uniform draw over individual models (weighted by the advantages):
  P(i) ∝ 2^(c_i + s_i).
* Class-level counting, a uniform draw over classes ("Bob's cuisine"): P(i) ∝ 2^s_i.
* Hazy counting: strict counting when we are unsure how SGD's class-level preferences
  go.  Each class's advantage is uncertain by a standard deviation of σ bits, and the
  hazy P(i) is the expectation of the strict P(i) over that uncertainty.  For the one
  shape of uncertainty that keeps the best model's score Gumbel-distributed (the log
  of a positive stable variable; Cardell 1997), the expectation is exact and closed:

      P(i) ∝ 2^((c_i + s_i) / τ),   τ = sqrt(1 + 6 (σ ln 2 / π)²).

  σ = 0 gives strict counting; as σ grows every bit of count and of preference is
  worth 1/τ bits, so the answer tends to uniform over the classes, with the count
  shifting it by c/τ bits: it privileges scheming without settling it.

The headline sentence names the regime the inputs put it in: a uniform draw among
individual models only when no class is favoured and nothing is uncertain; a weighted
draw when advantages differ; hazy only with uncertainty about the advantages (a spread
or a range); uniform over the classes only with the classes' uniform share, which
symmetric advantages give exactly (computed, not sampled).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from . import charts, spec
from .fmt import brief, fmt_number, fmt_probability
from .logspace import LN2, class_log2_odds_columns, lse2
from .parse import Parsed
from .spec import Calculator, ChartSpec, Columns, Field, OutputSpec, Preset, Question

__all__ = ["CLASSES", "COUNTING", "compute_columns", "draw", "expect", "temperature"]

BIG = 1e15
#: (name prefix, label) of the four model classes, schemers last.
CLASSES = (
    ("saint", "Training saints"),
    ("misgeneralized", "Misgeneralized non-training-gamers"),
    ("reward_seeker", "Reward-on-the-episode seekers"),
    ("schemer", "Schemers"),
)
#: One model of each class, for labels such as "P(training saint)".
_ONE = {"saint": "training saint", "misgeneralized": "misgeneralized non-training-gamer",
        "reward_seeker": "reward-on-the-episode seeker", "schemer": "schemer"}
#: The essay's toy ratio: 2^100 schemer-like goals for every non-schemer goal, the
#: non-schemers' measure split evenly among their three classes.
_DEFAULT_COUNT = {"saint": "1/3", "misgeneralized": "1/3", "reward_seeker": "1/3",
                  "schemer": "2^100"}

FIELDS = (
    *(
        Field(f"{c}_count", f"{label}: measure", _DEFAULT_COUNT[c], "count",
              f"The measure (loosely, the number) of individual models (goals) that count "
              f"as {label.lower()}; only the ratios matter.", example="2^100",
              minimum=-BIG, maximum=BIG)
        for c, label in CLASSES
    ),
    *(
        Field(f"{c}_bits", f"{label}: selection advantage", "0", "real",
              "Bits by which reward and inductive biases favour this class as a whole.",
              example="10", unit="bits", minimum=-BIG, maximum=BIG)
        for c, label in CLASSES
    ),
    Field("preference_spread", "Uncertainty about SGD's class-level preferences", "0",
          "real", "How unsure you are of each class's advantage (a standard deviation, in "
          "bits): 0 is strict counting; the wider, the closer to uniform over classes.",
          example="1000", unit="bits", minimum=0.0, maximum=BIG, span=100.0),
)

OUTPUTS = (
    *(
        OutputSpec(f"p_{c}", f"P({_ONE[c]}), your counting", kind="probability",
                   main=c == "schemer")
        for c, _ in CLASSES
    ),
    OutputSpec("log2_odds_schemer", "log2 odds schemer : non-schemer, your counting",
               kind="log2_odds"),
    OutputSpec("hazy_temperature", "Bits of count or preference per hazy bit, τ",
               "Under your uncertainty every bit of count or advantage is worth 1/τ bits."),
    OutputSpec("strict_p_schemer", "P(schemer), strict counting", kind="probability"),
    OutputSpec("strict_log2_odds_schemer", "log2 odds schemer, strict counting",
               kind="log2_odds"),
    OutputSpec("class_p_schemer", "P(schemer), class-level counting", kind="probability"),
    OutputSpec("class_log2_odds_schemer", "log2 odds schemer, class-level counting",
               kind="log2_odds"),
    OutputSpec("class_p_schemer_merged",
               "P(schemer), class-level, non-schemers counted as one class",
               "Uniform over classes depends on how the classes are split: merge the three "
               "non-schemer classes and the same rule gives schemers more.",
               kind="probability"),
    *(
        OutputSpec(f"{m}_p_{c}", f"P({_ONE[c]}), {mode}", kind="probability")
        for m, mode in (("strict", "strict counting"), ("class", "class-level counting"))
        for c, _ in CLASSES[:3]
    ),
)


def temperature(spread_bits: float) -> float:
    """τ for a class-level uncertainty of ``spread_bits`` (standard deviation, bits).

    >>> temperature(0.0)
    1.0
    >>> round(temperature(1000.0), 1)
    540.4
    """
    return math.sqrt(1.0 + 6.0 * (spread_bits * LN2 / math.pi) ** 2)


def compute_columns(cols: Columns, n: int) -> dict[str, Sequence[object]]:
    """Column-wise model; every probability carried as log2 odds.

    >>> r = compute_columns({"saint_count": [0.0], "misgeneralized_count": [0.0],
    ...     "reward_seeker_count": [0.0], "schemer_count": [5e6], "saint_bits": [0.0],
    ...     "misgeneralized_bits": [0.0], "reward_seeker_bits": [0.0], "schemer_bits": [0.0],
    ...     "preference_spread": [0.0]}, 1)
    >>> abs(r["log2_odds_schemer"][0] - (5e6 - math.log2(3))) < 1e-9 * 5e6
    True
    """
    counts = [cols[f"{c}_count"] for c, _ in CLASSES]
    bits = [cols[f"{c}_bits"] for c, _ in CLASSES]
    taus = [temperature(s) for s in cols["preference_spread"]]
    weights = [[c + s for c, s in zip(cc, ss, strict=True)]
               for cc, ss in zip(counts, bits, strict=True)]
    strict = class_log2_odds_columns(weights)
    if all(t == 1.0 for t in taus):
        hazy = strict  # no uncertainty: hazy counting is strict counting, the same lists
    else:
        hazy = class_log2_odds_columns([[w / t for w, t in zip(ws, taus, strict=True)]
                                        for ws in weights])
    by_class = class_log2_odds_columns(bits)
    # The three non-schemer classes as one class: its advantage is their mean pull.
    log2_3 = math.log2(3.0)
    merged = [s3 - (lse2([s0, s1, s2]) - log2_3)
              for s0, s1, s2, s3 in zip(*bits, strict=True)]
    out: dict[str, Sequence[object]] = {}
    for k, (c, _) in enumerate(CLASSES):
        out[f"p_{c}"] = hazy[k]
        out[f"strict_p_{c}"] = strict[k]
        out[f"class_p_{c}"] = by_class[k]
    out["log2_odds_schemer"] = out["p_schemer"]
    out["strict_log2_odds_schemer"] = out["strict_p_schemer"]
    out["class_log2_odds_schemer"] = out["class_p_schemer"]
    out["class_p_schemer_merged"] = merged
    out["hazy_temperature"] = taus
    return out


#: log2 odds of one class in four: 1 : 3.
_QUARTER = -math.log2(3.0)


def _symmetric(given: Mapping[str, Parsed]) -> bool:
    """Whether the four classes' advantages are given alike (the same value or range),
    so that class-level counting gives each class exactly a quarter."""
    first = given[f"{CLASSES[0][0]}_bits"]
    return all(given[f"{c}_bits"] == first for c, _ in CLASSES)


def expect(cols: Columns, res: Mapping[str, Sequence[object]],
           given: Mapping[str, Parsed] | None) -> dict[str, float]:
    """Under ranges: class-level counting's exact share when the advantages are alike.

    Four classes whose advantages are drawn alike are exchangeable, so each is the
    most favoured with chance exactly 1/4; sampling would show 24.5% or 25.6%.

    >>> same = {f"{c}_bits": Parsed(0.0, -1000.0, 1000.0) for c, _ in CLASSES}
    >>> round(2 ** expect({}, {}, same)["class_p_schemer"], 12)
    0.333333333333
    """
    if given is None or not _symmetric(given):
        return {}
    return {f"class_p_{c}": _QUARTER for c, _ in CLASSES} | {
        "class_log2_odds_schemer": _QUARTER}


def _regime(given: Mapping[str, Parsed]) -> str:
    """``uniform``, ``weighted``, ``counts unsure`` or ``hazy``: what the inputs say."""
    bits = [given[f"{c}_bits"] for c, _ in CLASSES]
    spread = given["preference_spread"]
    if spread.is_range or spread.value > 0.0 or any(p.is_range for p in bits):
        return "hazy"
    if any(given[f"{c}_count"].is_range for c, _ in CLASSES):
        return "counts unsure"
    return "uniform" if all(p.value == bits[0].value for p in bits) else "weighted"


def sentence(out: Mapping[str, Mapping[str, object]], given: Mapping[str, Parsed]) -> str:
    """The answer in words, naming the regime the inputs put it in.

    ``out`` maps each output key to its ``value`` (repr) and ``text`` (the display text
    of the value, the expectation when inputs are ranges).
    """
    def p(key: str) -> float:
        return float(str(out[key]["value"]))

    def t(key: str) -> str:
        return brief(str(out[key]["text"]))

    head = f"P(schemer) ≈ {t('p_schemer')}"
    regime = _regime(given)
    if regime == "uniform":
        return (f"{head}: strict counting, as if SGD drew uniformly among individual "
                "models, the step Carlsmith is not sure is a good approximation.")
    if regime == "weighted":
        return (f"{head}: a weighted draw among individual models, each class's measure "
                "scaled by 2 to the power of its selection advantage; class-level counting "
                f"would give {t('class_p_schemer')}.")
    if regime == "counts unsure":
        return (f"{head}: strict counting, averaged over your range of counts "
                "(you are sure of the advantages).")
    hazy, strict, by_class = p("p_schemer"), p("strict_p_schemer"), p("class_p_schemer")
    if _symmetric(given) and abs(hazy - 0.25) <= 0.1:
        how = ("at" if abs(hazy - 0.25) < 0.005 else
               "lifted above" if hazy > 0.25 else "pushed below")
        return (f"{head}: hazy counting, close to uniform over the four classes, {how} "
                "its 25%: the count privileges schemers without settling it.")
    if given["preference_spread"].value == 0.0 and not given["preference_spread"].is_range:
        return (f"{head}: hazy counting, strict counting averaged over your ranges of "
                f"advantages; class-level counting gives {t('class_p_schemer')}.")
    if min(strict, by_class) <= hazy <= max(strict, by_class):
        return (f"{head}: hazy counting, between class-level counting "
                f"({t('class_p_schemer')}) and strict counting ({t('strict_p_schemer')}).")
    return (f"{head}: hazy counting; class-level counting gives {t('class_p_schemer')} and "
            f"strict counting {t('strict_p_schemer')}.")


def draw(inputs: Mapping[str, float], res: Mapping[str, object], prefix: str,
         scale: str = "probability") -> dict[str, tuple[str, str]]:
    """Grouped bars: each class's probability counted strictly, your way, and by class."""
    spread = inputs["preference_spread"]
    yours = "Hazy" if spread > 0.0 else "Yours"
    modes = (("strict", "Strict"), ("hazy", yours), ("class", "Class-level"))
    groups, values, texts, rows = [], [], [], []
    for c, label in CLASSES:
        keys = {"strict": f"strict_p_{c}", "hazy": f"p_{c}", "class": f"class_p_{c}"}
        odds = [float(res[keys[m]]) for m, _ in modes]  # type: ignore[arg-type]
        groups.append(label)
        values.append(odds)
        texts.append([fmt_probability(t) for t in odds])
        rows.append([label, *texts[-1]])
    title = "Probability of each class under three ways of counting"
    how = (f"hazy counting (strict counting unsure by {fmt_number(spread)} bits about each "
           "class's advantage)" if spread > 0.0 else
           "your inputs (no uncertainty about the advantages, so the same as strict)")
    desc = (
        f"Strict counting over individual models, {how}, and class-level counting. "
        "Schemers: "
        + ", ".join(f"{name} {t}" for (_, name), t in zip(modes, texts[3], strict=True))
        + "."
    )
    names = [name for _, name in modes]
    svg = charts.bar_chart(f"{prefix}-modes", title, desc, groups, names, values, texts,
                           "odds" if scale == "odds" else "probability")
    tbl = charts.table(title, ["Class", *names], rows)
    return {"modes": (svg, tbl)}


PRESETS = (
    Preset("essay", "The essay's toy count, counted strictly",
           {},
           "2^100 schemer-like goals for every non-schemer goal, no class favoured, "
           "SGD a uniform draw over individual models."),
    Preset("preferences-unknown", "Preferences unknown",
           {"preference_spread": "1000"},
           "The same count, unsure by 1,000 bits how SGD ranks the classes."),
    Preset("advantages-unknown", "Each advantage −1000 to 1000",
           {"saint_bits": "-1000 to 1000", "misgeneralized_bits": "-1000 to 1000",
            "reward_seeker_bits": "-1000 to 1000", "schemer_bits": "-1000 to 1000"},
           "Every class's advantage anywhere from −1000 to 1000 bits, sampled."),
    Preset("saints-favoured", "Saints favoured by 100 bits",
           {"saint_bits": "100"},
           "100 bits for saints, as many as the count gives schemers. Bits trade one for "
           "one, but saints hold only a third of the non-schemer measure (2^100 / 3 "
           "against the schemers' 2^100), so schemers keep three chances in four."),
)

QUESTIONS = (
    Question("unknown", "Keep the count, 2^100 schemer-like goals for every non-schemer "
             "goal, but be unsure by 1,000 bits how SGD ranks the four classes. What "
             "chance of a schemer?", "p_schemer", "preferences-unknown",
             spec.buckets([0.4, 0.6, 0.99], ["Under 40%: not far from a quarter",
                                        "40% to 60%: about even", "60% to 99%: likely",
                                        "Over 99%: the count still decides"])),
)

COUNTING = Calculator.from_module(
    globals(),
    id="counting-odds",
    title="Counting odds",
    summary="P(schemer) when counting individual models, counting classes, or counting "
            "while unsure of SGD's class-level preferences (hazy).",
    charts=spec.with_standard_charts(
        ChartSpec("modes", "Class probabilities under three ways of counting")),
    headline="p_schemer",
)
