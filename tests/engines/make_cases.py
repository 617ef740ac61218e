"""Write what the cross-engine smoke suite expects of each calculator page, with
CPython's replies, and the page-side probe both engines' drivers run.

usage: python tests/engines/make_cases.py SITE_DIR OUT.json

One edit per calculator, on the first page holding it: the first field whose spec
example changes an output, set to that example as a reader would type it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from calculators import CALCULATORS, run
from hooks.manifest import read_manifest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def outputs(calc_id: str, inputs: dict[str, str]) -> dict[str, dict[str, str]]:
    """CPython's value and display text of every output, for these inputs."""
    reply = run(calc_id, inputs)
    if not reply["ok"]:
        raise SystemExit(f"{calc_id} {inputs}: CPython refused the smoke edit: {reply}")
    return {key: {"value": out["value"], "text": out["text"]}
            for key, out in reply["outputs"].items()}


def edit(calc_id: str) -> dict[str, Any]:
    """The first field whose spec example changes an output, set to that example."""
    defaults = outputs(calc_id, {})
    for field in CALCULATORS[calc_id].fields:
        want = outputs(calc_id, {field.name: field.example})
        if want != defaults:
            return {"calc": calc_id, "name": field.name, "text": field.example, "want": want}
    raise SystemExit(f"{calc_id}: no field's example changes an output; nothing to edit")


def probe() -> str:
    """One function expression, ``(op, arg) => result``, holding the project's rule for
    equal outputs (tests/pyodide/same.mjs) and the probe itself (probe.js)."""
    same = (ROOT / "tests" / "pyodide" / "same.mjs").read_text().replace("export ", "")
    body = (HERE / "probe.js").read_text()
    return f"((op, arg) => {{\n{same}\nreturn ({body})(op, arg);\n}})"


def cases(site_dir: Path) -> dict[str, Any]:
    manifest = read_manifest(site_dir)
    first: dict[str, str] = {c: urls[0] for c, urls in manifest["calculators"].items()}
    pages = []
    for page in manifest["pages"]:
        calcs = sorted(page["calculators"])
        if not calcs:
            continue
        pages.append({
            "url": page["url"],
            "defaults": {c: outputs(c, {}) for c in calcs},
            "edits": [edit(c) for c in calcs if first[c] == page["url"]],
        })
    return {"pages": pages, "probe": probe()}


def main() -> int:
    site_dir, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(cases(site_dir), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
