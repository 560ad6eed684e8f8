from __future__ import annotations

from datetime import UTC, datetime
from unittest import mock

import pytest

from revisewise.accounts.tests.factories import UserFactory
from revisewise.practice import services
from revisewise.practice.models import Attempt, Item, ItemType, SessionScope
from revisewise.practice.services import attempt_submit, practice_session_start
from revisewise.practice.tests.factories import items_of_every_type
from revisewise.scheduling.models import Card, ReviewLog, ReviewRating, ReviewSource

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LATER = datetime(2026, 3, 2, 9, 5, tzinfo=UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner():
    return UserFactory.create()


def _session_of(learner, *item_types):
    items = items_of_every_type()
    session = practice_session_start(
        learner=learner, scope=SessionScope.UNIT, unit=items[ItemType.CLOZE].unit, now=NOW
    )
    wanted = [str(items[item_type].uuid) for item_type in item_types]
    session.item_order = wanted
    session.save(update_fields=["item_order"])
    return session


def test_it_stores_grades_and_reviews_the_card_once(learner):
    session = _session_of(learner, ItemType.CLOZE)

    attempt = attempt_submit(
        learner=learner,
        session=session,
        position=0,
        response="consumer rights act 2015",
        client_token="t1",
        duration_ms=4000,
        now=LATER,
    )

    assert (attempt.is_correct, attempt.score, attempt.graded_at) == (True, 1.0, LATER)
    log = ReviewLog.objects.get()
    assert log.card.learner == learner
    assert log.card.item == attempt.item
    assert log.reviewed_at == LATER
    assert log.duration_ms == 4000
    assert log.rating in (ReviewRating.GOOD, ReviewRating.EASY)


def test_a_second_submit_returns_the_first_attempt_and_logs_nothing_new(learner):
    session = _session_of(learner, ItemType.TRUE_FALSE, ItemType.CLOZE)
    first = attempt_submit(
        learner=learner,
        session=session,
        position=0,
        response=False,
        client_token="t1",
        duration_ms=3000,
        now=LATER,
    )

    same_token = attempt_submit(
        learner=learner,
        session=session,
        position=0,
        response=True,
        client_token="t1",
        duration_ms=3000,
        now=LATER,
    )
    same_position = attempt_submit(
        learner=learner,
        session=session,
        position=0,
        response=True,
        client_token="t2",
        duration_ms=3000,
        now=LATER,
    )

    assert same_token.pk == same_position.pk == first.pk
    assert Attempt.objects.count() == 1
    assert Attempt.objects.get().response is False
    assert same_position.is_correct is True
    assert ReviewLog.objects.count() == 1


def test_the_answer_survives_a_grading_failure_and_is_graded_on_resubmit(learner):
    session = _session_of(learner, ItemType.CLOZE)
    with (
        mock.patch.object(Item, "grade", side_effect=RuntimeError("grader down")),
        pytest.raises(RuntimeError),
    ):
        attempt_submit(
            learner=learner,
            session=session,
            position=0,
            response="Consumer Rights Act",
            client_token="t1",
            duration_ms=None,
            now=LATER,
        )
    stored = Attempt.objects.get()
    assert stored.response == "Consumer Rights Act"
    assert stored.graded_at is None
    assert ReviewLog.objects.count() == 0

    retried = attempt_submit(
        learner=learner,
        session=session,
        position=0,
        response="Consumer Rights Act",
        client_token="t1",
        duration_ms=None,
        now=LATER,
    )

    assert retried.pk == stored.pk
    assert retried.graded_at == LATER
    assert ReviewLog.objects.count() == 1


def test_it_never_rewrites_a_grade(learner):
    session = _session_of(learner, ItemType.CLOZE)
    attempt = attempt_submit(
        learner=learner,
        session=session,
        position=0,
        response="wrong",
        client_token="t1",
        duration_ms=None,
        now=LATER,
    )

    services._attempt_grade(attempt=attempt, now=datetime(2026, 3, 3, tzinfo=UTC))

    attempt.refresh_from_db()
    assert (attempt.is_correct, attempt.graded_at) == (False, LATER)
    assert ReviewLog.objects.count() == 1


def test_flashcard_self_ratings_are_logged_as_they_were_given(learner):
    session = _session_of(learner, ItemType.FLASHCARD)

    attempt_submit(
        learner=learner,
        session=session,
        position=0,
        response="hard",
        client_token="t1",
        duration_ms=900,
        now=LATER,
    )

    log = ReviewLog.objects.get()
    assert (log.rating, log.source) == (ReviewRating.HARD, ReviewSource.FLASHCARD)


def test_partly_right_answers_are_hard_and_wrong_ones_again(learner):
    session = _session_of(learner, ItemType.MCQ_MULTI, ItemType.CLOZE)
    multi = Item.objects.get(uuid=session.item_order[0])

    attempt_submit(
        learner=learner,
        session=session,
        position=0,
        response=[multi.payload["answers"][0]],
        client_token="t1",
        duration_ms=None,
        now=LATER,
    )
    attempt_submit(
        learner=learner,
        session=session,
        position=1,
        response="Equality Act",
        client_token="t2",
        duration_ms=None,
        now=LATER,
    )

    ratings = list(ReviewLog.objects.order_by("pk").values_list("rating", flat=True))
    assert ratings == [ReviewRating.HARD, ReviewRating.AGAIN]


def test_a_written_answer_is_stored_for_marking_without_a_review(learner):
    session = _session_of(learner, ItemType.WRITTEN)

    attempt = attempt_submit(
        learner=learner,
        session=session,
        position=0,
        response="I would listen first.",
        client_token="t1",
        duration_ms=None,
        now=LATER,
    )

    assert attempt.response == "I would listen first."
    assert attempt.graded_at is None
    assert not Card.objects.exists()
    session.refresh_from_db()
    assert session.finished_at == LATER


def test_it_finishes_the_session_with_its_last_answer(learner):
    session = _session_of(learner, ItemType.TRUE_FALSE, ItemType.CLOZE)
    attempt_submit(
        learner=learner,
        session=session,
        position=0,
        response=False,
        client_token="t1",
        duration_ms=None,
        now=LATER,
    )
    session.refresh_from_db()
    assert session.finished_at is None

    attempt_submit(
        learner=learner,
        session=session,
        position=1,
        response="x",
        client_token="t2",
        duration_ms=None,
        now=LATER,
    )

    session.refresh_from_db()
    assert session.finished_at == LATER


def test_it_refuses_another_learners_session_and_unknown_positions(learner):
    session = _session_of(learner, ItemType.CLOZE)
    with pytest.raises(PermissionError):
        attempt_submit(
            learner=UserFactory.create(),
            session=session,
            position=0,
            response="x",
            client_token="t1",
            duration_ms=None,
        )
    with pytest.raises(ValueError, match="position"):
        attempt_submit(
            learner=learner,
            session=session,
            position=1,
            response="x",
            client_token="t1",
            duration_ms=None,
        )
    assert not Attempt.objects.exists()
