"""Run a column-wise model on a single point (internal helper)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from .spec import Columns

ColumnsFn = Callable[[Columns, int], Mapping[str, Sequence[object]]]


def at_point(fn: ColumnsFn, inputs: Mapping[str, float]) -> dict[str, object]:
    """Evaluate ``fn`` on one sample and unwrap each output list."""
    res = fn({k: [v] for k, v in inputs.items()}, 1)
    return {k: v[0] for k, v in res.items()}
