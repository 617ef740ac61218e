"""The declarative shape of a calculator: its fields, outputs and charts.

One spec per calculator is the single source of truth for the form in the page, the
CLI flags, the URL query string, the bridge's JSON and the tests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = ["Calculator", "ChartSpec", "Columns", "Field", "FieldKind", "OutputKind", "OutputSpec"]

#: How a field's text is read.
#: ``count``: a positive magnitude (a count, ratio or number of steps), parsed to its
#: log2 so that 2^(10^9) never becomes a huge integer; ranges sample log-uniformly.
#: ``real``: an ordinary real number (bits, reward, beta); ranges sample uniformly.
#: ``probability``: a real in [0, 1] (also accepts a percentage such as ``1%``).
FieldKind = Literal["count", "real", "probability"]

#: How an output's raw number is carried (lossless) and shown.
#: ``number``: the plain value.  ``count``: carried as log2 of a positive quantity
#: (shown as ``2^100 (≈ 1.27 × 10^30)`` when large).  ``fraction``: carried as log2
#: of a positive ratio, shown as a percentage.  ``probability``: carried as log2
#: odds p : (1 - p), so both 2^-1000000 and 1 - 2^-5000000 stay exact.
#: ``text``: a word such as "reward".
OutputKind = Literal["number", "count", "fraction", "probability", "text"]

#: Column-wise inputs or results: one list entry per sample (a point run has one).
Columns = Mapping[str, Sequence[float]]


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
    #: Whether ``minimum`` / ``maximum`` themselves are excluded (e.g. beta > 0).
    min_exclusive: bool = False
    max_exclusive: bool = False


@dataclass(frozen=True)
class OutputSpec:
    """One output: ``key`` is the page's ``data-output`` and the JSON key."""

    key: str
    label: str
    help: str = ""
    kind: OutputKind = "number"
    #: Shown as a histogram in the ``distribution`` chart when an input is a range.
    main: bool = False


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
    #: The same model over columns of samples (one list per input; optional fields
    #: left empty are absent).  Returns one list per output, in the output's carrier.
    compute_columns: Callable[[Columns, int], Mapping[str, Sequence[object]]] | None = None
    #: Charts for one point: (parsed inputs, point results, id prefix) -> key -> (svg, table).
    draw: Callable[[Mapping[str, float], Mapping[str, object], str],
                   Mapping[str, tuple[str, str]]] | None = None
    #: When ranged, outputs this costly are computed on only this many samples.
    costly_outputs: tuple[str, ...] = ()
    costly_samples: int = 400
