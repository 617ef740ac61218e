"""The doors between the browser and the models: raw input text in, JSON-ready reply out.

``run`` (one result), ``samples`` (a ranged run's samples as CSV) and ``compare``
(scenarios side by side) never raise; ``run_json``, ``samples_json`` and
``compare_json`` are the same for a JSON request, read by one parser (``_request``).
A reply is either ``{"ok": true, "id", ...}`` or, for every door, the one failure
``{"ok": false, "id", "error": {"code", "message"[, "field"]}, "errors": {name: message}}``;
see ``calculators/README.md``.
"""

from __future__ import annotations

import json
import math
from collections import Counter, OrderedDict
from collections.abc import Callable, Mapping, Sequence
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
    "samples",
    "samples_csv",
    "samples_json",
]

#: What a failed reply's ``error.code`` may be: the request is not one the doors read
#: (``bad_request``), names no calculator they know (``unknown_calculator``), holds an
#: input the calculator refuses (``bad_input``, with each field's message in
#: ``errors``), or Python failed (``internal``: a bug; the worker retries only these).
CODES = ("bad_request", "unknown_calculator", "bad_input", "internal")


class _Refused(Exception):
    """A request a door turns down: its code, the sentence, and each field's message."""

    def __init__(self, code: str, message: str, errors: Mapping[str, str] | None = None
                 ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.errors = dict(errors) if errors else {"": message}


def _failure(calc_id: str, refused: _Refused) -> dict[str, Any]:
    """The one failed reply: ``error`` says what failed (``field``: the first field at
    fault), ``errors`` each field's message (``""``: the request as a whole)."""
    error = {"code": refused.code, "message": refused.message}
    field = next((k for k in refused.errors if k), None)
    if field is not None:
        error["field"] = field
    return {"ok": False, "id": calc_id, "error": error, "errors": refused.errors}


def _answer(calc_id: object, job: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """A door's reply: the job's, or its failure; never raises."""
    try:
        return job()
    except _Refused as refused:
        return _failure(str(calc_id), refused)
    except Exception as e:  # the door must never throw into the browser
        return _failure(str(calc_id), _Refused(
            "internal", f"Internal error ({type(e).__name__}); please report these inputs."))


def _calculator(calc_id: object) -> Calculator:
    calc = CALCULATORS.get(calc_id) if isinstance(calc_id, str) else None
    if calc is None:
        known = ", ".join(sorted(CALCULATORS))
        raise _Refused("unknown_calculator", f"Unknown calculator {calc_id!r}; known: {known}.")
    return calc


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
    """An output's reply under ranges, and the plain display text of its headline value.

    Its ``quote`` (what prose and the comparison show) is the mean alone; a word says
    its share of the samples."""
    if spec.kind == "text" or (xs and isinstance(xs[0], str)):
        word, count = Counter(str(x) for x in xs).most_common(1)[0]
        share = fmt_number(round(100 * count / len(xs), 1))
        text = f"{word} (in {share}% of samples)"
        return {"value": word, "text": text, "quote": text, "range": None}, word
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
    return {"value": mean[0], "text": text, "quote": mean[1], "range": rng}, mean[1]


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


def _text(f: Field, value: object) -> str:
    """The one reading of an input's value, for every door: text as it is, a number as
    its ``repr``, ``None`` (JSON ``null``) as the field's default; anything else (a JSON
    ``true``, a list) is refused."""
    if value is None:
        return f.default
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return repr(value)
    raise InputError(f.name, f"{f.label}: enter text or a number, such as {f.example}.")


def _parse(calc: Calculator, raw: object) -> tuple[dict[str, Parsed], dict[str, str]]:
    """Parsed fields and the text used for each (defaults filled in); raises the
    ``bad_input`` refusal naming every field at fault. Unknown names are ignored."""
    if not isinstance(raw, Mapping):
        raise _Refused("bad_request", "The inputs must be an object of name: text.")
    parsed: dict[str, Parsed] = {}
    errors: dict[str, str] = {}
    used: dict[str, str] = {}
    for f in calc.fields:
        try:
            used[f.name] = _text(f, raw.get(f.name))
            parsed[f.name] = parse_field(f, used[f.name])
        except InputError as e:
            errors[f.name] = e.message
    if errors:
        raise _Refused("bad_input", " ".join(errors.values()), errors)
    return parsed, used


def _run(calc_id: str, raw: Mapping[str, object], scale: str,
         charts: bool = True) -> dict[str, Any]:
    calc = _calculator(calc_id)
    parsed, used = _parse(calc, raw)
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
            outputs[o.key] = {"value": v, "text": shown, "quote": shown, "range": None}
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
    >>> r = run("breakeven", {"bits_per_step": "0"})
    >>> r["error"]["code"], r["error"]["field"], r["errors"]["bits_per_step"][:14]
    ('bad_input', 'bits_per_step', 'Bits per step:')
    """
    scale = "odds" if isinstance(view, Mapping) and view.get("scale") == "odds" else (
        "probability")
    return _answer(calc_id, lambda: _run(str(calc_id), raw, scale, charts))


def _request(text: str) -> dict[str, Any]:
    """The one reading of a JSON request, for every door: ``{"calc": ID, "inputs":
    {name: text}, "scenarios": [...], "view": {...}}`` (``"id"``, the older name of
    ``"calc"``, is read too). A member left out or ``null`` is empty; one of the wrong
    type is refused (``bad_request``). The inputs' values are read as ``run`` reads them
    (``_text``)."""
    try:
        req = json.loads(text)
    except (TypeError, ValueError, RecursionError):
        raise _Refused("bad_request", "The request is not valid JSON.") from None
    if not isinstance(req, dict):
        raise _Refused("bad_request", 'The request must be a JSON object {"calc": ..., ...}.')
    calc_id = req.get("calc", req.get("id"))
    if not isinstance(calc_id, str):
        raise _Refused("bad_request", 'The request must name its calculator: {"calc": ID}.')
    out: dict[str, Any] = {"calc": calc_id}
    for key, kind, what in (("inputs", dict, "an object"), ("view", dict, "an object"),
                            ("scenarios", list, "a list")):
        value = req.get(key)
        value = kind() if value is None else value
        if not isinstance(value, kind):
            raise _Refused("bad_request", f'The request\'s "{key}" must be {what}.')
        out[key] = value
    return out


def _door(text: str, job: Callable[[dict[str, Any]], dict[str, Any]]) -> str:
    """A JSON door: the request read by ``_request``, the job's reply as JSON; never
    raises."""
    try:
        req = _request(text)
    except _Refused as refused:
        reply = _failure("", refused)
    else:
        reply = job(req)
    try:
        return json.dumps(reply, ensure_ascii=False, allow_nan=False)
    except ValueError as e:  # a NaN slipped into a reply: a bug, said as one
        return json.dumps(_failure(reply.get("id", ""), _Refused(
            "internal", f"Internal error ({type(e).__name__}); please report these inputs.")))


def run_json(request: str) -> str:
    """``run`` for a JSON request (``{"calc": ..., "inputs": {...}, "view": {...}}``).

    >>> json.loads(run_json('{"calc": "frames", "inputs": {}}'))["ok"]
    True
    >>> json.loads(run_json('{"calc": "frames", "inputs": []}'))["error"]["code"]
    'bad_request'
    """
    return _door(request, lambda r: run(r["calc"], r["inputs"], r["view"]))


def _samples(calc_id: str, raw: Mapping[str, object]) -> dict[str, Any]:
    calc = _calculator(calc_id)
    parsed, used = _parse(calc, raw)
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
    return {"ok": True, "id": calc.id, "csv": "\r\n".join(rows) + "\r\n"}


def samples(calc_id: str, raw: Mapping[str, object]) -> dict[str, Any]:
    """The samples of a ranged run as CSV, one row per sample: ``{"ok": true, "id",
    "csv"}``, or the failure ``run`` gives for the same inputs; never raises.

    Columns: the sample's number, each input (counts as their log2, headed
    ``log2(name)``), then each output's raw value (a probability also as its log2 odds,
    which stays exact where the probability rounds to 0 or 1).  A run without ranges
    gives its single point as one row.

    >>> lines = samples("breakeven", {"prior_ratio": "2^90 to 2^110"})["csv"].splitlines()
    >>> len(lines), lines[0].split(",")[:3]
    (10001, ['sample', 'log2(prior_ratio)', 'bits_per_step'])
    """
    return _answer(calc_id, lambda: _samples(str(calc_id), raw))


def samples_csv(calc_id: str, raw: Mapping[str, object]) -> str:
    """``samples`` as CSV text alone; a failure as a one-column CSV of its messages
    (``error``, then one message a row). The page asks ``samples_json`` instead.

    >>> samples_csv("breakeven", {"bits_per_step": "x"}).splitlines()[0]
    'error'
    """
    reply = samples(calc_id, raw)
    if reply["ok"]:
        return str(reply["csv"])
    return "error\r\n" + "".join(f'"{m}"\r\n' for m in reply["errors"].values())


def samples_json(request: str) -> str:
    """``samples`` for a JSON request (``{"calc": ..., "inputs": {...}}``).

    >>> json.loads(samples_json('{"calc": "breakeven", "inputs": {}}'))["csv"].splitlines()[1][:8]
    '1,100.0,'
    """
    return _door(request, lambda r: samples(r["calc"], r["inputs"]))


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


def _compare(calc_id: str, scenarios: object) -> dict[str, Any]:
    calc = _calculator(calc_id)
    if not (isinstance(scenarios, Sequence) and not isinstance(scenarios, str)
            and all(isinstance(sc, Mapping) for sc in scenarios)):
        raise _Refused("bad_request",
                       'The scenarios must be a list of {"name": ..., "inputs": {...}}.')
    rows = []
    for sc in list(scenarios)[:MAX_SCENARIOS]:
        raw, name = sc.get("inputs"), sc.get("name")
        reply = _scenario(calc.id, {} if raw is None else raw)
        rows.append({"name": "" if name is None else str(name)[:40], "ok": reply["ok"],
                     "reply": reply})
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
        texts.append([brief(str(r["reply"]["outputs"][o.key]["quote"])) for r in good])
    title = f"{calc.title}: the scenarios side by side"
    desc = "; ".join(f"{g}: " + ", ".join(f"{n} {t}" for n, t in zip(names, ts, strict=True))
                     for g, ts in zip(groups, texts, strict=True)) + "."
    svg = charts.bar_chart(f"{calc.id}-compare", title, desc, groups, names, values, texts)
    tbl = charts.table(title, ["Result", *names],
                       [[g, *ts] for g, ts in zip(groups, texts, strict=True)])
    kept = ("headline", "outputs", "provenance")
    return {
        "ok": True,
        "id": calc.id,
        "scenarios": [
            {"name": r["name"], "ok": r["ok"],
             **{k: r["reply"][k] for k in (kept if r["ok"] else ("error", "errors"))}}
            for r in rows
        ],
        "chart": {"svg": svg, "table": tbl},
    }


def compare(calc_id: str, scenarios: Sequence[Mapping[str, object]]) -> dict[str, Any]:
    """Scenarios side by side: each one's headline and results (or its failure), and
    one chart of the calculator's main results with a bar per scenario; never raises.

    ``scenarios`` are ``{"name": ..., "inputs": {...}}``, at most ``MAX_SCENARIOS``.
    The comparison's one chart is the same in either view (``run``'s ``view``).

    >>> r = compare("breakeven", [{"name": "Defaults", "inputs": {}},
    ...                          {"name": "Yours", "inputs": {"prior_ratio": "2^50"}}])
    >>> [s["outputs"]["breakeven_steps"]["text"] for s in r["scenarios"]]
    ['100', '50']
    """
    return _answer(calc_id, lambda: _compare(str(calc_id), scenarios))


def compare_json(request: str) -> str:
    """``compare`` for a JSON request (``{"calc", "scenarios"}``).

    >>> json.loads(compare_json('{"calc": "frames", "scenarios": []}'))["ok"]
    True
    """
    return _door(request, lambda r: compare(r["calc"], r["scenarios"]))
