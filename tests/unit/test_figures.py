"""The build-time figures: deterministic, well-formed, accessible, and showing what they claim."""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

# `figures` lives at the repository root and is not part of the installed package.
_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

import figures  # noqa: E402
from figures import double_descent  # noqa: E402

SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def html() -> str:
    return figures.render("double-descent")


def _svg(fragment: str) -> ET.Element:
    match = re.search(r"<svg\b.*?</svg>", fragment, re.DOTALL)
    assert match, "no inline SVG in the fragment"
    return ET.fromstring(match.group(0))


def test_every_listed_figure_renders() -> None:
    assert figures.FIGURES == ("double-descent",)
    for fig_id in figures.FIGURES:
        assert figures.render(fig_id).startswith(f'<figure class="figure" id="fig-{fig_id}">')


def test_unknown_id_raises() -> None:
    with pytest.raises(ValueError, match="unknown figure"):
        figures.render("no-such-figure")


def test_deterministic_and_compact(html: str) -> None:
    again = figures.render("double-descent")
    assert again == html
    assert len(html.encode()) < 30_000


def test_fragment_and_svg_are_well_formed(html: str) -> None:
    ET.fromstring(html)  # the whole fragment is well-formed XML too
    svg = _svg(html)
    assert svg.tag == f"{SVG_NS}svg"
    assert svg.get("role") == "img"
    assert svg.get("width") == "100%"
    assert re.fullmatch(r"0 0 \d+ \d+", svg.get("viewBox", ""))
    ids = {el.get("id") for el in svg.iter() if el.get("id")}
    labelled_by = svg.get("aria-labelledby", "").split()
    assert labelled_by and set(labelled_by) <= ids
    title, desc = svg.find(f"{SVG_NS}title"), svg.find(f"{SVG_NS}desc")
    assert title is not None and title.text
    assert desc is not None and desc.text and "Test error" in desc.text


def test_a_wide_and_a_compact_drawing_of_the_same_data(html: str) -> None:
    svgs = [ET.fromstring(m) for m in re.findall(r"<svg\b.*?</svg>", html, re.DOTALL)]
    assert [s.get("class") for s in svgs] == ["figure__wide", "figure__narrow"]
    wide, narrow = (s.get("viewBox", "").split() for s in svgs)
    assert int(wide[2]) == 640 and int(narrow[2]) <= 360  # about 1:1 on a phone
    for svg in svgs:
        labelled_by = set(svg.get("aria-labelledby", "").split())
        assert labelled_by <= {el.get("id") for el in svg.iter() if el.get("id")}
        texts = " ".join(t.text or "" for t in svg.iter(f"{SVG_NS}text"))
        for label in ("test error", "training error", "Training steps", "Mean squared error"):
            assert label in texts
    # The same curves: identical markers in both, only placed differently.
    counts = [len(list(s.iter(f"{SVG_NS}circle"))) for s in svgs]
    assert counts[0] == counts[1] > 10


def test_ids_cannot_collide(html: str) -> None:
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert ids[0] == "fig-double-descent"
    assert all(i.startswith("dd-") for i in ids[1:])
    assert len(ids) == len(set(ids))


def test_readable_without_colour_and_in_both_palettes(html: str) -> None:
    svg = _svg(html)
    texts = " ".join(t.text or "" for t in svg.iter(f"{SVG_NS}text"))
    for label in ("test error", "training error", "Training steps", "Mean squared error"):
        assert label in texts
    assert "100,000" in texts and "1.0" in texts  # tick labels on both axes
    paths = {p.get("stroke"): p for p in svg.iter(f"{SVG_NS}path")}
    test_path = paths["var(--fig-test, #d04a02)"]
    train_path = paths["var(--fig-train, #2f7fc1)"]
    # Told apart by dash pattern and marker shape as well as colour.
    assert test_path.get("stroke-dasharray") is None
    assert train_path.get("stroke-dasharray")
    assert svg.find(f".//{SVG_NS}circle") is not None and svg.find(f".//{SVG_NS}rect") is not None
    # No hard-coded text colour: text follows the page's palette.
    assert svg.get("fill") == "currentColor"
    assert not re.search(r'fill="#', html) and not re.search(r'stroke="#', html)
    # The near-zero-training-error point is marked and labelled.
    assert "training error &lt; 5% of start" in html


def test_caption_and_data_table(html: str) -> None:
    assert re.search(r"</svg><figcaption>.*epoch-wise experiment.*footnote 1", html, re.DOTALL)
    assert "<details><summary>Data table</summary><table>" in html
    rows = re.findall(r"<tr><td>([\d,]+)</td><td>([\d.]+)</td><td>([\d.]+)</td></tr>", html)
    assert 20 <= len(rows) <= 30
    c = double_descent.simulate()
    by_step = {int(e): (t, s) for e, t, s in zip(c.epochs, c.train, c.test, strict=True)}
    for step, train, test in rows[1:]:
        t, s = by_step[int(step.replace(",", ""))]
        assert float(train) == pytest.approx(t, abs=5e-4)
        assert float(test) == pytest.approx(s, abs=5e-4)


@pytest.mark.parametrize("seed", [double_descent.SEED, 0, 1, 2, 3])
def test_curves_show_epoch_wise_double_descent(seed: int) -> None:
    c = double_descent.simulate(seed)
    assert np.all(np.diff(c.epochs) > 0)
    first_min, peak, last = c.first_min, c.peak, len(c.test) - 1
    assert 0 < first_min < peak < last
    # First descent, then a clear bump ...
    assert c.test[first_min] < 0.6 * c.test0
    assert c.test[peak] > (1.25 if seed == double_descent.SEED else 1.1) * c.test[first_min]
    # ... then a second descent, ending below the first minimum.
    assert c.test[last] < 0.5 * c.test[peak]
    assert c.test[last] < c.test[first_min]
    # Training error only falls, is already near zero at the bump, and ends nearer still.
    assert np.all(np.diff(c.train) <= 1e-12)
    assert c.near_zero <= peak
    assert c.train[peak] < 0.05 * c.train0
    assert c.train[last] < 0.01 * c.train0
