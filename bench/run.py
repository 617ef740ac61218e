"""The benchmark's command line: ``make bench``, or ``.venv/bin/python -m bench.run``.

Builds the site into build/bench-site for its loopback URL (with the bare Pyodide page
beside it), serves it under /bench/, measures it in the Chromium the browser tests use,
and reports against the design's targets (bench/targets.py). It measures and never
asserts. A full run writes bench/results/latest.{json,md}, the tables between the
``bench:latest`` markers of bench/README.md and a one-line summary between the
``bench:summary`` markers of README.md; a run with ``--only`` writes
build/bench-partial.{json,md} and leaves those alone.

Environment defaults for the options: BENCH_SAMPLES, BENCH_NETWORK_SAMPLES,
BENCH_LIGHTHOUSE (0 skips Lighthouse), BENCH_PORT.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file: python bench/run.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import workload
from bench.audit import audit_pages
from bench.lighthouse import lighthouse
from bench.measure import BOOT_MODES, Bench, log
from bench.report import SUMMARY_MARKERS, machine, markdown, show_latest, summary
from bench.site import Site, build, read_pages

ROOT = Path(__file__).resolve().parent.parent
SITE_DIR = ROOT / "build" / "bench-site"
RESULTS = ROOT / "bench" / "results"
BASE = "/bench/"
SECTIONS = ("native", "cold", "network", "repeat", "navigation", "arrival", "latency", "soak",
            "pages", "lighthouse")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    env = os.environ.get
    ap = argparse.ArgumentParser(prog="bench", description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=int(env("BENCH_SAMPLES", "7")),
                    help="cold pairs (bare, site) on loopback (default 7)")
    ap.add_argument("--network-samples", type=int,
                    default=int(env("BENCH_NETWORK_SAMPLES", str(workload.NETWORK_SAMPLES))),
                    help="cold pairs per emulated network (default 3)")
    ap.add_argument("--boot", action="append", choices=sorted(BOOT_MODES),
                    help="how the site boots Python in the cold runs; repeat to compare "
                    "modes (default: the site's own choice, then the plain boot)")
    ap.add_argument("--port", type=int, default=int(env("BENCH_PORT", "8790")))
    ap.add_argument("--only", type=lambda s: s.split(","), metavar="SECTION,…",
                    help=f"run only these sections: {', '.join(SECTIONS)}")
    ap.add_argument("--no-build", action="store_true",
                    help="reuse build/bench-site (it must have been built for the same port)")
    ap.add_argument("--report-only", action="store_true",
                    help="measure nothing: write the report, the tables and the summary again "
                    "from bench/results/latest.json (after a change to the report)")
    args = ap.parse_args(argv)
    if env("BENCH_LIGHTHOUSE", "1") == "0":
        args.skip = {"lighthouse"}
    else:
        args.skip = set()
    unknown = set(args.only or ()) - set(SECTIONS)
    if unknown:
        ap.error(f"unknown sections: {', '.join(sorted(unknown))}")
    # The site's own choice (the targets), and the plain boot beside it: what the
    # memory snapshot buys.
    args.boot = args.boot or ["default", "plain"]
    return args


def measure_browser(bench: Bench, wanted: set[str], boots: list[str], args: argparse.Namespace,
                    results: dict[str, Any]) -> None:
    """Every browser measurement asked for, into ``results``."""
    site = bench.site
    if "cold" in wanted:
        for boot in boots:
            log(f"cold boots on loopback, {args.samples} pairs (boot: {boot}) …")
            results["cold"][f"loopback/{boot}"] = bench.cold(args.samples, boot=boot)
    if "network" in wanted and args.network_samples:
        for network in workload.NETWORKS:
            for boot in boots:
                log(f"cold boots at {network.mbit_s:g} Mbit/s, {args.network_samples} pairs "
                    f"(boot: {boot}) …")
                results["cold"][f"{network.name}/{boot}"] = bench.cold(
                    args.network_samples, network, boot)
    if "repeat" in wanted:
        log("repeat visits …")
        results["repeat"] = bench.repeat(workload.REPEAT_SAMPLES)
    if "navigation" in wanted:
        log("instant navigation …")
        results["instant_navigation"] = bench.instant_navigation()
    if "arrival" in wanted:
        log("ready on arrival …")
        results["arrival"] = [bench.arrivals(source, site.cold_page)
                              for source in dict.fromkeys(["", site.quiet_page])]
    if "latency" in wanted:
        log("input latency and ranged runs …")
        results["latency"] = {calc: bench.latency(calc) for calc in workload.RECOMPUTE
                              if any(calc in p.calculators for p in site.pages)}
    if "soak" in wanted:
        log(f"soak: {workload.SOAK.recomputes} recomputes and {workload.SOAK.ranged} ranged "
            "runs in one tab …")
        results["soak"] = bench.soak()
    if "pages" in wanted:
        log("every page: bytes and axe-core …")
        results["pages"] = audit_pages(bench)
    results["foreign"] = bench.foreign


def main(argv: list[str] | None = None) -> None:
    from browser import FLAGS, chromium_executable
    from playwright.sync_api import sync_playwright
    from serve import serve_in_thread

    args = parse_args(argv)
    if args.report_only:
        write(json.loads((RESULTS / "latest.json").read_text()), partial=False)
        return
    wanted = set(args.only or SECTIONS) - args.skip
    t_start = time.perf_counter()
    results: dict[str, Any] = {"base": BASE, "loadavg_1m_at_start": os.getloadavg()[0],
                               "boot_modes": args.boot, "cold": {},
                               "samples": {"cold": args.samples,
                                           "network": args.network_samples}}
    url = f"http://127.0.0.1:{args.port}{BASE}"
    if not args.no_build:
        log(f"building the site into {SITE_DIR.relative_to(ROOT)} …")
        results["mkdocs_build_s"] = build(SITE_DIR, url)
        log(f"  mkdocs build: {results['mkdocs_build_s']:.1f} s")
    site = Site(SITE_DIR, args.port, BASE, read_pages(SITE_DIR))
    if "native" in wanted:
        results["native"] = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "bench_native.py")],
            capture_output=True, text=True, check=True).stdout
    server = serve_in_thread(SITE_DIR, args.port, BASE)
    try:
        with sync_playwright() as p:
            exe = chromium_executable()
            if exe is None:
                sys.exit("no Chromium: run `make .browser`")
            browser = p.chromium.launch(args=FLAGS, executable_path=exe or None)
            which = Path(exe).name if exe else "Playwright's own"
            version = f"Chromium {browser.version} ({which})"
            bench = Bench(browser, site, launch_persistent=lambda profile, sw: (
                p.chromium.launch_persistent_context(
                    profile, args=FLAGS, executable_path=exe or None,
                    service_workers=sw)))  # type: ignore[arg-type]
            warm, page, _ = bench.context()  # start the browser's processes, untimed
            page.goto(site.url, wait_until="load")
            warm.close()
            measure_browser(bench, wanted, args.boot, args, results)
            browser.close()
        if "lighthouse" in wanted:
            results["lighthouse"] = {}
            for page_info in site.pages:
                log(f"lighthouse /{page_info.url} …")
                results["lighthouse"][page_info.url] = lighthouse(site.url + page_info.url)
        elif "lighthouse" in args.skip:
            results["lighthouse"] = {p.url: {"run": False, "reason": "BENCH_LIGHTHOUSE=0"}
                                     for p in site.pages}
    finally:
        server.shutdown()
    results["machine"] = machine(version)
    results["bench_seconds"] = time.perf_counter() - t_start
    write(results, partial=args.only is not None)


def write(results: dict[str, Any], partial: bool) -> None:
    """Results and report; a full run also updates bench/README.md's tables and the
    top README's one-line summary."""
    out = ROOT / "build" / "bench-partial" if partial else RESULTS / "latest"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(results, indent=2) + "\n")
    md = re.sub(r"\n{3,}", "\n\n", markdown(results))
    title = "Partial benchmark (not published)" if partial else "Latest benchmark"
    out.with_suffix(".md").write_text(f"# {title}\n\n{md}")
    if not partial:
        show_latest(ROOT / "bench" / "README.md", md)
        show_latest(ROOT / "README.md", summary(results), SUMMARY_MARKERS)
    print(md)
    log(f"done in {results['bench_seconds']:.0f} s; wrote {out.relative_to(ROOT)}.{{json,md}}"
        + ("" if partial else ", the tables in bench/README.md and README.md's summary"))


if __name__ == "__main__":
    main()
