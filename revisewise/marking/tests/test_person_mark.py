"""A tutor marks an answer the engine gave up on: the ledger, the grade, the FSRS review, races."""

from __future__ import annotations

import json

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from revisewise.accounts.testing import force_login_verified
from revisewise.accounts.tests.factories import UserFactory
from revisewise.marking.models import (
    MachineMark,
    MarkingStatus,
    PersonMark,
    WrittenAnswer,
)
from revisewise.marking.services import (
    AnswerNotAwaitingPerson,
    mark_rating,
    written_answer_mark,
    written_answer_mark_by_person,
    written_answer_retry,
)
from revisewise.moderation.services import person_mark_revise
from revisewise.practice.models import Attempt
from revisewise.privacy.registry import personal_data_entries
from revisewise.scheduling.models import Card, ReviewLog, ReviewSource

pytestmark = pytest.mark.django_db

ALL_MET = [
    {"point": "a", "verdict": "met", "comment": "Clear."},
    {"point": "b", "verdict": "met", "comment": ""},
]


@pytest.fixture
def gave_up(written_item, submit):
    """Return a function that submits an answer the engine really fails on three times."""

    def run(learner, token="form-1"):
        points = dict(written_item.payload)
        # Real bad data, not a stand-in: points that are not a list make building the request
        # fail, three tries running, so the ledger moves the answer to needs_person.
        written_item.payload = {"marking_points": 5}
        written_item.save(update_fields=["payload"])
        answer = submit(learner, written_item, token=token)
        written_item.payload = points
        written_item.save(update_fields=["payload"])
        assert answer.status == MarkingStatus.NEEDS_PERSON
        return answer

    return run


def _mark(answer, tutor, *, label="correct", score=1.0, verdicts=ALL_MET):
    return written_answer_mark_by_person(
        answer=answer,
        tutor=tutor,
        point_verdicts=verdicts,
        label=label,
        score=score,
        comment="Well reasoned.",
    )


def test_a_tutors_mark_is_final_and_grades_the_attempt_and_reviews_the_card_once(
    learner, tutor, gave_up
):
    answer = gave_up(learner)

    person_mark = _mark(answer, tutor)

    answer.refresh_from_db()
    attempt = Attempt.objects.get(pk=answer.attempt_id)
    assert answer.status == MarkingStatus.MARKED_BY_PERSON
    assert answer.marked_at is not None
    assert (person_mark.label, person_mark.score, person_mark.tutor) == ("correct", 1.0, tutor)
    assert (attempt.is_correct, attempt.score) == (True, 1.0)
    assert attempt.graded_at is not None
    log = ReviewLog.objects.get()
    assert answer.review_log == log
    assert log.source == ReviewSource.WRITTEN
    # Dated when the learner answered, not when the tutor marked it.
    assert log.reviewed_at == attempt.created_at
    assert log.rating == mark_rating(attempt=attempt, label="correct", score=1.0)
    assert Card.objects.get(learner=learner).review_count == 1


def test_a_partly_met_mark_grades_the_attempt_as_not_correct(learner, tutor, gave_up):
    answer = gave_up(learner)

    _mark(answer, tutor, label="partially_correct", score=0.5)

    attempt = Attempt.objects.get(pk=answer.attempt_id)
    assert (attempt.is_correct, attempt.score) == (False, 0.5)
    # Half the marks passes but is not full marks: the card is rated Hard.
    assert ReviewLog.objects.get().rating == 2


def test_a_second_tutor_marking_the_same_answer_stores_nothing(
    learner, tutor, centre_admin, gave_up
):
    answer = gave_up(learner)
    # Both opened the page while it still needed a person.
    seen_by_admin = WrittenAnswer.objects.get(pk=answer.pk)

    _mark(answer, tutor)
    with pytest.raises(AnswerNotAwaitingPerson):
        _mark(seen_by_admin, centre_admin, label="incorrect", score=0.0)

    assert PersonMark.objects.get().tutor == tutor
    assert ReviewLog.objects.count() == 1
    assert Attempt.objects.get(pk=answer.attempt_id).is_correct is True


def test_the_database_refuses_a_second_mark_of_one_answer(learner, tutor, gave_up):
    answer = gave_up(learner)
    _mark(answer, tutor)

    with pytest.raises(IntegrityError), transaction.atomic():
        PersonMark.objects.create(answer=answer, tutor=tutor, label="incorrect", score=0.0)


def test_the_learners_retry_after_the_tutors_mark_is_refused(learner, tutor, gave_up):
    answer = gave_up(learner)
    stale = WrittenAnswer.objects.get(pk=answer.pk)

    _mark(answer, tutor)

    with pytest.raises(ValueError, match="could not be marked"):
        written_answer_retry(answer=stale, learner=learner)
    answer.refresh_from_db()
    assert answer.status == MarkingStatus.MARKED_BY_PERSON


