"""The one door between the browser and the models: raw input text in, JSON-ready reply out.

``run(calc_id, raw)`` never raises.  Its reply is either
``{"ok": true, "id", "ranged", "headline", "outputs", "charts", "inputs", "provenance"}``
or ``{"ok": false, "id", "errors": {field name: message}}``; see ``calculators/README.md``.
"""

from __future__ import annotations

import json
import math
from collections import Counter, OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any

from . import charts
from .fmt import brief, fmt_count_log2, fmt_fraction_log2, fmt_number, fmt_probability
from .logspace import p_from_odds
from .parse import InputError, Parsed, parse_field
from .registry import CALCULATORS
from .sensitivity import swings
from .spec import Calculator, Field, OutputSpec
from .uncertainty import SAMPLES, expectation, histogram, percentiles, sample_columns, seed_for
from .version import __version__

__all__ = [
    "MAX_SCENARIOS",
    "compare",
    "compare_json",
    "format_output",
    "run",
    "run_json",
    "samples_csv",
    "samples_csv_json",
]


def _pow2(x: float) -> float:
    if x > 1024.0:
        return math.inf
    if x < -1100.0:
        return 0.0
    return math.pow(2.0, x)


def _snap(v: float) -> float:
    """Undo the few-ulp wobble of a log2 round trip: 9.999999999999992e-05 -> 0.0001.

    A log2 carrier holds only about 1e-15 relative precision in 2^x anyway, so a value
    within 1e-14 of a 12-significant-digit number is reported as that number.

    >>> _snap(9.999999999999992e-05), _snap(1000000.0000000002), _snap(0.1234567890123)
    (0.0001, 1000000.0, 0.1234567890123)
    """
    if v == 0.0 or not math.isfinite(v):
        return v
    s = float(f"{v:.12g}")
    return s if abs(s - v) <= 1e-14 * abs(v) else v


def format_output(spec: OutputSpec, carrier: object) -> tuple[str, str]:
    """Return (value, text) for an output's carrier: value is ``repr`` of the raw float.

    >>> from calculators.spec import OutputSpec
    >>> format_output(OutputSpec("p", "P", kind="probability"), 0.0)
    ('0.5', '50%')
    """
    if spec.kind == "text" or isinstance(carrier, str):
        return str(carrier), str(carrier)
    x = float(carrier)  # type: ignore[arg-type]
    if spec.kind == "probability":
        return repr(p_from_odds(x)), fmt_probability(x)
    if spec.kind == "count":
        return repr(_snap(_pow2(x))), fmt_count_log2(x)
    if spec.kind == "fraction":
        return repr(_snap(_pow2(x))), fmt_fraction_log2(x)
    return repr(x), fmt_number(x)


def _input_text(f: Field, p: Parsed) -> dict[str, str]:
    def one(x: float) -> str:
        return fmt_count_log2(x) if f.kind == "count" else fmt_number(x)

    if p.empty:
        return {"value": "", "text": ""}
    if p.low is not None and p.high is not None:
        return {"value": repr(p.value), "text": f"{one(p.low)} to {one(p.high)}"}
    return {"value": repr(p.value), "text": one(p.value)}


def _ranged(calc: Calculator, cols: Mapping[str, list[float]]) -> dict[str, Sequence[object]]:
    """The model over every sample; costly outputs over the first few only."""
    res = dict(calc.compute_columns(cols, SAMPLES))
    if calc.compute_costly is not None:
        m = min(o.costly_samples for o in calc.outputs if o.costly_samples)
        res.update(calc.compute_costly({k: v[:m] for k, v in cols.items()}, m))
    return res


class _Stats:
    """Sorted copies and means of sample columns, once per distinct column.

    Outputs may share one list (``p_schemer`` and ``log2_odds_schemer``), so the cache
    is keyed by the list itself, which stays alive for the whole reply.
    """

    def __init__(self, exact: Mapping[str, float] | None = None) -> None:
        self.sorted: dict[int, list[float]] = {}
        self.means: dict[tuple[int, str], float] = {}
        #: Expectations the calculator gives itself (thresholds solved, exact baselines).
        self.exact = exact or {}

    def order(self, xs: Sequence[object]) -> list[float]:
        hit = self.sorted.get(id(xs))
        if hit is None:
            hit = self.sorted[id(xs)] = sorted(xs)  # type: ignore[arg-type]
        return hit

    def mean(self, spec: OutputSpec, xs: Sequence[object]) -> float:
        if spec.key in self.exact:
            return self.exact[spec.key]
        family = "odds" if spec.kind in ("probability", "log2_odds") else spec.kind
        key = (id(xs), family)
        if key not in self.means:
            self.means[key] = expectation(spec, xs)  # type: ignore[arg-type]
        return self.means[key]


