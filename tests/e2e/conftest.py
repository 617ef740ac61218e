"""Fixtures for the browser tests: the built site on loopback, Chromium, and watchers.

The site is built by `make test-e2e` into build/test-site with SITE_URL pointing at
this server (instant navigation needs it) and served under a base path, as a GitHub
Pages project site would be.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Locator, Page, Request

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

from browser import FLAGS, chromium_executable  # noqa: E402
from serve import serve_in_thread  # noqa: E402

from calculators.links import LINK_VERSION  # noqa: E402
from hooks.manifest import read_manifest  # noqa: E402

SITE_DIR = Path(os.environ.get("TEST_SITE_DIR", ROOT / "build" / "test-site"))
PORT = int(os.environ.get("TEST_PORT", "8765"))
BASE = os.environ.get("TEST_BASE", "/scheming-ais/")
ORIGIN = f"http://127.0.0.1:{PORT}"
SITE = f"{ORIGIN}{BASE}"
#: A shared link's format parameter, as the site writes it today.
LINK = f"v={LINK_VERSION}"


def _manifest() -> dict[str, Any]:
    """The built site's own list of pages and calculators (hooks/manifest.py)."""
    try:
        return read_manifest(SITE_DIR)
    except FileNotFoundError as error:
        raise pytest.UsageError(f"{error.filename} is missing: build the site first "
                                "(`make test-e2e` does)") from error
    except ValueError as error:
        raise pytest.UsageError(str(error)) from error


MANIFEST = _manifest()
#: Every page's URL relative to the site's root, in navigation order ("" is the home page).
PAGES: list[str] = [page["url"] for page in MANIFEST["pages"]]
#: Each calculator's id -> the URL of the first page (in navigation order) holding it.
CALCULATOR_PAGES: dict[str, str] = {c: urls[0] for c, urls in MANIFEST["calculators"].items()}
#: Every page holding a calculator, in navigation order.
CALC_PAGE_PATHS: list[str] = [page["url"] for page in MANIFEST["pages"] if page["calculators"]]
_ON = {page["url"]: sorted(page["calculators"]) for page in MANIFEST["pages"]}
_TITLES = {page["url"]: page["title"] for page in MANIFEST["pages"]}


def calculators_on(path: str) -> list[str]:
    """The calculators on one page, by id."""
    return _ON[path]


def nav_link(page: Page, path: str) -> Locator:
    """The link to a page in the primary navigation (by its title: hrefs are relative)."""
    nav = page.locator("nav.md-nav--primary")
    return nav.get_by_role("link", name=_TITLES[path], exact=True).first


def until[T](page: Page, what: str, check: Callable[[], T], timeout_s: float = 30) -> T:
    """Poll ``check`` (something the test has seen, or asks the page) until it returns
    something truthy, and return that; fail, saying ``what`` and the last value, if it
    never does. Playwright waits between two checks, so the page runs and its events
    reach the test meanwhile. For a condition in the page alone, prefer
    ``page.wait_for_function``."""
    deadline = time.monotonic() + timeout_s
    while not (value := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: still not so after {timeout_s:g} s ({value!r})")
        page.wait_for_timeout(100)
    return value


@pytest.fixture(scope="session")
def site() -> Iterator[str]:
    if not (SITE_DIR / "index.html").exists():
        pytest.fail(f"{SITE_DIR} is not built: run `make test-e2e`")
    server = serve_in_thread(SITE_DIR, PORT, BASE)
    yield SITE
    server.shutdown()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    exe = chromium_executable()
    args = dict(browser_type_launch_args, args=FLAGS)
    if exe:
        args["executable_path"] = exe
    return args


def svg_text_fit(svg: Locator) -> dict[str, Any]:
    """Texts of an SVG cut off at its left or right edge, and the smallest rendered text
    height in CSS px (after any viewBox scaling), as a reader sees them."""
    fit: dict[str, Any] = svg.evaluate("""svg => {
      const box = svg.getBoundingClientRect(), bad = [];
      let smallest = Infinity;
      for (const t of svg.querySelectorAll('text')) {
        const r = t.getBoundingClientRect();
        if (r.width === 0) continue;
        if (r.left < box.left - 0.5 || r.right > box.right + 0.5) bad.push(t.textContent);
        smallest = Math.min(smallest, r.height);
      }
      return {bad, smallest};
    }""")
    return fit


@dataclass
class Watch:
    """What a page did: console errors, page errors and requests (its whole console log
    is kept for a failed test by ``new_context``)."""

    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def foreign(self) -> list[str]:
        """Requests to any origin other than the site's own."""
        return [
            u
            for u in self.requests
            if not u.startswith(("data:", "blob:"))
            and f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" != ORIGIN
        ]

    def count(self, suffix: str) -> int:
        return sum(1 for u in self.requests if urlsplit(u).path.endswith(suffix))


@pytest.fixture
def watch(page: Page) -> Watch:
    w = Watch()

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type == "error":
            w.errors.append(msg.text)

    def on_request(req: Request) -> None:
        w.requests.append(req.url)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: w.errors.append(f"pageerror: {exc}"))
    page.on("request", on_request)
    page.context.on("request", lambda req: None)
    return w


#: The ``new_context`` fixture: keyword arguments as ``Browser.new_context``'s.
NewContext = Callable[..., BrowserContext]
#: Each test's console log: every console message and uncaught error of every page (and
#: worker) in every context the test opened, and the test's folder in test-results/.
CONSOLE_LOG = pytest.StashKey[tuple[list[str], Path]]()


@pytest.fixture
def new_context(
    new_context: NewContext, request: pytest.FixtureRequest, output_path: str,
) -> NewContext:
    """Every browser context of the tests comes from here (the ``context`` and ``page``
    fixtures too), so a failed test keeps a screenshot of each open page (Playwright's
    ``--screenshot only-on-failure``) and its console log, in its folder of test-results/.

    The service worker is blocked unless a test allows it: it would answer requests that
    tests route, block or count; it has tests of its own (test_offline.py)."""
    log: list[str] = []
    request.node.stash[CONSOLE_LOG] = (log, Path(output_path))

    def make(**kwargs: Any) -> BrowserContext:
        context = new_context(**{"service_workers": "block", **kwargs})
        context.on("console", lambda msg: log.append(f"{msg.type}: {msg.text}"))
        context.on("weberror", lambda err: log.append(f"pageerror: {err.error}"))
        return context

    return make


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Keep the console log of a failed test beside Playwright's screenshot."""
    outcome: Any = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed and CONSOLE_LOG in item.stash:
        log, folder = item.stash[CONSOLE_LOG]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "console.log").write_text("".join(f"{line}\n" for line in log))
        report.sections.append(("console log", "\n".join(log[-50:])))
