"""Every calculator by id: the list the page, the CLI and the bridge share."""

from __future__ import annotations

from .breakeven import BREAKEVEN
from .counting import COUNTING
from .frames import FRAMES
from .restaurants import RESTAURANTS
from .spec import Calculator

__all__ = ["CALCULATORS"]

#: Calculator id -> spec, in the order the essay meets them.
CALCULATORS: dict[str, Calculator] = {
    c.id: c for c in (COUNTING, BREAKEVEN, RESTAURANTS, FRAMES)
}
