"""The declarative shape of a calculator: its fields, outputs, charts and presets.

One spec per calculator is the single source of truth for the form in the page, the
CLI flags, the URL query string, the bridge's JSON and the tests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from .parse import Parsed

__all__ = [
    "Calculator",
    "ChartKind",
    "ChartSpec",
    "Choice",
    "Columns",
    "ExpectFn",
    "Field",
    "FieldKind",
    "Nudge",
    "OutputKind",
    "OutputSpec",
    "Preset",
    "Question",
    "buckets",
    "with_standard_charts",
]

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
#: ``log2_odds``: log2 odds shown as a number; its mean over samples is the log2 odds
#: of the mean probability (the reader's credence), not the mean of the log odds.
#: ``text``: a word such as "reward".
OutputKind = Literal["number", "count", "fraction", "probability", "log2_odds", "text"]

#: ``model``: drawn by the calculator's ``draw`` for one point.  ``distribution``:
#: histograms of the ``main`` outputs when an input is a range (drawn by the bridge).
#: ``sensitivity``: the headline's swing as each input moves across its span (a tornado).
ChartKind = Literal["model", "distribution", "sensitivity"]

#: Column-wise inputs or results: one list entry per sample (a point run has one).
Columns = Mapping[str, Sequence[float]]

#: The model over columns of samples: one list per input (optional fields left empty
#: are absent) and the sample count in; one list per output, in its carrier, out.
ColumnsFn = Callable[[Columns, int], Mapping[str, Sequence[object]]]

#: Charts for one point: (parsed inputs, point results, id prefix, scale of probability
#: charts: "probability" or "odds") -> key -> (svg, table).
DrawFn = Callable[[Mapping[str, float], Mapping[str, object], str, str],
                  Mapping[str, tuple[str, str]]]

#: The headline sentence from the reply's outputs (key -> {"value", "text", ...}) and
#: the parsed inputs, so that it can name the regime they put it in (a range, a spread).
SentenceFn = Callable[[Mapping[str, Mapping[str, object]], Mapping[str, "Parsed"]], str]

#: Under ranges, the expectations that are not a mean over the samples: (sample
#: columns, the model's results over them, the parsed inputs or None) -> output key ->
#: carrier.  A threshold is solved where the expected probability crosses its line; a
#: baseline that symmetry fixes is given exactly.
ExpectFn = Callable[[Columns, Mapping[str, Sequence[object]], "Mapping[str, Parsed] | None"],
                    Mapping[str, float]]


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
    #: Half-width of the span the sensitivity chart moves a plain number across, when
    #: the reader gave no range (counts and bits move ±10 bits; see ``sensitivity``).
    span: float | None = None
    #: How the number moves where the prose quotes it (drag or arrow keys), if it may.
    nudge: Nudge | None = None


@dataclass(frozen=True)
class Nudge:
    """One step of a number the reader moves in the prose, in the field's own scale
    (log2 for counts): ``add`` adds ``step``, ``mul`` multiplies by it.  ``style`` is
    how the new value is written back into the field: ``pow2`` as 2^k (counts),
    ``exp10`` as 1e6 (counts), ``plain`` as a number."""

    op: Literal["add", "mul"]
    step: float
    style: Literal["pow2", "exp10", "plain"] = "plain"


@dataclass(frozen=True)
class OutputSpec:
    """One output: ``key`` is the page's ``data-output`` and the JSON key."""

    key: str
    label: str
    help: str = ""
    kind: OutputKind = "number"
    #: Shown as a histogram in the ``distribution`` chart when an input is a range.
    main: bool = False
    #: When ranged, a costly output is computed on only this many of the samples
    #: (the model leaves it out of a larger run).
    costly_samples: int | None = None
    #: A threshold: under ranges its value is solved on the expected probability (by
    #: the calculator's ``expect``), and its samples' percentiles are only its spread.
    solved: bool = False


@dataclass(frozen=True)
class ChartSpec:
    """One chart slot: ``key`` is the page's ``data-chart``."""

    key: str
    title: str
    kind: ChartKind = "model"


@dataclass(frozen=True)
class Preset:
    """A named set of inputs (the essay's own cases): a ``data-preset`` button.

    Inputs not named take their defaults, so a preset is a whole scenario.
    """

    name: str
    label: str
    values: Mapping[str, str]
    #: One line shown when the preset is chosen: what it sets up, in our words.
    note: str = ""


@dataclass(frozen=True)
class Choice:
    """One answer a reader can pick: right when the answer's value is in [low, high)."""

    label: str
    low: float
    high: float


