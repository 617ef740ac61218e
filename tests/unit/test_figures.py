"""The build-time figures: deterministic, well-formed, accessible, and showing what they claim."""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

# `figures` lives at the repository root and is not part of the installed package.
_ROOT = Path(__file__).resolve().parents[2]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

import figures  # noqa: E402
from figures import double_descent as dd  # noqa: E402

SVG_NS = "{http://www.w3.org/2000/svg}"
SEEDS = [dd.SEED, 0, 1, 2, 3, 4, 5, 6, 7]


@pytest.fixture(scope="module")
def html() -> str:
    return figures.render("double-descent")


@pytest.fixture(scope="module")
def curves() -> dd.Curves:
    return dd.simulate()


def _svg(fragment: str) -> ET.Element:
    match = re.search(r"<svg\b.*?</svg>", fragment, re.DOTALL)
    assert match, "no inline SVG in the fragment"
    return ET.fromstring(match.group(0))


def _plain(fragment: str) -> str:
    """The fragment's text without tags, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


# --- the registry ----------------------------------------------------------------------------

def test_every_listed_figure_renders_and_is_used_on_a_page() -> None:
    for fig_id in figures.FIGURES:
        assert figures.render(fig_id).startswith(f'<figure class="figure" id="fig-{fig_id}">')
    markers = {
        m
        for page in (_ROOT / "docs").rglob("*.md")
        for m in re.findall(r"<!--\s*figure\s*:\s*(\S+?)\s*-->", page.read_text("utf-8"))
    }
    assert markers == set(figures.FIGURES)  # no marker without a figure, no figure unused


def test_unknown_id_raises() -> None:
    with pytest.raises(ValueError, match="unknown figure"):
        figures.render("no-such-figure")


# --- the simulation --------------------------------------------------------------------------

def test_closed_form_is_gradient_descent() -> None:
    """The curves are the iterates of plain full-batch gradient descent, step for step."""
    d = dd.make_data()
    n = d.x.shape[0]
    lr = dd.LEARNING_RATE / (np.linalg.norm(d.x, 2) ** 2 / n)
    c = dd.simulate()
    checked = 0
    w = np.zeros(d.x.shape[1])
    for step in range(1, 201):
        w -= lr * d.x.T @ (d.x @ w - d.y) / n
        hits = np.nonzero(c.epochs == step)[0]
        if hits.size:
            i = int(hits[0])
            assert np.mean((d.x @ w - d.y) ** 2) == pytest.approx(c.train[i], rel=1e-7)
            assert float(d.test_error(w)) == pytest.approx(c.test[i], rel=1e-7)
            checked += 1
    assert checked > 30


def test_training_ends_at_the_least_norm_interpolating_fit(curves: dd.Curves) -> None:
    """What the caption says of the end point: it fits every example, with the smallest weights."""
    d = dd.make_data()
    w_min = d.x.T @ np.linalg.solve(d.x @ d.x.T, d.y)
    assert np.mean((d.x @ w_min - d.y) ** 2) < 1e-20  # an exact fit exists (more weights)
    assert curves.test[-1] == pytest.approx(float(d.test_error(w_min)), rel=0.01)


@pytest.mark.parametrize("seed", SEEDS)
def test_curves_show_epoch_wise_double_descent(seed: int) -> None:
    c = dd.simulate(seed)
    first_min, peak, near_zero, last = c.first_min, c.peak, c.near_zero, len(c.test) - 1
    # A model with more weights than examples, trained for longer and longer.
    assert c.n_weights > c.n_examples
    assert np.all(np.diff(c.epochs) > 0)
    # Training error only falls, drops below NEAR_ZERO (2%) of its start, and ends below
    # 0.1% of it: the model comes to fit the noisy labels all but exactly.
    assert np.all(np.diff(c.train) <= 1e-12)
    assert c.train[near_zero] < dd.NEAR_ZERO * c.train0
    assert c.train[last] < 1e-3 * c.train0
    # First descent: test error falls by at least a quarter of its starting value.
    assert 0 < first_min < near_zero
    assert c.test[first_min] < 0.75 * c.test0
    # Where training error first becomes near zero, test error is high: at least 30% above
    # its first minimum and within 35% of the peak that follows.
    assert c.test[near_zero] > 1.3 * c.test[first_min]
    assert c.test[near_zero] > 0.65 * c.test[peak]
    assert c.test[peak] > 1.5 * c.test[first_min]
    # Second descent: trained on, test error ends below 40% of its first minimum and
    # below 15% of its peak.
    assert first_min < peak < last
    assert c.test[last] < 0.4 * c.test[first_min]
    assert c.test[last] < 0.15 * c.test[peak]


# --- the drawing -----------------------------------------------------------------------------

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
    assert title is not None and title.text and "our simulation" in title.text
    assert desc is not None and desc.text and "Test error" in desc.text


def test_description_gives_the_curves_turning_points(html: str, curves: dd.Curves) -> None:
    """A screen-reader user hears the same shape the picture shows, with its numbers."""
    desc = _svg(html).find(f"{SVG_NS}desc")
    assert desc is not None and desc.text
    fm, pk, nz, last = curves.first_min, curves.peak, curves.near_zero, len(curves.test) - 1
    for i in (fm, pk, nz, last):
        assert f"{curves.test[i]:.2f}" in desc.text
        assert f"step {int(curves.epochs[i]):,}" in desc.text


def test_a_wide_and_a_compact_drawing_of_the_same_data(html: str) -> None:
    svgs = [ET.fromstring(m) for m in re.findall(r"<svg\b.*?</svg>", html, re.DOTALL)]
    assert [s.get("class") for s in svgs] == ["figure__wide", "figure__narrow"]
    wide, narrow = (s.get("viewBox", "").split() for s in svgs)
    assert int(wide[2]) == 640 and int(narrow[2]) <= 360  # about 1:1 on a phone
    for svg in svgs:
        labelled_by = set(svg.get("aria-labelledby", "").split())
        assert labelled_by <= {el.get("id") for el in svg.iter() if el.get("id")}
        texts = " ".join(t.text or "" for t in svg.iter(f"{SVG_NS}text"))
        for label in ("test error", "training error", "Training steps", "Mean squared error",
                      "first minimum", "peak"):
            assert label in texts
    # The same curves: identical markers in both, only placed differently.
    counts = [len(list(s.iter(f"{SVG_NS}circle"))) for s in svgs]
    assert counts[0] == counts[1] > 10


def test_ids_cannot_collide(html: str) -> None:
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert ids[0] == "fig-double-descent"
    assert all(i.startswith("dd-") for i in ids[1:])
    assert len(ids) == len(set(ids))


def test_axes_cover_the_data(html: str, curves: dd.Curves) -> None:
    for svg in re.findall(r"<svg\b.*?</svg>", html, re.DOTALL):
        root = ET.fromstring(svg)
        y_ticks = [
            float(t.text)
            for t in root.iter(f"{SVG_NS}text")
            if t.get("text-anchor") == "end" and t.text and re.fullmatch(r"[\d.]+", t.text)
        ]
        # Evenly spaced from zero to at or above the highest test error, at most 7 of them.
        assert y_ticks[0] == 0 and 3 <= len(y_ticks) <= 7
        gaps = np.diff(y_ticks)
        assert np.allclose(gaps, gaps[0])
        assert curves.test.max() <= y_ticks[-1] < curves.test.max() + gaps[0]
        # Every point of both curves lies inside the plot's frame.
        frame = [ln for ln in root.iter(f"{SVG_NS}line") if ln.get("stroke-width") == "1.2"]
        xs = sorted({float(ln.get(k, "nan")) for ln in frame for k in ("x1", "x2")})
        ys = sorted({float(ln.get(k, "nan")) for ln in frame for k in ("y1", "y2")})
        for path in root.iter(f"{SVG_NS}path"):
            pts = np.array(re.findall(r"[ML]([\d.]+) ([\d.]+)", path.get("d", "")), dtype=float)
            assert len(pts) == len(curves.epochs)
            assert xs[0] <= pts[:, 0].min() and pts[:, 0].max() <= xs[-1]
            assert ys[0] <= pts[:, 1].min() and pts[:, 1].max() <= ys[-1]


def test_readable_without_colour_and_in_both_palettes(html: str) -> None:
    svg = _svg(html)
    texts = " ".join(t.text or "" for t in svg.iter(f"{SVG_NS}text"))
    assert "100,000" in texts  # the last step tick
    paths = {p.get("stroke"): p for p in svg.iter(f"{SVG_NS}path")}
    test_path = paths[dd.TEST_COLOUR]
    train_path = paths[dd.TRAIN_COLOUR]
    # Told apart by dash pattern and marker shape as well as colour.
    assert test_path.get("stroke-dasharray") is None
    assert train_path.get("stroke-dasharray")
    assert svg.find(f".//{SVG_NS}circle") is not None and svg.find(f".//{SVG_NS}rect") is not None
    # Colours are palette variables (with a fallback); text follows the page's palette.
    assert dd.TEST_COLOUR.startswith("var(--") and dd.TRAIN_COLOUR.startswith("var(--")
    assert svg.get("fill") == "currentColor"
    assert not re.search(r'fill="#', html) and not re.search(r'stroke="#', html)
    # The near-zero-training-error point is marked and labelled.
    assert f"training error &lt; {dd.NEAR_ZERO:.0%} of start" in html


def test_caption_says_whose_figure_and_what_it_shows(html: str, curves: dd.Curves) -> None:
    match = re.search(r"</svg><figcaption>(.*?)</figcaption>", html, re.DOTALL)
    assert match
    caption = _plain(match.group(1))
    # Ours, not the report's.
    assert "our simulation, not a figure from the report" in caption
    assert "reproduce" not in caption
    # What the model is: more weights than examples, gradient descent from zero.
    assert f"{curves.n_weights:,} weights, more than its {curves.n_examples} noisy" in caption
    assert "full-batch gradient descent from zero" in caption
    # The numbers it quotes are the simulation's.
    fm, pk, nz, last = curves.first_min, curves.peak, curves.near_zero, len(curves.test) - 1
    for value in (curves.test[fm], curves.test[pk], curves.test[nz], curves.test[last]):
        assert f"{value:.2f}" in caption
    assert f"step {int(curves.epochs[nz]):,}" in caption
    assert "below its first minimum" in caption


def test_data_table(html: str, curves: dd.Curves) -> None:
    assert '<details data-search-exclude=""><summary>Data table</summary><table>' in html
    rows = re.findall(r"<tr><td>([\d,]+)</td><td>([\d.]+)</td><td>([\d.]+)</td></tr>", html)
    assert 20 <= len(rows) <= 30
    assert rows[0] == ("0", f"{curves.train0:.3f}", f"{curves.test0:.3f}")
    by_step = {int(e): (t, s) for e, t, s in zip(curves.epochs, curves.train, curves.test,
                                                 strict=True)}
    steps = [int(step.replace(",", "")) for step, _, _ in rows[1:]]
    for i in (curves.first_min, curves.peak, curves.near_zero):
        assert int(curves.epochs[i]) in steps  # the rows the caption talks about
    for step, train, test in rows[1:]:
        t, s = by_step[int(step.replace(",", ""))]
        assert float(train) == pytest.approx(t, abs=5e-4)
        assert float(test) == pytest.approx(s, abs=5e-4)