def test_the_tutors_mark_after_the_learners_retry_is_refused(learner, tutor, gave_up):
    answer = gave_up(learner)
    stale = WrittenAnswer.objects.get(pk=answer.pk)

    # Without running the task: the engine has the answer back, queued.
    written_answer_retry(answer=answer, learner=learner)

    with pytest.raises(AnswerNotAwaitingPerson):
        _mark(stale, tutor)
    assert not PersonMark.objects.exists()
    assert not ReviewLog.objects.exists()
    assert Attempt.objects.get(pk=answer.attempt_id).graded_at is None


def test_the_engine_never_marks_an_answer_a_tutor_marked(learner, tutor, gave_up):
    answer = gave_up(learner)
    _mark(answer, tutor)

    assert written_answer_mark(answer_id=answer.pk) is None

    answer.refresh_from_db()
    assert answer.status == MarkingStatus.MARKED_BY_PERSON
    assert not MachineMark.objects.exists()


def test_a_machine_mark_added_later_does_not_replace_the_tutors_mark(
    client, learner, tutor, gave_up
):
    answer = gave_up(learner)
    _mark(answer, tutor)
    # What a re-mark by a newer engine would add: a machine mark that says the opposite.
    MachineMark.objects.create(
        answer=answer,
        engine_name="revisewise-feature-marker",
        engine_version="9.9.9",
        label="incorrect",
        score=0.0,
        result={"point_verdicts": [], "flags": []},
    )

    force_login_verified(client, learner)
    html = client.get(reverse("marking:answer-detail", args=[answer.uuid])).content.decode()

    assert "Marked by your tutor" in html
    assert "Correct: 100% of the marks" in html
    assert Attempt.objects.get(pk=answer.attempt_id).is_correct is True
    assert ReviewLog.objects.count() == 1


def test_a_marked_by_person_answer_must_have_a_time(learner, gave_up):
    answer = gave_up(learner)

    with pytest.raises(IntegrityError), transaction.atomic():
        WrittenAnswer.objects.filter(pk=answer.pk).update(
            status=MarkingStatus.MARKED_BY_PERSON, marked_at=None
        )


def test_every_acknowledged_answer_ends_marked_or_waits_for_a_person(
    learner, other_learner, tutor, written_item, submit, gave_up
):
    marked = submit(learner, written_item, token="good")
    tutor_marked = gave_up(learner, token="broken-1")
    waiting = gave_up(other_learner, token="broken-2")
    _mark(tutor_marked, tutor)

    finals = {MarkingStatus.MARKED, MarkingStatus.MARKED_BY_PERSON, MarkingStatus.NEEDS_PERSON}
    for answer in WrittenAnswer.objects.select_related("attempt"):
        assert answer.status in finals
        is_marked = answer.status != MarkingStatus.NEEDS_PERSON
        assert (answer.attempt.graded_at is not None) is is_marked
        assert (answer.review_log_id is not None) is is_marked
        assert answer.marks.count() == (answer.status == MarkingStatus.MARKED)
        assert PersonMark.objects.filter(answer=answer).count() == (
            answer.status == MarkingStatus.MARKED_BY_PERSON
        )
    assert {marked.pk, tutor_marked.pk, waiting.pk} == set(
        WrittenAnswer.objects.values_list("pk", flat=True)
    )


# What the learner sees --------------------------------------------------------------------


def test_the_learner_and_their_tutor_see_the_tutors_mark_and_another_centre_gets_404(
    client, learner, tutor, other_tutor, written_item, gave_up
):
    answer = gave_up(learner)
    points = written_item.payload["marking_points"]
    written_answer_mark_by_person(
        answer=answer,
        tutor=tutor,
        point_verdicts=[
            {"point": points[0], "verdict": "met", "comment": "A sincere apology."},
            {"point": points[1], "verdict": "not_met", "comment": "Say what happens next."},
        ],
        label="partially_correct",
        score=0.5,
        comment="A good start.",
    )
    url = reverse("marking:answer-detail", args=[answer.uuid])

    force_login_verified(client, learner)
    html = client.get(url).content.decode()
    assert "Marked by your tutor" in html
    assert "Partly correct: 50% of the marks" in html
    assert "A good start." in html
    assert "Tutor's comment: Say what happens next." in html
    assert html.count('class="point point-met"') == 1
    assert html.count('class="point point-not_met"') == 1
    assert "Try marking again" not in html
    assert "could not mark it" not in html

    force_login_verified(client, tutor)
    assert "Marked by a tutor" in client.get(url).content.decode()
    force_login_verified(client, other_tutor)
    assert client.get(url).status_code == 404


def test_the_answer_list_shows_the_tutors_mark(client, learner, tutor, gave_up):
    answer = gave_up(learner)
    _mark(answer, tutor)

    force_login_verified(client, learner)
    html = client.get(reverse("marking:answer-list")).content.decode()

    assert "Marked by a tutor" in html
    assert "Correct, 100%" in html


def test_a_tutor_reading_an_answer_that_needs_a_person_is_offered_to_mark_it(
    client, learner, tutor, gave_up
):
    answer = gave_up(learner)

    force_login_verified(client, tutor)
    html = client.get(reverse("marking:answer-detail", args=[answer.uuid])).content.decode()

    assert reverse("moderation:answer-mark", args=[answer.uuid]) in html
    assert "Try marking again" not in html


