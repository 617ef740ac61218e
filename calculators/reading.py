"""A reader's reading of the argument: their inputs on every calculator, in one place.

``reading(given, guesses)`` takes the inputs the reader set, per calculator (only the
ones that differ from the defaults need be given), and returns for each calculator its
inputs beside the essay's, its headline under them beside the essay's own, and its crux
(``crux.py``): which input would carry the answer across the line that matters, and
where.  Each number comes from the calculator's own run (``bridge.run``), so the page,
the calculator pages and the CLI agree; nothing here combines the calculators.

A reading arrives as a site link (``read_link``: any page's query string, ``v=N`` and
input names as the calculators write them; input names are unique across the site, so
one query string holds every calculator's) or as JSON (``read_json``).  Its own link,
``query``, is the same format plus ``guess=ID.NAME:ANSWER`` for each prediction the
reader made.  ``reading_json`` is the browser's door; ``render_html`` draws one
calculator's part of the page, at build time for the essay's values and in the browser
for the reader's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from html import escape
from typing import Any

from .bridge import _input_text, _parse, run
from .crux import LINES, Flip, Line, crux
from .fmt import brief, fmt_number, powers_html
from .links import LINK_VERSION, migrate
from .parse import Parsed
from .registry import CALCULATORS
from .spec import Calculator, Field

__all__ = [
    "INPUT_OF",
    "main",
    "read_json",
    "read_link",
    "reading",
    "reading_json",
    "render_guesses",
    "render_html",
]

#: Input name -> calculator id (names are unique across the site; a test holds them so).
INPUT_OF: dict[str, str] = {f.name: c.id for c in CALCULATORS.values() for f in c.fields}
#: The most a link may hold, so a hostile link cannot make the page work for long.
MAX_PARAMS = 200
MAX_TEXT = 200


def _unquote(text: str) -> str:
    """A query-string component decoded (``+`` is a space; bad escapes stay as typed).

    >>> _unquote("2%5E100+to+2%5E150"), _unquote("%zz")
    ('2^100 to 2^150', '%zz')
    """
    raw = text.replace("+", " ").encode("utf-8")
    out = re.sub(rb"%([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)
    return out.decode("utf-8", errors="replace")


def _quote(text: str) -> str:
    """A query-string component, as the page's URLSearchParams writes it.

    >>> _quote("2^100 to 2^150")
    '2%5E100+to+2%5E150'
    """
    safe = re.compile(rb"[A-Za-z0-9*\-._]")
    return "".join(chr(b) if safe.fullmatch(bytes([b])) else "+" if b == 0x20 else f"%{b:02X}"
                   for b in text.encode("utf-8"))


def read_link(link: str) -> tuple[dict[str, dict[str, str]], dict[str, str], list[str]]:
    """A site link (or its query string) as (inputs per calculator, guesses, notices).

    An old link is read through ``links.migrate``; names the site does not know are
    said in a notice, never an error.

    >>> read_link("https://x/selection-power/?v=2&worth_steps=150&guess=breakeven.halving:100")
    ({'breakeven': {'worth_steps': '150'}}, {'breakeven.halving': '100'}, [])
    >>> read_link("?v=1&strict_weight=1")[0]["counting-odds"]["preference_spread"]
    '0'
    """
    query = link.split("#", 1)[0]
    query = query.split("?", 1)[1] if "?" in query else query
    params: dict[str, str] = {}
    guesses: dict[str, str] = {}
    version = LINK_VERSION
    for part in query.split("&")[:MAX_PARAMS]:
        if not part:
            continue
        name, _, value = (_unquote(x) for x in part.partition("="))
        value = value[:MAX_TEXT]
        if name == "v":
            try:
                version = int(value)
            except ValueError:
                version = LINK_VERSION
        elif name == "guess":
            qid, sep, answer = value.partition(":")
            if sep and qid:
                guesses[qid] = answer
        else:
            params.setdefault(name, value)
    return _split(params, version, guesses)


def _split(params: Mapping[str, str], version: int, guesses: dict[str, str]
           ) -> tuple[dict[str, dict[str, str]], dict[str, str], list[str]]:
    today, notices = migrate(params, min(version, LINK_VERSION))
    given: dict[str, dict[str, str]] = {}
    unknown = []
    for name, value in today.items():
        calc = INPUT_OF.get(name)
        if calc is None:
            unknown.append(name)
        else:
            given.setdefault(calc, {})[name] = value
    view = {"odds", "compare", "scenario", "h", "calc-boot"}
    unknown = [n for n in unknown if n not in view]
    if unknown:
        notices.append("This link names inputs the site does not know, left out: "
                       + ", ".join(sorted(unknown)[:10]) + ".")
    return given, guesses, notices


def read_json(data: object) -> tuple[dict[str, dict[str, str]], dict[str, str], list[str]]:
    """A reading saved as JSON: ``{"v", "given": {ID: {name: text}}, "guesses"}`` (a
    reply of ``reading`` is one), or plainly ``{ID: {name: text}}``.

    >>> read_json({"breakeven": {"worth_steps": 150}})
    ({'breakeven': {'worth_steps': '150'}}, {}, [])
    """
    if not isinstance(data, Mapping):
        return {}, {}, ["The file holds no reading (a JSON object of inputs per calculator)."]
    given = data.get("given", data)
    version = data.get("v", LINK_VERSION)
    params: dict[str, str] = {}
    if isinstance(given, Mapping):
        for calc_inputs in given.values():
            if isinstance(calc_inputs, Mapping):
                for k, v in calc_inputs.items():
                    if isinstance(v, str | int | float) and not isinstance(v, bool):
                        params.setdefault(str(k), str(v)[:MAX_TEXT])
    raw = data.get("guesses", {})
    guesses = ({str(k): str(v)[:MAX_TEXT] for k, v in raw.items()}
               if isinstance(raw, Mapping) else {})
    return _split(params, version if isinstance(version, int) else LINK_VERSION, guesses)


def query(given: Mapping[str, Mapping[str, str]], guesses: Mapping[str, str]) -> str:
    """The reading's link (its query string), in the calculators' order.

    >>> query({"breakeven": {"worth_steps": "150"}}, {"breakeven.halving": "100"})
    '?v=2&worth_steps=150&guess=breakeven.halving%3A100'
    """
    parts = [f"v={LINK_VERSION}"]
    for cid, calc in CALCULATORS.items():
        mine = given.get(cid, {})
        parts += [f"{_quote(f.name)}={_quote(mine[f.name])}" for f in calc.fields
                  if f.name in mine and mine[f.name] != f.default]
    parts += [f"guess={_quote(f'{q}:{a}')}" for q, a in guesses.items()]
    return "?" + "&".join(parts)


def _shown(out: Mapping[str, Any]) -> str:
    return str(out["range"]["mean"]["text"] if out.get("range") else out["text"])


def _above(calc: Calculator, line: Line, reply: Mapping[str, Any],
           parsed: Mapping[str, Parsed]) -> bool:
    """Whether the page's own result is above the line now."""
    p = float(reply["outputs"][line.key]["value"])
    return p > (parsed[line.target].value if line.target else 0.5)


