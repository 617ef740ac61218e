"""SVG charts drawn by hand, each with a title, a description and a data table beside it.

Colours come from CSS variables (``--calc-series-N``, falling back to ``currentColor``)
so light and dark palettes both work; every bar and line also carries a text label, so
no reading depends on colour.  Ids are prefixed with the calculator's id, so two
calculators on one page never clash.  All text is escaped (``esc``, as ``html.escape``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["bar_chart", "histograms", "line_chart", "table"]

W = 640
_OPAC = ("1", "0.6", "0.35", "0.8", "0.48")


def esc(text: str) -> str:
    """Escape text for HTML as ``html.escape`` does; importing ``html`` costs ~50 ms in Pyodide.

    >>> esc("<b class='x'>&</b>")
    '&lt;b class=&#x27;x&#x27;&gt;&amp;&lt;/b&gt;'
    """
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#x27;"))


def _open(uid: str, width: int, height: int, title: str, desc: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" role="img" class="calc-svg" '
        f'aria-labelledby="{esc(uid)}-title {esc(uid)}-desc" '
        f'font-family="inherit" font-size="13" fill="currentColor">'
        f'<title id="{esc(uid)}-title">{esc(title)}</title>'
        f'<desc id="{esc(uid)}-desc">{esc(desc)}</desc>'
    )


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


def bar_chart(
    uid: str,
    title: str,
    desc: str,
    groups: Sequence[str],
    series: Sequence[str],
    values: Sequence[Sequence[float]],
    texts: Sequence[Sequence[str]],
) -> str:
    """Horizontal grouped bars of values in [0, 1]; ``values[g][s]``, each bar labelled.

    >>> svg = bar_chart("c-m", "T", "D", ["A"], ["s"], [[0.5]], [["50%"]])
    >>> svg.startswith("<svg") and "50%" in svg and 'id="c-m-title"' in svg
    True
    """
    # Group names sit on their own line above their bars, so long names never clip on a
    # 390 px phone; the legend wraps three to a row.
    bar_h, gap, left, right, head = 18, 10, 10, 10, 20
    ns = max(1, len(series))
    legend_rows = (len(series) + 2) // 3
    top = 8 + 20 * legend_rows
    height = top + len(groups) * (head + ns * bar_h + gap) + 4
    out = [_open(uid, W, height, title, desc)]
    plot_w = W - left - right
    for s, name in enumerate(series):
        lx, ly = left + (s % 3) * 205, 6 + 20 * (s // 3)
        out.append(
            f'<rect x="{lx}" y="{ly}" width="12" height="12" {_fill(s)}/>'
            f'<text x="{lx + 16}" y="{ly + 10}">{esc(name)}</text>'
        )
    # Labels always sit right of their bar, on the page's background, so their contrast
    # is the text's own; the bars' scale leaves room for the longest label.
    labels = [[f"{name}: {texts[g][s]}" for s, name in enumerate(series)]
              for g in range(len(groups))]
    longest = max((len(t) for row in labels for t in row), default=0)
    bar_w = plot_w - min(plot_w - 200, 8 + 6.2 * longest)
    y = top
    for g, gname in enumerate(groups):
        out.append(f'<text x="{left}" y="{y + 14}" font-weight="bold">{esc(gname)}</text>')
        y += head
        for s in range(len(series)):
            v = values[g][s]
            v = 0.0 if not math.isfinite(v) else min(1.0, max(0.0, v))
            w = max(1.0, v * bar_w)
            label = labels[g][s]
            out.append(
                f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h - 2}" {_fill(s)}>'
                f"<title>{esc(gname)}, {esc(label)}</title></rect>"
                f'<text x="{left + w + 4:.1f}" y="{y + bar_h - 5}" font-size="11">'
                f"{esc(label)}</text>"
            )
            y += bar_h
        y += gap
    out.append("</svg>")
    return "".join(out)


def line_chart(
    uid: str,
    title: str,
    desc: str,
    xs: Sequence[float],
    ys: Sequence[float],
    x_label: str,
    y_label: str,
    vmarks: Sequence[tuple[float, str]] = (),
    hmarks: Sequence[tuple[float, str]] = (),
) -> str:
    """A line of ys (in [0, 1]) against xs, with labelled vertical and horizontal marks.

    >>> "n* = 1" in line_chart("c-c", "T", "D", [0, 1, 2], [1, 0.5, 0], "x", "y", [(1, "n* = 1")])
    True
    """
    left, right, top, bottom = 56, 20, 16, 46
    height = 300
    pw, ph = W - left - right, height - top - bottom
    x0, x1 = float(xs[0]), float(xs[-1])
    span = (x1 - x0) or 1.0

    def px(x: float) -> float:
        return left + (x - x0) / span * pw

    def py(y: float) -> float:
        return top + (1.0 - min(1.0, max(0.0, y))) * ph

    out = [_open(uid, W, height, title, desc)]
    out.append(
        f'<g stroke="currentColor" stroke-opacity="0.5">'
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + ph}"/>'
        f'<line x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}"/></g>'
    )
    for yv in (0.0, 0.5, 1.0):
        out.append(
            f'<text x="{left - 6}" y="{py(yv) + 4:.1f}" text-anchor="end" font-size="11">'
            f"{int(yv * 100)}%</text>"
        )
    for i in range(5):
        xv = x0 + span * i / 4
        txt = f"{xv:,.0f}" if span >= 8 else f"{xv:.2g}"
        out.append(
            f'<text x="{px(xv):.1f}" y="{top + ph + 16}" text-anchor="middle" '
            f'font-size="11">{esc(txt)}</text>'
        )
    out.append(
        f'<text x="{left + pw / 2}" y="{height - 6}" text-anchor="middle">{esc(x_label)}</text>'
        f'<text x="14" y="{top + ph / 2}" text-anchor="middle" '
        f'transform="rotate(-90 14 {top + ph / 2})">{esc(y_label)}</text>'
    )
    pts = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in zip(xs, ys, strict=True))
    out.append(
        f'<polyline points="{pts}" fill="none" stroke-width="2.5" class="calc-line" '
        f'style="stroke: var(--calc-series-0, currentColor)"/>'
    )
    for xv, label in vmarks:
        if x0 <= xv <= x1:
            out.append(
                f'<line x1="{px(xv):.1f}" y1="{top}" x2="{px(xv):.1f}" y2="{top + ph}" '
                f'stroke="currentColor" stroke-dasharray="5 4"/>'
                f'<text x="{px(xv) + 5:.1f}" y="{top + 14}" font-size="12">{esc(label)}</text>'
            )
    for yv, label in hmarks:
        out.append(
            f'<line x1="{left}" y1="{py(yv):.1f}" x2="{left + pw}" y2="{py(yv):.1f}" '
            f'stroke="currentColor" stroke-dasharray="2 3"/>'
            f'<text x="{left + pw}" y="{py(yv) - 4:.1f}" text-anchor="end" font-size="12">'
            f"{esc(label)}</text>"
        )
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
    ph, gap, left, right = 70, 40, 20, 20
    height = 10 + len(panels) * (ph + gap)
    out = [_open(uid, W, height, title, desc)]
    y = 22
    pw = W - left - right
    for i, (label, counts, lo, hi) in enumerate(panels):
        top = max(counts) if counts else 1
        out.append(f'<text x="{left}" y="{y - 6}" font-weight="bold">{esc(label)}</text>')
        nb = max(1, len(counts))
        bw = pw / nb
        for j, c in enumerate(counts):
            h = ph * c / top if top else 0.0
            out.append(
                f'<rect x="{left + j * bw:.1f}" y="{y + ph - h:.1f}" '
                f'width="{max(bw - 1, 0.5):.1f}" '
                f'height="{h:.1f}" {_fill(i % 4)}/>'
            )
        out.append(
            f'<line x1="{left}" y1="{y + ph}" x2="{left + pw}" y2="{y + ph}" '
            f'stroke="currentColor"/>'
            f'<text x="{left}" y="{y + ph + 14}" font-size="11">{esc(lo)}</text>'
            f'<text x="{left + pw}" y="{y + ph + 14}" font-size="11" text-anchor="end">'
            f"{esc(hi)}</text>"
        )
        y += ph + gap
    out.append("</svg>")
    return "".join(out)
