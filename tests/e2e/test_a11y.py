"""Accessibility: axe-core on every page and calculator state, keyboard, phone, motion.

axe-core comes bundled with axe-playwright-python (offline). It is injected with
Playwright's evaluate, which a page's Content-Security-Policy does not block.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import CALC_PAGE_PATHS, CALCULATOR_PAGES, PAGES, ROOT, NewContext, calculators_on
from playwright.sync_api import Page, expect
from test_live import output, ready, same_value, settle, type_into

from calculators import CALCULATORS, run

AXE = Axe()
SCHEMES = {"light": "default", "dark": "slate"}
RESULTS = ROOT / "test-results"


def axe_violations(page: Page) -> list[str]:
    """Every axe-core violation on the page, one readable line each."""
    found: list[str] = []
    for v in AXE.run(page).response["violations"]:
        targets = [n["target"] for n in v["nodes"]][:5]
        summary = v["nodes"][0].get("failureSummary", "").replace("\n", " ")[:300]
        found.append(f"{v['id']} ({v['impact']}) at {targets}: {summary}")
    return found


def use_scheme(page: Page, scheme: str) -> None:
    """Follow the system palette (the first palette option is "(prefers-color-scheme)")."""
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[scheme])


def check(page: Page, where: str, problems: list[str]) -> None:
    problems.extend(f"{where}: {v}" for v in axe_violations(page))


# ---------------------------------------------------------------------------
# axe-core
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_axe_every_page_static(new_context: NewContext, site: str, scheme: str) -> None:
    """Every page with the calculators in their prerendered, static state."""
    context = new_context(service_workers="block", color_scheme=scheme)
    context.route(re.compile(r".*/assets/calc/app\.js$"), lambda route: route.abort())
    page = context.new_page()
    problems: list[str] = []
    for path in PAGES:
        page.goto(site + path)
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[scheme])
        for calc_id in calculators_on(path):
            root = page.locator(f'[data-calculator="{calc_id}"]')
            expect(root).to_have_attribute("data-state", "static")
        check(page, f"{scheme} /{path}", problems)
    context.close()
    assert not problems, "\n".join(problems)


def test_axe_every_page_without_script_files(new_context: NewContext, site: str) -> None:
    """No script file loads (neither the theme's bundle nor the calculators').

    Not java_script_enabled=False: axe itself needs JavaScript in the page.
    """
    context = new_context(service_workers="block")
    context.route(
        "**/*",
        lambda route: route.abort() if route.request.resource_type == "script"
        else route.continue_(),
    )
    page = context.new_page()
    problems: list[str] = []
    for path in PAGES:
        page.goto(site + path)
        check(page, f"no script /{path}", problems)
    context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", CALC_PAGE_PATHS)
def test_axe_calculators_ready_ranged_and_stale(
    new_context: NewContext, site: str, path: str,
) -> None:
    """Each calculator page, live: ready, with a sampled range, and stale after junk."""
    context = new_context(service_workers="block", color_scheme="light")
    page = context.new_page()
    page.goto(site + path)
    calcs = calculators_on(path)
    for calc_id in calcs:
        ready(page, calc_id)
    problems: list[str] = []
    for scheme in SCHEMES:
        use_scheme(page, scheme)
        check(page, f"ready {scheme} /{path}", problems)

    for calc_id in calcs:  # a range shows the percentiles and the histogram chart
        real = next(f for f in CALCULATORS[calc_id].fields if f.kind == "real")
        type_into(page, calc_id, real.name, "1 to 3")
        settle(page, calc_id)
        dist = page.locator(f'[data-calculator="{calc_id}"] [data-chart="distribution"]')
        expect(dist).to_be_visible()
    for scheme in SCHEMES:
        use_scheme(page, scheme)
        check(page, f"ranged {scheme} /{path}", problems)

    for calc_id in calcs:
        first = CALCULATORS[calc_id].fields[0].name
        type_into(page, calc_id, first, "banana")
        settle(page, calc_id)
        root = page.locator(f'[data-calculator="{calc_id}"]')
        expect(root.locator("[data-results]")).to_have_attribute("data-stale", "")
        expect(root.locator(f'[data-error-for="{first}"]')).not_to_be_empty()
    for scheme in SCHEMES:
        use_scheme(page, scheme)
        check(page, f"stale {scheme} /{path}", problems)
    context.close()
    assert not problems, "\n".join(problems)


def test_axe_calculators_in_error_state(new_context: NewContext, site: str) -> None:
    """Python blocked from starting: every calculator says so, in both palettes."""
    context = new_context(service_workers="block", color_scheme="light")
    context.route(re.compile(r".*pyodide\.asm\.wasm$"), lambda route: route.abort())
    page = context.new_page()
    problems: list[str] = []
    for path in CALC_PAGE_PATHS:
        page.goto(site + path)
        for calc_id in calculators_on(path):
            root = page.locator(f'[data-calculator="{calc_id}"]')
            expect(root).to_have_attribute("data-state", "error", timeout=90_000)
        for scheme in SCHEMES:
            use_scheme(page, scheme)
            check(page, f"error {scheme} /{path}", problems)
        page.emulate_media(color_scheme="light")
    context.close()
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------
# Keyboard
# ---------------------------------------------------------------------------

DESCRIBE_FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const root = el.closest('[data-calculator]');
  const style = getComputedStyle(el);
  const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
    || style.boxShadow !== 'none';
  const box = el.getBoundingClientRect();
  return {
    calc: root ? root.dataset.calculator : null,
    tag: el.tagName.toLowerCase(),
    name: el.getAttribute('name'),
    action: el.dataset.action || null,
    label: el.getAttribute('aria-label') || el.textContent.trim().slice(0, 60),
    ring,
    onScreen: box.width > 0 && box.height > 0 && box.right > 0 && box.left < innerWidth,
  };
}"""


