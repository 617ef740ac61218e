"""Epoch-wise double descent in an overparameterized linear model, for footnote 1.

Our simulation, computed with numpy when the site is built. A linear model with more weights
than training examples is trained by full-batch gradient descent from zero, and its training
and test error are recorded after each number of steps. Its inputs are of three kinds, learned
at very different speeds because gradient descent moves along a direction at a rate set by
the input variance along it (Heckel & Yilmaz 2020, "Early stopping in deep networks: double
descent and how to eliminate it"; Pezeshki et al. 2021):

- ``FAST`` inputs (variance 1) carry most of the signal and are learned within tens of steps;
- ``SLOW`` inputs (variance 0.1**2) carry the rest of the signal and are learned over
  thousands of steps;
- ``FAINT`` inputs (variance 0.005**2) carry no signal. There are many of them, so the model
  has more weights than examples and can fit every noisy training label exactly; because
  they are faint and many, the noise they end up holding costs little on new examples.

Why test error falls a second time. With more weights than examples, gradient descent from
zero converges to the interpolating fit of smallest norm, so the end point is fixed; the
question is the path. The fast inputs are nearly as many as the examples (350 for 400). Once
they have taken up their share of the signal they go on fitting whatever they can of the
rest, which is the label noise plus the part of the signal that belongs to the slow inputs,
not yet learned. That fit is large along the directions where the fast inputs vary little in
the sample, so test error climbs to a peak while training error is already small. Later the
slow inputs are learned: the slow part of the signal is then explained by the right weights,
gradient descent takes back the fast weights' spurious fit to it (the directions are coupled
through the data), and the faint inputs absorb what noise is left. Test error falls far below
its first minimum, and training error goes the rest of the way to zero.

The loss is quadratic, so gradient descent is computed exactly in the singular basis of the
design matrix: the curves are the iterates themselves, not an approximation, and the whole
computation takes well under a second. Test error is the exact expected squared error
on a fresh example, label noise included, from the known input covariance. The sizes and
scales were chosen to make the mechanism visible; the tests check that the shape holds for
other seeds too.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from calculators import charts

__all__ = [
    "EPOCHS_MAX",
    "NEAR_ZERO",
    "SEED",
    "Curves",
    "Data",
    "make_data",
    "render",
    "simulate",
]

SEED = 2311  # arXiv:2311.08379; other seeds give the same shape (the tests check several)
N_TRAIN = 400
# (number of inputs, standard deviation of each input, share of the signal's variance)
FAST = (350, 1.0, 6.0)
SLOW = (4, 0.1, 2.0)
FAINT = (2000, 0.005, 0.0)
NOISE_SD = 0.2
LEARNING_RATE = 0.5  # as a fraction of 1 / (largest eigenvalue of the empirical covariance)
EPOCHS_MAX = 100_000
N_POINTS = 101  # log-spaced steps at which the curves are evaluated (before de-duplication)
NEAR_ZERO = 0.02  # "near-zero training error": below this fraction of its value at step 0
TABLE_ROWS = 24

FIG_ID = "fig-double-descent"
TEST_COLOUR = "var(--fig-test, #d04a02)"
TRAIN_COLOUR = "var(--fig-train, #2f7fc1)"


@dataclass(frozen=True)
class Data:
    """One draw of the experiment: training inputs ``x``, labels ``y``, the true weights."""

    x: NDArray[np.float64]  # N_TRAIN rows, one column per weight
    y: NDArray[np.float64]
    w_star: NDArray[np.float64]
    scale: NDArray[np.float64]  # standard deviation of each input

    def test_error(self, w: NDArray[np.float64]) -> NDArray[np.float64]:
        """Exact expected squared error on a new example (label noise included), per row of w.

        >>> d = make_data(0)
        >>> round(float(d.test_error(d.w_star)), 6) == round(NOISE_SD**2, 6)
        True
        """
        return np.asarray(((w - self.w_star) ** 2 * self.scale**2).sum(axis=-1) + NOISE_SD**2)


def make_data(seed: int = SEED) -> Data:
    """Draw the training set: each group of inputs carries exactly its share of the signal.

    >>> d = make_data()
    >>> d.x.shape[1] > d.x.shape[0]  # more weights than examples
    True
    """
    rng = np.random.default_rng(seed)
    groups = (FAST, SLOW, FAINT)
    scale = np.concatenate([np.full(k, sd) for k, sd, _ in groups])
    parts = []
    for k, sd, power in groups:
        v = rng.standard_normal(k)
        parts.append(v / np.linalg.norm(v) * math.sqrt(power) / sd)
    w_star = np.concatenate(parts)
    x = rng.standard_normal((N_TRAIN, scale.size)) * scale
    y = x @ w_star + NOISE_SD * rng.standard_normal(N_TRAIN)
    return Data(x=x, y=y, w_star=w_star, scale=scale)


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
    n_weights: int
    n_examples: int

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


def steps_grid() -> NDArray[np.int64]:
    """The log-spaced step counts at which the curves are evaluated.

    >>> g = steps_grid()
    >>> int(g[0]), int(g[-1]), bool(np.all(np.diff(g) > 0))
    (1, 100000, True)
    """
    grid = np.round(np.logspace(0, math.log10(EPOCHS_MAX), N_POINTS)).astype(np.int64)
    return np.unique(grid)


def simulate(seed: int = SEED) -> Curves:
    """Run the experiment: exact full-batch gradient descent, evaluated at log-spaced steps.

    >>> c = simulate()
    >>> c.n_weights, c.n_examples
    (2354, 400)
    """
    d = make_data(seed)
    n = d.x.shape[0]
    # Loss (1/2n)|Xw - y|^2 from w = 0. With X X^T = U diag(s2) U^T, the weights after t
    # steps are X^T U diag((1 - (1 - lr s2/n)^t) / s2) U^T y: each singular direction moves
    # to its share of the least-norm interpolating fit at its own speed, lr s2/n. (There are
    # more weights than examples, so X X^T, n by n, is the small side to decompose.)
    s2, u = np.linalg.eigh(d.x @ d.x.T)
    lr = LEARNING_RATE * n / float(s2.max())  # LEARNING_RATE / largest eigenvalue of X^T X/n
    rate = lr * s2 / n
    epochs = steps_grid()
    done = -np.expm1(epochs[:, None].astype(np.float64) * np.log1p(-rate)[None, :])
    uy = u.T @ d.y
    w = ((done * (uy / s2)[None, :]) @ u.T) @ d.x
    # The training residual along u_i is the part of u_i . y not yet fitted.
    train = (((1.0 - done) * uy[None, :]) ** 2).sum(axis=1) / n
    return Curves(
        epochs=epochs,
        train=train,
        test=d.test_error(w),
        train0=float(np.mean(d.y**2)),
        test0=float(d.test_error(np.zeros_like(d.w_star))),
        n_weights=d.x.shape[1],
        n_examples=n,
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


WIDE = Layout(640, 400, 52, 530, 40, 336, 13, "dd", "figure__wide", False)
NARROW = Layout(360, 340, 34, 346, 62, 276, 12, "dd-n", "figure__narrow", True)


def _n(v: float) -> str:
    """A coordinate rounded to one decimal, without a trailing ``.0``."""
    s = f"{v:.1f}"
    return s[:-2] if s.endswith(".0") else s


def _steps(v: int) -> str:
    return f"{v:,}"


def _short_steps(v: int) -> str:
    return f"{v // 1000}k" if v >= 1000 else str(v)


def _y_ticks(top: float) -> tuple[float, list[float]]:
    """A round upper limit at or above ``top`` and at most seven evenly spaced ticks.

    >>> _y_ticks(9.97)
    (10.0, [0.0, 2.0, 4.0, 6.0, 8.0, 10.0])
    >>> _y_ticks(2.2)
    (2.5, [0.0, 0.5, 1.0, 1.5, 2.0, 2.5])
    """
    for step in (0.5, 1.0, 2.0, 2.5, 5.0, 10.0, 20.0, 25.0, 50.0):
        limit = math.ceil(top / step - 1e-9) * step
        if limit / step <= 6:
            return limit, [i * step for i in range(round(limit / step) + 1)]
    raise ValueError(f"test error {top} is off the scale")


def _tick(v: float) -> str:
    return f"{v:.0f}" if v == int(v) else f"{v:.1f}"


def _table_rows(c: Curves) -> list[int]:
    """About ``TABLE_ROWS`` log-spaced indices, plus the points the caption talks about."""
    wanted = np.logspace(0, math.log10(EPOCHS_MAX), TABLE_ROWS - 3)
    rows = {int(np.argmin(np.abs(np.log(c.epochs) - math.log(e)))) for e in wanted}
    rows |= {c.first_min, c.peak, c.near_zero, len(c.epochs) - 1}
    return sorted(rows)


def _text(x: float, y: float, s: str, anchor: str = "start", extra: str = "") -> str:
    """The calculators' text element (``charts.text``), at viewBox coordinates."""
    a = "" if anchor == "start" else f' text-anchor="{anchor}"'
    return charts.text(_n(x), _n(y), s, a + extra)


