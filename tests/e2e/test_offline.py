"""The service worker: a repeat visit boots Python from its cache, every page reads
offline after a first visit, and a new build replaces the old cache."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import BASE, CALCULATOR_PAGES, LINK, PORT, SITE_DIR, NewContext, until
from playwright.sync_api import Page, expect
from serve import serve_in_thread
from test_live import output, ready, same_value

from calculators import run
from hooks.service_worker import CACHE_PREFIX, write_service_worker

CACHED = """async () => {
  await navigator.serviceWorker.ready;  // active: its install filled the cache
  return caches.keys();
}"""


def cache_names(page: Page, want: int = 1) -> list[str]:
    """The site's caches, once there are `want` of them."""
    def names() -> list[str]:
        return [n for n in page.evaluate("caches.keys()") if n.startswith(CACHE_PREFIX)]

    until(page, f"{want} of the site's caches", lambda: len(names()) == want)
    return names()


def test_repeat_visit_boots_from_the_cache_and_reads_offline(
    new_context: NewContext, site: str,
) -> None:
    context = new_context(service_workers="allow")
    page = context.new_page()
    page.goto(site + CALCULATOR_PAGES["breakeven"])
    ready(page, "breakeven")  # the worker registers once Python is ready
    names = page.evaluate(CACHED)
    assert len(names) == 1 and names[0].startswith(CACHE_PREFIX), names
    urls = page.evaluate("async (n) => (await (await caches.open(n)).keys()).map(r => r.url)",
                         names[0])
    assert {site + "assets/pyodide/pyodide.asm.wasm", site + "glossary/", site} <= set(urls)

    context.set_offline(True)
    second = context.new_page()
    from_worker: list[bool] = []
    second.on("response", lambda r: from_worker.append(r.from_service_worker)
              if r.url.endswith(("pyodide.asm.wasm", ".whl")) else None)
    second.goto(site + CALCULATOR_PAGES["counting-odds"] + f"?{LINK}&schemer_count=2%5E10")
    ready(second, "counting-odds")
    expected = run("counting-odds", {"schemer_count": "2^10"})["outputs"]
    for key, out in expected.items():
        assert same_value(output(second, "counting-odds", key), out["value"]), key
    assert from_worker == [True, True], from_worker  # Pyodide and the wheel, from the cache
    second.goto(site + "glossary/")  # never opened before, offline
    expect(second.locator("h1").first).to_contain_text("Glossary")
    context.close()


def test_a_new_build_replaces_the_old_cache(new_context: NewContext, tmp_path: Path) -> None:
    copy = tmp_path / "site"
    shutil.copytree(SITE_DIR, copy)
    server = serve_in_thread(copy, PORT + 1, BASE)
    url = f"http://127.0.0.1:{PORT + 1}{BASE}"
    context = new_context(service_workers="allow")
    try:
        page = context.new_page()
        page.goto(url + "glossary/")
        old = page.evaluate(CACHED)
        assert len(old) == 1, old
        page.reload()  # now the page is the old version's client
        assert page.evaluate("Boolean(navigator.serviceWorker.controller)")

        # A new build: one page changed, so a new version of the whole site.
        glossary = copy / "glossary" / "index.html"
        glossary.write_text(glossary.read_text().replace("</h1>", " (second edition)</h1>", 1))
        version = write_service_worker(copy)
        assert old[0] != CACHE_PREFIX + version

        page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).update()")
        until(page, "a new version of the service worker waiting", lambda: page.evaluate(
            "async () => Boolean((await navigator.serviceWorker.getRegistration()).waiting)"))
        # Both versions are kept while a tab still runs the old one...
        assert sorted(cache_names(page, want=2)) == sorted([*old, CACHE_PREFIX + version])
        page.reload()
        expect(page.locator("h1").first).not_to_contain_text("second edition")
        # ...and once no tab does, the new one takes over and the old cache is gone.
        page.close()
        # Watch from a page outside the worker's scope: it is no client of either
        # version, so it cannot hold the old one in place while the new one activates.
        fresh = context.new_page()
        fresh.goto(f"http://127.0.0.1:{PORT + 1}/outside-the-scope")
        assert cache_names(fresh) == [CACHE_PREFIX + version]
        fresh.goto(url + "glossary/")
        expect(fresh.locator("h1").first).to_contain_text("second edition")
    finally:
        context.close()
        server.shutdown()
