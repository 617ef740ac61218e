"""A run's samples as CSV, one row per sample: the inputs drawn and every output's raw
value (a run without ranges is one row, its point)."""

from __future__ import annotations

from collections.abc import Mapping

from .parse import Parsed
from .shown import format_output
from .spec import Calculator
from .uncertainty import SAMPLES

__all__ = ["csv"]


def csv(calc: Calculator, parsed: Mapping[str, Parsed],
        cols: Mapping[str, list[float]] | None) -> str:
    """The CSV text of the ``SAMPLES`` sample columns ``cols`` (``None``: no input is a
    range, so one row).

    Columns: the sample's number, each input (counts as their log2, headed
    ``log2(name)``), then each output's raw value (a probability also as its log2 odds,
    which stays exact where the probability rounds to 0 or 1)."""
    fields = [f for f in calc.fields if not parsed[f.name].empty]
    if cols is not None:
        n = SAMPLES
        res = dict(calc.compute_columns(cols, n))
    else:
        n = 1
        cols = {f.name: [parsed[f.name].value] for f in fields}
        point = calc.compute({k: v[0] for k, v in cols.items()})
        res = {k: [v] for k, v in point.items()}
    outs = [o for o in calc.outputs if o.key in res]
    head = ["sample", *(f"log2({f.name})" if f.kind == "count" else f.name for f in fields)]
    for o in outs:
        head.append(o.key)
        if o.kind == "probability":
            head.append(f"log2_odds({o.key})")
    rows = [",".join(head)]
    for i in range(n):
        row = [str(i + 1), *(repr(cols[f.name][i]) for f in fields)]
        for o in outs:
            x = res[o.key][i]
            row.append(format_output(o, x)[0] if o.kind != "text" else str(x))
            if o.kind == "probability":
                row.append(repr(float(x)))  # type: ignore[arg-type]
        rows.append(",".join(row))
    return "\r\n".join(rows) + "\r\n"