def _range_reply(spec: OutputSpec, xs: Sequence[object], stats: _Stats
                 ) -> tuple[dict[str, Any], str]:
    """An output's reply under ranges, and the plain display text of its headline value."""
    if spec.kind == "text" or (xs and isinstance(xs[0], str)):
        word, count = Counter(str(x) for x in xs).most_common(1)[0]
        share = fmt_number(round(100 * count / len(xs), 1))
        return {"value": word, "text": f"{word} (in {share}% of samples)", "range": None}, word
    p5, p50, p95 = (format_output(spec, c) for c in percentiles(stats.order(xs)))
    mean = format_output(spec, stats.mean(spec, xs))
    rng = {k: {"value": v, "text": t}
           for k, (v, t) in (("mean", mean), ("p5", p5), ("p50", p50), ("p95", p95))}
    if p5[1] == p95[1]:  # no spread in the shown digits: say only the value
        text = mean[1]
    elif spec.solved:  # a threshold: solved on the expectation; the samples are spread
        text = f"{mean[1]} (per sample: median {p50[1]}, 90% range {p5[1]} to {p95[1]})"
    else:
        text = f"{mean[1]} (mean; median {p50[1]}, 90% range {p5[1]} to {p95[1]})"
    return {"value": mean[0], "text": text, "range": rng}, mean[1]


def _distribution(calc: Calculator, res: Mapping[str, Sequence[object]], stats: _Stats
                  ) -> dict[str, str]:
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


def _sensitivity(calc: Calculator, parsed: Mapping[str, Parsed],
                 cols: Mapping[str, list[float]] | None, base: float, base_text: str
                 ) -> dict[str, str]:
    """The tornado chart: the headline's swing across each input's span, largest first."""
    spec = next(o for o in calc.outputs if o.key == calc.headline)
    labels = {f.name: f for f in calc.fields}
    rows, table_rows = [], []
    names = []
    for sw in swings(calc, parsed, cols):
        f = labels[sw.name]
        lo_in, hi_in = (_input_text(f, Parsed(x))["text"] for x in (sw.low, sw.high))
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


def _parse(calc: Calculator, raw: Mapping[str, object]
           ) -> tuple[dict[str, Parsed], dict[str, str], dict[str, str]]:
    """Parsed fields, the text used for each (defaults filled in), and errors."""
    parsed: dict[str, Parsed] = {}
    errors: dict[str, str] = {}
    used: dict[str, str] = {}
    for f in calc.fields:
        text = raw.get(f.name, f.default)
        if not isinstance(text, str):
            text = f.default if text is None else str(text)
        used[f.name] = text
        try:
            parsed[f.name] = parse_field(f, text)
        except InputError as e:
            errors[f.name] = e.message
    return parsed, used, errors


