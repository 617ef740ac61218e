"""The crux: which input, moved across its span, carries the headline across its line.

Each calculator is asked one or more yes/no questions about its results, each a
*line*: an output's expected probability against one half (the essay's "more likely
than not"), or, for breakeven, against the reader's own target.  For breakeven's
threshold headline (n*, the worth that balances the prior) the line is whether the
reader's own ``worth_steps`` covers n*: at a point, ``worth_steps >= n*`` exactly
when the toy P(schemer) at that worth is at most one half (its log2 odds are
``k - b·w``), so the question is asked of that probability.

For each input the span is the tornado's (``sensitivity.span``: the reader's range, or
a stated span around the value).  The input is moved from its value towards each end
of its span, the others held where they are (at their values, or, when some are
ranges, at their first ``CRUX_SAMPLES`` samples, the same at every point); the nearest
value at which the answer changes is found on a grid of ``GRID`` points and then by
bisection, in the input's own scale (log2 for counts).  An input whose whole span
leaves the answer as it is "does not flip within its span".

A probability exactly on its line counts as "at or below": the answer is "above the
line" or not.  All evaluations of one round go to the model in one batch.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .parse import Parsed
from .registry import CALCULATORS
from .sensitivity import span
from .spec import Calculator, Field, OutputSpec
from .uncertainty import SAMPLES, expectation, sample_columns, seed_for

__all__ = ["CRUX_SAMPLES", "GRID", "LINES", "Flip", "Line", "crux", "side_at"]

#: Samples per evaluated point when some inputs are ranges (a subset of the run's).
CRUX_SAMPLES = 50
#: Points of the first scan across each half-span; then bisection to ``ROUNDS`` halvings.
GRID = 32
ROUNDS = 44
#: Beyond its span an input is followed out to 2^REACH times the span's half-width.
REACH = 40


@dataclass(frozen=True)
class Line:
    """A yes/no question about a calculator's results: is ``key`` above the line?"""

    calc: str
    key: str
    #: What "above the line" means, and what "at or below" means, in words.
    above: str
    below: str
    #: The line is this probability input (its mean over samples), else one half.
    target: str = ""


#: The lines that matter, per calculator, the first one the headline's.
LINES: dict[str, tuple[Line, ...]] = {
    "counting-odds": (Line("counting-odds", "p_schemer", "a schemer is more likely than not",
                           "a schemer is at most as likely as not"),),
    "breakeven": (
        Line("breakeven", "p_schemer_net", "your worth falls short of n*",
             "your worth covers n*"),
        Line("breakeven", "p_schemer_net", "the toy P(schemer) at your worth is above your "
             "target", "the toy P(schemer) at your worth reaches your target",
             target="target_p_schemer"),
    ),
    "restaurants": (Line("restaurants", "p_mexican_best_gumbel",
                         "Bob's best restaurant is more likely Mexican than not",
                         "Bob's best restaurant is at most as likely Mexican as not"),),
    "frames": (Line("frames", "p_schemer_reward_frame",
                    "frame 1 expects the schemer", "frame 1 does not expect the schemer"),),
}


@dataclass(frozen=True)
class Flip:
    """One input's crux for one line: where, within its span, the answer changes."""

    name: str
    low: float
    high: float
    stated: bool
    #: The input's value (the middle of the reader's range for a range).
    value: float
    #: The nearest value at which the answer changes (None: none found).
    at: float | None
    #: Whether ``at`` lies within the span (else it was found beyond it).
    within: bool

    @property
    def move(self) -> float | None:
        """How far the input must move, in its own scale (log2 for counts)."""
        return None if self.at is None else self.at - self.value


def _logit2(p: float) -> float:
    return math.log2(p / (1.0 - p))


class _Side:
    """The margin of a line (positive: above) with chosen inputs fixed, in batches."""

    def __init__(self, calc: Calculator, line: Line, parsed: Mapping[str, Parsed],
                 used: Mapping[str, str]) -> None:
        self.calc, self.line = calc, line
        self.spec: OutputSpec = next(o for o in calc.outputs if o.key == line.key)
        self.fields = [f for f in calc.fields if not parsed[f.name].empty]
        if any(p.is_range for p in parsed.values()):
            # The run's own seed (from its input texts): the first samples of its run.
            seed = seed_for(calc.id, used)
            cols = sample_columns(calc.fields, parsed, seed, SAMPLES)
            self.m = CRUX_SAMPLES
            self.base = {f.name: list(cols[f.name][: self.m]) for f in self.fields}
        else:
            self.m = 1
            self.base = {f.name: [parsed[f.name].value] for f in self.fields}

    def margins(self, points: Sequence[tuple[str, float]]) -> list[float]:
        """The line's margin with each (input, value) fixed, the others as they are."""
        m = self.m
        cols: dict[str, list[float]] = {f.name: [] for f in self.fields}
        for name, x in points:
            for f in self.fields:
                cols[f.name].extend([x] * m if f.name == name else self.base[f.name])
        if not points:
            return []
        res = self.calc.compute_columns(cols, m * len(points))[self.line.key]
        out = []
        for i in range(len(points)):
            rows = res[i * m:(i + 1) * m]
            mean = expectation(self.spec, rows)  # type: ignore[arg-type]
            line = 0.0
            if self.line.target:
                ts = cols[self.line.target][i * m:(i + 1) * m]
                line = _logit2(math.fsum(ts) / len(ts))
            out.append(float(mean) - line)
        return out


