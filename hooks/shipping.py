"""Ship the browser's runtime into the built site; nothing here depends on MkDocs.

- Pyodide's core files from the npm package, plus the calculators wheel, registered in
  a ``pyodide-lock.json`` that lists only that wheel (the browser loads nothing else),
  and a memory snapshot of Pyodide with the calculators imported, which the worker
  boots from (``shipping_snapshot.py``).
- KaTeX's stylesheet and fonts (the math itself is typeset by ``page_text.py``).
- The package's sources, for each calculator's "Show the Python" link.
- The theme's palette stylesheet, with its freeze of transitions during a palette
  switch narrowed to the elements whose colours transition (``narrow_palette_freeze``).
- The browser code's templates, which are not shipped as they are: the early start
  (inlined into the <head> of calculator pages) and the service worker's sources
  (written to the site's root by ``service_worker.py``).
- The browser code itself is bundled and minified by ``bundle.py``.
- Each page's pointer to the theme's search worker, turned to ``search-worker.js``,
  which holds the search index back while Python starts.

Everything is served by the site itself: no request to any other origin.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from hooks.bundle import BROWSER
from hooks.output import copy_if_changed, write_if_changed
from hooks.shipping_snapshot import ship_snapshot
from hooks.wheel import build_wheel

__all__ = [
    "BROWSER",
    "NOT_SHIPPED",
    "MissingAsset",
    "early_start_script",
    "hold_search",
    "lock_wheel",
    "narrow_palette_freeze",
    "ship_katex",
    "ship_palette",
    "ship_pyodide",
    "ship_sources",
]

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
#: Its files that are sources for the build, not files for the browser.
NOT_SHIPPED = frozenset(f"{BROWSER}/{name}" for name in ("early-start.js", "sw.js", "sw-off.js"))


class MissingAsset(FileNotFoundError):
    """A browser asset the build ships is not installed."""


def _copy(src: Path, dst: Path) -> None:
    if not src.exists():
        raise MissingAsset(f"missing {src}: run `npm ci` (the Makefile does)")
    copy_if_changed(src, dst)


def lock_wheel(wheel: Path) -> None:
    """Write ``pyodide-lock.json`` beside ``wheel``, listing that wheel alone (a small
    lock file, and nothing else loadable), for the npm package's Pyodide (its ``info``).
    The entry is made by ``pyodide lockfile add-wheels``: the ``pyodide`` command comes
    with pyodide-build, the subcommand with pyodide-lock, which pyodide-build requires; it
    reads the wheel's metadata with pkginfo, and works offline.
    """
    npm_lock = json.loads((NODE_MODULES / "pyodide" / "pyodide-lock.json").read_text())
    with tempfile.TemporaryDirectory() as tmp:
        empty, made = Path(tmp) / "empty.json", Path(tmp) / "lock.json"
        empty.write_text(json.dumps({**npm_lock, "packages": {}}))
        run = subprocess.run(
            [sys.executable, "-m", "pyodide_cli", "lockfile", "add-wheels", "--input",
             str(empty), "--output", str(made), "--base-path", str(wheel.parent), str(wheel)],
            capture_output=True, check=False, timeout=120,
        )
        if run.returncode:
            raise RuntimeError(f"pyodide lockfile add-wheels failed: {run.stderr.decode()}")
        write_if_changed(wheel.parent / "pyodide-lock.json", made.read_bytes())


def ship_pyodide(site: Path) -> Path:
    """Pyodide, the wheel, its lock and the snapshot into ``site/assets/pyodide/``;
    return that folder."""
    out = site / "assets" / "pyodide"
    for name in PYODIDE_FILES:
        _copy(NODE_MODULES / "pyodide" / name, out / name)
    wheel = build_wheel(out, bytecode=True)
    lock_wheel(wheel)
    ship_snapshot(out, wheel)
    return out


def ship_katex(site: Path) -> None:
    dist = NODE_MODULES / "katex" / "dist"
    out = site / "assets" / "katex"
    css = (dist / "katex.min.css").read_text()
    # Every browser we serve reads woff2: drop the woff/ttf fallbacks we don't ship.
    css = re.sub(r',url\(fonts/[^)]+\.(?:woff|ttf)\) format\("(?:woff|truetype)"\)', "", css)
    write_if_changed(out / "katex.min.css", css.encode())
    for font in sorted((dist / "fonts").glob("*.woff2")):
        _copy(font, out / "fonts" / font.name)


#: The theme's freeze of every transition while the palette switches. Its palette
#: component also sets the attribute once at load and removes it a task later; with a
#: universal selector, each of the two restyles every element of the page (on a
#: calculator page about 20 ms of the theme's longest start-up task, and more on a
#: phone).
_PALETTE_FREEZE = ("[data-md-color-switching] *,[data-md-color-switching] :after,"
                   "[data-md-color-switching] :before{transition-duration:0s!important}")

#: The same freeze for the elements whose colours transition in the theme's stylesheet
#: (links, code, navigation, search, buttons, tooltips, admonitions, footnotes, tabs):
#: the attribute then restyles those elements only.
_SWITCHING = (
    "a,code,kbd,pre,tr,th,li,label,details,summary,.admonition,.card,.md-author,"
    ".md-button,.md-input,.md-tag,.md-tag-icon,.md-clipboard,.md-code__nav,"
    ".md-code__button,.md-nav__link,.md-nav__icon,.md-pagination__link,.md-search__form,"
    ".md-search__input,.md-search__icon,.md-search-result__link,.md-select__link,"
    ".md-version__link,.md-top,.md-feedback__icon,.md-tooltip,.md-tooltip2,"
    ".md-annotation__index,.headerlink,.footnote-backref,.tabbed-labels,.tabbed-button")
_NARROW_FREEZE = ",".join(f"[data-md-color-switching] :is({_SWITCHING}){pseudo}"
                          for pseudo in ("", ":after", ":before"))
_NARROW_FREEZE += "{transition-duration:0s!important}"


def narrow_palette_freeze(css: str) -> str:
    """The theme's palette stylesheet with its universal freeze narrowed; a stylesheet
    without that rule stops the build (the theme changed: look again).

    >>> out = narrow_palette_freeze("a{}" + _PALETTE_FREEZE + "b{}")
    >>> out.startswith("a{}[data-md-color-switching] :is(a,code,") and out.endswith("b{}")
    True
    >>> "switching] *" in out
    False
    >>> narrow_palette_freeze("a{}")
    Traceback (most recent call last):
    ...
    ValueError: the theme's palette stylesheet has no universal freeze to narrow
    """
    if css.count(_PALETTE_FREEZE) != 1:
        raise ValueError("the theme's palette stylesheet has no universal freeze to narrow")
    return css.replace(_PALETTE_FREEZE, _NARROW_FREEZE)


def ship_palette(site: Path) -> None:
    """Narrow the freeze in the site's copy of the theme's palette stylesheet."""
    found = sorted((site / "assets" / "stylesheets").glob("palette.*.min.css"))
    if len(found) != 1:
        raise MissingAsset(f"expected one palette stylesheet in the site, found {len(found)}")
    css = found[0].read_text(encoding="utf-8")
    if _NARROW_FREEZE not in css:  # a rebuild into the same site keeps the narrowed copy
        write_if_changed(found[0], narrow_palette_freeze(css).encode())


def ship_sources(site: Path) -> None:
    # ".py.txt": every static host serves it as text/plain, so browsers show it.
    for src in sorted((ROOT / "calculators").glob("*.py")):
        write_if_changed(site / BROWSER / "src" / f"{src.name}.txt", src.read_bytes())


def early_start_script(docs: Path) -> str:
    """The script that starts Python first thing in the <head> of a calculator page.

    >>> "new Worker(" in early_start_script(ROOT / "docs")
    True
    """
    # As an {% include %} would: without the file's final newline.
    return (docs / BROWSER / "early-start.js").read_text(encoding="utf-8").removesuffix("\n")


#: A page's pointer to the theme's search worker (in its ``__config``).
_THEME_SEARCH = re.compile(
    r'("search": ")([^"]*)assets/javascripts/workers/(search\.[0-9a-f]+\.min\.js)"')


def hold_search(html: str) -> str:
    """Point the page at the theme's search worker held back while Python starts
    (``search-worker.js`` says how), which loads the theme's named in its query (``w``:
    not a fragment, which WebKit drops from a worker's address when a service worker
    serves its script).
    A page that names no search worker, or two, stops the build: the theme changed.

    >>> hold_search('{"search": "../assets/javascripts/workers/search.a7633da7.min.js"}')
    '{"search": "../assets/calc/search-worker.js?w=search.a7633da7.min.js"}'
    >>> hold_search('{"search": "../assets/javascripts/workers/lunr.js"}')
    Traceback (most recent call last):
    ValueError: expected one pointer to the theme's search worker, found 0
    """
    held, found = _THEME_SEARCH.subn(rf'\g<1>\g<2>{BROWSER}/search-worker.js?w=\g<3>"', html)
    if found != 1:
        raise ValueError(f"expected one pointer to the theme's search worker, found {found}")
    return held
