from __future__ import annotations

from datetime import date, timedelta

import pytest

from revisewise.accounts.tests.factories import UserFactory
from revisewise.content.tests.factories import ContentItemFactory, UnitFactory
from revisewise.practice.models import ItemStatus
from revisewise.practice.tests.factories import ItemFactory
from revisewise.scheduling.selectors import (
    cards_list_due,
    due_forecast,
    mastery_get_for_learner,
    review_counts_by_day,
    study_plan_get_for_learner,
)
from revisewise.scheduling.services import card_review, exam_plan_set
from revisewise.scheduling.tests.factories import LOG_START

pytestmark = pytest.mark.django_db

LATER = LOG_START + timedelta(days=30)


def test_it_lists_only_the_learners_own_due_cards_most_overdue_first():
    learner, other = UserFactory.create(), UserFactory.create()
    first, second = ItemFactory.create_batch(2)
    card_review(learner=learner, item=second, rating=3, reviewed_at=LOG_START + timedelta(hours=1))
    card_review(learner=learner, item=first, rating=3, reviewed_at=LOG_START)
    card_review(learner=other, item=first, rating=3, reviewed_at=LOG_START)
    due = cards_list_due(learner=learner, now=LATER, limit=10)
    assert [card.item for card in due] == [first, second]
    assert {card.learner for card in due} == {learner}
    assert [card.item for card in cards_list_due(learner=other, now=LATER, limit=10)] == [first]


def test_it_leaves_out_cards_not_yet_due_and_retired_items():
    learner = UserFactory.create()
    kept, retired = ItemFactory.create_batch(2)
    for item in (kept, retired):
        card_review(learner=learner, item=item, rating=3, reviewed_at=LOG_START)
    retired.status = ItemStatus.RETIRED
    retired.save()
    assert cards_list_due(learner=learner, now=LOG_START + timedelta(minutes=1), limit=10) == []
    due = cards_list_due(learner=learner, now=LATER, limit=10)
    assert [card.item for card in due] == [kept]


def test_it_filters_due_cards_by_qualification_and_limit():
    learner = UserFactory.create()
    unit = UnitFactory.create()
    mine = ItemFactory.create_batch(3, unit=unit)
    elsewhere = ItemFactory.create()
    for item in [*mine, elsewhere]:
        card_review(learner=learner, item=item, rating=3, reviewed_at=LOG_START)
    due = cards_list_due(learner=learner, now=LATER, qualification=unit.qualification, limit=2)
    assert len(due) == 2
    assert all(card.item.qualification == unit.qualification for card in due)


def test_it_reports_mastery_with_unseen_items_as_zero():
    learner = UserFactory.create()
    unit = UnitFactory.create()
    objective = ContentItemFactory.create(unit=unit, kind="objective")
    practised, unseen = ItemFactory.create_batch(2, unit=unit, objective=objective)
    card_review(learner=learner, item=practised, rating=3, reviewed_at=LOG_START)
    report = mastery_get_for_learner(
        learner=learner, qualification=unit.qualification, now=LOG_START
    )
    assert report.by_objective[objective.pk].value == pytest.approx(0.5)
    assert report.by_unit[unit.pk].seen_items == 1
    other = mastery_get_for_learner(
        learner=UserFactory.create(), qualification=unit.qualification, now=LOG_START
    )
    assert other.by_unit[unit.pk].value == 0.0
    assert unseen.pk != practised.pk


def test_it_has_no_plan_without_an_exam_date():
    unit = UnitFactory.create()
    plan = study_plan_get_for_learner(
        learner=UserFactory.create(), qualification=unit.qualification, today=date(2026, 1, 5)
    )
    assert plan is None


def test_it_plans_every_visible_item_to_the_exam():
    learner = UserFactory.create()
    unit = UnitFactory.create()
    items = ItemFactory.create_batch(6, unit=unit)
    ItemFactory.create(unit=unit, status=ItemStatus.DRAFT)
    card_review(learner=learner, item=items[0], rating=3, reviewed_at=LOG_START)
    exam_plan_set(learner=learner, qualification=unit.qualification, exam_date=date(2026, 2, 2))
    plan = study_plan_get_for_learner(
        learner=learner, qualification=unit.qualification, today=date(2026, 1, 6)
    )
    assert plan is not None
    introduced = {key for day in plan.days for key in day.new_keys}
    assert introduced == {item.pk for item in items[1:]}
    assert items[0].pk in {key for day in plan.days for key in day.review_keys}
    assert plan.is_feasible


def test_it_counts_reviews_per_day_for_the_learner_only():
    learner = UserFactory.create()
    item = ItemFactory.create()
    for hours in (0, 1, 26):
        card_review(
            learner=learner, item=item, rating=3, reviewed_at=LOG_START + timedelta(hours=hours)
        )
    card_review(learner=UserFactory.create(), item=item, rating=3, reviewed_at=LOG_START)
    start = LOG_START.date() - timedelta(days=1)
    counts = review_counts_by_day(learner=learner, start=start, end=start + timedelta(days=3))
    assert [count for _, count in counts] == [0, 2, 1, 0]
    assert counts[0][0] == start


def test_it_forecasts_due_reviews_with_overdue_ones_today():
    learner = UserFactory.create()
    items = ItemFactory.create_batch(3)
    for item in items:
        for days in (0, 1):
            card_review(
                learner=learner, item=item, rating=3, reviewed_at=LOG_START + timedelta(days=days)
            )
    today = LOG_START.date() + timedelta(days=30)
    forecast = due_forecast(learner=learner, today=today, days=5)
    assert len(forecast) == 5
    assert forecast[0] == (today, 3)
    assert sum(count for _, count in forecast[1:]) == 0
    assert due_forecast(learner=UserFactory.create(), today=today, days=5)[0] == (today, 0)
