"""A Content-Security-Policy for every page, as a <meta> tag (static hosts such as
GitHub Pages cannot set headers).

Scripts come only from the site itself; the theme's few small inline scripts are
allowed by their sha256 hashes, never by 'unsafe-inline'. The union of the hashes of
every page goes into every page, because instant navigation keeps the first page's
policy while it swaps in the others' content. Pyodide needs 'wasm-unsafe-eval' to
compile its WebAssembly; nothing needs 'unsafe-eval'.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

PLACEHOLDER = "__CSP_SCRIPT_HASHES__"
POLICY = (
    "default-src 'self'; "
    f"script-src 'self' 'wasm-unsafe-eval' {PLACEHOLDER}; "
    "worker-src 'self'; "
    "connect-src 'self'; "
    "img-src 'self' data:; "
    "font-src 'self'; "
    "style-src 'self'; style-src-attr 'unsafe-inline'; "
    "object-src 'none'; "
    "base-uri 'self'; "
    "form-action 'self'"
)
META = f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.DOTALL)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)

_hashes: set[str] = set()


def _executable(attrs: str) -> bool:
    m = re.search(r'type="([^"]*)"', attrs)
    return m is None or m.group(1) in ("", "text/javascript", "module")


def _protect(output: str, name: str) -> str:
    """Collect the hashes of the inline scripts and put the policy in the head."""
    for m in INLINE_SCRIPT.finditer(output):
        if _executable(m.group(1)):
            digest = hashlib.sha256(m.group(2).encode()).digest()
            _hashes.add(f"'sha256-{base64.b64encode(digest).decode()}'")
    if HANDLER.search(INLINE_SCRIPT.sub("", output)):
        raise PluginError(f"{name}: inline event handler (the CSP would block it)")
    # The policy must precede every script, so it goes right after <meta charset>.
    return output.replace('<meta charset="utf-8">', '<meta charset="utf-8">' + META, 1)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return _protect(output, page.file.src_path)


def on_post_build(config: MkDocsConfig) -> None:
    hashes = " ".join(sorted(_hashes))
    for path in Path(config.site_dir).rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if PLACEHOLDER in text:
            path.write_text(text.replace(PLACEHOLDER, hashes), encoding="utf-8")
    _hashes.clear()


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """The 404 page is rendered from a template, not from a page: give it the policy too."""
    if not template_name.endswith(".html"):
        return output_content
    return _protect(output_content, template_name)
