"""Summaries of samples, as the results file keeps them.

>>> s = summary([3.0, None, 1.0, 2.0])
>>> s["n"], s["median"], s["min"], s["max"], s["p95"]
(3, 2.0, 1.0, 3.0, 3.0)
>>> summary([None])
{'n': 0}
>>> growth_pct([100.0, 90.0, 104.0])
4.0
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["growth_pct", "summary"]


def summary(values: Iterable[float | None]) -> dict[str, Any]:
    """n, median, min, max, p95 (nearest rank) and the samples; ``{"n": 0}`` if none."""
    kept = [v for v in values if v is not None]
    if not kept:
        return {"n": 0}
    ordered = sorted(kept)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return {
        "n": len(kept),
        "median": statistics.median(kept),
        "min": ordered[0],
        "max": ordered[-1],
        "p95": p95,
        "samples": [round(v, 2) for v in kept],
    }


def growth_pct(readings: Sequence[float | None]) -> float | None:
    """How much the last reading exceeds the first, in percent (None if either is missing)."""
    if len(readings) < 2 or readings[0] is None or readings[-1] is None or not readings[0]:
        return None
    return 100 * (readings[-1] - readings[0]) / readings[0]