def _svg(c: Curves, rows: list[int], title: str, desc: str, lay: Layout = WIDE) -> str:
    left, right, top, bottom = lay.left, lay.right, lay.top, lay.bottom
    y_max, y_ticks = _y_ticks(float(c.test.max()))

    def _x(epoch: float) -> float:
        return left + (right - left) * math.log10(epoch) / math.log10(EPOCHS_MAX)

    def _y(err: float) -> float:
        return bottom - (bottom - top) * err / y_max

    # The calculators' accessible opening (charts.svg_open), drawn in a viewBox.
    out: list[str] = [charts.svg_open(lay.ids, title, desc, lay.height, width=lay.width,
                                      css=lay.css, font=lay.font, searched=False)]
    # Grid lines and tick labels.
    grid = 'stroke="currentColor" stroke-opacity="0.18" stroke-width="1"'
    for v in y_ticks:
        gy = _n(_y(v))
        out.append(f'<line x1="{left}" x2="{right}" y1="{gy}" y2="{gy}" {grid}/>')
        out.append(_text(left - 6, _y(v) + 4.5, _tick(v), "end"))
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
    out.append(_text((left + right) / 2, lay.height - 14, x_title, "middle"))
    mid = (top + bottom) / 2
    ax = 11 if lay.compact else 14
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
    share = f"{NEAR_ZERO:.0%}"
    if lay.compact:
        out.append(_text(xz + 4, top - 10, f"training error < {share} (step {step_nz})", "middle"))
    else:
        out.append(
            _text(xz, top - 12, f"training error < {share} of start (step {step_nz})", "middle")
        )

    def path(vals: NDArray[np.float64]) -> str:
        pts = [
            f"{_n(_x(float(e)))} {_n(_y(float(v)))}"
            for e, v in zip(c.epochs, vals, strict=True)
        ]
        return "M" + "L".join(pts)

    def series(vals: NDArray[np.float64], colour: str, stroke: str,
               marker: Callable[[float, float], str]) -> None:
        """One curve: its line, then a marker at each of the table's rows."""
        out.append(f'<path d="{path(vals)}" fill="none" stroke="{colour}" {stroke} '
                   'stroke-linejoin="round"/>')
        out.append(f'<g fill="{colour}">')
        out.extend(marker(_x(float(c.epochs[i])), _y(float(vals[i]))) for i in rows)
        out.append("</g>")

    # Training error: dashed line, square markers; test error: solid line, round markers.
    series(c.train, TRAIN_COLOUR, 'stroke-width="2.2" stroke-dasharray="7 4"',
           lambda x, y: f'<rect x="{_n(x - 3.2)}" y="{_n(y - 3.2)}" width="6.4" height="6.4"/>')
    series(c.test, TEST_COLOUR, 'stroke-width="2.6"',
           lambda x, y: f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3.6"/>')
    # Curve labels with a sample of each line style: a legend above the plot (compact) or
    # in its top right-hand corner, where the curves have long since come down.
    for k, (label, colour, dash, shape) in enumerate((
        ("test error", TEST_COLOUR, "", "circle"),
        ("training error", TRAIN_COLOUR, ' stroke-dasharray="7 4"', "rect"),
    )):
        if lay.compact:
            x0, yy = left + 4 + 130 * k, 16.0
        else:
            x0, yy = right - 118, top + 18 + 20 * k
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
    # Name the three moments of the test-error curve; a faint level line from the first
    # minimum lets the eye compare the end with it.
    fm, pk, last = c.first_min, c.peak, len(c.epochs) - 1
    xf, yf = _x(float(c.epochs[fm])), _y(float(c.test[fm]))
    out.append(
        f'<line x1="{_n(xf)}" x2="{right}" y1="{_n(yf)}" y2="{_n(yf)}" stroke="{TEST_COLOUR}" '
        'stroke-opacity="0.8" stroke-width="1.2" stroke-dasharray="2 3"/>'
    )
    out.append(_text(xf, yf + 20, "first minimum", "middle"))
    xp, yp = _x(float(c.epochs[pk])), _y(float(c.test[pk]))
    out.append(_text(xp + 8, yp - 8, "peak"))
    # A label for the tail sits above it, clear of the falling curve: its baseline goes above
    # the curve's highest point within the label's width (text is about 0.55 em a character).
    # It must stay below the level line, or it would seem to point at the wrong height; on a
    # phone only the short form may fit.
    xl = _x(float(c.epochs[last]))
    for low in ("lower again", "lower"):
        reach = xl - 0.55 * lay.font * len(low)
        span = [i for i, e in enumerate(c.epochs) if _x(float(e)) >= reach]
        yl = min(_y(float(c.test[i])) for i in [*span, span[0] - 1]) - 6
        if yl > yf + lay.font:
            out.append(_text(xl, yl, low, "end"))
            break
    out.append("</svg>")
    return "".join(out)


def render() -> str:
    """The complete ``<figure>`` fragment: inline SVG, caption and data table. The site's
    search indexes the caption, not the chart's labels or the table's numbers."""
    c = simulate()
    rows = _table_rows(c)
    fm, pk, nz, last = c.first_min, c.peak, c.near_zero, len(c.epochs) - 1

    def at(i: int) -> str:
        return f"step {_steps(int(c.epochs[i]))}"

    title = "Epoch-wise double descent in an overparameterized linear model (our simulation)"
    desc = (
        f"Line chart of mean squared error against training steps on a log scale from 1 to "
        f"{_steps(EPOCHS_MAX)}. Test error (solid line, round markers) falls from "
        f"{c.test0:.2f} before training and {c.test[0]:.2f} after step 1 to a first minimum "
        f"of {c.test[fm]:.2f} at {at(fm)}, rises to a peak of {c.test[pk]:.2f} at {at(pk)}, "
        f"then falls again to {c.test[last]:.2f} by {at(last)}. Training error (dashed line, "
        f"square markers) falls from {c.train0:.2f} before training, drops below "
        f"{NEAR_ZERO:.0%} of that at {at(nz)} (marked by a dotted vertical line; test error "
        f"is {c.test[nz]:.2f} there), and ends at {c.train[last]:.3f}."
    )
    n_fast, n_slow, n_faint = FAST[0], SLOW[0], FAINT[0]
    caption = (
        "<strong>Epoch-wise double descent: our simulation, not a figure from the "
        "report.</strong> A linear model with "
        f"{c.n_weights:,} weights, more than its {c.n_examples} noisy training examples, is "
        "trained for longer and longer by full-batch gradient descent from zero. Its inputs "
        f"are learned at different speeds: {n_fast} fast ones carry most of the signal and "
        "are learned within tens of steps, "
        f"{n_slow} slow ones carry the rest and take thousands of steps to learn, and "
        f"{n_faint:,} faint ones carry none but let the model fit every example exactly. "
        f"Test error falls to {c.test[fm]:.2f} ({at(fm)}), then rises as the fast inputs "
        "fit the label noise and the slow part of the signal, not yet learned: when "
        f"training error first drops below {NEAR_ZERO:.0%} of its start ({at(nz)}, dotted "
        f"line), test error is {c.test[nz]:.2f}, near its peak of {c.test[pk]:.2f}. "
        "Training on, the slow inputs are learned, training error goes on down to zero "
        f"({c.train[last]:.3f} by {at(last)}), and test error falls to {c.test[last]:.2f}, "
        "below its first minimum. Both fits match the training data closely, yet their "
        f"test errors differ {c.test[pk] / c.test[last]:.0f}-fold: of the many weight "
        "settings that fit every example, gradient descent from zero ends at the one with "
        "the smallest weights, and here that one generalizes well. The mechanism is the one "
        "analysed by Heckel &amp; Yilmaz (2020) and Pezeshki et al. (2021); the sizes were "
        "chosen to make it visible (other seeds give the same shape), so the figure shows "
        "what the phenomenon looks like, not which inductive biases are at work in the "
        "large networks where Nakkiran et al. (2019) observed it. Test error is the exact "
        f"expected squared error on new examples, label noise (variance {NOISE_SD**2:.2f}) "
        f"included; numpy, seed {SEED}, computed when the site is built."
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
        + '<details data-search-exclude=""><summary>Data table</summary>'
        + "".join(table)
        + "</details></figure>"
    )
