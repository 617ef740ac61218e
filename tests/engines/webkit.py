"""The cross-engine smoke suite in WebKit (WebKitGTK's MiniBrowser through Debian's
WebKitWebDriver and selenium): every calculator page reaches ready, says how Python
booted, answers one edit per calculator as CPython does, logs no console error, and
was served with its numbers. WebKitGTK needs a display: run it under xvfb-run.

Debian's WebKitWebDriver (2.50) speaks no BiDi, and MiniBrowser under automation does
not write the console to stdout, so the console is heard from inside the page, from
the end of its load on (probe.js "listen"); an error before that shows as a state or
an output that never comes.

usage: python tests/engines/webkit.py CASES.json SITE_URL RESULTS_DIR
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from engines import minibrowser
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

BOOT_S = 90  # a cold Pyodide boot on a loaded 2-core machine: a ceiling
SETTLE_S = 30


def until(what: str, seconds: float, check: Callable[[], tuple[bool, Any]]) -> Any:
    """Poll until check() says done; past the time, fail naming what was awaited and
    the last thing seen."""
    end = time.monotonic() + seconds
    while True:
        done, seen = check()
        if done:
            return seen
        if time.monotonic() > end:
            raise AssertionError(f"waited {seconds} s for {what}; last seen: {json.dumps(seen)}")
        time.sleep(0.1)


class Smoke:
    def __init__(self, driver: webdriver.Remote, probe: str, site: str) -> None:
        self.driver, self.probe, self.site = driver, probe, site

    def call(self, op: str, arg: Any) -> Any:
        return self.driver.execute_script(f"return {self.probe}(arguments[0], arguments[1])",
                                          op, arg)

    def outputs_equal(self, calc: str, want: dict[str, Any], what: str) -> None:
        def check() -> tuple[bool, Any]:
            problems = self.call("outputs", {"calc": calc, "want": want})
            return not problems, problems
        until(what, SETTLE_S, check)

    def page(self, url: str, defaults: dict[str, Any], edits: list[dict[str, Any]]) -> None:
        calcs = list(defaults)
        started = time.monotonic()
        self.driver.get(self.site + url)
        self.call("listen", None)

        def ready() -> tuple[bool, Any]:
            seen = self.call("states", calcs)
            if "error" in seen["states"].values():
                raise AssertionError(f'data-state="error": {json.dumps(seen)}')
            assert not seen["controlled"], "served by the service worker: not a first visit"
            return all(s == "ready" for s in seen["states"].values()), seen

        stats = until(f'data-state="ready" on {calcs}', BOOT_S, ready)["stats"]
        reason = f" ({stats['bootReason']})" if stats["bootReason"] else ""
        print(f"webkit /{url}: ready in {time.monotonic() - started:.1f} s, "
              f"boot {stats['boot']}{reason}", flush=True)
        assert stats["boot"] in ("snapshot", "plain"), f"boot path {stats['boot']}"
        for calc, want in defaults.items():
            self.outputs_equal(calc, want, f"{calc}'s default outputs to equal CPython's")
        for e in edits:
            # As a reader would: click into the field, select what is there, type over it.
            field = self.driver.find_element(
                By.CSS_SELECTOR, f'[data-calculator="{e["calc"]}"] [name="{e["name"]}"]')
            field.click()
            field.send_keys(Keys.CONTROL, "a")
            field.send_keys(e["text"])
            what = f"{e['calc']} with {e['name']}={e['text']} to equal CPython's outputs"
            self.outputs_equal(e["calc"], e["want"], what)
        served = self.call("prerendered", defaults)
        assert not served, f"served HTML: {'; '.join(served)}"
        errors = self.call("listen", None)
        assert not errors, f"console errors: {' | '.join(errors)}"


def session() -> webdriver.Remote:
    """A new MiniBrowser: its automation session keeps no data from another."""
    options = webdriver.WebKitGTKOptions()
    options.binary_location = minibrowser() or ""
    options.add_argument("--automation")
    return webdriver.WebKitGTK(options=options)


def main() -> int:
    cases_path, site, results = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    cases = json.loads(Path(cases_path).read_text())
    results.mkdir(parents=True, exist_ok=True)
    failed = 0
    # Each page a first visit, in a browser of its own: once the site's service worker
    # controls a page it serves it alike in every engine (e2e/ covers it in Chromium).
    for page in cases["pages"]:
        driver = session()
        smoke = Smoke(driver, cases["probe"], site)
        try:
            smoke.page(page["url"], page["defaults"], page["edits"])
        except Exception as error:
            failed += 1
            name = "webkit-" + ("-".join(re.findall(r"\w+", page["url"])) or "home")
            driver.save_screenshot(str(results / f"{name}.png"))
            try:
                log = "\n".join(smoke.call("listen", None))
            except Exception as unreadable:
                log = f"(the page's error record could not be read: {unreadable})"
            (results / f"{name}.log").write_text(f"{error}\n\n{log}\n")
            print(f"FAIL webkit /{page['url']}: {error}\n  (screenshot and console log: "
                  f"{results}/{name}.*)", flush=True)
        finally:
            driver.quit()
    print(f"webkit: {len(cases['pages']) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
