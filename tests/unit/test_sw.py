"""The service worker the build writes: every file, a version that follows the content."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from hooks.service_worker import CACHE_PREFIX, write_service_worker


def site(tmp_path: Path) -> Path:
    for rel, text in {"index.html": "home", "notes/index.html": "notes",
                      "assets/app.js": "js", "sitemap.xml.gz": "gz",
                      "assets/previews/index.png": "png"}.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    return tmp_path


def test_lists_every_file_and_versions_by_content(tmp_path: Path) -> None:
    root = site(tmp_path)
    first = write_service_worker(root)
    script = (root / "sw.js").read_text()
    files = json.loads(re.search(r"const FILES = (\[.*?\]);", script).group(1))  # type: ignore[union-attr]
    # Pages by their folder URL; no link-preview image (only unfurlers fetch those).
    assert sorted(files) == ["./", "assets/app.js", "notes/"]
    assert f'const VERSION = "{first}"' in script
    assert f'const PREFIX = "{CACHE_PREFIX}"' in script
    assert "__" not in script  # every placeholder filled in
    assert write_service_worker(root) == first  # the sw.js it wrote is not part of it
    (root / "notes" / "index.html").write_text("notes, revised")
    assert write_service_worker(root) != first


def test_switched_off_it_retires(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SERVICE_WORKER", "0")
    root = site(tmp_path)
    assert write_service_worker(root) == ""
    script = (root / "sw.js").read_text()
    assert "unregister()" in script and "fetch" not in script
    assert f'key.startsWith("{CACHE_PREFIX}")' in script
