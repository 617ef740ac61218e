"""The browser code as the site ships it: bundled and minified by esbuild (from npm).

The sources in ``docs/assets/calc/`` are ES modules with comments that say why; the
site ships two entry points, ``app.js`` (the page) and ``worker.js`` (Python's worker),
minified, with the code a page may never need (questions, movable numbers, the
comparison, downloads) split into chunks that load on first use, and our stylesheets
minified. Nothing here depends on MkDocs.

>>> out = bundle(ROOT / "docs")
>>> sorted(p for p in out if not p.startswith("assets/calc/chunk-"))
['assets/calc/app.js', 'assets/calc/calc.css', 'assets/calc/worker.js', 'assets/site.css']
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

__all__ = ["ENTRIES", "STYLESHEETS", "BundleFailed", "bundle", "sources"]

ROOT = Path(__file__).resolve().parent.parent
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"
BROWSER = "assets/calc"
#: The scripts the pages and the worker load; every other module is bundled into them.
ENTRIES = ("app.js", "worker.js")
#: Our stylesheets, by their path in the site.
STYLESHEETS = (f"{BROWSER}/calc.css", "assets/site.css")
#: Pyodide is shipped as it comes (hooks/shipping.py), not bundled.
EXTERNAL = "../pyodide/pyodide.mjs"


class BundleFailed(RuntimeError):
    """esbuild is missing or refused the sources; the build must stop."""


def sources(docs: Path) -> list[Path]:
    """The browser sources the bundle replaces in the site (scripts and stylesheets)."""
    scripts = sorted((docs / BROWSER).glob("*.js")) + sorted((docs / BROWSER).glob("*.mjs"))
    return scripts + [docs / path for path in STYLESHEETS]


def _esbuild(args: list[str]) -> None:
    if not ESBUILD.exists():
        raise BundleFailed(f"missing {ESBUILD}: run `npm ci` (the Makefile does)")
    run = subprocess.run([str(ESBUILD), *args, "--log-level=error"], capture_output=True,
                         text=True, check=False, timeout=120)
    if run.returncode:
        raise BundleFailed(f"esbuild failed: {run.stderr.strip()[-2000:]}")


def bundle(docs: Path) -> dict[str, bytes]:
    """The shipped files: their path in the site -> their bytes."""
    out: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp)
        _esbuild([
            *(str(docs / BROWSER / entry) for entry in ENTRIES),
            "--bundle", "--splitting", "--format=esm", "--minify", "--target=es2022",
            f"--external:{EXTERNAL}", f"--outdir={target / 'js'}", "--chunk-names=chunk-[hash]",
            "--charset=utf8",
        ])
        for path in sorted((target / "js").iterdir()):
            out[f"{BROWSER}/{path.name}"] = path.read_bytes()
        for sheet in STYLESHEETS:
            dest = target / "css" / Path(sheet).name
            _esbuild([str(docs / sheet), "--minify", "--charset=utf8", f"--outfile={dest}"])
            out[sheet] = dest.read_bytes()
    return out
