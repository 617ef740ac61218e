"""The link-preview images (hooks/previews.py); the built pages' meta is checked in
tests/e2e/test_previews.py."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from hooks import previews
from hooks.previews import Preview, preview, render, takeaway

ROOT = Path(__file__).resolve().parents[2]
SITE = "https://example.org/scheming-ais/"


def _worst() -> Preview:
    """Two full lines of title, the most takeaway that fits, the longest number."""
    return preview("Two frames: contributors to reward vs. extra criteria, and more words",
                   "Simplicity can matter only through the reward it earns, or as an extra "
                   "criterion of its own: worth tracking which frame an argument uses, always.",
                   "two-frames/", SITE, "counting-odds")


def test_an_image_is_a_small_png_of_1200_by_630() -> None:
    data = render(_worst(), "The counting argument, interactive")
    image = Image.open(io.BytesIO(data))
    assert (image.format, image.size) == ("PNG", (1200, 630))
    assert len(data) < 60_000
    assert not image.info  # no timestamp, no text chunks


def test_the_same_preview_gives_the_same_bytes_in_another_interpreter() -> None:
    code = ("import sys; from tests.unit.test_previews import _worst; "
            "from hooks.previews import render; "
            "sys.stdout.buffer.write(render(_worst(), 'x'))")
    runs = [subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                           check=True, env=dict(os.environ, PYTHONHASHSEED=seed)).stdout
            for seed in ("1", "2")]
    assert runs[0] == runs[1] == render(_worst(), "x")


def test_a_takeaway_too_long_for_the_image_fails_the_build() -> None:
    long = preview("Glossary", "word " * 120, "glossary/", SITE, None)
    with pytest.raises(ValueError, match="too long"):
        render(long, "x")


def test_a_description_the_theme_would_write_raw_is_refused() -> None:
    with pytest.raises(ValueError, match="description"):
        takeaway('Say "counting"', "")


def test_a_relative_site_url_is_refused() -> None:
    with pytest.raises(ValueError, match="site_url"):
        preview("T", "D", "", "/scheming-ais/", None)


def test_without_dejavu_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    monkeypatch.setattr(previews, "FONT_DIRS", (tmp_path,))
    previews._font.cache_clear()
    try:
        with pytest.raises(previews.FontMissing, match="fonts-dejavu-core"):
            render(_worst(), "x")
    finally:
        previews._font.cache_clear()


def test_a_number_with_powers_is_drawn_with_them_raised() -> None:
    assert list(previews._runs("1 − 2^-100 (≈ 1 − 7.89 × 10^-31)")) == [
        ("1 − 2", False), ("\u2212100", True), (" (≈ 1 − 7.89 × 10", False),
        ("\u221231", True), (")", False)]
