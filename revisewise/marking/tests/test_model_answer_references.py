"""Answers compared with a written model answer and no marking points (the shared data format):
the ``long_references`` decision (calibration.py; docs/marking.md, "Engine 2.5.0").
The feature-row check of the path is in test_engine_calibration (parametrised with the written
items' path); a one-line key keeping the classifier, there too."""

from __future__ import annotations

import dataclasses
from unittest import mock

from revisewise.marking import calibration
from revisewise.marking.calibration import EVAL_DIR, reads_like_model_answer
from revisewise.marking.engine import MarkingEngine
from revisewise.marking.tests.conftest import MODEL_ANSWER
from revisewise.marking.training import read_jsonl
from revisewise.marking.types import MarkingRequest


def test_a_reference_of_forty_words_or_more_reads_like_a_model_answer():
    assert reads_like_model_answer((" ".join(["word"] * 40),))
    assert reads_like_model_answer(("A short key.", " ".join(["word"] * 41)))
    assert not reads_like_model_answer((" ".join(["word"] * 39), "A short key."))
    assert len(MODEL_ANSWER.split()) >= calibration.LONG_REFERENCE_WORDS


def _model_answer_alone(name: str) -> list[tuple[bool, MarkingRequest]]:
    """Return a customer-service set's answers as shared-format rows: each compared with its
    item's model answer alone, no marking points or misconceptions."""
    return [
        (
            example.label_2way == "correct",
            MarkingRequest(
                question=example.question,
                answer=example.answer,
                reference_answers=(example.model_answer or "",),
            ),
        )
        for example in read_jsonl(EVAL_DIR / name)
    ]


def test_customer_service_answers_against_a_model_answer_alone_are_marked_far_better(engine):
    # Blind set 10 (never fitted on) in the shared format. Before 2.5.0 the SemEval-trained
    # classifier decided these: 2-way 0.628; 2.5.0 measured 0.803 (docs/marking.md).
    rows = _model_answer_alone("customer_service_blind10.jsonl")
    assert "customer_service_blind10.jsonl" not in calibration.DEVELOPMENT_FILES
    gold = [correct for correct, _ in rows]
    new = [engine.mark(request).label == "correct" for _, request in rows]
    with mock.patch.object(calibration, "LONG_REFERENCE_WORDS", 10_000):
        old = [engine.mark(request).label == "correct" for _, request in rows]
    assert calibration.macro_f1_2way(gold, new) >= 0.78
    assert calibration.macro_f1_2way(gold, new) - calibration.macro_f1_2way(gold, old) >= 0.15


def test_padding_rarely_passes_a_wrong_answer_compared_with_a_model_answer(
    engine: MarkingEngine,
) -> None:
    # The long_references model is fitted on padded copies too (calibration.PADDING); the check
    # bank was never fitted on. Blind set 5's answers are development data: 23 of the 94 wrong
    # answers turned down pass once padded (by leave-one-author-out 22%); the bound leaves room
    # for a few answers whose texts encode differently in another batch.
    turned_down = 0
    passed = 0
    for correct, request in _model_answer_alone("customer_service_blind5.jsonl"):
        if correct or engine.mark(request).label == "correct":
            continue
        turned_down += 1
        padded = calibration.padded(
            request.answer, f"test: {request.answer}", calibration.PADDING_CHECK
        )
        passed += engine.mark(dataclasses.replace(request, answer=padded)).label == "correct"
    assert turned_down >= 80
    assert passed / turned_down <= 0.3
