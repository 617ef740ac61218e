"""Ship the memory snapshot the worker boots from, beside Pyodide in the built site.

``scripts/make_snapshot.mjs`` starts the shipped Pyodide under Node, imports the
calculators from the shipped wheel and saves the wasm memory; the worker restores it
instead of starting Python and importing the package (``docs/assets/calc/snapshot.js``).
It writes two files into ``assets/pyodide/``:

- ``snapshot-<sha256 prefix>.csn.gz``: the snapshot in its CSN1 container, gzipped
  (about 3.6 MB; the worker decompresses it, whatever the host's encoding);
- ``snapshot.json``: its manifest (sha256, sizes, Pyodide's version and build id, the
  wheel's sha256), which the worker checks before a byte is used.

Two runs never make the same bytes (addresses and heap layout vary), so the result is
cached under ``build/snapshot-cache/`` by the hash of everything it is made from: the
Pyodide files, the wheel, the lock file and the scripts that make and pack it. The same
sources then ship the same snapshot, build after build.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from hooks.output import copy_if_changed

__all__ = ["CACHE", "MANIFEST", "SnapshotFailed", "ship_snapshot", "snapshot_key"]

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "build" / "snapshot-cache"
#: The manifest's name, beside ``pyodide-lock.json``.
MANIFEST = "snapshot.json"
SCRIPTS = (ROOT / "scripts" / "make_snapshot.mjs",
           ROOT / "docs" / "assets" / "calc" / "snapshot-codec.mjs")
#: What the snapshot is made from, in the Pyodide folder of the site.
INPUTS = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
          "pyodide-lock.json")


class SnapshotFailed(RuntimeError):
    """Node could not make the snapshot."""


def snapshot_key(pyodide_dir: Path, wheel: Path, scripts: tuple[Path, ...] = SCRIPTS) -> str:
    """The hash of every input of the snapshot: a change to any of them makes a new one.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d); _ = [(p / n).write_text(n) for n in (*INPUTS, "w.whl", "s.mjs")]
    ...     a = snapshot_key(p, p / "w.whl", (p / "s.mjs",))
    ...     _ = (p / "w.whl").write_text("another wheel")
    ...     a != snapshot_key(p, p / "w.whl", (p / "s.mjs",)), len(a)
    (True, 24)
    """
    digest = hashlib.sha256()
    for path in (*(pyodide_dir / name for name in INPUTS), wheel, *scripts):
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:24]


def _make(pyodide_dir: Path, into: Path) -> None:
    tmp = into.with_name(f"{into.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    run = subprocess.run(
        ["node", str(SCRIPTS[0]), str(pyodide_dir), str(tmp)],
        capture_output=True, cwd=ROOT, check=False, timeout=600,
    )
    if run.returncode:
        shutil.rmtree(tmp, ignore_errors=True)
        raise SnapshotFailed(f"making the Pyodide snapshot failed: {run.stderr.decode()[-2000:]}")
    if run.stderr:  # warnings, e.g. a heap it could not tidy (the snapshot is then larger)
        sys.stderr.write(run.stderr.decode())
    # Another build may have made the same one meanwhile: either copy will do.
    if into.exists():
        shutil.rmtree(tmp)
    else:
        tmp.replace(into)


def ship_snapshot(pyodide_dir: Path, wheel: Path) -> dict[str, Any]:
    """Put the snapshot for these Pyodide files and this wheel into ``pyodide_dir`` (from
    the cache, or made now); return its manifest."""
    key = snapshot_key(pyodide_dir, wheel)
    cached = CACHE / key
    if not (cached / MANIFEST).exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        _make(pyodide_dir, cached)
        for old in CACHE.iterdir():  # one snapshot is kept: the latest
            if old.name != key and ".tmp-" not in old.name:
                shutil.rmtree(old, ignore_errors=True)
    manifest: dict[str, Any] = json.loads((cached / MANIFEST).read_text())
    for old in pyodide_dir.glob("snapshot-*.csn.gz"):
        if old.name != manifest["file"]:
            old.unlink()
    copy_if_changed(cached / manifest["file"], pyodide_dir / manifest["file"])
    copy_if_changed(cached / MANIFEST, pyodide_dir / MANIFEST)
    return manifest
