"""A reader's path: the map, presets, predictions, numbers to move, folded results, powers
typeset, old links, log-odds charts, downloads with provenance, and print."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from conftest import CALCULATOR_PAGES, LINK, ROOT, NewContext, Watch
from playwright.sync_api import Page, expect
from test_live import output, ready, same_value, settle, type_into

from calculators import CALCULATORS, run
from calculators.links import migrate

HOME = ""


# ---------------------------------------------------------------------------
# The map
# ---------------------------------------------------------------------------


def test_map_links_every_box_in_reading_order(page: Page, site: str, watch: Watch) -> None:
    page.goto(site + HOME)
    figure = page.locator("figure.argmap")
    expect(figure).to_have_count(1)
    # The text alternative: a caption that says how the argument goes, in words.
    expect(figure.locator("figcaption")).to_contain_text("Premises 1 to 3 lead to the conclusion")
    links = figure.locator("a")
    hrefs = [a.get_attribute("href") or "" for a in links.all()]
    assert len(hrefs) == 10  # the lens, premises 1-3, two doubts, 4, the hazy version, fn 9,
    # and "Your reading"
    for href in hrefs:
        target = urljoin(page.url, href.split("#")[0])
        assert target.startswith(site), href  # within the site, under its base path
        assert page.request.get(target).ok, href
    # Keyboard: Tab walks the boxes in reading order, each with a visible focus ring.
    links.first.focus()
    seen = [page.evaluate("document.activeElement.getAttribute('href')")]
    for _ in range(len(hrefs) - 1):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.getAttribute('href')"))
        ring = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert ring != "none"
    assert seen == hrefs
    page.keyboard.press("Enter")
    page.wait_for_url(urljoin(page.url, hrefs[-1]))
    assert watch.errors == []


# ---------------------------------------------------------------------------
# Presets, the headline, folded results
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("calc_id", sorted(CALCULATOR_PAGES))
def test_presets_set_inputs_link_and_results(page: Page, site: str, calc_id: str) -> None:
    page.goto(site + CALCULATOR_PAGES[calc_id])
    ready(page, calc_id)
    root = page.locator(f'[data-calculator="{calc_id}"]')
    calc = CALCULATORS[calc_id]
    assert root.locator("[data-headline]").count() == 1
    assert root.locator("details.calc__more").get_attribute("open") is None  # folded
    for preset in reversed(calc.presets):
        root.locator(f'[data-preset="{preset.name}"]').click()
        settle(page, calc_id)
        for f in calc.fields:
            want = preset.values.get(f.name, f.default)
            expect(root.locator(f'input[name="{f.name}"]')).to_have_value(want)
            query = parse_qs(urlsplit(page.url).query)
            assert query.get(f.name, [f.default])[0] == want
        expected = run(calc_id, dict(preset.values))
        head = root.locator("[data-headline]")
        expect(head).to_have_attribute("data-text", expected["headline"]["text"])
        for key, out in expected["outputs"].items():
            assert same_value(output(page, calc_id, key), out["value"]), (preset.name, key)
        expect(root.locator(f'[data-preset="{preset.name}"]')).to_have_attribute(
            "aria-pressed", "true")
        # Announced: the status line (a live region) names the case.
        expect(root.locator("[data-status]")).to_contain_text(f"“{preset.label}”")


def test_headline_powers_are_typeset_heard_and_copied_as_typed(
    new_context: NewContext, site: str,
) -> None:
    context = new_context(service_workers="block")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(site + CALCULATOR_PAGES["counting-odds"])
    ready(page, "counting-odds")
    head = page.locator('[data-calculator="counting-odds"] [data-headline]')
    power = head.locator(".pow").first
    expect(power.locator("sup")).to_have_text("−100")
    expect(power).to_have_attribute("role", "img")
    expect(power).to_have_attribute("aria-label", "2 to the power minus 100")
    page.evaluate("""(el) => { const r = document.createRange(); r.selectNodeContents(el);
      const s = getSelection(); s.removeAllRanges(); s.addRange(r);
      document.execCommand('copy'); }""", head.element_handle())
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == run("counting-odds", {})["headline"]["text"]
    context.close()


# ---------------------------------------------------------------------------
# Predict, then reveal
# ---------------------------------------------------------------------------


def test_choice_question_by_keyboard_then_the_case_in_the_calculator(
    page: Page, site: str,
) -> None:
    page.goto(site + CALCULATOR_PAGES["counting-odds"])
    ready(page, "counting-odds")
    form = page.locator('[data-question="counting-odds.unknown"]')
    right = form.get_attribute("data-right") or ""
    wrong = next(c.label for c in CALCULATORS["counting-odds"].questions[0].choices
                 if c.label != right)
    reveal = form.locator("[data-reveal]")
    expect(reveal).to_be_hidden()
    stored = page.evaluate("JSON.stringify([Object.keys(localStorage), sessionStorage.length])")
    form.get_by_label(wrong).focus()
    page.keyboard.press("Space")
    form.locator('[data-action="reveal"]').focus()
    page.keyboard.press("Enter")
    expect(reveal).to_be_visible()
    expect(reveal).to_contain_text(f"You said “{wrong}”")
    expect(reveal).to_contain_text(f"“{right}”")
    expect(reveal).to_have_attribute("aria-live", "polite")
    form.locator('[data-action="try-case"]').click()
    settle(page, "counting-odds")
    root = page.locator('[data-calculator="counting-odds"]')
    expect(root.locator('[data-preset="preferences-unknown"]')).to_have_attribute(
        "aria-pressed", "true")
    assert "preference_spread=1000" in page.url
    # Nothing is stored on the device (the theme keeps its own few settings); the tab
    # keeps the revealed guess for "Your reading", and nothing else.
    after = "JSON.stringify([Object.keys(localStorage), Object.keys(sessionStorage)])"
    local, session = json.loads(page.evaluate(after))
    assert local == json.loads(stored)[0] and session == ["calc-reading"]
    kept = json.loads(page.evaluate("sessionStorage.getItem('calc-reading')"))
    assert wrong in json.dumps(kept)


def test_number_question_says_how_far_apart(page: Page, site: str) -> None:
    page.goto(site + CALCULATOR_PAGES["breakeven"])
    form = page.locator('[data-question="breakeven.halving"]')
    expect(form.locator("[data-question-actions]")).to_be_visible()
    form.locator('input[name="guess"]').fill("1000")
    form.locator('[data-action="reveal"]').click()
    expect(form.locator("[data-reveal]")).to_have_text(
        "You said 1000; the calculator says 100 (a factor of 10 higher).")


# ---------------------------------------------------------------------------
# Numbers you can move
# ---------------------------------------------------------------------------


def test_prose_number_moves_by_keyboard_and_drag(page: Page, site: str) -> None:
    page.goto(site + CALCULATOR_PAGES["breakeven"])
    ready(page, "breakeven")
    quote = page.locator('[data-quote="breakeven.prior_ratio"][role="spinbutton"]').first
    field = page.locator('[data-calculator="breakeven"] input[name="prior_ratio"]')
    quote.focus()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(field).to_have_value("2^102")
    settle(page, "breakeven")
    assert float(output(page, "breakeven", "breakeven_steps")) == 102.0
    expect(quote).to_have_attribute("aria-valuetext", "2^102")
    steps = page.locator('[data-quote="breakeven.breakeven_steps"]').first
    expect(steps).to_have_attribute("data-text", "102")  # the sentence recomputes
    assert "prior_ratio=2%5E102" in page.url
    box = quote.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 - 60, box["y"] + box["height"] / 2, steps=6)
    page.mouse.up()
    expect(field).to_have_value("2^97")
    settle(page, "breakeven")
    assert float(output(page, "breakeven", "breakeven_steps")) == 97.0


# ---------------------------------------------------------------------------
# Links of every format
# ---------------------------------------------------------------------------

V1_LINKS = [
    ("counting-odds", {"schemer_count": "2^200", "strict_weight": "1"}),
    ("counting-odds", {"schemer_count": "2^200", "strict_weight": "0.3"}),
    ("counting-odds", {"saint_bits": "-1000 to 1000"}),
    ("restaurants", {"chinese_count": "100"}),
    ("frames", {"beta": "0.1"}),
    ("breakeven", {"prior_ratio": "2^50", "bits_per_step": "0.5"}),
]


@pytest.mark.parametrize(("calc_id", "link"), V1_LINKS)
def test_v1_links_open_with_their_inputs(
    page: Page, site: str, calc_id: str, link: dict[str, str],
) -> None:
    query = "&".join(f"{k}={v}" for k, v in link.items())
    page.goto(f"{site}{CALCULATOR_PAGES[calc_id]}?v=1&{query}")
    ready(page, calc_id)
    params, notices = migrate(link, 1)
    root = page.locator(f'[data-calculator="{calc_id}"]')
    for f in CALCULATORS[calc_id].fields:
        expect(root.locator(f'input[name="{f.name}"]')).to_have_value(params.get(f.name, f.default))
    assert f"{LINK}&" in page.url  # rewritten in today's format
    expected = run(calc_id, {k: v for k, v in params.items()
                             if k in {f.name for f in CALCULATORS[calc_id].fields}})
    for key, out in expected["outputs"].items():
        assert same_value(output(page, calc_id, key), out["value"]), key
    for notice in notices:
        expect(root.locator("[data-status]")).to_contain_text(notice)


def test_a_link_to_a_moved_calculator_follows_it(page: Page, site: str) -> None:
    # Before the split, the breakeven calculator lived on strict-counting/.
    page.goto(f"{site}strict-counting/?v=1&prior_ratio=2%5E60")
    page.wait_for_url("**/?v=2&prior_ratio=2%5E60*")
    assert urlsplit(page.url).path.endswith(f"/{CALCULATOR_PAGES['breakeven']}")
    ready(page, "breakeven")
    expect(page.locator('[data-calculator="breakeven"] input[name="prior_ratio"]')).to_have_value(
        "2^60")


def test_a_search_highlight_does_not_wait_for_the_manifest(page: Page, site: str) -> None:
    # The theme's search results link with ?h=…; only links the site wrote (with v=)
    # can name another page's inputs, so nothing waits for manifest.json here.
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if r.url.endswith("/manifest.json") else None)
    page.goto(f"{site}{CALCULATOR_PAGES['breakeven']}?h=prior")
    ready(page, "breakeven")
    assert asked == []
    assert "h=prior" in page.url


# ---------------------------------------------------------------------------
# Search: the theme's index waits while Python starts (search-worker.js)
# ---------------------------------------------------------------------------

#: What the held search worker and the page say on their channel, with the page's time.
LISTEN = """window.__search = [];
new BroadcastChannel("calc-search").onmessage = (event) =>
  window.__search.push([event.data, performance.now()]);"""


def released(page: Page) -> tuple[str, float]:
    """Why and when the theme's search worker was let build its index."""
    page.wait_for_function(
        "() => window.__search.some(([m]) => m.startsWith('released:'))", timeout=30000)
    said: list[tuple[str, float]] = page.evaluate("window.__search")
    return next((m.removeprefix("released:"), t) for m, t in said if m.startswith("released:"))


