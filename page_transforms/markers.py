"""Expand the calculator, value and figure markers of a page's HTML.

Markers are HTML comments, so an unexpanded one is invisible rather than wrong:

- ``<!-- calculator: ID -->`` on its own line: the calculator's form, rendered from its
  Python spec by ``overrides/partials/calculator.html``, with its default results
  computed now, natively, by the same package the browser runs (progressive
  enhancement: correct numbers without JavaScript).
- ``<!-- value: ID.KEY -->`` inline: a number the prose quotes, taken from the same
  computation (KEY is an output key or an input name), so prose and calculator
  cannot disagree.
- ``<!-- figure: NAME -->``: a figure computed at build time.
- ``<!-- predict: ID.NAME -->``: a question to answer before the calculator does
  (``overrides/partials/question.html``), with the calculator's answer computed now.

An input quoted in the prose next to its calculator can be moved where it stands (an
ARIA spinbutton, dragged or stepped with the arrow keys) when its field says how
(``Field.nudge``).

An unknown or malformed marker raises :class:`MarkerError`: the build must fail.
Nothing here depends on MkDocs: the package's Markdown extension (``__init__.py``) runs
it on each page.

>>> out = expand_markers('<p>About <!-- value: breakeven.bits_per_step --> bit.</p>', "a.md", "./")
>>> out.calculators, 'data-quote="breakeven.bits_per_step"' in out.html
((), True)
"""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from calculators import CALCULATORS, Calculator, run  # noqa: E402
from calculators.fmt import powers_html  # noqa: E402
from calculators.links import LINK_VERSION  # noqa: E402

__all__ = ["Expanded", "MarkerError", "expand_markers", "render_calculator", "render_value"]

MARKER = re.compile(r"<!--\s*(calculator|value|figure|predict)\s*:\s*(.*?)\s*-->")
ANY_MARKER = re.compile(r"<!--\s*(calculator|value|figure|predict)\b")
TEMPLATES = ROOT / "overrides" / "partials"
esc = html.escape


class MarkerError(ValueError):
    """A marker that cannot be expanded; the build must stop on it."""


@dataclass(frozen=True)
class Expanded:
    """A page's HTML with its markers expanded, and the calculators it now holds."""

    html: str
    calculators: tuple[str, ...]


class _OneLineLoader(jinja2.FileSystemLoader):
    """Templates are indented for reading; their line breaks, and the indentation after
    them, are not markup. Whitespace between the inline-block controls of a form would
    show as gaps, so it is dropped; a space meant as text is written inside a line."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        return re.sub(r"\n\s*", "", source), filename, uptodate


@cache
def _templates() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=_OneLineLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,  # a misspelt attribute fails the build
    )
    # Display text with its powers typeset (2^-100 as 2<sup>−100</sup>), escaped there.
    env.filters["powers"] = lambda text: markupsafe.Markup(powers_html(str(text)))
    return env


@cache
def default_reply(calc_id: str) -> Mapping[str, Any]:
    """The calculator's results for its defaults, computed once per build."""
    reply = run(calc_id, {})
    if not reply.get("ok"):
        raise MarkerError(f"calculator {calc_id!r} fails on its own defaults: {reply}")
    return reply


def render_calculator(calc: Calculator, root: str) -> str:
    """The static form and results of one calculator, per the DOM contract.

    ``root`` is the relative path from the page to the site's root (no root-absolute
    URLs: the site may be served under a prefix). The template reads the spec's
    fields, outputs and charts by attribute, and the default reply by key.
    """
    module = calc.module
    return _templates().get_template("calculator.html").render(
        calc=calc,
        reply=default_reply(calc.id),
        module=module,
        source=f"{root}assets/calc/src/{module}.py.txt",
        links=LINK_VERSION,
    )


def render_question(ref: str, on_page: tuple[str, ...]) -> str:
    """A question to answer before the calculator: ``ID.NAME`` of a ``Question``."""
    calc_id, _, name = ref.partition(".")
    calc = CALCULATORS.get(calc_id)
    q = next((q for q in calc.questions if q.name == name), None) if calc else None
    if calc is None or q is None:
        raise MarkerError(f"unknown question in predict marker: {ref!r}")
    reply = preset_reply(calc_id, q.preset) if q.preset else default_reply(calc_id)
    out = reply["outputs"][q.key]
    value = float(out["value"])
    right = next((c.label for c in q.choices if c.low <= value < c.high), "")
    if q.choices and not right:
        raise MarkerError(f"question {ref!r}: no choice holds the answer {out['text']}")
    label = next((p.label for p in calc.presets if p.name == q.preset), "")
    return _templates().get_template("question.html").render(
        q=q, calc=calc, answer={"value": out["value"], "text": _shown(out)}, right=right,
        preset=label, on_page=calc_id in on_page,
    )


@cache
def preset_reply(calc_id: str, preset: str) -> Mapping[str, Any]:
    """The calculator's results for one of its presets, computed once per build."""
    calc = CALCULATORS[calc_id]
    found = next((p for p in calc.presets if p.name == preset), None)
    if found is None:
        raise MarkerError(f"unknown preset in value marker: {calc_id} @{preset}")
    reply = run(calc_id, dict(found.values))
    if not reply.get("ok"):
        raise MarkerError(f"calculator {calc_id!r} fails on its preset {preset!r}: {reply}")
    return reply


