"""The site under test: built by mkdocs for its loopback URL, with the bare Pyodide page
beside it, served under a base path; its pages read from the build manifest
(``assets/calc/manifest.json``, written by hooks/manifest.py).

>>> s = Site(Path("x"), 8790, "/bench/", [
...     SitePage("", "Home", ("breakeven",)), SitePage("a/", "A", ("frames",)),
...     SitePage("b/", "B", ()), SitePage("c/", "C", ("frames", "restaurants"))])
>>> s.url, s.cold_page, s.hop_page, s.quiet_page, s.page_of("frames")
('http://127.0.0.1:8790/bench/', 'c/', 'a/', 'b/', 'a/')
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from hooks.manifest import read_manifest

__all__ = ["BARE", "Site", "SitePage", "build", "read_pages"]

ROOT = Path(__file__).resolve().parent.parent
#: Where the bare page is served, relative to the site's root.
BARE = "bench-bare/"


@dataclass(frozen=True)
class SitePage:
    url: str  # relative to the site's root; "" is the home page
    title: str
    calculators: tuple[str, ...]


@dataclass(frozen=True)
class Site:
    """The built site on loopback, and the pages the measurements use."""

    dir: Path
    port: int
    base: str  # "/bench/"
    pages: list[SitePage]

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.origin}{self.base}"

    @property
    def calc_pages(self) -> list[SitePage]:
        return [p for p in self.pages if p.calculators]

    @property
    def cold_page(self) -> str:
        """The page measured cold: the first (in navigation order) with the most
        calculators, other than the home page, which is measured as itself."""
        others = [p for p in self.calc_pages if p.url] or self.calc_pages
        return max(others, key=lambda p: len(p.calculators)).url

    @property
    def hop_page(self) -> str:
        """The calculator page before the cold page in the navigation (instant-nav hops)."""
        urls = [p.url for p in self.calc_pages]
        i = urls.index(self.cold_page)
        return urls[i - 1] if i else urls[1]

    @property
    def quiet_page(self) -> str:
        """The first page without a calculator: where Python starts only by warm-up."""
        return next(p.url for p in self.pages if not p.calculators)

    def calculators_on(self, url: str) -> tuple[str, ...]:
        return next(p.calculators for p in self.pages if p.url == url)

    def page_of(self, calc_id: str) -> str:
        """The first page (in navigation order) holding the calculator."""
        return next(p.url for p in self.calc_pages if calc_id in p.calculators)

    def name(self, url: str) -> str:
        return url.strip("/") or "home"


def read_pages(site_dir: Path) -> list[SitePage]:
    """The built site's pages and their calculators, from its manifest."""
    try:
        data = read_manifest(site_dir)
    except ValueError as error:
        raise SystemExit(str(error)) from error
    return [SitePage(p["url"], p["title"], tuple(p["calculators"])) for p in data["pages"]]


def build(site_dir: Path, site_url: str) -> float:
    """Build the site for ``site_url`` into ``site_dir`` and add the bare page; return
    mkdocs' wall time in seconds."""
    env = dict(os.environ, SITE_URL=site_url, NO_MKDOCS_2_WARNING="1")
    mkdocs = ROOT / ".venv" / "bin" / "mkdocs"
    cmd = [str(mkdocs), "build", "--strict", "--site-dir", str(site_dir)]
    t = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True)
    seconds = time.perf_counter() - t
    bare = site_dir / BARE
    bare.mkdir(exist_ok=True)
    for file in (ROOT / "bench" / "bare").iterdir():
        shutil.copy(file, bare / file.name)
    return seconds
