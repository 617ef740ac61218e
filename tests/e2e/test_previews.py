"""Link previews in the built site: every page's Open Graph / Twitter meta and its image
(``hooks/previews.py``). Read from the files `make test-e2e` built, no browser needed."""

from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import PAGES, ROOT, SITE, SITE_DIR, calculators_on

pytestmark = pytest.mark.e2e

PREVIEWS = SITE_DIR / "assets" / "previews"


class _Head(HTMLParser):
    """The ``<meta>`` tags of a page (property= or name=) and its first calculator's
    prerendered headline number."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.headline_key: str | None = None
        self.outputs: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        key = a.get("property") or a.get("name")
        if tag == "meta" and key and "content" in a:
            self.meta.setdefault(key, []).append(a["content"])
        if "data-headline" in a and self.headline_key is None:
            self.headline_key = a["data-headline"]
        if "data-output" in a and "data-text" in a:
            self.outputs.setdefault(a["data-output"], a["data-text"])


def _head(path: str) -> _Head:
    parser = _Head()
    parser.feed((SITE_DIR / path / "index.html").read_text(encoding="utf-8"))
    return parser


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_preview_meta_and_image(path: str) -> None:
    head = _head(path)
    one = {key: values[0] for key, values in head.meta.items()}
    for key in ("og:title", "og:description", "og:url", "og:image", "og:type",
                "twitter:card", "twitter:title", "twitter:description", "twitter:image"):
        assert len(head.meta.get(key, [])) == 1, f"{path or '/'}: {key} missing or repeated"
        assert one[key].strip(), f"{path or '/'}: {key} is empty"
    assert one["twitter:card"] == "summary_large_image"
    assert one["og:url"] == SITE + path  # absolute, canonical, under site_url
    assert one["og:title"] == one["twitter:title"]
    assert one["og:description"] == one["twitter:description"] == one["description"]
    image = one["og:image"]
    assert image == one["twitter:image"]
    assert image.startswith(SITE + "assets/previews/") and image.endswith(".png")
    data = (SITE_DIR / image.removeprefix(SITE)).read_bytes()
    assert _png_size(data) == (1200, 630) == (int(one["og:image:width"]),
                                               int(one["og:image:height"]))
    assert len(data) < 60_000, f"{image}: {len(data)} bytes"
    assert not re.search(rb"tIME|tEXt|iTXt|zTXt", data[: data.find(b"IDAT")]), "metadata"


@pytest.mark.parametrize("path", [p for p in PAGES if calculators_on(p)])
def test_a_calculator_page_previews_its_prerendered_headline_number(path: str) -> None:
    head = _head(path)
    assert head.headline_key is not None
    number = head.outputs[head.headline_key]
    assert head.meta["og:image:alt"][0].endswith(f": {number}."), (
        f"{path}: the image does not say the page's headline {number!r}")


def test_the_images_are_one_per_page_and_the_same_bytes_on_a_second_build(
        tmp_path: Path) -> None:
    built = {p.name: p.read_bytes() for p in PREVIEWS.glob("*.png")}
    assert len(built) == len(PAGES)
    env = dict(os.environ, SITE_URL=SITE, NO_MKDOCS_2_WARNING="1", PYTHONHASHSEED="1")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
                    "--site-dir", str(tmp_path / "site")], cwd=ROOT, env=env, check=True)
    again = {p.name: p.read_bytes() for p in (tmp_path / "site/assets/previews").glob("*.png")}
    assert again.keys() == built.keys()
    assert [n for n in built if built[n] != again[n]] == []
