"""The built site as a reader without a live runtime sees it: pages, static results."""

from __future__ import annotations

import json
import re

import pytest
from conftest import (
    CALC_PAGE_PATHS,
    CALCULATOR_PAGES,
    PAGES,
    SITE_DIR,
    NewContext,
    Watch,
    calculators_on,
    svg_text_fit,
)
from playwright.sync_api import Page, expect

from calculators import CALCULATORS, run


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_cleanly(page: Page, watch: Watch, site: str, path: str) -> None:
    page.goto(site + path)
    expect(page.locator("h1").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert watch.errors == []
    assert watch.foreign() == []
    # No root-absolute URL: everything must work under the base path.
    html = page.content()
    assert not re.search(r'(?:href|src)="/(?!/)', html)


@pytest.mark.parametrize("calc_id", sorted(CALCULATOR_PAGES))
def test_static_defaults_without_javascript(
    new_context: NewContext, site: str, calc_id: str,
) -> None:
    context = new_context(service_workers="block", java_script_enabled=False)
    page = context.new_page()
    page.goto(site + CALCULATOR_PAGES[calc_id])
    root = page.locator(f'[data-calculator="{calc_id}"]')
    expect(root).to_have_attribute("data-state", "static")
    expect(root.locator("[data-status]")).to_contain_text("computed when this page was built")
    reply = run(calc_id, {})
    for key, out in reply["outputs"].items():
        cell = root.locator(f'[data-output="{key}"]')
        expect(cell).to_have_attribute("data-text", out["text"])
        expect(cell).to_have_attribute("data-value", out["value"])
        # Shown with its powers typeset: "2^-100" reads as 2 with a raised −100.
        expect(cell).to_have_text(out["text"].replace("^", "").replace("-", "−"))
    head = root.locator("[data-headline]")
    expect(head).to_have_count(1)
    expect(head).to_have_attribute("data-text", reply["headline"]["text"])
    for f in CALCULATORS[calc_id].fields:
        expect(root.locator(f'input[name="{f.name}"]')).to_have_value(f.default)
    # Every chart that has data is drawn, with its text alternative.
    for chart in CALCULATORS[calc_id].charts:
        if reply["charts"][chart.key]["svg"]:
            figure = root.locator(f'[data-chart="{chart.key}"]')
            expect(figure.locator("svg > title")).to_have_count(1)
            expect(figure.locator("svg > desc")).to_have_count(1)
            expect(figure.locator("table")).to_have_count(1)
    context.close()


def test_prose_numbers_equal_calculator_outputs(new_context: NewContext, site: str) -> None:
    context = new_context(service_workers="block", java_script_enabled=False)
    page = context.new_page()
    quoted = 0
    for path in PAGES:
        page.goto(site + path)
        for quote in page.locator("[data-quote]").all():
            calc_id, _, key = (quote.get_attribute("data-quote") or "").partition(".")
            reply = run(calc_id, {})
            if key in reply["outputs"]:
                out = reply["outputs"][key]
                # Prose quotes the expectation alone when the inputs are ranges.
                shown = out["range"]["mean"]["text"] if out["range"] else out["text"]
                assert quote.get_attribute("data-text") == shown
                assert quote.get_attribute("data-value") == out["value"]
            else:
                default = next(f.default for f in CALCULATORS[calc_id].fields if f.name == key)
                assert quote.get_attribute("data-text") == default
            quoted += 1
    assert quoted >= 5, "the prose should quote the calculators' numbers"
    context.close()


def test_math_is_typeset_at_build_time(new_context: NewContext, site: str) -> None:
    context = new_context(service_workers="block", java_script_enabled=False)
    page = context.new_page()
    typeset = 0
    for path in PAGES:
        page.goto(site + path)
        typeset += page.locator(".katex").count()
        assert page.locator(".arithmatex").count() == 0, path
    assert typeset > 0
    context.close()


def test_manifest_lists_every_page_and_calculator(new_context: NewContext, site: str) -> None:
    """The build manifest the tests and the benchmark read agrees with the built site:
    the same pages as the sitemap, each holding the calculators it names."""
    sitemap = re.findall(r"<loc>([^<]*)</loc>", (SITE_DIR / "sitemap.xml").read_text())
    assert sorted(u.removeprefix(site) for u in sitemap) == sorted(PAGES)
    context = new_context(service_workers="block", java_script_enabled=False)
    page = context.new_page()
    assert sorted(CALCULATOR_PAGES) == sorted(CALCULATORS)  # every calculator has a page
    for path in PAGES:
        page.goto(site + path)
        ids = page.locator("[data-calculator]").evaluate_all(
            "els => els.map(e => e.dataset.calculator).sort()"
        )
        assert ids == calculators_on(path), path
    context.close()


@pytest.mark.parametrize("path", CALC_PAGE_PATHS)
def test_glossary_terms_have_tooltips_on_first_use(page: Page, site: str, path: str) -> None:
    page.goto(site + path)
    # The theme moves a term's title into its tooltip when it first shows: read them
    # all before any is hovered, and address terms by position, not by [title].
    terms = page.locator("article abbr")
    titles = terms.evaluate_all("els => els.map(e => e.title)")
    assert len(titles) >= 3 and all(titles)
    assert len(titles) == len(set(titles)), "a term's tooltip is marked once per page"
    texts = terms.evaluate_all("els => els.map(e => e.textContent.toLowerCase())")
    stems = [t.removesuffix("es") if t.endswith("ses") else t.removesuffix("s") for t in texts]
    assert len(stems) == len(set(stems)), ("singular and plural are one term", texts)
    assert page.locator("article :is(h1, h2, h3, h4, h5, h6) abbr").count() == 0
    first = terms.nth(1)
    first.hover()
    tooltip = page.locator(".md-tooltip2--active")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text(titles[1][:40])
    page.mouse.move(0, 0)
    expect(tooltip).to_have_count(0)
    # Keyboard users reach the same definition: the term takes focus and shows it.
    assert terms.evaluate_all("els => els.every(e => e.tabIndex === 0)")
    terms.nth(2).focus()
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text(titles[2][:40])


@pytest.mark.parametrize(("width", "shown"), [(390, "figure__narrow"), (1280, "figure__wide")])
def test_figure_shows_the_drawing_that_fits_the_screen(
    new_context: NewContext, site: str, width: int, shown: str,
) -> None:
    # A viewBox scales text with the width: a phone gets a compact drawing whose text
    # stays legible, a desktop the wide one. Screen readers meet exactly one of them.
    context = new_context(viewport={"width": width, "height": 900},
                          service_workers="block")
    page = context.new_page()
    page.goto(site + "notes/")
    figure = page.locator("figure.figure").first
    visible = figure.locator("svg:visible")
    expect(visible).to_have_count(1)
    expect(visible).to_have_class(shown)
    report = svg_text_fit(visible)
    assert report["bad"] == []
    assert report["smallest"] >= 11  # rendered glyph box in CSS px, after viewBox scaling
    context.close()


def test_search_indexes_the_prose_not_the_controls() -> None:
    """The theme's search index holds the essay's retelling and each calculator's title,
    summary and headline, not its controls, help texts, result tables, charts, the
    figure's numbers or the TeX source of the maths (data-search-exclude): a search for
    a word lands in the prose. A formula is indexed by a plain copy of it."""
    index = json.loads((SITE_DIR / "search" / "search_index.json").read_text())
    text = " ".join(doc["title"] + " " + doc["text"] for doc in index["docs"])
    for calc in CALCULATORS.values():
        assert calc.title in text  # the calculator is still found by name
        for field in calc.fields:
            assert field.help not in text, field.help
    # Text found only in the calculators' controls (the prose names some buttons).
    for control in ("What the inputs mean", "Keep your inputs as a scenario", "Skip the chart",
                    "Data table:", "Showing the default values, computed when",
                    "Show the Python"):
        assert control not in text, control
    # Each formula once, as plain text, never as TeX or twice over (KaTeX's MathML and
    # its visible copy: "21002100" for 2^100).
    assert "2¹⁰⁰" in text and "21002100" not in text and "2100" not in text
    assert "\\propto" not in text and "^{" not in text and "\\frac" not in text
    assert "Training step" not in text  # the figure's data table
    assert "epoch-wise double descent" in text.lower()  # its caption and the note stay
    assert "counting argument" in text.lower()


def _static_imports(module: str) -> set[str]:
    """The files a shipped module of assets/calc/ imports with import statements."""
    code = (SITE_DIR / "assets" / "calc" / module).read_text()
    return set(re.findall(r'(?:^|[;}])\s*import\s*(?:[^"();]*?from\s*)?"\./([^"]+)"', code))


def test_pages_preload_the_modules_they_run(new_context: NewContext, site: str) -> None:
    """Every page preloads app.js and each module it imports statically, so that the
    browser fetches them with the stylesheets, not after the theme's script; each is
    fetched once (the preload and the module script share one request), and no module
    the page imports is left out."""
    context = new_context(service_workers="block")
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(site + CALC_PAGE_PATHS[0])
    page.wait_for_function("() => document.readyState === 'complete'")
    preloaded = page.locator("link[rel=modulepreload]").evaluate_all(
        "links => links.map(l => l.href)")
    assert preloaded and preloaded[0].endswith("/assets/calc/app.js")
    assert len(set(preloaded)) == len(preloaded)
    static = _static_imports("app.js")
    assert static and {u.rsplit("/", 1)[1] for u in preloaded[1:]} >= static
    # The Python worker imports some of the same chunks in its own module map.
    worker = _static_imports("worker.js")
    for url in preloaded:
        expected = 1 + (url.rsplit("/", 1)[1] in worker)
        assert requested.count(url) == expected, (url, requested.count(url))
    context.close()


def test_a_palette_switch_is_instant(new_context: NewContext, site: str) -> None:
    """The theme freezes transitions while the palette switches; the build narrows its
    universal rule (hooks/shipping.py, ``narrow_palette_freeze``) to the elements whose
    colours transition. Without a freeze, links and navigation fade their colours."""
    css = next((SITE_DIR / "assets" / "stylesheets").glob("palette.*.min.css")).read_text()
    assert "[data-md-color-switching] *" not in css
    context = new_context(service_workers="block", color_scheme="light")
    page = context.new_page()
    page.goto(site + "two-frames/")  # links, navigation, tabs, footnotes, a calculator
    toggle = "document.querySelector('[data-md-component=palette] label:not([hidden])').click()"
    # Colours only: the content tabs' indicator slides into place (transform) at load.
    fading_colours = """() => document.getAnimations()
        .filter((a) => a instanceof CSSTransition)
        .filter((a) => /color|shadow|fill|stroke/.test(a.transitionProperty))
        .map((a) => `${a.effect.target.className || a.effect.target.localName}`
                    + `:${a.transitionProperty}`)"""
    for scheme in ("default", "slate"):  # the system's (light), then light, then dark
        page.evaluate(toggle)
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", scheme)
        page.wait_for_timeout(50)  # a transition started by the switch lasts 125-250 ms
        assert page.evaluate(fading_colours) == []
    context.close()


def test_symbol_links_are_named_not_tooltips(page: Page, site: str) -> None:
    """A permalink (¶) and a footnote's way back (↩) are named by their words
    (page_transforms/page_text.py, ``named_symbol_links``), not titled: the theme would mount a
    tooltip at load for each."""
    page.goto(site + "two-frames/")
    content = page.locator(".md-content")
    heading = content.locator("h2").first
    expect(heading.get_by_role("link", name="Permanent link")).to_have_count(1)
    expect(content.get_by_role("link", name="Jump back to footnote 1 in the text")).to_have_count(1)
    expect(content.locator("a.headerlink[title], a.footnote-backref[title]")).to_have_count(0)
