"""Expand the calculator, number and figure markers of the pages into HTML.

Markers (HTML comments, so an unexpanded one is invisible rather than wrong):

- ``<!-- calculator: ID -->`` on its own line: the calculator's form, generated from
  its Python spec, with its default results computed now, natively, by the same
  package the browser runs (progressive enhancement: correct numbers without JS).
- ``<!-- value: ID.KEY -->`` inline: a number the prose quotes, taken from the same
  computation (KEY is an output key or an input name), so prose and calculator
  cannot disagree.
- ``<!-- figure: NAME -->``: a figure computed at build time.

An unknown marker fails the build.
"""

from __future__ import annotations

import html
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

ROOT = str(Path(__file__).resolve().parent.parent)
sys.path.insert(0, ROOT)

from calculators import CALCULATORS, Calculator, run  # noqa: E402

MARKER = re.compile(r"<!--\s*(calculator|value|figure)\s*:\s*(.*?)\s*-->")
ANY_MARKER = re.compile(r"<!--\s*(calculator|value|figure)\b")
esc = html.escape


@cache
def default_reply(calc_id: str) -> dict[str, Any]:
    """The calculator's results for its defaults, computed once per build."""
    reply = run(calc_id, {})
    if not reply.get("ok"):
        raise PluginError(f"calculator {calc_id!r} fails on its own defaults: {reply}")
    return reply


def render_calculator(calc: Calculator, page: Page) -> str:
    """The static form and results of one calculator, per the DOM contract."""
    reply = default_reply(calc.id)
    cid = calc.id
    module = calc.module
    fields = "".join(_field(cid, f) for f in calc.fields)
    rows = "".join(
        f'<tr><th scope="row">{esc(o.label)}'
        + (f'<span class="calc__output-help">{esc(o.help)}</span>' if o.help else "")
        + f'</th><td data-output="{esc(o.key)}" '
        f'data-value="{esc(reply["outputs"][o.key]["value"])}">'
        f'{esc(reply["outputs"][o.key]["text"])}</td></tr>'
        for o in calc.outputs
    )
    charts = "".join(_chart(cid, c.key, c.title, reply) for c in calc.charts)
    src = f"{_root(page)}assets/calc/src/{module}.py.txt"
    return (
        f'<div class="calc" data-calculator="{esc(cid)}" data-state="static" '
        f'data-module="{esc(module)}" id="calc-{esc(cid)}">'
        f'<form class="calc__form" novalidate autocomplete="off" '
        f'aria-labelledby="calc-{esc(cid)}-title">'
        f'<p class="calc__title" id="calc-{esc(cid)}-title">'
        f'<span class="calc__kicker">Calculator</span> {esc(calc.title)}</p>'
        f'<p class="calc__summary">{esc(calc.summary)}</p>'
        f'<div class="calc__fields">{fields}</div>'
        f'<div class="calc__actions" data-actions hidden>'
        f'<button type="button" class="md-button" data-action="copy-link">Copy link</button>'
        f'<button type="button" class="md-button" data-action="reset">'
        f"Reset to the essay's values</button>"
        f'<button type="button" class="md-button" data-action="download-json">'
        f"Download JSON</button>"
        f'<button type="button" class="md-button" data-action="download-csv">'
        f"Download CSV</button>"
        f"</div>"
        f"</form>"
        f'<p class="calc__status" data-status role="status">'
        f"Showing the essay's values, computed when this page was built.</p>"
        f'<div class="calc__results" data-results>'
        f'<table class="calc__outputs"><caption class="calc__caption">Results</caption>'
        f"<tbody>{rows}</tbody></table>{charts}</div>"
        f'<p class="calc__source"><a href="{esc(src)}" data-action="show-python">'
        f"Show the Python</a> that computes this ({esc(module)}.py, the same code "
        f"your browser runs).</p>"
        f"</div>"
    )


