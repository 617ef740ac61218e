"""Make sure a Chromium exists for the browser tests, installing one if needed.

Playwright's own browser is preferred (an ordinary developer laptop has it after
`playwright install chromium`); otherwise the distribution's: its headless shell, which
the tests and the benchmark launch (``tests/browser.py`` says why), and its full
Chromium, which Lighthouse launches; installed with apt-get when we are root (CI and the
project's machines, which cannot download Playwright's build).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from browser import chromium_executable

#: Debian's packages; each installs a program of its own name.
PACKAGES = ("chromium", "chromium-headless-shell")


def main() -> int:
    found = chromium_executable()
    missing = [name for name in PACKAGES if not shutil.which(name)]
    if found == "" or (found is not None and not missing):
        print(f"chromium: {found or 'playwright bundled'}")
        return 0
    if shutil.which("apt-get") and os.geteuid() == 0:
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True, env=env)
    elif found is None:
        subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"], check=False)
    found = chromium_executable()
    print(f"chromium: {found or 'playwright bundled'}")
    if found is None:
        print("error: no Chromium found; install Debian's 'chromium' or run "
              "'playwright install chromium'", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
