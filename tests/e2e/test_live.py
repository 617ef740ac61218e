"""The calculators live in the page: Python in a worker, bound to the static forms."""

from __future__ import annotations

import re

import pytest
from conftest import (
    CALCULATOR_PAGES,
    LINK,
    NewContext,
    Watch,
    calculators_on,
    nav_link,
    svg_text_fit,
)
from playwright.sync_api import Page, expect

from calculators import CALCULATORS, run
from calculators.cli import same_value as same_value  # Pyodide against CPython: replay's rule

BOOT_MS = 90_000  # a cold Pyodide boot on a loaded 2-core machine; a ceiling, not a target
BREAKEVEN_PAGE = CALCULATOR_PAGES["breakeven"]


def ready(page: Page, calc_id: str) -> None:
    expect(page.locator(f'[data-calculator="{calc_id}"]')).to_have_attribute(
        "data-state", "ready", timeout=BOOT_MS
    )


def output(page: Page, calc_id: str, key: str) -> str:
    cell = page.locator(f'[data-calculator="{calc_id}"] [data-output="{key}"]')
    return cell.get_attribute("data-value") or ""


def type_into(page: Page, calc_id: str, name: str, text: str) -> None:
    field = page.locator(f'[data-calculator="{calc_id}"] input[name="{name}"]')
    field.fill(text)
    field.dispatch_event("change")


def expect_output(page: Page, calc_id: str, key: str, value: str) -> None:
    cell = page.locator(f'[data-calculator="{calc_id}"] [data-output="{key}"]')
    expect(cell).to_have_attribute("data-value", value)


def settle(page: Page, calc_id: str) -> None:
    """Wait until the newest input has been computed."""
    root = page.locator(f'[data-calculator="{calc_id}"]')
    expect(root).not_to_have_attribute("data-state", "busy")
    expect(root).to_have_attribute("data-state", "ready")


@pytest.mark.parametrize("calc_id", sorted(CALCULATOR_PAGES))
def test_static_then_ready_with_python_results(
    page: Page, watch: Watch, site: str, calc_id: str
) -> None:
    page.goto(site + CALCULATOR_PAGES[calc_id])
    ready(page, calc_id)
    reply = run(calc_id, {})
    for key, out in reply["outputs"].items():
        assert same_value(output(page, calc_id, key), out["value"]), key
    expect(page.locator(f'[data-calculator="{calc_id}"] [data-status]')).to_contain_text(
        "Python is ready"
    )
    # The head script started the worker; runtime.js adopted it: one boot.
    assert watch.count("pyodide.asm.wasm") == 1
    assert watch.count("/calc/worker.js") == 1
    stats = page.evaluate("window.calcRuntime.stats()")
    assert (stats["state"], stats["boots"], stats["restarts"]) == ("ready", 1, 0), stats
    assert watch.errors == []
    assert watch.foreign() == []


@pytest.mark.parametrize("calc_id", sorted(CALCULATOR_PAGES))
def test_each_field_change_and_bad_input(page: Page, site: str, calc_id: str) -> None:
    """Every field: a valid change gives CPython's answer; junk gives the field's error."""
    page.goto(site + CALCULATOR_PAGES[calc_id])
    ready(page, calc_id)
    root = page.locator(f'[data-calculator="{calc_id}"]')
    good_values = {"count": "2^20", "real": "3", "probability": "0.3"}
    for f in CALCULATORS[calc_id].fields:
        type_into(page, calc_id, f.name, good_values[f.kind])
        settle(page, calc_id)
        expected = run(calc_id, {f.name: good_values[f.kind]})
        if expected["ok"]:
            for key, out in expected["outputs"].items():
                assert same_value(output(page, calc_id, key), out["value"]), (f.name, key)
        before = {k: output(page, calc_id, k) for k in expected.get("outputs", {})}
        type_into(page, calc_id, f.name, "banana")
        settle(page, calc_id)
        field = root.locator(f'input[name="{f.name}"]')
        expect(field).to_have_attribute("aria-invalid", "true")
        message = run(calc_id, {f.name: "banana"})["errors"][f.name]
        expect(root.locator(f'[data-error-for="{f.name}"]')).to_have_text(message)
        expect(field).to_have_value("banana")  # what the reader typed is kept
        expect(root.locator("[data-results]")).to_have_attribute("data-stale", "")
        assert {k: output(page, calc_id, k) for k in before} == before  # last good stays
        type_into(page, calc_id, f.name, f.default)
        settle(page, calc_id)
        expect(field).not_to_have_attribute("aria-invalid", "true")
        expect(root.locator("[data-results]")).not_to_have_attribute("data-stale", "")


