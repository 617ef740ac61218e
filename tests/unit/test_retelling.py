"""The pages retell sections 4.1 and 4.2 in their own words, and leave nothing out.

* Verbatim: of the essay's 8-word runs, at most 5 % may stand word for word in the
  pages, and no verbatim run may be longer than 24 words (the workplace's paraphrase
  check, held here against a fingerprint of the essay: the repository does not hold
  the essay itself; see scripts/essay_fingerprint.py).
* Coverage: every idea, example and credit of the two sections, and each of the nine
  footnotes told on the notes page.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from essay_fingerprint import fingerprint, words  # noqa: E402

PAGES = sorted((ROOT / "docs").glob("*.md"))
TEXT = "\n".join(p.read_text(encoding="utf-8") for p in PAGES)
ESSAY = [line for line in (ROOT / "tests" / "unit" / "data" / "essay-8grams.txt")
         .read_text().splitlines() if line and not line.startswith("#")]


def verbatim(pages: str, essay: list[str] = ESSAY) -> tuple[float, int]:
    """(share of the essay's 8-word runs found in ``pages``, longest verbatim run)."""
    have = set(fingerprint(words(pages)))
    hits = [h in have for h in essay]
    run = best = 0
    for hit in hits:
        run = run + 1 if hit else 0
        best = max(best, run)
    return sum(hits) / len(hits), best + 7 if best else 0


def test_the_pages_retell_rather_than_repeat() -> None:
    share, longest = verbatim(TEXT)
    assert share <= 0.05, f"{share:.1%} of the essay's 8-word runs stand verbatim"
    assert longest <= 24, f"a verbatim run of {longest} words"


def test_the_check_finds_a_pasted_passage() -> None:
    # On a stand-in essay: a page that pastes 30 of its words holds a 30-word run.
    essay = " ".join(f"word{i}" for i in range(200))
    pasted = "Some words of ours, then " + " ".join(f"word{i}" for i in range(50, 80))
    share, longest = verbatim(pasted, fingerprint(words(essay)))
    assert longest == 30 and share == pytest.approx(23 / 193)
    assert verbatim("nothing in common at all, not one run of eight words", essay=ESSAY) == (
        0.0, 0)


def test_the_fingerprint_is_this_essay() -> None:
    # Eight words the essay does say, in this order (its own verdict on the hazy
    # argument): their run is in the fingerprint.
    assert fingerprint(words("the hazy counting argument is unprincipled and informal"))[0] in (
        set(ESSAY))


# Each concept the two sections contain, as a pattern the pages must hold somewhere.
CONCEPTS = {
    "the two frames": r"contributors to reward.*extra criteria",
    "frame 1 simplicity argument (freed parameters)": r"leaves free|frees parameters",
    "simplicity argument in frame 2": r"SGD also favours simplicity",
    "inductive bias defined": r"inductive bias is anything other than the observed",
    "Battaglia et al. (2018), Box 2": r"Box 2 of Battaglia et al\. \(2018\)",
    "a worse fit picked by the biases": r"worse training fit",
    "simpler theory in science": r"simpler theory",
    "frames may not matter in the end": r"may turn out not to matter",
    "four model classes": r"Training saint.*Mis-generalized non-training-gamer.*"
                          r"Reward-on-the-episode seeker.*Schemer",
    "gold coins example": r"gold coins",
    "paperclips, staples, happiness": r"paperclips.{0,200}staples.{0,200}happiness",
    "goal-guarding assumption": r"goal-guarding",
    "schemers 'outnumber' non-schemers": r'"outnumber"',
    "other things equal": r"other things equal",
    "nearest max-reward goal": r"nearest max-reward goal",
    "narrow target": r"narrow target",
    "car parts (Garfinkel)": r"car parts",
    "non-schemers need not be aligned": r"non-schemer need not be aligned|not necessarily aligned",
    "decent portion of credence; section 5": r"section 5",
    "strict counting argument": r"strict counting argument",
    "uniform distribution over individual models": r"uniform draw over individual models",
    "we don't know which ones SGD likes": r"do not know \*which\* ones",
    "whole class favoured": r"whole class",
    "Bob's restaurants": r"Bob.*Mexican.*Chinese.*Thai",
    "ten Chinese per Mexican": r"outnumber\s+Mexican ones ten to one|ten Chinese",
    "more restaurants, more variance": r"more variance",
    "selection power neglected": r"selection power",
    "2^100 made up": r"made up the \$2\^\{100\}\$ ratio",
    "a step is at least a bit": r"at least one \*\*bit\*\*",
    "100 extra steps to SGD": r"100 extra gradient steps",
    "speed costs, section 4.4, hope": r"speed costs.{0,80}section 4\.4",
    "hazy counting argument": r"hazy counting argument",
    "privileges the hypothesis": r"\*privilege\* the hypothesis",
    "pay-rise contrast": r"pay rise",
    "unprincipled and informal": r"unprincipled and informal",
}


@pytest.mark.parametrize("concept", sorted(CONCEPTS))
def test_every_concept_of_the_sections_is_retold(concept: str) -> None:
    # Within one page: a pattern with gaps must not be met by pieces of several pages.
    assert any(re.search(CONCEPTS[concept], page.read_text(encoding="utf-8"),
                         re.DOTALL | re.IGNORECASE) for page in PAGES), concept


CREDITS = ["Hubinger", "Xu", "Hazel Browne", "Ben Garfinkel", "Paul Christiano",
           "Strong Evidence is Common", "Battaglia"]


@pytest.mark.parametrize("name", CREDITS)
def test_every_credit_is_given(name: str) -> None:
    assert name in TEXT


def test_each_footnote_is_told_once_on_the_notes_page() -> None:
    notes = (ROOT / "docs" / "notes.md").read_text()
    assert re.findall(r"^## Note (\d)", notes, re.M) == [str(n) for n in range(1, 10)]
    # Elsewhere a footnote is a one-line gist and a link, never retold.
    for page in PAGES:
        if page.name == "notes.md":
            continue
        for gist in re.findall(r"^\[\^\d\]:(.*(?:\n    .*)*)", page.read_text(), re.M):
            assert len(gist.split()) <= 30, (page.name, gist)
            assert "notes.md#note-" in gist, (page.name, gist)
