"""Benchmark the site against bare Pyodide in the same Chromium.

Builds the site into build/bench-site, adds a bare page (a module worker that only
loads the same Pyodide files and runs ``1+1``), serves both on loopback under /bench/,
and measures: cold boot A (bare) vs B (first Python-computed result on a calculator
page), first contentful paint, instant navigation, input latency, bytes per page,
``mkdocs build`` wall time, Lighthouse, and the native timings of bench_native.py.

It measures and never asserts a time.  Writes bench/results/latest.json and
bench/results/latest.md and prints the table.  Which pages hold which calculators
comes from the built site's manifest (assets/calc/manifest.json); the page reports
on its Python runtime through window.calcRuntime (stats() and on("reply", ...)).

    make bench                       # or: .venv/bin/python bench/run.py
    BENCH_SAMPLES=7 BENCH_LIGHTHOUSE=0 .venv/bin/python bench/run.py
"""

from __future__ import annotations

import datetime
import gzip
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

from browser import FLAGS, chromium_executable  # noqa: E402
from serve import serve_in_thread  # noqa: E402

PORT = int(os.environ.get("BENCH_PORT", "8790"))
BASE = "/bench/"
ORIGIN = f"http://127.0.0.1:{PORT}"
SITE = f"{ORIGIN}{BASE}"
SITE_DIR = ROOT / "build" / "bench-site"
RESULTS = ROOT / "bench" / "results"
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "7"))
LIGHTHOUSE = os.environ.get("BENCH_LIGHTHOUSE", "1") != "0"
LIGHTHOUSE_VERSION = "12.2.3"
BOOT_TIMEOUT_MS = 120_000
# From the built site's manifest (load_manifest): each calculator page -> its calculators;
# the page measured cold (the first with most calculators, other than the home page,
# which is measured as such), and the calculator page the instant-navigation hops start
# from (the one before it in the navigation).
CALC_IDS: dict[str, list[str]] = {}
CALC_PAGE = ""
OTHER_PAGE = ""

# The bare page: the same Pyodide files, the same indexURL and lockFileURL as
# docs/assets/calc/worker.js, in a module worker too, but no package and no bridge.
BARE_HTML = """<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>Bare Pyodide boot</title>
<p id="out">Booting Pyodide in a worker…</p>
<script>
  const worker = new Worker("worker.js", { type: "module" });
  worker.onmessage = (event) => {
    window.__bare = { at: performance.now(), ...event.data };
    document.getElementById("out").textContent = JSON.stringify(window.__bare);
  };
  worker.onerror = (event) => { window.__bare = { at: performance.now(), error: event.message }; };
</script>
</html>
"""
BARE_WORKER = """import { loadPyodide } from "../assets/pyodide/pyodide.mjs";

const indexURL = new URL("../assets/pyodide/", import.meta.url).href;
const t0 = performance.now();
try {
  const pyodide = await loadPyodide({
    indexURL,
    lockFileURL: indexURL + "pyodide-lock.json",
    stdout: () => {},
    stderr: () => {},
  });
  const value = pyodide.runPython("1+1");
  self.postMessage({ value, workerMs: performance.now() - t0 });
} catch (error) {
  self.postMessage({ error: String(error) });
}
"""

# Installed in every context before any page script: marks, on the page's own clock
# (performance.now() from navigation start), when the static numbers are parsed and
# when every calculator on the page holds a Python-computed result.
INIT_SCRIPT = """(() => {
  const marks = window.__bench = { staticParsed: null, staticFrame: null, loading: null,
                                   ready: null, viewport: null };
  const check = () => {
    const cell = document.querySelector("[data-output][data-value]");
    if (cell && marks.staticParsed === null) {
      marks.staticParsed = performance.now();
      cell.setAttribute("elementtiming", "calc-output");
      requestAnimationFrame(() => {
        marks.staticFrame = performance.now();
        marks.viewport = cell.getBoundingClientRect().top < innerHeight;
      });
    }
    const roots = [...document.querySelectorAll("[data-calculator]")];
    if (!roots.length) return;
    if (marks.loading === null && roots.some((r) => r.dataset.state === "loading")) {
      marks.loading = performance.now();
    }
    if (marks.ready === null && roots.every((r) => r.dataset.state === "ready")) {
      marks.ready = performance.now();
    }
  };
  new MutationObserver(check).observe(document, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["data-state"],
  });
  // Where the time goes: when the worker is created (when it says Python is ready is
  // in window.calcRuntime.stats()).
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(url, options) {
      super(url, options);
      if (marks.workerCreated === undefined) marks.workerCreated = performance.now();
    }
  };
  marks.element = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) marks.element.push(e.renderTime || e.loadTime);
    }).observe({ type: "element", buffered: true });
  } catch (error) { /* no Element Timing */ }
})();
"""

