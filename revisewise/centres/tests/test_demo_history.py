from __future__ import annotations

import pytest
import time_machine

from revisewise.accounts.models import Cohort
from revisewise.accounts.services import accounts_seed_demo_centre
from revisewise.accounts.tests.factories import UserFactory
from revisewise.centres.models import Assignment
from revisewise.centres.selectors import assignment_list_for_cohort, cohort_heatmap
from revisewise.centres.services import centres_seed_demo_history
from revisewise.centres.tests.conftest import NOW
from revisewise.content.models import ItemKind
from revisewise.content.tests.factories import ContentItemFactory
from revisewise.practice.models import Attempt, ItemType, PracticeSession
from revisewise.practice.tests.factories import ItemFactory
from revisewise.scheduling.models import Card, ExamPlan, ReviewLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_cohort(unit) -> Cohort:
    objectives = [
        ContentItemFactory.create(unit=unit, kind=ItemKind.OBJECTIVE, position=n) for n in range(4)
    ]
    for n in range(64):
        kind = ItemType.TRUE_FALSE if n % 2 else ItemType.MCQ_SINGLE
        payload = {"answer": n % 3 == 0} if kind == ItemType.TRUE_FALSE else {}
        ItemFactory.create(
            unit=unit,
            objective=objectives[n % 4],
            item_type=kind,
            **({"payload": payload} if payload else {}),
        )
    ItemFactory.create(
        unit=unit,
        item_type=ItemType.WRITTEN,
        payload={"marking_points": ["A point."], "model_answer": "A point."},
    )
    UserFactory.create(email="learner@demo.revisewise.test")
    accounts_seed_demo_centre(tutor_password="x" * 12, learner_password="y" * 12)
    return Cohort.objects.get(centre__slug="demo-training")


def _history():
    return list(
        Attempt.objects.order_by("learner__email", "session__started_at", "position").values_list(
            "learner__email", "item_id", "is_correct", "graded_at"
        )
    )


# The clock ticks, so answers stored before an assignment was set are older than it.
@time_machine.travel(NOW, tick=True)
def test_it_gives_the_demo_learners_varied_history_once_through_the_real_services(demo_cohort):
    result = centres_seed_demo_history(now=NOW)

    assert result.learners == 5
    assert result.assignments == 2
    assert result.attempts == Attempt.objects.count() - 5
    assert ReviewLog.objects.count() == Attempt.objects.filter(graded_at__isnull=False).count()
    assert not Attempt.objects.filter(item__item_type=ItemType.WRITTEN).exists()
    assert Card.objects.filter(last_review__isnull=False).count() > 50
    assert ExamPlan.objects.count() == 2
    rows = {
        row.learner.email.split("@")[0]: row
        for row in cohort_heatmap(cohort=demo_cohort, now=NOW, inactive_days=7).rows
    }
    assert not rows["learner1"].is_behind
    assert not rows["learner1"].is_inactive
    assert rows["learner2"].is_behind
    assert rows["learner3"].is_inactive
    assert not rows["learner3"].is_behind
    last = rows["learner3"].last_activity
    assert last is not None
    assert (NOW - last).days >= 10
    assert rows["learner1"].overall > rows["learner4"].overall
    assert 0 < sum(1 for a in Attempt.objects.filter(is_correct=False)) < Attempt.objects.count()
    progress = {p.assignment.title: p for p in assignment_list_for_cohort(cohort=demo_cohort)}
    assert len(progress) == 2
    assert sum(p.done_by(rows["learner1"].learner) for p in progress.values()) == 5

    before = (Attempt.objects.count(), ReviewLog.objects.count(), Assignment.objects.count())
    again = centres_seed_demo_history(now=NOW)

    assert (again.learners, again.attempts, again.assignments) == (0, 0, 0)
    after = (Attempt.objects.count(), ReviewLog.objects.count(), Assignment.objects.count())
    assert after == before


@time_machine.travel(NOW, tick=False)
def test_it_builds_the_same_history_every_time(demo_cohort):
    centres_seed_demo_history(now=NOW)
    first = _history()
    Attempt.objects.all().delete()
    PracticeSession.objects.all().delete()
    Card.objects.all().delete()
    Assignment.objects.all().delete()

    centres_seed_demo_history(now=NOW)

    assert _history() == first


def test_it_does_nothing_without_a_demo_cohort(db):
    assert centres_seed_demo_history(now=NOW).learners == 0


@pytest.mark.parametrize("is_right", [True, False])
def test_demo_responses_are_graded_as_intended_for_every_question_type(db, is_right):
    from revisewise.centres.services import demo_response
    from revisewise.practice.tests.factories import items_of_every_type

    for kind, item in items_of_every_type().items():
        if kind == ItemType.WRITTEN:
            continue
        assert item.grade(demo_response(item, is_right=is_right)).is_correct is is_right, kind
