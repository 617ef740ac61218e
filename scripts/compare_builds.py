"""Check that two builds of the site are the same site: ``make test-builders`` builds it
with MkDocs and with ProperDocs and runs this on the two.

Usage: ``python scripts/compare_builds.py SITE_A SITE_B``; exits 1, saying what differs.

First the calculators' prerendered numbers, page by page (every ``[data-output]``'s value
and text, every ``[data-headline]``, every ``[data-quote]``), so a wrong number is named
as such; then every file, byte for byte, except what names the builder or hashes
everything: the ``<meta name="generator">`` of each page and the version in ``sw.js``.
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

GENERATOR = re.compile(r'<meta name="generator" content="[^"]*">')
SW_VERSION = re.compile(r'"[0-9a-f]{16}"')
KINDS = ("data-output", "data-headline", "data-quote")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class _Numbers(HTMLParser):
    """(attribute, its value, data-value, text) of each element carrying one of KINDS."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str, str]] = []
        self.open: list[tuple[str, str, str, int, list[str]]] = []  # kind, name, value, depth
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        self.depth += 1
        a = dict(attrs)
        for kind in KINDS:
            if kind in a:
                self.open.append((kind, a[kind] or "", a.get("data-value") or "", self.depth, []))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        while self.open and self.open[-1][3] == self.depth:
            kind, name, value, _, text = self.open.pop()
            self.found.append((kind, name, value, " ".join("".join(text).split())))
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        for *_, text in self.open:
            text.append(data)


def numbers(page: str) -> list[tuple[str, str, str, str]]:
    """The prerendered numbers of one page, in document order of their ends."""
    parser = _Numbers()
    parser.feed(page)
    return sorted(parser.found, key=lambda item: KINDS.index(item[0]))


def _normal(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".html":
        return GENERATOR.sub("", data.decode()).encode()
    if path.name == "sw.js":
        return SW_VERSION.sub('"VERSION"', data.decode()).encode()
    return data


def compare(a: Path, b: Path) -> list[str]:
    """What differs between the sites built in ``a`` and ``b`` (nothing: an empty list)."""
    files_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    problems = [f"only in {a}: {p}" for p in sorted(files_a - files_b)]
    problems += [f"only in {b}: {p}" for p in sorted(files_b - files_a)]
    both = sorted(files_a & files_b)
    for rel in (p for p in both if p.endswith(".html")):
        na = numbers((a / rel).read_text(encoding="utf-8"))
        nb = numbers((b / rel).read_text(encoding="utf-8"))
        if na != nb:
            diff = [f"    {x} != {y}" for x, y in zip(na, nb, strict=False) if x != y]
            problems.append(f"{rel}: prerendered numbers differ ({len(na)} vs {len(nb)})")
            problems += diff[:10]
    problems += [f"{rel}: differs" for rel in both if _normal(a / rel) != _normal(b / rel)]
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    a, b = (Path(arg) for arg in argv)
    pages = sorted(a.rglob("*.html"))
    if not pages:
        print(f"{a}: no built pages", file=sys.stderr)
        return 1
    problems = compare(a, b)
    for line in problems:
        print(line, file=sys.stderr)
    if problems:
        return 1
    count = sum(len(numbers(p.read_text(encoding="utf-8"))) for p in pages)
    print(f"{a} and {b}: the same {len(pages)} pages, {count} prerendered numbers equal")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
