from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from revisewise.accounts.tests.factories import UserFactory
from revisewise.practice.tests.factories import ItemFactory
from revisewise.scheduling.memory import DEFAULT_PARAMETERS
from revisewise.scheduling.models import LearnerSchedulerParameters
from revisewise.scheduling.selectors import (
    scheduler_get_for_learner,
    scheduler_parameters_get_for_learner,
)
from revisewise.scheduling.services import (
    OPTIMISATION_MIN_REVIEWS,
    scheduler_optimise_for_learner,
)
from revisewise.scheduling.tasks import scheduler_optimise_for_learner_task
from revisewise.scheduling.tests.factories import review_history

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 9, tzinfo=UTC)


def _fitted(values: list[float]) -> list[float]:
    fitted = list(DEFAULT_PARAMETERS)
    fitted[:3] = values
    return fitted


def test_it_does_not_optimise_below_the_threshold():
    learner = UserFactory.create()
    items = ItemFactory.create_batch(3)
    review_history(learner=learner, items=items, reviews_per_item=5)
    assert scheduler_optimise_for_learner(learner=learner, now=NOW) is None
    assert not LearnerSchedulerParameters.objects.exists()


def test_it_records_the_parameters_with_date_and_review_count():
    learner = UserFactory.create()
    items = ItemFactory.create_batch(OPTIMISATION_MIN_REVIEWS // 10)
    count = review_history(learner=learner, items=items, reviews_per_item=10)
    assert count == OPTIMISATION_MIN_REVIEWS
    row = scheduler_optimise_for_learner(learner=learner, now=NOW)
    assert row is not None
    assert (row.review_count, row.optimised_at) == (OPTIMISATION_MIN_REVIEWS, NOW)
    assert len(row.parameters) == 21
    assert row.fsrs_version.startswith("6.")
    # Without new reviews a second run (say the task retried) stores nothing new.
    again = scheduler_optimise_for_learner_task.enqueue(learner_id=learner.pk)
    assert again.return_value == row.pk
    assert LearnerSchedulerParameters.objects.count() == 1


def test_it_uses_the_newest_parameters():
    learner = UserFactory.create()
    for day, values in ((1, [0.3, 1.1, 2.0]), (2, [0.5, 1.5, 3.5])):
        LearnerSchedulerParameters.objects.create(
            learner=learner,
            parameters=_fitted(values),
            review_count=500,
            optimised_at=datetime(2026, 5, day, tzinfo=UTC),
            fsrs_version="6.3.0",
        )
    assert scheduler_parameters_get_for_learner(learner=learner)[:3] == [0.5, 1.5, 3.5]
    assert scheduler_get_for_learner(learner=learner).parameters[:3] == (0.5, 1.5, 3.5)
    assert scheduler_get_for_learner(learner=UserFactory.create()).parameters == DEFAULT_PARAMETERS


def test_it_refuses_to_update_stored_parameters():
    row = LearnerSchedulerParameters.objects.create(
        learner=UserFactory.create(),
        parameters=list(DEFAULT_PARAMETERS),
        review_count=500,
        optimised_at=NOW,
        fsrs_version="6.3.0",
    )
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        LearnerSchedulerParameters.objects.filter(pk=row.pk).update(review_count=1)


def test_it_lists_only_learners_over_the_threshold_in_a_dry_run():
    ready, starting = UserFactory.create(), UserFactory.create()
    review_history(
        learner=ready,
        items=ItemFactory.create_batch(OPTIMISATION_MIN_REVIEWS // 10),
        reviews_per_item=10,
    )
    review_history(learner=starting, items=ItemFactory.create_batch(2), reviews_per_item=3)
    out = StringIO()
    call_command("optimise_schedulers", dry_run=True, stdout=out)
    text = out.getvalue()
    assert f"would optimise {ready.email}" in text
    assert starting.email not in text
    assert not LearnerSchedulerParameters.objects.exists()


def test_it_queues_a_fit_when_a_learner_reaches_the_threshold(
    django_capture_on_commit_callbacks,
):
    learner = UserFactory.create()
    items = ItemFactory.create_batch(OPTIMISATION_MIN_REVIEWS // 10)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        review_history(learner=learner, items=items, reviews_per_item=10)
    # One fit at the 400th review, none before it.
    assert len(callbacks) == 1
    row = LearnerSchedulerParameters.objects.get()
    assert row.review_count == OPTIMISATION_MIN_REVIEWS
