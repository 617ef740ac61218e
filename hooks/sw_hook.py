"""Write the service worker (``sw.js`` at the site's root) after everything else.

It lists every file of the built site and names its cache by their content hash, so
any change makes a new version. It runs last in ``mkdocs.yml``: the CSP hook rewrites
pages in its own ``on_post_build``, and the hash must cover the final bytes.

With ``SERVICE_WORKER=0`` (``make serve`` sets it, so edits show on reload) the script
instead deletes the site's caches and unregisters itself: the same switch would take
the worker off a deployed site.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

TEMPLATE = Path(__file__).with_name("sw.js")
SKIP = {"sw.js", "sitemap.xml.gz"}
RETIRE = """// The service worker is switched off for this build: clear its caches and leave.
"use strict";
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil((async () => {
  for (const key of await caches.keys()) {
    if (key.startsWith("scheming-ais-")) await caches.delete(key);
  }
  await self.registration.unregister();
})()));
"""


def site_files(site: Path) -> dict[str, Path]:
    """Every file a reader may fetch: its URL relative to the root (a page by its folder)."""
    return {
        path.relative_to(site).as_posix().removesuffix("index.html") or "./": path
        for path in sorted(site.rglob("*"))
        if path.is_file() and path.relative_to(site).as_posix() not in SKIP
    }


def write_service_worker(site: Path) -> str:
    """Write ``site/sw.js`` for the files now in ``site``; return its version."""
    if os.environ.get("SERVICE_WORKER", "1") == "0":
        (site / "sw.js").write_text(RETIRE)
        return ""
    files = site_files(site)
    digest = hashlib.sha256()
    for url, path in files.items():
        digest.update(url.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    version = digest.hexdigest()[:16]
    script = TEMPLATE.read_text().replace("__VERSION__", version)
    (site / "sw.js").write_text(script.replace("__FILES__", json.dumps(list(files))))
    return version


def on_post_build(config: MkDocsConfig) -> None:
    write_service_worker(Path(config.site_dir))