def focused(page: Page) -> dict[str, Any] | None:
    return page.evaluate(DESCRIBE_FOCUS)  # type: ignore[no-any-return]


def key(item: dict[str, Any]) -> str:
    if item["name"]:
        return f"input:{item['name']}"
    if item["action"]:
        return f"{item['tag']}:{item['action']}"
    return f"{item['tag']}:{item['label']}"


def walk(page: Page, calc_id: str, step: str) -> list[dict[str, Any]]:
    """Press `step` until focus leaves the calculator; every stop must show a ring."""
    stops: list[dict[str, Any]] = []
    for _ in range(60):
        page.keyboard.press(step)
        item = focused(page)
        if item is None or item["calc"] != calc_id:
            return stops
        assert item["ring"], f"focus not visible on {key(item)}"
        assert item["onScreen"], f"focused but off screen: {key(item)}"
        stops.append(item)
    raise AssertionError("focus never left the calculator")


def test_keyboard_walk_through_a_calculator(page: Page, site: str) -> None:
    calc_id = "frames"
    page.goto(site + CALCULATOR_PAGES[calc_id])
    ready(page, calc_id)
    root = page.locator(f'[data-calculator="{calc_id}"]')
    fields = [f.name for f in CALCULATORS[calc_id].fields]
    # Start on the element just before the calculator: its title paragraph is not
    # focusable, so put the sequential-focus starting point there with a click-free
    # focus on a temporary tabindex.
    page.evaluate(
        """(id) => { const t = document.getElementById(`calc-${id}-title`);
        t.tabIndex = -1; t.focus(); }""",
        calc_id,
    )
    forward = [key(s) for s in walk(page, calc_id, "Tab")]
    # The cases to try, the inputs, their folded explanations, the actions, then every
    # result folded: the answer itself (the headline) is text read before all of them.
    expected_start = (
        [f"button:{p.label}" for p in CALCULATORS[calc_id].presets]
        + [f"input:{n}" for n in fields]
        + ["summary:What the inputs mean", "button:copy-link", "button:reset",
           "button:scale", "button:compare", "button:download-json", "button:download-csv",
           "summary:All results"]
    )
    assert forward[: len(expected_start)] == expected_start
    rest = forward[len(expected_start):]
    # Then, per visible chart: its skip link, the chart, the data table's summary;
    # last, the link to the Python source.
    charts = root.locator("[data-chart]:not([hidden])").count()
    assert len(rest) == 3 * charts + 1, rest
    for i in range(charts):
        assert rest[3 * i].startswith("a:Skip the chart"), rest
        assert rest[3 * i + 1].startswith("div:Chart:"), rest
        assert rest[3 * i + 2].startswith("summary:Data table"), rest
    assert rest[-1] == "a:show-python", rest

    # Shift+Tab walks the same stops in reverse.
    page.locator(f'[data-calculator="{calc_id}"] [data-action="show-python"]').focus()
    backward = [key(s) for s in walk(page, calc_id, "Shift+Tab")]
    assert backward == list(reversed(forward[:-1]))

    # The chart skip link jumps past the chart and its table.
    skip = root.locator("a.calc__skip").first
    skip.focus()
    assert focused(page)["ring"]  # type: ignore[index]
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"#calc-{calc_id}-[a-z]+-end$"))
    # The target takes focus (tabindex=-1), so the next Tab starts after the chart.
    page.wait_for_function("() => document.activeElement.id.endsWith('-end')")
    page.keyboard.press("Tab")
    after = focused(page)
    assert after is not None and key(after) == rest[3], after  # the next chart, or the source

    # The data table opens with Enter and with Space, and is reachable once open.
    summary = root.locator("[data-chart] details > summary").first
    details = root.locator("[data-chart] details").first
    summary.focus()
    page.keyboard.press("Enter")
    expect(details).to_have_attribute("open", "")
    page.keyboard.press("Space")
    expect(details).not_to_have_attribute("open", "")
    page.keyboard.press("Space")
    expect(details).to_have_attribute("open", "")
    page.keyboard.press("Tab")
    table = focused(page)
    assert table is not None and table["label"].startswith("Data table"), table
    expect(root.locator("[data-chart-table] table").first).to_be_visible()

    # Typing a new value and leaving the field with Tab recomputes.
    root.locator('input[name="beta"]').focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("20")
    page.keyboard.press("Tab")
    settle(page, calc_id)
    expected = run(calc_id, {"beta": "20"})["outputs"]
    for name, out in expected.items():
        assert same_value(output(page, calc_id, name), out["value"]), name


