"""Which Chromium the browser tests and benchmarks launch, and with which flags."""

from __future__ import annotations

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


def chromium_executable() -> str | None:
    """Return "" for Playwright's own Chromium, a path for the system's, None if neither."""
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            if Path(p.chromium.executable_path).exists():
                return ""
    except Exception:
        pass
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None
