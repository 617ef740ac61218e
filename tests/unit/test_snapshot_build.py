"""The build's snapshot cache (hooks/shipping_snapshot.py): made once per set of inputs,
shipped from the cache after that, stale copies removed. Node is replaced by a stub:
tests/pyodide/snapshot.mjs covers the real snapshot."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from hooks import shipping_snapshot
from hooks.shipping_snapshot import INPUTS, MANIFEST, SnapshotFailed, ship_snapshot


@pytest.fixture
def pyodide_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(shipping_snapshot, "CACHE", tmp_path / "cache")
    folder = tmp_path / "site" / "assets" / "pyodide"
    folder.mkdir(parents=True)
    for name in (*INPUTS, "calculators.whl"):
        (folder / name).write_text(name)
    return folder


def fake_node(calls: list[list[str]], returncode: int = 0) -> Any:
    """A stand-in for `node scripts/make_snapshot.mjs DIR OUT`: writes a manifest and a
    snapshot file named after the call's number."""

    def run(args: list[str], **_: object) -> subprocess.CompletedProcess[bytes]:
        calls.append(args)
        if returncode == 0:
            out = Path(args[-1])
            out.mkdir(parents=True)
            name = f"snapshot-{len(calls):016x}.csn.gz"
            (out / name).write_bytes(b"snapshot %d" % len(calls))
            (out / MANIFEST).write_text(json.dumps({"file": name}))
        return subprocess.CompletedProcess(args, returncode, b"", b"node said no")

    return run


def test_made_once_then_shipped_from_the_cache(
    pyodide_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[list[str]] = []
    monkeypatch.setattr(subprocess, "run", fake_node(calls))
    wheel = pyodide_dir / "calculators.whl"
    first = ship_snapshot(pyodide_dir, wheel)
    assert len(calls) == 1 and calls[0][:2] == ["node", str(shipping_snapshot.SCRIPTS[0])]
    assert (pyodide_dir / first["file"]).read_bytes() == b"snapshot 1"
    assert json.loads((pyodide_dir / MANIFEST).read_text()) == first
    # Same inputs, another site folder: the same bytes, and Node is not run again.
    other = pyodide_dir.parent.parent.parent / "other"
    other.mkdir()
    for path in pyodide_dir.iterdir():
        (other / path.name).write_bytes(path.read_bytes())
    assert ship_snapshot(other, other / "calculators.whl") == first and len(calls) == 1
    # A new wheel: a new snapshot; the old one leaves the site and the cache.
    wheel.write_text("another wheel")
    second = ship_snapshot(pyodide_dir, wheel)
    assert len(calls) == 2 and second["file"] != first["file"]
    assert not (pyodide_dir / first["file"]).exists()
    assert len(list(shipping_snapshot.CACHE.iterdir())) == 1


def test_a_failure_fails_the_build_and_caches_nothing(
    pyodide_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(subprocess, "run", fake_node([], returncode=1))
    with pytest.raises(SnapshotFailed, match="node said no"):
        ship_snapshot(pyodide_dir, pyodide_dir / "calculators.whl")
    assert list(shipping_snapshot.CACHE.iterdir()) == []