def test_breakeven_updates_outputs_chart_and_prose(page: Page, site: str) -> None:
    page.goto(site + BREAKEVEN_PAGE)
    ready(page, "breakeven")
    curve = page.locator('[data-calculator="breakeven"] [data-chart="curve"] svg.calc-svg')
    svg_before = curve.inner_html()
    type_into(page, "breakeven", "prior_ratio", "2^300")
    settle(page, "breakeven")
    assert float(output(page, "breakeven", "breakeven_steps")) == 300.0
    svg_after = curve.inner_html()
    assert svg_after != svg_before
    expected = run("breakeven", {"prior_ratio": "2^300"})["outputs"]["breakeven_steps"]["text"]
    for quote in page.locator('[data-quote="breakeven.breakeven_steps"]').all():
        expect(quote).to_have_attribute("data-text", expected)


def test_range_input_shows_percentiles_and_histogram(page: Page, site: str) -> None:
    page.goto(site + BREAKEVEN_PAGE)
    ready(page, "breakeven")
    dist = page.locator('[data-calculator="breakeven"] [data-chart="distribution"]')
    expect(dist).to_be_hidden()  # no range, no spread to show
    type_into(page, "breakeven", "prior_ratio", "2^50 to 2^150")
    settle(page, "breakeven")
    expected = run("breakeven", {"prior_ratio": "2^50 to 2^150"})
    assert expected["ranged"]
    cell = page.locator('[data-calculator="breakeven"] [data-output="breakeven_steps"]')
    expect(cell).to_have_attribute("data-text", expected["outputs"]["breakeven_steps"]["text"])
    expect(dist).to_be_visible()
    expect(dist.locator("svg.calc-svg")).to_have_count(1)
    # On a desktop screen every chart shows whole, with no sideways scrolling.
    for box in page.locator("[data-chart]:not([hidden]) [data-chart-svg]").all():
        assert box.evaluate("e => e.scrollWidth <= e.clientWidth"), box


@pytest.mark.parametrize("width", [390, 1280])
def test_every_chart_fits_its_column_with_legible_text(
    new_context: NewContext, site: str, width: int,
) -> None:
    # Charts are fluid: on a phone as on a desktop, no text is cut off at an edge, no
    # chart scrolls sideways, and text keeps its size (it is not scaled down to fit).
    context = new_context(viewport={"width": width, "height": 900},
                          service_workers="block")
    page = context.new_page()
    cases = [("restaurants", {"chinese_count": "1e15", "noise": "0.001"}),
             ("breakeven", {"prior_ratio": "2^50 to 2^150"}),
             ("counting-odds", {"schemer_count": "2^-1e6"}),
             ("frames", {})]
    for calc_id, inputs in cases:
        path = CALCULATOR_PAGES[calc_id]
        if page.url.split("?")[0] != site + path:
            page.goto(site + path)
        ready(page, calc_id)
        for name, text in inputs.items():
            type_into(page, calc_id, name, text)
        settle(page, calc_id)
        root = f'[data-calculator="{calc_id}"]'
        charts = page.locator(f"{root} [data-chart]:not([hidden]) svg.calc-svg")
        assert charts.count() >= 1
        for svg in charts.all():
            report = svg_text_fit(svg)
            holder = svg.locator("xpath=ancestor::*[@data-chart-svg][1]")
            report["scrolls"] = holder.evaluate("e => e.scrollWidth > e.clientWidth")
            where = (width, calc_id)
            assert report["bad"] == [], where
            assert not report["scrolls"], where
            assert report["smallest"] >= 11, where
        # The theme centres a figure's content; a chart's data-table toggle lines up
        # with the calculator's other toggles instead.
        for summary in page.locator(f"{root} [data-chart]:not([hidden]) summary").all():
            assert summary.evaluate("e => getComputedStyle(e).textAlign") == "start", where
    context.close()


