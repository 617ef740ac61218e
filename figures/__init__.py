"""Figures computed with numpy at build time and written into the pages as inline SVG.

``render(fig_id)`` returns a self-contained HTML fragment (``<figure>`` with an inline SVG, a
caption and a data table) for each id in ``FIGURES``.
"""

from __future__ import annotations

from figures import double_descent

__all__ = ["FIGURES", "render"]

FIGURES: tuple[str, ...] = ("double-descent",)


def render(fig_id: str) -> str:
    """Return the HTML fragment for the figure ``fig_id``.

    Raises ``ValueError`` for an id that is not in ``FIGURES``.
    """
    if fig_id == "double-descent":
        return double_descent.render()
    known = ", ".join(FIGURES)
    raise ValueError(f"unknown figure id {fig_id!r} (known: {known})")
