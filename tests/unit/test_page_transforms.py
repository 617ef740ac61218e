"""The page transforms as a Markdown extension: every page comes out as it did when two
MkDocs hooks ran the same functions on each page's HTML, and the builder tells it which
page it converts. (ProperDocs does so too: ``make test-builders`` builds the site with it
and compares; in this process its plugins would need MkDocs' modules aliased to its own.)"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import markdown
import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.nav import get_navigation

from page_transforms import MarkerError, PageError, PageTransforms, page_of, transform_page

ROOT = Path(__file__).resolve().parents[2]


def _site(*, transforms: bool = True) -> tuple[Any, Any, list[Any]]:
    """MkDocs' config, files and pages for mkdocs.yml, its pages read, unrendered."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    if not transforms:
        config["markdown_extensions"].remove("page_transforms")
    files = get_files(config)
    pages = get_navigation(files, config).pages
    for page in pages:
        page.read_source(config)
    return config, files, pages


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # mkdocs.yml names includes/ relative to the project


def test_every_page_is_what_the_hooks_made() -> None:
    # Before: Markdown without the extension, then the transforms on the page's HTML (as
    # the on_page_content hooks did). After: the extension, last of Markdown's steps.
    config, files, before = _site(transforms=False)
    seen = ""
    for page in before:
        page.render(config, files)
        page.content = transform_page(page.content, page.file.src_path, page.url).html
    config, files, after = _site()
    assert [p.url for p in after] == [p.url for p in before]
    for old, new in zip(before, after, strict=True):
        new.render(config, files)
        assert new.content == old.content, new.file.src_path
        seen += new.content
    # Not vacuously: the pages hold every kind of thing the transforms make.
    for made in ('data-calculator="', 'data-output="', 'data-quote="', 'class="pow"',
                 '<abbr tabindex="0"', 'class="katex"', 'data-question="',
                 '<code tabindex="0">', 'class="headerlink" href="[^"]*" aria-label='):
        assert re.search(made, seen), made
    assert "<!-- calculator" not in seen and "arithmatex" not in seen


def test_the_builder_says_which_page_is_converted() -> None:
    config, files, pages = _site()
    page = next(p for p in pages if p.file.src_uri == "selection-power.md")
    page.render(config, files)
    # The calculator links its source relative to the page: one level down.
    assert 'href="../assets/calc/src/' in page.content
    home = next(p for p in pages if p.file.src_uri == "index.md")
    home.markdown = "<!-- calculator: frames -->\n"  # the home page holds none of its own
    home.render(config, files)
    assert 'href="./assets/calc/src/' in home.content  # "./" is the home page, the root
    # A bad marker names its page.
    page.markdown = "<!-- calculator: no-such -->\n"
    with pytest.raises(MarkerError, match=r"^selection-power\.md: unknown calculator"):
        page.render(config, files)


def test_without_a_builder_the_page_is_named_or_nothing_is_converted() -> None:
    md = markdown.Markdown(extensions=[PageTransforms()])
    with pytest.raises(PageError):
        md.convert("text")
    md = markdown.Markdown(extensions=[PageTransforms(path="a/b.md", url="a/b/")])
    assert 'href="../../assets/calc/src/' in md.convert("<!-- calculator: frames -->")
    assert page_of(md, "x.md", "") == ("x.md", "")
