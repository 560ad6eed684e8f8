"""Server-rendered SVG charts as plain data: templates draw the shapes, tests check the numbers.

Pure functions, no ORM and no markup: each returns a frozen dataclass with every bar's
coordinates in the SVG's own units, plus the rows of the data table shown beside the chart so
screen-reader users (and anyone who prefers numbers) get the same information.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

CHART_WIDTH = 600
CHART_HEIGHT = 160
# Space under the bars for the day labels, and above them for the scale's top value.
AXIS_HEIGHT = 20
TOP_PADDING = 16
BAR_GAP = 2
ROW_HEIGHT = 22
LABEL_EVERY = 7
# Horizontal bars leave room for the row number on the left and the percentage on the right.
ROW_LABEL_WIDTH = 40
ROW_VALUE_WIDTH = 60


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    value_text: str
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class AxisLabel:
    text: str
    x: float
    y: float
    # SVG text-anchor: "start", "middle" or "end".
    anchor: str = "start"


@dataclass(frozen=True)
class Chart:
    """One chart: its accessible title and description, bars, axis labels and table rows."""

    title: str
    description: str
    width: int
    height: int
    bars: tuple[Bar, ...]
    labels: tuple[AxisLabel, ...]
    maximum: float

    @property
    def is_empty(self) -> bool:
        return not any(bar.value for bar in self.bars)

    @property
    def baseline(self) -> int:
        """Return the y of the axis under vertical bars."""
        return self.height - AXIS_HEIGHT

    @property
    def top(self) -> int:
        """Return the y a bar of the maximum value reaches."""
        return TOP_PADDING

    @property
    def bar_area(self) -> int:
        """Return the width of a horizontal bar at 100 %."""
        return self.width - ROW_LABEL_WIDTH - ROW_VALUE_WIDTH

    @property
    def value_x(self) -> int:
        """Return where a horizontal bar's value text starts."""
        return self.width - ROW_VALUE_WIDTH + 6

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def day_label(day: date) -> str:
    """Return a short British date, for example '3 Mar'."""
    return f"{day.day} {day:%b}"


def daily_bar_chart(series: Sequence[tuple[date, int]], *, title: str, description: str) -> Chart:
    """Return vertical bars, one per day, heights proportional to the counts.

    The tallest bar fills the plot area; with no counts at all every bar has height 0.
    Every LABEL_EVERY-th day counting back from the last carries an axis label, so the newest
    day is always labelled; the last label ends at the right edge so it is never cut off.
    """
    baseline = CHART_HEIGHT - AXIS_HEIGHT
    plot_height = baseline - TOP_PADDING
    maximum = max((count for _, count in series), default=0)
    slot = CHART_WIDTH / len(series) if series else CHART_WIDTH
    bars = []
    labels = []
    for position, (day, count) in enumerate(series):
        height = plot_height * count / maximum if maximum else 0.0
        x = position * slot
        bars.append(
            Bar(
                label=day_label(day),
                value=count,
                value_text=str(count),
                x=round(x + BAR_GAP / 2, 2),
                y=round(baseline - height, 2),
                width=round(max(slot - BAR_GAP, 1.0), 2),
                height=round(height, 2),
            )
        )
        if (len(series) - 1 - position) % LABEL_EVERY == 0:
            labels.append(_day_axis_label(day, x + slot / 2, is_last=position == len(series) - 1))
    return Chart(
        title=title,
        description=description,
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        bars=tuple(bars),
        labels=tuple(labels),
        maximum=maximum,
    )


def _day_axis_label(day: date, centre: float, *, is_last: bool) -> AxisLabel:
    y = CHART_HEIGHT - 5
    if is_last:
        return AxisLabel(text=day_label(day), x=CHART_WIDTH, y=y, anchor="end")
    if centre < ROW_LABEL_WIDTH:
        return AxisLabel(text=day_label(day), x=0.0, y=y, anchor="start")
    return AxisLabel(text=day_label(day), x=round(centre, 2), y=y, anchor="middle")


def mastery_bar_chart(rows: Sequence[tuple[str, float]], *, title: str, description: str) -> Chart:
    """Return horizontal bars, one per row, lengths proportional to mastery (0 to 1).

    The full bar area is 100 % mastery, so bars compare across charts; values are clamped to
    0-1. Rows are numbered in the SVG (names are long); the table beside it names them.
    """
    bar_area = CHART_WIDTH - ROW_LABEL_WIDTH - ROW_VALUE_WIDTH
    bars = []
    labels = []
    for position, (label, value) in enumerate(rows):
        clamped = min(max(value, 0.0), 1.0)
        bars.append(
            Bar(
                label=label,
                value=clamped,
                value_text=f"{round(clamped * 100)}%",
                x=float(ROW_LABEL_WIDTH),
                y=float(position * ROW_HEIGHT + BAR_GAP),
                width=round(bar_area * clamped, 2),
                height=float(ROW_HEIGHT - 2 * BAR_GAP),
            )
        )
        labels.append(AxisLabel(text=str(position + 1), x=0.0, y=(position + 1) * ROW_HEIGHT - 6))
    return Chart(
        title=title,
        description=description,
        width=CHART_WIDTH,
        height=max(len(rows), 1) * ROW_HEIGHT,
        bars=tuple(bars),
        labels=tuple(labels),
        maximum=1.0,
    )
