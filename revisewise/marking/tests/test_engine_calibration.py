"""Per-item calibration of the written-item decision (docs/marking.md, "Per-item calibration")."""

from __future__ import annotations

import dataclasses
import math

import pytest

from revisewise.marking.engine import (
    SCHEME_BASELINE_FLOOR,
    SCHEME_CORRECT_PROBABILITY,
    scheme_threshold,
)
from revisewise.marking.types import MarkingRequest, PointVerdict

SEVERAL_POINTS = (
    "Listen to the customer and acknowledge the complaint",
    "Apologise for the inconvenience",
    "Investigate the cause of the delay",
    "Agree a solution and follow up with the customer",
)


def _probabilities(p_correct: float) -> dict[str, float]:
    return {"correct": p_correct, "incorrect": 1 - p_correct, "contradictory": 0.0}


def _verdicts(*credits: str) -> tuple[PointVerdict, ...]:
    return tuple(PointVerdict(f"Point {i}", c, None, 0.0) for i, c in enumerate(credits))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("baseline", "threshold"),
    [
        (1.0, SCHEME_CORRECT_PROBABILITY),
        (0.49, SCHEME_CORRECT_PROBABILITY * 0.7),
        (0.36, SCHEME_CORRECT_PROBABILITY * 0.6),
        # Floored: a baseline near nothing never lowers the threshold below half.
        (0.01, SCHEME_CORRECT_PROBABILITY * math.sqrt(SCHEME_BASELINE_FLOOR)),
        (0.0, SCHEME_CORRECT_PROBABILITY * 0.5),
        (1.7, SCHEME_CORRECT_PROBABILITY),
    ],
)
def test_the_threshold_scales_with_the_square_root_of_the_item_baseline(baseline, threshold):
    assert scheme_threshold(baseline) == pytest.approx(threshold)


def test_the_same_answer_is_correct_on_an_item_whose_own_points_score_low(engine):
    # P(correct) 0.20 is under the threshold for an item whose points score 1.0 as answers, but
    # over it (0.25 x sqrt(0.49) = 0.175) for an item whose points score 0.49.
    probabilities, verdicts = _probabilities(0.20), _verdicts("met", "partly_met")
    assert engine._label(probabilities, verdicts, (), scheme_only=True, baseline=1.0) == (
        "partially_correct"
    )
    assert engine._label(probabilities, verdicts, (), scheme_only=True, baseline=0.49) == (
        "correct"
    )
    # The coverage condition still holds whatever the baseline.
    uncovered = _verdicts("not_met", "not_met")
    assert engine._label(probabilities, uncovered, (), scheme_only=True, baseline=0.49) == (
        "incorrect"
    )


def test_items_with_reference_answers_ignore_the_baseline(engine):
    probabilities, verdicts = _probabilities(0.20), _verdicts("met", "met")
    assert engine._label(probabilities, verdicts, (), scheme_only=False, baseline=0.25) == (
        "partially_correct"
    )


def _written_item(question: str, points: tuple[str, ...]) -> MarkingRequest:
    return MarkingRequest(question=question, answer="", marking_points=points)


def test_the_baseline_is_computed_once_per_item_and_reused(engine):
    item = _written_item(
        "How should you handle a complaint about a late delivery (calibration test one)?",
        SEVERAL_POINTS,
    )
    before = engine.baseline_computations
    engine.mark(
        dataclasses.replace(item, answer="I would listen, apologise and find out the cause.")
    )
    after_first = engine.baseline_computations
    calls = engine.embedder.encode_calls
    engine.mark(
        dataclasses.replace(item, answer="Say sorry, look into the delay and agree a refund.")
    )
    assert after_first == before + 1
    assert engine.baseline_computations == after_first
    # The second answer costs one encoder pass (the answer alone), the baseline none.
    assert engine.embedder.encode_calls == calls + 1
    calls = engine.embedder.encode_calls
    # Asking again costs neither a computation nor an encoder pass: it comes from the cache.
    assert engine.item_baseline(item) == engine.item_baseline(item)
    assert engine.baseline_computations == after_first
    assert engine.embedder.encode_calls == calls


def test_an_item_with_several_points_has_a_lower_baseline_than_one_with_one(engine):
    several = _written_item(
        "How should you handle a complaint about a late delivery (calibration test two)?",
        SEVERAL_POINTS,
    )
    one = dataclasses.replace(several, marking_points=(SEVERAL_POINTS[0],))
    low, high = engine.item_baseline(several), engine.item_baseline(one)
    assert 0.0 < low < high <= 1.0
    # One point marked as the answer against itself is close to certain.
    assert high > 0.9


def test_items_with_reference_answers_compute_no_baseline(engine):
    before = engine.baseline_computations
    engine.mark(
        MarkingRequest(
            question="Why do we apologise to a customer (calibration test three)?",
            answer="To show we understand their frustration.",
            marking_points=("Show empathy",),
            reference_answers=("It shows empathy for the customer's frustration.",),
        )
    )
    engine.mark(
        MarkingRequest(
            question="Why do we apologise to a customer (calibration test four)?",
            answer="To show we understand their frustration.",
            reference_answers=("It shows empathy for the customer's frustration.",),
        )
    )
    assert engine.baseline_computations == before
