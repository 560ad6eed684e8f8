"""A corrected review is superseded, not deleted, and every reader of reviews skips it."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from revisewise.accounts.tests.factories import UserFactory
from revisewise.practice.tests.factories import ItemFactory
from revisewise.scheduling.models import Card, ReviewLog, ReviewRating
from revisewise.scheduling.selectors import (
    review_counts_by_day,
    scheduling_data_export_for_learner,
)
from revisewise.scheduling.services import (
    OPTIMISATION_MIN_REVIEWS,
    ReviewLogSuperseded,
    card_rebuild,
    card_review,
    review_log_supersede,
    scheduler_optimise_for_learner,
    scheduling_data_erase,
)
from revisewise.scheduling.tests.factories import LOG_START, card_state, review_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner():
    return UserFactory.create()


@pytest.fixture
def item():
    return ItemFactory.create()


@pytest.fixture
def reviewed(learner, item):
    """Three reviews of one card, days apart; the middle one was Again."""
    logs = [
        card_review(learner=learner, item=item, rating=rating, reviewed_at=LOG_START + delay)
        for rating, delay in (
            (ReviewRating.GOOD, timedelta(0)),
            (ReviewRating.AGAIN, timedelta(days=2)),
            (ReviewRating.GOOD, timedelta(days=3)),
        )
    ]
    return logs


def test_superseding_keeps_the_old_review_and_links_it_to_the_correction(reviewed):
    middle = reviewed[1]

    correction = review_log_supersede(log=middle, rating=ReviewRating.GOOD)

    middle.refresh_from_db()
    assert middle.superseded_by == correction
    assert middle.rating == ReviewRating.AGAIN
    assert correction.superseded_by is None
    assert correction.supersedes == middle
    assert (
        correction.card_id,
        correction.reviewed_at,
        correction.duration_ms,
        correction.elapsed_days,
        correction.retrievability_before,
        correction.source,
    ) == (
        middle.card_id,
        middle.reviewed_at,
        middle.duration_ms,
        middle.elapsed_days,
        middle.retrievability_before,
        middle.source,
    )
    assert ReviewLog.objects.count() == 4
    assert list(ReviewLog.objects.current().values_list("rating", flat=True)) == [3, 3, 3]


def test_the_corrected_card_equals_one_reviewed_with_the_corrected_ratings(reviewed, item):
    before = Card.objects.get(pk=reviewed[0].card_id)

    review_log_supersede(log=reviewed[1], rating=ReviewRating.GOOD)

    corrected = Card.objects.get(pk=before.pk)
    # Another learner who rated the same reviews Good, Good, Good at the same times.
    other = UserFactory.create()
    for log in ReviewLog.objects.current().filter(card=corrected):
        card_review(learner=other, item=item, rating=log.rating, reviewed_at=log.reviewed_at)
    assert card_state(corrected) == card_state(Card.objects.get(learner=other))
    assert corrected.review_count == 3
    assert corrected.lapse_count == 0
    assert corrected.due > before.due
    # Rebuilding again replays the same current reviews: nothing moves.
    assert card_state(card_rebuild(card=corrected)) == card_state(corrected)


def test_a_superseded_review_cannot_be_superseded_again(reviewed):
    review_log_supersede(log=reviewed[1], rating=ReviewRating.GOOD)
    card = Card.objects.get(pk=reviewed[1].card_id)

    with pytest.raises(ReviewLogSuperseded):
        review_log_supersede(log=reviewed[1], rating=ReviewRating.HARD)

    assert ReviewLog.objects.count() == 4
    assert card_state(Card.objects.get(pk=card.pk)) == card_state(card)


def test_a_correction_can_itself_be_superseded(reviewed):
    first = review_log_supersede(log=reviewed[1], rating=ReviewRating.GOOD)

    second = review_log_supersede(log=first, rating=ReviewRating.HARD)

    first.refresh_from_db()
    assert first.superseded_by == second
    assert ReviewLog.objects.current().get(reviewed_at=reviewed[1].reviewed_at) == second
    assert Card.objects.get(pk=second.card_id).review_count == 3


def test_the_database_allows_setting_superseded_by_once_from_null(reviewed):
    old, other = reviewed[1], reviewed[2]
    # Through the ORM rather than the service: the trigger is what is tested.
    assert ReviewLog.objects.filter(pk=old.pk).update(superseded_by=other) == 1
    assert ReviewLog.objects.get(pk=old.pk).superseded_by_id == other.pk


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"superseded_by": None}, id="cleared"),
        pytest.param({"superseded_by": "first"}, id="moved"),
        pytest.param({"rating": ReviewRating.EASY}, id="another column"),
    ],
)
def test_the_database_refuses_any_other_update_of_a_superseded_review(reviewed, change):
    old, other = reviewed[1], reviewed[2]
    ReviewLog.objects.filter(pk=old.pk).update(superseded_by=other)
    values = {k: reviewed[0] if v == "first" else v for k, v in change.items()}

    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        ReviewLog.objects.filter(pk=old.pk).update(**values)

    stored = ReviewLog.objects.get(pk=old.pk)
    assert (stored.superseded_by_id, stored.rating) == (other.pk, ReviewRating.AGAIN)


def test_the_database_refuses_changing_a_column_with_the_supersession(reviewed):
    old, other = reviewed[1], reviewed[2]

    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        ReviewLog.objects.filter(pk=old.pk).update(superseded_by=other, rating=ReviewRating.GOOD)
    old.superseded_by, old.rating = other, ReviewRating.GOOD
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        old.save()

    assert ReviewLog.objects.get(pk=old.pk).superseded_by_id is None


def test_the_database_refuses_a_supersession_by_another_cards_review(reviewed, learner):
    elsewhere = card_review(
        learner=learner, item=ItemFactory.create(), rating=3, reviewed_at=LOG_START
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewLog.objects.filter(pk=reviewed[1].pk).update(superseded_by=elsewhere)

    assert ReviewLog.objects.get(pk=reviewed[1].pk).superseded_by_id is None


def test_the_database_refuses_a_review_superseding_itself(reviewed):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewLog.objects.filter(pk=reviewed[1].pk).update(superseded_by=reviewed[1])


def test_reviews_per_day_count_a_corrected_review_once(reviewed, learner):
    review_log_supersede(log=reviewed[1], rating=ReviewRating.GOOD)

    counts = review_counts_by_day(
        learner=learner, start=LOG_START.date(), end=LOG_START.date() + timedelta(days=3)
    )

    assert [count for _, count in counts] == [1, 0, 1, 1]


def test_the_export_keeps_both_reviews_and_the_link(reviewed, learner):
    correction = review_log_supersede(log=reviewed[1], rating=ReviewRating.GOOD)

    reviews = scheduling_data_export_for_learner(learner=learner)["reviews"]

    assert len(reviews) == 4
    by_id = {review["id"]: review for review in reviews}
    assert by_id[reviewed[1].pk]["superseded_by"] == correction.pk
    assert by_id[reviewed[1].pk]["rating"] == "Again"
    assert by_id[correction.pk]["superseded_by"] is None
    assert by_id[correction.pk]["rating"] == "Good"


def test_erasure_deletes_superseded_reviews_too(reviewed, learner):
    first = review_log_supersede(log=reviewed[1], rating=ReviewRating.GOOD)
    review_log_supersede(log=first, rating=ReviewRating.HARD)

    scheduling_data_erase(learner=learner)

    assert not ReviewLog.objects.exists()
    assert not Card.objects.filter(learner=learner).exists()


def test_fitting_counts_only_current_reviews(learner):
    review_history(
        learner=learner,
        items=ItemFactory.create_batch(OPTIMISATION_MIN_REVIEWS // 10),
        reviews_per_item=10,
    )
    # One correction: 401 rows, 400 current reviews, so still enough to fit.
    review_log_supersede(log=ReviewLog.objects.earliest("reviewed_at"), rating=ReviewRating.EASY)
    out = StringIO()
    call_command("optimise_schedulers", dry_run=True, stdout=out)
    assert f"{OPTIMISATION_MIN_REVIEWS} reviews" in out.getvalue()


def test_below_the_threshold_a_superseded_review_does_not_count(learner):
    review_history(
        learner=learner,
        items=ItemFactory.create_batch(OPTIMISATION_MIN_REVIEWS // 10),
        reviews_per_item=10,
    )
    # 399 current reviews and one superseded: 400 rows, but below the threshold.
    ReviewLog.objects.latest("reviewed_at", "pk").delete()
    review_log_supersede(log=ReviewLog.objects.earliest("reviewed_at"), rating=ReviewRating.EASY)
    assert ReviewLog.objects.count() == OPTIMISATION_MIN_REVIEWS
    assert ReviewLog.objects.current().count() == OPTIMISATION_MIN_REVIEWS - 1

    assert scheduler_optimise_for_learner(learner=learner) is None
    out = StringIO()
    call_command("optimise_schedulers", dry_run=True, stdout=out)
    assert learner.email not in out.getvalue()
