"""Ship the browser's runtime into the built site, and typeset the math at build time.

- Pyodide's core files from the npm package, plus the calculators wheel, registered in
  a ``pyodide-lock.json`` that lists only that wheel (the browser loads nothing else).
- KaTeX's stylesheet and fonts; the math itself is rendered to HTML here, by KaTeX
  under Node, so pages need no script to show formulas.
- The package's sources, for each calculator's "Show the Python" link.

Everything is served by the site itself: no request to any other origin.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hooks.wheel import build_wheel  # noqa: E402

NODE_MODULES = ROOT / "node_modules"
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
MATH = re.compile(
    r'<(span|div) class="arithmatex">(?:\\\((.*?)\\\)|\\\[(.*?)\\\])</\1>', re.DOTALL
)


def _write_if_changed(path: Path, data: bytes) -> None:
    """Avoid rewriting unchanged files: their mtimes drive caches."""
    if path.exists() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _copy(src: Path, dst: Path) -> None:
    if not src.exists():
        raise PluginError(f"missing {src}: run `npm ci` (the Makefile does)")
    if dst.exists() and dst.stat().st_size == src.stat().st_size and (
        dst.read_bytes() == src.read_bytes()
    ):
        return
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)


def ship_pyodide(site: Path) -> None:
    from pyodide_lock import PyodideLockSpec
    from pyodide_lock.utils import add_wheels_to_spec

    out = site / "assets" / "pyodide"
    for name in PYODIDE_FILES:
        _copy(NODE_MODULES / "pyodide" / name, out / name)
    wheel = build_wheel(out, bytecode=True)
    lock = PyodideLockSpec.from_json(NODE_MODULES / "pyodide" / "pyodide-lock.json")
    lock.packages = {}  # only our wheel: a small lock file, and nothing else loadable
    lock = add_wheels_to_spec(lock, [wheel], base_path=out)
    _write_if_changed(out / "pyodide-lock.json", json.dumps(lock.to_dict()).encode())


def ship_katex(site: Path) -> None:
    dist = NODE_MODULES / "katex" / "dist"
    out = site / "assets" / "katex"
    css = (dist / "katex.min.css").read_text()
    # Every browser we serve reads woff2: drop the woff/ttf fallbacks we don't ship.
    css = re.sub(r',url\(fonts/[^)]+\.(?:woff|ttf)\) format\("(?:woff|truetype)"\)', "", css)
    _write_if_changed(out / "katex.min.css", css.encode())
    for font in sorted((dist / "fonts").glob("*.woff2")):
        _copy(font, out / "fonts" / font.name)


def ship_sources(site: Path) -> None:
    # ".py.txt": every static host serves it as text/plain, so browsers show it.
    for src in sorted((ROOT / "calculators").glob("*.py")):
        _write_if_changed(site / "assets" / "calc" / "src" / f"{src.name}.txt", src.read_bytes())


def render_math(html_text: str) -> str:
    """Replace arithmatex's TeX spans with KaTeX HTML, rendered by Node in one batch."""
    found = list(MATH.finditer(html_text))
    if not found:
        return html_text
    items = [
        {"tex": html.unescape(m.group(2) or m.group(3)), "display": m.group(1) == "div"}
        for m in found
    ]
    proc = subprocess.run(
        ["node", str(ROOT / "scripts" / "katex_render.mjs")],
        input=json.dumps(items),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise PluginError(f"KaTeX failed: {proc.stderr.strip()}")
    rendered: list[str] = json.loads(proc.stdout)
    parts, last = [], 0
    for m, out in zip(found, rendered, strict=True):
        parts += [html_text[last : m.start()], out]
        last = m.end()
    parts.append(html_text[last:])
    return "".join(parts)


def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return render_math(html_text)


def on_post_build(config: MkDocsConfig) -> None:
    site = Path(config.site_dir)
    ship_pyodide(site)
    ship_katex(site)
    ship_sources(site)
