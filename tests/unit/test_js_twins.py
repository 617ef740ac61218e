"""Rules the page and the package both apply, held equal: Node runs the page's modules.

``powers.js`` typesets display text as ``calculators.fmt.powers_html`` does, and
``url-state.js`` reads an old link as ``calculators.links.migrate`` does.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from calculators import CALCULATORS, run
from calculators.fmt import powers_html
from calculators.links import history_json, migrate

ROOT = Path(__file__).resolve().parents[2]
CALC = ROOT / "docs" / "assets" / "calc"


def node(script: str, data: object) -> object:
    proc = subprocess.run(
        ["node", "--input-type=module", "-e", script], input=json.dumps(data),
        capture_output=True, text=True, cwd=CALC, timeout=60, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


READ = ("import { readFileSync } from 'node:fs'; "
        "const data = JSON.parse(readFileSync(0, 'utf8'));")


def test_powers_typeset_alike() -> None:
    texts = ["2^-100 (≈ 7.89 × 10^-31)", "1 − 2^-(1.2 × 10^15)", "a < b & c", "25%",
             "10^(3.01 × 10^299)", "2^100 (≈ 1.27 × 10^30)", "n* = 100",
             "2^((2)^3)", "(2)^3", "2^^3", "3^"]  # the parser accepts the first
    for calc in CALCULATORS.values():
        reply = run(calc.id, {})
        texts += [out["text"] for out in reply["outputs"].values()]
        texts.append(reply["headline"]["text"])
    got = node(READ + " const { powersHtml } = await import('./powers.js');"
               " console.log(JSON.stringify(data.map(powersHtml)));", texts)
    assert got == [powers_html(t) for t in texts]


def test_old_links_read_alike() -> None:
    links = [
        {"prior_ratio": "2^50", "bits_per_step": "0.5"},
        {"schemer_count": "2^200", "strict_weight": "1"},
        {"schemer_count": "2^200", "strict_weight": "0.3"},
        {"chinese_count": "100"},
        {"beta": "0.1"},
        {"reward_gap": "-1", "simplicity_bits": "3", "prior_ratio": "2^9"},
    ]
    got = node(READ + " const { migrate } = await import('./url-state.js');"
               " console.log(JSON.stringify(data.links.map((l) => {"
               " const [p, n] = migrate(Object.entries(l), 1, data.history);"
               " return [Object.fromEntries(p), n.map((x) => x.text)]; })));",
               {"links": links, "history": history_json()})
    assert got == [list(migrate(link, 1)) for link in links]