def search_finds(page: Page, words: str) -> None:
    query = page.locator("input[data-md-component='search-query']")
    query.click()
    query.press_sequentially(words)  # as a reader types: the theme reads keystrokes
    expect(page.locator(".md-search-result__item").first).to_be_visible()


def test_search_index_is_built_once_python_is_ready_and_the_reader_pauses(
    page: Page, site: str
) -> None:
    page.add_init_script(LISTEN)
    page.goto(site + CALCULATOR_PAGES["breakeven"])
    ready(page, "breakeven")
    # A reader editing at once, for 6 s: the index waits for a pause of a second in their
    # input, longer than the held worker's own 5 s limit (the page said it decides). The
    # 400 ms between two edits is the reader's rhythm, what the test is about, not a wait
    # for anything (pacing each edit by its answer would tie the pause to how fast Python
    # answers).
    typed = []
    for value in (f"2^{60 + i}" for i in range(15)):
        type_into(page, "breakeven", "prior_ratio", value)
        typed.append(page.evaluate("performance.now()"))
        page.wait_for_timeout(400)
    why, at = released(page)
    assert why == "page"
    assert at >= page.evaluate("window.calcRuntime.stats().readyAt") + 1000
    assert at >= typed[-1] + 1000 - 50, (at, typed)  # 50: the typing's own round trip
    search_finds(page, "counting argument")