PAINT_JS = """() => Object.fromEntries(
  performance.getEntriesByType("paint").map((e) => [e.name, e.startTime]))"""

# Set a field's value, dispatch `input`, and time until the output cell's data-value
# is rewritten: all on the page's clock, no Playwright round trip inside a sample.
LATENCY_JS = """async ({ calc, field, output, values }) => {
  const root = document.querySelector(`[data-calculator="${calc}"]`);
  const input = root.querySelector(`input[name="${field}"]`);
  const cell = output ? root.querySelector(`[data-output="${output}"]`)
                      : root.querySelector("[data-output]");
  const runtime = window.calcRuntime;
  let arrived = null;
  const off = runtime.on("reply", () => { arrived = performance.now(); });
  const times = [];
  const worker = [];
  const main = [];
  const framed = [];
  for (const value of values) {
    arrived = null;
    const done = new Promise((resolve) => {
      const timer = setTimeout(() => { mo.disconnect(); resolve(null); }, 10000);
      const mo = new MutationObserver(() => {
        clearTimeout(timer); mo.disconnect(); resolve(performance.now());
      });
      mo.observe(cell, { attributes: true, attributeFilter: ["data-value"] });
    });
    const t0 = performance.now();
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    const t1 = await done;
    times.push(t1 === null ? null : t1 - t0);
    if (t1 !== null && arrived !== null) {
      worker.push(arrived - t0);
      main.push(t1 - arrived);
    }
    // The next frame after the update: when it starts, the new numbers are painted.
    const frame = await new Promise((resolve) => {
      requestAnimationFrame(() => resolve(performance.now()));
    });
    if (t1 !== null) framed.push(frame - t0);
    // Let that frame finish (raster included) before the next change, as it would
    // between a reader's keystrokes; otherwise each sample also pays for the last paint.
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  }
  const status = root.querySelector("[data-status]").textContent;
  const stale = root.querySelector("[data-results]").hasAttribute("data-stale");
  off();
  return { times, worker, main, framed, status, stale, restarts: runtime.stats().restarts };
}"""

# Click a link and time, on the page's clock, until the target page's calculators all
# hold Python results (instant navigation keeps the window, so the clock runs on).
NAV_JS = """({ wanted, ids }) => new Promise((resolve) => {
  // wanted: the target page's absolute URL (a link's href property is absolute too)
  const links = [...document.querySelectorAll(".md-nav--primary a.md-nav__link")];
  const link = links.find((a) => a.href === wanted);
  const boots = window.calcRuntime.stats().boots;
  const t0 = performance.now();
  let swapped = null;
  const check = () => {
    const roots = [...document.querySelectorAll("[data-calculator]")];
    const have = roots.map((r) => r.dataset.calculator).sort().join(",");
    if (have !== ids.slice().sort().join(",")) return;
    if (swapped === null) swapped = performance.now() - t0;
    if (!roots.every((r) => r.dataset.state === "ready")) return;
    mo.disconnect();
    clearTimeout(timer);
    resolve({ ms: performance.now() - t0, swappedMs: swapped, path: location.pathname,
              sameWorker: window.calcRuntime.stats().boots === boots,
              restarts: window.calcRuntime.stats().restarts });
  };
  const mo = new MutationObserver(check);
  const timer = setTimeout(() => { mo.disconnect(); resolve({ ms: null }); }, 60000);
  mo.observe(document, { subtree: true, childList: true, attributes: true,
                         attributeFilter: ["data-state"] });
  link.click();
})"""


def load_manifest() -> None:
    """Read which pages hold which calculators from the site just built."""
    global CALC_PAGE, OTHER_PAGE
    data = json.loads((SITE_DIR / "assets" / "calc" / "manifest.json").read_text())
    pages = [p["url"] for p in data["pages"] if p["calculators"]]
    CALC_IDS.clear()
    CALC_IDS.update({p["url"]: p["calculators"] for p in data["pages"] if p["calculators"]})
    candidates = [url for url in pages if url] or pages
    CALC_PAGE = max(candidates, key=lambda url: len(CALC_IDS[url]))  # the first of the largest
    i = pages.index(CALC_PAGE)
    OTHER_PAGE = pages[i - 1] if i else pages[1]