def side_at(calc_id: str, parsed: Mapping[str, Parsed], used: Mapping[str, str],
            line: Line, points: Sequence[tuple[str, float]]) -> list[float]:
    """The line's margin (positive: above) at each (input, value), one batch; the
    brute-force check of the tests uses it over a fine grid."""
    return _Side(CALCULATORS[calc_id], line, parsed, used).margins(points)


def _scan(side: _Side, starts: Sequence[tuple[str, float, Sequence[float], bool]]
          ) -> list[tuple[float, float] | None]:
    """For each (input, value, points going away from it, above-now): the first cell
    (previous point, point) whose point is on the other side; None if none is."""
    vals = side.margins([(name, x) for name, _, xs, _ in starts for x in xs])
    cells: list[tuple[float, float] | None] = []
    at = 0
    for _, v, xs, above in starts:
        ys, at = vals[at:at + len(xs)], at + len(xs)
        # Cells (previous point, point): the first starts at the input's value.
        found = [(a, x) for a, x, y in zip([v, *xs], xs, ys, strict=False)
                 if (y > 0.0) != above]
        cells.append(found[0] if found else None)
    return cells


def _bisect(side: _Side, cells: Sequence[tuple[str, float, float, bool]]) -> list[float]:
    """Narrow each (input, near, far, above-now) to where the answer changes; the value
    returned is the far end, the nearest value found on the other side."""
    state = [[near, far] for _, near, far, _ in cells]
    for _ in range(ROUNDS):
        mids = [(near + far) / 2.0 for near, far in state]
        vals = side.margins([(c[0], x) for c, x in zip(cells, mids, strict=True)])
        for s, c, x, v in zip(state, cells, mids, vals, strict=True):
            if (v > 0.0) == c[3]:
                s[0] = x
            else:
                s[1] = x
    return [far for _, far in state]


def _limits(f: Field, v: float) -> tuple[float, float]:
    """The field's own limits, just inside an excluded one."""
    eps = 1e-9 * max(1.0, abs(v))
    lo = -math.inf if f.minimum is None else f.minimum + (eps if f.min_exclusive else 0.0)
    hi = math.inf if f.maximum is None else f.maximum - (eps if f.max_exclusive else 0.0)
    return lo, hi


def crux(calc: Calculator, line: Line, parsed: Mapping[str, Parsed],
         used: Mapping[str, str], above: bool) -> list[Flip]:
    """Each input's nearest flip of ``line``, in the fields' order.

    ``above`` is the answer now (from the page's own run); ``used`` the run's input
    texts (its seed).  The nearer of the two directions wins.  An input that does not
    flip within its span is followed further, the distance doubling up to ``REACH``
    times (within the field's limits): ``Flip.within`` says which.

    >>> from calculators.bridge import _parse
    >>> parsed, used = _parse(CALCULATORS["breakeven"], {})
    >>> flips = crux(CALCULATORS["breakeven"], LINES["breakeven"][0], parsed, used, True)
    >>> [(f.name, round(f.at, 6), f.within) for f in flips if f.at is not None]
    [('prior_ratio', 0.0, False), ('worth_steps', 100.0, True)]
    """
    side = _Side(calc, line, parsed, used)
    spans = {f.name: span(f, parsed[f.name]) for f in side.fields}
    values = {f.name: min(max(parsed[f.name].value, spans[f.name][0]), spans[f.name][1])
              for f in side.fields}

    def nearest(starts: list[tuple[str, float, list[float], bool]]) -> dict[str, float]:
        cells = _scan(side, starts)
        found = [(s[0], c[0], c[1], s[3]) for s, c in zip(starts, cells, strict=True) if c]
        best: dict[str, float] = {}
        for (name, *_rest), at in zip(found, _bisect(side, found), strict=True):
            v = values[name]
            if name not in best or abs(at - v) < abs(best[name] - v):
                best[name] = at
        return best

    inside = nearest([(f.name, values[f.name],
                       [values[f.name] + (end - values[f.name]) * j / GRID
                        for j in range(1, GRID + 1)], above)
                      for f in side.fields for end in spans[f.name][:2]
                      if end != values[f.name]])
    further = []
    for f in side.fields:
        if f.name in inside:
            continue
        v = values[f.name]
        lo, hi = _limits(f, v)
        for end in spans[f.name][:2]:
            if end == v:
                continue
            xs = sorted({min(max(v + (end - v) * 2.0 ** j, lo), hi) for j in range(1, REACH)},
                        key=lambda x: abs(x - v))
            further.append((f.name, end, [x for x in xs if x != end], above))
    outside = nearest(further)
    return [Flip(f.name, spans[f.name][0], spans[f.name][1], spans[f.name][2], values[f.name],
                 inside.get(f.name, outside.get(f.name)), f.name in inside)
            for f in side.fields]
