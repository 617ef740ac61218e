"""Your reading: inputs set on three pages appear on one page, as the CLI computes them;
its link reproduces it in a fresh context; clearing it leaves nothing stored."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import CALCULATOR_PAGES, ROOT, NewContext, Watch, nav_link
from playwright.sync_api import Page, expect
from test_live import ready, settle, type_into

BOOT_MS = 120_000


def numbers(page: Page) -> dict[str, str]:
    """Every number the page shows with its raw value, by part and role."""
    out = {}
    for part in page.locator("[data-reading-part]").all():
        pid = part.get_attribute("data-reading-part") or ""
        for el in part.locator("[data-reading][data-value]").all():
            out[f"{pid}/{el.get_attribute('data-reading')}"] = el.get_attribute("data-value") or ""
    return out


def cli_numbers(query: str) -> dict[str, str]:
    p = subprocess.run([sys.executable, "-m", "calculators", "reading", "--from", query, "--json"],
                       capture_output=True, text=True, timeout=120, check=True, cwd=ROOT)
    r = json.loads(p.stdout)
    out = {}
    for part in r["calculators"]:
        out[f"{part['id']}/headline"] = part["headline"]["value"]
        out[f"{part['id']}/essay"] = part["essay"]["value"]
        for c in part["crux"]:
            for x in c["inputs"]:
                if x["at"]:
                    out[f"{part['id']}/flip:{x['name']}"] = x["at"]["value"]
    return out


def stored(page: Page) -> list[str]:
    keys = page.evaluate("[...Object.keys(sessionStorage), ...Object.keys(localStorage)]"
                         ".filter((k) => k.startsWith('calc-reading'))")
    return [str(k) for k in keys]


def test_reading_gathers_links_and_clears(page: Page, new_context: NewContext, site: str,
                                          watch: Watch) -> None:
    for path, calc, name, text in (("selection-power/", "breakeven", "worth_steps", "150"),
                                   ("strict-counting/", "restaurants", "noise", "2"),
                                   ("two-frames/", "frames", "beta", "10")):
        page.goto(site + path)
        ready(page, calc)
        type_into(page, calc, name, text)
        settle(page, calc)
        page.wait_for_function(f"location.search.includes('{name}=')")
    page.goto(site + "reading/")
    root = page.locator("[data-reading-root]")
    expect(root).to_have_attribute("data-state", "ready", timeout=BOOT_MS)
    expect(page.locator("[data-reading-status]")).to_contain_text("3 inputs set")
    query = root.get_attribute("data-query") or ""
    assert "worth_steps=150" in query and "noise=2" in query and "beta=10" in query
    shown = numbers(page)
    expected = cli_numbers(query)
    for key, value in expected.items():
        assert shown.get(key) == value, key
    # The link reproduces the page in a fresh context (nothing stored there).
    page.get_by_role("button", name="Copy link to my reading").click()
    link = page.locator("[data-reading-link]")
    expect(link).to_contain_text("reading/?v=")
    url = (link.text_content() or "").split("Link to your reading: ", 1)[1].split(" (")[0]
    fresh = new_context()
    other = fresh.new_page()
    other.goto(url)
    expect(other.locator("[data-reading-root]")).to_have_attribute("data-state", "ready",
                                                              timeout=BOOT_MS)
    assert numbers(other) == shown
    fresh.close()
    # Opt-in storage, then clear: nothing is left.
    page.get_by_label("Keep my reading on this device").check()
    assert stored(page)
    page.get_by_role("button", name="Clear my reading").click()
    expect(page.locator("[data-reading-status]")).to_contain_text("no inputs set")
    assert stored(page) == []
    assert watch.errors == []


def test_guesses_are_listed_beside_the_answers(page: Page, site: str) -> None:
    # Before and after: a prediction revealed on a calculator's page is listed on "Your
    # reading" with what the calculator says.
    page.goto(site + CALCULATOR_PAGES["counting-odds"])
    ready(page, "counting-odds")
    form = page.locator('[data-question="counting-odds.unknown"]')
    right = form.get_attribute("data-right") or ""
    form.get_by_label(right).check()
    form.locator('[data-action="reveal"]').click()
    expect(form.locator("[data-reveal]")).to_be_visible()
    page.goto(site + "reading/")
    expect(page.locator("[data-reading-root]")).to_have_attribute("data-state", "ready",
                                                             timeout=BOOT_MS)
    item = page.locator('[data-guess="counting-odds.unknown"]')
    expect(item.locator('[data-reading="guess"]')).to_have_text(right)
    expect(item).to_contain_text(f"“{right}”")
    # The page's link carries the guess to another machine.
    assert "guess=counting-odds" in (page.locator("[data-reading-root]")
                                     .get_attribute("data-query") or "")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_filled_page_reads_in_both_palettes_on_a_phone_by_keyboard(
        new_context: NewContext, site: str, scheme: str) -> None:
    from test_a11y import axe_violations, use_scheme

    context = new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme)
    page = context.new_page()
    page.goto(site + "reading/?v=2&worth_steps=150&noise=2")
    use_scheme(page, scheme)
    root = page.locator("[data-reading-root]")
    expect(root).to_have_attribute("data-state", "ready", timeout=BOOT_MS)
    status = page.locator("[data-reading-status]")
    expect(status).to_have_attribute("role", "status")
    assert axe_violations(page) == []
    # No sideways scroll on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # The controls work from the keyboard.
    page.get_by_role("button", name="Copy link to my reading").focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-reading-link]")).to_contain_text("worth_steps=150")
    page.get_by_label("Keep my reading on this device").focus()
    page.keyboard.press("Space")
    expect(page.get_by_label("Keep my reading on this device")).to_be_checked()
    page.get_by_role("button", name="Clear my reading").focus()
    page.keyboard.press("Enter")
    expect(status).to_contain_text("no inputs set")
    context.close()


def test_reached_by_instant_navigation_it_fills_with_one_python(page: Page, site: str,
                                                                watch: Watch) -> None:
    page.goto(site + CALCULATOR_PAGES["breakeven"])
    ready(page, "breakeven")
    type_into(page, "breakeven", "worth_steps", "150")
    settle(page, "breakeven")
    nav_link(page, "reading/").click()
    page.wait_for_url(site + "reading/")
    expect(page.locator("[data-reading-root]")).to_have_attribute("data-state", "ready",
                                                             timeout=BOOT_MS)
    expect(page.locator("[data-reading-status]")).to_contain_text("1 input set")
    assert watch.count("pyodide.asm.wasm") == 1  # the same Python, no second boot
    assert watch.errors == []


def test_print_shows_the_reading_without_its_controls(page: Page, site: str) -> None:
    page.goto(site + "reading/?v=2&worth_steps=150")
    expect(page.locator("[data-reading-root]")).to_have_attribute("data-state", "ready",
                                                             timeout=BOOT_MS)
    page.emulate_media(media="print")
    for name in ("Copy link to my reading", "Clear my reading"):
        expect(page.get_by_role("button", name=name)).to_be_hidden()
    expect(page.get_by_label("Keep my reading on this device")).to_be_hidden()
    headline = page.locator('[data-reading-part="breakeven"] [data-reading="headline"]')
    expect(headline).to_be_visible()