def page_name(path: str) -> str:
    return path.strip("/") or "home"


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def summary(values: list[float]) -> dict[str, Any]:
    values = [v for v in values if v is not None]
    if not values:
        return {"n": 0}
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return {
        "n": len(values),
        "median": statistics.median(values),
        "min": ordered[0],
        "max": ordered[-1],
        "p95": p95,
        "samples": [round(v, 2) for v in values],
    }


# ---------------------------------------------------------------------------------
# Build and bare page
# ---------------------------------------------------------------------------------
def build_site() -> float:
    env = dict(os.environ, SITE_URL=SITE, NO_MKDOCS_2_WARNING="1")
    mkdocs = ROOT / ".venv" / "bin" / "mkdocs"
    cmd = [str(mkdocs), "build", "--strict", "--site-dir", str(SITE_DIR)]
    t = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True)
    seconds = time.perf_counter() - t
    bare = SITE_DIR / "bench-bare"
    bare.mkdir(exist_ok=True)
    (bare / "index.html").write_text(BARE_HTML)
    (bare / "worker.js").write_text(BARE_WORKER)
    return seconds


# ---------------------------------------------------------------------------------
# Browser measurements
# ---------------------------------------------------------------------------------
def new_context(browser: Any, service_workers: str = "block") -> tuple[Any, Any, list[str]]:
    # The service worker is measured on its own (repeat_visit); elsewhere it would fill
    # its cache in the background of the measurements that follow the first ready.
    context = browser.new_context(service_workers=service_workers)
    context.add_init_script(INIT_SCRIPT)
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    return context, page, requests


def cold_a(browser: Any) -> dict[str, Any]:
    context, page, requests = new_context(browser)
    try:
        page.goto(SITE + "bench-bare/", wait_until="commit")
        page.wait_for_function("() => window.__bare", timeout=BOOT_TIMEOUT_MS, polling=200)
        bare = page.evaluate("window.__bare")
        if "error" in bare:
            raise RuntimeError(f"bare boot failed: {bare['error']}")
        created = page.evaluate("() => window.__bench.workerCreated")
        return {"ms": bare["at"], "worker_ms": bare["workerMs"], "value": bare["value"],
                "worker_created": created,
                "wasm_fetches": sum(u.endswith("pyodide.asm.wasm") for u in requests)}
    finally:
        context.close()


def cold_b(browser: Any) -> dict[str, Any]:
    context, page, requests = new_context(browser)
    try:
        page.goto(SITE + CALC_PAGE, wait_until="commit")
        page.wait_for_function("() => window.__bench.ready !== null || "
                               "window.calcRuntime && window.calcRuntime.stats().state === 'error'",
                               timeout=BOOT_TIMEOUT_MS, polling=200)
        marks = page.evaluate("window.__bench")
        if marks["ready"] is None:
            raise RuntimeError("the calculator page did not become ready")
        paint = page.evaluate(PAINT_JS)
        stats = page.evaluate("window.calcRuntime.stats()")
        return {"ms": marks["ready"], "fcp": paint.get("first-contentful-paint"),
                "fp": paint.get("first-paint"), "static_parsed": marks["staticParsed"],
                "static_frame": marks["staticFrame"],
                "static_element_timing": min(marks["element"]) if marks["element"] else None,
                "static_in_viewport": marks["viewport"], "loading_at": marks["loading"],
                "worker_created": marks.get("workerCreated"),
                "worker_ready": stats["readyAt"],
                "worker_ready_own_ms": stats["bootMs"],
                "restarts": stats["restarts"],
                "wasm_fetches": sum(u.endswith("pyodide.asm.wasm") for u in requests)}
    finally:
        context.close()


def repeat_visit(browser: Any, service_worker: bool) -> dict[str, Any]:
    """A first visit to the calculator page, then the same page again in a new tab."""
    context, page, _ = new_context(browser, "allow" if service_worker else "block")
    try:
        page.goto(SITE + CALC_PAGE, wait_until="commit")
        page.wait_for_function("() => window.__bench.ready !== null", timeout=BOOT_TIMEOUT_MS,
                               polling=200)
        if service_worker:  # installed: the site is in its cache
            page.evaluate("async () => { await navigator.serviceWorker.ready; }")
        page.close()
        page = context.new_page()
        served: list[bool] = []
        page.on("response", lambda r: served.append(r.from_service_worker)
                if r.url.endswith("pyodide.asm.wasm") else None)
        page.goto(SITE + CALC_PAGE, wait_until="commit")
        page.wait_for_function("() => window.__bench.ready !== null", timeout=BOOT_TIMEOUT_MS,
                               polling=200)
        return {"ms": page.evaluate("window.__bench.ready"), "wasm_from_sw": served}
    finally:
        context.close()


