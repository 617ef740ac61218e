"""Write the service worker (``sw.js`` at the site's root) for the files of a built site.

It lists every file of the site and names its cache by their content hash, so any
change makes a new version. Its source is ``docs/assets/calc/sw.js``, a template; with
``SERVICE_WORKER=0`` (``make serve`` sets it, so edits show on reload) it is
``sw-off.js`` instead, which deletes the site's caches and unregisters itself: the same
switch would take the worker off a deployed site.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

__all__ = ["CACHE_PREFIX", "site_files", "write_service_worker"]

SOURCES = Path(__file__).resolve().parent.parent / "docs" / "assets" / "calc"
#: Every cache the service worker makes is named this plus the site's version.
CACHE_PREFIX = "scheming-ais-"
SKIP = {"sw.js", "sitemap.xml.gz"}
#: Fetched by link unfurlers, never by a page: not worth a reader's offline copy.
SKIP_FOLDERS = ("assets/previews/",)


def site_files(site: Path) -> dict[str, Path]:
    """Every file a reader may fetch: its URL relative to the root (a page by its folder)."""
    return {
        path.relative_to(site).as_posix().removesuffix("index.html") or "./": path
        for path in sorted(site.rglob("*"))
        if path.is_file() and path.relative_to(site).as_posix() not in SKIP
        and not path.relative_to(site).as_posix().startswith(SKIP_FOLDERS)
    }


def write_service_worker(site: Path) -> str:
    """Write ``site/sw.js`` for the files now in ``site``; return its version ("" when
    the service worker is switched off)."""
    if os.environ.get("SERVICE_WORKER", "1") == "0":
        script = (SOURCES / "sw-off.js").read_text()
        (site / "sw.js").write_text(script.replace("__PREFIX__", CACHE_PREFIX))
        return ""
    files = site_files(site)
    digest = hashlib.sha256()
    for url, path in files.items():
        digest.update(url.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    version = digest.hexdigest()[:16]
    script = (SOURCES / "sw.js").read_text()
    for placeholder, value in (
        ('"__VERSION__"', json.dumps(version)),
        ('"__PREFIX__"', json.dumps(CACHE_PREFIX)),
        ("[/* __FILES__ */]", json.dumps(list(files))),
    ):
        if placeholder not in script:
            raise ValueError(f"{SOURCES / 'sw.js'} lost its placeholder {placeholder}")
        script = script.replace(placeholder, value)
    (site / "sw.js").write_text(script)
    return version
