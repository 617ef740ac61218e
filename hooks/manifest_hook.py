"""The build manifest (``hooks/manifest.py``): which pages the site has, and which
calculators each holds, as the page transforms (the ``page_transforms`` Markdown
extension) found them; and, per page, whether the template starts Python early."""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hooks import manifest
from page_transforms import calculators_on

_pages: dict[str, manifest.Page] = {}
_nav_order: list[str] = []


def on_pre_build(config: MkDocsConfig) -> None:
    _pages.clear()  # `mkdocs serve` rebuilds in the same process
    calculators_on.clear()


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> None:
    _nav_order[:] = [page.url for page in nav.pages]


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    found = calculators_on.get(page.url, ())
    # The template starts Python from the <head> of pages holding a calculator.
    page.meta["calculators"] = bool(found)
    _pages[page.url] = manifest.Page(page.url, page.title or "", found)
    return html


def on_post_build(config: MkDocsConfig) -> None:
    data = manifest.manifest(_pages.values(), _nav_order)
    manifest.write_manifest(Path(config.site_dir), data)
