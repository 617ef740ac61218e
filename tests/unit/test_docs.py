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


def test_glossary_has_terms() -> None:
    assert len(TERMS) > 20 and all(TERMS)


def test_offline_page_lists_every_output_key_of_its_example() -> None:
    from calculators import CALCULATORS

    text = (ROOT / "docs" / "offline.md").read_text()
    listed = text.split("(for this calculator, ", 1)[1].split(")", 1)[0]
    keys = set(re.findall(r"`([a-z0-9_]+)`", listed))
    assert keys == {o.key for o in CALCULATORS["breakeven"].outputs}
