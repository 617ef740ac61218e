"""SVG charts drawn by hand, each with a title, a description and a data table beside it.

The charts are fluid: the SVG is as wide as its column, horizontal positions are
percentages and heights and font sizes are pixels, so text stays the same size on a
390 px phone and on a desktop and nothing needs sideways scrolling. (A viewBox would
scale the text with the width: unreadable on a phone, or wider than the screen.)
Colours come from CSS variables (``--calc-series-N``, falling back to ``currentColor``)
so light and dark palettes both work; every bar and line also carries a text label, so
no reading depends on colour.  Ids are prefixed with the calculator's id, so two
calculators on one page never clash.  All text is escaped (``esc``, as ``html.escape``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

from .logspace import p_from_odds

__all__ = ["Scale", "bar_chart", "esc", "histograms", "line_chart", "svg_open", "table", "text",
           "tornado"]

_OPAC = ("1", "0.6", "0.35", "0.8", "0.48")


def esc(text: str) -> str:
    """Escape text for HTML as ``html.escape`` does; importing ``html`` costs ~50 ms in Pyodide.

    >>> esc("<b class='x'>&</b>")
    '&lt;b class=&#x27;x&#x27;&gt;&amp;&lt;/b&gt;'
    """
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#x27;"))


def svg_open(uid: str, title: str, desc: str, height: int, *, width: int | None = None,
             css: str = "calc-svg", font: int = 13, searched: bool = True) -> str:
    """The opening of an accessible SVG, up to its ``<title>`` and ``<desc>``: the one
    place every chart of the site (the calculators' and the build's figures) starts.

    It is an image (``role="img"``) named by its title and described by its desc, whose
    ids are ``uid`` + ``-title``/``-desc``; text inherits the page's font, colour its
    colour. Without ``width`` it is as wide as its column and ``height`` pixels tall
    (fluid: see above); with it, a drawing in a ``width`` × ``height`` viewBox, scaled to
    the column, text and all. ``searched=False`` keeps its text out of the site search.

    >>> svg_open("c-x", "T", "D", 90)[40:86]
    'width="100%" height="90" role="img" class="cal'
    >>> svg_open("f", "T", "D", 300, width=600, css="wide", searched=False)[40:111]
    'viewBox="0 0 600 300" width="100%" role="img" class="wide" data-search-'
    """
    size = (f'width="100%" height="{height}"' if width is None
            else f'viewBox="0 0 {width} {height}" width="100%"')
    unsearched = "" if searched else 'data-search-exclude="" '
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" {size} '
        f'role="img" class="{esc(css)}" {unsearched}'
        f'aria-labelledby="{esc(uid)}-title {esc(uid)}-desc" '
        f'font-family="inherit" font-size="{font}" fill="currentColor">'
        f'<title id="{esc(uid)}-title">{esc(title)}</title>'
        f'<desc id="{esc(uid)}-desc">{esc(desc)}</desc>'
    )


def text(x: str, y: str, s: str, attrs: str = "", dx: str | None = None) -> str:
    """A text element at ``x``, ``y`` (``dx``: moved so many pixels along), its text
    escaped; ``attrs``: its other attributes, each after a space.

    >>> text("10%", "4", "a < b", ' text-anchor="end"', dx="-6")
    '<text x="10%" dx="-6" y="4" text-anchor="end">a &lt; b</text>'
    """
    shift = "" if dx is None else f' dx="{dx}"'
    return f'<text x="{x}"{shift} y="{y}"{attrs}>{esc(s)}</text>'


def _pct(x: float) -> str:
    return f"{x:.2f}%"


def _fill(i: int) -> str:
    return (
        f'class="calc-series calc-series-{i}" '
        f'style="fill: var(--calc-series-{i}, currentColor)" fill-opacity="{_OPAC[i % len(_OPAC)]}"'
    )


def table(caption: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Return an HTML table (first column as row headers).

    >>> t = table("T", ["a", "b"], [["x", "1 < 2"]])
    >>> t[:46]
    '<table class="calc-table"><caption>T</caption>'
    >>> t.endswith('<th scope="row">x</th><td>1 &lt; 2</td></tr></tbody></table>')
    True
    """
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<th scope="row">{esc(c)}</th>' if j == 0 else f"<td>{esc(c)}</td>"
            for j, c in enumerate(r)
        )
        + "</tr>"
        for r in rows
    )
    return (
        f'<table class="calc-table"><caption>{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


#: How a chart of probabilities is drawn: on the probability scale (0 to 100%) or in
#: log2 odds (bits for and against), where a count of 2^100 is 100 bits and a
#: breakeven curve is a straight line.
Scale = Literal["probability", "odds"]


def _odds_label(t: float) -> str:
    text = f"{t:+,.4g} bits" if abs(t) < 1e15 else f"{t:+.3g} bits"
    return text.replace("-", "−")


def bar_chart(
    uid: str,
    title: str,
    desc: str,
    groups: Sequence[str],
    series: Sequence[str],
    odds: Sequence[Sequence[float]],
    texts: Sequence[Sequence[str]],
    scale: Scale = "probability",
) -> str:
    """Horizontal grouped bars of probabilities given as log2 odds; ``odds[g][s]``.

    On the probability scale a bar runs from 0; in log2 odds it runs from even odds
    (the middle) toward the side it favours.  Each bar's label sits on its own line
    above it, on the page background: it never collides with a long bar on a narrow
    screen, and keeps the text's own contrast.

    >>> svg = bar_chart("c-m", "T", "D", ["A"], ["s"], [[0.0]], [["50%"]])
    >>> svg.startswith("<svg") and "s: 50%" in svg and 'width="50.00%"' in svg
    True
    >>> 'x="50.00%"' in bar_chart("c-m", "T", "D", ["A"], ["s"], [[3.0]], [["89%"]], "odds")
    True
    """
    label_h, bar_h, gap, head, group_gap = 14, 9, 5, 20, 8
    legend_rows = (len(series) + 2) // 3
    top = 4 + 18 * legend_rows
    per_group = head + len(series) * (label_h + bar_h + gap) + group_gap
    height = top + len(groups) * per_group
    finite = [abs(t) for row in odds for t in row if math.isfinite(t)]
    reach = max([*finite, 1.0])
    out = [svg_open(uid, title, desc, height)]
    for s, name in enumerate(series):
        lx, ly = (s % 3) * 100 / 3, 4 + 18 * (s // 3)
        out.append(
            f'<rect x="{_pct(lx)}" y="{ly}" width="11" height="11" {_fill(s)}/>'
            + text(_pct(lx), f"{ly + 10}", name, ' font-size="12"', dx="15")
        )
    y = top
    for g, gname in enumerate(groups):
        out.append(text("0", f"{y + 15}", gname, ' font-weight="bold"'))
        y += head
        for s, name in enumerate(series):
            t = odds[g][s]
            if scale == "odds":
                f = max(-1.0, min(1.0, t / reach)) if not math.isnan(t) else 0.0
                x0, w = (50.0, max(50 * f, 0.25)) if f >= 0 else (50 + 50 * f, -50 * f)
                label = f"{name}: {texts[g][s]} ({_odds_label(t)})"
            else:
                v = p_from_odds(t)
                x0, w = 0.0, max(v * 100, 0.25)
                label = f"{name}: {texts[g][s]}"
            out.append(
                text("0", f"{y + label_h - 3}", label, ' font-size="12"')
                + f'<rect x="{_pct(x0) if x0 else 0}" y="{y + label_h}" width="{_pct(w)}" '
                f'height="{bar_h}" {_fill(s)}><title>{esc(gname)}, {esc(label)}</title></rect>'
            )
            y += label_h + bar_h + gap
        y += group_gap
    if scale == "odds":  # the line of even odds
        out.append(f'<line x1="50%" y1="{top}" x2="50%" y2="{height}" stroke="currentColor" '
                   f'stroke-dasharray="2 3"/>')
    out.append("</svg>")
    return "".join(out)


def line_chart(
    uid: str,
    title: str,
    desc: str,
    xs: Sequence[float],
    ts: Sequence[float],
    x_label: str,
    y_label: str,
    vmarks: Sequence[tuple[float, str]] = (),
    hmarks: Sequence[tuple[float, str]] = (),
    scale: Scale = "probability",
) -> str:
    """A line of probabilities (given as log2 odds ``ts``) against xs, with labelled
    vertical marks and horizontal marks (at log2 odds).

    On the probability scale the axis runs 0 to 100%; in log2 odds it spans the line's
    own range, on which a curve such as k - b·x is straight.  The plot is a nested SVG
    stretched to the width (its strokes do not scale); the axis text is placed in
    percent around it.

    >>> "n* = 1" in line_chart("c-c", "T", "D", [0, 1, 2], [9, 0, -9], "x", "y", [(1, "n* = 1")])
    True
    >>> ">−9 bits<" in line_chart("c-c", "T", "D", [0, 1, 2], [9, 0, -9], "x", "y", scale="odds")
    True
    """
    left, right = 14.0, 3.0  # percent of the width
    top, ph, bottom = 26, 200, 44
    height = top + ph + bottom
    pw = 100.0 - left - right
    x0, x1 = float(xs[0]), float(xs[-1])
    span = (x1 - x0) or 1.0
    if scale == "odds":
        ys = [t if math.isfinite(t) else math.copysign(1e300, t) for t in ts]
        lo = min(min(ys), *(t for t, _ in hmarks), 0.0)
        hi = max(max(ys), *(t for t, _ in hmarks), 0.0)
        ticks = [(lo, _odds_label(lo)), (0.0, "even"), (hi, _odds_label(hi))]
        marks = list(hmarks)
    else:
        ys = [p_from_odds(t) for t in ts]
        lo, hi = 0.0, 1.0
        ticks = [(0.0, "0%"), (0.5, "50%"), (1.0, "100%")]
        marks = [(p_from_odds(t), label) for t, label in hmarks]
    yspan = (hi - lo) or 1.0

    def fx(x: float) -> float:  # 0..1 across the plot
        return (x - x0) / span

    def py(y: float) -> float:  # pixels down from the plot's top
        return (1.0 - min(1.0, max(0.0, (y - lo) / yspan))) * ph

    thin = 'vector-effect="non-scaling-stroke"'
    out = [svg_open(uid, title, desc, height)]
    out.append(text("0", "14", y_label, ' font-size="12"'))
    for yv, txt in ticks:
        out.append(text(_pct(left), f"{top + py(yv) + 4:.1f}", txt,
                        ' text-anchor="end" font-size="11"', dx="-6"))
    for i in range(5):
        xv = x0 + span * i / 4
        txt = f"{xv:,.0f}" if span >= 8 else f"{xv:.2g}"
        out.append(text(_pct(left + pw * i / 4), f"{top + ph + 16}", txt,
                        ' text-anchor="middle" font-size="11"'))
    out.append(text(_pct(left + pw / 2), f"{height - 6}", x_label,
                    ' text-anchor="middle" font-size="12"'))
    # The plot: x in 0..1000 stretched to the plot's width, y in pixels.
    out.append(
        f'<svg x="{_pct(left)}" y="{top}" width="{_pct(pw)}" height="{ph}" '
        f'viewBox="0 0 1000 {ph}" preserveAspectRatio="none" overflow="visible">'
        f'<g stroke="currentColor" stroke-opacity="0.5" {thin}>'
        f'<line x1="0" y1="0" x2="0" y2="{ph}" {thin}/>'
        f'<line x1="0" y1="{ph}" x2="1000" y2="{ph}" {thin}/></g>'
    )
    pts = " ".join(f"{1000 * fx(x):.1f},{py(y):.1f}" for x, y in zip(xs, ys, strict=True))
    out.append(
        f'<polyline points="{pts}" fill="none" stroke-width="2.5" class="calc-line" {thin} '
        f'style="stroke: var(--calc-series-0, currentColor)"/>'
    )
    for yv, _ in marks:
        out.append(
            f'<line x1="0" y1="{py(yv):.1f}" x2="1000" y2="{py(yv):.1f}" '
            f'stroke="currentColor" stroke-dasharray="2 3" {thin}/>'
        )
    shown = [(fx(xv), label) for xv, label in vmarks if x0 <= xv <= x1]
    for f, _ in shown:
        out.append(
            f'<line x1="{1000 * f:.1f}" y1="0" x2="{1000 * f:.1f}" y2="{ph}" '
            f'stroke="currentColor" stroke-dasharray="5 4" {thin}/>'
        )
    out.append("</svg>")
    for f, label in shown:
        # Beside the line, on whichever side has room.
        right_side = f < 0.6
        anchor = "start" if right_side else "end"
        out.append(text(_pct(left + pw * f), f"{top + 14}", label,
                        f' font-size="12" text-anchor="{anchor}"', dx=f"{5 if right_side else -5}"))
    for yv, label in marks:
        out.append(text(_pct(left + pw), f"{top + py(yv) - 4:.1f}", label,
                        ' text-anchor="end" font-size="12"'))
    out.append("</svg>")
    return "".join(out)


def histograms(
    uid: str,
    title: str,
    desc: str,
    panels: Sequence[tuple[str, Sequence[int], str, str]],
) -> str:
    """Stacked histograms: each panel is (label, bin counts, low-end text, high-end text).

    >>> "p_schemer" in histograms("c-d", "T", "D", [("p_schemer", [1, 3, 2], "0", "1")])
    True
    """
    ph, gap, line_h = 70, 26, 15
    labels = [_wrap(label, 44) for label, _, _, _ in panels]
    height = 10 + sum(ph + gap + line_h * len(lines) for lines in labels)
    out = [svg_open(uid, title, desc, height)]
    y = 8
    for i, (_, counts, lo, hi) in enumerate(panels):
        top = max(counts) if counts else 1
        for line in labels[i]:  # wrapped: a phone shows about 44 characters
            y += line_h
            out.append(text("0", f"{y - 4}", line, ' font-weight="bold"'))
        y += 4
        nb = max(1, len(counts))
        bw = 100.0 / nb
        for j, c in enumerate(counts):
            h = ph * c / top if top else 0.0
            out.append(
                f'<rect x="{_pct(j * bw)}" y="{y + ph - h:.1f}" width="{_pct(bw * 0.85)}" '
                f'height="{h:.1f}" {_fill(i % 4)}/>'
            )
        out.append(
            f'<line x1="0" y1="{y + ph}" x2="100%" y2="{y + ph}" stroke="currentColor"/>'
            + text("0", f"{y + ph + 14}", lo, ' font-size="11"')
            + text("100%", f"{y + ph + 14}", hi, ' font-size="11" text-anchor="end"')
        )
        y += ph + gap
    out.append("</svg>")
    return "".join(out)


def _wrap(line: str, width: int) -> list[str]:
    """Split a line at spaces into pieces of at most ``width`` characters where it can.

    >>> _wrap("Misgeneralized non-training-gamers: selection advantage", 40)
    ['Misgeneralized non-training-gamers:', 'selection advantage']
    """
    out: list[str] = []
    for word in line.split(" "):
        if out and len(out[-1]) + 1 + len(word) <= width:
            out[-1] += " " + word
        else:
            out.append(word)
    return out or [""]


def tornado(
    uid: str,
    title: str,
    desc: str,
    rows: Sequence[tuple[Sequence[str], float, float]],
    base: float,
    base_text: str,
) -> str:
    """Horizontal bars, one per input, from the headline at one end of its span to the
    other, around the headline as it stands (a dashed line); largest first.

    ``rows`` are (text lines above the bar, x at the low end, x at the high end), in
    any common unit; the first line is bold.

    >>> svg = tornado("c-s", "T", "D", [(("a", "1 to 3"), -3.0, 3.0)], 0.0, "50%")
    >>> svg.startswith("<svg") and ">1 to 3<" in svg and 'width="92.00%"' in svg
    True
    """
    line_h, bar_h, gap, top = 14, 10, 8, 22
    # Long lines wrap at a space: a 390 px phone shows about 44 characters of 12 px text.
    rows = [([part for i, line in enumerate(lines) for part in _wrap(line, 40 if i == 0 else 46)],
             a, b) for lines, a, b in rows]
    height = top + sum(len(lines) * line_h + bar_h + gap for lines, _, _ in rows) + 4
    finite = [x for _, a, b in rows for x in (a, b, base) if math.isfinite(x)] or [0.0]
    lo, hi = min(finite), max(finite)
    span = (hi - lo) or 1.0
    left, width = 4.0, 92.0  # percent of the width: room for a 0.25% sliver at the edges

    def fx(x: float) -> float:
        x = min(max(x, lo), hi)  # an infinite end (a probability of exactly 0 or 1) clips
        return left + width * (x - lo) / span

    out = [svg_open(uid, title, desc, height)]
    bx = fx(base)
    # "As it stands" sits over the dashed line, turned inward near either edge.
    anchor = "start" if bx < 30 else ("end" if bx > 70 else "middle")
    out.append(text(_pct(bx), "12", f"as it stands: {base_text}",
                    f' font-size="11" text-anchor="{anchor}"'))
    y = top
    for i, (lines, a, b) in enumerate(rows):
        for j, line in enumerate(lines):
            weight = ' font-weight="bold"' if j == 0 else ""
            out.append(text("0", f"{y + 11 + j * line_h}", line,
                            f' font-size="{12 if j == 0 else 11}"{weight}'))
        y += len(lines) * line_h
        x0, x1 = sorted((fx(a), fx(b)))
        out.append(
            f'<rect x="{_pct(x0)}" y="{y}" width="{_pct(max(x1 - x0, 0.25))}" '
            f'height="{bar_h}" {_fill(i % 5)}><title>{esc(", ".join(lines))}</title></rect>'
        )
        y += bar_h + gap
    out.append(f'<line x1="{_pct(bx)}" y1="{top - 4}" x2="{_pct(bx)}" y2="{height - 2}" '
               f'stroke="currentColor" stroke-dasharray="3 3"/>')
    out.append("</svg>")
    return "".join(out)