def _shown(out: Mapping[str, Any]) -> str:
    """An output's value as prose quotes it (the bridge's ``quote``: the mean alone when
    inputs are ranges)."""
    return str(out["quote"])


def render_value(ref: str, on_page: tuple[str, ...] = ()) -> str:
    """One number quoted in the prose: an output's display text, or an input's text.

    ``ID.KEY`` follows the calculator on the page; ``ID.KEY @PRESET`` is that preset's
    fixed value (a case the text discusses), which does not follow the inputs.
    ``on_page`` names the calculators on the page: only their inputs can be moved.
    """
    ref, _, preset = (part.strip() for part in ref.partition("@"))
    calc_id, _, key = ref.partition(".")
    calc = CALCULATORS.get(calc_id)
    if calc is None:
        raise MarkerError(f"unknown calculator in value marker: {ref!r}")
    if preset:
        reply = preset_reply(calc_id, preset)
        if key in reply["outputs"]:
            text = _shown(reply["outputs"][key])
        elif key in reply["provenance"]["inputs"]:
            text = reply["provenance"]["inputs"][key]
        else:
            raise MarkerError(f"unknown key in value marker: {ref!r}")
        return (f'<span class="calc-quote-fixed" data-text="{esc(text)}">'
                f"{powers_html(text)}</span>")
    reply = default_reply(calc_id)
    if key in reply["outputs"]:
        out = reply["outputs"][key]
        return (
            f'<span class="calc-quote" data-quote="{esc(ref)}" '
            f'data-value="{esc(out["value"])}" data-text="{esc(_shown(out))}" '
            f'data-default-text="{esc(_shown(out))}">'
            f"{powers_html(_shown(out))}</span>"
        )
    field = next((f for f in calc.fields if f.name == key), None)
    if field is None:
        raise MarkerError(f"unknown key in value marker: {ref!r}")
    value = reply["inputs"][key]["value"]
    if field.nudge is None or calc_id not in on_page:
        return (
            f'<span class="calc-quote" data-quote="{esc(ref)}" data-input="1" '
            f'data-value="{esc(value)}" data-text="{esc(field.default)}">'
            f"{powers_html(field.default)}</span>"
        )
    # A number the reader can move where it stands: an ARIA spinbutton that the page's
    # script binds (drag sideways, or the arrow keys); it sets the calculator's field.
    n = field.nudge
    limits = "".join(
        f' data-{side}="{limit!r}"' for side, limit in (("min", field.minimum),
                                                          ("max", field.maximum))
        if limit is not None
    )
    return (
        f'<span class="calc-quote calc-nudge" data-quote="{esc(ref)}" data-input="1" '
        f'data-value="{esc(value)}" data-nudge="{n.op} {n.step!r} {n.style}"{limits} '
        f'role="spinbutton" aria-label="{esc(field.label)}" aria-valuenow="{esc(value)}" '
        f'aria-valuetext="{esc(field.default)}" data-text="{esc(field.default)}">'
        f"{powers_html(field.default)}</span>"
    )


def render_figure(name: str) -> str:
    """A figure computed at build time (numpy; never shipped to the browser)."""
    # The project root may not be on sys.path (MkDocs restores it after loading a hook):
    # put it back for this build-time-only package, imported only when a page asks.
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from figures import FIGURES, render

    if name not in FIGURES:
        raise MarkerError(f"unknown figure marker: {name!r}")
    return render(name)


def expand_markers(html_text: str, where: str, root: str) -> Expanded:
    """Expand every marker in ``html_text``; ``where`` names the page in error messages,
    ``root`` is the relative path from the page to the site's root."""
    seen: list[str] = []
    names: set[str] = set()
    # Which calculators the page holds, wherever their markers sit: a quote of an input
    # may come before its calculator, and is movable only if the calculator is here.
    on_page = tuple(m.group(2) for m in MARKER.finditer(html_text) if m.group(1) == "calculator")

    def expand(m: re.Match[str]) -> str:
        kind, arg = m.group(1), m.group(2)
        if kind == "value":
            return render_value(arg, on_page)
        if kind == "figure":
            return render_figure(arg)
        if kind == "predict":
            return render_question(arg, on_page)
        calc = CALCULATORS.get(arg)
        if calc is None:
            raise MarkerError(f"unknown calculator marker {arg!r}")
        if arg in seen:
            raise MarkerError(f"calculator {arg!r} appears twice")
        # The query string names inputs without their calculator (the contract), so
        # two calculators on one page must not share an input name.
        shared = sorted({f.name for f in calc.fields} & names)
        if shared:
            raise MarkerError(
                f"calculator {arg!r} shares input names {shared} with another calculator "
                "on the page; a link could not tell them apart"
            )
        seen.append(arg)
        names.update(f.name for f in calc.fields)
        return render_calculator(calc, root)

    try:
        out = MARKER.sub(expand, html_text)
    except MarkerError as error:
        raise MarkerError(f"{where}: {error}") from None
    leftover = ANY_MARKER.search(out)
    if leftover:
        raise MarkerError(f"{where}: malformed marker near {leftover.group(0)!r}")
    return Expanded(out, tuple(seen))


def relative_root(url: str) -> str:
    """The relative path from a page (by its URL) to the site's root.

    >>> relative_root(""), relative_root("notes/"), relative_root("a/b/")
    ('./', '../', '../../')
    """
    depth = url.count("/")
    return "../" * depth if depth else "./"
