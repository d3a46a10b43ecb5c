"""Server-rendered SVG charts: geometry is computed here, the templates only draw it.

No JavaScript is needed to read them, and every label goes through the template's escaping.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

SEVERITY_COLOURS = {
    "critical": "#8b0000",
    "high": "#c0392b",
    "medium": "#b9770e",
    "low": "#1f618d",
    "info": "#5d6d7e",
}


@dataclass(frozen=True, slots=True)
class Bar:
    """One horizontal bar with its label and value."""

    label: str
    value: int
    y: float
    width: float
    colour: str


@dataclass(frozen=True, slots=True)
class BarChart:
    """A horizontal bar chart."""

    bars: tuple[Bar, ...]
    width: int
    height: int
    label_width: int


@dataclass(frozen=True, slots=True)
class Series:
    """One line of a line chart."""

    name: str
    points: str  # SVG ``points`` attribute
    colour: str
    last: int
    total: int = 0


@dataclass(frozen=True, slots=True)
class LineChart:
    """A line chart over days."""

    series: tuple[Series, ...]
    width: int
    height: int
    maximum: int
    first_day: str
    last_day: str


def bar_chart(
    values: Mapping[str, int], colours: Mapping[str, str] | None = None, width: int = 420
) -> BarChart:
    """Bars for ``label → count``; bar length is relative to the largest value."""
    label_width, row = 130, 26
    biggest = max(values.values(), default=0) or 1
    room = width - label_width - 60
    bars = tuple(
        Bar(
            label=label,
            value=value,
            y=index * row,
            width=round(room * value / biggest, 1),
            colour=(colours or {}).get(label, "#2e4053"),
        )
        for index, (label, value) in enumerate(values.items())
    )
    return BarChart(bars, width, max(len(bars), 1) * row, label_width)


FLOW_COLOURS = {"opened": "#c0392b", "fixed": "#1e8449"}


def trend_chart(
    trend: Sequence[Mapping[str, Any]],
    width: int = 640,
    height: int = 200,
    colours: Mapping[str, str] = SEVERITY_COLOURS,
) -> LineChart:
    """One line per key of ``colours`` over days: open findings per severity (the metrics
    service's trend), or findings opened and fixed per day (:data:`FLOW_COLOURS`)."""
    days = len(trend)
    names = [name for name in colours if any(int(p.get(name, 0)) for p in trend)]
    maximum = max((int(p.get(n, 0)) for p in trend for n in names), default=0) or 1
    step = (width - 20) / max(days - 1, 1)
    series = []
    for name in names:
        coords = (
            f"{10 + i * step:.1f},{height - 10 - (height - 20) * int(p.get(name, 0)) / maximum:.1f}"
            for i, p in enumerate(trend)
        )
        last = int(trend[-1].get(name, 0)) if trend else 0
        total = sum(int(p.get(name, 0)) for p in trend)
        series.append(Series(name, " ".join(coords), colours[name], last, total))
    return LineChart(
        tuple(series),
        width,
        height,
        maximum,
        str(trend[0]["day"]) if trend else "",
        str(trend[-1]["day"]) if trend else "",
    )
