"""MkDocs side of ``hooks/shipping.py`` and ``hooks/service_worker.py``.

It runs last in ``mkdocs.yml``: the service worker's version hashes the final bytes of
every file, after the CSP hook has rewritten the pages in its own ``on_post_build``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hooks.bundle import BundleFailed, bundle, sources
from hooks.service_worker import write_service_worker
from hooks.shipping import (
    MissingAsset,
    early_start_script,
    hold_search,
    ship_katex,
    ship_palette,
    ship_pyodide,
    ship_sources,
)
from hooks.shipping_snapshot import SnapshotFailed


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """The browser code's sources are read by the build, not copied into the site: the
    site gets them bundled and minified (``hooks/bundle.py``)."""
    docs = Path(config.docs_dir)
    replaced = {path.relative_to(docs).as_posix() for path in sources(docs)}
    for file in list(files):
        if file.src_uri in replaced and not file.generated_by:
            files.remove(file)
    try:
        shipped = bundle(docs)
    except BundleFailed as error:
        raise PluginError(str(error)) from error
    for path, content in shipped.files.items():
        files.append(File.generated(config, path, content=content))
    _preload[:] = shipped.preload
    return files


#: The page's modules to preload, from this build's bundle (on_files, then on_env).
_preload: list[str] = []


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    """``overrides/main.html`` inlines the early start as ``calc_early_start`` and
    preloads the modules in ``calc_preload`` (paths in the site)."""
    env.globals["calc_early_start"] = Markup(early_start_script(Path(config.docs_dir)))
    env.globals["calc_preload"] = tuple(_preload)
    return env


def _hold_search(output: str) -> str:
    try:
        return hold_search(output)
    except ValueError as error:
        raise PluginError(str(error)) from error


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Every page starts the theme's search worker held back (``hold_search``)."""
    return _hold_search(output)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """As ``on_post_page``, for the theme's pages made from templates (404.html)."""
    return _hold_search(output_content) if template_name.endswith(".html") else output_content


def on_post_build(config: MkDocsConfig) -> None:
    site = Path(config.site_dir)
    try:
        ship_pyodide(site)
        ship_katex(site)
        ship_palette(site)
    except (MissingAsset, SnapshotFailed, ValueError) as error:
        raise PluginError(str(error)) from error
    ship_sources(site)
    write_service_worker(site)
