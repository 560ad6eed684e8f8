from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from revisewise.discussion import services
from revisewise.discussion.feedback import answer_feedback
from revisewise.discussion.models import DiscussionAnswer, DiscussionMark
from revisewise.discussion.services import (
    DiscussionError,
    discussion_answer_mark,
    discussion_answer_submit,
    discussion_session_finish,
    discussion_session_start,
)
from revisewise.discussion.tests.factories import CRITERIA, GOOD_ANSWER, GUIDANCE
from revisewise.epa.models import MethodKind
from revisewise.epa.tests.factories import AssessmentMethodFactory, AssessmentPlanFactory
from revisewise.marking.engine import ENGINE_NAME, ENGINE_VERSION

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _start(learner, unit, count=4):
    return discussion_session_start(learner=learner, unit=unit, prompt_count=count, now=NOW)


def test_it_snapshots_the_prompts_with_the_criteria_they_cite(learner, unit):
    session = _start(learner, unit)

    assert session.prompt_count == 4
    first = session.prompts[0]
    assert first["basis"] == "objective"
    assert [c["text"] for c in first["pass_criteria"]] == [CRITERIA[0]]
    assert first["distinction_criteria"][0]["text"] == GUIDANCE[0]


def test_it_uses_the_default_time_guidance_without_a_plan(learner, unit):
    session = _start(learner, unit)

    assert (session.time_guidance_minutes, session.time_guidance_source) == (60, "default")


def test_it_takes_the_time_guidance_from_the_plans_professional_discussion(learner, unit):
    plan = AssessmentPlanFactory.create(qualification=unit.qualification, source_title="Plan X")
    AssessmentMethodFactory.create(
        plan=plan,
        kind=MethodKind.PROFESSIONAL_DISCUSSION,
        name="Professional discussion",
        duration_minutes=75,
        question_count=None,
    )

    session = _start(learner, unit)

    assert session.time_guidance_minutes == 75
    assert session.time_guidance_source.startswith("Professional discussion, Plan X")


def test_it_refuses_a_unit_without_criteria(learner):
    from revisewise.content.tests.factories import UnitFactory

    with pytest.raises(DiscussionError):
        _start(learner, UnitFactory.create())


def test_it_marks_with_the_real_engine_separating_pass_and_distinction(learner, unit):
    session = _start(learner, unit)
    answer = discussion_answer_submit(session=session, position=1, text=GOOD_ANSWER)

    mark = discussion_answer_mark(answer=answer)

    assert (mark.engine_name, mark.engine_version) == (ENGINE_NAME, ENGINE_VERSION)
    assert mark.grade_band in {"pass", "distinction"}
    passed = mark.result["pass"]["point_verdicts"]
    distinction = mark.result["distinction"]["point_verdicts"]
    assert len(passed) == len(session.prompts[0]["pass_criteria"]) == 1
    assert len(distinction) == len(session.prompts[0]["distinction_criteria"])
    assert passed[0]["verdict"] in {"met", "partly_met"}
    for verdict in [*passed, *distinction]:
        evidence = verdict["evidence"]
        if evidence:
            assert GOOD_ANSWER[evidence["start"] : evidence["end"]] == evidence["text"]
    feedback = answer_feedback(
        answer_text=GOOD_ANSWER, prompt=session.prompts[0], result=mark.result
    )
    assert [row.text for row in feedback.pass_rows] == [CRITERIA[0]]
    assert feedback.distinction_rows[0].text == GUIDANCE[0]
    assert "".join(segment.text for segment in feedback.segments) == GOOD_ANSWER
    assert any(segment.is_evidence for segment in feedback.segments)
    assert all(row.is_present for row in feedback.structure)


def test_it_marks_an_answer_off_the_point_lower_than_a_full_one(learner, unit):
    session = _start(learner, unit)
    good = discussion_answer_mark(
        answer=discussion_answer_submit(session=session, position=1, text=GOOD_ANSWER)
    )
    weak = discussion_answer_mark(
        answer=discussion_answer_submit(
            session=session, position=1, text="I like working with people and I am friendly."
        )
    )

    assert weak.score < good.score
    assert weak.result["pass"]["point_verdicts"][0]["verdict"] == "not_met"


def test_it_keeps_the_answer_when_marking_fails(learner, unit, monkeypatch):
    session = _start(learner, unit)
    answer = discussion_answer_submit(session=session, position=1, text=GOOD_ANSWER)

    def broken(request):
        raise RuntimeError("the model is not there")

    monkeypatch.setattr(services, "mark", broken)
    with pytest.raises(RuntimeError):
        discussion_answer_mark(answer=answer)

    assert DiscussionAnswer.objects.get(pk=answer.pk).text == GOOD_ANSWER
    assert not DiscussionMark.objects.exists()


def test_it_adds_a_new_mark_row_on_a_re_mark(learner, unit):
    session = _start(learner, unit)
    answer = discussion_answer_submit(session=session, position=2, text=GOOD_ANSWER)

    first = discussion_answer_mark(answer=answer)
    second = discussion_answer_mark(answer=answer)

    assert first.pk != second.pk
    assert DiscussionMark.objects.filter(answer=answer).count() == 2
    assert first.result == second.result


def test_it_refuses_an_answer_over_the_limit_and_stores_nothing(learner, unit):
    session = _start(learner, unit)

    with pytest.raises(DiscussionError, match="10,000"):
        discussion_answer_submit(session=session, position=1, text="a" * 10_001)

    assert not DiscussionAnswer.objects.exists()


def test_it_refuses_answers_after_the_session_finished(learner, unit):
    session = _start(learner, unit)
    discussion_session_finish(session=session, now=NOW + timedelta(minutes=30))

    with pytest.raises(DiscussionError):
        discussion_answer_submit(session=session, position=1, text=GOOD_ANSWER)
    assert session.finished_at == NOW + timedelta(minutes=30)
