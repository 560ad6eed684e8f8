"""The marking app's personal data: registered, exported as JSON, erased."""

from __future__ import annotations

import json

import pytest

from revisewise.marking.models import (
    MachineMark,
    MarkFlag,
    Moderation,
    ModerationDecision,
    WrittenAnswer,
)
from revisewise.marking.services import mark_flag_create
from revisewise.marking.tests.conftest import GOOD_WRITTEN_ANSWER
from revisewise.privacy.registry import personal_data_entries

pytestmark = pytest.mark.django_db


def _entry():
    return next(entry for entry in personal_data_entries() if entry.name == "marking")


def _marked_flagged_moderated(learner, tutor, item, submit):
    answer = submit(learner, item)
    mark = answer.marks.get()
    mark_flag_create(mark=mark, learner=learner, reason="I covered the next steps.")
    Moderation.objects.create(
        mark=mark,
        tutor=tutor,
        decision=ModerationDecision.CONFIRMED,
        point_verdicts=[],
        label=mark.label,
        score=mark.score,
        comment="The machine was right.",
    )
    return answer


def test_it_registers_the_marking_models():
    assert set(_entry().models) == {
        "marking.WrittenAnswer",
        "marking.MachineMark",
        "marking.MarkFlag",
        "marking.Moderation",
        "marking.PersonMark",
    }


def test_the_export_holds_answers_marks_flags_and_moderations_as_json(
    learner, other_learner, tutor, written_item, submit
):
    _marked_flagged_moderated(learner, tutor, written_item, submit)
    submit(other_learner, written_item, text="Someone else's answer.", token="other")

    exported = json.loads(json.dumps(_entry().export(learner)))["written_answers"]

    assert len(exported) == 1
    answer = exported[0]
    assert answer["answer"] == GOOD_WRITTEN_ANSWER
    assert answer["question"] == written_item.stem
    assert answer["status"] == "marked"
    [mark] = answer["marks"]
    assert mark["engine"].startswith("revisewise-feature-marker ")
    assert mark["flags"][0]["reason"] == "I covered the next steps."
    assert mark["moderations"][0]["comment"] == "The machine was right."
    assert "Someone else" not in json.dumps(exported)


def test_erasing_deletes_only_the_learners_marking_data(
    learner, other_learner, tutor, written_item, submit
):
    _marked_flagged_moderated(learner, tutor, written_item, submit)
    theirs = submit(other_learner, written_item, token="other")

    _entry().erase(learner)

    assert list(WrittenAnswer.objects.all()) == [theirs]
    assert MachineMark.objects.get().answer == theirs
    assert not MarkFlag.objects.exists()
    assert not Moderation.objects.exists()


def test_everything_cascades_from_the_attempt(learner, tutor, written_item, submit):
    answer = _marked_flagged_moderated(learner, tutor, written_item, submit)

    answer.attempt.delete()

    for model in (WrittenAnswer, MachineMark, MarkFlag, Moderation):
        assert not model.objects.exists()


def test_a_tutors_moderations_are_exported_and_unlinked_on_erasure(
    learner, tutor, written_item, submit
):
    answer = _marked_flagged_moderated(learner, tutor, written_item, submit)

    exported = json.loads(json.dumps(_entry().export(tutor)))
    _entry().erase(tutor)

    assert exported["written_answers"] == []
    assert exported["moderations_made"][0]["answer"] == str(answer.uuid)
    moderation = Moderation.objects.get()
    assert moderation.tutor is None
    assert moderation.comment == "The machine was right."
