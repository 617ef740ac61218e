"""The engines besides Chromium that the smoke suite drives, where each is found, and
which of them to test (all, less those named in SKIP_ENGINES, e.g. ``SKIP_ENGINES=webkit``).

Firefox is Debian's ESR, driven by npm puppeteer-core over WebDriver BiDi; WebKit is
WebKitGTK's MiniBrowser, driven by PyPI selenium through Debian's WebKitWebDriver in a
virtual X display (WebKitGTK has no headless mode).
"""

from __future__ import annotations

import glob
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass


def firefox() -> str | None:
    """Firefox's executable (``FIREFOX=/path`` picks another), or None."""
    return os.environ.get("FIREFOX") or shutil.which("firefox-esr") or shutil.which("firefox")


def minibrowser() -> str | None:
    """WebKitGTK's own small browser, the one its WebDriver automates, or None."""
    found = sorted(glob.glob("/usr/lib/*/webkit2gtk-4.1/MiniBrowser"))
    return found[0] if found else None


def webkit() -> str | None:
    """The WebDriver that launches MiniBrowser, if it and a virtual display are here."""
    driver = shutil.which("WebKitWebDriver")
    return driver if driver and minibrowser() and shutil.which("xvfb-run") else None


@dataclass(frozen=True)
class Engine:
    name: str
    #: Debian's packages that bring it (and, for WebKit, the display it needs).
    packages: tuple[str, ...]
    find: Callable[[], str | None]


ENGINES = {
    "firefox": Engine("firefox", ("firefox-esr",), firefox),
    "webkit": Engine("webkit", ("webkit2gtk-driver", "xvfb", "xauth"), webkit),
}


def selected() -> list[Engine]:
    """The engines to test: every one, less those named in SKIP_ENGINES (comma or
    space separated). An unknown name is an error, so a typo cannot skip silently."""
    skip = set(os.environ.get("SKIP_ENGINES", "").replace(",", " ").split())
    unknown = skip - set(ENGINES)
    if unknown:
        raise SystemExit(f"SKIP_ENGINES: unknown engine {sorted(unknown)}; "
                         f"known: {sorted(ENGINES)}")
    return [engine for name, engine in ENGINES.items() if name not in skip]
