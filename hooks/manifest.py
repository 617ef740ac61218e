"""The build manifest: which pages the site has, and which calculators each holds.

Written into the site as ``assets/calc/manifest.json`` so that tests and the benchmark
read the site they run against instead of keeping their own copy of its page list::

    {
      "format": 1,
      "pages": [{"url": "", "title": "Home", "calculators": []}, ...],
      "calculators": {"breakeven": ["", "selection-power/"], ...},
      "inputs": {"prior_ratio": "breakeven", ...},
      "links": {"version": 2, "steps": [...]}
    }

``pages`` is in navigation order (pages outside the navigation last); a URL is
relative to the site's root ("" is the home page) and ends in "/" as the site's links
do. ``calculators`` maps each calculator id to the pages holding it, in that order (a
calculator may appear on more than one page). ``inputs`` maps each input name to its
calculator and ``links`` is the history of the link format
(``calculators.links.history_json``): the page reads both to open an old link, or a
link whose calculator moved to another page.

>>> data = manifest([Page("b/", "B", ("x",)), Page("", "Home", ("x", "y"))], ["", "b/"])
>>> [p["url"] for p in data["pages"]], data["calculators"]
(['', 'b/'], {'x': ['', 'b/'], 'y': ['']})
>>> data["inputs"]["prior_ratio"], data["links"]["version"]
('breakeven', 2)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from calculators import CALCULATORS
from calculators.links import history_json
from hooks.output import write_if_changed

__all__ = ["FORMAT", "PATH", "Page", "manifest", "read_manifest", "write_manifest"]

FORMAT = 1
PATH = "assets/calc/manifest.json"


@dataclass(frozen=True)
class Page:
    """One built page: its URL relative to the site's root, its title, its calculators."""

    url: str
    title: str
    calculators: tuple[str, ...]


def manifest(pages: Iterable[Page], nav_order: Sequence[str]) -> dict[str, Any]:
    """The manifest's data: pages sorted by ``nav_order`` (a list of URLs)."""
    rank = {url: i for i, url in enumerate(nav_order)}
    ordered = sorted(pages, key=lambda p: (rank.get(p.url, len(rank)), p.url))
    where: dict[str, list[str]] = {}
    for page in ordered:
        for calc_id in page.calculators:
            where.setdefault(calc_id, []).append(page.url)
    return {
        "format": FORMAT,
        "pages": [
            {"url": p.url, "title": p.title, "calculators": list(p.calculators)} for p in ordered
        ],
        "calculators": where,
        "inputs": {f.name: c.id for c in CALCULATORS.values() for f in c.fields},
        "links": history_json(),
    }


def write_manifest(site: Path, data: dict[str, Any]) -> Path:
    """Write the manifest into the built site (only if it changed); return its path."""
    path = site / PATH
    write_if_changed(path, (json.dumps(data, indent=2) + "\n").encode())
    return path


def read_manifest(site_dir: Path) -> dict[str, Any]:
    """The manifest of a built site, for the tests and the benchmark. Raises
    ``FileNotFoundError`` if the site has none and ``ValueError`` if it is another format."""
    path = site_dir / PATH
    data: dict[str, Any] = json.loads(path.read_text())
    if data.get("format") != FORMAT:
        raise ValueError(f"{path}: format {data.get('format')}, not {FORMAT}")
    return data
