"""MkDocs side of ``hooks/previews.py``: each page's link preview, its image written into
the site and its data given to ``overrides/main.html`` as ``page.meta.preview``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hooks.output import write_if_changed
from hooks.previews import (
    HOME_BAND,
    FontMissing,
    calculator_on,
    image_path,
    preview,
    render,
    takeaway,
)


def _title(page: Page) -> str:
    """The page's own heading (the nav's titles are short: "4.1 Two frames")."""
    first = next(iter(page.toc), None)
    return first.title if first is not None and first.level == 1 else page.title or ""


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig,
                    nav: Navigation) -> dict[str, Any]:
    """After the content is rendered (so its calculators are known), before the template."""
    content = page.content or ""
    try:
        p = preview(_title(page), takeaway(page.meta.get("description"), content),
                    page.url, config.site_url or "", calculator_on(content))
        # The home page's heading is the site's name: its band says what the site is.
        png = render(p, HOME_BAND if page.is_homepage else config.site_name)
    except (FontMissing, ValueError) as error:
        raise PluginError(f"{page.file.src_path}: link preview: {error}") from error
    write_if_changed(Path(config.site_dir) / image_path(page.url), png)
    page.meta["preview"] = p
    return context