def _move_text(f: Field, flip: Flip) -> str:
    """How far an input must move, in words: a factor for counts, a difference else."""
    d = flip.move or 0.0
    if f.kind == "count":
        return f"a factor of 2^{fmt_number(round(abs(d), 3))} {'up' if d > 0 else 'down'}"
    unit = f" {f.unit}" if f.unit else ""
    if f.kind == "probability":
        return f"{fmt_number(round(100 * abs(d), 3))} percentage points {'up' if d > 0 else 'down'}"
    return f"{'+' if d > 0 else '−'}{brief(fmt_number(abs(d)))}{unit}"


def _flip_reply(f: Field, flip: Flip) -> dict[str, Any]:
    span_text = f"{brief(_input_text(f, Parsed(flip.low))['text'])} to " \
                f"{brief(_input_text(f, Parsed(flip.high))['text'])}"
    out: dict[str, Any] = {"name": f.name, "label": f.label, "span": span_text,
                           "stated": flip.stated, "within": flip.within, "at": None}
    if flip.at is not None:
        out["at"] = {"value": repr(flip.at), "text": brief(_input_text(f, Parsed(flip.at))["text"])}
        out["move"] = {"value": repr(flip.move), "text": _move_text(f, flip)}
    return out


def _one(calc: Calculator, mine: Mapping[str, str]) -> dict[str, Any]:
    """One calculator's part of the reading."""
    reply = run(calc.id, mine, charts=False)
    essay = _essay(calc.id)
    spec = next(o for o in calc.outputs if o.key == calc.headline)
    part: dict[str, Any] = {"id": calc.id, "title": calc.title, "ok": reply["ok"],
                            "given": dict(mine), "essay": essay}
    if not reply["ok"]:
        part["errors"] = reply["errors"]
        return part
    used = reply["provenance"]["inputs"]
    parsed, _ = _parse(calc, used)
    out = reply["outputs"][calc.headline]
    part["inputs"] = [{"name": f.name, "label": f.label, "yours": used[f.name],
                       "essay": f.default, "changed": used[f.name] != f.default}
                      for f in calc.fields]
    part["headline"] = {"key": calc.headline, "label": spec.label, "value": out["value"],
                        "text": _shown(out), "sentence": reply["headline"]["text"]}
    fields = {f.name: f for f in calc.fields}
    part["crux"] = []
    for line in LINES[calc.id]:
        above = _above(calc, line, reply, parsed)
        flips = crux(calc, line, parsed, used, above)
        # Nearest first within the span, then beyond it; inputs that never flip last.
        order = sorted(flips, key=lambda x: (x.at is None, not x.within,
                                             abs(x.move or 0.0) / max(x.high - x.low, 1e-300)))
        part["crux"].append({"key": line.key, "now": line.above if above else line.below,
                             "flips_to": line.below if above else line.above,
                             "inputs": [_flip_reply(fields[x.name], x) for x in order]})
    return part


