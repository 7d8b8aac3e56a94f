"""Small server-rendered SVG bar charts (``_bar_chart.svg``), for both apps.

Each row is a line of text above a bar of one or more stacked segments. The
text says the numbers, segments differ by pattern as well as colour, and the
page shows the same numbers as a table: the chart is never the only way to
read them.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

BAR_HEIGHT = 22
GAP = 10
LABEL_HEIGHT = 18  # a label line above each bar, so long names never overflow at 320 px
HEADING_HEIGHT = 24  # a row without values: a heading over the bars after it
WIDTH = 600


@dataclass(frozen=True)
class Segment:
    """One stacked part of a bar, in SVG user units; ``kind`` is its CSS class."""

    value: float
    kind: str
    hatched: bool
    x: float
    width: float


@dataclass(frozen=True)
class Bar:
    """One row: ``label`` names it (for a table), ``text`` is the line drawn above it."""

    label: str
    text: str
    values: tuple[float, ...]
    y: int
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Chart:
    """Bars laid out for ``_bar_chart.svg``: the same numbers a table beside it shows."""

    bars: list[Bar]
    width: int
    height: int
    hatched: tuple[str, ...]
    """The kinds drawn hatched: one pattern each, its ground in the kind's colour."""


def layout(
    rows: Sequence[tuple[str, str, Sequence[float]]],
    kinds: Sequence[str],
    *,
    hatched: Collection[str] = (),
) -> Chart:
    """Lay out ``(label, text, values)`` rows as horizontal bars of stacked segments, the
    ``i``-th value of each row drawn with CSS class ``kinds[i]`` (and a hatch pattern
    when that class is in ``hatched``), all on one scale. A row without values is a
    heading: its text alone."""
    largest = max((sum(values) for _, _, values in rows), default=0) or 1
    bars, y = [], 0
    for label, text, values in rows:
        segments, x = [], 0.0
        for value, kind in zip(values, kinds, strict=bool(values)):
            width = WIDTH * value / largest
            segments.append(Segment(value, kind, kind in hatched, x, width))
            x += width
        bars.append(Bar(label, text, tuple(values), y, tuple(segments)))
        y += LABEL_HEIGHT + BAR_HEIGHT + GAP if values else HEADING_HEIGHT
    patterns = tuple(k for k in kinds if k in hatched)
    return Chart(bars, WIDTH, max(y, 1), patterns)
