"""The pages' sources: things the Markdown extensions would silently get wrong."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TERMS = [
    line[2:line.index("]")]
    for line in (ROOT / "includes" / "abbreviations.md").read_text().splitlines()
    if line.startswith("*[")
]


def test_multi_word_glossary_terms_are_never_split_across_lines() -> None:
    # The abbr extension matches a term's words separated by one space: a line break
    # between them loses the tooltip there, and first use moves to a later mention.
    split = []
    for page in sorted((ROOT / "docs").glob("*.md")):
        text = page.read_text()
        for term in (t for t in TERMS if " " in t):
            pattern = r"\b" + r"\s+".join(map(re.escape, term.split(" "))) + r"\b"
            for m in re.finditer(pattern, text):
                if "\n" in m.group(0):
                    split.append((page.name, text.count("\n", 0, m.start()) + 1, term))
    assert split == []


def test_every_tooltip_term_is_used_and_defined() -> None:
    # A tooltip nobody sees is dead weight; a tooltip without a glossary entry leaves a
    # reader who wants more nowhere to go.
    pages = " ".join(p.read_text() for p in (ROOT / "docs").glob("*.md")).lower()
    glossary = (ROOT / "docs" / "glossary.md").read_text().lower()
    headings = {h.strip() for h in re.findall(r"^## (.+)$", glossary, re.M)}
    unused = [t for t in TERMS if not re.search(r"\b" + re.escape(t.lower()) + r"\b", pages)]
    assert unused == []
    # A term is defined by a heading that is the term, its singular, or a stem it shares
    # ("training-games" under "Training-gaming", "epoch-wise double descent" under
    # "Double descent").
    undefined = [t for t in TERMS
                 if not any(h == t.lower() or h in t.lower() or (h[:-3] == t.lower()[:len(h) - 3]
                            and len(h) > 8) for h in headings)]
    assert undefined == []


def test_cited_version_is_the_package_version() -> None:
    from calculators import __version__

    cff = (ROOT / "CITATION.cff").read_text()
    assert f"\nversion: {__version__}\n" in cff
    assert f"(version {__version__})" in (ROOT / "docs" / "cite.md").read_text()


def test_offline_page_lists_every_output_key_of_its_example() -> None:
    from calculators import CALCULATORS

    text = (ROOT / "docs" / "offline.md").read_text()
    listed = text.split("(for this calculator, ", 1)[1].split(")", 1)[0]
    keys = set(re.findall(r"`([a-z0-9_]+)`", listed))
    assert keys == {o.key for o in CALCULATORS["breakeven"].outputs}


def test_no_line_starts_with_a_value_marker() -> None:
    # A line that starts with an HTML comment starts an HTML block in Markdown: the
    # paragraph breaks there and the quoted number stands alone on its own line.
    starts = [(page.name, n) for page in sorted((ROOT / "docs").glob("*.md"))
              for n, line in enumerate(page.read_text().splitlines(), 1)
              if re.match(r"\s*<!-- value:", line)]
    assert starts == []