def _run(calc_id: str, raw: Mapping[str, object], scale: str,
         charts: bool = True) -> dict[str, Any]:
    calc = CALCULATORS.get(calc_id)
    if calc is None:
        known = ", ".join(sorted(CALCULATORS))
        return {"ok": False, "id": calc_id, "errors": {"": f"Unknown calculator {calc_id!r}; "
                                                       f"known: {known}."}}
    parsed, used, errors = _parse(calc, raw)
    if errors:
        return {"ok": False, "id": calc.id, "errors": errors}
    point = {k: p.value for k, p in parsed.items() if not p.empty}
    results = calc.compute(point)
    ranged = any(p.is_range for p in parsed.values())
    seed = seed_for(calc.id, used) if ranged else None
    samples: dict[str, Sequence[object]] = {}
    cols: dict[str, list[float]] = {}
    if ranged:
        assert seed is not None
        cols = sample_columns(calc.fields, parsed, seed, SAMPLES)
        samples = _ranged(calc, cols)
    stats = _Stats(calc.expect(cols, samples, parsed) if ranged and calc.expect else None)
    outputs: dict[str, Any] = {}
    plain: dict[str, dict[str, str]] = {}
    for o in calc.outputs:
        if ranged and o.key in samples:
            outputs[o.key], shown = _range_reply(o, samples[o.key], stats)
        else:
            v, shown = format_output(o, results[o.key])
            outputs[o.key] = {"value": v, "text": shown, "range": None}
        plain[o.key] = {"value": outputs[o.key]["value"], "text": shown}
    drawn = calc.draw(point, results, calc.id, scale) if calc.draw and charts else {}
    chart_reply: dict[str, dict[str, str]] = {}
    for c in calc.charts if charts else ():
        if c.kind == "distribution":
            empty = {"svg": "", "table": ""}
            chart_reply[c.key] = _distribution(calc, samples, stats) if ranged else empty
        elif c.kind == "sensitivity":
            spec = next(o for o in calc.outputs if o.key == calc.headline)
            base = (stats.mean(spec, samples[spec.key]) if ranged and spec.key in samples
                    else float(results[spec.key]))  # type: ignore[arg-type]
            chart_reply[c.key] = _sensitivity(calc, parsed, cols if ranged else None, base,
                                              plain[calc.headline]["text"])
        else:
            svg, tbl = drawn.get(c.key, ("", ""))
            chart_reply[c.key] = {"svg": svg, "table": tbl}
    return {
        "ok": True,
        "id": calc.id,
        "ranged": ranged,
        "headline": {"key": calc.headline, "text": calc.sentence(plain, parsed)},
        "outputs": outputs,
        "charts": chart_reply,
        "inputs": {f.name: _input_text(f, parsed[f.name]) for f in calc.fields},
        "provenance": {
            "version": __version__,
            "seed": seed,
            "samples": SAMPLES if ranged else 1,
            "inputs": used,
        },
    }


def run(calc_id: str, raw: Mapping[str, object],
        view: Mapping[str, object] | None = None, *, charts: bool = True) -> dict[str, Any]:
    """Compute a calculator from raw input text; never raises.

    ``view`` asks how to draw: ``{"scale": "odds"}`` draws its probability charts in
    log2 odds instead of probability (the numbers are the same either way).
    ``charts=False`` leaves the charts out (``"charts": {}``).

    >>> r = run("breakeven", {"prior_ratio": "2^100", "training_steps": "1e6"})
    >>> r["outputs"]["breakeven_steps"]["text"], r["outputs"]["training_fraction"]["text"]
    ('100', '0.01%')
    >>> run("breakeven", {"bits_per_step": "0"})["errors"]["bits_per_step"][:14]
    'Bits per step:'
    """
    try:
        if not isinstance(raw, Mapping):
            raw = {}
        scale = "odds" if isinstance(view, Mapping) and view.get("scale") == "odds" else (
            "probability")
        return _run(str(calc_id), raw, scale, charts)
    except Exception as e:  # the door must never throw into the browser
        return {
            "ok": False,
            "id": str(calc_id),
            "errors": {"": f"Internal error ({type(e).__name__}); please report these inputs."},
        }


def run_json(request: str) -> str:
    """JSON in (``{"id": ..., "inputs": {...}, "view": {...}}``), JSON out; never raises.

    >>> json.loads(run_json('{"id": "frames", "inputs": {}}'))["ok"]
    True
    """
    try:
        req = json.loads(request)
        if not isinstance(req, dict):
            raise ValueError("not an object")
        calc_id = req.get("id", "")
        inputs = req.get("inputs", {})
        if not isinstance(inputs, dict):
            inputs = {}
        raw = {
            str(k): v if isinstance(v, str) else repr(v)
            for k, v in inputs.items()
            if isinstance(v, str) or (isinstance(v, int | float) and not isinstance(v, bool))
        }
        view = req.get("view")
        reply = run(str(calc_id), raw, view if isinstance(view, dict) else None)
    except Exception:
        reply = {"ok": False, "id": "", "errors": {"": "The request is not valid JSON "
                                                   '{"id": ..., "inputs": {...}}.'}}
    return json.dumps(reply, ensure_ascii=False, allow_nan=False)


