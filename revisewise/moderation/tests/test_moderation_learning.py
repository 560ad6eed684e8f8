"""The newest moderation counts for learning: it re-grades the attempt and corrects the card.

Answers are marked by the real engine through the real ledger, so the attempt's grade, the FSRS
review and the link between them are the ones the product writes.
"""

from __future__ import annotations

import importlib
import uuid

import pytest
from django.apps import apps
from django.db import DatabaseError, transaction

from revisewise.accounts.tests.factories import UserFactory
from revisewise.audit.models import AuditAction, AuditEvent
from revisewise.marking.models import MarkingStatus, Moderation, WrittenAnswer
from revisewise.marking.services import mark_rating, written_answer_submit
from revisewise.moderation.services import moderation_record
from revisewise.moderation.tests.factories import (
    POINTS,
    MachineMarkFactory,
    WrittenItemFactory,
    engine_result,
)
from revisewise.moderation.tests.races import race
from revisewise.practice.models import Attempt
from revisewise.privacy.services import personal_data_collect
from revisewise.scheduling.models import Card, ReviewLog, ReviewRating
from revisewise.scheduling.services import card_review
from revisewise.scheduling.tests.factories import card_state

pytestmark = pytest.mark.django_db

# The real engine marks this incorrect, every point not met (checked in the fixture).
POOR_ANSWER = "I would tell them to calm down and then hang up the phone."


@pytest.fixture
def marked_incorrect(learner, django_capture_on_commit_callbacks):
    """An answer the real engine marked incorrect: attempt graded, card reviewed Again."""
    item = WrittenItemFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        answer = written_answer_submit(
            learner=learner,
            item=item,
            text=POOR_ANSWER,
            client_token=str(uuid.uuid4()),
            duration_ms=60_000,
        )
    answer.refresh_from_db()
    assert answer.status == MarkingStatus.MARKED, answer.last_error
    mark = answer.marks.get()
    assert mark.label == "incorrect"
    assert answer.review_log is not None
    assert answer.review_log.rating == ReviewRating.AGAIN
    return answer, mark


def _verdicts(*verdicts: str) -> list[dict[str, str]]:
    return [
        {"point": p, "verdict": v, "comment": ""} for p, v in zip(POINTS, verdicts, strict=True)
    ]


def _moderate(tutor, mark, *verdicts: str):
    return moderation_record(
        tutor=tutor, mark=mark, point_verdicts=_verdicts(*verdicts), comment=""
    )


def _state(answer: WrittenAnswer) -> tuple:
    card = Card.objects.get(learner=answer.learner, item=answer.item)
    attempt = Attempt.objects.get(pk=answer.attempt_id)
    answer.refresh_from_db()
    log = answer.review_log
    assert log is not None
    return (
        attempt.is_correct,
        attempt.score,
        attempt.graded_at,
        log.pk,
        log.rating,
        card.due,
        card.stability,
        card.review_count,
    )


def _card_from_current_reviews(answer: WrittenAnswer, card: Card) -> Card:
    """Review the same item afresh, as another learner, with the card's current reviews."""
    other = UserFactory.create()
    for log in ReviewLog.objects.current().filter(card=card):
        card_review(learner=other, item=answer.item, rating=log.rating, reviewed_at=log.reviewed_at)
    return Card.objects.get(learner=other, item=answer.item)


