"""`person_mark_revise`: a tutor corrects a tutor's mark; the newest counts for learning.

The answers are real ledger rows that need a person; the first mark is `person_mark_record`,
which grades the attempt and writes the FSRS review the product writes, so each revision
corrects a real review through `review_log_supersede`.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from revisewise.audit.models import AuditAction, AuditEvent
from revisewise.marking.models import MarkingStatus, PersonMark, WrittenAnswer
from revisewise.marking.services import PersonMarkStale, mark_rating
from revisewise.moderation.services import person_mark_record, person_mark_revise
from revisewise.moderation.tests.factories import POINTS, WrittenAnswerFactory
from revisewise.moderation.tests.races import race
from revisewise.practice.models import Attempt
from revisewise.scheduling.models import Card, ReviewLog, ReviewRating


def rows(*verdicts: str) -> list[dict[str, str]]:
    return [
        {"point": p, "verdict": v, "comment": ""} for p, v in zip(POINTS, verdicts, strict=True)
    ]


def marked_incorrect(learner, tutor) -> tuple[WrittenAnswer, PersonMark]:
    """An answer the engine gave up on, marked incorrect by the tutor: the card rated Again."""
    answer = WrittenAnswerFactory.create(
        attempt__session__learner=learner,
        attempt__duration_ms=60_000,
        status=MarkingStatus.NEEDS_PERSON,
        marked_at=None,
        marking_attempts=3,
    )
    first = person_mark_record(
        tutor=tutor, answer=answer, point_verdicts=rows("not_met", "not_met", "not_met"), comment=""
    )
    answer.refresh_from_db()
    assert answer.review_log is not None
    assert answer.review_log.rating == ReviewRating.AGAIN
    return answer, first


def revise(tutor, answer, revises, *verdicts: str, comment: str = "") -> PersonMark:
    return person_mark_revise(
        tutor=tutor,
        answer=answer,
        revises_uuid=revises.uuid,
        point_verdicts=rows(*verdicts),
        comment=comment,
    )


def log_of(answer: WrittenAnswer) -> ReviewLog:
    """Return the review the answer links to now (the one its grade counts in)."""
    answer.refresh_from_db()
    assert answer.review_log is not None
    return answer.review_log


def card_of(answer: WrittenAnswer) -> Card:
    return Card.objects.get(learner=answer.learner, item=answer.item)


@pytest.mark.django_db
def test_revising_incorrect_to_correct_regrades_supersedes_the_review_and_moves_the_due_date(
    tutor, centre_admin, learner
):
    answer, first = marked_incorrect(learner, tutor)
    old_log, due_before = log_of(answer), card_of(answer).due

    # Any tutor who may mark the answer may revise it: here the centre's administrator.
    revision = revise(centre_admin, answer, first, "met", "met", "met", comment="All there.")

    answer.refresh_from_db()
    attempt = Attempt.objects.get(pk=answer.attempt_id)
    assert (revision.revises, revision.tutor, revision.label) == (first, centre_admin, "correct")
    assert (attempt.is_correct, attempt.score) == (True, 1.0)
    old_log.refresh_from_db()
    new_log = log_of(answer)
    assert old_log.superseded_by == new_log
    assert new_log.rating == mark_rating(attempt=attempt, label="correct", score=1.0)
    assert new_log.rating > ReviewRating.AGAIN
    assert (new_log.reviewed_at, new_log.card_id) == (old_log.reviewed_at, old_log.card_id)
    assert list(ReviewLog.objects.current()) == [new_log]
    assert ReviewLog.objects.count() == 2
    assert card_of(answer).due > due_before
    # Both marks are kept; the answer stays marked by a person.
    assert PersonMark.objects.filter(answer=answer).count() == 2
    assert answer.status == MarkingStatus.MARKED_BY_PERSON
    event = AuditEvent.objects.get(action=AuditAction.ANSWER_MARK_REVISED)
    assert (event.actor, event.subject) == (centre_admin, learner)
    assert event.detail["person_mark"] == str(revision.uuid)
    assert event.detail["revises"] == str(first.uuid)
    assert (event.detail["label_before"], event.detail["label"]) == ("incorrect", "correct")
    assert event.detail["regrade"]["card_corrected"] is True


@pytest.mark.django_db
def test_revising_with_the_same_verdicts_changes_no_rating_but_is_recorded(tutor, learner):
    answer, first = marked_incorrect(learner, tutor)
    log, due = log_of(answer), card_of(answer).due

    revision = revise(tutor, answer, first, "not_met", "not_met", "not_met")

    answer.refresh_from_db()
    assert answer.review_log == log
    assert ReviewLog.objects.get() == log
    assert log.superseded_by is None
    assert card_of(answer).due == due
    assert Attempt.objects.get(pk=answer.attempt_id).is_correct is False
    assert PersonMark.objects.filter(answer=answer).count() == 2
    assert revision.revises == first
    event = AuditEvent.objects.get(action=AuditAction.ANSWER_MARK_REVISED)
    assert event.detail["regrade"] == {
        "attempt_changed": False,
        "rating_before": ReviewRating.AGAIN,
        "rating_after": ReviewRating.AGAIN,
        "card_corrected": False,
    }


@pytest.mark.django_db
def test_the_newest_revision_counts_and_each_supersedes_the_one_before(tutor, learner):
    answer, first = marked_incorrect(learner, tutor)
    due_first = card_of(answer).due

    second = revise(tutor, answer, first, "met", "met", "met")
    third = revise(tutor, answer, second, "not_met", "not_met", "not_met")

    answer.refresh_from_db()
    assert third.revises == second
    assert Attempt.objects.get(pk=answer.attempt_id).is_correct is False
    assert ReviewLog.objects.count() == 3
    assert list(ReviewLog.objects.current()) == [log_of(answer)]
    assert log_of(answer).rating == ReviewRating.AGAIN
    # Back to the first verdict: the card is due when the first mark made it due.
    assert card_of(answer).due == due_first


@pytest.mark.django_db
def test_a_revision_of_a_mark_already_revised_is_stale_and_stores_nothing(
    tutor, centre_admin, learner
):
    answer, first = marked_incorrect(learner, tutor)
    newest = revise(tutor, answer, first, "met", "met", "met")

    with pytest.raises(PersonMarkStale) as stale:
        revise(centre_admin, answer, first, "met", "partly_met", "not_met")

    assert stale.value.current == newest
    assert PersonMark.objects.filter(answer=answer).count() == 2
    assert Attempt.objects.get(pk=answer.attempt_id).is_correct is True
    assert not AuditEvent.objects.filter(actor=centre_admin).exists()


@pytest.mark.django_db
def test_it_refuses_someone_who_does_not_tutor_the_learner(tutor, other_tutor, learner):
    answer, first = marked_incorrect(learner, tutor)

    with pytest.raises(PermissionDenied):
        revise(other_tutor, answer, first, "met", "met", "met")
    assert PersonMark.objects.count() == 1


@pytest.mark.django_db
def test_it_refuses_a_missing_verdict_and_stores_nothing(tutor, learner):
    answer, first = marked_incorrect(learner, tutor)

    with pytest.raises(ValidationError, match="Choose a verdict for"):
        person_mark_revise(
            tutor=tutor,
            answer=answer,
            revises_uuid=first.uuid,
            point_verdicts=rows("met", "met", "met")[:2],
            comment="",
        )
    assert PersonMark.objects.count() == 1


@pytest.mark.django_db
def test_the_database_refuses_two_revisions_of_one_mark(tutor, learner):
    answer, first = marked_incorrect(learner, tutor)
    revise(tutor, answer, first, "met", "met", "met")

    with pytest.raises(IntegrityError), transaction.atomic():
        PersonMark.objects.create(
            answer=answer, tutor=tutor, revises=first, label="incorrect", score=0.0
        )


# A real race, on PostgreSQL: two tutors revise the same current mark at once -------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgresql_only")
def test_two_tutors_revising_the_same_mark_at_once_store_one_revision(tutor, centre_admin, learner):
    answer, first = marked_incorrect(learner, tutor)

    results = race(
        lambda: revise(tutor, answer, first, "met", "met", "met"),
        lambda: revise(centre_admin, answer, first, "met", "partly_met", "not_met"),
    )

    won = [r for r in results if isinstance(r, PersonMark)]
    lost = [r for r in results if isinstance(r, PersonMarkStale)]
    assert (len(won), len(lost)) == (1, 1), results
    assert lost[0].current == won[0]
    assert PersonMark.objects.filter(revises=first).get() == won[0]
    answer.refresh_from_db()
    attempt = Attempt.objects.get(pk=answer.attempt_id)
    assert attempt.is_correct is (won[0].label == "correct")
    # One current review, linked from the answer, rated by the winner's mark.
    assert list(ReviewLog.objects.current()) == [log_of(answer)]
    assert log_of(answer).rating == mark_rating(
        attempt=attempt, label=won[0].label, score=won[0].score
    )
    assert ReviewLog.objects.count() == 2
    assert AuditEvent.objects.filter(action=AuditAction.ANSWER_MARK_REVISED).count() == 1