_essays: dict[str, dict[str, str]] = {}


def _essay(calc_id: str) -> dict[str, str]:
    """The headline at the essay's values (the defaults), computed once."""
    if calc_id not in _essays:
        r = run(calc_id, {}, charts=False)
        out = r["outputs"][CALCULATORS[calc_id].headline]
        _essays[calc_id] = {"value": out["value"], "text": _shown(out),
                            "sentence": r["headline"]["text"]}
    return _essays[calc_id]


def _guesses(guesses: Mapping[str, str]) -> list[dict[str, str]]:
    """Each prediction the reader made, beside the calculator's answer."""
    out = []
    for calc in CALCULATORS.values():
        for q in calc.questions:
            qid = f"{calc.id}.{q.name}"
            if qid not in guesses:
                continue
            preset = next((p for p in calc.presets if p.name == q.preset), None)
            r = run(calc.id, dict(preset.values) if preset else {}, charts=False)
            ans = r["outputs"][q.key]
            right = next((c.label for c in q.choices
                          if c.low <= float(ans["value"]) < c.high), "")
            out.append({"question": qid, "prompt": q.prompt, "guess": guesses[qid],
                        "answer": _shown(ans), "right": right})
    return out


def reading(given: Mapping[str, Mapping[str, str]], guesses: Mapping[str, str] | None = None,
            notices: list[str] | None = None) -> dict[str, Any]:
    """Every calculator under the reader's inputs, beside the essay's; never raises.

    >>> r = reading({"breakeven": {"worth_steps": "150"}})
    >>> [c["id"] for c in r["calculators"]], r["query"]
    (['counting-odds', 'breakeven', 'restaurants', 'frames'], '?v=2&worth_steps=150')
    >>> r["calculators"][1]["crux"][0]["now"]
    'your worth covers n*'
    """
    guesses = dict(guesses or {})
    try:
        mine = {cid: {str(k): str(v) for k, v in given.get(cid, {}).items()}
                for cid in CALCULATORS}
        return {"ok": True, "v": LINK_VERSION, "given": {k: v for k, v in mine.items() if v},
                "guesses": guesses, "notices": list(notices or []),
                "query": query(mine, guesses),
                "calculators": [_one(c, mine[c.id]) for c in CALCULATORS.values()],
                "predictions": _guesses(guesses)}
    except Exception as e:  # the door must never throw into the browser
        return {"ok": False, "errors": {"": f"Internal error ({type(e).__name__})."}}