# Privacy ----------------------------------------------------------------------------------


def _entry():
    return next(entry for entry in personal_data_entries() if entry.name == "marking")


def test_the_learners_export_holds_the_tutors_mark(learner, tutor, gave_up):
    answer = gave_up(learner)
    _mark(answer, tutor)

    [exported] = json.loads(json.dumps(_entry().export(learner)))["written_answers"]

    assert exported["status"] == "marked_by_person"
    assert exported["tutor_mark"]["label"] == "correct"
    assert exported["tutor_mark"]["comment"] == "Well reasoned."
    assert exported["tutor_mark"]["point_verdicts"][0]["comment"] == "Clear."


def test_erasing_the_tutor_keeps_the_mark_without_the_link(learner, tutor, gave_up):
    answer = gave_up(learner)
    _mark(answer, tutor)

    exported = json.loads(json.dumps(_entry().export(tutor)))
    _entry().erase(tutor)

    assert exported["marks_made"][0]["answer"] == str(answer.uuid)
    person_mark = PersonMark.objects.get()
    assert person_mark.tutor is None
    assert person_mark.comment == "Well reasoned."


def test_erasing_the_learner_deletes_the_tutors_mark_of_their_answer(learner, tutor, gave_up):
    answer = gave_up(learner)
    _mark(answer, tutor)

    _entry().erase(learner)

    assert not PersonMark.objects.exists()
    assert not WrittenAnswer.objects.filter(pk=answer.pk).exists()


def test_the_learner_sees_a_mark_whose_tutor_left(client, learner, tutor, gave_up):
    answer = gave_up(learner)
    _mark(answer, tutor)
    _entry().erase(tutor)

    force_login_verified(client, learner)
    html = client.get(reverse("marking:answer-detail", args=[answer.uuid])).content.decode()

    assert "Marked by your tutor" in html
    assert f"Marked by a tutor on {timezone.localdate():%-d %B %Y}" in html


# A tutor's revision of the mark ------------------------------------------------------------


def _revise(answer, tutor, revises, *, label="incorrect", score=0.0):
    points = answer.item.payload["marking_points"]
    verdict = "met" if label == "correct" else "not_met"
    return person_mark_revise(
        tutor=tutor,
        answer=answer,
        revises_uuid=revises.uuid,
        point_verdicts=[{"point": p, "verdict": verdict, "comment": ""} for p in points],
        comment="On second reading, it misses both points.",
    )


def test_the_learner_sees_the_revised_mark_with_its_date(client, learner, tutor, gave_up):
    answer = gave_up(learner)
    first = _mark(answer, tutor)
    _revise(answer, tutor, first)

    force_login_verified(client, learner)
    html = client.get(reverse("marking:answer-detail", args=[answer.uuid])).content.decode()
    listed = client.get(reverse("marking:answer-list")).content.decode()

    assert "Marked by your tutor" in html
    assert "Not yet correct: 0% of the marks" in html
    assert "Correct: 100% of the marks" not in html
    assert f"Your tutor revised this mark on {timezone.localdate():%-d %B %Y}." in html
    assert "On second reading, it misses both points." in html
    assert "Well reasoned." not in html
    assert "Not yet correct, 0%" in listed
    assert "Correct, 100%" not in listed


def test_the_learners_export_holds_every_tutors_mark_with_what_it_revised(learner, tutor, gave_up):
    answer = gave_up(learner)
    first = _mark(answer, tutor)
    revision = _revise(answer, tutor, first)

    [exported] = json.loads(json.dumps(_entry().export(learner)))["written_answers"]
    made = json.loads(json.dumps(_entry().export(tutor)))["marks_made"]

    assert [m["uuid"] for m in exported["tutor_marks"]] == [str(first.uuid), str(revision.uuid)]
    assert [m["revises"] for m in exported["tutor_marks"]] == [None, str(first.uuid)]
    assert exported["tutor_mark"]["uuid"] == str(revision.uuid)
    assert exported["tutor_mark"]["label"] == "incorrect"
    assert [m["label"] for m in made] == ["correct", "incorrect"]


def test_erasing_the_learner_deletes_every_tutors_mark_of_their_answer(learner, tutor, gave_up):
    answer = gave_up(learner)
    _revise(answer, tutor, _mark(answer, tutor))

    _entry().erase(learner)

    assert not PersonMark.objects.exists()


def test_the_admin_shows_an_answers_history_of_tutors_marks(client, learner, tutor, gave_up):
    answer = gave_up(learner)
    first = _mark(answer, tutor)
    revision = _revise(answer, tutor, first)
    force_login_verified(client, UserFactory.create(is_staff=True, is_superuser=True))

    page = client.get(reverse("admin:marking_writtenanswer_change", args=[answer.pk]))
    listed = client.get(reverse("admin:marking_personmark_changelist"))

    assert page.status_code == 200
    html = page.content.decode()
    assert "marks (history)" in html
    assert html.index(str(first.uuid)) < html.index(str(revision.uuid))
    assert listed.status_code == 200
    assert str(revision.uuid) in listed.content.decode()