def test_url_round_trip_back_forward_and_reset(page: Page, site: str) -> None:
    page.goto(site + BREAKEVEN_PAGE)
    ready(page, "breakeven")
    type_into(page, "breakeven", "bits_per_step", "2")
    settle(page, "breakeven")
    assert "bits_per_step=2" in page.url and LINK in page.url
    assert "prior_ratio" not in page.url  # only values that differ from the defaults
    type_into(page, "breakeven", "bits_per_step", "4")
    settle(page, "breakeven")
    link = page.url

    # A fresh tab with the link sees exactly what the sender saw.
    other = page.context.new_page()
    other.goto(link)
    ready(other, "breakeven")
    bits = '[data-calculator="breakeven"] input[name="bits_per_step"]'
    expect(other.locator(bits)).to_have_value("4")
    expect_output(other, "breakeven", "breakeven_steps", "25.0")
    other.close()

    page.go_back()
    expect(page.locator(bits)).to_have_value("2")
    expect_output(page, "breakeven", "breakeven_steps", "50.0")
    page.go_forward()
    expect(page.locator(bits)).to_have_value("4")
    expect_output(page, "breakeven", "breakeven_steps", "25.0")

    root = page.locator('[data-calculator="breakeven"]')
    root.get_by_role("button", name="Reset to the defaults").click()
    expect(root.locator('input[name="bits_per_step"]')).to_have_value("1")
    expect_output(page, "breakeven", "breakeven_steps", "100.0")
    assert "bits_per_step" not in page.url


def test_hostile_query_values_are_field_errors(page: Page, watch: Watch, site: str) -> None:
    hostile = "<img src=x onerror=window.__pwned=1>"
    page.goto(site + BREAKEVEN_PAGE + f"?{LINK}&prior_ratio=" + hostile.replace(" ", "%20"))
    ready(page, "breakeven")
    field = page.locator('[data-calculator="breakeven"] input[name="prior_ratio"]')
    expect(field).to_have_value(hostile)
    expect(field).to_have_attribute("aria-invalid", "true")
    assert page.evaluate("window.__pwned") is None
    assert page.locator('[data-calculator="breakeven"] img').count() == 0


def test_instant_navigation_keeps_one_python(page: Page, watch: Watch, site: str) -> None:
    start, target = CALCULATOR_PAGES["counting-odds"], BREAKEVEN_PAGE
    assert start != target, "this test follows a link between two calculator pages"
    page.goto(site + start)
    for calc_id in calculators_on(start):
        ready(page, calc_id)
    nav_link(page, target).click()
    page.wait_for_url(site + target)
    for calc_id in calculators_on(target):
        ready(page, calc_id)
    assert watch.count("pyodide.asm.wasm") == 1
    stats = page.evaluate("window.calcRuntime.stats()")
    assert (stats["boots"], stats["restarts"]) == (1, 0), stats
    type_into(page, "breakeven", "bits_per_step", "10")
    settle(page, "breakeven")
    assert float(output(page, "breakeven", "breakeven_steps")) == 10.0


