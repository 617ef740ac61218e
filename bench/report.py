"""The benchmark's report: each design target with the figure measured for it and its
status (bench/targets.py), then the other measurements; written to bench/results and
between the ``bench:latest`` markers of bench/README.md, the one place it is shown.
The top README carries one line of it (``summary``) between its ``bench:summary``
markers.

>>> ms({"n": 3, "median": 12.3, "min": 10.0, "max": 20.0})
'12 ms (min 10, max 20, n=3)'
>>> ms({"n": 0}), kb(1536)
('—', '1.5 KB')
"""

from __future__ import annotations

import datetime
import os
import platform
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.stats import growth_pct
from bench.targets import TARGETS
from bench.workload import SOAK

__all__ = ["MARKERS", "SUMMARY_MARKERS", "figures", "machine", "markdown", "show_latest",
           "summary"]

R = dict[str, Any]
MARKERS = ("<!-- bench:latest -->", "<!-- /bench:latest -->")
SUMMARY_MARKERS = ("<!-- bench:summary -->", "<!-- /bench:summary -->")


def ms(s: R) -> str:
    if not s.get("n"):
        return "—"
    return f"{s['median']:.0f} ms (min {s['min']:.0f}, max {s['max']:.0f}, n={s['n']})"


def kb(n: float) -> str:
    return f"{n / 1024:.1f} KB"


def _cold(r: R, network: str) -> R | None:
    found: R | None = r.get("cold", {}).get(f"{network}/default")
    return found


