"""Faults: each ends in a clear state with the static numbers visible, and recovers
where recovery is possible."""

from __future__ import annotations

import re

from conftest import CALCULATOR_PAGES
from playwright.sync_api import Page, Route, expect

from calculators import run

BOOT_MS = 90_000
STATIC_STEPS = run("breakeven", {})["outputs"]["breakeven_steps"]["text"]
BREAKEVEN_PAGE = CALCULATOR_PAGES["breakeven"]


def kill_python(page: Page) -> None:
    """Stop the calculators' worker from inside, as a crash would: the page is not told."""
    workers = [w for w in page.workers if w.url.endswith("/assets/calc/worker.js")]
    assert len(workers) == 1, [w.url for w in page.workers]
    workers[0].evaluate("setTimeout(() => self.close())")


def test_worker_script_failing_to_load(page: Page, site: str) -> None:
    page.route(re.compile(r".*/assets/calc/worker\.js$"), lambda route: route.abort())
    page.goto(site + BREAKEVEN_PAGE)
    root = page.locator('[data-calculator="breakeven"]')
    expect(root).to_have_attribute("data-state", "error", timeout=BOOT_MS)
    expect(root.locator("[data-status]")).to_contain_text("could not start")
    expect(root.locator('[data-output="breakeven_steps"]')).to_have_text(STATIC_STEPS)
    # The reader's input is still accepted and kept, even with no Python to run it.
    root.locator('input[name="bits_per_step"]').fill("3")
    expect(root.locator('input[name="bits_per_step"]')).to_have_value("3")


def test_worker_killed_mid_computation_recovers(page: Page, site: str) -> None:
    page.goto(site + BREAKEVEN_PAGE)
    root = page.locator('[data-calculator="breakeven"]')
    expect(root).to_have_attribute("data-state", "ready", timeout=BOOT_MS)
    # Kill the worker without telling the page, then ask for a computation: the reply
    # never comes, the 2 s limit abandons it, the reader is told, Python restarts (one
    # restart of the tab's budget).
    kill_python(page)
    field = root.locator('input[name="bits_per_step"]')
    field.fill("5")
    field.dispatch_event("change")
    expect(root.locator("[data-status]")).to_contain_text("longer than 2 seconds", timeout=10_000)
    expect(root.locator('[data-output="breakeven_steps"]')).to_have_attribute(
        "data-value", "20.0", timeout=BOOT_MS
    )
    expect(root).to_have_attribute("data-state", "ready")
    # The hostile-input tests rely on these counters to show no input hit the limit.
    stats = page.evaluate("window.calcRuntime.stats()")
    assert (stats["timeouts"], stats["restarts"], stats["boots"]) == (1, 1, 2), stats


#: Where worker.js (as shipped: bundled and minified) writes the request it hands to
#: Python. The test below makes every request overrun there, by serving a patched
#: worker.js: nothing in the shipped site can.
DOOR_CALL = "JSON.stringify({calc:"
RESTARTS = 2  # runtime.js: restarts per tab, timeouts included


def overrun_every_request(page: Page) -> None:
    """Serve worker.js with every request busy for a minute before Python sees it."""
    def patch(route: Route) -> None:
        body = route.fetch().text()
        assert body.count(DOOR_CALL) == 1, "worker.js no longer has the line this test patches"
        busy = "(()=>{for(const end=performance.now()+60000;performance.now()<end;);})()||"
        route.fulfill(body=body.replace(DOOR_CALL, DOOR_CALL.replace("(", "(" + busy)),
                      content_type="text/javascript")

    page.route(re.compile(r".*/assets/calc/worker\.js$"), patch)


def restarts(page: Page) -> tuple[int, int, int]:
    stats = page.evaluate("window.calcRuntime.stats()")
    return stats["restarts"], stats["timeouts"], stats["boots"]


def test_a_request_that_always_overruns_stops_at_the_restart_budget(page: Page, site: str
                                                                    ) -> None:
    """Each restart asks again for what the reader typed; a request that never finishes
    in time would restart Python forever. The tab's budget ends it: a clear error, the
    numbers kept, and a retry the reader reaches by keyboard."""
    overrun_every_request(page)
    page.goto(site + BREAKEVEN_PAGE)
    root = page.locator('[data-calculator="breakeven"]')
    expect(root).to_have_attribute("data-state", "ready", timeout=BOOT_MS)
    retry = root.locator('[data-action="retry"]')
    expect(retry).to_be_hidden()
    field = root.locator('input[name="bits_per_step"]')
    field.fill("5")
    field.dispatch_event("change")
    expect(root).to_have_attribute("data-state", "error", timeout=BOOT_MS)
    # The first boot, then one per restart; each asked again and overran again.
    assert restarts(page) == (RESTARTS, RESTARTS + 1, RESTARTS + 1)
    status = root.locator("[data-status]")
    expect(status).to_have_attribute("role", "status")  # announced
    expect(status).to_contain_text("Python stopped")
    expect(status).to_contain_text("longer than 2 seconds")
    expect(status).to_contain_text("Start Python again")
    expect(root.locator('[data-output="breakeven_steps"]')).to_have_text(STATIC_STEPS)
    expect(field).to_have_value("5")
    # Nothing more happens on its own: longer than a timeout and a boot took.
    page.wait_for_timeout(6_000)
    assert restarts(page) == (RESTARTS, RESTARTS + 1, RESTARTS + 1)
    expect(root).to_have_attribute("data-state", "error")
    # The reader's retry, by keyboard: Python starts again, asks again, and (the request
    # still overrunning, the budget spent) gives up after this one try.
    expect(retry).to_be_visible()
    retry.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("(n) => window.calcRuntime.stats().timeouts === n",
                           arg=RESTARTS + 2, timeout=BOOT_MS)
    expect(root).to_have_attribute("data-state", "error", timeout=BOOT_MS)
    assert restarts(page) == (RESTARTS, RESTARTS + 2, RESTARTS + 2)
    expect(retry).to_be_visible()
    expect(root.locator('[data-output="breakeven_steps"]')).to_have_text(STATIC_STEPS)


def test_slow_network_shows_progress_then_recovers(page: Page, site: str) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 150, "downloadThroughput": 2_500_000,
         "uploadThroughput": 500_000},
    )
    page.goto(site + BREAKEVEN_PAGE)
    root = page.locator('[data-calculator="breakeven"]')
    # While Python downloads: a visible progress line, and the static numbers.
    expect(root).to_have_attribute("data-state", "loading")
    expect(root.locator("[data-status]")).to_contain_text("Python starts")
    expect(root.locator('[data-output="breakeven_steps"]')).to_have_text(STATIC_STEPS)
    expect(root).to_have_attribute("data-state", "ready", timeout=BOOT_MS)


def test_tampered_wheel_is_refused(page: Page, site: str) -> None:
    """The calculators wheel must match the sha256 in pyodide-lock.json, or nothing runs."""
    def tamper(route: Route) -> None:
        body = bytearray(route.fetch().body())
        body[len(body) // 2] ^= 0xFF
        route.fulfill(body=bytes(body), content_type="application/octet-stream")

    page.route(re.compile(r".*/assets/pyodide/calculators-.*\.whl$"), tamper)
    page.goto(site + BREAKEVEN_PAGE)
    root = page.locator('[data-calculator="breakeven"]')
    expect(root).to_have_attribute("data-state", "error", timeout=BOOT_MS)
    expect(root.locator("[data-status]")).to_contain_text("failed its sha256 check")
    expect(root.locator('[data-output="breakeven_steps"]')).to_have_text(STATIC_STEPS)
