from __future__ import annotations

import dataclasses

from revisewise.marking.engine import ENGINE_NAME, ENGINE_VERSION
from revisewise.marking.tests.conftest import GOOD_ANSWER


def test_it_gives_the_same_result_for_the_same_request(engine, unit_request):
    request = dataclasses.replace(unit_request, answer=GOOD_ANSWER)
    first, second = engine.mark(request), engine.mark(request)
    assert first == second
    assert first.probabilities == second.probabilities


def test_it_marks_a_complete_answer_correct_with_every_point_met(engine, unit_request):
    result = engine.mark(dataclasses.replace(unit_request, answer=GOOD_ANSWER))
    assert result.label == "correct"
    assert result.score >= 0.7
    assert [v.verdict for v in result.point_verdicts] == ["met"] * 4
    assert result.engine_name == ENGINE_NAME
    assert result.engine_version == ENGINE_VERSION


def test_it_quotes_evidence_as_exact_substrings_of_the_answer(engine, unit_request):
    result = engine.mark(dataclasses.replace(unit_request, answer=GOOD_ANSWER))
    for verdict in result.point_verdicts:
        assert verdict.evidence is not None
        assert GOOD_ANSWER[verdict.evidence.start : verdict.evidence.end] == verdict.evidence.text
    apologise = result.point_verdicts[1].evidence
    assert apologise is not None
    assert "apologise" in apologise.text


def test_it_marks_a_partial_answer_with_missing_points(engine, unit_request):
    answer = "I would apologise to the customer for the inconvenience."
    result = engine.mark(dataclasses.replace(unit_request, answer=answer))
    verdicts = {v.point: v.verdict for v in result.point_verdicts}
    assert verdicts["Apologise for the inconvenience"] == "met"
    assert verdicts["Investigate the cause of the delay"] == "not_met"
    assert result.label in ("partially_correct", "incorrect")
    assert result.score < 0.7
    assert "Investigate the cause of the delay" in result.feedback


def test_it_names_a_misconception_with_evidence_and_the_units_correction(engine, unit_request):
    answer = "You should argue with the customer to prove that the company was right."
    result = engine.mark(dataclasses.replace(unit_request, answer=answer))
    assert len(result.misconceptions_shown) == 1
    shown = result.misconceptions_shown[0]
    assert answer[shown.evidence.start : shown.evidence.end] == shown.evidence.text
    assert unit_request.misconceptions[0].correction in result.feedback
    assert result.label != "correct"


def test_it_gives_a_grade_band_only_when_the_question_has_criteria(engine, unit_request):
    with_criteria = engine.mark(dataclasses.replace(unit_request, answer=GOOD_ANSWER))
    without = engine.mark(
        dataclasses.replace(
            unit_request, answer=GOOD_ANSWER, pass_criteria=(), distinction_criteria=()
        )
    )
    assert with_criteria.grade_band in ("pass", "distinction")
    assert without.grade_band is None


def test_it_marks_against_reference_answers_when_there_are_no_marking_points(engine):
    from revisewise.marking.types import MarkingRequest

    request = MarkingRequest(
        question="How did you separate the salt from the water?",
        reference_answers=("The water was evaporated, leaving the salt.",),
        answer="Let the water evaporate and the salt is left behind.",
    )
    wrong = dataclasses.replace(request, answer="I used a magnet to pull it out.")
    assert engine.mark(request).label == "correct"
    assert engine.mark(wrong).label in ("incorrect", "partially_correct")
    assert engine.mark(request).point_verdicts == ()
