"""Every page of the site, once each: what it downloads (by kind, gzip and raw, from the
built files) and what axe-core finds in it once its calculators are ready.

>>> [kind_of(p) for p in ("", "a/index.html", "assets/calc/app.js", "assets/site.css",
...  "sw.js", "assets/javascripts/bundle.js", "assets/katex/katex.min.css",
...  "assets/pyodide/pyodide.asm.wasm", "search/search_index.json")]
['html', 'html', 'own', 'own', 'own', 'theme', 'katex', 'pyodide', 'other']
"""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.measure import Bench, log

__all__ = ["audit_pages", "kind_of", "weigh"]

#: The site's own JS and CSS (the design's "not the theme's, not KaTeX's").
OWN = ("assets/calc/", "assets/site.css", "sw.js")


def kind_of(rel: str) -> str:
    """What a file of the site is, for the page-weight table."""
    if rel == "" or rel.endswith(("/", ".html")):
        return "html"
    if rel.startswith(OWN):
        return "own"
    if rel.startswith(("assets/javascripts/", "assets/stylesheets/")):
        return "theme"
    if rel.startswith("assets/katex/"):
        return "katex"
    if rel.startswith("assets/pyodide/"):
        return "pyodide"
    return "other"


def weigh(site_dir: Path, site_url: str, requests: list[str]) -> dict[str, Any]:
    """Bytes of every site file the page requested, by kind; the page's weight without
    Pyodide, and our own JS+CSS."""
    buckets: dict[str, dict[str, int]] = {}
    files: list[dict[str, Any]] = []
    seen: set[str] = set()
    for url in requests:
        if not url.startswith(site_url):
            continue
        rel = urlsplit(url).path[len(urlsplit(site_url).path):]
        path = rel + "index.html" if rel == "" or rel.endswith("/") else rel
        if path in seen or not (site_dir / path).is_file():
            continue
        seen.add(path)
        data = (site_dir / path).read_bytes()
        raw, gz = len(data), len(gzip.compress(data, compresslevel=6))
        kind = kind_of(rel)
        own_code = kind == "own" and path.endswith((".js", ".css"))
        for key in filter(None, (kind, "own_js_css" if own_code else None, "total")):
            b = buckets.setdefault(key, {"raw": 0, "gzip": 0, "files": 0})
            b["raw"] += raw
            b["gzip"] += gz
            b["files"] += 1
        files.append({"path": path, "kind": kind, "raw": raw, "gzip": gz})
    total, py = buckets.get("total", {}), buckets.get("pyodide", {})
    without = {k: total.get(k, 0) - py.get(k, 0) for k in ("raw", "gzip")}
    return {"by_kind": buckets, "without_pyodide": without,
            "own_js_css": buckets.get("own_js_css", {"raw": 0, "gzip": 0, "files": 0}),
            "files": sorted(files, key=lambda f: -f["gzip"])}


def axe_violations(page: Any) -> list[str]:
    """Every axe-core violation on the page, one line each (axe-core comes bundled with
    axe-playwright-python, and is injected through Playwright, past the page's CSP)."""
    from axe_playwright_python.sync_playwright import Axe

    found = []
    for v in Axe().run(page).response["violations"]:
        targets = [n["target"] for n in v["nodes"]][:3]
        found.append(f"{v['id']} ({v['impact']}), {len(v['nodes'])} nodes, at {targets}")
    return found


def audit_pages(bench: Bench) -> dict[str, Any]:
    """Each page in a fresh context: open it until ready, let the network settle,
    weigh what it fetched, run axe-core."""
    out: dict[str, Any] = {}
    for page_info in bench.site.pages:
        path = page_info.url
        context, page, requests = bench.context()
        try:
            bench.open_ready(page, path)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(300)
            violations = axe_violations(page)
        finally:
            context.close()
        weight = weigh(bench.site.dir, bench.site.url, requests)
        out[path] = {"weight": weight, "axe": violations}
        log(f"  /{path}: {weight['without_pyodide']['gzip'] / 1024:.0f} KB gzip without "
            f"Pyodide, own JS+CSS {weight['own_js_css']['gzip'] / 1024:.1f} KB, "
            f"axe {len(violations)}")
    return out
