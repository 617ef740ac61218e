"""Lighthouse (from the npm registry, pinned, run with npx) on one page: its default
mobile profile with simulated throttling, categories performance and accessibility.

One Lighthouse run scores the same page up to ten points apart from the next on this
machine, so each page is run ``RUNS`` times and the run with the median performance
score is the page's: five runs, as Lighthouse's own documentation on variability
advises (with three, one slow run in two moved the median). Every run's score is kept
beside it.

>>> [median_run([{"run": True, "performance": p} for p in s])["performance"]
...  for s in ([90, 99, 95], [97])]
[95, 97]
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from browser import FLAGS, chromium_executable

__all__ = ["RUNS", "VERSION", "lighthouse", "median_run"]

VERSION = "12.2.3"
RUNS = 5
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
           "cumulative-layout-shift", "speed-index", "interactive")


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median performance score (of those that ran; the first failure
    when none did), with ``performance_runs``: every run's score, in run order."""
    done = [r for r in runs if r.get("run")]
    if not done:
        return runs[0]
    scores = [r["performance"] for r in done]
    middle = sorted(done, key=lambda r: r["performance"])[(len(done) - 1) // 2]
    return {**middle, "performance_runs": scores}


def lighthouse(url: str, runs: int = RUNS) -> dict[str, Any]:
    """The median of ``runs`` Lighthouse runs on the page (``median_run``)."""
    return median_run([lighthouse_once(url) for _ in range(runs)])


def lighthouse_once(url: str, timeout_s: int = 240) -> dict[str, Any]:
    """Scores and metrics, or ``{"run": False, "reason": …}`` when it cannot run."""
    flags = "--headless=new " + " ".join(FLAGS)
    env = dict(os.environ, CHROME_PATH=chromium_executable(shell=False) or "/usr/bin/chromium")
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "lh.json"
        cmd = ["npx", "--yes", f"lighthouse@{VERSION}", url, "--output=json",
               f"--output-path={report}", "--quiet",
               "--only-categories=performance,accessibility", f"--chrome-flags={flags}"]
        try:
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True,
                                  timeout=timeout_s)
        except (OSError, subprocess.TimeoutExpired) as error:
            return {"run": False, "reason": f"{type(error).__name__}: {error}"[:300]}
        if proc.returncode != 0 or not report.exists():
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
            return {"run": False, "reason": f"exit {proc.returncode}: {' '.join(tail)}"[:300]}
        data = json.loads(report.read_text())
    cats, audits = data["categories"], data["audits"]
    failing = [k for k, a in audits.items()
               if a.get("score") is not None and a["score"] < 1
               and a.get("scoreDisplayMode") == "binary"]
    return {"run": True, "version": data.get("lighthouseVersion"),
            "form_factor": data.get("configSettings", {}).get("formFactor"),
            "throttling": data.get("configSettings", {}).get("throttlingMethod"),
            "performance": round(100 * cats["performance"]["score"]),
            "accessibility": round(100 * cats["accessibility"]["score"]),
            "metrics_ms": {k: audits[k].get("numericValue") for k in METRICS if k in audits},
            "failing_binary_audits": failing}