def _field(cid: str, f: Any) -> str:
    fid = f"{cid}-{f.name}"
    unit = f'<span class="calc__unit">{esc(f.unit)}</span>' if f.unit else ""
    return (
        f'<div class="calc__field">'
        f'<label for="{esc(fid)}">{esc(f.label)}</label>'
        f'<div class="calc__input"><input id="{esc(fid)}" name="{esc(f.name)}" type="text" '
        f'value="{esc(f.default)}" data-default="{esc(f.default)}" spellcheck="false" '
        f'autocapitalize="off" aria-describedby="{esc(fid)}-help {esc(fid)}-error"'
        f'{"" if f.optional else " required"}>{unit}</div>'
        f'<p class="calc__help" id="{esc(fid)}-help">{esc(f.help)}</p>'
        f'<p class="calc__error" id="{esc(fid)}-error" data-error-for="{esc(f.name)}"></p>'
        f"</div>"
    )


def _chart(cid: str, key: str, title: str, reply: dict[str, Any]) -> str:
    chart = reply["charts"][key]
    hidden = "" if chart["svg"] else " hidden"
    return (
        f'<figure class="calc__chart" data-chart="{esc(key)}"{hidden}>'
        f'<a class="calc__skip" href="#calc-{esc(cid)}-{esc(key)}-end">'
        f"Skip the chart “{esc(title)}”</a>"
        f'<div class="calc__svg" data-chart-svg tabindex="0" role="group" '
        f'aria-label="Chart: {esc(title)}">{chart["svg"]}</div>'
        f"<details><summary>Data table: {esc(title)}</summary>"
        f'<div class="calc__table" data-chart-table tabindex="0" role="group" '
        f'aria-label="Data table: {esc(title)}">{chart["table"]}</div></details>'
        # Focusable (not tabbable) so following the skip link moves focus here at once.
        f'<span id="calc-{esc(cid)}-{esc(key)}-end" tabindex="-1"></span>'
        f"</figure>"
    )


@cache
def preset_reply(calc_id: str, preset: str) -> dict[str, Any]:
    """The calculator's results for one of its presets, computed once per build."""
    calc = CALCULATORS[calc_id]
    found = next((p for p in calc.presets if p.name == preset), None)
    if found is None:
        raise PluginError(f"unknown preset in value marker: {calc_id} @{preset}")
    reply = run(calc_id, dict(found.values))
    if not reply.get("ok"):
        raise PluginError(f"calculator {calc_id!r} fails on its preset {preset!r}: {reply}")
    return reply


def _shown(out: dict[str, Any]) -> str:
    """An output's value as prose quotes it: the mean alone when inputs are ranges."""
    return str(out["range"]["mean"]["text"] if out.get("range") else out["text"])


def render_value(ref: str) -> str:
    """One number quoted in the prose: an output's display text, or an input's text.

    ``ID.KEY`` follows the calculator on the page; ``ID.KEY @PRESET`` is that preset's
    fixed value (a case the text discusses), which does not follow the inputs.
    """
    ref, _, preset = (part.strip() for part in ref.partition("@"))
    calc_id, _, key = ref.partition(".")
    calc = CALCULATORS.get(calc_id)
    if calc is None:
        raise PluginError(f"unknown calculator in value marker: {ref!r}")
    if preset:
        reply = preset_reply(calc_id, preset)
        if key in reply["outputs"]:
            text = _shown(reply["outputs"][key])
        elif key in reply["provenance"]["inputs"]:
            text = reply["provenance"]["inputs"][key]
        else:
            raise PluginError(f"unknown key in value marker: {ref!r}")
        return f'<span class="calc-quote-fixed">{esc(text)}</span>'
    reply = default_reply(calc_id)
    if key in reply["outputs"]:
        out = reply["outputs"][key]
        return (
            f'<span class="calc-quote" data-quote="{esc(ref)}" '
            f'data-value="{esc(out["value"])}">{esc(_shown(out))}</span>'
        )
    field = next((f for f in calc.fields if f.name == key), None)
    if field is None:
        raise PluginError(f"unknown key in value marker: {ref!r}")
    return (
        f'<span class="calc-quote" data-quote="{esc(ref)}" data-input="1" '
        f'data-value="{esc(reply["inputs"][key]["value"])}">{esc(field.default)}</span>'
    )


