"""The glance view: accesses per organisation as a small server-rendered SVG bar chart."""

from __future__ import annotations

from dataclasses import dataclass

BAR_HEIGHT = 22
GAP = 10
WIDTH = 600


@dataclass(frozen=True)
class Bar:
    """One organisation's row of the chart, in SVG user units."""

    label: str
    allowed: int
    denied: int
    y: int
    allowed_width: float
    denied_width: float


@dataclass(frozen=True)
class Chart:
    """Bars laid out for ``chart.svg``: the same numbers the table beside it shows."""

    bars: list[Bar]
    width: int
    height: int


def layout(rows: list[tuple[str, int, int]]) -> Chart:
    """Lay out ``(label, allowed, denied)`` rows as horizontal stacked bars."""
    largest = max((a + d for _, a, d in rows), default=0) or 1
    bars = []
    # A label line above each bar, so long names never overflow at 320 px.
    row_height = 18 + BAR_HEIGHT + GAP
    for i, (label, allowed, denied) in enumerate(rows):
        bars.append(
            Bar(
                label=label,
                allowed=allowed,
                denied=denied,
                y=i * row_height,
                allowed_width=WIDTH * allowed / largest,
                denied_width=WIDTH * denied / largest,
            )
        )
    return Chart(bars, WIDTH, max(len(rows) * row_height, 1))
