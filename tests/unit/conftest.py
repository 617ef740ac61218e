"""Shared settings for the native unit tests."""

from __future__ import annotations

from hypothesis import settings

# Bounded so the whole unit suite stays well under a minute on two cores.
settings.register_profile("unit", max_examples=150, deadline=2000)
settings.load_profile("unit")
