from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from revisewise.accounts.tests.factories import UserFactory
from revisewise.practice.models import ItemType
from revisewise.practice.tests.factories import ItemFactory
from revisewise.scheduling.models import Card, CardState, ReviewLog, ReviewSource
from revisewise.scheduling.services import (
    card_rebuild,
    card_review,
    card_review_answer,
    learner_settings_update,
)
from revisewise.scheduling.tests.factories import LOG_START, card_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner():
    return UserFactory.create()


@pytest.fixture
def item():
    return ItemFactory.create()


def test_it_creates_the_card_on_the_first_review(learner, item):
    log = card_review(learner=learner, item=item, rating=3, reviewed_at=LOG_START)
    card = Card.objects.get(learner=learner, item=item)
    assert log.card == card
    assert (log.elapsed_days, log.retrievability_before) == (None, None)
    assert card.review_count == 1
    assert card.last_review == LOG_START
    assert card.state == CardState.LEARNING
    assert card.due == LOG_START + timedelta(minutes=10)


def test_it_records_fractional_days_and_the_prediction_before_the_review(learner, item):
    card_review(learner=learner, item=item, rating=4, reviewed_at=LOG_START)
    log = card_review(
        learner=learner, item=item, rating=3, reviewed_at=LOG_START + timedelta(hours=12)
    )
    assert log.elapsed_days == pytest.approx(0.5)
    assert log.retrievability_before is not None
    assert 0.5 < log.retrievability_before < 1.0
    assert Card.objects.get().review_count == 2


def test_it_keeps_one_card_per_learner_and_item(learner, item):
    for hours in (0, 1, 30):
        card_review(
            learner=learner, item=item, rating=3, reviewed_at=LOG_START + timedelta(hours=hours)
        )
    card_review(learner=UserFactory.create(), item=item, rating=3, reviewed_at=LOG_START)
    assert Card.objects.filter(item=item).count() == 2
    assert ReviewLog.objects.filter(card__learner=learner).count() == 3


def test_it_refuses_a_review_older_than_the_last_one(learner, item):
    card_review(learner=learner, item=item, rating=3, reviewed_at=LOG_START)
    with pytest.raises(ValueError, match="earlier than"):
        card_review(
            learner=learner, item=item, rating=3, reviewed_at=LOG_START - timedelta(hours=1)
        )
    assert ReviewLog.objects.count() == 1


def test_it_refuses_a_naive_review_time(learner, item):
    with pytest.raises(ValueError, match="timezone-aware"):
        card_review(
            learner=learner,
            item=item,
            rating=3,
            reviewed_at=datetime.fromisoformat("2026-01-01T09:00"),
        )


def test_it_stores_times_from_any_zone_as_the_same_instant(learner, item):
    london = LOG_START.astimezone(ZoneInfo("Europe/London"))
    card_review(learner=learner, item=item, rating=3, reviewed_at=london)
    assert Card.objects.get().last_review == LOG_START


def test_it_refuses_to_update_a_review_log_in_the_database(learner, item):
    log = card_review(learner=learner, item=item, rating=1, reviewed_at=LOG_START)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        ReviewLog.objects.filter(pk=log.pk).update(rating=4)
    log.rating = 4
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        log.save()
    assert ReviewLog.objects.get(pk=log.pk).rating == 1


def test_it_refuses_an_unknown_rating_in_the_database(learner, item):
    card_review(learner=learner, item=item, rating=3, reviewed_at=LOG_START)
    card = Card.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewLog.objects.create(
            card=card, rating=5, reviewed_at=LOG_START, source=ReviewSource.PRACTICE
        )


def test_it_rebuilds_the_same_state_from_the_logs(learner, item):
    ratings = [3, 3, 1, 3, 2, 4, 3, 1, 3]
    at = LOG_START
    for step, rating in enumerate(ratings):
        card_review(learner=learner, item=item, rating=rating, reviewed_at=at)
        at += timedelta(hours=7 + 20 * step)
    card = Card.objects.get()
    before = card_state(card)
    Card.objects.filter(pk=card.pk).update(stability=99.0, difficulty=9.0, review_count=5)
    rebuilt = card_rebuild(card=card)
    assert card_state(rebuilt) == before
    assert before["lapse_count"] == 2


def test_it_schedules_sooner_for_a_higher_desired_retention(item):
    dues = []
    for retention in (0.8, 0.95):
        learner = UserFactory.create()
        learner_settings_update(learner=learner, desired_retention=retention)
        for days in (0, 1, 4):
            card_review(
                learner=learner, item=item, rating=3, reviewed_at=LOG_START + timedelta(days=days)
            )
        dues.append(Card.objects.get(learner=learner).due)
    assert dues[1] < dues[0]


def test_it_refuses_a_desired_retention_out_of_bounds(learner):
    with pytest.raises(ValueError, match="between"):
        learner_settings_update(learner=learner, desired_retention=0.99)


def test_it_rates_a_quiz_answer_from_correctness_and_pace(learner):
    item = ItemFactory.create(item_type=ItemType.TRUE_FALSE)
    wrong = card_review_answer(
        learner=learner, item=item, is_correct=False, duration_ms=2_000, reviewed_at=LOG_START
    )
    fast = card_review_answer(
        learner=learner,
        item=item,
        is_correct=True,
        duration_ms=2_000,
        reviewed_at=LOG_START + timedelta(days=1),
    )
    slow = card_review_answer(
        learner=learner,
        item=item,
        is_correct=True,
        duration_ms=60_000,
        reviewed_at=LOG_START + timedelta(days=2),
    )
    assert [wrong.rating, fast.rating, slow.rating] == [1, 4, 2]
    assert fast.duration_ms == 2_000
