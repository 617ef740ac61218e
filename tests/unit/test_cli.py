"""The CLI via subprocess: the essay example, help, and exit 2 on bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


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
    p = cli("breakeven")
    assert p.returncode == 0 and "0.01%" in p.stdout and "100" in p.stdout


@pytest.mark.parametrize(("args", "needle"), [
    (("breakeven", "--prior-ratio", "2^"), "Prior odds schemer : non-schemer: enter"),
    (("counting-odds", "--strict-weight", "2"), "Credence in strict counting: must be"),
    (("frames", "--beta", "0"), "Selection strength beta: must be more than 0"),
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