def repeat_runs(browser: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, sw in (("http_cache", False), ("service_worker", True)):
        samples = [repeat_visit(browser, sw) for _ in range(3)]
        out[name] = {"ms": summary([x["ms"] for x in samples]),
                     "wasm_from_sw": [x["wasm_from_sw"] for x in samples]}
        log(f"  repeat visit, {name}: median {out[name]['ms']['median']:.0f} ms")
    return out


def cold_runs(browser: Any) -> dict[str, Any]:
    a: list[dict[str, Any]] = []
    b: list[dict[str, Any]] = []
    for i in range(SAMPLES):
        for kind, fn, out in (("A", cold_a, a), ("B", cold_b, b)):
            sample = fn(browser)
            out.append(sample)
            log(f"  cold {kind} #{i + 1}: {sample['ms']:.0f} ms")
    a_ms = summary([s["ms"] for s in a])
    b_ms = summary([s["ms"] for s in b])
    return {
        "A_bare": {"ms": a_ms, "worker_ms": summary([s["worker_ms"] for s in a]),
                   "worker_created": summary([s["worker_created"] for s in a])},
        "B_ours": {
            "ms": b_ms,
            "worker_created": summary([s["worker_created"] for s in b]),
            "worker_ready": summary([s["worker_ready"] for s in b]),
            "worker_ready_own_ms": summary([s["worker_ready_own_ms"] for s in b]),
            "fcp": summary([s["fcp"] for s in b]),
            "static_parsed": summary([s["static_parsed"] for s in b]),
            "static_frame": summary([s["static_frame"] for s in b]),
            "static_element_timing": summary([s["static_element_timing"] for s in b]),
            "static_in_viewport": [s["static_in_viewport"] for s in b],
            "restarts": [s["restarts"] for s in b],
            "wasm_fetches": [s["wasm_fetches"] for s in b],
        },
        "ratio_B_over_A": b_ms["median"] / a_ms["median"],
        "ratios_paired": [round(y["ms"] / x["ms"], 3) for x, y in zip(a, b, strict=True)],
        "raw": {"A": a, "B": b},
    }


def instant_navigation(browser: Any) -> dict[str, Any]:
    context, page, requests = new_context(browser)
    try:
        page.goto(SITE + OTHER_PAGE, wait_until="commit")
        page.wait_for_function("() => window.__bench.ready !== null", timeout=BOOT_TIMEOUT_MS,
                               polling=200)
        wasm_before = sum(u.endswith("pyodide.asm.wasm") for u in requests)
        hops = []
        for i in range(6):
            target = CALC_PAGE if i % 2 == 0 else OTHER_PAGE
            n_before = len(requests)
            hop = page.evaluate(NAV_JS, {"wanted": SITE + target, "ids": CALC_IDS[target]})
            hop["target"] = target
            hop["requests"] = [u.removeprefix(SITE) for u in requests[n_before:]]
            hops.append(hop)
            log(f"  instant nav -> {target}: {hop['ms']:.0f} ms")
        wasm_after = sum(u.endswith("pyodide.asm.wasm") for u in requests)
        to_strict = [h["ms"] for h in hops if h["target"] == CALC_PAGE]
        return {
            "first_to_strict_ms": hops[0]["ms"],
            "ms": summary([h["ms"] for h in hops]),
            "swapped_ms": summary([h.get("swappedMs") for h in hops]),
            "to_strict_ms": summary(to_strict),
            "wasm_fetches_before": wasm_before,
            "wasm_fetched_again": wasm_after > wasm_before,
            "same_worker": all(h.get("sameWorker") for h in hops),
            "restarts": page.evaluate("window.calcRuntime.stats().restarts"),
            "hops": hops,
        }
    finally:
        context.close()


def page_of(calc_id: str) -> str:
    return next(url for url, ids in CALC_IDS.items() if calc_id in ids)


def input_latency(browser: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}

    def show(page: Any, calc_id: str) -> None:
        """Open the calculator's page, unless it is the one open, and wait until ready."""
        if page.url != SITE + page_of(calc_id):
            page.goto(SITE + page_of(calc_id), wait_until="commit")
            page.wait_for_function("() => window.__bench.ready !== null",
                                   timeout=BOOT_TIMEOUT_MS, polling=200)

    context, page, _ = new_context(browser)
    try:
        point = [
            ("breakeven", "prior_ratio", "breakeven_steps", [f"2^{101 + i}" for i in range(100)]),
            ("restaurants", "chinese_count", "p_chinese_by_restaurants",
             [str(11 + i) for i in range(100)]),
        ]
        for calc, field, output, values in point:
            show(page, calc)
            r = page.evaluate(LATENCY_JS, {"calc": calc, "field": field, "output": output,
                                           "values": values})
            out[f"point_{calc}"] = {"field": field, **summary(r["times"]), "status": r["status"],
                                    "stale": r["stale"], "restarts": r["restarts"],
                                    "to_reply": summary(r["worker"]),
                                    "reply_to_dom": summary(r["main"]),
                                    "to_frame": summary(r["framed"])}
            log(f"  100 changes of {calc}.{field}: p50 {out[f'point_{calc}']['median']:.1f} ms")
        ranges = [f"2^{50 + k} to 2^{150 + k}" for k in range(5)]
        show(page, "breakeven")
        r = page.evaluate(LATENCY_JS, {"calc": "breakeven", "field": "prior_ratio",
                                       "output": "breakeven_steps", "values": ranges})
        out["range_breakeven"] = {"field": "prior_ratio", "values": ranges, **summary(r["times"]),
                                  "status": r["status"], "stale": r["stale"],
                                  "restarts": r["restarts"], "to_reply": summary(r["worker"])}
    finally:
        context.close()
    context, page, _ = new_context(browser)
    try:
        show(page, "counting-odds")
        ranges = [f"2^{50 + k} to 2^{150 + k}" for k in range(5)]
        r = page.evaluate(LATENCY_JS, {"calc": "counting-odds", "field": "schemer_count",
                                       "output": None, "values": ranges})
        out["range_counting-odds"] = {"field": "schemer_count", "values": ranges,
                                      **summary(r["times"]), "status": r["status"],
                                      "stale": r["stale"], "restarts": r["restarts"],
                                      "to_reply": summary(r["worker"])}
    finally:
        context.close()
    for key in ("range_breakeven", "range_counting-odds"):
        log(f"  10,000-sample {key}: median {out[key].get('median', float('nan')):.0f} ms")
    return out


# ---------------------------------------------------------------------------------
# Bytes per page
# ---------------------------------------------------------------------------------
def kind_of(rel: str) -> str:
    if rel.startswith("assets/pyodide/"):
        return "pyodide"
    if rel.endswith(".html") or rel.startswith(
        ("assets/calc/", "assets/javascripts/", "assets/stylesheets/", "assets/katex/")
    ):
        return "own"
    return "other"


def page_bytes(browser: Any, path: str) -> dict[str, Any]:
    context, page, requests = new_context(browser)
    try:
        page.goto(SITE + path, wait_until="networkidle")
        if CALC_IDS.get(path):
            page.wait_for_function("() => window.__bench.ready !== null", timeout=BOOT_TIMEOUT_MS,
                                   polling=200)
            page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)
    finally:
        context.close()
    buckets: dict[str, dict[str, int]] = {}
    files: list[dict[str, Any]] = []
    foreign: list[str] = []
    seen: set[str] = set()
    for url in requests:
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != ORIGIN or not parts.path.startswith(BASE):
            if parts.scheme in ("http", "https"):
                foreign.append(url)
            continue
        rel = parts.path[len(BASE):]
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        if rel in seen:
            continue
        seen.add(rel)
        file = SITE_DIR / rel
        if not file.is_file():
            continue
        data = file.read_bytes()
        raw, gz = len(data), len(gzip.compress(data, compresslevel=6))
        kind = kind_of(rel)
        sub = "own_js_css" if kind == "own" and rel.endswith((".js", ".css")) else None
        calc = "calc_js_css" if rel.startswith("assets/calc/") else None
        for key in filter(None, (kind, sub, calc, "total")):
            b = buckets.setdefault(key, {"raw": 0, "gzip": 0, "files": 0})
            b["raw"] += raw
            b["gzip"] += gz
            b["files"] += 1
        files.append({"path": rel, "kind": kind, "raw": raw, "gzip": gz})
    without = {k: buckets.get("total", {}).get(k, 0) - buckets.get("pyodide", {}).get(k, 0)
               for k in ("raw", "gzip")}
    return {"by_kind": buckets, "without_pyodide": without, "foreign": foreign,
            "files": sorted(files, key=lambda f: -f["gzip"])}