def _max(values: list[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return max(kept) if kept else None


def _min(values: list[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return min(kept) if kept else None


def _lighthouse(r: R, category: str) -> float | None:
    return _min([lh.get(category) for lh in r.get("lighthouse", {}).values() if lh.get("run")])


def figures(r: R) -> dict[str, float | None]:
    """The figure each target is judged on (None: not measured in this run)."""
    loop, mbit50, mbit10 = _cold(r, "loopback"), _cold(r, "50mbit"), _cold(r, "10mbit")
    arrival, latency, soak = r.get("arrival"), r.get("latency"), r.get("soak")
    pages, repeat = r.get("pages"), r.get("repeat")
    at_paint = loop["site"].get("numbers_in_every_cell", []) if loop else []
    out: dict[str, float | None] = {
        "cold_ratio_loopback": loop["ratio"] if loop else None,
        "cold_ratio_50mbit": mbit50["ratio"] if mbit50 else None,
        "cold_ratio_10mbit_worst": max(mbit10["ratios_paired"]) if mbit10 else None,
        "default_numbers_at_first_paint": sum(at_paint) / len(at_paint) if at_paint else None,
        "arrival_ms_worst": _max([a["ms"] for a in arrival]) if arrival else None,
        "arrival_second_boots": sum(a["second_boot"] for a in arrival) if arrival else None,
        "repeat_ratio": (repeat["service_worker"]["ms"]["median"] / loop["bare"]["ms"]["median"]
                         if repeat and loop else None),
        "recompute_p95_ms": _max([c["point"].get("p95") for c in latency.values()])
        if latency else None,
        "range_ms_worst": _max([c["ranged"].get("median") for c in latency.values()])
        if latency else None,
        "soak_memory_growth_pct": _max(list(_soak_growth(soak).values())) if soak else None,
        "soak_restarts": soak["restarts"] + soak["timeouts"] if soak else None,
        "foreign_requests": len(r["foreign"]) if "foreign" in r else None,
        "page_weight_kb_worst": _max([p["weight"]["without_pyodide"]["gzip"] / 1024
                                      for p in pages.values()]) if pages else None,
        "own_js_css_kb_worst": _max([p["weight"]["own_js_css"]["gzip"] / 1024
                                     for p in pages.values()]) if pages else None,
        "axe_violations": sum(len(p["axe"]) for p in pages.values()) if pages else None,
        "lighthouse_a11y": _lighthouse(r, "accessibility"),
        "lighthouse_perf": _lighthouse(r, "performance"),
    }
    assert out.keys() == TARGETS.keys(), "every target needs its figure"
    return out


# ---------------------------------------------------------------------------------
# What the "Measured" column says for each target
# ---------------------------------------------------------------------------------
def _cold_detail(c: R | None) -> str:
    if not c:
        return "not run"
    pairs = c["ratios_paired"]
    return (f"/{c['page']} {c['site']['ms']['median']:.0f} ms vs bare "
            f"{c['bare']['ms']['median']:.0f} ms (medians of {c['site']['ms']['n']} pairs; "
            f"pairs {min(pairs):.2f}–{max(pairs):.2f})")


def _arrival_detail(r: R) -> str:
    parts = []
    for a in r.get("arrival") or []:
        each = ", ".join(f"{x:.0f}" for x in a.get("samples_ms", []))
        parts.append(f"/{a['source']} → /{a['target']}: {a['ms']:.0f} ms"
                     + (f" (median of {each})" if each else "")
                     + f" (Python {a['stateBefore']} at the click; boots {a['bootsAfter']}, "
                     f"wasm fetched {a['wasm_fetches']}x)")
    return "; ".join(parts) or "not run"


def _latency_detail(r: R, key: str, stat: str) -> str:
    lat = r.get("latency")
    if not lat:
        return "not run"
    return "; ".join(f"{c} {s[key].get(stat, float('nan')):.1f}" for c, s in lat.items()) + " ms"


def _soak_warm(s: R) -> list[R]:
    """The soak's readings from the end of its warm-up on (``workload.Soak.warmup``; a
    result stored before the plan named it has the default); all of them when the soak
    was too short to warm up."""
    warmup = s.get("plan", {}).get("warmup", SOAK.warmup)
    return [r for r in s["readings"] if r["recomputes"] >= warmup] or s["readings"]


def _soak_growth(s: R) -> dict[str, float | None]:
    """Growth of the worker's JS heap and of its process, from the end of the warm-up to
    the last reading."""
    warm = _soak_warm(s)
    return {key: growth_pct([r[key] for r in warm]) for key in ("worker_heap", "process_rss")}


def _soak_detail(r: R) -> str:
    s = r.get("soak")
    if not s:
        return "not run"
    first, last = _soak_warm(s)[0], s["readings"][-1]
    grown = _soak_growth(s)

    def mb(v: int | None) -> str:
        return "?" if v is None else f"{v / 2**20:.1f} MB"

    def pct(v: float | None) -> str:
        return "?" if v is None else f"{v:+.1f} %"

    return (f"{s['calc']}, from the reading after {first['recomputes']} recomputes: worker "
            f"JS heap {mb(first['worker_heap'])} → {mb(last['worker_heap'])} "
            f"({pct(grown['worker_heap'])}); its process {mb(first['process_rss'])} → "
            f"{mb(last['process_rss'])} ({pct(grown['process_rss'])}); from the first "
            f"reading (after {s['readings'][0]['recomputes']}): "
            f"{pct(s['worker_heap_growth_pct'])} and {pct(s['process_rss_growth_pct'])}; "
            f"recompute p95 "
            f"{s['recompute'].get('p95', float('nan')):.1f} ms over "
            f"{s['recompute']['n']}")


def _pages_detail(r: R, pick: Callable[[R], float]) -> str:
    pages = r.get("pages")
    if not pages:
        return "not run"
    worst = max(pages, key=lambda p: pick(pages[p]))
    best = min(pages, key=lambda p: pick(pages[p]))
    return (f"heaviest /{worst} {kb(pick(pages[worst]))}, lightest /{best} "
            f"{kb(pick(pages[best]))} ({len(pages)} pages)")


def _lighthouse_detail(r: R, category: str) -> str:
    runs = r.get("lighthouse", {})
    done = {p: lh for p, lh in runs.items() if lh.get("run")}
    if not done:
        reasons = {lh.get("reason") for lh in runs.values()}
        return "not run: " + "; ".join(sorted(str(x) for x in reasons)) if runs else "not run"
    worst = sorted(done, key=lambda p: done[p][category])[:3]
    text = ", ".join(f"/{p} {done[p][category]}" for p in worst)
    missing = len(runs) - len(done)
    return (f"lowest: {text} ({len(done)} pages"
            + (f"; {missing} did not run" if missing else "") + ")")


def _details(r: R) -> dict[str, str]:
    soak = r.get("soak") or {}
    pages = r.get("pages") or {}
    axe = [f"/{p}: {v}" for p, page in pages.items() for v in page["axe"]]
    loop = _cold(r, "loopback")
    at_paint = loop["site"].get("numbers_in_every_cell", []) if loop else []
    before = loop["site"]["static_at_first_paint"] if loop else []
    fcp = loop["site"]["fcp"] if loop else {}
    parsed = loop["site"]["static_parsed"] if loop else {}
    rep = r.get("repeat")
    return {
        "cold_ratio_loopback": _cold_detail(loop),
        "cold_ratio_50mbit": _cold_detail(_cold(r, "50mbit")),
        "cold_ratio_10mbit_worst": _cold_detail(_cold(r, "10mbit")),
        "default_numbers_at_first_paint":
            f"{sum(at_paint)} of {len(at_paint)}; the first number parsed at {ms(parsed)}, "
            f"first contentful paint {ms(fcp)} (after the first number in "
            f"{sum(before)} of {len(before)})" if loop else "not run",
        "arrival_ms_worst": _arrival_detail(r),
        "arrival_second_boots": str(sum(a["second_boot"] for a in r["arrival"]))
        if r.get("arrival") else "not run",
        "repeat_ratio": (f"service worker {ms(rep['service_worker']['ms'])}; HTTP cache only "
                         f"{ms(rep['http_cache']['ms'])}") if rep else "not run",
        "recompute_p95_ms": "p95: " + _latency_detail(r, "point", "p95"),
        "range_ms_worst": "medians: " + _latency_detail(r, "ranged", "median"),
        "soak_memory_growth_pct": _soak_detail(r),
        "soak_restarts": (f"restarts {soak['restarts']}, abandoned {soak['timeouts']}, "
                          f"boots {soak['boots']}, unanswered {soak['unanswered']}")
        if soak else "not run",
        "foreign_requests": (", ".join(sorted(set(r["foreign"])))[:300] or "none")
        if "foreign" in r else "not run",
        "page_weight_kb_worst": _pages_detail(r, lambda p: p["weight"]["without_pyodide"]["gzip"]),
        "own_js_css_kb_worst": _pages_detail(r, lambda p: p["weight"]["own_js_css"]["gzip"]),
        "axe_violations": ("; ".join(axe)[:400] or "none") if pages else "not run",
        "lighthouse_a11y": _lighthouse_detail(r, "accessibility"),
        "lighthouse_perf": _lighthouse_detail(r, "performance"),
    }


def _value(key: str, value: float | None) -> str:
    """The figure, as the target states its limit: **0.93x**, **12.4 ms**, **0**."""
    if value is None:
        return "—"
    t = TARGETS[key]
    return f"**{value:.{t.digits}f}{t.unit}**"


# ---------------------------------------------------------------------------------
# The other measurements (no target of their own)
# ---------------------------------------------------------------------------------
def _more(r: R) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for key, c in r.get("cold", {}).items():
        s, b = c["site"], c["bare"]
        rows.append((f"Cold, {key}: bare boot (navigation → `1+1`) / site (→ every "
                     f"calculator on /{c['page']} computed)", f"{ms(b['ms'])} / {ms(s['ms'])}"))
        rows.append((f"… where the time goes, {key} (medians): site worker created / Python + "
                     "wheel + bridge ready / all results; bare worker created / boot in it",
                     f"{s['worker_created'].get('median', 0):.0f} / "
                     f"{s['worker_ready'].get('median', 0):.0f} / {s['ms']['median']:.0f} ms; "
                     f"{b['worker_created'].get('median', 0):.0f} / "
                     f"{b['worker_ms'].get('median', 0):.0f} ms"))
    loop = _cold(r, "loopback")
    if loop:
        rows.append(("First contentful paint, cold, loopback", ms(loop["site"]["fcp"])))
    rep = r.get("repeat")
    if rep:
        hits = [bool(x) and all(x) for x in rep["service_worker"]["wasm_from_sw"]]
        where = ("same on-disk profile" if rep["service_worker"].get("profile") == "persistent"
                 else "same context")
        rows.append((f"Repeat visit (new tab, {where}) → all computed: HTTP cache only / "
                     "service worker", f"{ms(rep['http_cache']['ms'])} / "
                     f"{ms(rep['service_worker']['ms'])}; Pyodide from the service worker in "
                     f"{sum(hits)} of {len(hits)}"))
    nav = r.get("instant_navigation")
    if nav:
        again = nav["wasm_fetched_again"] or nav["boots"] != 1 or nav["restarts"]
        rows.append((f"Instant navigation /{nav['from']} ↔ /{nav['to']} → ready "
                     f"({len(nav['hops'])} hops, one tab)",
                     f"{ms(nav['ms'])}; new page in the DOM after "
                     f"{nav['swapped_ms'].get('median', 0):.0f} ms (median); Python booted "
                     f"again: {'yes' if again else 'no'}"))
    for calc, c in (r.get("latency") or {}).items():
        p = c["point"]
        rows.append((f"Input → output, {p['n']} changes of {calc}.{c['field']} (/{c['page']})",
                     f"p50 {p['median']:.1f}, p95 {p['p95']:.1f}, max {p['max']:.1f} ms; reply "
                     f"arrives p50 {p['to_reply'].get('median', 0):.1f} / p95 "
                     f"{p['to_reply'].get('p95', 0):.1f}; next frame starts p50 "
                     f"{p['to_frame'].get('median', 0):.1f}"))
        g = c["ranged"]
        rows.append((f"10,000-sample range, {calc}.{g['field']} ({g['n']} ranges)",
                     ms(g) + (" (stale: an error!)" if g.get("stale") else "")))
    for path, page in (r.get("pages") or {}).items():
        k = page["weight"]["by_kind"]
        parts = ", ".join(f"{n} {kb(k[n]['gzip'])}" for n in
                          ("html", "own", "theme", "katex", "other", "pyodide") if n in k)
        rows.append((f"Bytes, /{path} (gzip, by kind)", parts))
    for path, lh in (r.get("lighthouse") or {}).items():
        if lh.get("run"):
            m = lh["metrics_ms"]
            rows.append((f"Lighthouse {lh['version']} ({lh['form_factor']}), /{path}: "
                         "performance / accessibility",
                         f"{lh['performance']} / {lh['accessibility']} (LCP "
                         f"{m.get('largest-contentful-paint', 0):.0f} ms, TBT "
                         f"{m.get('total-blocking-time', 0):.0f} ms"
                         + (f"; performance in each run: "
                            f"{', '.join(str(x) for x in lh['performance_runs'])}"
                            if lh.get("performance_runs") else "") + ")"))
    if "mkdocs_build_s" in r:
        rows.append(("`mkdocs build` wall time", f"{r['mkdocs_build_s']:.1f} s"))
    return rows


def markdown(r: R) -> str:
    """The report: the targets' table, the other measurements, the native timings."""
    m = r["machine"]
    got = figures(r)
    detail = _details(r)
    lines = [
        f"Machine: {m['nproc']} cores, {m['cpu']}; {m['chromium']}; {m['date']}; load average "
        f"(1 min) {r['loadavg_1m_at_start']:.1f} at start, {m['loadavg_1m_at_end']:.1f} at "
        f"end; loopback, served under `{r['base']}`; the whole run took "
        f"{r['bench_seconds']:.0f} s. Targets: `bench/targets.py` (the design's).",
        "",
        "| Design target | Measured | Limit | Status |",
        "|---|---|---|---|",
    ]
    for key, t in TARGETS.items():
        lines.append(f"| {t.design} | {_value(key, got[key])}: {detail[key]} | {t.text} "
                     f"| {t.status(got[key])} |")
    lines += ["", "| Other measurements | Measured |", "|---|---|"]
    lines += [f"| {what} | {value} |" for what, value in _more(r)]
    if r.get("native"):
        lines += ["", "Native timings of the package (bench/bench_native.py, CPython):", "",
                  "```", r["native"].rstrip(), "```"]
    return "\n".join(lines) + "\n"


def summary(r: R) -> str:
    """One line for the top README: how many of the design's targets the run met, and
    the figure of each it did not.

    >>> import json; r = json.loads((Path(__file__).parent / "results" / "latest.json").read_text())
    >>> line = summary(r)
    >>> line.startswith(f"The latest full run ({r['machine']['date']}, "), len(line.splitlines())
    (True, 1)
    """
    got = figures(r)
    missed = [f"{t.design}: {_value(key, got[key])} against {t.text}"
              for key, t in TARGETS.items() if t.status(got[key]) != "met"]
    line = (f"The latest full run ({r['machine']['date']}, {r['machine']['nproc']} cores) "
            f"met {len(TARGETS) - len(missed)} of the design's {len(TARGETS)} targets")
    if missed:
        line += "; not met: " + "; ".join(missed)
    return line + ". Every figure, and how each is measured: [bench/README.md](bench/README.md)."


def machine(browser_version: str) -> R:
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


def show_latest(readme: Path, md: str, markers: tuple[str, str] = MARKERS) -> bool:
    """Put ``md`` between the README's bench markers; False if it has none."""
    start, end = markers
    text = readme.read_text()
    if start not in text or end not in text:
        return False
    head, rest = text.split(start, 1)
    readme.write_text(f"{head}{start}\n{md.strip()}\n{end}{rest.split(end, 1)[1]}")
    return True