# ---------------------------------------------------------------------------
# Phone
# ---------------------------------------------------------------------------


def test_phone_viewport_no_sideways_scroll_and_usable_forms(
    new_context: NewContext, site: str,
) -> None:
    context = new_context(
        service_workers="block",
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    RESULTS.mkdir(exist_ok=True)
    problems: list[str] = []
    for path in PAGES:
        page.goto(site + path)
        for calc_id in calculators_on(path):
            ready(page, calc_id)
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if widths[0] > widths[1]:
            wide = page.evaluate(
                """() => [...document.querySelectorAll('body *')].filter((e) => {
                  const r = e.getBoundingClientRect();
                  if (!(r.right > document.documentElement.clientWidth + 1 && r.width > 0)) {
                    return false;
                  }
                  for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
                    if (getComputedStyle(a).overflowX !== 'visible') return false;
                  }
                  return true;
                }).slice(0, 5).map((e) => `${e.tagName} in ${e.parentElement.className}`)"""
            )
            problems.append(f"/{path}: scrollWidth {widths[0]} > {widths[1]}: {wide}")
        for calc_id in calculators_on(path):
            root = page.locator(f'[data-calculator="{calc_id}"]')
            for control in root.locator("input[name], [data-actions] button").all():
                control.scroll_into_view_if_needed()
                box = control.bounding_box()
                assert box is not None
                label = control.get_attribute("name") or control.text_content()
                if box["height"] < 44 or box["x"] < 0 or box["x"] + box["width"] > 390:
                    problems.append(f"/{path} {calc_id} {label}: {box}")
            root.screenshot(path=str(RESULTS / f"phone-{calc_id}.png"))
        name = path.strip("/") or "home"
        page.screenshot(path=str(RESULTS / f"phone-page-{name}.png"))
    # A field on a phone: tap, type, and the result follows.
    page.goto(site + CALCULATOR_PAGES["breakeven"])
    ready(page, "breakeven")
    field = page.locator('[data-calculator="breakeven"] input[name="bits_per_step"]')
    field.tap()
    field.fill("4")
    field.dispatch_event("change")
    settle(page, "breakeven")
    assert output(page, "breakeven", "breakeven_steps") == "25.0"
    context.close()
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------
# Motion
# ---------------------------------------------------------------------------


def test_reduced_motion_is_honoured(new_context: NewContext, site: str) -> None:
    context = new_context(service_workers="block", reduced_motion="reduce")
    page = context.new_page()
    page.goto(site + CALCULATOR_PAGES["breakeven"])
    ready(page, "breakeven")
    moving = page.evaluate(
        """() => {
          const seconds = (v) => Math.max(...v.split(',').map((s) => parseFloat(s) || 0));
          const out = [];
          const els = document.querySelectorAll(
            '.calc, .calc *, .md-button, .md-progress, .md-top, a, summary, details');
          for (const el of els) {
            const s = getComputedStyle(el);
            const t = seconds(s.transitionDuration) + seconds(s.transitionDelay);
            const a = s.animationName !== 'none'
              ? seconds(s.animationDuration) * (s.animationIterationCount === 'infinite' ? 1e9 : 1)
              : 0;
            if (t > 0.01 || a > 0.01) out.push(`${el.tagName}.${el.className}: t=${t} a=${a}`);
          }
          return out.slice(0, 10);
        }"""
    )
    assert moving == []
    assert page.evaluate("matchMedia('(prefers-reduced-motion: reduce)').matches")
    context.close()


def test_chart_meaning_not_by_colour_alone(page: Page, site: str) -> None:
    """Each chart has a text alternative (its data table) and text labels in the SVG."""
    for calc_id, path in sorted(CALCULATOR_PAGES.items()):
        page.goto(site + path)
        root = page.locator(f'[data-calculator="{calc_id}"]')
        for figure in root.locator("[data-chart]:not([hidden])").all():
            svg = figure.locator("svg.calc-svg")
            assert svg.locator("text").count() > 0, calc_id
            assert figure.locator("[data-chart-table] table").count() == 1, calc_id