def test_an_override_to_correct_regrades_the_attempt_and_moves_the_due_date_later(
    tutor, marked_incorrect
):
    answer, mark = marked_incorrect
    machine_log = answer.review_log
    before = Card.objects.get(learner=answer.learner, item=answer.item)

    _moderate(tutor, mark, "met", "met", "met")

    attempt = Attempt.objects.get(pk=answer.attempt_id)
    assert (attempt.is_correct, attempt.score) == (True, 1.0)
    answer.refresh_from_db()
    log = answer.review_log
    assert log.rating == mark_rating(attempt=attempt, label="correct", score=1.0)
    assert log.rating != ReviewRating.AGAIN
    # The same review, dated the same, with the tutor's rating: still one review of the card.
    assert (log.reviewed_at, log.duration_ms, log.source) == (
        machine_log.reviewed_at,
        machine_log.duration_ms,
        machine_log.source,
    )
    # The machine's review stays, superseded by the tutor's: two logs, one counting.
    machine_log.refresh_from_db()
    assert machine_log.superseded_by == log
    assert machine_log.rating == ReviewRating.AGAIN
    assert ReviewLog.objects.count() == 2
    assert list(ReviewLog.objects.current()) == [log]
    after = Card.objects.get(pk=before.pk)
    assert after.review_count == 1
    assert after.due > before.due
    # The card is the one a learner who had been rated so from the start would have.
    assert card_state(after) == card_state(_card_from_current_reviews(answer, after))
    event = AuditEvent.objects.get(action=AuditAction.MARK_MODERATED)
    assert event.detail["regrade"] == {
        "attempt_changed": True,
        "rating_before": ReviewRating.AGAIN,
        "rating_after": log.rating,
        "card_corrected": True,
    }


def test_confirming_the_machine_mark_changes_nothing(tutor, marked_incorrect):
    answer, mark = marked_incorrect
    before = _state(answer)

    moderation = _moderate(tutor, mark, "not_met", "not_met", "not_met")

    assert moderation.decision == "confirmed"
    assert _state(answer) == before
    assert not ReviewLog.objects.filter(superseded_by__isnull=False).exists()
    assert ReviewLog.objects.count() == 1
    event = AuditEvent.objects.get(action=AuditAction.MARK_MODERATED)
    assert event.detail["regrade"]["attempt_changed"] is False
    assert event.detail["regrade"]["card_corrected"] is False


def test_saving_the_same_override_again_changes_nothing_more(tutor, marked_incorrect):
    answer, mark = marked_incorrect
    _moderate(tutor, mark, "met", "met", "met")
    once = _state(answer)

    _moderate(tutor, mark, "met", "met", "met")

    assert _state(answer) == once
    assert ReviewLog.objects.count() == 2
    assert ReviewLog.objects.current().count() == 1


def test_the_newest_moderation_counts_even_when_it_goes_back_to_the_machines_mark(
    tutor, marked_incorrect
):
    answer, mark = marked_incorrect
    machine = _state(answer)

    _moderate(tutor, mark, "met", "met", "met")
    _moderate(tutor, mark, "not_met", "not_met", "not_met")

    back = _state(answer)
    # Same grade, rating and card as the machine left them (the review row is a new one).
    assert back[:3] == machine[:3]
    assert back[4:] == machine[4:]
    # The second moderation superseded the first one's review in turn: a chain of three.
    machine_log, corrected, current = ReviewLog.objects.order_by("pk")
    assert machine_log.superseded_by == corrected
    assert corrected.superseded_by == current
    assert current.superseded_by is None
    assert current.pk == back[3]
    assert [log.rating for log in (machine_log, corrected, current)] == [
        ReviewRating.AGAIN,
        corrected.rating,
        ReviewRating.AGAIN,
    ]
    assert corrected.rating != ReviewRating.AGAIN


def test_the_learners_export_keeps_both_reviews_and_the_link(tutor, marked_incorrect):
    answer, mark = marked_incorrect
    machine_log_pk = answer.review_log_id

    _moderate(tutor, mark, "met", "met", "met")

    answer.refresh_from_db()
    export = personal_data_collect(user=answer.learner)
    scheduling = next(s for s in export["sections"] if s["name"] == "scheduling")["data"]
    reviews = {review["id"]: review for review in scheduling["reviews"]}
    assert set(reviews) == {machine_log_pk, answer.review_log_id}
    assert reviews[machine_log_pk]["superseded_by"] == answer.review_log_id
    assert reviews[machine_log_pk]["rating"] == "Again"
    assert reviews[answer.review_log_id]["superseded_by"] is None


def test_a_partial_override_rates_the_card_hard(tutor, marked_incorrect):
    answer, mark = marked_incorrect

    _moderate(tutor, mark, "met", "met", "partly_met")

    attempt = Attempt.objects.get(pk=answer.attempt_id)
    assert (attempt.is_correct, attempt.score) == (False, pytest.approx(0.8333, abs=1e-4))
    answer.refresh_from_db()
    assert answer.review_log.rating == ReviewRating.HARD


