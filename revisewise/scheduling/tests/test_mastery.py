from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from revisewise.scheduling.mastery import (
    ItemMemory,
    item_confidence,
    item_mastery,
    mastery_aggregate,
    mastery_report,
)

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)


def _seen(key, *, objective="lo1", unit="u1", days_ago=1.0, stability=10.0, reviews=2):
    return ItemMemory(
        item_key=key,
        unit_key=unit,
        qualification_key="q1",
        objective_key=objective,
        stability=stability,
        last_review=NOW - timedelta(days=days_ago),
        review_count=reviews,
    )


def test_it_counts_an_unseen_item_as_zero():
    memory = ItemMemory(item_key=1, unit_key="u1", qualification_key="q1")
    assert item_mastery(memory, now=NOW) == 0.0


def test_it_gives_a_just_reviewed_item_full_mastery():
    assert item_mastery(_seen(1, days_ago=0.0), now=NOW) == pytest.approx(1.0)


def test_it_lets_mastery_decay_with_time():
    assert item_mastery(_seen(1, days_ago=10.0), now=NOW) == pytest.approx(0.9)
    assert item_mastery(_seen(1, days_ago=30.0), now=NOW) < 0.9


def test_it_averages_over_all_items_including_unseen_ones():
    memories = [_seen(1, days_ago=0.0), ItemMemory(2, "u1", "q1", objective_key="lo1")]
    mastery = mastery_aggregate(memories, now=NOW)
    assert mastery.value == pytest.approx(0.5)
    assert (mastery.items, mastery.seen_items, mastery.reviews) == (2, 1, 2)


def test_it_grows_confidence_with_evidence():
    assert [item_confidence(n) for n in (0, 1, 2, 3)] == [0.0, 0.5, 0.75, 0.875]


def test_it_reports_an_empty_group_as_no_mastery():
    mastery = mastery_aggregate([], now=NOW)
    assert (mastery.value, mastery.confidence, mastery.items) == (0.0, 0.0, 0)


def test_it_reports_per_objective_unit_and_qualification():
    memories = [
        _seen(1, objective="lo1", unit="u1", days_ago=0.0),
        _seen(2, objective="lo2", unit="u1", days_ago=0.0),
        ItemMemory(3, "u1", "q1", objective_key="lo2"),
        ItemMemory(4, "u2", "q1"),
    ]
    report = mastery_report(memories, now=NOW)
    assert report.by_objective["lo1"].value == pytest.approx(1.0)
    assert report.by_objective["lo2"].value == pytest.approx(0.5)
    assert report.by_unit["u1"].value == pytest.approx(2 / 3)
    assert report.by_unit["u2"].value == 0.0
    assert report.by_qualification["q1"].value == pytest.approx(0.5)
    assert set(report.by_objective) == {"lo1", "lo2"}
