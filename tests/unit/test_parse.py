"""The parser: accepted grammar, clear rejections, and bounded work on any text."""

from __future__ import annotations

import contextlib
import functools
import math
import sys
import tracemalloc
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calculators import Field, InputError, parse_field

COUNT = Field("prior_ratio", "Prior odds", "2^100", "count", "", example="2^100",
              minimum=-1e15, maximum=1e15)
REAL = Field("bits", "Bits", "1", "real", "", example="1", minimum=-1e6, maximum=1e6)
POS = Field("beta", "Beta", "1", "real", "", example="10", minimum=0.0, maximum=1e6,
            min_exclusive=True)
PROB = Field("p", "Target", "0.01", "probability", "", example="0.01", minimum=0.0,
             maximum=1.0, min_exclusive=True, max_exclusive=True)
OPT = Field("tokens", "Tokens", "", "count", "", example="1e13", minimum=0.0, maximum=1e15,
            optional=True)
L10 = math.log2(10)
#: Work allowed to parse any text: the longest text the parser takes (MAX_CHARS) runs
#: under 3,000 lines, so a parse that grows faster than its text trips it.
LINES = 20_000


def bounded(call: Callable[[], object], *, lines: int, kib: int) -> None:
    """Assert that `call` is cheap by the work it does, never by the time it takes (a test
    never asserts a time; bench/bench_native.py measures the parser's).

    Both bounds are deterministic. Memory: building 2**(10**9) would need 120 MiB, so a
    peak bound catches any huge integer. Work: the Python lines it runs (counted with
    sys.monitoring), so a parse that loops or grows faster than its text shows.
    """
    tracemalloc.start()
    try:
        with contextlib.suppress(InputError):
            call()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < kib * 1024, f"peak {peak} bytes"
    assert (ran := lines_run(call)) <= lines, f"{ran} lines run (bound {lines})"


def lines_run(call: Callable[[], object]) -> int:
    """How many Python lines `call` runs (an InputError ends it like a return)."""
    monitoring = sys.monitoring
    tool = next(t for t in range(6) if monitoring.get_tool(t) is None)
    count = 0

    def line(code: object, number: int) -> None:
        nonlocal count
        count += 1

    monitoring.use_tool_id(tool, "test_parse.bounded")
    try:
        monitoring.register_callback(tool, monitoring.events.LINE, line)
        monitoring.set_events(tool, monitoring.events.LINE)
        with contextlib.suppress(InputError):
            call()
    finally:
        monitoring.set_events(tool, 0)
        monitoring.register_callback(tool, monitoring.events.LINE, None)
        monitoring.free_tool_id(tool)
    return count


class TestCounts:
    @pytest.mark.parametrize(("text", "log2"), [
        ("2^100", 100.0),
        ("2**100", 100.0),
        ("10^30", 30 * L10),
        ("1e30", math.log2(1e30)),
        ("1.5e6", math.log2(1.5e6)),
        ("2^1e6", 1e6),
        ("2^1000000000", 1e9),
        ("2^(10^9)", 1e9),
        ("1,000,000", math.log2(1e6)),
        ("1_000_000", math.log2(1e6)),
        ("1 000 000", math.log2(1e6)),
        ("  7 ", math.log2(7)),
        ("0.5", -1.0),
        ("2^-3", -3.0),
        ("1.5 × 10^6", math.log2(1.5e6)),
        ("1e400", 400 * L10),
    ])
    def test_accepts(self, text: str, log2: float) -> None:
        assert parse_field(COUNT, text).value == pytest.approx(log2, rel=1e-12)

    def test_huge_power_is_instant(self) -> None:
        assert parse_field(COUNT, "2^1000000000").value == 1e9
        bounded(lambda: parse_field(COUNT, "2^1000000000"), lines=1_000, kib=64)

    def test_range(self) -> None:
        p = parse_field(COUNT, "2^90 to 2^110")
        assert (p.low, p.value, p.high, p.is_range) == (90.0, 100.0, 110.0, True)
        assert parse_field(COUNT, "50–150").is_range


class TestReals:
    @pytest.mark.parametrize(("field", "text", "value"), [
        (REAL, "-3", -3.0),
        (REAL, "−3.5", -3.5),
        (REAL, "2^10", 1024.0),
        (REAL, "1,234.5", 1234.5),
        (POS, "0.001", 0.001),
        (PROB, "1%", 0.01),
        (PROB, "0.01", 0.01),
        (PROB, "99.9%", 0.999),
    ])
    def test_accepts(self, field: Field, text: str, value: float) -> None:
        assert parse_field(field, text).value == pytest.approx(value, rel=1e-12)

    def test_negative_range(self) -> None:
        p = parse_field(REAL, "-5 to -1")
        assert (p.low, p.high) == (-5.0, -1.0)

    def test_optional_empty(self) -> None:
        assert parse_field(OPT, "  ").empty


class TestRejects:
    @pytest.mark.parametrize(("field", "text", "needle"), [
        (COUNT, "", "required"),
        (COUNT, "many", "such as 2^100"),
        (COUNT, "NaN", "such as 2^100"),
        (COUNT, "inf", "such as 2^100"),
        (COUNT, "2^", "such as 2^100"),
        (COUNT, "2^^3", "such as 2^100"),
        (COUNT, "0", "more than 0"),
        (COUNT, "-5", "more than 0"),
        (COUNT, "1" * 101, "100 characters"),
        (COUNT, "2^110 to 2^90", "low end"),
        (COUNT, "5 to", "such as 2^100"),
        (COUNT, "2^(10^20)", "at most"),
        (COUNT, "1%", "such as 2^100"),
        (COUNT, "2^2^2^2^2^2^2", "such as 2^100"),
        (POS, "0", "more than 0"),
        (POS, "-1", "more than 0"),
        (PROB, "1", "less than"),
        (PROB, "150%", "less than"),
        (REAL, "1e300", "at most"),
        (REAL, "1,5", "such as 1"),
        (REAL, "1 2", "such as 1"),
        (REAL, "eval('1')", "such as 1"),
    ])
    def test_message(self, field: Field, text: str, needle: str) -> None:
        with pytest.raises(InputError) as e:
            parse_field(field, text)
        assert e.value.field == field.name
        assert e.value.message.startswith(field.label + ":")
        assert needle in e.value.message

    def test_example_message(self) -> None:
        with pytest.raises(InputError, match=r"^Prior odds: enter a number such as 2\^100\.$"):
            parse_field(COUNT, "lots")


@given(st.text(max_size=140))
def test_any_text_returns_or_raises_input_error_cheaply(text: str) -> None:
    for field in (COUNT, REAL, PROB, OPT):
        try:
            p = parse_field(field, text)
        except InputError:
            pass
        else:
            assert p.empty or math.isfinite(p.value)
        bounded(functools.partial(parse_field, field, text), lines=LINES, kib=256)


@given(st.text(alphabet="0123456789.eE^*()+-−,_ %xto×", max_size=100))
def test_numberish_text_returns_or_raises_input_error_cheaply(text: str) -> None:
    for field in (COUNT, REAL, PROB):
        bounded(functools.partial(parse_field, field, text), lines=LINES, kib=256)


def test_bounded_catches_a_huge_integer_and_a_long_loop() -> None:
    with pytest.raises(AssertionError, match="peak"):
        bounded(lambda: 1 << 10**7, lines=1_000, kib=64)

    def spin() -> None:
        for _ in range(10_000):
            pass

    with pytest.raises(AssertionError, match="lines run"):
        bounded(spin, lines=1_000, kib=64)