def test_a_moderation_of_an_older_mark_than_the_learner_sees_changes_nothing(
    tutor, marked_incorrect
):
    answer, mark = marked_incorrect
    MachineMarkFactory.create(
        answer=answer, engine=engine_result(answer=answer.text), engine_version="9.9.9"
    )
    before = _state(answer)

    _moderate(tutor, mark, "met", "met", "met")

    assert _state(answer) == before
    assert AuditEvent.objects.get(action=AuditAction.MARK_MODERATED).detail["regrade"] is None


def test_an_answer_without_a_linked_review_is_regraded_and_its_card_left_alone(
    tutor, marked_incorrect
):
    answer, mark = marked_incorrect
    WrittenAnswer.objects.filter(pk=answer.pk).update(review_log=None)
    card = Card.objects.get(learner=answer.learner, item=answer.item)

    _moderate(tutor, mark, "met", "met", "met")

    assert Attempt.objects.get(pk=answer.attempt_id).is_correct is True
    assert Card.objects.get(pk=card.pk).due == card.due
    assert ReviewLog.objects.get().rating == ReviewRating.AGAIN


def test_review_logs_still_refuse_updates(marked_incorrect):
    answer, _ = marked_incorrect

    with pytest.raises(DatabaseError), transaction.atomic():
        ReviewLog.objects.filter(pk=answer.review_log_id).update(rating=ReviewRating.GOOD)


def test_the_migration_links_answers_marked_before_the_link_to_their_review(
    learner, marked_incorrect
):
    answer, _ = marked_incorrect
    log_pk = answer.review_log_id
    WrittenAnswer.objects.filter(pk=answer.pk).update(review_log=None)
    migration = importlib.import_module(
        "revisewise.marking.migrations.0004_link_marked_answers_to_their_reviews"
    )

    migration._link(apps, None)

    answer.refresh_from_db()
    assert answer.review_log_id == log_pk


def test_the_migration_leaves_a_review_it_cannot_recognise_unlinked(learner, marked_incorrect):
    answer, _ = marked_incorrect
    WrittenAnswer.objects.filter(pk=answer.pk).update(review_log=None)
    # Another answer's review of the same card at the same moment: which one is whose?
    log = ReviewLog.objects.get()
    ReviewLog.objects.create(
        card=log.card,
        rating=ReviewRating.GOOD,
        reviewed_at=log.reviewed_at,
        duration_ms=log.duration_ms,
        elapsed_days=0.0,
        retrievability_before=1.0,
        source=log.source,
    )
    migration = importlib.import_module(
        "revisewise.marking.migrations.0004_link_marked_answers_to_their_reviews"
    )

    migration._link(apps, None)

    answer.refresh_from_db()
    assert answer.review_log_id is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgresql_only")
def test_two_tutors_moderating_at_once_leave_the_newest_moderation_counting(
    tutor, centre_admin, marked_incorrect
):
    answer, mark = marked_incorrect

    results = race(
        lambda: _moderate(tutor, mark, "met", "met", "met"),
        lambda: _moderate(centre_admin, mark, "met", "partly_met", "not_met"),
    )

    assert all(isinstance(r, Moderation) for r in results), results
    newest = Moderation.objects.order_by("-created_at", "-pk").first()
    assert newest is not None
    attempt = Attempt.objects.get(pk=answer.attempt_id)
    assert (attempt.is_correct, attempt.score) == (newest.label == "correct", newest.score)
    answer.refresh_from_db()
    assert answer.review_log is not None
    assert answer.review_log.rating == mark_rating(
        attempt=attempt, label=newest.label, score=newest.score
    )
    # Each correction superseded the review before it: one current review, the linked one.
    assert list(ReviewLog.objects.current()) == [answer.review_log]
    assert ReviewLog.objects.filter(supersedes__isnull=False).count() == (
        ReviewLog.objects.count() - 1
    )
