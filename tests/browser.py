"""Which Chromium the browser tests and benchmarks launch, and with which flags."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

# Without the background-networking flags Chromium keeps dialling Google's hosts,
# which this closed network refuses; they change nothing the pages do.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


#: The system's browsers, best first. The headless shell is what Playwright itself runs
#: headless. A full Chromium in headless mode also starts parts of its desktop UI in each
#: new browser context: Debian's 156 loads its omnibox popup (a WebUI page) there, which
#: kept one of two cores busy for the first 150-600 ms of every cold load measured.
SYSTEM = ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome")


def chromium_executable(shell: bool = True) -> str | None:
    """Return "" for Playwright's own Chromium, a path for the system's, None if neither;
    with ``shell=False``, never the headless shell (Lighthouse launches a full browser).
    A path in the environment variable CHROMIUM comes first (to compare browsers)."""
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"]
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            if Path(p.chromium.executable_path).exists():
                return ""
    except Exception:
        pass
    for name in SYSTEM if shell else SYSTEM[1:]:
        path = shutil.which(name)
        if path:
            return path
    return None
