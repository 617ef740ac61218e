"""Write the source essay's fingerprint, which the retelling test checks the pages against.

usage: python scripts/essay_fingerprint.py ESSAY.txt > tests/unit/data/essay-8grams.txt

The repository does not hold the essay (the site retells it; it never pastes it), only
each of its 8-word runs, in order, as a short hash: enough to find a run the pages
repeat word for word, and its length, with the same rules as the workplace's
paraphrase check.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

N = 8


def words(text: str) -> list[str]:
    """The words a verbatim run is made of: lower case, markup and punctuation dropped."""
    text = re.sub(r"<[^>]+>|[*_`#>\[\]()|]", " ", text)
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.lower())


def fingerprint(ws: list[str]) -> list[str]:
    """Each N-word run of ``ws``, in order, as a 6-byte BLAKE2b hash (hex)."""
    return [hashlib.blake2b(" ".join(ws[i:i + N]).encode(), digest_size=6).hexdigest()
            for i in range(len(ws) - N + 1)]


def main() -> None:
    essay = Path(sys.argv[1]).read_text(encoding="utf-8")
    print("# The source essay's 8-word runs, in order, each as a 6-byte BLAKE2b hash of its words")
    print("# (lower case, joined by spaces; see tests/unit/test_retelling.py). Made once from the")
    print("# essay with scripts/essay_fingerprint.py; the essay itself is not in this repository.")
    print("\n".join(fingerprint(words(essay))))


if __name__ == "__main__":
    main()