def render_figure(name: str) -> str:
    # mkdocs restores sys.path after loading a hook, so put the project root back
    # for this build-time-only package (numpy; never shipped to the browser).
    if ROOT not in sys.path:
        sys.path.insert(0, ROOT)
    from figures import FIGURES, render

    if name not in FIGURES:
        raise PluginError(f"unknown figure marker: {name!r}")
    return render(name)


ABBR = re.compile(r'<abbr title="([^"]*)">(.*?)</abbr>', re.DOTALL)
# Headings and links keep their terms as plain text: a heading is read as a title, and
# a focusable tooltip inside a link would nest one control in another (axe).
HEADING_OR_ABBR = re.compile(r"<(h[1-6]|a)\b[^>]*>.*?</\1>|" + ABBR.pattern, re.DOTALL)


def _forms(term: str) -> set[str]:
    """A term and its plural or singular: "schemer" and "schemers" are one term."""
    word = term.lower()
    return {word, word + "s", word + "es"} | {
        word[: -len(end)] for end in ("es", "s") if word.endswith(end)
    }


def first_abbreviations_only(html_text: str) -> str:
    """Keep a glossary term's tooltip on its first use in the page's prose.

    Every use underlined reads as noise, and each tooltip is a component the theme
    mounts at load. Headings get none: a heading is read as a title, not hovered.
    The kept ones take keyboard focus, which shows the tooltip as hovering does.

    >>> first_abbreviations_only('<abbr title="t">SGD</abbr> and <abbr title="t">SGD</abbr>')
    '<abbr tabindex="0" title="t">SGD</abbr> and SGD'
    >>> first_abbreviations_only('<h1 id="a">The <abbr title="t">crux</abbr></h1> <abbr '
    ...                          'title="t">crux</abbr>, <abbr title="u">cruxes</abbr>')
    '<h1 id="a">The crux</h1> <abbr tabindex="0" title="t">crux</abbr>, cruxes'
    """
    seen: set[str] = set()

    def keep(m: re.Match[str]) -> str:
        if m.group(1):  # a heading or a link: its terms as plain text
            return ABBR.sub(lambda a: a.group(2), m.group(0))
        term = m.group(3)
        if term.lower() in seen:
            return term
        seen.update(_forms(term))
        # Focusable, so the theme shows the definition on keyboard focus as on hover.
        return m.group(0).replace("<abbr ", '<abbr tabindex="0" ', 1)

    return HEADING_OR_ABBR.sub(keep, html_text)


def _root(page: Page) -> str:
    """The relative path from the page to the site's root: no root-absolute URLs."""
    depth = page.url.count("/")
    return "../" * depth if depth else "./"


def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    seen: set[str] = set()
    names: set[str] = set()

    def expand(m: re.Match[str]) -> str:
        kind, arg = m.group(1), m.group(2)
        if kind == "calculator":
            calc = CALCULATORS.get(arg)
            if calc is None:
                raise PluginError(f"{page.file.src_path}: unknown calculator marker {arg!r}")
            if arg in seen:
                raise PluginError(f"{page.file.src_path}: calculator {arg!r} appears twice")
            # The query string names inputs without their calculator (the contract), so
            # two calculators on one page must not share an input name.
            shared = sorted({f.name for f in calc.fields} & names)
            if shared:
                raise PluginError(
                    f"{page.file.src_path}: calculator {arg!r} shares input names {shared} "
                    "with another calculator on the page; a link could not tell them apart"
                )
            seen.add(arg)
            names.update(f.name for f in calc.fields)
            return render_calculator(calc, page)
        if kind == "value":
            return render_value(arg)
        return render_figure(arg)

    out = first_abbreviations_only(MARKER.sub(expand, html_text))
    # A code block can scroll sideways, so it must take keyboard focus even without
    # the theme's JavaScript, which otherwise adds this (axe: scrollable-region-focusable).
    out = out.replace("<pre><span></span><code>", '<pre><span></span><code tabindex="0">')
    # The template starts Python from the <head> of pages holding a calculator.
    page.meta["calculators"] = bool(seen)
    leftover = ANY_MARKER.search(out)
    if leftover:
        raise PluginError(f"{page.file.src_path}: malformed marker near {leftover.group(0)!r}")
    return out
