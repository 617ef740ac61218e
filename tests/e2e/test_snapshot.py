"""Python from the build's memory snapshot: the fast boot, each way it can fail (and the
plain boot that then runs), the policy that picks one, and the warm-up that starts Python
on pages without a calculator so that the next calculator page is ready on arrival.

`window.calcRuntime.stats()` says how Python started: `boot` ("snapshot" | "plain") and
`bootReason`. The page's `calc-boot` query parameter forces either boot.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import struct
from collections.abc import Callable
from typing import Any

import pytest
from conftest import (
    CALC_PAGE_PATHS,
    PAGES,
    SITE_DIR,
    NewContext,
    Watch,
    calculators_on,
    nav_link,
    until,
)
from playwright.sync_api import BrowserContext, Page, Route
from test_live import output, ready, same_value, settle, type_into

from calculators import run

BOOT_S = 90  # a ceiling for a cold boot on a loaded 2-core machine, not a target
PYODIDE = SITE_DIR / "assets" / "pyodide"
MANIFEST: dict[str, Any] = json.loads((PYODIDE / "snapshot.json").read_text())
SNAPSHOT = re.compile(r".*/assets/pyodide/snapshot-[0-9a-f]+\.csn\.gz$")
SNAPSHOT_MANIFEST = re.compile(r".*/assets/pyodide/snapshot\.json$")
CALC = "breakeven"
CALC_PAGE = next(p for p in CALC_PAGE_PATHS if CALC in calculators_on(p))
#: A page without a calculator (its navigation links to CALC_PAGE).
PLAIN_PAGE = next(p for p in PAGES if not calculators_on(p))


def stats(page: Page) -> dict[str, Any]:
    return page.evaluate("window.calcRuntime.stats()")  # type: ignore[no-any-return]


def started(page: Page) -> dict[str, Any]:
    """The runtime's stats once Python is ready (or has failed for good)."""
    page.wait_for_function(
        "() => window.calcRuntime && ['ready', 'error'].includes(window.calcRuntime.stats().state)",
        timeout=BOOT_S * 1000)
    return stats(page)


def after_ready(page: Page, ms: int) -> None:
    """Wait until ``ms`` of the page's time have passed since Python was ready. Only for
    what must not happen then (a check that it does not needs a window: nothing signals
    that it never will)."""
    page.wait_for_function(
        f"() => performance.now() > window.calcRuntime.stats().readyAt + {ms}", polling=100)


#: The snapshot's prefetch starts this long after ready (snapshot.js, ``prefetch``), and
#: a second more lets its request reach the test.
PREFETCH_MS = 2000 + 1000


def computes_like_cpython(page: Page) -> None:
    """A point, then a ranged input (which needs random and hashlib), checked against the
    package under CPython."""
    inputs: dict[str, str] = {}
    for name, text in (("bits_per_step", "3"), ("prior_ratio", "2^90 to 2^110")):
        inputs[name] = text
        type_into(page, CALC, name, text)
        settle(page, CALC)
        expected = run(CALC, inputs)["outputs"]
        for key, out in expected.items():
            assert same_value(output(page, CALC, key), out["value"]), (inputs, key)


def test_boots_from_the_snapshot_and_computes_like_cpython(
    page: Page, watch: Watch, site: str
) -> None:
    page.goto(site + CALC_PAGE)
    ready(page, CALC)
    now = stats(page)
    assert (now["boot"], now["bootReason"]) == ("snapshot", "fast or unknown connection"), now
    assert (now["boots"], now["restarts"]) == (1, 0), now
    computes_like_cpython(page)
    # One download of each; the standard library comes after Python is ready.
    assert watch.count(MANIFEST["file"]) == 1 and watch.count("pyodide.asm.wasm") == 1
    until(page, "python_stdlib.zip requested", lambda: watch.count("python_stdlib.zip"))
    assert watch.count("python_stdlib.zip") == 1
    assert watch.errors == [] and watch.foreign() == []


