"""Finishing touches to a page's rendered text; nothing here depends on MkDocs.

- Math typeset at build time: arithmatex's TeX becomes KaTeX HTML, rendered by KaTeX
  under Node, so pages need no script to show formulas; the search index gets a plain
  copy of each formula instead (``scripts/katex_render.mjs`` says why).
- A glossary term's tooltip on its first use only.
- Names, not tooltips, for the permalink and footnote back-links.
- Code blocks that take keyboard focus.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

__all__ = [
    "KatexError",
    "first_abbreviations_only",
    "focusable_code_blocks",
    "named_symbol_links",
    "render_math",
]

ROOT = Path(__file__).resolve().parent.parent
MATH = re.compile(
    r'<(span|div) class="arithmatex">(?:\\\((.*?)\\\)|\\\[(.*?)\\\])</\1>', re.DOTALL
)
ABBR = re.compile(r'<abbr title="([^"]*)">(.*?)</abbr>', re.DOTALL)
# Headings and links keep their terms as plain text: a heading is read as a title, and
# a focusable tooltip inside a link would nest one control in another (axe).
HEADING_OR_ABBR = re.compile(r"<(h[1-6]|a)\b[^>]*>.*?</\1>|" + ABBR.pattern, re.DOTALL)


#: A heading's permalink (¶) or a footnote's way back (↩), with its words in a title.
SYMBOL_LINK = re.compile(r'(<a class="(?:headerlink|footnote-backref)" href="[^"]*" )title=')


class KatexError(RuntimeError):
    """KaTeX could not typeset a formula: the build must stop."""


def render_math(html_text: str) -> str:
    """Replace arithmatex's TeX spans with KaTeX HTML, rendered by Node in one batch.

    >>> render_math("<p>no math</p>")
    '<p>no math</p>'
    """
    found = list(MATH.finditer(html_text))
    if not found:
        return html_text
    items = [
        {"tex": html.unescape(m.group(2) or m.group(3)), "display": m.group(1) == "div"}
        for m in found
    ]
    proc = subprocess.run(
        ["node", str(ROOT / "scripts" / "katex_render.mjs")],
        input=json.dumps(items),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise KatexError(f"KaTeX failed: {proc.stderr.strip()}")
    rendered: list[str] = json.loads(proc.stdout)
    parts, last = [], 0
    for m, out in zip(found, rendered, strict=True):
        parts += [html_text[last : m.start()], out]
        last = m.end()
    parts.append(html_text[last:])
    return "".join(parts)


def _forms(term: str) -> set[str]:
    """A term and its plural or singular: "schemer" and "schemers" are one term."""
    word = term.lower()
    return {word, word + "s", word + "es"} | {
        word[: -len(end)] for end in ("es", "s") if word.endswith(end)
    }


def first_abbreviations_only(html_text: str) -> str:
    """Keep a glossary term's tooltip on its first use in the page's prose.

    Every use underlined reads as noise, and each tooltip is a component the theme
    mounts at load. Headings get none: a heading is read as a title, not hovered.
    The kept ones take keyboard focus, which shows the tooltip as hovering does.

    >>> first_abbreviations_only('<abbr title="t">SGD</abbr> and <abbr title="t">SGD</abbr>')
    '<abbr tabindex="0" title="t">SGD</abbr> and SGD'
    >>> first_abbreviations_only('<h1 id="a">The <abbr title="t">crux</abbr></h1> <abbr '
    ...                          'title="t">crux</abbr>, <abbr title="u">cruxes</abbr>')
    '<h1 id="a">The crux</h1> <abbr tabindex="0" title="t">crux</abbr>, cruxes'
    """
    seen: set[str] = set()

    def keep(m: re.Match[str]) -> str:
        if m.group(1):  # a heading or a link: its terms as plain text
            return ABBR.sub(lambda a: a.group(2), m.group(0))
        term = m.group(3)
        if term.lower() in seen:
            return term
        seen.update(_forms(term))
        # Focusable, so the theme shows the definition on keyboard focus as on hover.
        return m.group(0).replace("<abbr ", '<abbr tabindex="0" ', 1)

    return HEADING_OR_ABBR.sub(keep, html_text)


def focusable_code_blocks(html_text: str) -> str:
    """Let each code block take keyboard focus.

    A code block can scroll sideways, so it must be reachable by keyboard even without
    the theme's JavaScript, which otherwise adds this (axe: scrollable-region-focusable).

    >>> focusable_code_blocks('<pre><span></span><code>x = 1</code></pre>')
    '<pre><span></span><code tabindex="0">x = 1</code></pre>'
    """
    return html_text.replace("<pre><span></span><code>", '<pre><span></span><code tabindex="0">')


def named_symbol_links(html_text: str) -> str:
    """Give the words of a permalink's or a footnote back-link's title as its name.

    The link shows only a symbol, so a screen reader would name it "pilcrow" and put
    the words in its description. And the theme turns every titled element in the
    content into a tooltip it mounts at load: a page has as many of these links as it
    has headings and footnotes (the glossary about thirty), which lengthened the
    theme's start-up task for a tooltip over a symbol.

    >>> named_symbol_links('<a class="headerlink" href="#a" title="Permanent link">¶</a>')
    '<a class="headerlink" href="#a" aria-label="Permanent link">¶</a>'
    >>> named_symbol_links('<a href="#a" title="A tooltip">words</a>')
    '<a href="#a" title="A tooltip">words</a>'
    """
    return SYMBOL_LINK.sub(r"\1aria-label=", html_text)