def test_search_index_is_built_at_load_where_python_has_not_started(
    page: Page, site: str
) -> None:
    page.add_init_script(LISTEN)
    page.goto(site + "glossary/")
    assert released(page)[0] == "page"
    assert page.evaluate("window.calcRuntime.stats().readyAt") is None
    search_finds(page, "schemer")


def test_a_reader_who_searches_does_not_wait_for_python(page: Page, site: str) -> None:
    # The plain boot takes seconds: going to the search box lets the index be built at
    # once, and the search is answered long before Python is ready.
    page.add_init_script(LISTEN)
    page.goto(site + CALCULATOR_PAGES["breakeven"] + "?calc-boot=plain")
    search_finds(page, "counting argument")
    assert released(page)[0] == "page"
    assert page.evaluate("window.calcRuntime.stats().state") == "loading"


# ---------------------------------------------------------------------------
# Log odds, sensitivity, downloads, print
# ---------------------------------------------------------------------------


def test_log_odds_switch_is_remembered_in_the_link(page: Page, site: str) -> None:
    page.goto(site + CALCULATOR_PAGES["breakeven"])
    ready(page, "breakeven")
    root = page.locator('[data-calculator="breakeven"]')
    switch = root.locator('[data-action="scale"]')
    expect(switch).to_have_attribute("aria-pressed", "false")
    switch.click()
    settle(page, "breakeven")
    expect(switch).to_have_attribute("aria-pressed", "true")
    assert "odds=breakeven" in page.url
    curve = root.locator('[data-chart="curve"] svg.calc-svg')
    expect(curve).to_contain_text("bits")
    page.goto(page.url)  # the link opens the same view
    ready(page, "breakeven")
    expect(root.locator('[data-action="scale"]')).to_have_attribute("aria-pressed", "true")
    expect(root.locator('[data-chart="curve"] svg.calc-svg')).to_contain_text("bits")


