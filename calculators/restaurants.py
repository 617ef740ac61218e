"""Bob's restaurants (section 4.2): counting restaurants, or what Bob likes.

Each cuisine i has N_i = 2^c_i restaurants and Bob's liking m_i in bits (its mean
quality).  P(cuisine) is computed uniform over restaurants (∝ N_i), preference-weighted
(∝ 2^m_i), and as the chance that the single best restaurant is of that cuisine when
each restaurant's quality is m_i plus noise:

* Gumbel noise of scale ``noise / ln 2`` bits: exactly P(i) ∝ N_i · 2^(m_i / noise),
  the counting calculator's strict formula when ``noise`` is 1 ("the unifying fact").
* Gaussian noise with the same standard deviation, (noise / ln 2)·π/√6 bits: a
  numerical integral done in log space (log Φ and log-sum-exp), so counts such as
  2^1000 neither overflow nor lose the losing cuisines' tiny chances.

Uniform over cuisines is not assumed anywhere: it is what the expected best-restaurant
chances tend to when Bob's taste is unknown, and only when the range of his likings (in
noise widths) is much wider than the log2 of the counts' ratio; the counts still tilt
them.  With likings of −2 to 2 bits, ten Chinese restaurants per Mexican one still make
Chinese the likely best.

When the means differ by more than about 10^12 noise widths the grid cannot be resolved
in floating point, and the Gaussian answer falls back to the Gumbel closed form.
When an input is a range, the Gaussian answers use the first ``GAUSS_SAMPLES`` samples
and a coarser grid, to stay within the 50 ms budget; the others use all samples.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from . import charts, spec
from .fmt import brief, fmt_number, fmt_probability
from .logspace import LN2, class_log2_odds, class_log2_odds_columns, lse
from .parse import Parsed
from .spec import Calculator, ChartSpec, Columns, Field, OutputSpec, Preset, Question

__all__ = ["CUISINES", "RESTAURANTS", "compute_columns", "draw", "gauss_best", "gauss_columns"]

BIG = 1e12
GAUSS_SAMPLES = 40
#: Grid points of the Gaussian integral for one point, and per sample when ranged.
GAUSS_POINTS, GAUSS_POINTS_RANGED = 201, 61
CUISINES = (("mexican", "Mexican"), ("chinese", "Chinese"), ("thai", "Thai"))
_COUNTS = {"mexican": "1", "chinese": "10", "thai": "1"}
_BITS = {"mexican": "4", "chinese": "0", "thai": "0"}

FIELDS = tuple(
    Field(f"{c}_count", f"{label} restaurants", _COUNTS[c], "count",
          f"How many {label} restaurants are near Bob (the essay: ten Chinese per Mexican).",
          example="10", minimum=0.0, maximum=BIG)
    for c, label in CUISINES
) + tuple(
    Field(f"{c}_bits", f"Preference for {label}", _BITS[c], "real",
          "Bob's liking for the cuisine in bits: its mean restaurant quality; each bit "
          "doubles its weight.", example="2", unit="bits", minimum=-1e6, maximum=1e6)
    for c, label in CUISINES
) + (
    Field("noise", "Quality noise", "1", "real",
          "Spread of single restaurants around their cuisine's mean, in bits of "
          "preference: the best-of-N chance ∝ N · 2^(preference / noise).",
          example="1", unit="bits", minimum=1e-6, maximum=1e6, span=0.5),
)

_WAYS = (
    ("by_restaurants", "uniform over restaurants"),
    ("by_preference", "preference-weighted"),
    ("best_gumbel", "best restaurant, Gumbel noise"),
    ("best_gauss", "best restaurant, Gaussian noise"),
)
OUTPUTS = tuple(
    OutputSpec(f"p_{c}_{w}", f"P({label}), {wl}", kind="probability",
               main=c == "mexican" and w in ("best_gumbel", "best_gauss"),
               costly_samples=GAUSS_SAMPLES if w == "best_gauss" else None)
    for w, wl in _WAYS for c, label in CUISINES
)

_SQRT2 = math.sqrt(2.0)
_LN_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)


def _ln_phi_cdf(z: float) -> float:
    """ln Φ(z), accurate in both tails."""
    if z > 0.0:
        return math.log1p(-0.5 * math.erfc(z / _SQRT2))
    if z > -37.0:
        return math.log(0.5 * math.erfc(-z / _SQRT2))
    z2 = 1.0 / (z * z)
    return -0.5 * z * z - _LN_SQRT_2PI - math.log(-z) + math.log1p(-z2 + 3 * z2 * z2)


def _ln_neg_ln_cdf(z: float) -> float:
    """ln(-ln Φ(z)): the log of the cumulative hazard of one draw above z."""
    if z < 5.0:
        return math.log(-_ln_phi_cdf(z))
    q = 0.5 * math.erfc(z / _SQRT2)
    if q > 1e-290:
        return math.log(-math.log1p(-q))
    z2 = 1.0 / (z * z)
    return -0.5 * z * z - _LN_SQRT_2PI - math.log(z) + math.log1p(-z2 + 3 * z2 * z2)


def _tails(z: float) -> tuple[float, float]:
    """(ln Φ(z), ln(-ln Φ(z))) sharing one erfc."""
    if z < 5.0:
        lcdf = _ln_phi_cdf(z)
        return lcdf, math.log(-lcdf)
    q = 0.5 * math.erfc(z / _SQRT2)
    if q > 1e-290:
        lcdf = math.log1p(-q)
        return lcdf, math.log(-lcdf)
    z2 = 1.0 / (z * z)
    lnq = -0.5 * z * z - _LN_SQRT_2PI - math.log(z) + math.log1p(-z2 + 3 * z2 * z2)
    return -math.exp(lnq), lnq


def gauss_best(ln_counts: Sequence[float], means: Sequence[float], sd: float,
               points: int = 201) -> list[float]:
    """Return ln P(the best of all draws is in class i), draws N(means[i], sd²), N_i each.

    P(i) = ∫ h_i(x)·exp(-H(x)) dx with H = Σ N_j (-ln Φ_j) and h_i = N_i φ_i / Φ_i,
    summed on a grid spanning H from e^4 down to e^-45, all in log space.

    >>> [round(math.exp(v), 6) for v in gauss_best([0.0, 0.0], [0.0, 0.0], 1.0)]
    [0.5, 0.5]
    """
    k = len(means)

    pairs = list(zip(ln_counts, means, strict=True))

    def ln_h_total(x: float) -> float:
        hs = [lc + _ln_neg_ln_cdf((x - m) / sd) for lc, m in pairs]
        top = max(hs)  # finite: every term is
        return top + math.log(sum(math.exp(h - top) for h in hs))

    top = max(lc for lc in ln_counts)
    lo = min(means) - sd * 40.0
    hi = max(means) + sd * (math.sqrt(2.0 * (max(top, 0.0) + 60.0)) + 5.0)

    # Bisect to a small fraction of the winner's spread, sd / sqrt(2 ln N).
    tol = sd * (1e-6 if points > 100 else 1e-3) / (1.0 + math.sqrt(2.0 * max(top, 0.0)))

    def solve(level: float) -> float:
        a, b = lo, hi
        for _ in range(200):
            if b - a <= tol:
                break
            mid = 0.5 * (a + b)
            if ln_h_total(mid) > level:
                a = mid
            else:
                b = mid
        return 0.5 * (a + b)

    x0, x1 = solve(4.1), solve(-45.0)
    if not x1 - x0 > 1e-12 * max(abs(x0), abs(x1), sd):
        raise ArithmeticError("the best restaurant's spread is below float resolution")
    if points % 2 == 0:
        points += 1
    dx = (x1 - x0) / (points - 1)
    terms: list[list[float]] = [[] for _ in range(k)]
    ln4, ln2, lsd = math.log(4.0), math.log(2.0), math.log(sd) + _LN_SQRT_2PI
    classes = list(zip(ln_counts, means, terms, strict=True))
    exp, tails = math.exp, _tails
    for p in range(points):
        x = x0 + dx * p
        wgt = 0.0 if p in (0, points - 1) else (ln4 if p % 2 else ln2)
        # On this grid H(x) <= e^4.1, so each N_j(-ln Φ_j) is summed directly.
        big_h = 0.0
        for lc, m, t in classes:
            z = (x - m) / sd
            lcdf, lnc = tails(z)
            t.append(lc - 0.5 * z * z - lsd - lcdf + wgt)
            big_h += exp(lc + lnc)
        for t in terms:
            t[-1] -= big_h
    lnp = [lse(t) + math.log(dx / 3.0) for t in terms]
    tot = lse(lnp)
    return [v - tot for v in lnp]


#: The essay's ten Chinese restaurants per Mexican one, Bob indifferent (for examples).
TEN_TO_ONE: Columns = {"mexican_count": [0.0], "chinese_count": [math.log2(10)],
                       "thai_count": [0.0], "mexican_bits": [0.0], "chinese_bits": [0.0],
                       "thai_bits": [0.0], "noise": [1.0]}


def compute_columns(cols: Columns, n: int) -> dict[str, Sequence[object]]:
    """Column-wise model of the closed forms; probabilities carried as log2 odds.

    >>> from calculators.logspace import p_from_odds
    >>> r = compute_columns(TEN_TO_ONE, 1)
    >>> round(p_from_odds(r["p_chinese_by_restaurants"][0]), 12)
    0.833333333333
    """
    counts = [cols[f"{c}_count"] for c, _ in CUISINES]
    likes = [cols[f"{c}_bits"] for c, _ in CUISINES]
    noise = cols["noise"]
    # Best of N Gumbel draws: N restaurants are worth log2 N bits of liking.
    best = [[c + m / s for c, m, s in zip(cc, mm, noise, strict=True)]
            for cc, mm in zip(counts, likes, strict=True)]
    return {
        f"p_{c}_{way}": column
        for way, columns in (("by_restaurants", class_log2_odds_columns(counts)),
                             ("by_preference", class_log2_odds_columns(likes)),
                             ("best_gumbel", class_log2_odds_columns(best)))
        for (c, _), column in zip(CUISINES, columns, strict=True)
    }


def gauss_columns(cols: Columns, n: int) -> dict[str, Sequence[object]]:
    """The Gaussian best-of-N outputs: a numerical integral per sample, so costly.

    >>> from calculators.logspace import p_from_odds
    >>> r = gauss_columns(TEN_TO_ONE, 1)
    >>> round(p_from_odds(r["p_thai_best_gauss"][0]), 6)
    0.083333
    """
    pts = GAUSS_POINTS if n == 1 else GAUSS_POINTS_RANGED
    per_row = [_gauss_odds(r, pts) for r in _rows(cols)]
    return {f"p_{c}_best_gauss": [odds[i] for odds in per_row]
            for i, (c, _) in enumerate(CUISINES)}


def _rows(cols: Columns) -> list[tuple[float, ...]]:
    """One row per sample: the three counts, the three likings, the noise."""
    return list(zip(*(cols[f"{c}_count"] for c, _ in CUISINES),
                    *(cols[f"{c}_bits"] for c, _ in CUISINES), cols["noise"], strict=True))


def _gauss_odds(row: Sequence[float], points: int) -> list[float]:
    """Log2 odds of each cuisine holding the best restaurant under Gaussian noise."""
    counts, means, s = row[:3], row[3:6], row[6]
    sd = s / LN2 * math.pi / math.sqrt(6.0)
    try:
        lnp = gauss_best([c * LN2 for c in counts], means, sd, points)
    except ArithmeticError:  # beyond float resolution: the Gumbel closed form
        return class_log2_odds([c + m / s for c, m in zip(counts, means, strict=True)])
    return [(lnp[i] - lse(lnp[:i] + lnp[i + 1:])) / LN2 for i in range(3)]


def _taste_vs_counts(given: Mapping[str, Parsed]) -> str:
    """Under a range of likings: whether it is wide enough, against the counts, for the
    answer to near uniform over cuisines (a range of likings at least five times the
    counts' spread in bits, measured in noise widths)."""
    likings = [given[f"{c}_bits"] for c, _ in CUISINES]
    if not any(p.is_range for p in likings):
        return ""
    noise = given["noise"].value
    width = max((p.high - p.low) if p.high is not None and p.low is not None else 0.0
                for p in likings) / noise
    counts = [given[f"{c}_count"].value for c, _ in CUISINES]
    gap = max(counts) - min(counts)
    if gap <= 0.0:
        return " The counts are equal, so only taste separates the cuisines."
    if width >= 5.0 * gap:
        return (f" Your range of likings ({fmt_number(width)} bits wide) is much wider than "
                f"the {fmt_number(gap)} bits by which the counts differ, so the answer nears "
                "uniform over cuisines, still tilted by the counts.")
    return (f" Your range of likings ({fmt_number(width)} bits wide) is not much wider than "
            f"the {fmt_number(gap)} bits by which the counts differ, so the counts still "
            "weigh heavily: not knowing Bob's taste does not by itself give uniform over "
            "cuisines.")


def sentence(out: Mapping[str, Mapping[str, object]], given: Mapping[str, Parsed]) -> str:
    """Which cuisine the best restaurant is, in words, against counting restaurants."""
    def t(key: str) -> str:
        return brief(str(out[key]["text"]))

    return (f"P(Bob's best restaurant is Mexican) ≈ {t('p_mexican_best_gumbel')} (Chinese "
            f"{t('p_chinese_best_gumbel')}, Thai {t('p_thai_best_gumbel')}), where counting "
            f"restaurants alone gives Mexican {t('p_mexican_by_restaurants')}."
            + _taste_vs_counts(given))


def draw(inputs: Mapping[str, float], res: Mapping[str, object], prefix: str,
         scale: str = "probability") -> dict[str, tuple[str, str]]:
    """Grouped bars: each cuisine's probability under the four ways of predicting Bob."""
    names = ["Restaurants", "Preference", "Best (Gumbel)", "Best (Gauss)"]
    groups, values, texts, rows = [], [], [], []
    for c, label in CUISINES:
        odds = [float(res[f"p_{c}_{w}"]) for w, _ in _WAYS]  # type: ignore[arg-type]
        groups.append(label)
        values.append(odds)
        texts.append([fmt_probability(t) for t in odds])
        rows.append([label, *texts[-1]])
    title = "Which cuisine Bob chose, four ways"
    desc = (
        "Probability of each cuisine when counting restaurants, weighting by preference, "
        "and taking the single best restaurant under Gumbel or Gaussian noise. "
        + "; ".join(f"{r[0]}: " + ", ".join(f"{n} {t}" for n, t in zip(names, r[1:],
                                                                         strict=True))
                    for r in rows)
        + "."
    )
    svg = charts.bar_chart(f"{prefix}-cuisines", title, desc, groups, names, values, texts,
                           "odds" if scale == "odds" else "probability")
    tbl = charts.table(title, ["Cuisine", *names], rows)
    return {"cuisines": (svg, tbl)}


_UNKNOWN = "-20 to 20"

PRESETS = (
    Preset("essay", "Ten Chinese per Mexican, Bob likes Mexican", {},
           "The essay's example: ten Chinese restaurants for each Mexican one, and Bob "
           "likes Mexican food better."),
    Preset("taste-unknown", "Bob's taste unknown",
           {f"{c}_bits": _UNKNOWN for c, _ in CUISINES},
           "Each liking anywhere from −20 to 20 bits, a range much wider than the 3.3 "
           "bits by which the counts differ: the expectation moves toward uniform over "
           "cuisines, tilted by the counts. A narrow range would not."),
    Preset("indifferent", "Bob indifferent",
           {f"{c}_bits": "0" for c, _ in CUISINES},
           "No taste at all: only the counts speak."),
)

QUESTIONS = (
    Question("taste-unknown", "Ten Chinese restaurants for each Mexican one (and one "
             "Thai), and you know nothing of Bob's taste: each liking anywhere from −20 "
             "to 20 bits. What chance that his best restaurant is Chinese?",
             "p_chinese_best_gumbel", "taste-unknown",
             spec.buckets([0.25, 0.45, 0.7],
                     ["Under 25%", "25% to 45%: a little over a third", "45% to 70%",
                      "Over 70%: as counting restaurants says (10 in 12)"])),
)

RESTAURANTS = Calculator.from_module(
    globals(),
    compute_costly=gauss_columns,
    id="restaurants",
    title="Bob's restaurants",
    summary="Does the number of restaurants per cuisine predict where Bob ate?",
    charts=spec.with_standard_charts(ChartSpec("cuisines", "Which cuisine, four ways")),
    headline="p_mexican_best_gumbel",
)
