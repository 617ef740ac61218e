"""Time the calculators natively: a point run and a 10,000-sample range run per calculator.

Measures and prints (median of repeats); never asserts.  Targets (issue 2): a point
computation under 1 ms, a 10,000-sample range run under 50 ms.

    .venv/bin/python bench/bench_native.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from calculators import CALCULATORS, run

RANGES = {
    "breakeven": {"prior_ratio": "2^80 to 2^120", "bits_per_step": "0.5 to 2"},
    "counting-odds": {"schemer_count": "2^80 to 2^120", "schemer_bits": "-120 to -80"},
    "restaurants": {"chinese_count": "1 to 2^20", "mexican_bits": "0 to 4"},
    "frames": {"beta": "1 to 20", "simplicity_bits": "5 to 15"},
}


def median_ms(fn: object, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t)
    return 1000 * statistics.median(times)


def main() -> None:
    print(f"{'calculator':<15} {'point compute':>14} {'point run()':>12} {'range run()':>12}")
    for cid, calc in CALCULATORS.items():
        defaults = {k: float(v["value"]) for k, v in run(cid, {})["inputs"].items() if v["value"]}
        compute = median_ms(lambda: calc.compute(defaults), 200)  # noqa: B023
        point = median_ms(lambda: run(cid, {}), 50)  # noqa: B023
        ranged = median_ms(lambda: run(cid, RANGES[cid]), 7)  # noqa: B023
        print(f"{cid:<15} {compute:>11.3f} ms {point:>9.3f} ms {ranged:>9.1f} ms")
    print("point compute = the model alone; run() = parse + model + text + charts (SVG).")


if __name__ == "__main__":
    main()