# ---------------------------------------------------------------------------------
# Lighthouse
# ---------------------------------------------------------------------------------
def lighthouse(path: str) -> dict[str, Any]:
    flags = "--headless=new " + " ".join(FLAGS)
    env = dict(os.environ, CHROME_PATH=chromium_executable() or "/usr/bin/chromium")
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "lh.json"
        cmd = ["npx", "--yes", f"lighthouse@{LIGHTHOUSE_VERSION}", SITE + path,
               "--output=json", f"--output-path={report}", "--quiet",
               "--only-categories=performance,accessibility", f"--chrome-flags={flags}"]
        try:
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=240)
        except (OSError, subprocess.TimeoutExpired) as error:
            return {"run": False, "reason": f"{type(error).__name__}: {error}"[:300]}
        if proc.returncode != 0 or not report.exists():
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
            return {"run": False, "reason": f"exit {proc.returncode}: {' '.join(tail)}"[:300]}
        data = json.loads(report.read_text())
    cats = data["categories"]
    audits = data["audits"]
    metric = {k: audits[k].get("numericValue") for k in (
        "first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
        "cumulative-layout-shift", "speed-index", "interactive") if k in audits}
    failing = [k for k, a in audits.items()
               if a.get("score") is not None and a.get("score") < 1
               and a.get("scoreDisplayMode") == "binary"]
    return {"run": True, "version": data.get("lighthouseVersion"),
            "form_factor": data.get("configSettings", {}).get("formFactor"),
            "throttling": data.get("configSettings", {}).get("throttlingMethod"),
            "performance": round(100 * cats["performance"]["score"]),
            "accessibility": round(100 * cats["accessibility"]["score"]),
            "metrics_ms": metric, "failing_binary_audits": failing}


