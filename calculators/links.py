"""Shared links across versions: every link ever shared still opens.

A link's query string holds the inputs that differ from the defaults, plus ``v=N``, the
link format.  When a calculator's inputs or defaults change, ``LINK_VERSION`` goes up
and ``HISTORY`` says how a link of an older format reads today: inputs that still exist
keep their values; a default that changed is restored for inputs the link left out (the
sender saw the old default); a new input takes the value that reproduces the old
behaviour; a retired input is mapped where it can be, and otherwise named in a one-line
notice.  Never an error.

The page applies the same table: the build writes it into its manifest
(``assets/calc/manifest.json``, from ``history_json``), which the page fetches to open
an older link; ``migrate`` is the reference the tests hold the page to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .registry import CALCULATORS

__all__ = ["HISTORY", "LINK_VERSION", "Retired", "Step", "history_json", "migrate"]

#: The ``v`` of links written today.
LINK_VERSION = 2


@dataclass(frozen=True)
class Retired:
    """An input a calculator no longer has."""

    name: str
    label: str
    #: Values that still mean something today: value text -> inputs to set.
    maps: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    #: Said when the link set a value that cannot be mapped.
    notice: str = ""


@dataclass(frozen=True)
class Step:
    """How one calculator's links of format ``version`` read in format ``version + 1``."""

    version: int
    calc: str
    #: Inputs whose default changed: their default in the old format.
    old_defaults: Mapping[str, str] = field(default_factory=dict)
    #: New inputs: the value that reproduces the old format's behaviour.
    added: Mapping[str, str] = field(default_factory=dict)
    retired: tuple[Retired, ...] = ()
    #: Said whenever such a link touches this calculator (its meaning moved).
    notice: str = ""


HISTORY: tuple[Step, ...] = (
    Step(1, "counting-odds",
         old_defaults={"saint_count": "1", "misgeneralized_count": "1",
                       "reward_seeker_count": "1"},
         retired=(Retired(
             "strict_weight", "Credence in strict counting",
             maps={"1": {"preference_spread": "0"}},
             notice="This link set a credence in strict counting; hazy counting is now "
                    "computed from your uncertainty about SGD's class-level preferences, "
                    "so the hazy results differ from the ones shared.",
         ),)),
    Step(1, "breakeven", added={"worth_steps": "0"}),
    Step(1, "restaurants", old_defaults={"mexican_bits": "2"}),
    Step(1, "frames", old_defaults={"reward_gap": "1"},
         added={"freed_reward": "0", "simplicity_weight": "1"}),
)


def _fields_then(step: Step) -> set[str]:
    """The input names the calculator had in the step's (old) format."""
    now = {f.name for f in CALCULATORS[step.calc].fields}
    return (now - set(step.added)) | {r.name for r in step.retired}


def migrate(params: Mapping[str, str], version: int) -> tuple[dict[str, str], list[str]]:
    """Read a link's query parameters (``v`` left out) written in format ``version``.

    Returns today's parameters and the notices to show.  A calculator the link did not
    touch is left to its defaults, as any link without its inputs is.

    >>> migrate({"strict_weight": "1", "schemer_count": "2^50"}, 1)[0]["preference_spread"]
    '0'
    >>> migrate({"beta": "20"}, 1)[0]
    {'beta': '20', 'reward_gap': '1', 'freed_reward': '0', 'simplicity_weight': '1'}
    >>> migrate({"beta": "20"}, 2)
    ({'beta': '20'}, [])
    """
    out = dict(params)
    notices: list[str] = []
    for v in range(max(version, 1), LINK_VERSION):
        for step in (s for s in HISTORY if s.version == v):
            if not set(out) & _fields_then(step):
                continue
            for name, default in step.old_defaults.items():
                out.setdefault(name, default)
            for name, value in step.added.items():
                out.setdefault(name, value)
            for r in step.retired:
                if r.name not in out:
                    continue
                value = out.pop(r.name)
                mapped = r.maps.get(value.strip())
                if mapped is not None:
                    for k, val in mapped.items():
                        out.setdefault(k, val)
                elif r.notice:
                    notices.append(r.notice)
            if step.notice:
                notices.append(step.notice)
    return out, notices


def history_json() -> dict[str, object]:
    """The table for the page: what ``migrate`` reads, as plain JSON."""
    return {
        "version": LINK_VERSION,
        "steps": [
            {
                "version": s.version,
                "calc": s.calc,
                "fields": sorted(_fields_then(s)),
                "oldDefaults": dict(s.old_defaults),
                "added": dict(s.added),
                "retired": [{"name": r.name, "maps": {k: dict(v) for k, v in r.maps.items()},
                             "notice": r.notice} for r in s.retired],
                "notice": s.notice,
            }
            for s in HISTORY
        ],
    }
