"""What the benchmark does to the pages: the inputs it types, the networks it emulates,
the lengths of its runs. Which pages exist and what they hold comes from the site's
build manifest (bench/site.py), never from here; what is typed into each calculator comes
from its spec (``_typings``), so a new calculator is benchmarked as it is added.

>>> RECOMPUTE["breakeven"].name, RECOMPUTE["breakeven"].values(2)
('prior_ratio', ['2^101', '2^102'])
>>> RANGED["breakeven"].values(2)
['2^90 to 2^110', '2^91 to 2^111']
>>> RECOMPUTE["frames"].preset
{'simplicity_weight': '0.5'}
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from calculators import CALCULATORS, Calculator, Field, parse_field, run
from calculators.parse import Parsed
from calculators.sensitivity import span

__all__ = [
    "ARRIVAL_SAMPLES", "ARRIVAL_WAIT_MS", "FIRST_VISIT_MS", "NAV_HOPS", "NETWORKS",
    "NETWORK_SAMPLES", "RANGED", "RANGED_SAMPLES", "RECOMPUTE", "RECOMPUTE_SAMPLES",
    "REPEAT_SAMPLES", "SETTLE_MS", "SOAK", "Network", "Soak", "Typing",
]


@dataclass(frozen=True)
class Typing:
    """A field typed again and again, and the output whose data-value each value moves."""

    name: str  # the input's name
    output: str
    make: Callable[[int], str]  # the i-th value typed
    preset: dict[str, str] = field(default_factory=dict)  # typed first, untimed

    def values(self, n: int, start: int = 0) -> list[str]:
        return [self.make(start + i) for i in range(n)]


def _text(f: Field, x: float) -> str:
    """A number in the field's own scale (log2 for counts) as the reader would type it."""
    return f"2^{x:.10g}" if f.kind == "count" else f"{x:.10g}"


def _is_range(p: Parsed) -> bool:
    return p.low is not None


def _typings(calc: Calculator) -> tuple[Typing, Typing]:
    """The calculator's point and ranged typing, from its spec alone:

    - the preset: every field whose default is a range is set to that range's midpoint,
      so that only the typed field varies (and a point run is a point run);
    - the field typed: the first that is required, counts or reals (not a probability),
      with a point for its default and its example;
    - a step: a twentieth of the span the sensitivity chart moves the example across
      (``calculators.sensitivity.span``: ±10 bits for counts, the field's own span, ...,
      inside the field's limits), so 1 bit for a count;
    - the i-th point value: the example moved up by 1 + (i mod 10) steps, and the k-th
      range: that span moved up by k mod 10 steps. Each value differs from the one before,
      and however long the run, none wanders to where the outputs saturate;
    - the output: the first main output (else any) that the first two point values move.
    """
    preset = {f.name: _text(f, p.value) for f in calc.fields
              if _is_range(p := parse_field(f, f.default))}
    field = next((f for f in calc.fields
                  if f.kind != "probability" and not f.optional and f.name not in preset
                  and not _is_range(parse_field(f, f.example))), None)
    if field is None:
        raise ValueError(f"{calc.id}: no field the benchmark can type (see _typings)")
    x = parse_field(field, field.example).value
    low, high, _ = span(field, Parsed(x))
    step = (high - low) / 20
    first, second = (run(calc.id, {**preset, field.name: _text(field, x + (1 + i) * step)},
                         charts=False)["outputs"] for i in (0, 1))
    moved = [o.key for o in sorted(calc.outputs, key=lambda o: not o.main)
             if first[o.key]["value"] != second[o.key]["value"]]
    if not moved:
        raise ValueError(f"{calc.id}: typing {field.name} moves no output")
    return (Typing(field.name, moved[0], lambda i: _text(field, x + (1 + i % 10) * step),
                   preset),
            Typing(field.name, moved[0], lambda k: " to ".join(
                _text(field, end + k % 10 * step) for end in (low, high)), preset))


_TYPINGS = {cid: _typings(calc) for cid, calc in CALCULATORS.items()}
#: Point recomputes, one field per calculator (bench/README.md says which).
RECOMPUTE: dict[str, Typing] = {cid: point for cid, (point, _) in _TYPINGS.items()}
#: 10,000-sample runs: a range typed into the same field.
RANGED: dict[str, Typing] = {cid: ranged for cid, (_, ranged) in _TYPINGS.items()}
RECOMPUTE_SAMPLES = 100
RANGED_SAMPLES = 5


@dataclass(frozen=True)
class Network:
    """An emulated connection (CDP Network.emulateNetworkConditions)."""

    name: str
    mbit_s: float
    latency_ms: float

    def conditions(self) -> dict[str, object]:
        rate = self.mbit_s * 1_000_000 / 8  # bytes per second
        return {"offline": False, "latency": self.latency_ms, "downloadThroughput": rate,
                "uploadThroughput": rate}


#: The design's two emulated networks; loopback is measured without emulation.
NETWORKS = [Network("50mbit", 50, 20), Network("10mbit", 10, 40)]


@dataclass(frozen=True)
class Soak:
    """One tab: ``recomputes`` point recomputes, then ``ranged`` ranged runs, with the
    worker's memory read after each chunk."""

    calc: str = "breakeven"
    recomputes: int = 1000
    ranged: int = 50
    chunk: int = 100  # recomputes between two memory readings (ranged: a quarter of it)
    # "Flat" is judged from the reading after this many recomputes: in every soak the
    # renderer's resident memory steps up by about 12 MB between the readings after 100
    # and 300 recomputes, then holds within 1 MB for the next 700 (bench/README.md).
    warmup: int = 300


SOAK = Soak()
NETWORK_SAMPLES = 3  # pairs per emulated network
REPEAT_SAMPLES = 3
ARRIVAL_WAIT_MS = 5000  # the design's "5 s on a page"
ARRIVAL_SAMPLES = 3  # per source page; the median counts
#: How long the first of a repeat visit's two visits lasts, from its first result: a
#: reader's first look (Chromium writes its compiled-code cache in that time).
FIRST_VISIT_MS = 5000
NAV_HOPS = 6
#: How long a new tab waits before it loads anything: a reader's tab is open before
#: they follow a link. A full Chromium (not the headless shell) builds parts of its
#: desktop UI in a new window meanwhile: one of two cores for up to about a second.
SETTLE_MS = 1500
