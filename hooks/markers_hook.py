"""MkDocs side of the markers (``hooks/markers.py``): expand them in each page, note which
pages hold calculators, and write the build manifest (``hooks/manifest.py``)."""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hooks import manifest
from hooks.markers import MarkerError, expand_markers, relative_root

_pages: dict[str, manifest.Page] = {}
_nav_order: list[str] = []


def on_pre_build(config: MkDocsConfig) -> None:
    _pages.clear()  # `mkdocs serve` rebuilds in the same process


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> None:
    _nav_order[:] = [page.url for page in nav.pages]


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    try:
        out = expand_markers(html, page.file.src_path, relative_root(page.url))
    except MarkerError as error:
        raise PluginError(str(error)) from error
    # The template starts Python from the <head> of pages holding a calculator.
    page.meta["calculators"] = bool(out.calculators)
    _pages[page.url] = manifest.Page(page.url, page.title or "", out.calculators)
    return out.html


def on_post_build(config: MkDocsConfig) -> None:
    data = manifest.manifest(_pages.values(), _nav_order)
    manifest.write_manifest(Path(config.site_dir), data)
