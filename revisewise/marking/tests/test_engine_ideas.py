from __future__ import annotations

import dataclasses

import pytest

from revisewise.marking.engine import VERDICT_CREDIT
from revisewise.marking.types import MarkingRequest, PointVerdict

QUESTION = (
    "Critically evaluate the possible journeys of your customers, including challenges and the "
    "end-to-end experience."
)
JOURNEY = (
    "Demonstrating a detailed mapping of a customer journey, identifying key touchpoints, "
    "potential friction areas, and emotional highs and lows."
)
ACROSS_SENTENCES = (
    "I would map the customer's whole journey from the first advert to the after-sales call. "
    "At each stage I would list the key touchpoints, such as the website, the phone line and "
    "the delivery. Then I would look for friction, the places where customers get stuck or give "
    "up. Finally I would note the emotional highs and lows, like relief when the parcel arrives "
    "or anger at a long wait."
)


@pytest.fixture
def journey() -> MarkingRequest:
    return MarkingRequest(question=QUESTION, answer="", marking_points=(JOURNEY,))


def test_a_point_covered_across_several_sentences_is_met_with_each_span(engine, journey):
    result = engine.mark(dataclasses.replace(journey, answer=ACROSS_SENTENCES))
    verdict = result.point_verdicts[0]
    assert verdict.verdict == "met"
    assert result.label == "correct"
    assert verdict.ideas_covered is not None
    assert verdict.ideas_covered >= 0.5
    assert len(verdict.evidence_spans) >= 3
    assert verdict.evidence in verdict.evidence_spans
    for span in verdict.evidence_spans:
        assert ACROSS_SENTENCES[span.start : span.end] == span.text
    starts = [span.start for span in verdict.evidence_spans]
    assert starts == sorted(starts)


def test_one_idea_of_several_is_not_the_whole_point(engine, journey):
    answer = (
        "I would map the customer's whole journey from the first advert to the after-sales call."
    )
    result = engine.mark(dataclasses.replace(journey, answer=answer))
    verdict = result.point_verdicts[0]
    assert verdict.verdict != "met"
    assert verdict.ideas_covered is not None
    assert verdict.ideas_covered < 0.5
    assert result.label != "correct"


def test_off_topic_text_earns_no_idea(engine, journey):
    answer = (
        "The weather was sunny and we had a picnic by the river. My cat likes to sleep on the "
        "sofa all afternoon, and then we watched a film about pirates."
    )
    result = engine.mark(dataclasses.replace(journey, answer=answer))
    assert result.label == "incorrect"
    assert result.score == 0.0
    assert all(v.verdict == "not_met" and not v.evidence_spans for v in result.point_verdicts)


def test_a_bare_list_of_one_points_ideas_is_capped(engine, journey):
    answer = "customer journey mapping, key touchpoints, friction areas, emotional highs and lows"
    result = engine.mark(dataclasses.replace(journey, answer=answer))
    assert "bare_list" in result.flags
    assert result.label == "partially_correct"
    assert result.score <= 0.5


def test_a_point_with_one_idea_keeps_a_single_evidence_span(engine, unit_request):
    answer = "I would apologise for the inconvenience straight away."
    result = engine.mark(dataclasses.replace(unit_request, answer=answer))
    verdicts = {v.point: v for v in result.point_verdicts}
    apology = verdicts["Apologise for the inconvenience"]
    assert apology.verdict == "met"
    assert apology.ideas_covered is None
    assert apology.evidence_spans == (apology.evidence,)


@pytest.mark.parametrize(
    ("written_correct", "p_correct", "credits", "label"),
    [
        # The calibrated decision stands whatever the points' coverage (since 2.2.0).
        (True, 0.2, ("not_met", "not_met"), "correct"),
        (False, 0.9, ("met", "met"), "partially_correct"),
        (False, 0.1, ("partly_met", "not_met"), "partially_correct"),
        (False, 0.1, ("not_met", "not_met"), "incorrect"),
    ],
)
def test_a_written_item_follows_the_calibrated_decision_and_the_points_do_not_veto(
    engine, written_correct, p_correct, credits, label
):
    probabilities = {"correct": p_correct, "incorrect": 1 - p_correct, "contradictory": 0.0}
    verdicts = tuple(PointVerdict(f"Point {i}", c, None, 0.0) for i, c in enumerate(credits))
    assert engine._label(probabilities, verdicts, (), written_correct=written_correct) == label


def test_a_correct_answer_never_reads_as_a_fail(engine):
    verdicts = (
        PointVerdict("Point", "partly_met", None, 0.0),
        PointVerdict("Two", "not_met", None, 0.0),
    )
    raw = 0.5 * 0.24 + 0.5 * 0.25

    assert raw < 0.5
    assert engine._score(0.24, verdicts, "correct") == 0.5
    assert engine._score(0.24, verdicts, "partially_correct") == pytest.approx(raw)


def test_a_written_items_score_starts_from_the_calibrated_probability(engine, unit_request):
    # One point covered and the answer correct read as "Correct: 67%" when the score started
    # from the classifier's raw P(correct) against the points; it now starts from the decision's.
    request = dataclasses.replace(
        unit_request,
        reference_answers=(),
        answer="I would listen, say sorry, find out why it was late and agree a fix.",
    )
    result = engine.mark(request)
    coverage = sum(VERDICT_CREDIT[v.verdict] for v in result.point_verdicts) / len(
        result.point_verdicts
    )
    expected = 0.5 * result.signals["p_written"] + 0.5 * coverage
    if result.label == "correct":
        expected = max(expected, 0.5)
    assert result.score == pytest.approx(expected, abs=1e-3)
    assert result.signals["p_written"] != pytest.approx(result.probabilities["correct"], abs=1e-3)
