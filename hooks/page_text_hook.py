"""MkDocs side of ``hooks/page_text.py``: keep each glossary tooltip on its first use,
name the symbol links, make code blocks focusable and typeset the math, in every page."""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hooks.page_text import (
    KatexError,
    first_abbreviations_only,
    focusable_code_blocks,
    named_symbol_links,
    render_math,
)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    html = focusable_code_blocks(named_symbol_links(first_abbreviations_only(html)))
    try:
        return render_math(html)
    except KatexError as error:
        raise PluginError(f"{page.file.src_path}: {error}") from error
