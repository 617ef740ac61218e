"""Writing into the built site without touching what did not change: mtimes drive
caches (the browser's, the service worker's version) and rebuilds."""

from __future__ import annotations

import shutil
from pathlib import Path

__all__ = ["copy_if_changed", "write_if_changed"]


def write_if_changed(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` unless it already holds exactly that."""
    if path.exists() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def copy_if_changed(src: Path, dst: Path) -> None:
    """Copy ``src`` to ``dst`` unless ``dst`` already holds the same bytes."""
    if dst.exists() and dst.stat().st_size == src.stat().st_size and (
        dst.read_bytes() == src.read_bytes()
    ):
        return
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
