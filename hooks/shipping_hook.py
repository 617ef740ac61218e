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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hooks.service_worker import write_service_worker
from hooks.shipping import (
    BROWSER,
    NOT_SHIPPED,
    MissingAsset,
    compact,
    early_start_script,
    ship_katex,
    ship_pyodide,
    ship_sources,
)
from hooks.shipping_snapshot import SnapshotFailed


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """The browser code's templates are read by the build, not copied into the site; the
    rest of it is shipped compacted."""
    for file in list(files):
        path = file.src_uri
        if not path.startswith(BROWSER + "/") or file.generated_by:
            continue
        if path in NOT_SHIPPED:
            files.remove(file)
        elif path.endswith((".js", ".mjs", ".css")):
            try:
                text = compact(path, file.content_string)
            except ValueError as error:
                raise PluginError(f"{path}: {error}") from error
            files.remove(file)
            files.append(File.generated(config, path, content=text))
    return files


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    """``overrides/main.html`` inlines the early start as ``calc_early_start``."""
    env.globals["calc_early_start"] = Markup(early_start_script(Path(config.docs_dir)))
    return env


def on_post_build(config: MkDocsConfig) -> None:
    site = Path(config.site_dir)
    try:
        ship_pyodide(site)
        ship_katex(site)
    except (MissingAsset, SnapshotFailed) as error:
        raise PluginError(str(error)) from error
    ship_sources(site)
    write_service_worker(site)
