"""Build the calculators wheel for the browser: small, pure Python, reproducible.

The wheel holds only ``calculators/*.py`` and its metadata, with fixed timestamps, so
the same sources give the same bytes and the same sha256 in ``pyodide-lock.json``.
With ``bytecode=True`` each module also gets a ``.pyc`` beside it, compiled by
Pyodide's own CPython under Node (``scripts/pyodide_compile.mjs``, cached by the
sources' hash): the worker imports the wheel with ``zipimport``, which uses them.

>>> import tempfile; from pathlib import Path
>>> with tempfile.TemporaryDirectory() as d:
...     a = build_wheel(Path(d) / "a"); b = build_wheel(Path(d) / "b")
...     a.read_bytes() == b.read_bytes(), a.name.endswith("-py3-none-any.whl")
(True, True)
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EPOCH = (2020, 1, 1, 0, 0, 0)
CACHE = ROOT / "build" / "pyc-cache"


def pyodide_bytecode(sources: dict[str, bytes]) -> dict[str, bytes]:
    """Return ``{path + "c": .pyc bytes}`` compiled by the npm package's Pyodide."""
    package = json.loads((ROOT / "node_modules" / "pyodide" / "package.json").read_text())
    key = hashlib.sha256(package["version"].encode())
    for path, data in sorted(sources.items()):
        key.update(path.encode() + b"\0" + hashlib.sha256(data).digest())
    cached = CACHE / f"{key.hexdigest()}.json"
    if cached.exists():
        encoded = json.loads(cached.read_text())
    else:
        run = subprocess.run(
            ["node", str(ROOT / "scripts" / "pyodide_compile.mjs")],
            input=json.dumps({p: d.decode() for p, d in sources.items()}).encode(),
            capture_output=True, cwd=ROOT, check=False, timeout=300,
        )
        if run.returncode:
            raise RuntimeError(f"compiling for Pyodide failed: {run.stderr.decode()[-2000:]}")
        encoded = json.loads(run.stdout)
        CACHE.mkdir(parents=True, exist_ok=True)
        for old in CACHE.glob("*.json"):
            old.unlink()
        cached.write_text(json.dumps(encoded))
    return {p + "c": base64.b64decode(b) for p, b in encoded.items()}


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def build_wheel(out_dir: Path, bytecode: bool = False) -> Path:
    """Write the wheel into ``out_dir`` (only if its bytes changed) and return its path."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    name, version = project["name"], project["version"]
    dist_info = f"{name}-{version}.dist-info"
    files: dict[str, bytes] = {
        f"calculators/{p.name}": p.read_bytes()
        for p in sorted((ROOT / "calculators").glob("*.py"))
    }
    if bytecode:
        files.update(pyodide_bytecode(dict(files)))
        files = dict(sorted(files.items()))
    files[f"{dist_info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
        f"Summary: {project['description']}\nRequires-Python: {project['requires-python']}\n"
    ).encode()
    files[f"{dist_info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: hooks/wheel.py\nRoot-Is-Purelib: true\n"
        b"Tag: py3-none-any\n"
    )
    files[f"{dist_info}/top_level.txt"] = b"calculators\n"
    record = [_record_line(n, d) for n, d in files.items()] + [f"{dist_info}/RECORD,,"]
    files[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode()

    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{name}-{version}-py3-none-any.whl"
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for n, d in files.items():
            info = zipfile.ZipInfo(n, EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, d)
    # Avoid rewriting an unchanged wheel: its mtime drives caches and rebuilds.
    if path.exists() and path.read_bytes() == tmp.read_bytes():
        tmp.unlink()
    else:
        tmp.replace(path)
    return path
