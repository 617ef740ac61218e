"""Time the calculators natively: a point run and a 10,000-sample range run per calculator
(the page benchmark's first ranged value, bench/workload.py), and the parser on the
costliest texts it takes (the unit tests bound its work, never its time).

Measures and prints (median of repeats); never asserts. It has no targets of its own:
the design's are for the page (bench/targets.py), and this shows how much of them the
package's arithmetic takes under CPython. `make bench` includes its output.

    .venv/bin/python bench/bench_native.py
"""

from __future__ import annotations

import contextlib
import functools
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.workload import RANGED
from calculators import CALCULATORS, Field, InputError, parse_field, run
from calculators.parse import MAX_CHARS

#: The parser's costliest texts of the longest length it takes (tests/unit/test_parse.py
#: counts the lines each runs), and a huge power.
PARSE_TEXTS = {
    "2^1000000000": "2^1000000000",
    "(1*1*...*1)": "(" + "*".join("1" * (MAX_CHARS // 2 - 1)) + ")",
    "((...(1)...))": "(" * (MAX_CHARS // 2 - 1) + "1" + ")" * (MAX_CHARS // 2 - 1),
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
        typing = RANGED[cid]
        ranged = median_ms(functools.partial(
            run, cid, {**typing.preset, typing.name: typing.make(0)}), 7)
        print(f"{cid:<15} {compute:>11.3f} ms {point:>11.3f} ms {ranged:>9.1f} ms")
    print("point compute = the model alone, at the defaults; run() = parse + model + text +")
    print("charts (SVG); frames' defaults hold a range, so its run(defaults) samples too.")
    count = Field("n", "N", "2^100", "count", "", example="2^100")
    print()
    print(f"{'parse_field (a count) of':<28} {'median':>10}")
    for name, text in PARSE_TEXTS.items():
        print(f"{name:<28} {1000 * median_ms(functools.partial(parse, count, text), 200):>7.1f} µs")


def parse(f: Field, text: str) -> None:
    with contextlib.suppress(InputError):
        parse_field(f, text)


if __name__ == "__main__":
    main()