# ---------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------
def machine(browser_version: str) -> dict[str, Any]:
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {"nproc": os.cpu_count(), "cpu": cpu, "chromium": browser_version,
            "python": platform.python_version(), "os": platform.platform(),
            "loadavg_1m_at_end": os.getloadavg()[0],
            "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")}


def status_max(value: float | None, target: float, unit: str, fmt: str = "{:.1f}") -> str:
    if value is None:
        return "not measured"
    if value <= target:
        return "met"
    return f"missed by {fmt.format(value - target)}{unit}"


def status_min(value: float | None, target: float, unit: str = "") -> str:
    if value is None:
        return "not measured"
    return "met" if value >= target else f"missed by {target - value:g}{unit}"


def table(r: dict[str, Any]) -> str:
    c, nav, lat, by = r["cold"], r["instant_navigation"], r["input_latency"], r["bytes"]
    a, b = c["A_bare"]["ms"], c["B_ours"]["ms"]
    ratio = c["ratio_B_over_A"]
    rows: list[tuple[str, str, str, str]] = []

    def ms(s: dict[str, Any]) -> str:
        if not s.get("n"):
            return "—"
        return f"{s['median']:.0f} ms (min {s['min']:.0f}, max {s['max']:.0f}, n={s['n']})"

    def kb(n: int) -> str:
        return f"{n / 1024:.1f} KB"

    rows.append(("A: bare Pyodide boot, navigation → `1+1` (worker)", ms(a), "—", "—"))
    rows.append(("B: calculator page, navigation → all calculators computed", ms(b), "—", "—"))
    bo = c["B_ours"]
    rows.append(("… B breakdown (medians): worker created / Python + wheel + bridge ready / "
                 "all results",
                 f"{bo['worker_created']['median']:.0f} / {bo['worker_ready']['median']:.0f} / "
                 f"{b['median']:.0f} ms (A: worker created at "
                 f"{c['A_bare']['worker_created']['median']:.0f} ms, "
                 f"boot inside it {c['A_bare']['worker_ms']['median']:.0f} ms; "
                 f"B boot inside it {bo['worker_ready_own_ms']['median']:.0f} ms)", "—", "—"))
    rows.append(("B / A (medians)", f"{ratio:.2f}x (paired: {min(c['ratios_paired']):.2f}"
                 f"–{max(c['ratios_paired']):.2f})", "≤ 1.10x",
                 status_max(ratio, 1.10, "x", "{:.2f}")))
    fcp = c["B_ours"]["fcp"]
    frac = fcp["median"] / a["median"] if fcp.get("n") else None
    rows.append(("First contentful paint, calculator page", ms(fcp),
                 "well under A (< 0.25 × A)",
                 status_max(frac, 0.25, " × A", "{:.2f}")))
    sf = c["B_ours"]["static_frame"]
    rows.append(("Static numbers parsed + next frame (calculator page)", ms(sf), "before B",
                 "met" if sf.get("n") and sf["median"] < b["median"] else "missed"))
    rep = r["repeat_visit"]
    sw_hits = [all(x) and bool(x) for x in rep["service_worker"]["wasm_from_sw"]]
    rows.append(("Repeat visit, calculator page in a new tab → all computed: HTTP cache only / "
                 "with the service worker",
                 f"{ms(rep['http_cache']['ms'])} / {ms(rep['service_worker']['ms'])}; Pyodide "
                 f"from the service worker in {sum(sw_hits)} of {len(sw_hits)}", "—", "—"))
    rows.append(("Instant nav to 2nd calculator page → ready (median of 6 hops)",
                 f"{ms(nav['ms'])}; first hop {nav['first_to_strict_ms']:.0f} ms; new page "
                 f"in the DOM after {nav['swapped_ms']['median']:.0f} ms (median)", "< 100 ms",
                 status_max(nav["ms"].get("median"), 100, " ms", "{:.0f}")))
    again = nav["wasm_fetched_again"] or not nav["same_worker"] or nav["restarts"]
    rows.append(("… Pyodide booted again? (wasm refetched / new worker / restarts)",
                 f"{'yes' if again else 'no'} ({nav['wasm_fetched_again']} / "
                 f"{not nav['same_worker']} / {nav['restarts']})", "no",
                 "missed" if again else "met"))
    for key, label in (("point_breakeven", "breakeven.prior_ratio"),
                       ("point_restaurants", "restaurants.chinese_count")):
        s = lat[key]
        rows.append((f"Input → output, 100 changes of {label}",
                     f"p50 {s['median']:.1f} ms, p95 {s['p95']:.1f} ms, max {s['max']:.1f} "
                     f"(reply arrives p50 {s['to_reply']['median']:.1f} / p95 "
                     f"{s['to_reply']['p95']:.1f}; then DOM p50 "
                     f"{s['reply_to_dom']['median']:.1f} / p95 {s['reply_to_dom']['p95']:.1f}; "
                     f"next frame starts p50 {s['to_frame']['median']:.1f} / p95 "
                     f"{s['to_frame']['p95']:.1f})",
                     "p95 < 16 ms", status_max(s["p95"], 16, " ms")))
    for key, label in (("range_breakeven", "breakeven.prior_ratio"),
                       ("range_counting-odds", "counting-odds.schemer_count")):
        s = lat[key]
        rows.append((f"10,000-sample range, {label} = 2^50 to 2^150 (5 runs)",
                     ms(s) + ("" if not s.get("stale") else " (error!)"), "< 250 ms",
                     status_max(s.get("median"), 250, " ms", "{:.0f}")))
    for page in ("home", page_name(CALC_PAGE)):
        k = by[page]["by_kind"]
        parts = ", ".join(f"{n} {kb(k[n]['gzip'])} ({kb(k[n]['raw'])})"
                          for n in ("own", "pyodide", "other") if n in k)
        rows.append((f"Bytes, {page}: gzip (raw) by kind", parts, "—", "—"))
        js = k.get("own_js_css", {"gzip": 0, "raw": 0})
        cj = k.get("calc_js_css", {"gzip": 0, "raw": 0})
        rows.append((f"… our own JS+CSS, {page} (theme + KaTeX css + assets/calc)",
                     f"{kb(js['gzip'])} gzip ({kb(js['raw'])} raw); of which assets/calc "
                     f"{kb(cj['gzip'])} gzip ({kb(cj['raw'])} raw)",
                     "< 50 KB gzip", status_max(js["gzip"] / 1024, 50, " KB")))
        w = by[page]["without_pyodide"]
        rows.append((f"… page without Pyodide, {page}",
                     f"{kb(w['gzip'])} gzip ({kb(w['raw'])} raw)", "< 300 KB gzip",
                     status_max(w["gzip"] / 1024, 300, " KB")))
    rows.append(("`mkdocs build` wall time", f"{r['mkdocs_build_s']:.1f} s", "—", "—"))
    for page, lh in r["lighthouse"].items():
        if not lh.get("run"):
            rows.append((f"Lighthouse, {page}", f"not run: {lh.get('reason')}", "95+ / 100",
                         "not measured"))
            continue
        perf, acc = lh["performance"], lh["accessibility"]
        st = [status_min(perf, 95, " points"), status_min(acc, 100, " points")]
        rows.append((f"Lighthouse {lh['version']} ({lh['form_factor']}), {page}: "
                     "performance / accessibility", f"{perf} / {acc}", "95+ / 100",
                     " / ".join(st)))
    m = r["machine"]
    lines = [
        f"Machine: {m['nproc']} cores, {m['cpu']}; {m['chromium']}; {m['date']}; "
        f"load average (1 min) {r['loadavg_1m_at_start']:.1f} at start, "
        f"{m['loadavg_1m_at_end']:.1f} at end; loopback, served under `{BASE}`; "
        f"{SAMPLES} cold samples each (fresh browser context each), A and B alternating; "
        f"the whole run took {r['bench_seconds']:.0f} s.",
        "",
        "| Measure | Measured | Target | Status |",
        "|---|---|---|---|",
    ]
    lines += [f"| {x} | {y} | {t} | {s} |" for x, y, t, s in rows]
    lines += ["", "Native timings of the package (bench/bench_native.py, CPython):", "",
              "```", r["native"].rstrip(), "```"]
    return "\n".join(lines) + "\n"


