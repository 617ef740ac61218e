"""Results under ranges: the model over every sample, and each output's statistics
(mean, median, 90 % range) with the text a ranged reply shows for it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from .fmt import fmt_number
from .shown import format_output
from .spec import Calculator, OutputSpec
from .uncertainty import SAMPLES, expectation, percentiles

__all__ = ["Stats", "range_reply", "ranged"]


def ranged(calc: Calculator, cols: Mapping[str, list[float]]) -> dict[str, Sequence[object]]:
    """The model over every sample; costly outputs over the first few only."""
    res = dict(calc.compute_columns(cols, SAMPLES))
    if calc.compute_costly is not None:
        m = min(o.costly_samples for o in calc.outputs if o.costly_samples)
        res.update(calc.compute_costly({k: v[:m] for k, v in cols.items()}, m))
    return res


class Stats:
    """Sorted copies and means of sample columns, once per distinct column.

    Outputs may share one list (``p_schemer`` and ``log2_odds_schemer``), so the cache
    is keyed by the list itself, which stays alive for the whole reply.
    """

    def __init__(self, exact: Mapping[str, float] | None = None) -> None:
        self.sorted: dict[int, list[float]] = {}
        self.means: dict[tuple[int, str], float] = {}
        #: Expectations the calculator gives itself (thresholds solved, exact baselines).
        self.exact = exact or {}

    def order(self, xs: Sequence[object]) -> list[float]:
        hit = self.sorted.get(id(xs))
        if hit is None:
            hit = self.sorted[id(xs)] = sorted(xs)  # type: ignore[arg-type]
        return hit

    def mean(self, spec: OutputSpec, xs: Sequence[object]) -> float:
        if spec.key in self.exact:
            return self.exact[spec.key]
        family = "odds" if spec.kind in ("probability", "log2_odds") else spec.kind
        key = (id(xs), family)
        if key not in self.means:
            self.means[key] = expectation(spec, xs)  # type: ignore[arg-type]
        return self.means[key]


def range_reply(spec: OutputSpec, xs: Sequence[object], stats: Stats
                ) -> tuple[dict[str, Any], str]:
    """An output's reply under ranges, and the plain display text of its headline value.

    Its ``quote`` (what prose and the comparison show) is the mean alone; a word says
    its share of the samples."""
    if spec.kind == "text" or (xs and isinstance(xs[0], str)):
        word, count = Counter(str(x) for x in xs).most_common(1)[0]
        share = fmt_number(round(100 * count / len(xs), 1))
        text = f"{word} (in {share}% of samples)"
        return {"value": word, "text": text, "quote": text, "range": None}, word
    p5, p50, p95 = (format_output(spec, c) for c in percentiles(stats.order(xs)))
    mean = format_output(spec, stats.mean(spec, xs))
    rng = {k: {"value": v, "text": t}
           for k, (v, t) in (("mean", mean), ("p5", p5), ("p50", p50), ("p95", p95))}
    if p5[1] == p95[1]:  # no spread in the shown digits: say only the value
        text = mean[1]
    elif spec.solved:  # a threshold: solved on the expectation; the samples are spread
        text = f"{mean[1]} (per sample: median {p50[1]}, 90% range {p5[1]} to {p95[1]})"
    else:
        text = f"{mean[1]} (mean; median {p50[1]}, 90% range {p5[1]} to {p95[1]})"
    return {"value": mean[0], "text": text, "quote": mean[1], "range": rng}, mean[1]
