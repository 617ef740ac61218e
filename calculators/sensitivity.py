"""Which input matters most: the headline's swing as each input moves across its span.

An input's span is the reader's range where they gave one; otherwise a stated span
around its value: ±10 bits for counts and for inputs in bits (a factor of 2^10 either
way), the odds divided and multiplied by 10 for probabilities, the field's own
``span`` where it states one, and half the value either way otherwise; each kept
inside the field's limits.  The other inputs stay where they are: at their values, or, when some
are ranges, sampled (the same samples at both ends, so the difference is not noise).

Swings are measured in the headline's carrier: log2 odds for a probability (the scale
the essay reasons in: a count of 2^100 moves it by 100), log2 for counts and shares,
the value itself for plain numbers.  The tornado lists the inputs largest swing first.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from .parse import Parsed
from .spec import Calculator, Field
from .uncertainty import expectation

__all__ = ["SENSITIVITY_SAMPLES", "Swing", "span", "swings"]

#: Samples per end of each input's span when some inputs are ranges.
SENSITIVITY_SAMPLES = 200
_BITS = 10.0


@dataclass(frozen=True)
class Swing:
    """One input's effect on the headline: its span and the headline at each end."""

    name: str
    low: float
    high: float
    stated: bool  # True for a stated span, False for the reader's own range
    at_low: float  # the headline's carrier with the input at ``low``
    at_high: float

    @property
    def size(self) -> float:
        """The swing's magnitude, in the headline's carrier (0 when it has none)."""
        d = abs(self.at_high - self.at_low)
        return d if math.isfinite(d) else math.inf


def span(f: Field, p: Parsed) -> tuple[float, float, bool]:
    """(low, high, stated) for one input: the reader's range, or a stated span.

    >>> from calculators.spec import Field
    >>> span(Field("n", "N", "2^100", "count", "", "2^100"), Parsed(100.0))
    (90.0, 110.0, True)
    >>> span(Field("n", "N", "2^100", "count", "", "2^100"), Parsed(100.0, 50.0, 150.0))
    (50.0, 150.0, False)
    """
    if p.low is not None and p.high is not None:
        return p.low, p.high, False
    v = p.value
    if f.kind == "probability":
        odds = math.log2(v / (1.0 - v)) if 0.0 < v < 1.0 else 0.0
        lo, hi = (1.0 / (1.0 + 2.0 ** -(odds + d)) for d in (-math.log2(10.0), math.log2(10.0)))
    elif f.span is not None:
        lo, hi = v - f.span, v + f.span
    elif f.kind == "count" or f.unit == "bits":
        lo, hi = v - _BITS, v + _BITS
    else:
        lo, hi = v - max(abs(v) / 2.0, 1e-9), v + max(abs(v) / 2.0, 1e-9)
    if f.minimum is not None:
        floor = f.minimum if not f.min_exclusive else f.minimum + 1e-9 * max(1.0, abs(v))
        lo = max(lo, floor)
    if f.maximum is not None:
        ceil = f.maximum if not f.max_exclusive else f.maximum - 1e-9 * max(1.0, abs(v))
        hi = min(hi, ceil)
    return lo, hi, True


def swings(calc: Calculator, parsed: Mapping[str, Parsed],
           samples: Mapping[str, list[float]] | None) -> list[Swing]:
    """Every non-empty input's swing of the headline, largest first.

    ``samples`` are the ranged run's columns (None for a point run): each input is then
    fixed at each end in turn while the others keep their first samples.
    """
    spec = next(o for o in calc.outputs if o.key == calc.headline)
    model = calc.compute_columns
    if spec.costly_samples and calc.compute_costly is not None:
        model = calc.compute_costly
    fields = [f for f in calc.fields if not parsed[f.name].empty]
    m = 1 if samples is None else SENSITIVITY_SAMPLES
    base: dict[str, list[float]] = {
        f.name: (samples[f.name][:m] if samples is not None else [parsed[f.name].value])
        for f in fields
    }
    spans = [span(f, parsed[f.name]) for f in fields]
    # Every variation in one batch: input i at its low end, then at its high end.
    cols: dict[str, list[float]] = {f.name: [] for f in fields}
    for i, f in enumerate(fields):
        for end in spans[i][:2]:
            for g in fields:
                cols[g.name].extend([end] * m if g is f else base[g.name])
    res = model(cols, 2 * m * len(fields))[spec.key]
    def expect(a: int, b: int) -> float:
        rows = res[a:b]
        if m > 1 and spec.solved and calc.expect is not None:
            # A threshold: solved where these rows' expected probability crosses its line.
            part = {k: v[a:b] for k, v in cols.items()}
            return calc.expect(part, {spec.key: rows}, None)[spec.key]
        return expectation(spec, rows)  # type: ignore[arg-type]

    out = []
    for i, f in enumerate(fields):
        out.append(Swing(f.name, spans[i][0], spans[i][1], spans[i][2],
                         expect(2 * i * m, (2 * i + 1) * m),
                         expect((2 * i + 1) * m, (2 * i + 2) * m)))
    out.sort(key=lambda s: -s.size if math.isfinite(s.size) else -math.inf)
    return out