def main() -> None:
    from playwright.sync_api import sync_playwright

    t_start = time.perf_counter()
    load_start = os.getloadavg()[0]
    log("building the site into build/bench-site …")
    build_s = build_site()
    load_manifest()
    log(f"  mkdocs build: {build_s:.1f} s")
    native = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_native.py")],
                            capture_output=True, text=True, check=True).stdout
    server = serve_in_thread(SITE_DIR, PORT, BASE)
    server.handle_error = lambda *_: None  # type: ignore[method-assign]  # an aborted download is no error
    results: dict[str, Any] = {"site": SITE, "samples": SAMPLES, "mkdocs_build_s": build_s,
                               "native": native, "loadavg_1m_at_start": load_start}
    try:
        with sync_playwright() as p:
            exe = chromium_executable()
            if exe is None:
                sys.exit("no Chromium: run `make .browser`")
            kwargs: dict[str, Any] = {"args": FLAGS}
            if exe:
                kwargs["executable_path"] = exe
            browser = p.chromium.launch(**kwargs)
            version = f"Chromium {browser.version}"
            warm, _, _ = new_context(browser)  # start the browser's processes, untimed
            warm.pages[0].goto(SITE, wait_until="load")
            warm.close()
            log(f"cold boots, {SAMPLES} samples each (A bare, B {CALC_PAGE}) …")
            results["cold"] = cold_runs(browser)
            log("repeat visits …")
            results["repeat_visit"] = repeat_runs(browser)
            log("instant navigation …")
            results["instant_navigation"] = instant_navigation(browser)
            log("input latency …")
            results["input_latency"] = input_latency(browser)
            log("bytes per page …")
            results["bytes"] = {"home": page_bytes(browser, ""),
                                page_name(CALC_PAGE): page_bytes(browser, CALC_PAGE)}
            browser.close()
        results["lighthouse"] = {}
        for name, path in (("home", ""), (page_name(CALC_PAGE), CALC_PAGE)):
            if LIGHTHOUSE:
                log(f"lighthouse {name} …")
                results["lighthouse"][name] = lighthouse(path)
            else:
                results["lighthouse"][name] = {"run": False, "reason": "BENCH_LIGHTHOUSE=0"}
    finally:
        server.shutdown()
    results["machine"] = machine(version)
    results["bench_seconds"] = time.perf_counter() - t_start
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    md = table(results)
    md = re.sub(r"\n{3,}", "\n\n", md)
    (RESULTS / "latest.md").write_text("# Latest benchmark\n\n" + md)
    for readme in (ROOT / "README.md", ROOT / "bench" / "README.md"):
        show_latest(readme, md)
    print(md)
    log(f"done in {results['bench_seconds']:.0f} s; wrote bench/results/latest.{{json,md}} "
        "and the tables in README.md and bench/README.md")


def show_latest(readme: Path, md: str) -> None:
    """Put the table between the README's bench markers, so it always shows the last run."""
    start, end = "<!-- bench:latest -->", "<!-- /bench:latest -->"
    text = readme.read_text()
    if start in text and end in text:
        head, rest = text.split(start, 1)
        readme.write_text(f"{head}{start}\n{md.strip()}\n{end}{rest.split(end, 1)[1]}")


if __name__ == "__main__":
    main()
