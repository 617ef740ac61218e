"""How a reply shows a value: an output's carrier as its raw value and display text,
an input's parsed value as text. Every part of a reply (the results, their ranges, the
charts' labels, the CSV) shows values through these two."""

from __future__ import annotations

import math

from .fmt import fmt_count_log2, fmt_fraction_log2, fmt_number, fmt_probability
from .logspace import p_from_odds
from .parse import Parsed
from .spec import Field, OutputSpec

__all__ = ["format_output", "input_text"]


def _pow2(x: float) -> float:
    if x > 1024.0:
        return math.inf
    if x < -1100.0:
        return 0.0
    return math.pow(2.0, x)


def _snap(v: float) -> float:
    """Undo the few-ulp wobble of a log2 round trip: 9.999999999999992e-05 -> 0.0001.

    A log2 carrier holds only about 1e-15 relative precision in 2^x anyway, so a value
    within 1e-14 of a 12-significant-digit number is reported as that number.

    >>> _snap(9.999999999999992e-05), _snap(1000000.0000000002), _snap(0.1234567890123)
    (0.0001, 1000000.0, 0.1234567890123)
    """
    if v == 0.0 or not math.isfinite(v):
        return v
    s = float(f"{v:.12g}")
    return s if abs(s - v) <= 1e-14 * abs(v) else v


def format_output(spec: OutputSpec, carrier: object) -> tuple[str, str]:
    """Return (value, text) for an output's carrier: value is ``repr`` of the raw float.

    >>> from calculators.spec import OutputSpec
    >>> format_output(OutputSpec("p", "P", kind="probability"), 0.0)
    ('0.5', '50%')
    """
    if spec.kind == "text" or isinstance(carrier, str):
        return str(carrier), str(carrier)
    x = float(carrier)  # type: ignore[arg-type]
    if spec.kind == "probability":
        return repr(p_from_odds(x)), fmt_probability(x)
    if spec.kind == "count":
        return repr(_snap(_pow2(x))), fmt_count_log2(x)
    if spec.kind == "fraction":
        return repr(_snap(_pow2(x))), fmt_fraction_log2(x)
    return repr(x), fmt_number(x)


def input_text(f: Field, p: Parsed) -> dict[str, str]:
    """An input as the reply echoes it: ``value`` the parsed number (log2 for a count),
    ``text`` for display (a range as its two ends); both ``""`` for an empty field."""
    def one(x: float) -> str:
        return fmt_count_log2(x) if f.kind == "count" else fmt_number(x)

    if p.empty:
        return {"value": "", "text": ""}
    if p.low is not None and p.high is not None:
        return {"value": repr(p.value), "text": f"{one(p.low)} to {one(p.high)}"}
    return {"value": repr(p.value), "text": one(p.value)}