def _damage(body: bytes) -> bytes:
    bad = bytearray(body)
    bad[len(bad) // 2] ^= 0xFF
    return bytes(bad)


def _recompress(body: bytes, change: Callable[[bytearray], None]) -> bytes:
    packed = bytearray(gzip.decompress(body))
    change(packed)
    return gzip.compress(bytes(packed), 9)


def _stale(packed: bytearray) -> None:
    """A well-formed container with other contents: only the sha256 can tell."""
    packed[len(packed) // 2] ^= 0x01


def _other_build(packed: bytearray) -> None:
    """Another Pyodide build's snapshot: its build id (raw bytes 16-48, in the first run
    of the container) differs; Pyodide refuses it while restoring."""
    (runs,) = struct.unpack_from("<I", packed, 16)
    (first,) = struct.unpack_from("<I", packed, 20)
    assert first == 0, "the raw snapshot's header is the container's first run"
    packed[20 + 8 * runs + 16] ^= 0x01


FAULTS: dict[str, tuple[Callable[[Route], None] | None, Callable[[Route], None] | None, str]] = {
    # name: (route for the snapshot, route for its manifest, what the reason names)
    "missing": (lambda route: route.fulfill(status=404, body="not found"), None, "HTTP 404"),
    "no manifest": (None, lambda route: route.fulfill(status=404, body="not found"),
                    "no snapshot (snapshot.json: HTTP 404)"),
    "corrupted byte": (lambda route: route.fulfill(body=_damage(route.fetch().body())), None,
                       "the snapshot failed: "),
    "stale (hash mismatch)": (
        lambda route: route.fulfill(body=_recompress(route.fetch().body(), _stale)), None,
        "its sha256 is not the manifest's"),
}


def _restore_failure(page: Page) -> None:
    """A snapshot that passes every check of ours but that Pyodide cannot restore: its
    manifest rewritten to match."""
    body = _recompress((PYODIDE / MANIFEST["file"]).read_bytes(), _other_build)
    packed = gzip.decompress(body)
    manifest = dict(MANIFEST, gz_sha256=hashlib.sha256(body).hexdigest(),
                    packed_sha256=hashlib.sha256(packed).hexdigest())
    page.route(SNAPSHOT, lambda route: route.fulfill(body=body))
    page.route(SNAPSHOT_MANIFEST, lambda route: route.fulfill(
        body=json.dumps(manifest), content_type="application/json"))


@pytest.mark.parametrize("fault", [*FAULTS, "restore failure"])
def test_every_snapshot_fault_falls_back_to_the_plain_boot(
    page: Page, watch: Watch, site: str, fault: str
) -> None:
    if fault == "restore failure":
        _restore_failure(page)
        reason = "build id mismatch"
    else:
        snapshot, manifest, reason = FAULTS[fault]
        if snapshot:
            page.route(SNAPSHOT, snapshot)
        if manifest:
            page.route(SNAPSHOT_MANIFEST, manifest)
    page.goto(site + CALC_PAGE)
    ready(page, CALC)
    now = stats(page)
    assert now["boot"] == "plain" and reason in now["bootReason"], now
    # The fallback is inside the same worker: no crash, no restart.
    assert (now["boots"], now["restarts"]) == (1, 0), now
    computes_like_cpython(page)
    assert [e for e in watch.errors if "404" not in e] == []


def test_the_early_worker_downloads_at_once_and_starts_python_on_the_pages_word(
    page: Page, site: str
) -> None:
    """The worker the <head> starts (early-start.js) is held: it downloads the wasm, the
    snapshot and Pyodide's script whole, and spends no CPU on Python until the page says
    START (which runtime.js does when it adopts it; here the page's scripts are kept
    out, and the test says it)."""
    finished: list[str] = []
    page.on("requestfinished", lambda r: finished.append(r.url))
    page.route(re.compile(r".*/assets/calc/app\.js$"), lambda route: route.abort())
    page.goto(site + CALC_PAGE)
    until(page, "the snapshot, pyodide.asm.wasm and pyodide.asm.mjs downloaded", lambda: (
        any(SNAPSHOT.match(u) for u in finished)
        and any(u.endswith("/pyodide.asm.wasm") for u in finished)
        and any(u.endswith("/pyodide.asm.mjs") for u in finished)), BOOT_S)
    # A window in which a worker that did start would be ready (a snapshot boot takes
    # about a second once started): nothing signals that a held worker stays held.
    page.wait_for_timeout(2000)
    said = page.evaluate("window.__calcEarly.messages.map(([m]) => m.type)")
    assert "ready" not in said and "fatal" not in said, said
    page.evaluate("window.__calcEarly.worker.postMessage({type: 'start'})")
    page.wait_for_function(
        "() => window.__calcEarly.messages.some(([m]) => m.type === 'ready' || m.type === 'fatal')",
        timeout=BOOT_S * 1000)
    ready_message = page.evaluate(
        "window.__calcEarly.messages.map(([m]) => m).find((m) => m.type === 'ready')")
    assert ready_message and ready_message["boot"]["path"] == "snapshot", ready_message
    for name in ("pyodide.asm.wasm", "pyodide.asm.mjs"):
        # Pyodide's own fetch and import were answered with what the held worker got
        assert len([u for u in finished if u.endswith(f"/{name}")]) == 1, finished


def test_forced_plain_boot_never_fetches_the_snapshot(page: Page, watch: Watch, site: str) -> None:
    page.goto(site + CALC_PAGE + "?calc-boot=plain")
    ready(page, CALC)
    now = stats(page)
    assert (now["boot"], now["bootReason"]) == ("plain", "forced"), now
    computes_like_cpython(page)
    after_ready(page, PREFETCH_MS)
    assert watch.count("snapshot.json") == 0 and watch.count(".csn.gz") == 0


def save_data(page: Page) -> None:
    """Emulate the reader's Save-Data preference (navigator.connection.saveData)."""
    page.context.new_cdp_session(page).send("Emulation.setDataSaverOverride",
                                            {"dataSaverEnabled": True})


def slow_network(page: Page) -> None:
    """A connection the Network Information API calls 3g (its round trip time), with
    bandwidth enough to keep the test short."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 450, "downloadThroughput": 50e6 / 8,
        "uploadThroughput": 10e6 / 8})


def test_save_data_boots_plain_and_fetches_no_snapshot(page: Page, site: str) -> None:
    save_data(page)
    # Looking it up in the cache is a request too; one that is answered is a download.
    answered: list[str] = []
    page.on("response", lambda r: answered.append(r.url) if SNAPSHOT.match(r.url) else None)
    page.goto(site + CALC_PAGE)
    ready(page, CALC)
    assert page.evaluate("navigator.connection.saveData") is True
    now = stats(page)
    assert (now["boot"], now["bootReason"]) == ("plain", "Save-Data"), now
    after_ready(page, PREFETCH_MS)
    assert answered == []


def test_slow_connection_boots_plain_then_prefetches_for_the_next_visit(
    context: BrowserContext, site: str
) -> None:
    first = context.new_page()
    slow_network(first)
    fetched: list[str] = []
    first.on("requestfinished", lambda r: fetched.append(r.url) if SNAPSHOT.match(r.url) else None)
    first.goto(site + CALC_PAGE)
    assert first.evaluate("navigator.connection.effectiveType") == "3g"
    now = started(first)
    assert (now["state"], now["boot"]) == ("ready", "plain"), now
    assert now["bootReason"] == "slow connection", now
    until(first, "the snapshot prefetched", lambda: fetched, 60)
    assert len(fetched) == 1, fetched  # the snapshot, fetched in idle time after ready
    # The next visit, as slow: the snapshot is cached, so it boots from it.
    second = context.new_page()
    slow_network(second)
    second.goto(site + CALC_PAGE)
    now = started(second)
    assert (now["state"], now["boot"], now["bootReason"]) == ("ready", "snapshot", "cached"), now
    computes_like_cpython(second)


def test_warm_up_makes_the_next_calculator_page_ready_on_arrival(
    page: Page, watch: Watch, site: str
) -> None:
    page.goto(site + PLAIN_PAGE)
    assert page.locator("[data-calculator]").count() == 0
    now = started(page)  # started in idle time, after load
    assert (now["state"], now["boot"], now["boots"]) == ("ready", "snapshot", 1), now
    # Every state any calculator takes from now on, with the page clock's time.
    page.evaluate("""() => {
      window.__states = [];
      new MutationObserver((records) => {
        for (const r of records) {
          const el = r.target;
          if (el.matches && el.matches('[data-calculator]')) {
            window.__states.push([el.dataset.calculator, el.dataset.state, performance.now()]);
          }
          for (const n of r.addedNodes || []) {
            if (n.querySelectorAll) for (const c of n.querySelectorAll('[data-calculator]')) {
              window.__states.push([c.dataset.calculator, c.dataset.state, performance.now()]);
            }
          }
        }
      }).observe(document, {subtree: true, childList: true, attributes: true,
                            attributeFilter: ['data-state']});
    }""")
    page.evaluate("""() => document.addEventListener(
      'click', (e) => { window.__clicked = e.timeStamp; }, {capture: true, once: true})""")
    nav_link(page, CALC_PAGE).click()
    page.wait_for_url(site + CALC_PAGE)
    for calc_id in calculators_on(CALC_PAGE):
        ready(page, calc_id)
    states = page.evaluate("window.__states")
    # Ready the moment the calculator was mounted: it never waited for Python.
    assert states and not [s for s in states if s[1] in ("loading", "error")], states
    ready_at = max(t for _, state, t in states if state == "ready")
    clicked = page.evaluate("window.__clicked")
    print(f"ready on arrival: {ready_at - clicked:.0f} ms after the click")
    now = stats(page)
    assert (now["boots"], now["restarts"]) == (1, 0), now
    assert watch.count("pyodide.asm.wasm") == 1 and watch.count("/calc/worker.js") == 1
    computes_like_cpython(page)


def not_warmed_up(page: Page, watch: Watch) -> None:
    # A window: the warm-up would start within the idle callback's 2 s limit after
    # load (app.js, ``warmUp``); a second more lets the worker's request reach the test.
    page.wait_for_function("() => performance.now() > "
                           "(performance.getEntriesByType('navigation')[0].loadEventEnd || "
                           "Infinity) + 3000", polling=100)
    assert stats(page)["state"] == "idle"
    assert watch.count("/calc/worker.js") == 0 and watch.count("pyodide.asm.wasm") == 0


def test_no_warm_up_under_save_data(page: Page, watch: Watch, site: str) -> None:
    save_data(page)
    page.goto(site + PLAIN_PAGE)
    not_warmed_up(page, watch)


HIDDEN = """() => {
  window.__hidden = true;
  Object.defineProperty(Document.prototype, 'visibilityState',
                        {configurable: true, get: () => window.__hidden ? 'hidden' : 'visible'});
  Object.defineProperty(Document.prototype, 'hidden',
                        {configurable: true, get: () => window.__hidden});
}"""


def test_no_warm_up_in_a_hidden_tab_until_it_is_shown(page: Page, watch: Watch, site: str) -> None:
    # Headless tabs are always visible: the Page Visibility API is emulated.
    page.add_init_script(f"({HIDDEN})()")
    page.goto(site + PLAIN_PAGE)
    not_warmed_up(page, watch)
    page.evaluate("""() => {
      window.__hidden = false;
      document.dispatchEvent(new Event('visibilitychange'));
    }""")
    now = started(page)
    assert (now["state"], now["boots"]) == ("ready", 1), now


def test_service_worker_caches_the_snapshot_for_offline_boots(
    new_context: NewContext, site: str,
) -> None:
    context = new_context(service_workers="allow")
    try:
        page = context.new_page()
        page.goto(site + CALC_PAGE)
        ready(page, CALC)
        names = page.evaluate(
            "async () => { await navigator.serviceWorker.ready; return caches.keys(); }")
        urls = page.evaluate("async (n) => (await (await caches.open(n)).keys()).map(r => r.url)",
                             names[0])
        base = site + "assets/pyodide/"
        assert {base + MANIFEST["file"], base + "snapshot.json"} <= set(urls)
        context.set_offline(True)
        second = context.new_page()
        second.goto(site + CALC_PAGE)
        now = started(second)
        assert (now["state"], now["boot"]) == ("ready", "snapshot"), now
        computes_like_cpython(second)
    finally:
        context.close()