def test_sensitivity_static_then_live(page: Page, site: str) -> None:
    page.goto(site + CALCULATOR_PAGES["counting-odds"])
    root = page.locator('[data-calculator="counting-odds"]')
    caption = root.locator('[data-chart="sensitivity"] [data-chart-caption]')
    expect(caption).to_have_attribute(
        "data-text", run("counting-odds", {})["charts"]["sensitivity"]["caption"])
    ready(page, "counting-odds")
    type_into(page, "counting-odds", "preference_spread", "1000")
    settle(page, "counting-odds")
    want = run("counting-odds", {"preference_spread": "1000"})["charts"]["sensitivity"]
    expect(caption).to_have_attribute("data-text", want["caption"])


def test_downloads_carry_provenance_and_samples(page: Page, site: str, tmp_path: Path) -> None:
    page.goto(site + CALCULATOR_PAGES["breakeven"])
    ready(page, "breakeven")
    type_into(page, "breakeven", "prior_ratio", "2^80 to 2^120")
    settle(page, "breakeven")
    root = page.locator('[data-calculator="breakeven"]')
    with page.expect_download() as info:
        root.locator('[data-action="download-json"]').click()
    saved = tmp_path / "breakeven.json"
    info.value.save_as(saved)
    data = json.loads(saved.read_text())
    prov = data["provenance"]
    assert prov["inputs"]["prior_ratio"] == "2^80 to 2^120" and prov["samples"] == 10_000
    assert isinstance(prov["seed"], int) and prov["link"] == page.url
    assert prov["pyodide"] and len(prov["wheel"]["sha256"]) == 64
    assert prov["version"] == run("breakeven", {})["provenance"]["version"]
    # The CLI replays the page's result: same inputs, same seed, the same outputs by the
    # stated rule (display text identical, raw values within a float's last bits).
    replay = subprocess.run([sys.executable, "-m", "calculators", "--from", str(saved), "--json"],
                            capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)
    assert replay.returncode == 0, replay.stderr
    again = json.loads(replay.stdout)
    for key, out in data["outputs"].items():
        assert same_value(again["outputs"][key]["value"], out["value"]), key
    with page.expect_download() as info:
        root.locator('[data-action="download-csv"]').click()
    rows = Path(info.value.path()).read_text().splitlines()
    assert len(rows) == 1 + 10_000 and rows[0].startswith("sample,log2(prior_ratio)")


