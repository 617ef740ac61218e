"""The benchmark (``make bench``): the site against a bare Pyodide boot, in the Chromium
the browser tests use, reported against the design's targets (bench/targets.py).

Modules: ``run`` (the command line), ``site`` (build, manifest), ``measure`` (browser
timings), ``audit`` (bytes and axe-core per page), ``lighthouse``, ``workload`` (what is
typed, emulated, repeated), ``stats``, ``report`` (the table and the READMEs), and the
in-page scripts in ``js/`` and the bare page in ``bare/``.
"""

from __future__ import annotations

import sys
from pathlib import Path

# The benchmark launches Chromium as the browser tests do (tests/browser.py) and serves
# the site with the project's own server (scripts/serve.py).
_ROOT = Path(__file__).resolve().parent.parent
for _folder in ("tests", "scripts"):
    if str(_ROOT / _folder) not in sys.path:
        sys.path.insert(0, str(_ROOT / _folder))
