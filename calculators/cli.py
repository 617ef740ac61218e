"""The command line: ``python -m calculators ID --kebab-flags [--json] [--charts]``.

A readable table by default; ``--json`` prints the bridge's reply (charts only with
``--charts``).  Bad input exits 2 with the field's message on stderr, nothing on stdout.
``python -m calculators --from FILE [--json]`` re-runs a saved reply (from ``--json`` or
the page's "Download JSON"): the same inputs give the same seed and the same outputs.
It says on stderr whether they match the saved ones: they do when ``REPLAY_RULE``.

Exit status: 0 done (a replay matched), 1 a replay differs, 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from typing import Any

from . import reading
from .bridge import run
from .registry import CALCULATORS
from .spec import Calculator

__all__ = ["REPLAY_RULE", "main", "same_value"]

#: How far a replayed raw value may be from the saved one: Pyodide's maths library
#: (musl) and the native one may round exp or erf an ulp or so apart, so a result saved
#: in the browser can differ in its last bits here. tests/pyodide/same.mjs holds the
#: browser to CPython by the same rule.
REL_TOL = 1e-12
REPLAY_RULE = ("every output's display text is identical to the saved one and its raw "
               f"value equal or within {REL_TOL:g} of it (relative: a float's last bits), "
               "as are a range's mean and percentiles")


def same_value(got: object, want: object) -> bool:
    """Whether two raw values (``repr`` text) are the same by ``REPLAY_RULE``.

    >>> same_value("0.1", "0.1"), same_value("0.30000000000000004", "0.3"), same_value("1", "2")
    (True, True, False)
    """
    if got == want:
        return True
    try:
        x, y = float(str(got)), float(str(want))
    except ValueError:
        return False
    return math.isfinite(x) and math.isfinite(y) and abs(x - y) <= REL_TOL * max(abs(x), abs(y))


def _same_output(got: dict[str, Any], saved: object) -> bool:
    """One output replayed against the saved one, by ``REPLAY_RULE``."""
    def same(a: Any, b: Any) -> bool:
        return (isinstance(a, dict) and isinstance(b, dict) and a.get("text") == b.get("text")
                and same_value(a.get("value"), b.get("value")))

    if not same(got, saved):
        return False
    assert isinstance(saved, dict)
    ours, theirs = got.get("range") or {}, saved.get("range") or {}
    return set(ours) == set(theirs) and all(same(ours[k], theirs[k]) for k in ours)


def _parser(calc: Calculator) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=f"python -m calculators {calc.id}",
        description=f"{calc.title}: {calc.summary}",
        epilog="Numbers accept 2^100, 2**100, 1e30, 1,000,000, 1%, and ranges '50 to 150'.",
    )
    for f in calc.fields:
        default = f.default if f.default else "(empty)"
        unit = f" [{f.unit}]" if f.unit else ""
        p.add_argument(
            "--" + f.name.replace("_", "-"), dest=f.name, metavar="TEXT", default=None,
            help=f"{f.label}{unit}. {f.help} Default: {default}.".replace("%", "%%"),
        )
    p.add_argument("--json", action="store_true", help="print the bridge's JSON reply")
    p.add_argument("--charts", action="store_true", help="with --json, include the SVG charts")
    return p


def _overview() -> str:
    lines = ["usage: python -m calculators ID [--field VALUE ...] [--json] [--charts]",
             "       python -m calculators --from SAVED.json [--json]   (replay a result)", "",
             "A replay matches when " + REPLAY_RULE + ".",
             "Exit status: 0 done (a replay matched), 1 a replay differs, 2 bad input or usage.",
             "",
             "Calculators (python -m calculators ID --help lists the fields):"]
    for c in CALCULATORS.values():
        lines.append(f"  {c.id:<14} {c.title}: {c.summary}")
        for f in c.fields:
            d = f.default if f.default else "(empty)"
            lines.append(f"      --{f.name.replace('_', '-'):<24} default {d:<7} {f.help}")
    return "\n".join(lines)


def _replay(args: list[str]) -> int:
    """``--from FILE [--json] [--charts]``: re-run a saved reply and compare."""
    p = argparse.ArgumentParser(
        prog="python -m calculators --from",
        description="Re-run a saved reply; it matches when " + REPLAY_RULE + ".",
        epilog="Exit status: 0 the outputs match, 1 they differ, 2 the file is not a saved "
               "reply or its inputs are refused.")
    p.add_argument("--from", dest="path", metavar="FILE", required=True)
    p.add_argument("--json", action="store_true")
    p.add_argument("--charts", action="store_true")
    try:
        ns = p.parse_args(args)
        with open(ns.path, encoding="utf-8") as fh:
            saved = json.load(fh)
        calc_id = str(saved["id"])
        raw = {str(k): str(v) for k, v in saved["provenance"]["inputs"].items()}
    except SystemExit as e:
        return int(e.code or 0)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        print(f"--from: not a saved reply with an id and provenance.inputs ({e})",
              file=sys.stderr)
        return 2
    reply = run(calc_id, raw)
    if not reply["ok"]:
        for msg in reply["errors"].values():
            print(msg, file=sys.stderr)
        return 2
    _print(CALCULATORS[calc_id], reply, ns.json, ns.charts)
    old = saved.get("outputs")
    if not isinstance(old, dict):
        return 0
    differ = sorted(k for k, out in reply["outputs"].items() if not _same_output(out, old.get(k)))
    if differ:
        print(f"replayed: {len(differ)} output(s) differ from the saved reply: "
              f"{', '.join(differ)} (a replay matches when {REPLAY_RULE})", file=sys.stderr)
        return 1
    print(f"replayed: all {len(reply['outputs'])} outputs match the saved reply "
          f"({REPLAY_RULE})", file=sys.stderr)
    return 0


def _print(calc: Calculator, reply: dict[str, Any], as_json: bool, with_charts: bool) -> None:
    if as_json:
        if not with_charts:
            reply = {k: v for k, v in reply.items() if k != "charts"}
        print(json.dumps(reply, ensure_ascii=False, indent=2))
        return
    width = max(len(o.label) for o in calc.outputs)
    print(calc.title)
    for f in calc.fields:
        text = reply["inputs"][f.name]["text"] or "(empty)"
        print(f"  {f.label:<{width}}  {text}")
    print()
    print(f"  {reply['headline']['text']}")
    print()
    for o in calc.outputs:
        print(f"  {o.label:<{width}}  {reply['outputs'][o.key]['text']}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status (0 ok, 1 replay differs, 2 bad input or usage)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print(_overview())
        return 0 if args else 2
    if args[0] == "reading":  # every calculator at once: calculators/reading.py
        return reading.main(args[1:])
    if args[0] == "--from" or args[0].startswith("--from="):
        return _replay(args)
    calc = CALCULATORS.get(args[0])
    if calc is None:
        print(f"Unknown calculator {args[0]!r}; known: {', '.join(CALCULATORS)}.",
              file=sys.stderr)
        return 2
    try:
        ns = _parser(calc).parse_args(args[1:])
    except SystemExit as e:
        return int(e.code or 0)
    raw = {f.name: getattr(ns, f.name) for f in calc.fields if getattr(ns, f.name) is not None}
    reply = run(calc.id, raw)
    if not reply["ok"]:
        for msg in reply["errors"].values():
            print(msg, file=sys.stderr)
        return 2
    _print(calc, reply, ns.json, ns.charts)
    return 0
