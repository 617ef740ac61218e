"""Shared settings for the native unit tests."""

from __future__ import annotations

from hypothesis import settings

# Bounded so the whole unit suite stays well under a minute on two cores.
# No per-example deadline: a wall-clock limit fails at random on a busy
# machine. Tests that care about cost bound it themselves (test_parse.bounded).
settings.register_profile("unit", max_examples=150, deadline=None)
settings.load_profile("unit")
