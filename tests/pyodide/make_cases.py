"""Write the requests the Pyodide run replays, with CPython's replies to them.

usage: python tests/pyodide/make_cases.py OUT.json

The same bridge requests go through real Pyodide in Node (tests/pyodide/run.mjs); its
replies must equal CPython's: exactly, except that a raw float ``value`` may differ in
its last bits (Pyodide's libm may round an ulp apart: tests/pyodide/same.mjs says how
far), so the browser computes what the tests and the CLI compute.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# The checkout's own package, as scripts/build_wheel.py builds the wheel from it (an
# installed copy may be another checkout's).
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from calculators import CALCULATORS, run

# Text that exercises every path of the parser and the models: essay values, the
# extremes, ranges, and junk that must come back as a field error.
PROBES = {
    "count": ["2^100", "2**1000000000", "1e30", "1,000,000", "2^1e6", "0.5",
              "2^-1000000", "10 to 1000", "2^50 to 2^150", "0", "-3", "nan", "2^", "x" * 101],
    "real": ["0", "1", "-2.5", "1e6", "100", "1 to 3", "-1e300", "inf", "words", ""],
    "probability": ["0", "1", "0.01", "50%", "0.2 to 0.8", "1.5", "-0.1", "NaN"],
}


def requests() -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for calc in CALCULATORS.values():
        out.append({"id": calc.id, "inputs": {}})
        for f in calc.fields:
            for text in PROBES[f.kind]:
                out.append({"id": calc.id, "inputs": {f.name: text}})
    out.append({"id": "no-such-calculator", "inputs": {}})
    return out


def main() -> None:
    cases = [{"request": r, "reply": run(str(r["id"]), r["inputs"])} for r in requests()]  # type: ignore[arg-type]
    Path(sys.argv[1]).parent.mkdir(parents=True, exist_ok=True)
    Path(sys.argv[1]).write_text(json.dumps(cases))
    print(f"{len(cases)} cases written to {sys.argv[1]}")


if __name__ == "__main__":
    main()
