"""The Content-Security-Policy holds on every page and state; nothing is stored."""

from __future__ import annotations

import re

import pytest
from conftest import CALCULATOR_PAGES, LINK, PAGES, Watch
from playwright.sync_api import BrowserContext, Page, expect

COLLECT = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


@pytest.fixture
def csp_page(context: BrowserContext, page: Page) -> Page:
    context.add_init_script(COLLECT)
    return page


def violations(page: Page) -> list[str]:
    return list(page.evaluate("window.__csp || []"))


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_strict_policy_and_no_violation(
    csp_page: Page, watch: Watch, site: str, path: str
) -> None:
    csp_page.goto(site + path)
    policy = csp_page.locator('meta[http-equiv="Content-Security-Policy"]')
    content = policy.get_attribute("content") or ""
    assert "default-src 'self'" in content
    script_src = re.search(r"script-src([^;]*)", content)
    assert script_src is not None
    assert "'unsafe-inline'" not in script_src.group(1)
    assert "'unsafe-eval'" not in script_src.group(1)
    for root in csp_page.locator("[data-calculator]").all():
        expect(root).to_have_attribute("data-state", "ready", timeout=90_000)
    csp_page.wait_for_load_state("networkidle")
    assert violations(csp_page) == []
    assert watch.foreign() == []


def test_no_violation_across_instant_navigation_and_states(csp_page: Page, site: str) -> None:
    csp_page.goto(site)
    for path in [p for p in PAGES if p]:  # every page but the home page, by its nav link
        csp_page.locator(f'nav a[href$="{path}"]').first.click()
        csp_page.wait_for_url(re.compile(re.escape(path) + "$"))
    root = csp_page.locator('[data-calculator="breakeven"]')
    csp_page.goto(site + CALCULATOR_PAGES["breakeven"])
    expect(root).to_have_attribute("data-state", "ready", timeout=90_000)
    field = root.locator('input[name="prior_ratio"]')
    field.fill("2^10 to 2^90")  # a range: histograms drawn into the page
    expect(root.locator('[data-chart="distribution"] svg.calc-svg')).to_have_count(1)
    field.fill("not a number")  # stale state
    expect(root.locator("[data-results]")).to_have_attribute("data-stale", "")
    root.get_by_role("link", name="Show the Python").click()
    expect(root.locator("[data-python]")).to_contain_text("def ")
    assert violations(csp_page) == []


def test_no_cookies_and_inputs_only_in_the_url(
    context: BrowserContext, page: Page, site: str
) -> None:
    page.goto(site + CALCULATOR_PAGES["breakeven"] + f"?{LINK}&bits_per_step=7")
    root = page.locator('[data-calculator="breakeven"]')
    expect(root).to_have_attribute("data-state", "ready", timeout=90_000)
    root.locator('input[name="prior_ratio"]').fill("2^77")
    expect(root.locator('[data-output="breakeven_steps"]')).to_have_attribute("data-value", "11.0")
    assert context.cookies() == []
    stored = page.evaluate(
        "JSON.stringify([{...localStorage}, {...sessionStorage}])"
    )
    assert "2^77" not in stored and "prior_ratio" not in stored and "bits_per_step" not in stored
