"""Time the calculators natively: a point run and a 10,000-sample range run per calculator.

Measures and prints (median of repeats); never asserts. It has no targets of its own:
the design's are for the page (bench/targets.py), and this shows how much of them the
package's arithmetic takes under CPython. `make bench` includes its output.

    .venv/bin/python bench/bench_native.py
"""

from __future__ import annotations

import functools
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from calculators import CALCULATORS, run

RANGES = {
    "breakeven": {"prior_ratio": "2^80 to 2^120", "bits_per_step": "0.5 to 2"},
    "counting-odds": {"schemer_count": "2^80 to 2^120", "schemer_bits": "-120 to -80"},
    "restaurants": {"chinese_count": "1 to 2^20", "mexican_bits": "0 to 4"},
    "frames": {"beta": "1 to 20", "simplicity_bits": "5 to 15"},
}


def median_ms(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return 1000 * statistics.median(times)


def main() -> None:
    print(f"{'calculator':<15} {'point compute':>14} {'run(defaults)':>14} {'range run()':>12}")
    for cid, calc in CALCULATORS.items():
        defaults = {k: float(v["value"]) for k, v in run(cid, {})["inputs"].items() if v["value"]}
        compute = median_ms(functools.partial(calc.compute, defaults), 200)
        point = median_ms(functools.partial(run, cid, {}), 50)
        ranged = median_ms(functools.partial(run, cid, RANGES[cid]), 7)
        print(f"{cid:<15} {compute:>11.3f} ms {point:>11.3f} ms {ranged:>9.1f} ms")
    print("point compute = the model alone, at the defaults; run() = parse + model + text +")
    print("charts (SVG); frames' defaults hold a range, so its run(defaults) samples too.")


if __name__ == "__main__":
    main()