def samples_csv(calc_id: str, raw: Mapping[str, object]) -> str:
    """The samples of a ranged run as CSV, one row per sample; never raises.

    Columns: the sample's number, each input (counts as their log2, headed
    ``log2(name)``), then each output's raw value (a probability also as its log2 odds,
    which stays exact where the probability rounds to 0 or 1).  A run without ranges
    gives its single point as one row.  Bad input gives a one-line CSV of the errors.

    >>> text = samples_csv("breakeven", {"prior_ratio": "2^90 to 2^110"})
    >>> lines = text.splitlines(); len(lines), lines[0].split(",")[:3]
    (10001, ['sample', 'log2(prior_ratio)', 'bits_per_step'])
    """
    try:
        calc = CALCULATORS[str(calc_id)]
        parsed, used, errors = _parse(calc, raw if isinstance(raw, Mapping) else {})
        if errors:
            return "error\r\n" + "".join(f'"{m}"\r\n' for m in errors.values())
        fields = [f for f in calc.fields if not parsed[f.name].empty]
        if any(p.is_range for p in parsed.values()):
            n = SAMPLES
            cols = sample_columns(calc.fields, parsed, seed_for(calc.id, used), n)
            res = dict(calc.compute_columns(cols, n))
        else:
            n = 1
            cols = {f.name: [parsed[f.name].value] for f in fields}
            point = calc.compute({k: v[0] for k, v in cols.items()})
            res = {k: [v] for k, v in point.items()}
        outs = [o for o in calc.outputs if o.key in res]
        head = ["sample", *(f"log2({f.name})" if f.kind == "count" else f.name for f in fields)]
        for o in outs:
            head.append(o.key)
            if o.kind == "probability":
                head.append(f"log2_odds({o.key})")
        rows = [",".join(head)]
        for i in range(n):
            row = [str(i + 1), *(repr(cols[f.name][i]) for f in fields)]
            for o in outs:
                x = res[o.key][i]
                row.append(format_output(o, x)[0] if o.kind != "text" else str(x))
                if o.kind == "probability":
                    row.append(repr(float(x)))  # type: ignore[arg-type]
            rows.append(",".join(row))
        return "\r\n".join(rows) + "\r\n"
    except Exception as e:  # the door must never throw into the browser
        return f"error\r\n\"Internal error ({type(e).__name__})\"\r\n"


def samples_csv_json(request: str) -> str:
    """``samples_csv`` for a JSON request (``{"id": ..., "inputs": {...}}``); never raises.

    >>> samples_csv_json('{"id": "breakeven", "inputs": {}}').splitlines()[1][:8]
    '1,100.0,'
    """
    try:
        req = json.loads(request)
        inputs = req.get("inputs", {}) if isinstance(req, dict) else {}
        raw = {str(k): str(v) for k, v in inputs.items()} if isinstance(inputs, dict) else {}
        return samples_csv(str(req.get("id", "")), raw)
    except Exception:
        return 'error\r\n"The request is not valid JSON."\r\n'


#: A comparison holds the defaults, the reader's inputs and up to three named scenarios.
MAX_SCENARIOS = 5
#: How many scenario replies ``compare`` keeps (least recently used first out).
SCENARIO_CACHE_SIZE = 64
_scenarios: OrderedDict[tuple[str, str], dict[str, Any]] = OrderedDict()


def _scenario(calc_id: str, raw: Mapping[str, object]) -> dict[str, Any]:
    """One scenario's reply, without charts (the comparison draws its own), kept for
    the next comparison. While a reader compares, each change recomputes only the
    scenario they edit: the defaults and the kept scenarios come from here. A reply
    depends on nothing but its inputs (ranged runs are seeded by them)."""
    key = (calc_id, json.dumps(raw, sort_keys=True, default=str))
    reply = _scenarios.get(key)
    if reply is None:
        reply = run(calc_id, raw, charts=False)
        _scenarios[key] = reply
        if len(_scenarios) > SCENARIO_CACHE_SIZE:
            _scenarios.popitem(last=False)
    else:
        _scenarios.move_to_end(key)
    return reply


def _share(spec: OutputSpec, value: str, top: float) -> float:
    """Where an output's value puts its bar, 0 to 1: a probability as it is, any other
    quantity as a share of the largest among the scenarios."""
    x = float(value)
    if spec.kind == "probability":
        return x
    return abs(x) / top if top > 0 and math.isfinite(x) else 0.0


