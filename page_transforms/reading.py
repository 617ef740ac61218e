"""The "Your reading" page (``docs/reading.md``): its markers, prerendered for the essay's
values so the page reads without JavaScript; the page's script refills them with the
reader's (``docs/assets/calc/reading.js``, through ``calculators.reading``).

- ``<!-- reading: ID -->``: one calculator's part (headline, inputs, crux).
- ``<!-- reading: guesses -->``: the reader's predictions beside the answers.
- ``<!-- reading: controls -->``: the status line and the reader's controls.

Only ``reading.md`` may hold them; an unknown one fails the build. Each is left out of
the site search (``data-search-exclude``), as the calculators' forms are: a search for a
word of the essay should land in the prose, not in a table of inputs.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from calculators import CALCULATORS
from calculators.reading import reading, render_guesses, render_html
from page_transforms.markers import MarkerError

PAGE = "reading.md"
MARKER = re.compile(r"<!--\s*reading\s*:\s*(.*?)\s*-->")

CONTROLS = (
    '<div class="reading__controls" data-reading-root data-search-exclude>'
    '<p class="reading__status" data-reading-status role="status" aria-live="polite">'
    "These are the essay's values. With JavaScript on, the page fills with your own "
    "numbers (those you set on the other pages in this tab, or from a link) once Python "
    "runs in your browser.</p>"
    '<p class="reading__buttons" data-reading-actions hidden>'
    '<button type="button" class="md-button" data-reading-action="copy">Copy link to my '
    "reading</button> "
    '<button type="button" class="md-button" data-reading-action="clear">Clear my reading'
    "</button></p>"
    '<p class="reading__keep" data-reading-actions hidden><label><input type="checkbox" '
    "data-reading-keep> Keep my reading on this device (local storage, this site only; "
    "nothing leaves your browser)</label></p>"
    '<p class="reading__link" data-reading-link hidden></p>'
    "</div>"
)


@cache
def _essay() -> dict[str, Any]:
    return reading({})


def expand(html: str, src_path: str) -> str:
    """The page's markers expanded; a marker on another page, or unknown, is an error."""
    if src_path != PAGE:
        if MARKER.search(html):
            raise MarkerError(f"{src_path}: reading markers belong on {PAGE} only")
        return html
    parts = {p["id"]: p for p in _essay()["calculators"]}

    def one(m: re.Match[str]) -> str:
        what = m.group(1)
        if what == "controls":
            return CONTROLS
        if what == "guesses":
            return (f'<div class="reading__part" data-reading-part="guesses" data-search-exclude>'
                    f"{render_guesses([])}</div>")
        if what not in CALCULATORS:
            raise MarkerError(f"{src_path}: unknown reading marker {what!r}")
        return (f'<div class="reading__part" data-reading-part="{what}" data-search-exclude>'
                f"{render_html(parts[what])}</div>")

    return MARKER.sub(one, html)

