from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Scheduler

from revisewise.scheduling.memory import (
    Card,
    QuizResult,
    Rating,
    State,
    elapsed_days,
    rating_for_result,
    scheduler_for,
    validate_desired_retention,
)

NOON = datetime(2026, 3, 2, 12, tzinfo=UTC)


def test_it_rates_a_wrong_answer_again():
    result = QuizResult(item_type="mcq_single", is_correct=False, duration_ms=3_000)
    assert rating_for_result(result) == Rating.Again


def test_it_rates_a_right_answer_at_a_typical_pace_good():
    result = QuizResult(item_type="mcq_single", is_correct=True, duration_ms=12_000)
    assert rating_for_result(result) == Rating.Good


def test_it_rates_a_right_answer_without_a_time_good():
    assert rating_for_result(QuizResult(item_type="cloze", is_correct=True)) == Rating.Good


def test_it_rates_a_fast_right_answer_easy():
    result = QuizResult(item_type="mcq_single", is_correct=True, duration_ms=4_000)
    assert rating_for_result(result) == Rating.Easy


def test_it_rates_a_slow_right_answer_hard():
    result = QuizResult(item_type="mcq_single", is_correct=True, duration_ms=60_000)
    assert rating_for_result(result) == Rating.Hard


def test_it_judges_speed_by_the_item_types_typical_time():
    # 30 seconds is slow for true/false but quick for a written answer.
    assert rating_for_result(QuizResult("true_false", True, 30_000)) == Rating.Hard
    assert rating_for_result(QuizResult("written", True, 30_000)) == Rating.Easy


@pytest.mark.parametrize(
    ("fraction", "expected"),
    [(0.0, Rating.Again), (0.4, Rating.Again), (0.5, Rating.Hard), (0.75, Rating.Hard)],
)
def test_it_rates_partial_marks_hard_or_again(fraction, expected):
    result = QuizResult("written", is_correct=False, duration_ms=100_000, score_fraction=fraction)
    assert rating_for_result(result) == expected


def test_it_rates_full_marks_on_pace():
    result = QuizResult("written", is_correct=True, duration_ms=150_000, score_fraction=1.0)
    assert rating_for_result(result) == Rating.Good


@pytest.mark.parametrize("self_rating", [1, 2, 3, 4])
def test_it_maps_flashcard_self_ratings_directly(self_rating):
    result = QuizResult("flashcard", is_correct=True, duration_ms=1_000, self_rating=self_rating)
    assert rating_for_result(result) == Rating(self_rating)


def test_it_counts_twelve_hours_as_half_a_day():
    assert elapsed_days(since=NOON, now=NOON + timedelta(hours=12)) == pytest.approx(0.5)


def test_it_predicts_forgetting_within_the_first_day():
    scheduler = scheduler_for()
    card, _ = scheduler.review_card(Card(card_id=1), Rating.Good, NOON)
    card, _ = scheduler.review_card(card, Rating.Good, NOON + timedelta(minutes=10))
    later = NOON + timedelta(minutes=10, hours=12)
    assert card.last_review == NOON + timedelta(minutes=10)
    assert elapsed_days(since=card.last_review, now=later) == pytest.approx(0.5)
    assert 0.9 < scheduler.get_card_retrievability(card, later) < 1.0
    # Whole-day rounding (the fsrs package's own method) says no time passed: certain recall.
    assert Scheduler().get_card_retrievability(card, later) == 1.0


def test_it_forgets_more_the_longer_it_waits():
    scheduler = scheduler_for()
    card, _ = scheduler.review_card(Card(card_id=1), Rating.Good, NOON)
    recalls = [
        scheduler.get_card_retrievability(card, NOON + timedelta(hours=hours))
        for hours in (6, 12, 18, 24)
    ]
    assert recalls == sorted(recalls, reverse=True)
    assert len(set(recalls)) == 4


def test_it_schedules_a_higher_desired_retention_sooner():
    cards = []
    for retention in (0.8, 0.95):
        scheduler = scheduler_for(desired_retention=retention)
        card, _ = scheduler.review_card(
            Card(card_id=1, state=State.Review, stability=10.0, difficulty=5.0, last_review=NOON),
            Rating.Good,
            NOON + timedelta(days=10),
        )
        cards.append(card)
    assert cards[1].due < cards[0].due


@pytest.mark.parametrize("retention", [0.69, 0.98, 1.0])
def test_it_rejects_a_desired_retention_out_of_bounds(retention):
    with pytest.raises(ValueError, match=r"between 0\.7 and 0\.97"):
        validate_desired_retention(retention)


def test_it_is_deterministic_without_fuzz():
    dues = set()
    for _ in range(5):
        scheduler = scheduler_for()
        card = Card(card_id=1, state=State.Review, stability=30.0, difficulty=5.0, last_review=NOON)
        card, _ = scheduler.review_card(card, Rating.Good, NOON + timedelta(days=30))
        dues.add(card.due)
    assert len(dues) == 1


def test_it_knows_a_typical_time_for_every_practice_item_type():
    from revisewise.practice.models import ItemType
    from revisewise.scheduling.memory import TYPICAL_RESPONSE_MS

    assert set(ItemType.values) <= set(TYPICAL_RESPONSE_MS)
