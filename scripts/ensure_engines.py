"""Make sure Firefox and WebKit exist for the cross-engine smoke suite, installing them
from Debian's packages if needed (as root with apt-get: CI and the project's machines).

Idempotent: with everything present it installs nothing. An engine named in
SKIP_ENGINES is neither looked for nor installed; elsewhere (a laptop without apt) a
missing engine fails here, saying how to skip it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "engines"))
from engines import selected


def main() -> int:
    wanted = selected()
    missing = [engine for engine in wanted if not engine.find()]
    if missing and shutil.which("apt-get") and os.geteuid() == 0:
        packages = [p for engine in missing for p in engine.packages]
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        # Another apt-get may hold the lock for a while (a parallel set-up): wait for it.
        apt = ["apt-get", "-o", "DPkg::Lock::Timeout=600"]
        subprocess.run([*apt, "update", "-qq"], check=True)
        subprocess.run([*apt, "install", "-y", "-qq", *packages], check=True, env=env)
    failed = 0
    for engine in wanted:
        found = engine.find()
        print(f"{engine.name}: {found or 'missing'}")
        if not found:
            failed += 1
            print(f"error: no {engine.name}; install Debian's {' '.join(engine.packages)} "
                  f"or skip it with SKIP_ENGINES={engine.name}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