def test_runtime_surface_reads_but_cannot_change_the_runtime(page: Page, site: str) -> None:
    """Tests and the benchmark see the runtime through window.calcRuntime: stats() and
    events, and nothing that could change it."""
    page.goto(site + BREAKEVEN_PAGE)
    ready(page, "breakeven")
    unknown = page.evaluate("""() => {
      window.__seen = [];
      // A listener that throws is reported, and stops nothing.
      window.calcRuntime.on("reply", () => { throw new Error("a broken listener"); });
      window.calcRuntime.on("reply",
        (r) => window.__seen.push(["reply", typeof r.rid, r.id === r.rid]));
      window.calcRuntime.on("state", (s) => window.__seen.push(["state", s.state]));
      try { window.calcRuntime.on("no-such-event", () => {}); } catch (e) { return e.message; }
    }""")
    assert unknown == "no such runtime event: no-such-event"
    type_into(page, "breakeven", "bits_per_step", "2")
    settle(page, "breakeven")
    expect_output(page, "breakeven", "breakeven_steps", run("breakeven", {"bits_per_step": "2"})[
        "outputs"]["breakeven_steps"]["value"])
    seen = page.evaluate("window.__seen")
    assert seen and all(event == ["reply", "number", True] for event in seen), seen
    surface = page.evaluate("""() => {
      const surface = window.calcRuntime;
      const stats = surface.stats();
      stats.state = "error";
      stats.timeouts = 99;
      try { surface.stats = () => ({}); } catch { /* frozen: refused */ }
      return { frozen: Object.isFrozen(surface), keys: Object.keys(surface).sort(),
               stats: surface.stats() };
    }""")
    assert surface["frozen"] and surface["keys"] == ["on", "stats"], surface
    stats = surface["stats"]
    assert (stats["state"], stats["timeouts"], stats["boots"], stats["pending"]) == (
        "ready", 0, 1, 0), stats
    assert stats["readyAt"] > 0 and stats["bootMs"] > 0, stats


def test_pyodide_blocked_gives_error_with_static_numbers(
    page: Page, site: str
) -> None:
    page.route(re.compile(r".*pyodide\.asm\.wasm$"), lambda route: route.abort())
    page.goto(site + BREAKEVEN_PAGE + f"?{LINK}&bits_per_step=5")
    root = page.locator('[data-calculator="breakeven"]')
    expect(root).to_have_attribute("data-state", "error", timeout=BOOT_MS)
    expect(root.locator("[data-status]")).to_contain_text("could not start")
    expected = run("breakeven", {})["outputs"]["breakeven_steps"]
    expect(root.locator('[data-output="breakeven_steps"]')).to_have_attribute(
        "data-text", expected["text"])
    # The link's inputs were never computed: the static results say they are stale.
    expect(root.locator('input[name="bits_per_step"]')).to_have_value("5")
    expect(root.locator("[data-results]")).to_have_attribute("data-stale", "")
    # ...while the essay's own values are not marked stale.
    other = page.context.new_page()
    other.route(re.compile(r".*pyodide\.asm\.wasm$"), lambda route: route.abort())
    other.goto(site + BREAKEVEN_PAGE)
    other_root = other.locator('[data-calculator="breakeven"]')
    expect(other_root).to_have_attribute("data-state", "error", timeout=BOOT_MS)
    expect(other_root.locator("[data-results]")).not_to_have_attribute("data-stale", "")


def test_copy_link_and_downloads(new_context: NewContext, site: str) -> None:
    context = new_context(
        service_workers="block", permissions=["clipboard-read", "clipboard-write"]
    )
    page = context.new_page()
    page.goto(site + BREAKEVEN_PAGE + f"?{LINK}&bits_per_step=5")
    ready(page, "breakeven")
    root = page.locator('[data-calculator="breakeven"]')
    root.get_by_role("button", name="Copy link").click()
    expect(root.locator("[data-status]")).to_contain_text("Link copied")
    assert "bits_per_step=5" in page.evaluate("navigator.clipboard.readText()")
    with page.expect_download() as info:
        root.get_by_role("button", name="Download CSV").click()
    csv = open(info.value.path()).read()  # noqa: SIM115
    assert '"output","breakeven_steps","20.0"' in csv
    with page.expect_download() as info:
        root.get_by_role("button", name="Download JSON").click()
    assert '"bits_per_step": "5"' in open(info.value.path()).read()  # noqa: SIM115
    root.get_by_role("link", name="Show the Python").click()
    expect(root.locator("[data-python]")).to_contain_text("def ")
    context.close()


