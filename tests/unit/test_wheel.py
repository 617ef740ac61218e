"""The wheel the site ships: every module with Pyodide bytecode beside it, a true RECORD,
and its entry in the lock file."""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from pathlib import Path

from calculators import __version__
from hooks.shipping import ROOT, lock_wheel
from hooks.wheel import build_wheel


def test_wheel_carries_checked_bytecode_and_a_true_record(tmp_path: Path) -> None:
    with zipfile.ZipFile(build_wheel(tmp_path, bytecode=True)) as zf:
        names = zf.namelist()
        sources = [n for n in names if n.endswith(".py")]
        assert "calculators/bridge.py" in sources
        for src in sources:
            pyc = zf.read(src + "c")
            # PEP 552 header: magic, flags (0b11 = hash-based and checked), source hash.
            assert pyc[2:4] == b"\r\n" and int.from_bytes(pyc[4:8], "little") == 0b11
        assert not [n for n in names if n.endswith(".pyc") and n[:-1] not in sources]
        record = zf.read(f"calculators-{__version__}.dist-info/RECORD").decode().splitlines()
        listed = {line.split(",")[0]: line.split(",")[1] for line in record}
        assert set(listed) == set(names)
        for name in names:
            if listed[name]:
                digest = hashlib.sha256(zf.read(name)).digest()
                assert listed[name] == "sha256=" + base64.urlsafe_b64encode(digest).rstrip(
                    b"="
                ).decode()


def test_the_lock_file_lists_the_wheel_alone_as_pyodide_build_makes_it(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path)
    lock_wheel(wheel)
    lock = json.loads((tmp_path / "pyodide-lock.json").read_text())
    npm_lock = json.loads((ROOT / "node_modules" / "pyodide" / "pyodide-lock.json").read_text())
    assert lock["info"] == npm_lock["info"]
    assert list(lock["packages"]) == ["calculators"]
    entry = lock["packages"]["calculators"]
    assert {k: entry[k] for k in ("name", "version", "file_name", "sha256", "imports",
                                  "depends", "package_type")} == {
        "name": "calculators", "version": __version__, "file_name": wheel.name,
        "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(),
        "imports": ["calculators"], "depends": [], "package_type": "package"}
