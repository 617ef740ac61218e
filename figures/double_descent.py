"""Epoch-wise double descent in a linear model, for footnote 1 (computed at build time).

The experiment: least-squares linear regression trained by full-batch gradient descent from
zero, on data whose features learn at two very different speeds. 280 "fast" features have
variance 1; 20 "slow" features have variance 0.05**2, so gradient descent moves along them
hundreds of times more slowly. Both groups carry part of the signal and the labels carry noise.
While only the fast features have been learned, the slow part of the signal looks like extra
noise to them; with 280 features for 400 examples they fit that noise, and test error rises.
Later the slow features are learned, the part of the signal they carry is captured, and test
error falls again, below its first minimum. This is the mechanism for epoch-wise double descent
in linear models described by Heckel & Yilmaz (2020) and Pezeshki et al. (2021).

Gradient descent on a quadratic loss is computed exactly in the singular basis of the design
matrix, so the curves are the iterates themselves, not an approximation, and the whole
computation takes a few milliseconds. The test error is the exact expected squared error on a
fresh example (label noise included), from the known feature covariance.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "EPOCHS_MAX",
    "NEAR_ZERO",
    "SEED",
    "Curves",
    "render",
    "simulate",
]

SEED = 2311  # arXiv:2311.08379; any seed gives the same shape (the tests check several)
N_TRAIN = 400
# (number of features, standard deviation of each feature, share of the signal's variance)
FAST = (280, 1.0, 3.0)
SLOW = (20, 0.05, 0.5)
NOISE_SD = 0.3
LEARNING_RATE = 0.5  # as a fraction of 1 / (largest eigenvalue of the empirical covariance)
EPOCHS_MAX = 100_000
N_POINTS = 101  # log-spaced steps at which the curves are evaluated (before de-duplication)
NEAR_ZERO = 0.05  # "near-zero training error": below this fraction of its value at step 0
TABLE_ROWS = 24

FIG_ID = "fig-double-descent"
TEST_COLOUR = "var(--fig-test, #d04a02)"
TRAIN_COLOUR = "var(--fig-train, #2f7fc1)"


@dataclass(frozen=True)
class Curves:
    """Training and test error after each of ``epochs`` full-batch gradient-descent steps.

    ``train0`` and ``test0`` are the errors at step 0 (all weights zero), which a log-scaled
    axis cannot show.
    """

    epochs: NDArray[np.int64]
    train: NDArray[np.float64]
    test: NDArray[np.float64]
    train0: float
    test0: float
    noise_var: float

    @property
    def first_min(self) -> int:
        """Index of the first local minimum of the test error."""
        i = 1
        while i < len(self.test) and self.test[i] <= self.test[i - 1]:
            i += 1
        return i - 1

    @property
    def peak(self) -> int:
        """Index of the highest test error after the first minimum."""
        start = self.first_min
        return start + int(np.argmax(self.test[start:]))

    @property
    def near_zero(self) -> int:
        """Index of the first step with training error below ``NEAR_ZERO`` of its start."""
        below = np.nonzero(self.train < NEAR_ZERO * self.train0)[0]
        return int(below[0]) if below.size else len(self.train) - 1


def simulate(seed: int = SEED) -> Curves:
    """Run the experiment: exact full-batch gradient descent, evaluated at log-spaced steps."""
    rng = np.random.default_rng(seed)
    groups = (FAST, SLOW)
    scale = np.concatenate([np.full(k, sd) for k, sd, _ in groups])
    # Teacher weights: a random direction in each group, scaled so the group contributes
    # exactly its share of the signal's variance.
    parts = []
    for k, sd, power in groups:
        v = rng.standard_normal(k)
        parts.append(v / np.linalg.norm(v) * math.sqrt(power) / sd)
    w_star = np.concatenate(parts)
    x = rng.standard_normal((N_TRAIN, scale.size)) * scale
    y = x @ w_star + NOISE_SD * rng.standard_normal(N_TRAIN)

    # Loss (1/2n)|Xw - y|^2 from w = 0: along right singular vector i the weight after t
    # steps is (1 - (1 - lr * s_i^2 / n)^t) times its least-squares value (u_i . y) / s_i.
    u, s, vt = np.linalg.svd(x, full_matrices=False)
    eig = s**2 / N_TRAIN
    lr = LEARNING_RATE / float(eig.max())
    epochs = np.unique(np.round(np.logspace(0, math.log10(EPOCHS_MAX), N_POINTS)).astype(np.int64))
    shrink = 1.0 - (1.0 - lr * eig)[None, :] ** epochs[:, None].astype(np.float64)
    w = (shrink * ((u.T @ y) / s)[None, :]) @ vt
    test = ((w - w_star) ** 2 * scale**2).sum(axis=1) + NOISE_SD**2
    train = ((w @ x.T - y) ** 2).mean(axis=1)
    return Curves(
        epochs=epochs,
        train=train,
        test=test,
        train0=float(np.mean(y**2)),
        test0=float((w_star**2 * scale**2).sum() + NOISE_SD**2),
        noise_var=NOISE_SD**2,
    )


# --- drawing ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Layout:
    """One drawing of the figure: the wide one, or a compact one for phones.

    A viewBox scales text with the width, so one drawing cannot be legible both in a
    720 px column and on a 390 px phone; the page shows one or the other by a media query.
    """

    width: int
    height: int
    left: int  # the plot area, in viewBox units
    right: int
    top: int
    bottom: int
    font: int
    ids: str  # id prefix
    css: str  # class the stylesheet shows or hides
    compact: bool  # legend on top, short labels


WIDE = Layout(640, 400, 64, 520, 34, 336, 13, "dd", "figure__wide", False)
NARROW = Layout(360, 330, 40, 344, 56, 268, 12, "dd-n", "figure__narrow", True)


def _n(v: float) -> str:
    """A coordinate rounded to one decimal, without a trailing ``.0``."""
    s = f"{v:.1f}"
    return s[:-2] if s.endswith(".0") else s


def _steps(v: int) -> str:
    return f"{v:,}"


def _short_steps(v: int) -> str:
    return f"{v // 1000}k" if v >= 1000 else str(v)


def _table_rows(c: Curves) -> list[int]:
    """About ``TABLE_ROWS`` log-spaced indices, plus the points the caption talks about."""
    wanted = np.logspace(0, math.log10(EPOCHS_MAX), TABLE_ROWS - 3)
    rows = {int(np.argmin(np.abs(np.log(c.epochs) - math.log(e)))) for e in wanted}
    rows |= {c.first_min, c.peak, c.near_zero, len(c.epochs) - 1}
    return sorted(rows)


def _text(x: float, y: float, s: str, anchor: str = "start", extra: str = "") -> str:
    a = "" if anchor == "start" else f' text-anchor="{anchor}"'
    return f'<text x="{_n(x)}" y="{_n(y)}"{a}{extra}>{html.escape(s)}</text>'


def _svg(c: Curves, rows: list[int], title: str, desc: str, lay: Layout = WIDE) -> str:
    left, right, top, bottom = lay.left, lay.right, lay.top, lay.bottom
    y_max = math.ceil(float(c.test.max()) * 2 + 0.05) / 2  # next multiple of 0.5

    def _x(epoch: float) -> float:
        return left + (right - left) * math.log10(epoch) / math.log10(EPOCHS_MAX)

    def _y(err: float) -> float:
        return bottom - (bottom - top) * err / y_max

    out: list[str] = [
        f'<svg role="img" viewBox="0 0 {lay.width} {lay.height}" width="100%" '
        f'class="{lay.css}" aria-labelledby="{lay.ids}-title {lay.ids}-desc" '
        'xmlns="http://www.w3.org/2000/svg" '
        f'font-size="{lay.font}" fill="currentColor">',
        f'<title id="{lay.ids}-title">{html.escape(title)}</title>',
        f'<desc id="{lay.ids}-desc">{html.escape(desc)}</desc>',
    ]
    # Grid lines and tick labels.
    grid = 'stroke="currentColor" stroke-opacity="0.18" stroke-width="1"'
    y_ticks = [i / 2 for i in range(int(y_max * 2) + 1)]
    for v in y_ticks:
        gy = _n(_y(v))
        out.append(f'<line x1="{left}" x2="{right}" y1="{gy}" y2="{gy}" {grid}/>')
        out.append(_text(left - 6, _y(v) + 4.5, f"{v:.1f}", "end"))
    for k in range(round(math.log10(EPOCHS_MAX)) + 1):
        gx = _n(_x(10**k))
        out.append(f'<line x1="{gx}" x2="{gx}" y1="{top}" y2="{bottom}" {grid}/>')
        tick = _short_steps(10**k) if lay.compact else _steps(10**k)
        out.append(_text(_x(10**k), bottom + 18, tick, "middle"))
    axis = 'stroke="currentColor" stroke-width="1.2"'
    out.append(f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" {axis}/>')
    out.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{bottom}" {axis}/>')
    # Axis titles.
    x_title = (
        "Training steps (log scale)" if lay.compact
        else "Training steps (full-batch gradient descent, log scale)"
    )
    out.append(_text((left + right) / 2, lay.height - 22, x_title, "middle"))
    mid = (top + bottom) / 2
    ax = 12 if lay.compact else 16
    out.append(
        _text(ax, mid, "Mean squared error", "middle", f' transform="rotate(-90 {ax} {_n(mid)})"')
    )
    # The near-zero-training-error point.
    nz = c.near_zero
    xz = _x(float(c.epochs[nz]))
    out.append(
        f'<line x1="{_n(xz)}" x2="{_n(xz)}" y1="{top - 6}" y2="{bottom}" stroke="currentColor" '
        'stroke-width="1.5" stroke-dasharray="2 3"/>'
    )
    step_nz = _steps(int(c.epochs[nz]))
    if lay.compact:
        out.append(_text(xz + 4, top - 10, f"training error < {NEAR_ZERO:.0%} (step {step_nz})"))
    else:
        out.append(
            _text(xz - 6, top - 12,
                  f"training error < {NEAR_ZERO:.0%} of start (step {step_nz})", "end")
        )

    def path(vals: NDArray[np.float64]) -> str:
        pts = [
            f"{_n(_x(float(e)))} {_n(_y(float(v)))}"
            for e, v in zip(c.epochs, vals, strict=True)
        ]
        return "M" + "L".join(pts)

    # Training error: dashed line, square markers.
    out.append(
        f'<path d="{path(c.train)}" fill="none" stroke="{TRAIN_COLOUR}" stroke-width="2.2" '
        'stroke-dasharray="7 4" stroke-linejoin="round"/>'
    )
    out.append(f'<g fill="{TRAIN_COLOUR}">')
    for i in rows:
        xx, yy = _x(float(c.epochs[i])), _y(float(c.train[i]))
        out.append(f'<rect x="{_n(xx - 3.2)}" y="{_n(yy - 3.2)}" width="6.4" height="6.4"/>')
    out.append("</g>")
    # Test error: solid line, round markers.
    out.append(
        f'<path d="{path(c.test)}" fill="none" stroke="{TEST_COLOUR}" stroke-width="2.6" '
        'stroke-linejoin="round"/>'
    )
    out.append(f'<g fill="{TEST_COLOUR}">')
    for i in rows:
        xx, yy = _x(float(c.epochs[i])), _y(float(c.test[i]))
        out.append(f'<circle cx="{_n(xx)}" cy="{_n(yy)}" r="3.6"/>')
    out.append("</g>")
    # Curve labels with a sample of each line style: at the curves' right-hand ends, or
    # (compact) as a legend above the plot.
    for n, (vals, label, colour, dash, shape) in enumerate((
        (c.test, "test error", TEST_COLOUR, "", "circle"),
        (c.train, "training error", TRAIN_COLOUR, ' stroke-dasharray="7 4"', "rect"),
    )):
        if lay.compact:
            x0, yy = left + 150 * n, 14.0
        else:
            x0, yy = right + 6, _y(float(vals[-1]))
        out.append(
            f'<line x1="{_n(x0)}" x2="{_n(x0 + 20)}" y1="{_n(yy)}" y2="{_n(yy)}" '
            f'stroke="{colour}" stroke-width="2.4"{dash}/>'
        )
        if shape == "circle":
            out.append(f'<circle cx="{_n(x0 + 10)}" cy="{_n(yy)}" r="3.6" fill="{colour}"/>')
        else:
            out.append(
                f'<rect x="{_n(x0 + 6.8)}" y="{_n(yy - 3.2)}" width="6.4" height="6.4" '
                f'fill="{colour}"/>'
            )
        out.append(_text(x0 + 25, yy + 4.5, label))
    # Point out the bump.
    pk = c.peak
    xp, yp = _x(float(c.epochs[pk])), _y(float(c.test[pk]))
    bump = "test error peaks" if lay.compact else "test error peaks, then falls again"
    out.append(_text(xp + 8, yp - 10, bump))
    out.append("</svg>")
    return "".join(out)


def render() -> str:
    """The complete ``<figure>`` fragment: inline SVG, caption and data table."""
    c = simulate()
    rows = _table_rows(c)
    fm, pk, nz, last = c.first_min, c.peak, c.near_zero, len(c.epochs) - 1

    def at(i: int) -> str:
        return f"step {_steps(int(c.epochs[i]))}"

    title = "Epoch-wise double descent in a small linear model"
    desc = (
        f"Line chart of mean squared error against training steps on a log scale from 1 to "
        f"{_steps(EPOCHS_MAX)}. Test error (solid line, round markers) falls from "
        f"{c.test0:.2f} before training and {c.test[0]:.2f} after step 1 to "
        f"{c.test[fm]:.2f} at {at(fm)}, rises to {c.test[pk]:.2f} at {at(pk)}, then falls "
        f"again to {c.test[last]:.2f} by {at(last)}. Training error (dashed line, square "
        f"markers) falls from {c.train0:.2f} before training, drops below "
        f"{NEAR_ZERO:.0%} of that at {at(nz)} (marked by a dotted vertical line), is "
        f"{c.train[pk]:.2f} at the test-error peak and ends at {c.train[last]:.3f}."
    )
    n_fast, n_slow = FAST[0], SLOW[0]
    caption = (
        "<strong>Epoch-wise double descent, reproduced in a small linear model.</strong> "
        f"This is an epoch-wise experiment, the kind footnote 1 describes: one model of fixed "
        f"size ({n_fast + n_slow} weights, {N_TRAIN} noisy training examples) trained for "
        "longer and longer by full-batch gradient descent, with its error measured after "
        f"each number of steps. {n_fast} of its input features have large variance and are "
        f"learned within tens of steps; {n_slow} have small variance and are learned "
        "hundreds of times more slowly, though they carry part of the signal. Once the fast "
        "features are learned, training error is already low but they go on fitting the "
        "noise, so test error rises; when the slow features are finally learned, test error "
        f"falls again, to {c.test[last]:.2f}, below its first minimum of {c.test[fm]:.2f}. "
        "That is the shape in the footnote: training that has already pushed training error "
        "near zero, with test error high, goes on to find a solution that generalizes "
        "better. Two differences. Here training error is small at the peak "
        f"({c.train[pk]:.2f}, against {c.train0:.2f} before training; the dotted line marks "
        f"where it first drops below {NEAR_ZERO:.0%} of that) but not exactly zero, because "
        "this model has fewer weights than examples; and the second descent "
        "has a simple known cause, slow-to-learn features (Heckel &amp; Yilmaz 2020; "
        "Pezeshki et al. 2021), so the figure shows what the phenomenon looks like, not "
        "which inductive biases are at work in large networks (Nakkiran et al. 2019 "
        "observed it there). Test error is the exact expected squared error on new "
        f"examples, including label noise of variance {c.noise_var:.2f}; numpy, seed "
        f"{SEED}, computed when the site is built."
    )
    table = [
        "<table><thead><tr>"
        '<th scope="col">Training step</th><th scope="col">Training error</th>'
        '<th scope="col">Test error</th></tr></thead><tbody>'
    ]
    table.append(f"<tr><td>0</td><td>{c.train0:.3f}</td><td>{c.test0:.3f}</td></tr>")
    for i in rows:
        table.append(
            f"<tr><td>{_steps(int(c.epochs[i]))}</td><td>{c.train[i]:.3f}</td>"
            f"<td>{c.test[i]:.3f}</td></tr>"
        )
    table.append("</tbody></table>")
    return (
        f'<figure class="figure" id="{FIG_ID}">'
        + _svg(c, rows, title, desc, WIDE)
        + _svg(c, rows, title, desc, NARROW)
        + f"<figcaption>{caption}</figcaption>"
        + "<details><summary>Data table</summary>"
        + "".join(table)
        + "</details></figure>"
    )
