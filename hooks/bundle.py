"""The browser code as the site ships it: bundled and minified by esbuild (from npm).

The sources in ``docs/assets/calc/`` are ES modules with comments that say why; the
site ships two entry points, ``app.js`` (the page) and ``worker.js`` (Python's worker),
minified, with the code a page may never need (questions, movable numbers, the
comparison, downloads) split into chunks that load on first use; a classic script that
imports nothing (``search-worker.js``), and our stylesheets, each minified alone.
Nothing here depends on MkDocs.

The pages name the entry module and its static imports as ``modulepreload`` links in
their ``<head>``: otherwise the browser finds ``app.js`` only when the parser reaches the
end of the body (after the theme's blocking script) and its imports one round trip after
that, and DOMContentLoaded, where the calculators mount and Python is told to start,
waits for all of them.

>>> out = bundle(ROOT / "docs")
>>> sorted(p for p in out.files if not p.startswith("assets/calc/chunk-"))[:3]
['assets/calc/app.js', 'assets/calc/calc.css', 'assets/calc/search-worker.js']
>>> sorted(p for p in out.files if not p.startswith("assets/calc/chunk-"))[3:]
['assets/calc/worker.js', 'assets/site.css']
>>> out.preload[0], all(p in out.files for p in out.preload)
('assets/calc/app.js', True)
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path
from typing import NamedTuple

__all__ = ["CLASSIC", "ENTRIES", "STYLESHEETS", "Bundle", "BundleFailed", "bundle", "sources"]

ROOT = Path(__file__).resolve().parent.parent
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"
BROWSER = "assets/calc"
#: The scripts the pages and the worker load; every other module is bundled into them.
ENTRIES = ("app.js", "worker.js")
#: Classic scripts (no imports, not modules), shipped minified as they are.
CLASSIC = ("search-worker.js",)
#: Our stylesheets, by their path in the site.
STYLESHEETS = (f"{BROWSER}/calc.css", "assets/site.css")
#: Pyodide is shipped as it comes (hooks/shipping.py), not bundled.
EXTERNAL = ("../pyodide/pyodide.mjs", "../pyodide/pyodide.asm.mjs")


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


class Bundle(NamedTuple):
    """What the build ships: ``files``, path in the site -> bytes; ``preload``, the
    page's entry module and every module it imports statically (paths in the site)."""

    files: dict[str, bytes]
    preload: tuple[str, ...]


def _static_closure(meta: dict[str, dict[str, list[dict[str, str]]]], entry: str,
                    outdir: str) -> tuple[str, ...]:
    """The entry and the outputs it imports with import statements, transitively (not
    its dynamic imports), as paths relative to ``outdir``; the entry first."""
    order = [entry]
    for path in order:
        for edge in meta[path]["imports"]:
            if edge["kind"] == "import-statement" and edge["path"] not in order:
                order.append(edge["path"])
    return tuple(path.removeprefix(outdir + "/") for path in order)


def bundle(docs: Path) -> Bundle:
    """The shipped files, and the modules a page should preload."""
    out: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp)
        _esbuild([
            *(str(docs / BROWSER / entry) for entry in ENTRIES),
            "--bundle", "--splitting", "--format=esm", "--minify", "--target=es2022",
            *(f"--external:{path}" for path in EXTERNAL), f"--outdir={target / 'js'}",
            "--chunk-names=chunk-[hash]", "--charset=utf8", f"--metafile={target / 'meta.json'}",
        ])
        meta = json.loads((target / "meta.json").read_text())["outputs"]
        outdir = next(iter(meta)).rsplit("/", 1)[0]
        preload = _static_closure(meta, f"{outdir}/app.js", outdir)
        for built in sorted((target / "js").iterdir()):
            out[f"{BROWSER}/{built.name}"] = built.read_bytes()
        for path in [f"{BROWSER}/{name}" for name in CLASSIC] + list(STYLESHEETS):
            dest = target / "alone" / path
            _esbuild([str(docs / path), "--minify", "--target=es2022", "--charset=utf8",
                      f"--outfile={dest}"])
            out[path] = dest.read_bytes()
    return Bundle(out, tuple(f"{BROWSER}/{name}" for name in preload))
