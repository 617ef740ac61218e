"""The doors between the browser and the models: raw input text in, JSON-ready reply out.

The doors read the request, assemble a run's reply and say every failure; the other
jobs live beside them: ``shown`` (how a value is shown), ``ranges`` (results under
ranges), ``composed`` (the charts every calculator gets), ``csv_samples`` (the samples
as CSV) and ``comparison`` (scenarios side by side, with their cache).

``run`` (one result), ``samples`` (a ranged run's samples as CSV) and ``compare``
(scenarios side by side) never raise; ``run_json``, ``samples_json`` and
``compare_json`` are the same for a JSON request, read by one parser (``_request``).
A reply is either ``{"ok": true, "id", ...}`` or, for every door, the one failure
``{"ok": false, "id", "error": {"code", "message"[, "field"]}, "errors": {name: message}}``;
see ``calculators/README.md``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from . import composed, csv_samples, ranges
from .comparison import MAX_SCENARIOS, side_by_side
from .comparison import SCENARIO_CACHE_SIZE as SCENARIO_CACHE_SIZE  # the cache, for tests
from .comparison import _scenarios as _scenarios
from .parse import InputError, Parsed, parse_field
from .ranges import Stats, range_reply
from .registry import CALCULATORS
from .shown import format_output, input_text
from .spec import Calculator, Field
from .uncertainty import SAMPLES, sample_columns, seed_for
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


def _draw(calc: Calculator, parsed: Mapping[str, Parsed], used: Mapping[str, str]
          ) -> tuple[int, dict[str, list[float]]] | None:
    """The seed and the ``SAMPLES`` sample columns of a run with a range, else ``None``."""
    if not any(p.is_range for p in parsed.values()):
        return None
    seed = seed_for(calc.id, used)
    return seed, sample_columns(calc.fields, parsed, seed, SAMPLES)


#: ``bridge._input_text``, the name ``reading`` imports.
_input_text = input_text


def _run(calc_id: str, raw: Mapping[str, object], scale: str,
         charts: bool = True) -> dict[str, Any]:
    """The reply of one run: results, their text, the charts, the inputs as read."""
    calc = _calculator(calc_id)
    parsed, used = _parse(calc, raw)
    point = {k: p.value for k, p in parsed.items() if not p.empty}
    results = calc.compute(point)
    seed, cols = _draw(calc, parsed, used) or (None, {})
    ranged = seed is not None
    samples = ranges.ranged(calc, cols) if ranged else {}
    stats = Stats(calc.expect(cols, samples, parsed) if ranged and calc.expect else None)
    outputs: dict[str, Any] = {}
    plain: dict[str, dict[str, str]] = {}
    for o in calc.outputs:
        if ranged and o.key in samples:
            outputs[o.key], shown = range_reply(o, samples[o.key], stats)
        else:
            v, shown = format_output(o, results[o.key])
            outputs[o.key] = {"value": v, "text": shown, "quote": shown, "range": None}
        plain[o.key] = {"value": outputs[o.key]["value"], "text": shown}
    drawn = calc.draw(point, results, calc.id, scale) if calc.draw and charts else {}
    chart_reply: dict[str, dict[str, str]] = {}
    for c in calc.charts if charts else ():
        if c.kind == "distribution":
            empty = {"svg": "", "table": ""}
            chart_reply[c.key] = composed.distribution(calc, samples, stats) if ranged else empty
        elif c.kind == "sensitivity":
            spec = next(o for o in calc.outputs if o.key == calc.headline)
            base = (stats.mean(spec, samples[spec.key]) if ranged and spec.key in samples
                    else float(results[spec.key]))  # type: ignore[arg-type]
            chart_reply[c.key] = composed.sensitivity(calc, parsed, cols if ranged else None,
                                                      base, plain[calc.headline]["text"])
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
        "inputs": {f.name: input_text(f, parsed[f.name]) for f in calc.fields},
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
    sampled = _draw(calc, parsed, used)
    csv = csv_samples.csv(calc, parsed, None if sampled is None else sampled[1])
    return {"ok": True, "id": calc.id, "csv": csv}


def samples(calc_id: str, raw: Mapping[str, object]) -> dict[str, Any]:
    """The samples of a ranged run as CSV, one row per sample: ``{"ok": true, "id",
    "csv"}``, or the failure ``run`` gives for the same inputs; never raises.

    Columns (``csv_samples.csv`` says which): the sample's number, each input drawn,
    each output's raw value. A run without ranges gives its single point as one row.

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


def _compare(calc_id: str, scenarios: object) -> dict[str, Any]:
    calc = _calculator(calc_id)
    if not (isinstance(scenarios, Sequence) and not isinstance(scenarios, str)
            and all(isinstance(sc, Mapping) for sc in scenarios)):
        raise _Refused("bad_request",
                       'The scenarios must be a list of {"name": ..., "inputs": {...}}.')
    return side_by_side(calc, scenarios, lambda c, raw: run(c, raw, charts=False))


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
