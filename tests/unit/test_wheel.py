"""The wheel the site ships: every module with Pyodide bytecode beside it, a true RECORD."""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path

from calculators import __version__
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
