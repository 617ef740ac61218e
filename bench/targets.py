"""The design's targets, one row each, as ``../shared/DESIGN.md`` states them ("Targets").

The benchmark measures and reports against this table and never asserts; a target is
changed here and in the design together. Each row names the measured figure it is
judged on (a key of :func:`bench.report.figures`), a limit, and how the figure must
stand to the limit.

>>> TARGETS["recompute_p95_ms"].status(12.0), TARGETS["recompute_p95_ms"].status(16.0)
('met', 'missed by 0.0 ms')
>>> TARGETS["lighthouse_a11y"].status(96), TARGETS["foreign_requests"].status(None)
('missed by 4 points', 'not measured')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["TARGETS", "Target"]

Rule = Literal["<=", "<", ">="]


@dataclass(frozen=True)
class Target:
    """One target: its figure must stand to ``limit`` as ``rule`` says."""

    key: str
    design: str  # the design's words, shortened
    text: str  # the target as the table shows it
    rule: Rule
    limit: float
    unit: str = ""
    digits: int = 1  # for the shortfall

    def met(self, value: float) -> bool:
        if self.rule == "<=":
            return value <= self.limit
        if self.rule == "<":
            return value < self.limit
        return value >= self.limit

    def status(self, value: float | None) -> str:
        """'met', 'missed by …' or 'not measured'."""
        if value is None:
            return "not measured"
        if self.met(value):
            return "met"
        gap = abs(value - self.limit)
        return f"missed by {gap:.{self.digits}f}{self.unit}"


_ROWS = [
    Target("cold_ratio_loopback",
           "first Pyodide-computed result after a cold load of a calculator page, vs a bare "
           "loadPyodide() to 1+1, on loopback (medians)", "≤ 0.40x", "<=", 0.40, "x", 2),
    Target("cold_ratio_50mbit", "the same at an emulated 50 Mbit/s (20 ms)", "≤ 0.85x",
           "<=", 0.85, "x", 2),
    Target("cold_ratio_10mbit_worst",
           "the same at an emulated 10 Mbit/s (40 ms), never above: the worst pair",
           "≤ 1.05x", "<=", 1.05, "x", 2),
    Target("default_numbers_at_first_paint",
           "default numbers at first paint: share of cold loads in which every output cell "
           "entered the page holding its build-time number", "all (1.00)", ">=", 1.0, "", 2),
    Target("arrival_ms_worst",
           "5 s on a page, then a link to a calculator page: ready on arrival (worst source)",
           "< 100 ms", "<", 100, " ms", 0),
    Target("arrival_second_boots", "… with no second Pyodide boot", "0", "<=", 0, "", 0),
    Target("repeat_ratio", "repeat visit (service worker): first result vs a cold bare boot",
           "≤ 0.30x", "<=", 0.30, "x", 2),
    Target("recompute_p95_ms", "input change to updated output, p95, every calculator (worst)",
           "< 16 ms", "<", 16, " ms", 1),
    Target("range_ms_worst", "a 10,000-sample range, every calculator (worst median)",
           "< 250 ms", "<", 250, " ms", 0),
    Target("soak_memory_growth_pct",
           "1,000 recomputes and 50 ranged runs in one tab: worker memory flat (growth after "
           "the first 300 recomputes; the larger of the worker's JS heap and its process)",
           "≤ 5 %", "<=", 5, " %", 1),
    Target("soak_restarts", "… no restarts (restarts + abandoned computations)", "0", "<=", 0,
           "", 0),
    Target("foreign_requests", "requests to any origin other than the site's own (every "
           "page the benchmark loaded)", "0", "<=", 0, "", 0),
    Target("page_weight_kb_worst", "page weight without Pyodide, gzip (heaviest page)",
           "< 300 KB", "<", 300, " KB", 1),
    Target("own_js_css_kb_worst", "the site's own JS+CSS, gzip (not the theme's, not "
           "KaTeX's; heaviest page)", "< 12 KB", "<", 12, " KB", 1),
    Target("axe_violations", "axe-core violations, every page", "0", "<=", 0, "", 0),
    Target("lighthouse_a11y", "Lighthouse accessibility, every page (lowest)", "100", ">=", 100,
           " points", 0),
    Target("lighthouse_perf", "Lighthouse performance, every page (lowest)", "95+", ">=", 95,
           " points", 0),
]

#: Every target by its key, in the design's order.
TARGETS: dict[str, Target] = {t.key: t for t in _ROWS}
