"""The one door between the browser and the models: raw input text in, JSON-ready reply out.

``run(calc_id, raw)`` never raises.  Its reply is either
``{"ok": true, "id", "ranged", "outputs", "charts", "inputs"}`` or
``{"ok": false, "id", "errors": {field name: message}}``; see ``calculators/README.md``.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from . import charts
from .fmt import fmt_count_log2, fmt_fraction_log2, fmt_number, fmt_probability
from .logspace import p_from_odds
from .parse import InputError, Parsed, parse_field
from .registry import CALCULATORS
from .spec import Calculator, Field, OutputSpec
from .uncertainty import SAMPLES, histogram, sample_columns, seed_for

__all__ = ["format_output", "run", "run_json"]


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
        if f.kind == "count":
            return fmt_count_log2(x)
        if f.kind == "probability":
            return fmt_number(x)
        return fmt_number(x)

    if p.empty:
        return {"value": "", "text": ""}
    if p.low is not None and p.high is not None:
        return {"value": repr(p.value), "text": f"{one(p.low)} to {one(p.high)}"}
    return {"value": repr(p.value), "text": one(p.value)}


def _ranged(
    calc: Calculator, parsed: Mapping[str, Parsed], raw: Mapping[str, str]
) -> dict[str, Sequence[object]]:
    assert calc.compute_columns is not None
    cols = sample_columns(calc.fields, parsed, seed_for(calc.id, raw), SAMPLES)
    res = dict(calc.compute_columns(cols, SAMPLES))
    missing = [k for k in calc.costly_outputs if k not in res]
    if missing:
        m = calc.costly_samples
        sub = calc.compute_columns({k: v[:m] for k, v in cols.items()}, m)
        for k in missing:
            res[k] = sub[k]
    return res


class _Sorted:
    """Sorted copies of sample columns, one per distinct column (outputs may share one)."""

    def __init__(self) -> None:
        self.cache: dict[int, tuple[Sequence[object], list[float]]] = {}

    def get(self, xs: Sequence[object]) -> list[float]:
        hit = self.cache.get(id(xs))
        if hit is None:
            hit = (xs, sorted(xs))  # type: ignore[arg-type]
            self.cache[id(xs)] = hit
        return hit[1]


def _pct(s: list[float]) -> tuple[float, float, float]:
    n = len(s) - 1
    return s[round(0.05 * n)], s[round(0.5 * n)], s[round(0.95 * n)]


def _range_reply(spec: OutputSpec, xs: Sequence[object], srt: _Sorted) -> dict[str, Any]:
    if spec.kind == "text" or (xs and isinstance(xs[0], str)):
        word, _ = Counter(str(x) for x in xs).most_common(1)[0]
        share = sum(1 for x in xs if str(x) == word) / len(xs)
        return {
            "value": word,
            "text": f"{word} (in {fmt_number(round(100 * share, 1))}% of samples)",
            "range": None,
        }
    lo, mid, hi = _pct(srt.get(xs))
    pv = [format_output(spec, c) for c in (lo, mid, hi)]
    rng = {k: {"value": v, "text": t} for k, (v, t) in zip(("p5", "p50", "p95"), pv, strict=True)}
    return {
        "value": pv[1][0],
        "text": f"{pv[1][1]} (90% range {pv[0][1]} to {pv[2][1]})",
        "range": rng,
    }


def _distribution(
    calc: Calculator, res: Mapping[str, Sequence[object]], srt: _Sorted
) -> dict[str, str]:
    mains = [o for o in calc.outputs if o.main and o.kind != "text" and o.key in res]
    panels = []
    rows = []
    for o in mains:
        xs = srt.get(res[o.key])
        counts, lo, hi = histogram(xs, presorted=True)
        lo_t, hi_t = format_output(o, lo)[1], format_output(o, hi)[1]
        scale = {"probability": " (log-odds scale)", "count": " (log scale)",
                 "fraction": " (log scale)"}.get(o.kind, "")
        if lo_t == hi_t:
            # A spread too narrow to show in the displayed digits: one bar, said so.
            counts = [0] * len(counts)
            counts[len(counts) // 2] = len(xs)
            scale = f": every sample ≈ {lo_t}"
        panels.append((o.label + scale, counts, lo_t, hi_t))
        p5, p50, p95 = (format_output(o, c)[1] for c in _pct(xs))
        rows.append([o.label, p5, p50, p95])
    uid = f"{calc.id}-distribution"
    title = f"{calc.title}: spread of the results over the input ranges"
    desc = (
        f"Histograms of {SAMPLES:,} seeded samples, one panel per result; "
        + "; ".join(f"{r[0]}: median {r[2]}, 90% range {r[1]} to {r[3]}" for r in rows)
        + "."
    )
    svg = charts.histograms(uid, title, desc, panels)
    tbl = charts.table(title, ["Result", "5th percentile", "Median", "95th percentile"], rows)
    return {"svg": svg, "table": tbl}


def _run(calc_id: str, raw: Mapping[str, str]) -> dict[str, Any]:
    calc = CALCULATORS.get(calc_id)
    if calc is None:
        known = ", ".join(sorted(CALCULATORS))
        return {"ok": False, "id": calc_id, "errors": {"": f"Unknown calculator {calc_id!r}; "
                                                       f"known: {known}."}}
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
    if errors:
        return {"ok": False, "id": calc.id, "errors": errors}
    point = {k: p.value for k, p in parsed.items() if not p.empty}
    results = calc.compute(point)
    ranged = any(p.is_range for p in parsed.values())
    outputs: dict[str, Any] = {}
    samples: dict[str, Sequence[object]] = {}
    srt = _Sorted()
    if ranged:
        samples = _ranged(calc, parsed, used)
    for o in calc.outputs:
        if ranged and o.key in samples:
            outputs[o.key] = _range_reply(o, samples[o.key], srt)
        else:
            v, t = format_output(o, results[o.key])
            outputs[o.key] = {"value": v, "text": t, "range": None}
    drawn = calc.draw(point, results, calc.id) if calc.draw else {}
    chart_reply: dict[str, dict[str, str]] = {}
    for c in calc.charts:
        if c.key == "distribution":
            empty = {"svg": "", "table": ""}
            chart_reply[c.key] = _distribution(calc, samples, srt) if ranged else empty
        else:
            svg, tbl = drawn.get(c.key, ("", ""))
            chart_reply[c.key] = {"svg": svg, "table": tbl}
    return {
        "ok": True,
        "id": calc.id,
        "ranged": ranged,
        "outputs": outputs,
        "charts": chart_reply,
        "inputs": {f.name: _input_text(f, parsed[f.name]) for f in calc.fields},
    }


def run(calc_id: str, raw: Mapping[str, str]) -> dict[str, Any]:
    """Compute a calculator from raw input text; never raises.

    >>> r = run("breakeven", {"prior_ratio": "2^100", "training_steps": "1e6"})
    >>> r["outputs"]["breakeven_steps"]["text"], r["outputs"]["training_fraction"]["text"]
    ('100', '0.01%')
    >>> run("breakeven", {"bits_per_step": "0"})["errors"]["bits_per_step"][:14]
    'Bits per step:'
    """
    try:
        if not isinstance(raw, Mapping):
            raw = {}
        return _run(str(calc_id), raw)
    except Exception as e:  # the door must never throw into the browser
        return {
            "ok": False,
            "id": str(calc_id),
            "errors": {"": f"Internal error ({type(e).__name__}); please report these inputs."},
        }


def run_json(request: str) -> str:
    """JSON in (``{"id": ..., "inputs": {...}}``), JSON out; never raises.

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
        reply = run(str(calc_id), raw)
    except Exception:
        reply = {"ok": False, "id": "", "errors": {"": "The request is not valid JSON "
                                                   '{"id": ..., "inputs": {...}}.'}}
    return json.dumps(reply, ensure_ascii=False, allow_nan=False)
