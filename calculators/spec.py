"""The declarative shape of a calculator: its fields, outputs and charts.

One spec per calculator is the single source of truth for the form in the page, the
CLI flags, the URL query string, the bridge's JSON and the tests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

__all__ = ["Calculator", "ChartSpec", "Field", "FieldKind", "OutputSpec"]

#: How a field's text is read.
#: ``count``: a positive magnitude (a count, ratio or number of steps), parsed to its
#: log2 so that 2^(10^9) never becomes a huge integer; ranges sample log-uniformly.
#: ``real``: an ordinary real number (bits, reward, beta); ranges sample uniformly.
#: ``probability``: a real in [0, 1] (also accepts a percentage such as ``1%``).
FieldKind = Literal["count", "real", "probability"]


@dataclass(frozen=True)
class Field:
    """One input: its name is the contract (page ``name``, CLI ``--kebab``, URL key)."""

    name: str
    label: str
    default: str
    kind: FieldKind
    help: str
    example: str
    unit: str = ""
    #: Limits in the field's own scale; for ``count`` fields, in log2 (bits).
    minimum: float | None = None
    maximum: float | None = None
    #: An optional field may be left empty (e.g. ``training_tokens``).
    optional: bool = False


@dataclass(frozen=True)
class OutputSpec:
    """One output: ``key`` is the page's ``data-output`` and the JSON key."""

    key: str
    label: str
    help: str = ""


@dataclass(frozen=True)
class ChartSpec:
    """One chart slot: ``key`` is the page's ``data-chart``."""

    key: str
    title: str


@dataclass(frozen=True)
class Calculator:
    """A calculator: spec plus the pure function from parsed inputs to raw results."""

    id: str
    title: str
    summary: str
    fields: tuple[Field, ...]
    outputs: tuple[OutputSpec, ...]
    charts: tuple[ChartSpec, ...]
    compute: Callable[[Mapping[str, float]], Mapping[str, object]]
