"""Everything that rewrites a page, as one Python-Markdown extension.

Registered in ``mkdocs.yml`` under ``markdown_extensions:`` as ``page_transforms``, so
any builder that runs Python-Markdown extensions (MkDocs, ProperDocs, Zensical) runs it;
build-level jobs (shipping Pyodide, the wheel, the snapshot, the CSP, the service worker,
the build manifest) stay in ``hooks/``. One postprocessor, run last on each page's HTML,
does what two MkDocs hooks did on ``on_page_content``, in the same order, with the same
functions (moved here unchanged):

- ``markers.py``: the calculator, value, figure and predict markers, with their numbers
  and powers typeset (2^-100 as 2<sup>−100</sup>);
- ``reading.py``: the "Your reading" page's markers, at the essay's values;
- ``page_text.py``: a glossary term's tooltip on its first use, named symbol links,
  focusable code blocks, and the math typeset by KaTeX at build time.

Which page is being converted? Python-Markdown knows nothing of pages, yet a calculator
links its Python source relative to the page (no root-absolute URLs) and errors must
name the page. The extension reads the page from the state each builder already puts on
the ``Markdown`` instance it makes for that page: MkDocs and ProperDocs register their
link-rewriting treeprocessor ``relpath`` holding the page's ``File`` (an internal of
MkDocs, frozen with 1.6.1, the last 1.x, and kept by ProperDocs); Zensical registers a
preprocessor ``rendering_context`` holding its ``Page``, kept for extensions to read.
Chosen over a registry filled by a hook because Zensical runs no hooks, and over
extension config because that is one for the whole site, not per page. If a builder
moves that state, the build stops (:class:`PageError`) rather than guess:
``tests/unit/test_page_transforms.py`` renders pages through MkDocs, and
``make test-builders`` builds the site with ProperDocs. Outside a builder (a test, plain
``markdown.markdown``) the extension's ``path`` and ``url`` options name the page.

What the build needs back (which calculators each page holds: the template starts
Python early on those, and the build manifest lists them) is recorded in
:data:`calculators_on`, by URL; ``hooks/manifest_hook.py`` reads it.

>>> import markdown
>>> md = markdown.Markdown(extensions=[PageTransforms(path="a.md", url="a/")])
>>> "data-quote=" in md.convert("About <!-- value: breakeven.bits_per_step --> bit.")
True
>>> calculators_on["a/"]
()
"""

from __future__ import annotations

from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor

from page_transforms.markers import Expanded, MarkerError, expand_markers, relative_root
from page_transforms.page_text import (
    KatexError,
    first_abbreviations_only,
    focusable_code_blocks,
    named_symbol_links,
    render_math,
)
from page_transforms.reading import expand as expand_reading

__all__ = [
    "KatexError",
    "MarkerError",
    "PageError",
    "PageTransforms",
    "calculators_on",
    "makeExtension",
    "page_of",
    "transform_page",
]

#: The calculators each page converted in this process holds, by the page's URL ("" is
#: the home page, "notes/" another). A later conversion of a page replaces its entry.
calculators_on: dict[str, tuple[str, ...]] = {}


class PageError(ValueError):
    """The extension cannot tell which page it converts."""


def transform_page(html_text: str, path: str, url: str) -> Expanded:
    """One page's HTML, every transform applied; ``path`` names the page in errors,
    ``url`` is its URL relative to the site's root. Raises :class:`MarkerError` or
    :class:`KatexError` on what must stop the build."""
    out = expand_markers(html_text, path, relative_root(url))
    text = expand_reading(out.html, path)
    text = focusable_code_blocks(named_symbol_links(first_abbreviations_only(text)))
    try:
        text = render_math(text)
    except KatexError as error:
        raise KatexError(f"{path}: {error}") from error
    return Expanded(text, out.calculators)


def page_of(md: Markdown, path: str = "", url: str = "") -> tuple[str, str]:
    """The (source path, URL) of the page ``md`` converts: as given (when ``path`` is),
    else as its builder recorded it on ``md`` (see the module's docstring)."""
    if path:
        return path, url
    if "relpath" in md.treeprocessors:  # MkDocs 1.x, ProperDocs
        file = getattr(md.treeprocessors["relpath"], "file", None)
        if file is not None:  # its URL is "./" for the home page, which pages call ""
            return str(file.src_uri), "" if file.url in (".", "./") else str(file.url)
    if "rendering_context" in md.preprocessors:  # Zensical
        page = getattr(md.preprocessors["rendering_context"], "page", None)
        if page is not None:
            return str(page.path), str(page.url)
    raise PageError("page_transforms: no page to convert (give the `path` and `url` options)")


class _Transform(Postprocessor):
    def __init__(self, md: Markdown, extension: PageTransforms) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        options = self.extension.getConfigs()
        path, url = page_of(self.md, options["path"], options["url"])
        out = transform_page(text, path, url)
        calculators_on[url] = out.calculators
        return out.html


class PageTransforms(Extension):
    """The site's page transforms (the module's docstring lists them)."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "path": ["", "the page's source path, for a conversion outside a builder"],
            "url": ["", "the page's URL (relative, '' for the home page), likewise"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        # Last of all: after the raw HTML (where the markers are) is put back in.
        md.postprocessors.register(_Transform(md, self), "page_transforms", -100)


def makeExtension(**kwargs: Any) -> PageTransforms:
    return PageTransforms(**kwargs)

