"""The cross-engine smoke suite: the built test site (build/test-site, as `make
test-e2e` builds it) served on loopback under its base path, then each engine's driver
(firefox.mjs, webkit.py) run against it, timed. Chromium runs the full suite in e2e/.

usage: python tests/engines/run.py   (TEST_PORT, TEST_BASE and SKIP_ENGINES from the
environment; failures leave a screenshot and a log in test-results/engines/)
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from engines import Engine, firefox, selected
from serve import serve_in_thread

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

SITE_DIR = ROOT / "build" / "test-site"
CASES = ROOT / "build" / "engine-cases.json"
RESULTS = ROOT / "test-results" / "engines"
PORT = int(os.environ.get("TEST_PORT", "8765"))
BASE = os.environ.get("TEST_BASE", "/scheming-ais/")
SITE = f"http://127.0.0.1:{PORT}{BASE}"
LIMIT_S = 600  # a driver that hangs is stopped and fails


def command(engine: Engine) -> list[str]:
    if engine.name == "firefox":
        return ["node", str(HERE / "firefox.mjs"), str(CASES), SITE, firefox() or "",
                str(RESULTS)]
    # WebKitGTK draws into a display even when nobody looks: a virtual one of its own.
    return ["xvfb-run", "-a", "-s", "-screen 0 1280x1024x24", sys.executable,
            str(HERE / "webkit.py"), str(CASES), SITE, str(RESULTS)]


def main() -> int:
    engines = selected()
    if not (SITE_DIR / "index.html").exists():
        raise SystemExit(f"{SITE_DIR} is not built: `make test-engines` builds it")
    subprocess.run([sys.executable, str(HERE / "make_cases.py"), str(SITE_DIR), str(CASES)],
                   check=True)
    server = serve_in_thread(SITE_DIR, PORT, BASE)
    passed = failed = 0
    try:
        for engine in engines:
            started = time.monotonic()
            try:
                done = subprocess.run(command(engine), stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, text=True,
                                      timeout=LIMIT_S)
                out, code = done.stdout, done.returncode
            except subprocess.TimeoutExpired as stopped:
                out, code = str(stopped.stdout or ""), -1
                print(f"FAIL {engine.name}: still running after {LIMIT_S} s, stopped")
            print(out, end="")
            count = re.search(rf"^{engine.name}: (\d+) passed, (\d+) failed$", out, re.M)
            ok, bad = (int(count[1]), int(count[2])) if count else (0, 1)
            if code and not bad:
                bad = 1  # it ended in error before it could count
            passed, failed = passed + ok, failed + bad
            print(f"{engine.name}: {time.monotonic() - started:.1f} s wall", flush=True)
    finally:
        server.shutdown()
    skipped = sorted(set(os.environ.get("SKIP_ENGINES", "").replace(",", " ").split()))
    note = f" (skipped by SKIP_ENGINES: {', '.join(skipped)})" if skipped else ""
    print(f"engines{note}:")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
