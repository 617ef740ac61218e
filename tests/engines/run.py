"""The cross-engine smoke suite: the built test site (build/test-site, as `make
test-e2e` builds it) served on loopback under its base path, then each engine's driver
(firefox.mjs, webkit.py) run against it, timed. Chromium runs the full suite in e2e/.

usage: python tests/engines/run.py   (TEST_PORT, TEST_BASE and SKIP_ENGINES from the
environment; failures leave a screenshot and a log in test-results/engines/)
"""

from __future__ import annotations

import os
import re
import shutil
import signal
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


def drive(engine: Engine) -> tuple[int, int]:
    """Run one engine's driver; echo what it says; return (passed, failed)."""
    # A session of its own, so that a driver past its time goes with its browsers.
    child = subprocess.Popen(command(engine), stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        out, _ = child.communicate(timeout=LIMIT_S)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        out, _ = child.communicate()
        out += f"FAIL {engine.name}: still running after {LIMIT_S} s, stopped\n"
    print(out, end="")
    count = re.search(rf"^{engine.name}: (\d+) passed, (\d+) failed$", out, re.M)
    passed, failed = (int(count[1]), int(count[2])) if count else (0, 0)
    if child.returncode and not failed:
        failed = 1  # it ended in error before it could count
    return passed, failed


def main() -> int:
    engines = selected()
    if not (SITE_DIR / "index.html").exists():
        raise SystemExit(f"{SITE_DIR} is not built: `make test-engines` builds it")
    subprocess.run([sys.executable, str(HERE / "make_cases.py"), str(SITE_DIR), str(CASES)],
                   check=True)
    shutil.rmtree(RESULTS, ignore_errors=True)  # no artefact of an earlier run
    server = serve_in_thread(SITE_DIR, PORT, BASE)
    passed = failed = 0
    try:
        for engine in engines:
            started = time.monotonic()
            ok, bad = drive(engine)
            passed, failed = passed + ok, failed + bad
            print(f"{engine.name}: {time.monotonic() - started:.1f} s wall", flush=True)
    finally:
        server.shutdown()
    if os.environ.get("SKIP_ENGINES"):
        print(f"SKIP_ENGINES={os.environ['SKIP_ENGINES']}: left out by request")
    print(f"engines: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
