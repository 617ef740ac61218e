"""What the benchmark does to the pages: the inputs it types, the networks it emulates,
the lengths of its runs. Which pages exist and what they hold comes from the site's
build manifest (bench/site.py), never from here.

>>> [len(RECOMPUTE[c].values(100)) for c in sorted(RECOMPUTE)]
[100, 100, 100, 100]
>>> RANGED["breakeven"].values(2)
['2^50 to 2^150', '2^51 to 2^151']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

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


#: Point recomputes, one field per calculator (frames' default is a range: set a point).
RECOMPUTE: dict[str, Typing] = {
    "breakeven": Typing("prior_ratio", "breakeven_steps", lambda i: f"2^{101 + i}"),
    "counting-odds": Typing("schemer_count", "log2_odds_schemer", lambda i: f"2^{101 + i}"),
    "restaurants": Typing("chinese_count", "p_chinese_by_restaurants", lambda i: str(11 + i)),
    "frames": Typing("beta", "reward_bits", lambda i: str(11 + i),
                     preset={"simplicity_weight": "0.5"}),
}

#: 10,000-sample runs: a range typed into one field per calculator.
RANGED: dict[str, Typing] = {
    "breakeven": Typing("prior_ratio", "breakeven_steps", lambda k: f"2^{50 + k} to 2^{150 + k}"),
    "counting-odds": Typing("schemer_count", "log2_odds_schemer",
                            lambda k: f"2^{50 + k} to 2^{150 + k}"),
    "restaurants": Typing("chinese_count", "p_chinese_by_restaurants",
                          lambda k: f"{1 + k} to 2^{20 + k}"),
    "frames": Typing("beta", "reward_bits", lambda k: f"{1 + k} to {20 + k}"),
}
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
