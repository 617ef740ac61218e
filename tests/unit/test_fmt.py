"""Display text: plain numbers, powers, percentages and tails; never 0/inf/nan."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calculators.fmt import fmt_count_log2, fmt_fraction_log2, fmt_number, fmt_probability


@pytest.mark.parametrize(("x", "text"), [
    (100.0, "100"), (1e6, "1,000,000"), (1.5, "1.5"), (-2.5, "−2.5"), (0.0123, "0.0123"),
    (1.27e30, "1.27 × 10^30"), (0.0, "0"), (106.6, "106.6"),
])
def test_number(x: float, text: str) -> None:
    assert fmt_number(x) == text


@pytest.mark.parametrize(("lg2", "text"), [
    (100.0, "2^100 (≈ 1.27 × 10^30)"),
    (-1e6, "2^-1000000 (≈ 1.01 × 10^-301030)"),
    (math.log2(1e6), "1,000,000"),
    (0.0, "1"),
])
def test_count(lg2: float, text: str) -> None:
    assert fmt_count_log2(lg2) == text


@pytest.mark.parametrize(("p", "text"), [
    (0.01, "1%"), (0.0001, "0.01%"), (0.5, "50%"), (0.625, "62.5%"), (1 / 3, "33.3%"),
    (0.999, "99.9%"),
])
def test_probability_percent(p: float, text: str) -> None:
    assert fmt_probability(math.log2(p / (1 - p))) == text


def test_probability_tails() -> None:
    assert fmt_probability(math.log2(1 / 2.4e-30)) == "1 − 2.4 × 10^-30"
    assert fmt_probability(-1e6) == "2^-1000000 (≈ 1.01 × 10^-301030)"
    assert fmt_probability(5e6).startswith("1 − 2^-5000000 (≈ ")


def test_fraction() -> None:
    assert fmt_fraction_log2(math.log2(1e-4)) == "0.01%"
    assert fmt_fraction_log2(1.0) == "200%"


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_probability_never_degenerate(t: float) -> None:
    text = fmt_probability(t)
    assert text not in ("0", "0%", "100%", "1")
    assert "inf" not in text and "nan" not in text


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_count_never_degenerate(lg2: float) -> None:
    text = fmt_count_log2(lg2)
    assert text != "0" and "inf" not in text and "nan" not in text
