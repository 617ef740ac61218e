"""The browser measurements: cold boots (bare Pyodide and the site, on loopback and on
emulated networks), repeat visits, instant navigation, ready on arrival, recompute
latency, ranged runs and a soak.

Times are on the page's own clock (``performance.now()``, zero at navigation start),
marked by bench/js/marks.js, installed before any page script; no Playwright round trip
is inside a measured interval. The site's runtime is read only through its read-only
surface ``window.calcRuntime`` (``stats()``, ``on("state" | "reply")``). Nothing here
asserts a time.
"""

from __future__ import annotations

import glob
import json
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from playwright.sync_api import Browser, BrowserContext, Page

from bench import workload
from bench.site import BARE, Site
from bench.stats import growth_pct, summary
from bench.workload import Network, Typing

__all__ = ["BOOT_MODES", "Bench", "WorkerProbe", "script"]

JS = Path(__file__).resolve().parent / "js"
BOOT_TIMEOUT_MS = 180_000
WASM = "pyodide.asm.wasm"
WORKER = "/assets/calc/worker.js"

def _force_boot(mode: str) -> Callable[[BrowserContext], None]:
    """Make every page of the context ask for one boot: the site reads `calc-boot` from
    the page's query string (runtime.js, early-start.js), and this init script adds it
    before any of the page's own scripts runs."""
    def force(context: BrowserContext) -> None:
        context.add_init_script(
            "{const q = new URLSearchParams(location.search);"
            f"if (!q.has('calc-boot')) {{ q.set('calc-boot', '{mode}');"
            "history.replaceState(history.state, '', "
            "location.pathname + '?' + q + location.hash);}}"
        )
    return force


#: How to make the site boot Python a given way in a fresh browser context, before
#: its first page loads; None leaves the site to choose (from the memory snapshot on a
#: fast or unknown connection). `bench/run.py --boot MODE` measures cold boots in each.
BOOT_MODES: dict[str, Callable[[BrowserContext], None] | None] = {
    "default": None,
    "snapshot": _force_boot("snapshot"),
    "plain": _force_boot("plain"),
}


def script(name: str) -> str:
    """An in-page script of bench/js/, without its leading comment lines (Playwright
    recognises a function expression only at the start of the text)."""
    lines = (JS / name).read_text().splitlines()
    while lines and (lines[0].startswith("//") or not lines[0].strip()):
        lines.pop(0)
    return "\n".join(lines)


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def fetches(urls: list[str], suffix: str) -> int:
    return sum(u.endswith(suffix) for u in urls)