def reading_json(request: str) -> str:
    """The browser's door: ``{"link": "?v=2&…"}`` or ``{"given", "guesses"}`` in, the
    reading (with each calculator's ``html``) out; never raises.

    >>> json.loads(reading_json('{"link": "?worth_steps=150"}'))["given"]
    {'breakeven': {'worth_steps': '150'}}
    """
    try:
        req = json.loads(request)
        if isinstance(req, dict) and isinstance(req.get("inputs"), dict):
            req = req["inputs"]  # as the worker sends it: {"id", "inputs": {...}, "view"}
        if isinstance(req, dict) and isinstance(req.get("link"), str):
            given, guesses, notices = read_link(req["link"])
        else:
            given, guesses, notices = read_json(req)
        r = reading(given, guesses, notices)
        if r["ok"]:
            for part in r["calculators"]:
                part["html"] = render_html(part)
            r["predictions_html"] = render_guesses(r["predictions"])
    except Exception:
        message = "The request is not valid JSON."
        r = {"ok": False, "error": {"code": "bad_request", "message": message},
             "errors": {"": message}}
    return json.dumps(r, ensure_ascii=False, allow_nan=False)


def _num(text: str, value: str = "", role: str = "") -> str:
    attrs = f' data-reading="{escape(role)}"' if role else ""
    attrs += f' data-value="{escape(value)}"' if value else ""
    return f"<span{attrs}>{powers_html(text)}</span>"


def render_html(part: Mapping[str, Any]) -> str:
    """One calculator's part of the page: the headline beside the essay's, the inputs
    beside the essay's, and the crux.  Every number carries ``data-reading`` (what it
    is) and ``data-value`` (the raw number), for the page's tests."""
    e = part["essay"]
    if not part["ok"]:
        msgs = "".join(f"<li>{escape(m)}</li>" for m in part["errors"].values())
        return (f'<p class="reading__error" data-reading="error">These inputs cannot be '
                f"read:</p><ul>{msgs}</ul>")
    h = part["headline"]
    rows = "".join(
        f'<tr{" class=\"reading__changed\"" if i["changed"] else ""}>'
        f'<th scope="row">{escape(i["label"])}</th>'
        f'<td>{_num(i["yours"], role="input:" + i["name"])}</td>'
        f'<td>{powers_html(i["essay"]) if i["essay"] else "(empty)"}</td></tr>'
        for i in part["inputs"])
    cruxes = []
    for c in part["crux"]:
        items = []
        for x in c["inputs"]:
            if x["at"] is None:
                items.append(f'<li data-crux="{escape(x["name"])}">{escape(x["label"])}: does '
                             f"not flip within its span ({powers_html(x['span'])}) or "
                             f"far beyond it.</li>")
                continue
            where = "within" if x["within"] else "beyond"
            items.append(
                f'<li data-crux="{escape(x["name"])}"><strong>{escape(x["label"])}</strong>: '
                f'flips at {_num(x["at"]["text"], x["at"]["value"], "flip:" + x["name"])} '
                f"({escape(x['move']['text'])}), {where} its "
                f"{'stated span' if x['stated'] else 'your range'} "
                f"({powers_html(x['span'])}).</li>")
        cruxes.append(
            f'<p class="reading__now">Now {escape(c["now"])}. Where that would change '
            f"(to: {escape(c['flips_to'])}), each input moved alone, nearest first:</p>"
            f'<ul class="reading__crux">{"".join(items)}</ul>')
    return (
        f'<p class="reading__headline">{escape(h["label"])}: yours '
        f'<strong>{_num(h["text"], h["value"], "headline")}</strong>; at the essay\'s '
        f'values {_num(e["text"], e["value"], "essay")}.</p>'
        f'<p class="reading__sentence" data-reading="sentence">{powers_html(h["sentence"])}</p>'
        f'<table class="reading__inputs"><caption>{escape(part["title"])}: your inputs and '
        f"the essay's</caption><thead><tr><th scope=\"col\">Input</th><th scope=\"col\">"
        f"Yours</th><th scope=\"col\">The essay's</th></tr></thead><tbody>{rows}</tbody>"
        f"</table>{''.join(cruxes)}"
    )


