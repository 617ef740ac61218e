"""The CLI via subprocess: the essay example, help, exit 2 on bad input, and replay
(exit 0 when the outputs match by the stated rule, 1 when they differ)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from calculators import run
from calculators.cli import REPLAY_RULE, same_value


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "calculators", *args],
                          capture_output=True, text=True, timeout=60, check=False)


def test_essay_example_json() -> None:
    p = cli("breakeven", "--prior-ratio", "2^100", "--bits-per-step", "1",
            "--training-steps", "1e6", "--json")
    assert p.returncode == 0, p.stderr
    reply = json.loads(p.stdout)
    assert float(reply["outputs"]["breakeven_steps"]["value"]) == 100.0
    assert reply["outputs"]["training_fraction"]["value"] == "0.0001"
    assert "charts" not in reply


def test_charts_flag() -> None:
    reply = json.loads(cli("frames", "--json", "--charts").stdout)
    assert reply["charts"]["frames"]["svg"].startswith("<svg")


def test_table() -> None:
    p = cli("breakeven", "--prior-ratio", "2^300")
    assert p.returncode == 0, p.stderr
    rows = dict(line.strip().split("  ", 1) for line in p.stdout.splitlines()[1:]
                if "  " in line.strip())
    assert rows["Breakeven worth n* = k / b"].strip() == "300"
    assert rows["n* as a share of the run"].strip() == "0.03%"
    assert "worth 300 extra gradient steps" in p.stdout


@pytest.mark.parametrize(("args", "needle"), [
    (("breakeven", "--prior-ratio", "2^"), "Prior odds schemer : non-schemer: enter"),
    (("counting-odds", "--preference-spread", "-2"),
     "Uncertainty about SGD's class-level preferences: must be at least 0"),
    (("frames", "--beta", "0"), "Selection strength β: must be more than 0"),
])
def test_bad_input_exits_2(args: tuple[str, ...], needle: str) -> None:
    p = cli(*args)
    assert p.returncode == 2 and p.stdout == "" and needle in p.stderr


def test_unknown_flag_and_id() -> None:
    assert cli("breakeven", "--nope", "1").returncode == 2
    p = cli("nope")
    assert p.returncode == 2 and p.stdout == ""


def test_help_lists_fields_with_defaults() -> None:
    p = cli("--help")
    assert p.returncode == 0 and "--prior-ratio" in p.stdout and "2^100" in p.stdout
    p = cli("restaurants", "--help")
    assert p.returncode == 0 and "--chinese-count" in p.stdout and "Default: 10" in p.stdout


def test_bad_input_message_is_the_pages(tmp_path: Path) -> None:
    p = cli("breakeven", "--bits-per-step", "zero")
    assert p.stderr.strip() == run("breakeven", {"bits_per_step": "zero"})["errors"][
        "bits_per_step"]


@pytest.mark.parametrize("args", [
    ("breakeven", "--prior-ratio", "2^1e6", "--worth-steps", "2e6"),
    ("counting-odds", "--schemer-bits", "-1000 to 1000", "--saint-count", "2^3 to 2^30"),
    ("restaurants", "--mexican-bits", "-20 to 20"),
    ("frames",),
])
def test_replay_on_the_same_machine_is_bit_for_bit(tmp_path: Path, args: tuple[str, ...]
                                                   ) -> None:
    saved = cli(*args, "--json")
    assert saved.returncode == 0, saved.stderr
    path = tmp_path / "saved.json"
    path.write_text(saved.stdout)
    again = cli("--from", str(path), "--json")
    assert again.returncode == 0, again.stderr
    assert "outputs match the saved reply" in again.stderr and REPLAY_RULE in again.stderr
    assert json.loads(again.stdout) == json.loads(saved.stdout)


def _tampered(tmp_path: Path, change: Callable[[dict[str, Any]], None],
              *args: str) -> subprocess.CompletedProcess[str]:
    saved = json.loads(cli("breakeven", *args, "--json").stdout)
    change(saved["outputs"]["breakeven_steps"])
    path = tmp_path / "tampered.json"
    path.write_text(json.dumps(saved))
    return cli("--from", str(path), "--json")


def _set(key: str, value: str, where: str = "") -> Callable[[dict[str, Any]], None]:
    def change(out: dict[str, Any]) -> None:
        (out["range"][where] if where else out)[key] = value
    return change


@pytest.mark.parametrize("change", [
    _set("value", "99.0"),               # another number
    _set("text", "99"),                  # another display text
    _set("value", "100.00000001", "p5"),  # a percentile off by more than the tolerance
])
def test_replay_reports_a_changed_output(tmp_path: Path,
                                         change: Callable[[dict[str, Any]], None]) -> None:
    p = _tampered(tmp_path, change, "--prior-ratio", "2^90 to 2^110")
    assert p.returncode == 1 and "1 output(s) differ" in p.stderr, p.stderr
    assert "breakeven_steps" in p.stderr and REPLAY_RULE in p.stderr


def test_replay_tolerates_a_floats_last_bits(tmp_path: Path) -> None:
    """A result saved in the browser may differ in its last bits (Pyodide's libm): the
    stated tolerance, 1e-12 relative, accepts that and nothing more."""
    want = float(run("breakeven", {})["outputs"]["breakeven_steps"]["value"])
    p = _tampered(tmp_path, _set("value", repr(math.nextafter(want, math.inf))))
    assert p.returncode == 0, p.stderr
    assert same_value(repr(want * (1 + 5e-13)), repr(want))
    assert not same_value(repr(want * (1 + 5e-12)), repr(want))
    assert not same_value("inf", "1e308") and not same_value("x", "1")


def test_replay_of_a_file_that_is_not_a_reply(tmp_path: Path) -> None:
    path = tmp_path / "nope.json"
    path.write_text('{"hello": 1}')
    p = cli("--from", str(path))
    assert p.returncode == 2 and "provenance.inputs" in p.stderr