@dataclass
class Bench:
    """One browser and the site; every context it opens records its requests, and any
    request to another origin lands in ``foreign``."""

    browser: Browser
    site: Site
    #: Opens a persistent context (an on-disk profile in the given directory) with the
    #: given service-worker setting. Off-the-record contexts, which new_context() makes,
    #: keep no compiled-code cache: a reader's own profile does (see repeat_visit).
    launch_persistent: Callable[[Path, str], BrowserContext] | None = None
    foreign: list[str] = field(default_factory=list)

    # -- contexts and pages ---------------------------------------------------------

    def context(self, *, service_workers: str = "block", network: Network | None = None,
                boot: str = "default", profile: Path | None = None,
                ) -> tuple[BrowserContext, Page, list[str]]:
        """A fresh context (cold HTTP cache) with the marks installed, one page (settled:
        ``settled``), and the list its requests are appended to. The service worker is
        blocked unless asked for: it would otherwise fill its cache behind the
        measurements. With a profile (an empty directory), the context is a persistent
        one kept there; its first tab stays open, as other tabs do in a reader's browser
        (with no tab of the context left open between two visits, Chromium did not use
        its compiled-code cache)."""
        if profile is not None:
            if self.launch_persistent is None:
                raise RuntimeError("this Bench cannot open a persistent context")
            context = self.launch_persistent(profile, service_workers)
        else:
            context = self.browser.new_context(service_workers=service_workers)  # type: ignore[arg-type]
        context.add_init_script(script("marks.js"))
        force = BOOT_MODES[boot]
        if force is not None:
            force(context)
        requests: list[str] = []
        context.on("request", lambda r: self._record(r.url, requests))
        page = context.new_page()
        if network is not None:
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", network.conditions())
        return context, self.settled(page), requests

    @staticmethod
    def settled(page: Page) -> Page:
        """The page, once it has been open for ``workload.SETTLE_MS`` (on about:blank)."""
        page.wait_for_timeout(workload.SETTLE_MS)
        return page

    def _record(self, url: str, requests: list[str]) -> None:
        requests.append(url)
        if url.startswith(("http:", "https:", "ws:", "wss:")) and not url.startswith(
            self.site.origin + "/"
        ):
            self.foreign.append(url)

    def shared_link(self, path: str) -> str:
        """A link to a calculator page as a reader shares one: one input of each of its
        calculators away from its default (workload.RECOMPUTE's first value, after its
        preset), so that each must be computed by Python in the page. At the defaults a
        calculator keeps its build-time numbers and computes nothing when Python is
        ready: a load without a query would time Python's start, not a result."""
        query: dict[str, str] = {}
        for calc in self.site.calculators_on(path):
            typing = workload.RECOMPUTE[calc]
            query.update(typing.preset)
            query[typing.name] = typing.make(0)
        return f"{path}?{urlencode(query)}"

    def open_computed(self, page: Page, path: str) -> dict[str, Any]:
        """Open the shared link of a calculator page (``shared_link``) and wait until
        every calculator there shows Python's result; stops the run if Python answered
        fewer times than there are calculators. Returns the page's marks."""
        link = self.shared_link(path)
        marks = self.open_ready(page, link)
        replies = page.evaluate("window.__bench.replies")
        if replies < len(self.site.calculators_on(path)):
            raise RuntimeError(f"/{link}: live with {replies} Python replies, not one "
                               "per calculator: the measure would not time a result")
        return {**marks, "replies": replies}

    def open_ready(self, page: Page, link: str) -> dict[str, Any]:
        """Open a page of the site (a path, with a query string or not) and wait until it
        is ready: on a calculator page, every calculator is live (at its defaults: Python
        ready; otherwise: Python's result shown); on the bare page, `1+1` came back;
        elsewhere, the `load` event. Returns the page's marks (the bare page's report)."""
        path = link.split("?", 1)[0]
        page.goto(self.site.url + link, wait_until="commit")
        if path == BARE:
            page.wait_for_function("() => window.__bare", timeout=BOOT_TIMEOUT_MS, polling=100)
            bare: dict[str, Any] = page.evaluate("window.__bare")
            if "error" in bare:
                raise RuntimeError(f"bare boot failed: {bare['error']}")
            return bare
        if not self.site.calculators_on(path):
            page.wait_for_load_state("load")
            marks: dict[str, Any] = page.evaluate("window.__bench.marks")
            return marks
        page.wait_for_function(
            "() => window.__bench.marks.ready !== null || "
            "(window.calcRuntime && window.calcRuntime.stats().state === 'error')",
            timeout=BOOT_TIMEOUT_MS, polling=100)
        marks = page.evaluate("window.__bench.marks")
        if marks["ready"] is None:
            stats = page.evaluate("window.calcRuntime.stats()")
            raise RuntimeError(f"/{path}: Python failed to start: {stats}")
        return marks

    def stats(self, page: Page) -> dict[str, Any]:
        """window.calcRuntime.stats() of the page."""
        result: dict[str, Any] = page.evaluate("window.calcRuntime.stats()")
        return result

    # -- cold boots ------------------------------------------------------------------

    def cold_bare(self, network: Network | None) -> dict[str, Any]:
        context, page, requests = self.context(network=network)
        try:
            bare = self.open_ready(page, BARE)
            marks = page.evaluate("window.__bench.marks")
            return {"ms": bare["at"], "worker_ms": bare["workerMs"],
                    "worker_created": marks["workerCreated"],
                    "wasm_fetches": fetches(requests, WASM)}
        finally:
            context.close()

    def cold_site(self, network: Network | None, boot: str) -> dict[str, Any]:
        context, page, requests = self.context(network=network, boot=boot)
        try:
            marks = self.open_computed(page, self.site.cold_page)
            paint = page.evaluate("window.__bench.paints()")
            stats = self.stats(page)
            fcp = paint.get("first-contentful-paint")
            parsed = marks["staticParsed"]
            return {"ms": marks["ready"], "fcp": fcp, "fp": paint.get("first-paint"),
                    "static_parsed": parsed, "static_frame": marks["staticFrame"],
                    "static_at_first_paint": parsed is not None and fcp is not None
                    and parsed <= fcp,
                    "numbers_in_every_cell": marks["outputs"] > 0
                    and marks["outputsWithoutNumber"] == 0,
                    "static_element_timing": min(marks["elementTiming"], default=None),
                    "static_in_viewport": marks["staticInViewport"],
                    "loading_at": marks["loading"], "worker_created": marks["workerCreated"],
                    "worker_ready": stats["readyAt"], "worker_ready_own_ms": stats["bootMs"],
                    "restarts": stats["restarts"], "wasm_fetches": fetches(requests, WASM),
                    "replies": marks["replies"]}
        finally:
            context.close()

    def cold(self, samples: int, network: Network | None = None,
             boot: str = "default") -> dict[str, Any]:
        """Cold pairs, bare then site, each in a fresh context; ratios of medians and
        of each pair."""
        where = network.name if network else "loopback"
        bare: list[dict[str, Any]] = []
        ours: list[dict[str, Any]] = []
        for i in range(samples):
            bare.append(self.cold_bare(network))
            ours.append(self.cold_site(network, boot))
            log(f"  cold {where} #{i + 1}: bare {bare[-1]['ms']:.0f} ms, "
                f"/{self.site.cold_page} {ours[-1]['ms']:.0f} ms")
        a, b = summary(s["ms"] for s in bare), summary(s["ms"] for s in ours)
        keys = ("worker_created", "worker_ready", "worker_ready_own_ms", "fcp", "fp",
                "static_parsed", "static_frame", "static_element_timing")
        return {
            "network": network.__dict__ if network else None, "boot": boot,
            "page": self.site.cold_page,
            "bare": {"ms": a, "worker_ms": summary(s["worker_ms"] for s in bare),
                     "worker_created": summary(s["worker_created"] for s in bare)},
            "site": {"ms": b, **{k: summary(s[k] for s in ours) for k in keys},
                     "static_at_first_paint": [s["static_at_first_paint"] for s in ours],
                     "numbers_in_every_cell": [s["numbers_in_every_cell"] for s in ours],
                     "static_in_viewport": [s["static_in_viewport"] for s in ours],
                     "restarts": [s["restarts"] for s in ours],
                     "wasm_fetches": [s["wasm_fetches"] for s in ours]},
            "ratio": b["median"] / a["median"],
            "ratios_paired": [round(y["ms"] / x["ms"], 3) for x, y in zip(bare, ours, strict=True)],
            "raw": {"bare": bare, "site": ours},
        }

    # -- repeat visits ---------------------------------------------------------------

    def repeat_visit(self, service_worker: bool) -> dict[str, Any]:
        """The cold page once, then again in a new tab of the same context: a persistent
        one, as a reader's browser profile is, so that V8's compiled-code cache (which
        keeps the compiled wasm between visits) takes part; an off-the-record context has
        none. Without a way to open one, an ordinary context."""
        with tempfile.TemporaryDirectory(prefix="bench-profile-") as profile:
            return self._repeat_visit(service_worker,
                                      Path(profile) if self.launch_persistent else None)

    def _repeat_visit(self, service_worker: bool, profile: Path | None) -> dict[str, Any]:
        context, page, _ = self.context(service_workers="allow" if service_worker else "block",
                                        profile=profile)
        try:
            self.open_ready(page, self.site.cold_page)
            if service_worker:  # installed: the site is in its cache
                page.evaluate("async () => { await navigator.serviceWorker.ready; }")
            page.wait_for_timeout(workload.FIRST_VISIT_MS)
            page.close()
            page = self.settled(context.new_page())
            from_sw: list[bool] = []
            page.on("response", lambda r: from_sw.append(r.from_service_worker)
                    if r.url.endswith(WASM) else None)
            marks = self.open_computed(page, self.site.cold_page)
            return {"ms": marks["ready"], "wasm_from_sw": from_sw,
                    "profile": "persistent" if profile else "off-the-record"}
        finally:
            context.close()

    def repeat(self, samples: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, sw in (("http_cache", False), ("service_worker", True)):
            runs = [self.repeat_visit(sw) for _ in range(samples)]
            out[name] = {"ms": summary(r["ms"] for r in runs),
                         "wasm_from_sw": [r["wasm_from_sw"] for r in runs],
                         "profile": runs[0]["profile"]}
            log(f"  repeat visit, {name}: median {out[name]['ms']['median']:.0f} ms")
        return out

    # -- navigation ------------------------------------------------------------------

    def hop(self, page: Page, target: str) -> dict[str, Any]:
        """Click the navigation link to ``target``; time until its calculators are ready."""
        result: dict[str, Any] = page.evaluate(script("navigate.js"), {
            "wanted": self.site.url + target, "ids": list(self.site.calculators_on(target))})
        if result.get("ms") is None:
            raise RuntimeError(f"navigation to /{target} failed: {result.get('error')}")
        result["target"] = target
        return result

    def instant_navigation(self, hops: int = workload.NAV_HOPS) -> dict[str, Any]:
        """Hops between two calculator pages in one tab, with one worker."""
        there, back = self.site.cold_page, self.site.hop_page
        context, page, requests = self.context()
        try:
            self.open_ready(page, back)
            wasm_before = fetches(requests, WASM)
            done = []
            for i in range(hops):
                n = len(requests)
                result = self.hop(page, there if i % 2 == 0 else back)
                result["requests"] = [u.removeprefix(self.site.url) for u in requests[n:]]
                done.append(result)
                log(f"  instant nav -> /{result['target']}: {result['ms']:.0f} ms")
            stats = self.stats(page)
            return {"from": back, "to": there, "ms": summary(h["ms"] for h in done),
                    "swapped_ms": summary(h["swappedMs"] for h in done),
                    "wasm_fetched_again": fetches(requests, WASM) > wasm_before,
                    "boots": stats["boots"], "restarts": stats["restarts"],
                    "hops": done}
        finally:
            context.close()

    def arrival(self, source: str, target: str,
                wait_ms: int = workload.ARRIVAL_WAIT_MS) -> dict[str, Any]:
        """A reader spends ``wait_ms`` on ``source`` (fresh context, loaded), then follows
        the navigation link to ``target``: time from the click to every calculator there
        holding a Python result, and whether Python booted a second time."""
        context, page, requests = self.context()
        try:
            page.goto(self.site.url + source, wait_until="load")
            page.wait_for_timeout(wait_ms)
            result = self.hop(page, target)
            wasm = fetches(requests, WASM)
            result.update(source=source, waited_ms=wait_ms, wasm_fetches=wasm,
                          second_boot=result["bootsAfter"] > 1 or wasm > 1)
            log(f"  arrival /{source} (+{wait_ms / 1000:.0f} s) -> /{target}: "
                f"{result['ms']:.0f} ms (Python was {result['stateBefore']} at the click)")
            return result
        finally:
            context.close()

    def arrivals(self, source: str, target: str,
                 samples: int = workload.ARRIVAL_SAMPLES) -> dict[str, Any]:
        """``arrival`` ``samples`` times: the sample with the median time, with every
        sample's time (``samples_ms``) and a second boot if any sample had one."""
        runs = [self.arrival(source, target) for _ in range(samples)]
        middle = sorted(runs, key=lambda r: r["ms"])[(len(runs) - 1) // 2]
        return {**middle, "samples_ms": [r["ms"] for r in runs],
                "second_boot": any(r["second_boot"] for r in runs)}

    # -- input latency, ranged runs --------------------------------------------------

    def type_values(self, page: Page, calc: str, typing: Typing,
                    values: list[str]) -> dict[str, Any]:
        """Type each value into the calculator's field (bench/js/latency.js)."""
        r: dict[str, Any] = page.evaluate(script("latency.js"), {
            "calc": calc, "field": typing.name, "output": typing.output, "values": values,
            "preset": typing.preset})
        return r

    def latency(self, calc: str) -> dict[str, Any]:
        """Point recomputes and 10,000-sample ranged runs of one calculator, on its page."""
        point, ranged = workload.RECOMPUTE[calc], workload.RANGED[calc]
        context, page, _ = self.context()
        try:
            self.open_ready(page, self.site.page_of(calc))
            r = self.type_values(page, calc, point, point.values(workload.RECOMPUTE_SAMPLES))
            out: dict[str, Any] = {
                "page": self.site.page_of(calc), "field": point.name,
                "point": {**summary(r["times"]), "to_reply": summary(r["worker"]),
                          "reply_to_dom": summary(r["main"]), "to_frame": summary(r["framed"]),
                          "status": r["status"], "stale": r["stale"]}}
            ranges = ranged.values(workload.RANGED_SAMPLES)
            r = self.type_values(page, calc, ranged, ranges)
            out["ranged"] = {"field": ranged.name, "values": ranges, **summary(r["times"]),
                             "to_reply": summary(r["worker"]), "status": r["status"],
                             "stale": r["stale"]}
            out["restarts"], out["timeouts"] = r["restarts"], r["timeouts"]
            log(f"  {calc}: recompute p95 {out['point'].get('p95', float('nan')):.1f} ms, "
                f"10,000-sample range median {out['ranged'].get('median', float('nan')):.0f} ms")
            return out
        finally:
            context.close()

    # -- soak ------------------------------------------------------------------------

    def soak(self, plan: workload.Soak = workload.SOAK) -> dict[str, Any]:
        """Many recomputes, then many ranged runs, in one tab; the worker's memory read
        after each chunk."""
        calc = plan.calc
        context, page, _ = self.context()
        try:
            self.open_ready(page, self.site.page_of(calc))
            probe = WorkerProbe(self.browser, context, page)
            readings: list[dict[str, Any]] = []
            times: list[float | None] = []
            ranged_times: list[float | None] = []
            point, ranged = workload.RECOMPUTE[calc], workload.RANGED[calc]
            for start in range(0, plan.recomputes, plan.chunk):
                n = min(plan.chunk, plan.recomputes - start)
                times += self.type_values(page, calc, point, point.values(n, start))["times"]
                readings.append({"recomputes": start + n, "ranged": 0, **probe.read(),
                                 **self.stats(page)})
            step = max(1, plan.chunk // 4)
            for start in range(0, plan.ranged, step):
                n = min(step, plan.ranged - start)
                ranged_times += self.type_values(page, calc, ranged,
                                                 ranged.values(n, start))["times"]
                readings.append({"recomputes": plan.recomputes, "ranged": start + n,
                                 **probe.read(), **self.stats(page)})
            last = readings[-1]
            heap = growth_pct([r["worker_heap"] for r in readings])
            rss = growth_pct([r["process_rss"] for r in readings])
            out = {"calc": calc, "page": self.site.page_of(calc), "plan": plan.__dict__,
                   "readings": readings, "worker_heap_growth_pct": heap,
                   "process_rss_growth_pct": rss, "restarts": last["restarts"],
                   "timeouts": last["timeouts"], "boots": last["boots"],
                   "recompute": summary(times), "ranged_runs": summary(ranged_times),
                   "unanswered": sum(t is None for t in times + ranged_times),
                   "memory_source": probe.source}
            log(f"  soak: worker heap {heap if heap is None else round(heap, 1)} %, process "
                f"{rss if rss is None else round(rss, 1)} %, restarts {last['restarts']}, "
                f"timeouts {last['timeouts']}")
            return out
        finally:
            context.close()


class WorkerProbe:
    """The calculators' worker seen through Chromium's debugging protocol (the page
    cannot measure it: performance.measureUserAgentSpecificMemory needs cross-origin
    isolation, which the site does not have): the worker's JS heap after a garbage
    collection (Runtime.getHeapUsage), and the resident memory of the renderer process
    that runs it, Pyodide's WebAssembly memory included (from /proc, on Linux; the
    process is the one renderer with a DedicatedWorker thread, so only this tab's
    context may be open)."""

    def __init__(self, browser: Browser, context: BrowserContext, page: Page) -> None:
        self.page = page
        self.cdp = context.new_cdp_session(page)
        self.replies: dict[int, dict[str, Any]] = {}
        self.workers: dict[str, str] = {}  # url -> session id
        self.next_id = 0
        self.cdp.on("Target.attachedToTarget", lambda e: self.workers.__setitem__(
            e["targetInfo"]["url"], e["sessionId"]))
        self.cdp.on("Target.receivedMessageFromTarget", self._reply)
        self.cdp.send("Target.setAutoAttach", {
            "autoAttach": True, "waitForDebuggerOnStart": False, "flatten": False})
        for _ in range(100):
            if any(u.endswith(WORKER) for u in self.workers):
                break
            page.wait_for_timeout(50)
        self.session = next((s for u, s in self.workers.items() if u.endswith(WORKER)), None)
        self.pid = self._renderer_pid(browser)
        self.source = {"worker_heap": "CDP Runtime.getHeapUsage after HeapProfiler."
                       "collectGarbage" if self.session else "no worker target",
                       "process_rss": f"/proc/{self.pid}/status VmRSS" if self.pid
                       else "renderer not identified"}

    def _reply(self, event: dict[str, Any]) -> None:
        message = json.loads(event["message"])
        if "id" in message:
            self.replies[message["id"]] = message

    def _send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any] | None:
        if self.session is None:
            return None
        self.next_id += 1
        key = self.next_id
        self.cdp.send("Target.sendMessageToTarget", {"sessionId": self.session, "message":
                      json.dumps({"id": key, "method": method, "params": params or {}})})
        for _ in range(400):
            if key in self.replies:
                result: dict[str, Any] | None = self.replies.pop(key).get("result")
                return result
            self.page.wait_for_timeout(25)
        return None

    @staticmethod
    def _renderer_pid(browser: Browser) -> int | None:
        cdp = browser.new_browser_cdp_session()
        try:
            processes = cdp.send("SystemInfo.getProcessInfo")["processInfo"]
        finally:
            cdp.detach()
        found = []
        for p in processes:
            if p["type"] != "renderer":
                continue
            threads = glob.glob(f"/proc/{p['id']}/task/*/comm")
            if any(Path(t).read_text().strip().startswith("DedicatedWorker") for t in threads):
                found.append(p["id"])
        return found[0] if len(found) == 1 else None

    def read(self) -> dict[str, int | None]:
        """The worker's JS heap (bytes, after a collection) and its process's RSS (bytes)."""
        self._send("HeapProfiler.collectGarbage")
        usage = self._send("Runtime.getHeapUsage")
        rss = None
        if self.pid is not None:
            try:
                for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        rss = int(line.split()[1]) * 1024
            except OSError:
                rss = None
        return {"worker_heap": usage["usedSize"] if usage else None, "process_rss": rss}