def test_print_shows_the_state_without_controls(new_context: NewContext, site: str) -> None:
    context = new_context(service_workers="block", color_scheme="dark")
    page = context.new_page()
    page.goto(site + CALCULATOR_PAGES["restaurants"] + f"?{LINK}&chinese_count=100")
    ready(page, "restaurants")
    page.emulate_media(media="print")
    root = page.locator('[data-calculator="restaurants"]')
    for hidden in ("[data-actions]", "[data-presets]", '[data-action="show-python"]'):
        expect(root.locator(hidden)).to_be_hidden()
    # Folded parts print open; the inputs print as text; the link is written out.
    expect(root.locator("table.calc__outputs")).to_be_visible()
    expect(root.locator('input[name="chinese_count"]')).to_have_value("100")
    expect(root.locator("[data-print-link]")).to_be_visible()
    expect(root.locator("[data-print-link]")).to_contain_text("chinese_count=100")
    # The dark palette prints light.
    bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    fg = page.evaluate("getComputedStyle(document.querySelector('.md-content')).color")
    assert bg in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"), bg
    assert fg.startswith("rgba(0, 0, 0") or fg.startswith("rgb(0, 0, 0"), fg
    context.close()


def test_compare_scenarios_round_trip_through_the_link(page: Page, site: str) -> None:
    page.goto(site + CALCULATOR_PAGES["restaurants"])
    ready(page, "restaurants")
    root = page.locator('[data-calculator="restaurants"]')
    root.locator('[data-action="compare"]').click()
    panel = root.locator("[data-compare]")
    expect(panel).to_be_visible()
    expect(panel.locator("thead th")).to_have_text(["Result", "Defaults", "Yours"])
    # Keep Bob's unknown taste as a named scenario, then change the inputs.
    root.locator('[data-preset="taste-unknown"]').click()
    settle(page, "restaurants")
    root.locator("[data-scenario-name]").fill("Taste unknown")
    root.locator('[data-action="keep-scenario"]').click()
    type_into(page, "restaurants", "chinese_count", "100")
    settle(page, "restaurants")
    expect(panel.locator("thead th")).to_have_text(
        ["Result", "Defaults", "Taste unknown ×", "Yours"])
    kept = run("restaurants", {f"{c}_bits": "-20 to 20" for c in ("mexican", "chinese", "thai")})
    want = kept["outputs"]["p_mexican_best_gumbel"]["range"]["mean"]["text"]
    expect(panel.locator("tbody")).to_contain_text(want.replace("^", "").replace("-", "−"))
    expect(panel.locator("[data-compare-chart] svg")).to_have_count(1)
    # The prose reads "yours (the defaults: …)" where they differ.
    quote = page.locator('[data-quote="restaurants.p_mexican_best_gumbel"]').first
    expect(quote).to_contain_text("(the defaults: ")
    # All of it lives in the link: a fresh tab opens the same comparison.
    other = page.context.new_page()
    other.goto(page.url)
    ready(other, "restaurants")
    expect(other.locator('[data-calculator="restaurants"] [data-compare] thead th')).to_have_text(
        ["Result", "Defaults", "Taste unknown ×", "Yours"])
    other.close()
    # Dropping the scenario and switching off leave a plain link.
    panel.get_by_role("button", name="Drop the scenario Taste unknown").click()
    root.locator('[data-action="compare"]').click()
    expect(panel).to_be_hidden()
    assert "scenario=" not in page.url and "compare=" not in page.url
    # ... and the prose shows the reader's number alone again.
    expect(quote).not_to_contain_text("(the defaults: ")


def test_a_home_link_to_the_moved_exchange_rate_follows_it(page: Page, site: str) -> None:
    # The home page held the exchange-rate calculator until issue 21 moved it: a link
    # shared from there still opens it, with its inputs, where it lives now.
    page.goto(f"{site}?v=2&prior_ratio=2%5E60")
    page.wait_for_url(f"**/{CALCULATOR_PAGES['breakeven']}?v=2&prior_ratio=2%5E60*")
    ready(page, "breakeven")
    field = page.locator('[data-calculator="breakeven"] input[name="prior_ratio"]')
    expect(field).to_have_value("2^60")