def compare(calc_id: str, scenarios: Sequence[Mapping[str, object]],
            view: Mapping[str, object] | None = None) -> dict[str, Any]:
    """Scenarios side by side: each one's headline and results, and one chart of the
    calculator's main results with a bar per scenario; never raises.

    ``scenarios`` are ``{"name": ..., "inputs": {...}}``, at most ``MAX_SCENARIOS``.
    ``view`` is accepted as ``run`` accepts it; the comparison's one chart is the same
    in either view.

    >>> r = compare("breakeven", [{"name": "Defaults", "inputs": {}},
    ...                          {"name": "Yours", "inputs": {"prior_ratio": "2^50"}}])
    >>> [s["outputs"]["breakeven_steps"]["text"] for s in r["scenarios"]]
    ['100', '50']
    """
    try:
        calc = CALCULATORS.get(str(calc_id))
        if calc is None:
            return {"ok": False, "id": str(calc_id), "errors": {"": "Unknown calculator."}}
        rows = []
        for sc in list(scenarios)[:MAX_SCENARIOS]:
            raw = sc.get("inputs", {}) if isinstance(sc, Mapping) else {}
            reply = _scenario(calc.id, raw if isinstance(raw, Mapping) else {})
            name = str(sc.get("name", "")) if isinstance(sc, Mapping) else ""
            rows.append({"name": name[:40], "ok": reply["ok"], "reply": reply})
        shown = [o for o in calc.outputs if o.main or o.key == calc.headline]
        good = [r for r in rows if r["ok"]]
        groups, names, values, texts = [], [r["name"] for r in good], [], []
        for o in shown:
            vals = [r["reply"]["outputs"][o.key]["value"] for r in good]
            top = max((abs(float(v)) for v in vals if math.isfinite(float(v))), default=0.0)
            shares = [min(1.0, max(0.0, _share(o, v, top))) for v in vals]
            groups.append(o.label)
            # Bars are drawn from log2 odds; a share is its own probability.
            values.append([math.log2(max(x, 1e-300) / max(1.0 - x, 1e-300)) for x in shares])
            texts.append([brief(str(r["reply"]["outputs"][o.key]["range"]["mean"]["text"]
                                    if r["reply"]["outputs"][o.key]["range"] else
                                    r["reply"]["outputs"][o.key]["text"])) for r in good])
        title = f"{calc.title}: the scenarios side by side"
        desc = "; ".join(f"{g}: " + ", ".join(f"{n} {t}" for n, t in zip(names, ts, strict=True))
                         for g, ts in zip(groups, texts, strict=True)) + "."
        svg = charts.bar_chart(f"{calc.id}-compare", title, desc, groups, names, values, texts)
        tbl = charts.table(title, ["Result", *names],
                           [[g, *ts] for g, ts in zip(groups, texts, strict=True)])
        return {
            "ok": True,
            "id": calc.id,
            "scenarios": [
                {"name": r["name"], "ok": r["ok"],
                 **({"headline": r["reply"]["headline"], "outputs": r["reply"]["outputs"],
                     "provenance": r["reply"]["provenance"]} if r["ok"]
                    else {"errors": r["reply"]["errors"]})}
                for r in rows
            ],
            "chart": {"svg": svg, "table": tbl},
        }
    except Exception as e:  # the door must never throw into the browser
        return {"ok": False, "id": str(calc_id),
                "errors": {"": f"Internal error ({type(e).__name__}); please report these inputs."}}


def compare_json(request: str) -> str:
    """``compare`` for a JSON request (``{"id", "scenarios", "view"}``); never raises.

    >>> json.loads(compare_json('{"id": "frames", "scenarios": []}'))["ok"]
    True
    """
    try:
        req = json.loads(request)
        scenarios = req.get("scenarios", []) if isinstance(req, dict) else []
        view = req.get("view") if isinstance(req, dict) else None
        reply = compare(str(req.get("id", "")), scenarios if isinstance(scenarios, list) else [],
                        view if isinstance(view, dict) else None)
    except Exception:
        reply = {"ok": False, "id": "", "errors": {"": "The request is not valid JSON."}}
    return json.dumps(reply, ensure_ascii=False, allow_nan=False)
