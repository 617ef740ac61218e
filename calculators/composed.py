"""The charts the bridge composes for every calculator, from a reply's numbers: the
distribution histograms and the sensitivity tornado of one run, and the comparison's
bars. Each gives its SVG (drawn by ``charts``), its data table and its description;
a calculator's own charts are its ``draw``."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from . import charts
from .fmt import brief
from .parse import Parsed
from .ranges import Stats
from .sensitivity import swings
from .shown import format_output, input_text
from .spec import Calculator, OutputSpec
from .uncertainty import SAMPLES, histogram, percentiles

__all__ = ["comparison", "distribution", "sensitivity"]


def distribution(calc: Calculator, res: Mapping[str, Sequence[object]], stats: Stats
                 ) -> dict[str, str]:
    """Histograms of the main results over the samples, one panel each."""
    mains = [o for o in calc.outputs if o.main and o.kind != "text" and o.key in res]
    panels = []
    rows = []
    for o in mains:
        xs = stats.order(res[o.key])
        counts, lo, hi = histogram(xs, presorted=True)
        lo_t, hi_t = format_output(o, lo)[1], format_output(o, hi)[1]
        scale = {"probability": " (log-odds scale)", "log2_odds": "", "count": " (log scale)",
                 "fraction": " (log scale)"}.get(o.kind, "")
        if lo_t == hi_t:
            # A spread too narrow to show in the displayed digits: one bar, said so.
            counts = [0] * len(counts)
            counts[len(counts) // 2] = len(xs)
            scale = f": every sample ≈ {lo_t}"
        panels.append((o.label + scale, counts, lo_t, hi_t))
        p5, p50, p95 = (format_output(o, c)[1] for c in percentiles(xs))
        rows.append([o.label, format_output(o, stats.mean(o, res[o.key]))[1], p5, p50, p95])
    uid = f"{calc.id}-distribution"
    title = f"{calc.title}: spread of the results over the input ranges"
    desc = (
        f"Histograms of {SAMPLES:,} seeded samples, one panel per result; "
        + "; ".join(f"{r[0]}: mean {r[1]}, median {r[3]}, 90% range {r[2]} to {r[4]}"
                    for r in rows)
        + "."
    )
    svg = charts.histograms(uid, title, desc, panels)
    tbl = charts.table(title, ["Result", "Mean", "5th percentile", "Median", "95th percentile"],
                       rows)
    return {"svg": svg, "table": tbl}


def sensitivity(calc: Calculator, parsed: Mapping[str, Parsed],
                cols: Mapping[str, list[float]] | None, base: float, base_text: str
                ) -> dict[str, str]:
    """The tornado chart: the headline's swing across each input's span, largest first."""
    spec = next(o for o in calc.outputs if o.key == calc.headline)
    labels = {f.name: f for f in calc.fields}
    rows, table_rows = [], []
    names = []
    for sw in swings(calc, parsed, cols):
        f = labels[sw.name]
        lo_in, hi_in = (input_text(f, Parsed(x))["text"] for x in (sw.low, sw.high))
        ends = f"{brief(lo_in)} to {brief(hi_in)}"
        where = "stated span" if sw.stated else "your range"
        lo_t, hi_t = format_output(spec, sw.at_low)[1], format_output(spec, sw.at_high)[1]
        moves = f"{brief(lo_t)} to {brief(hi_t)}" if lo_t != hi_t else f"stays {brief(lo_t)}"
        # Short lines a phone can show whole: the input, its span, its effect.
        rows.append(((f.label, f"{ends} ({where})", f"→ {moves}"), sw.at_low, sw.at_high))
        table_rows.append([f.label, f"{ends} ({where})", lo_t, hi_t])
        names.append((f.label, moves))
    short = spec.label.split(",")[0]
    if not names or names[0][1].startswith("stays"):
        caption = f"No input moves {short} within the displayed digits across its span."
    else:
        caption = (f"The input that matters most here is {names[0][0]}: across its span, "
                   f"{short} moves from {names[0][1]}.")
    uid = f"{calc.id}-sensitivity"
    title = f"Which input matters most for {short}"
    scale = {"probability": " (bars in log2 odds)", "count": " (bars in log2)",
             "fraction": " (bars in log2)"}.get(spec.kind, "")
    desc = (f"For each input, {short} at the two ends of its span, the others held as they "
            f"are, largest swing first{scale}. " + caption)
    svg = charts.tornado(uid, title, desc, rows, base, base_text)
    tbl = charts.table(title, ["Input", "Span", f"{short} at the low end",
                               f"{short} at the high end"], table_rows)
    return {"svg": svg, "table": tbl, "caption": caption}


def _share(spec: OutputSpec, value: str, top: float) -> float:
    """Where an output's value puts its bar, 0 to 1: a probability as it is, any other
    quantity as a share of the largest among the scenarios."""
    x = float(value)
    if spec.kind == "probability":
        return x
    return abs(x) / top if top > 0 and math.isfinite(x) else 0.0


def comparison(calc: Calculator, names: Sequence[str], replies: Sequence[Mapping[str, Any]]
               ) -> dict[str, str]:
    """Scenarios side by side: a bar per scenario (``names``, their successful
    ``replies``) for each main result and the headline, labelled with its ``quote``."""
    shown = [o for o in calc.outputs if o.main or o.key == calc.headline]
    groups, values, texts = [], [], []
    for o in shown:
        vals = [r["outputs"][o.key]["value"] for r in replies]
        top = max((abs(float(v)) for v in vals if math.isfinite(float(v))), default=0.0)
        shares = [min(1.0, max(0.0, _share(o, v, top))) for v in vals]
        groups.append(o.label)
        # Bars are drawn from log2 odds; a share is its own probability.
        values.append([math.log2(max(x, 1e-300) / max(1.0 - x, 1e-300)) for x in shares])
        texts.append([brief(str(r["outputs"][o.key]["quote"])) for r in replies])
    title = f"{calc.title}: the scenarios side by side"
    desc = "; ".join(f"{g}: " + ", ".join(f"{n} {t}" for n, t in zip(names, ts, strict=True))
                     for g, ts in zip(groups, texts, strict=True)) + "."
    svg = charts.bar_chart(f"{calc.id}-compare", title, desc, groups, names, values, texts)
    tbl = charts.table(title, ["Result", *names],
                       [[g, *ts] for g, ts in zip(groups, texts, strict=True)])
    return {"svg": svg, "table": tbl}
