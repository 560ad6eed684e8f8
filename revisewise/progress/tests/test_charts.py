from __future__ import annotations

from datetime import date, timedelta

import pytest

from revisewise.progress.charts import (
    AXIS_HEIGHT,
    CHART_HEIGHT,
    CHART_WIDTH,
    TOP_PADDING,
    daily_bar_chart,
    mastery_bar_chart,
)

START = date(2026, 3, 1)


def _series(counts: list[int]) -> list[tuple[date, int]]:
    return [(START + timedelta(days=offset), count) for offset, count in enumerate(counts)]


def test_it_makes_bar_heights_proportional_to_the_counts():
    chart = daily_bar_chart(_series([0, 5, 10, 2]), title="Reviews", description="Per day")

    plot = CHART_HEIGHT - AXIS_HEIGHT - TOP_PADDING
    assert [bar.height for bar in chart.bars] == [0.0, plot / 2, plot, plot / 5]
    # Bars stand on the axis: top plus height is the baseline.
    assert all(bar.y + bar.height == pytest.approx(chart.baseline) for bar in chart.bars)
    assert chart.maximum == 10


def test_it_spreads_the_days_evenly_across_the_width():
    chart = daily_bar_chart(_series([1] * 30), title="Reviews", description="Per day")

    xs = [bar.x for bar in chart.bars]
    assert xs[0] == pytest.approx(1.0)
    assert xs[-1] + chart.bars[-1].width <= CHART_WIDTH
    labels = [label.text for label in chart.labels]
    assert labels == ["2 Mar", "9 Mar", "16 Mar", "23 Mar", "30 Mar"]
    # The newest day is labelled at the right edge, where it cannot be cut off.
    assert (chart.labels[-1].x, chart.labels[-1].anchor) == (CHART_WIDTH, "end")
    assert chart.labels[0].anchor == "start"


def test_it_draws_no_bars_above_the_axis_when_every_count_is_zero():
    chart = daily_bar_chart(_series([0, 0, 0]), title="Reviews", description="Per day")

    assert chart.is_empty
    assert [bar.height for bar in chart.bars] == [0.0, 0.0, 0.0]


def test_it_handles_an_empty_series():
    chart = daily_bar_chart([], title="Reviews", description="Per day")

    assert chart.bars == ()
    assert chart.is_empty
    assert chart.view_box == f"0 0 {CHART_WIDTH} {CHART_HEIGHT}"


def test_it_makes_mastery_bars_proportional_and_full_width_at_one():
    chart = mastery_bar_chart(
        [("Explain HEAT", 1.0), ("Name the acts", 0.25), ("Never tried", 0.0)],
        title="Mastery",
        description="By objective",
    )

    widths = [bar.width for bar in chart.bars]
    assert widths == [chart.bar_area, chart.bar_area / 4, 0.0]
    assert [bar.value_text for bar in chart.bars] == ["100%", "25%", "0%"]
    assert [label.text for label in chart.labels] == ["1", "2", "3"]
    assert chart.height == 3 * 22


def test_it_clamps_mastery_to_between_nought_and_one():
    chart = mastery_bar_chart([("Over", 1.3), ("Under", -0.2)], title="M", description="D")

    assert [bar.value for bar in chart.bars] == [1.0, 0.0]


def test_it_gives_an_empty_mastery_chart_one_rows_height():
    chart = mastery_bar_chart([], title="Mastery", description="By objective")

    assert chart.bars == ()
    assert chart.height > 0
