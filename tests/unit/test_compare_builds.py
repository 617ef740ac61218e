"""scripts/compare_builds.py, which `make test-builders` runs on the MkDocs and ProperDocs
builds: equal sites pass, and a changed number, page or file is named."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from compare_builds import compare, main, numbers  # noqa: E402

PAGE = (
    '<html><head><meta name="generator" content="{builder}"></head><body>'
    '<p class="calc__headline" data-headline="odds" data-value="0.5">Even: <b>1 : 1</b></p>'
    '<output data-output="odds" data-value="{value}">about <span class="pow">2<sup>-1'
    '</sup></span></output><input name="x"><span data-quote="c.odds" data-value="0.5">'
    "½</span></body></html>"
)


def _site(root: Path, builder: str, value: str = "0.5", extra: str = "") -> Path:
    (root / "a").mkdir(parents=True)
    (root / "a" / "index.html").write_text(PAGE.format(builder=builder, value=value))
    version = f"{len(builder):016x}"  # the service worker's version hashes every file
    (root / "sw.js").write_text(f'const VERSION = "{version}";\n')
    if extra:
        (root / extra).write_text("x")
    return root


def test_numbers_are_read_with_their_text() -> None:
    found = numbers(PAGE.format(builder="b", value="0.5"))
    assert found == [
        ("data-output", "odds", "0.5", "about 2-1"),
        ("data-headline", "odds", "0.5", "Even: 1 : 1"),
        ("data-quote", "c.odds", "0.5", "½"),
    ]


def test_sites_differing_only_in_their_builder_are_the_same(tmp_path: Path) -> None:
    a = _site(tmp_path / "mkdocs", "mkdocs-1.6.1")
    b = _site(tmp_path / "properdocs", "ProperDocs 1.6.7")
    assert compare(a, b) == []
    assert main([str(a), str(b)]) == 0


def test_a_changed_number_or_file_is_named(tmp_path: Path) -> None:
    a = _site(tmp_path / "mkdocs", "mkdocs")
    b = _site(tmp_path / "properdocs", "properdocs", value="0.25", extra="more.css")
    problems = compare(a, b)
    assert problems[0] == f"only in {b}: more.css"
    assert problems[1] == "a/index.html: prerendered numbers differ (3 vs 3)"
    assert "'0.5'" in problems[2] and "'0.25'" in problems[2]
    assert problems[-1] == "a/index.html: differs"
    assert main([str(a), str(b)]) == 1
    assert main([str(tmp_path / "empty"), str(b)]) == 1
