"""`person_mark_record`: who may mark, what a mark must hold, and races that only one may win."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from revisewise.marking.models import MarkingStatus, PersonMark, WrittenAnswer
from revisewise.marking.services import AnswerNotAwaitingPerson, written_answer_retry
from revisewise.moderation.services import person_mark_record
from revisewise.moderation.tests.factories import POINTS, WrittenAnswerFactory
from revisewise.moderation.tests.races import race
from revisewise.scheduling.models import ReviewLog


def needs_person(learner) -> WrittenAnswer:
    return WrittenAnswerFactory.create(
        attempt__session__learner=learner,
        status=MarkingStatus.NEEDS_PERSON,
        marked_at=None,
        marking_attempts=3,
    )


def rows(*verdicts: str) -> list[dict[str, str]]:
    return [
        {"point": p, "verdict": v, "comment": ""} for p, v in zip(POINTS, verdicts, strict=False)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("verdicts", "label", "score"),
    [
        (("met", "met", "met"), "correct", 1.0),
        (("met", "partly_met", "not_met"), "partially_correct", 0.5),
        (("not_met", "not_met", "not_met"), "incorrect", 0.0),
    ],
)
def test_the_mark_follows_from_the_verdicts_by_the_engines_point_rules(
    tutor, learner, verdicts, label, score
):
    answer = needs_person(learner)

    person_mark = person_mark_record(
        tutor=tutor, answer=answer, point_verdicts=rows(*verdicts), comment=""
    )

    assert (person_mark.label, person_mark.score) == (label, score)


@pytest.mark.django_db
def test_it_refuses_someone_who_does_not_tutor_the_learner(other_tutor, learner):
    answer = needs_person(learner)

    with pytest.raises(PermissionDenied):
        person_mark_record(
            tutor=other_tutor, answer=answer, point_verdicts=rows("met", "met", "met"), comment=""
        )
    assert not PersonMark.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("given", "message"),
    [
        (rows("met", "met"), "Choose a verdict for"),
        (rows("met", "met", "maybe"), "Choose a verdict for"),
        ([*rows("met", "met", "met"), {"point": "Invented", "verdict": "met"}], "unknown point"),
        ([*rows("met", "met", "met"), *rows("met")], "given twice"),
    ],
)
def test_it_stores_nothing_for_a_missing_unknown_or_repeated_verdict(
    tutor, learner, given, message
):
    answer = needs_person(learner)

    with pytest.raises(ValidationError, match=message):
        person_mark_record(tutor=tutor, answer=answer, point_verdicts=given, comment="")

    answer.refresh_from_db()
    assert answer.status == MarkingStatus.NEEDS_PERSON
    assert not PersonMark.objects.exists()


@pytest.mark.django_db
def test_it_refuses_an_overlong_comment(tutor, learner):
    answer = needs_person(learner)

    with pytest.raises(ValidationError, match="2,000 characters"):
        person_mark_record(
            tutor=tutor, answer=answer, point_verdicts=rows("met", "met", "met"), comment="x" * 2001
        )


# Real races, on PostgreSQL: two connections start from the same needs_person row at once ----


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgresql_only")
def test_two_tutors_marking_at_once_store_one_mark(tutor, centre_admin, learner):
    answer = needs_person(learner)

    results = race(
        lambda: person_mark_record(
            tutor=tutor, answer=answer, point_verdicts=rows("met", "met", "met"), comment=""
        ),
        lambda: person_mark_record(
            tutor=centre_admin,
            answer=answer,
            point_verdicts=rows("not_met", "not_met", "not_met"),
            comment="",
        ),
    )

    won = [r for r in results if isinstance(r, PersonMark)]
    lost = [r for r in results if isinstance(r, AnswerNotAwaitingPerson)]
    assert (len(won), len(lost)) == (1, 1), results
    assert PersonMark.objects.get().pk == won[0].pk
    assert ReviewLog.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgresql_only")
def test_a_tutors_mark_and_the_learners_retry_at_once_let_one_win(tutor, learner):
    answer = needs_person(learner)

    results = race(
        lambda: person_mark_record(
            tutor=tutor, answer=answer, point_verdicts=rows("met", "met", "met"), comment=""
        ),
        lambda: written_answer_retry(answer=answer, learner=learner),
    )

    marked, retried = results
    answer.refresh_from_db()
    if isinstance(marked, PersonMark):
        assert isinstance(retried, ValueError), results
        assert answer.status == MarkingStatus.MARKED_BY_PERSON
        assert ReviewLog.objects.count() == 1
    else:
        assert isinstance(marked, AnswerNotAwaitingPerson), results
        assert isinstance(retried, WrittenAnswer), results
        assert answer.status != MarkingStatus.MARKED_BY_PERSON
        assert not PersonMark.objects.exists()