@dataclass(frozen=True)
class Question:
    """Predict, then reveal: a question the page asks before its calculator.

    The answer is the output ``key`` for the ``preset`` (the defaults if empty),
    computed when the site is built; with ``choices`` the reader picks one, without
    them they type a number.
    """

    name: str
    prompt: str
    key: str
    preset: str = ""
    choices: tuple[Choice, ...] = ()


@dataclass(frozen=True)
class Calculator:
    """A calculator: its spec plus the pure model over columns of samples."""

    id: str
    title: str
    summary: str
    fields: tuple[Field, ...]
    outputs: tuple[OutputSpec, ...]
    charts: tuple[ChartSpec, ...]
    compute_columns: ColumnsFn
    #: The output that answers the calculator's question (``data-headline``) and the
    #: sentence that says the answer in words.
    headline: str
    sentence: SentenceFn
    draw: DrawFn | None = None
    presets: tuple[Preset, ...] = ()
    #: The outputs marked ``costly_samples``, over columns, apart from the rest: a point
    #: run computes them; a ranged run only on the first ``costly_samples`` samples.
    compute_costly: ColumnsFn | None = None
    questions: tuple[Question, ...] = ()
    expect: ExpectFn | None = None

    def compute(self, inputs: Mapping[str, float]) -> dict[str, object]:
        """The model at one point: parsed inputs (counts in log2) to output carriers."""
        cols = {k: [v] for k, v in inputs.items()}
        res = dict(self.compute_columns(cols, 1))
        if self.compute_costly is not None:
            res.update(self.compute_costly(cols, 1))
        return {k: v[0] for k, v in res.items()}

    @classmethod
    def from_module(cls, namespace: Mapping[str, Any], **meta: Any) -> Calculator:
        """A calculator from its module, by convention: ``FIELDS``, ``OUTPUTS``,
        ``compute_columns``, ``sentence``, and where the module has them ``draw``,
        ``compute_costly``, ``expect``, ``PRESETS`` and ``QUESTIONS``; ``meta`` gives the
        rest (id, title, summary, headline, charts)."""
        parts: dict[str, Any] = {
            "fields": namespace["FIELDS"], "outputs": namespace["OUTPUTS"],
            "compute_columns": namespace["compute_columns"], "sentence": namespace["sentence"],
            "draw": namespace.get("draw"), "compute_costly": namespace.get("compute_costly"),
            "expect": namespace.get("expect"),
            "presets": namespace.get("PRESETS", ()), "questions": namespace.get("QUESTIONS", ()),
        }
        return cls(**(parts | meta))

    @property
    def module(self) -> str:
        """The model's module name, e.g. ``counting`` (for "Show the Python")."""
        return self.compute_columns.__module__.rsplit(".", 1)[-1]

    def __post_init__(self) -> None:
        keys = {o.key for o in self.outputs}
        if any(o.solved for o in self.outputs) and self.expect is None:
            raise ValueError(f"{self.id}: a solved output needs the calculator's expect")
        names = {f.name for f in self.fields}
        if self.headline not in keys:
            raise ValueError(f"{self.id}: headline {self.headline!r} is not an output")
        for p in self.presets:
            unknown = set(p.values) - names
            if unknown:
                raise ValueError(f"{self.id}: preset {p.name!r} sets unknown {sorted(unknown)}")
        presets = {p.name for p in self.presets}
        for q in self.questions:
            if q.key not in keys or (q.preset and q.preset not in presets):
                raise ValueError(f"{self.id}: question {q.name!r} names an unknown output "
                                 "or preset")
            if any(a.high != b.low for a, b in zip(q.choices, q.choices[1:], strict=False)):
                raise ValueError(f"{self.id}: question {q.name!r}: choices must tile a "
                                 "range, in order")


def with_standard_charts(*model: ChartSpec) -> tuple[ChartSpec, ...]:
    """A calculator's own charts, then the two every calculator has: the spread over the
    input ranges (histograms) and which input matters most (a tornado).

    >>> [c.key for c in with_standard_charts(ChartSpec("curve", "A curve"))]
    ['curve', 'distribution', 'sensitivity']
    """
    return (*model, ChartSpec("distribution", "Spread over the input ranges", "distribution"),
            ChartSpec("sensitivity", "Which input matters most", "sensitivity"))


def buckets(cuts: Sequence[float], labels: Sequence[str]) -> tuple[Choice, ...]:
    """Choices for a probability, split at ``cuts``: the first from 0, the last to 1.

    >>> [(c.label, c.low) for c in buckets([0.5], ["Under half", "Half or more"])]
    [('Under half', 0.0), ('Half or more', 0.5)]
    """
    edges = [0.0, *cuts, 1.0 + 1e-9]  # a probability of exactly 1 falls in the last
    return tuple(Choice(label, lo, hi)
                 for label, lo, hi in zip(labels, edges[:-1], edges[1:], strict=True))
