"""The answer ledger: stored once, marked once by the real engine, recovered when marking fails."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from revisewise.marking.models import MachineMark, MarkingStatus, WrittenAnswer
from revisewise.marking.services import (
    _mark_store,
    marking_request_build,
    written_answer_mark,
    written_answer_retry,
    written_answers_sweep,
)
from revisewise.marking.tasks import written_answer_mark_task
from revisewise.marking.tests.conftest import GOOD_WRITTEN_ANSWER
from revisewise.practice.models import Attempt, ItemType
from revisewise.practice.services import attempt_submit, practice_session_start
from revisewise.scheduling.models import ReviewLog, ReviewRating, ReviewSource

pytestmark = pytest.mark.django_db


def test_it_stores_the_answer_once_then_marks_it_with_the_real_engine(
    learner, written_item, submit
):
    answer = submit(learner, written_item)

    assert WrittenAnswer.objects.count() == 1
    assert answer.text == GOOD_WRITTEN_ANSWER
    assert answer.status == MarkingStatus.MARKED
    assert answer.marking_attempts == 1
    assert answer.lease_expires_at is None
    assert answer.marked_at is not None
    mark = MachineMark.objects.get()
    assert mark.engine_name == "revisewise-feature-marker"
    assert mark.engine_version
    verdicts = mark.result["point_verdicts"]
    assert [v["point"] for v in verdicts] == written_item.payload["marking_points"]
    for verdict in verdicts:
        if verdict["evidence"]:
            span = verdict["evidence"]
            assert answer.text[span["start"] : span["end"]] == span["text"]
    assert mark.result["request"]["model_answer"] == written_item.payload["model_answer"]


def test_the_mark_grades_the_attempt_and_reviews_its_card_once(learner, written_item, submit):
    answer = submit(learner, written_item)
    mark = answer.marks.get()

    attempt = Attempt.objects.get()
    assert attempt.is_correct == (mark.label == "correct")
    assert attempt.score == pytest.approx(mark.score)
    assert attempt.graded_at is not None
    log = ReviewLog.objects.get()
    assert log.source == ReviewSource.WRITTEN
    assert log.card.item == written_item
    assert log.reviewed_at == attempt.created_at

    # Marking again (a duplicate task) neither marks nor reviews a second time.
    assert written_answer_mark(answer_id=answer.pk) is None
    assert written_answer_mark_task.enqueue(answer_id=answer.pk).return_value is None
    assert MachineMark.objects.count() == 1
    assert ReviewLog.objects.count() == 1


def test_a_wrong_answer_is_rated_again(learner, written_item, submit):
    submit(learner, written_item, text="I would tell them the rules are the rules and hang up.")

    attempt = Attempt.objects.get()
    assert attempt.is_correct is False
    assert ReviewLog.objects.get().rating == ReviewRating.AGAIN


def test_a_double_submit_stores_one_answer_and_one_mark(learner, written_item, submit):
    first = submit(learner, written_item, token="same-form")
    second = submit(learner, written_item, token="same-form")

    assert first.pk == second.pk
    assert Attempt.objects.count() == 1
    assert WrittenAnswer.objects.count() == 1
    assert MachineMark.objects.count() == 1
    assert ReviewLog.objects.count() == 1


def test_a_written_item_in_a_practice_session_enters_the_ledger_with_its_attempt(
    learner, written_item, django_capture_on_commit_callbacks
):
    session = practice_session_start(
        learner=learner, scope="unit", unit=written_item.unit, now=timezone.now()
    )
    position = session.item_order.index(str(written_item.uuid))
    with django_capture_on_commit_callbacks(execute=True):
        attempt = attempt_submit(
            learner=learner,
            session=session,
            position=position,
            response=GOOD_WRITTEN_ANSWER,
            client_token="t1",
            duration_ms=None,
        )

    answer = WrittenAnswer.objects.get(attempt=attempt)
    assert answer.status == MarkingStatus.MARKED
    attempt.refresh_from_db()
    assert attempt.is_graded


def test_the_request_carries_the_units_misconceptions_and_guidance(written_item):
    request = marking_request_build(item=written_item, answer="Anything.")

    assert request.marking_points == tuple(written_item.payload["marking_points"])
    assert request.model_answer == written_item.payload["model_answer"]
    statements = [m.statement for m in request.misconceptions]
    assert "Customer service is just about being polite." in statements
    assert all(m.correction for m in request.misconceptions)
    # The unit's assessment guidance closest to the question, without the page's bulb mark.
    assert request.distinction_criteria
    assert all("\N{ELECTRIC LIGHT BULB}" not in c for c in request.distinction_criteria)
    assert any("Acknowledge, Apologize, Act" in c for c in request.distinction_criteria)


def _broken_item(item):
    # Real bad data, not a stand-in: marking points that are not a list make building fail.
    item.payload = {"marking_points": 5, "model_answer": "x"}
    item.save(update_fields=["payload"])


def test_a_failure_requeues_until_the_last_try_then_needs_a_person(
    learner, written_item, submit, settings
):
    settings.MARKING_MAX_ATTEMPTS = 3
    _broken_item(written_item)

    answer = submit(learner, written_item)

    assert answer.status == MarkingStatus.NEEDS_PERSON
    assert answer.marking_attempts == 3
    assert "TypeError" in answer.last_error
    assert answer.text == GOOD_WRITTEN_ANSWER
    assert not MachineMark.objects.exists()
    assert Attempt.objects.get().graded_at is None


def test_a_retry_gives_fresh_tries_and_marks_once_the_fault_is_fixed(
    learner, written_item, submit, django_capture_on_commit_callbacks
):
    payload = dict(written_item.payload)
    _broken_item(written_item)
    answer = submit(learner, written_item)
    assert answer.status == MarkingStatus.NEEDS_PERSON
    written_item.payload = payload
    written_item.save(update_fields=["payload"])

    with django_capture_on_commit_callbacks(execute=True):
        written_answer_retry(answer=answer, learner=learner)

    answer.refresh_from_db()
    assert answer.status == MarkingStatus.MARKED
    assert answer.marking_attempts == 1
    assert answer.last_error == ""
    assert MachineMark.objects.count() == 1


def test_only_an_answer_needing_a_person_can_be_retried(
    learner, other_learner, written_item, submit
):
    answer = submit(learner, written_item)

    with pytest.raises(ValueError, match="could not be marked"):
        written_answer_retry(answer=answer, learner=learner)
    with pytest.raises(PermissionError):
        written_answer_retry(answer=answer, learner=other_learner)


def _stuck(answer, *, tries=1, lease_ago=timedelta(seconds=1)):
    WrittenAnswer.objects.filter(pk=answer.pk).update(
        status=MarkingStatus.MARKING,
        marking_attempts=tries,
        lease_expires_at=timezone.now() - lease_ago,
    )


def _unmarked(learner, item, django_capture_on_commit_callbacks):
    from revisewise.marking.services import written_answer_submit

    # Without running the after-commit task: as if the worker never got it.
    return written_answer_submit(
        learner=learner, item=item, text=GOOD_WRITTEN_ANSWER, client_token="lost", duration_ms=None
    )


def test_the_sweep_requeues_an_expired_lease_and_the_answer_is_marked(
    learner, written_item, django_capture_on_commit_callbacks
):
    answer = _unmarked(learner, written_item, django_capture_on_commit_callbacks)
    _stuck(answer, tries=1)

    with django_capture_on_commit_callbacks(execute=True):
        result = written_answers_sweep()

    assert (result.requeued, result.needs_person, result.enqueued) == (1, 0, 1)
    answer.refresh_from_db()
    assert answer.status == MarkingStatus.MARKED
    assert answer.marking_attempts == 2
    assert MachineMark.objects.count() == 1


def test_the_sweep_leaves_a_live_lease_alone(
    learner, written_item, django_capture_on_commit_callbacks
):
    answer = _unmarked(learner, written_item, django_capture_on_commit_callbacks)
    WrittenAnswer.objects.filter(pk=answer.pk).update(
        status=MarkingStatus.MARKING,
        marking_attempts=1,
        lease_expires_at=timezone.now() + timedelta(minutes=1),
    )

    with django_capture_on_commit_callbacks(execute=True):
        result = written_answers_sweep()

    assert (result.requeued, result.enqueued) == (0, 0)
    answer.refresh_from_db()
    assert answer.status == MarkingStatus.MARKING


def test_the_sweep_leaves_an_answer_for_a_person_after_the_last_try(
    learner, written_item, settings, django_capture_on_commit_callbacks
):
    settings.MARKING_MAX_ATTEMPTS = 2
    answer = _unmarked(learner, written_item, django_capture_on_commit_callbacks)
    _stuck(answer, tries=2)

    result = written_answers_sweep()

    assert result.needs_person == 1
    answer.refresh_from_db()
    assert answer.status == MarkingStatus.NEEDS_PERSON
    assert "time limit" in answer.last_error


def test_the_sweep_enqueues_queued_answers_whose_task_was_lost(
    learner, written_item, django_capture_on_commit_callbacks
):
    answer = _unmarked(learner, written_item, django_capture_on_commit_callbacks)
    assert answer.status == MarkingStatus.QUEUED
    fresh = written_answers_sweep()
    assert fresh.enqueued == 0
    WrittenAnswer.objects.filter(pk=answer.pk).update(
        updated_at=timezone.now() - timedelta(minutes=2)
    )

    with django_capture_on_commit_callbacks(execute=True):
        result = written_answers_sweep()

    assert result.enqueued == 1
    answer.refresh_from_db()
    assert answer.status == MarkingStatus.MARKED


def test_the_sweep_gives_an_old_written_attempt_without_a_row_its_ledger_row(
    learner, written_item, django_capture_on_commit_callbacks
):
    answer = _unmarked(learner, written_item, django_capture_on_commit_callbacks)
    attempt = answer.attempt
    answer.delete()

    with django_capture_on_commit_callbacks(execute=True):
        result = written_answers_sweep()

    assert result.backfilled == 1
    restored = WrittenAnswer.objects.get(attempt=attempt)
    assert restored.text == GOOD_WRITTEN_ANSWER
    assert restored.status == MarkingStatus.MARKED


def test_a_try_that_outlived_its_lease_stores_nothing(
    learner, written_item, django_capture_on_commit_callbacks
):
    answer = _unmarked(learner, written_item, django_capture_on_commit_callbacks)
    from revisewise.marking.engine import mark

    request = marking_request_build(item=written_item, answer=answer.text)
    late_result = mark(request)
    # Try 1 was claimed, ran past its lease and was swept; try 2 marked the answer.
    _stuck(answer, tries=1)
    with django_capture_on_commit_callbacks(execute=True):
        written_answers_sweep()
    answer.refresh_from_db()
    assert answer.marking_attempts == 2

    assert _mark_store(answer=answer, try_number=1, request=request, result=late_result) is None
    assert MachineMark.objects.count() == 1
    assert ReviewLog.objects.count() == 1


def test_the_sweep_command_prints_what_it_did(
    learner, written_item, django_capture_on_commit_callbacks
):
    from io import StringIO

    from django.core.management import call_command

    answer = _unmarked(learner, written_item, django_capture_on_commit_callbacks)
    _stuck(answer, tries=1)
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("sweep_marking", "--json", stdout=out)

    assert '"requeued": 1' in out.getvalue()
    answer.refresh_from_db()
    assert answer.status == MarkingStatus.MARKED


def test_only_written_items_enter_the_ledger(learner, written_item):
    from revisewise.marking.services import written_answer_create
    from revisewise.practice.tests.factories import ItemFactory

    item = ItemFactory.create(unit=written_item.unit, item_type=ItemType.MCQ_SINGLE)
    session = practice_session_start(
        learner=learner, scope="unit", unit=written_item.unit, now=timezone.now()
    )
    attempt = Attempt.objects.create(
        session=session, learner=learner, item=item, position=0, response="x", client_token="t"
    )

    with pytest.raises(ValueError, match="written"):
        written_answer_create(attempt=attempt)