def render_guesses(predictions: list[dict[str, str]]) -> str:
    """The predictions the reader made, each beside the calculator's answer."""
    if not predictions:
        return ('<p data-reading="no-guesses">No predictions yet: the questions marked '
                "“Predict first” on the other pages land here once you reveal them.</p>")
    items = "".join(
        f'<li data-guess="{escape(p["question"])}"><p>{powers_html(p["prompt"])}</p>'
        f'<p>You said <strong data-reading="guess">{escape(p["guess"])}</strong>; the '
        f'calculator says <strong data-reading="answer">{powers_html(p["answer"])}</strong>'
        + (f" (“{escape(p['right'])}”)" if p["right"] else "") + ".</p></li>"
        for p in predictions)
    return f'<ol class="reading__guesses">{items}</ol>'


def main(args: list[str]) -> int:
    """``python -m calculators reading --from LINK_OR_FILE [--json]``: 0, or 2 on usage."""
    import argparse
    import sys

    p = argparse.ArgumentParser(prog="python -m calculators reading",
                                description="Your reading: every calculator under the "
                                            "inputs of a site link or a saved JSON reading.")
    p.add_argument("--from", dest="source", metavar="LINK_OR_FILE", required=True,
                   help="a link of the site (or its query string), or a JSON file")
    p.add_argument("--json", action="store_true", help="print the reading as JSON")
    try:
        ns = p.parse_args(args)
    except SystemExit as e:
        return int(e.code or 0)
    src = str(ns.source)
    if "?" in src or ("=" in src and not src.endswith(".json")):
        given, guesses, notices = read_link(src)
    else:
        try:
            with open(src, encoding="utf-8") as fh:
                given, guesses, notices = read_json(json.load(fh))
        except (OSError, ValueError) as e:
            print(f"--from: neither a link nor a readable JSON file ({e})", file=sys.stderr)
            return 2
    r = reading(given, guesses, notices)
    if ns.json:
        print(json.dumps(r, ensure_ascii=False, indent=2))
        return 0 if r["ok"] else 2
    for n in r.get("notices", []):
        print(n, file=sys.stderr)
    for part in r.get("calculators", []):
        print(part["title"])
        if not part["ok"]:
            print("  " + "; ".join(part["errors"].values()))
            continue
        print(f"  {part['headline']['label']}: yours {part['headline']['text']}; "
              f"the essay's {part['essay']['text']}")
        for c in part["crux"]:
            first = next((x for x in c["inputs"] if x["at"]), None)
            hint = (f"{first['label']} at {first['at']['text']} ({first['move']['text']})"
                    if first else "no input flips it")
            print(f"  now {c['now']}; nearest flip: {hint}")
    print(f"link: {r.get('query', '')}")
    return 0 if r["ok"] else 2
