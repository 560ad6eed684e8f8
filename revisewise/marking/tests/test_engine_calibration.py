"""The written-item decision (calibration.py; docs/marking.md, "Written-item calibration")."""

from __future__ import annotations

import dataclasses
import io
import json
import math

import numpy as np
import pytest
from django.core.management import call_command

from revisewise.marking import calibration, features
from revisewise.marking.calibration import (
    CALIBRATION_PATH,
    DEVELOPMENT_FILES,
    EVAL_DIR,
    EXPECTED_SIGN,
    FEATURES,
    PATHS,
    Calibration,
    PathModel,
    Row,
    load_calibration,
    logit,
)
from revisewise.marking.engine import MarkingEngine
from revisewise.marking.model import CLASSIFIER_PATH
from revisewise.marking.tests.conftest import MODEL_ANSWER
from revisewise.marking.types import MarkingRequest

SEVERAL_POINTS = (
    "Listen to the customer and acknowledge the complaint",
    "Apologise for the inconvenience",
    "Investigate the cause of the delay",
    "Agree a solution and follow up with the customer",
)


def _written_item(question: str, points: tuple[str, ...]) -> MarkingRequest:
    return MarkingRequest(question=question, answer="", marking_points=points)


def test_the_logit_is_finite_at_zero_and_one():
    assert logit(0.5) == 0.0
    assert logit(0.0) == pytest.approx(math.log(1e-4 / (1 - 1e-4)))
    assert logit(1.0) == pytest.approx(-logit(0.0))


def test_a_path_model_is_a_standardised_logistic_regression():
    model = PathModel(
        features=("a", "b"), mean=(1.0, -1.0), scale=(2.0, 0.5), coef=(1.5, -0.5), intercept=0.25
    )
    z = 0.25 + 1.5 * (3.0 - 1.0) / 2.0 - 0.5 * (0.0 + 1.0) / 0.5
    assert model.probability({"a": 3.0, "b": 0.0, "ignored": 9.0}) == pytest.approx(
        1 / (1 + math.exp(-z))
    )


def test_a_signal_the_request_cannot_give_is_held_at_its_development_mean():
    model = PathModel(
        features=("a", "b"), mean=(1.0, -1.0), scale=(2.0, 0.5), coef=(1.5, -0.5), intercept=0.25
    )
    assert model.probability({"a": 3.0}) == pytest.approx(model.probability({"a": 3.0, "b": -1.0}))
    assert model.probability({"a": 3.0}) != pytest.approx(model.probability({"a": 3.0, "b": 0.0}))


def test_the_fitted_numbers_reproduce_scikit_learns_probabilities():
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    rng = np.random.default_rng(7)
    x = rng.normal(size=(60, 2))
    y = x[:, 0] + 0.5 * x[:, 1] + rng.normal(scale=0.5, size=60) > 0
    rows = [
        Row(path="scheme", question_id=f"q{i % 6}", correct=bool(c), signals={"a": a, "b": b})
        for i, ((a, b), c) in enumerate(zip(x, y, strict=True))
    ]
    model = calibration.fit_path(rows, ("a", "b"))
    scaler = StandardScaler().fit(x)
    reference = LogisticRegression(C=calibration.C, class_weight="balanced", max_iter=1000)
    expected = reference.fit(scaler.transform(x), y).predict_proba(scaler.transform(x))[:, 1]
    got = [model.probability({"a": a, "b": b}) for a, b in x]
    assert got == pytest.approx(list(expected), abs=1e-9)
    # Leave-one-question-out never fits on the question it decides: a question whose labels
    # are the opposite of every other question's is decided wrongly throughout.
    flipped = [
        dataclasses.replace(r, correct=not r.correct) if r.question_id == "q0" else r for r in rows
    ]
    decided = calibration.leave_one_question_out(flipped, ("a", "b"))
    q0 = [(d, r.correct) for d, r in zip(decided, flipped, strict=True) if r.question_id == "q0"]
    assert sum(d == c for d, c in q0) <= len(q0) // 3


def test_the_committed_artefact_was_fitted_on_the_committed_sets_and_classifier():
    data = json.loads(CALIBRATION_PATH.read_text(encoding="utf-8"))
    for name in DEVELOPMENT_FILES:
        assert data["fitted_on"][name] == calibration._sha256(EVAL_DIR / name)
    assert data["classifier_sha256"] == calibration._sha256(CLASSIFIER_PATH)
    # Never the blind set being written.
    assert set(data["fitted_on"]) == set(DEVELOPMENT_FILES)
    loaded = load_calibration()
    assert set(loaded.models) == set(PATHS)
    for path in PATHS:
        assert loaded.models[path].features == FEATURES[path]
        # More P(correct), against whatever text, or contradicting a misconception, means more
        # likely correct on every path; agreeing with a misconception, less.
        model = loaded.models[path]
        for name, coef in zip(model.features, model.coef, strict=True):
            if name in EXPECTED_SIGN:
                assert coef * EXPECTED_SIGN[name] > 0, (path, name)


def test_a_written_item_records_the_signals_and_follows_the_calibration(engine, unit_request):
    scheme = dataclasses.replace(
        unit_request,
        reference_answers=(),
        answer="I would listen, say sorry, find out why it was late and agree a fix.",
    )
    result = engine.mark(scheme)
    signals = result.signals
    assert set(calibration.SIGNALS) <= set(signals)
    assert signals["path_scheme"] == 1.0
    assert signals["p_correct"] == pytest.approx(logit(result.probabilities["correct"]), abs=1e-3)
    # The model answer was compared on its own: its signal is not a copy of p_correct.
    assert signals["p_model_answer"] != signals["p_correct"]
    expected = engine.calibration.probability("scheme", signals)
    assert signals["p_written"] == pytest.approx(expected, abs=1e-3)
    assert (result.label == "correct") == (signals["p_written"] >= 0.5)

    assert signals["p_point_min"] != signals["p_correct"]
    assert signals["log_points"] == pytest.approx(math.log(len(scheme.marking_points)), abs=1e-3)

    with_refs = dataclasses.replace(unit_request, answer=scheme.answer)
    signals = engine.mark(with_refs).signals
    assert signals["path_scheme"] == 0.0
    assert signals["p_point_min"] != signals["p_correct"]
    assert signals["p_model_answer"] != signals["p_correct"]
    assert signals["p_written"] == pytest.approx(
        engine.calibration.probability("references", signals), abs=1e-3
    )


def test_the_answer_is_compared_with_each_misconception_and_its_correction(engine, unit_request):
    request = dataclasses.replace(unit_request, reference_answers=())
    [item] = request.misconceptions
    agrees = engine.mark(
        dataclasses.replace(
            request, answer="You should argue with the customer to prove we were right."
        )
    ).signals
    corrects = engine.mark(
        dataclasses.replace(request, answer="Stay calm and courteous, the aim is to resolve it.")
    ).signals
    # The answer that repeats the misconception agrees with it more than with its correction.
    assert agrees["mis_agree"] > 0 > corrects["mis_agree"]
    assert set(calibration.SIGNALS) <= set(agrees)

    without = engine.mark(
        dataclasses.replace(request, misconceptions=(), answer="Stay calm and resolve it.")
    ).signals
    assert "mis_agree" not in without
    assert "mis_contradicts" not in without
    assert without["p_written"] == pytest.approx(
        engine.calibration.probability("scheme", without), abs=1e-3
    )
    assert item.statement in engine.item_texts(request)


def test_the_decision_turns_on_the_calibration_alone(engine, unit_request):
    request = dataclasses.replace(unit_request, reference_answers=(), answer="I would apologise.")

    def always(correct: bool) -> Calibration:
        models = {
            p: PathModel(
                FEATURES[p],
                (0.0,) * len(FEATURES[p]),
                (1.0,) * len(FEATURES[p]),
                (0.0,) * len(FEATURES[p]),
                9.0 if correct else -9.0,
            )
            for p in PATHS
        }
        return Calibration(models=models)

    yes = MarkingEngine(
        embedder=engine.embedder,
        classifier=engine.classifier,
        manifest=engine.manifest,
        calibration=always(True),
    )
    never = MarkingEngine(
        embedder=engine.embedder,
        classifier=engine.classifier,
        manifest=engine.manifest,
        calibration=always(False),
    )
    assert yes.mark(request).label == "correct"
    assert never.mark(request).label != "correct"


def test_answers_without_marking_points_keep_the_classifier_threshold(engine):
    result = engine.mark(
        MarkingRequest(
            question="Why do we apologise to a customer (calibration test five)?",
            answer="To show we understand their frustration.",
            reference_answers=("It shows empathy for the customer's frustration.",),
        )
    )
    assert result.signals == {}
    expected = result.probabilities["correct"] >= engine.correct_threshold
    assert (result.label == "correct") == expected


def test_each_reference_alone_gives_the_features_of_marking_against_it_alone(engine):
    question = "How should you handle a complaint about a late delivery?"
    answer = "I listen, apologise, and find out why the parcel was late, then agree a refund."
    encoded = engine.embedder.encode([question, answer, *SEVERAL_POINTS])
    spans = features.answer_clause_spans(answer)
    refs = [encoded[p] for p in SEVERAL_POINTS]
    each = features.extract_each(encoded[question], refs, encoded[answer], spans)
    for ref, row in zip(refs, each, strict=True):
        alone = features.extract_encoded(encoded[question], [ref], encoded[answer], spans)
        assert np.array_equal(row, alone)


def test_the_extra_comparisons_cost_no_encoder_pass(engine):
    item = dataclasses.replace(
        _written_item(
            "How should you handle a complaint about a late delivery (calibration test one)?",
            SEVERAL_POINTS,
        ),
        model_answer="Listen, apologise, investigate the delay and agree a remedy.",
    )
    engine.mark(dataclasses.replace(item, answer="I would listen, apologise and find out why."))
    calls = engine.embedder.encode_calls
    engine.mark(dataclasses.replace(item, answer="Say sorry, look into the delay, offer a refund."))
    # The second answer costs one encoder pass (the answer alone): the model answer, the points
    # and the baseline come from the caches.
    assert engine.embedder.encode_calls == calls + 1


def test_the_baseline_is_computed_once_per_item_and_reused(engine):
    item = _written_item(
        "How should you handle a complaint about a late delivery (calibration test two)?",
        SEVERAL_POINTS,
    )
    before = engine.baseline_computations
    engine.mark(
        dataclasses.replace(item, answer="I would listen, apologise and find out the cause.")
    )
    after_first = engine.baseline_computations
    engine.mark(
        dataclasses.replace(item, answer="Say sorry, look into the delay and agree a refund.")
    )
    assert after_first == before + 1
    assert engine.baseline_computations == after_first
    calls = engine.embedder.encode_calls
    assert engine.item_baseline(item) == engine.item_baseline(item)
    assert engine.baseline_computations == after_first
    assert engine.embedder.encode_calls == calls


def test_an_item_with_several_points_has_a_lower_baseline_than_one_with_one(engine):
    several = _written_item(
        "How should you handle a complaint about a late delivery (calibration test three)?",
        SEVERAL_POINTS,
    )
    one = dataclasses.replace(several, marking_points=(SEVERAL_POINTS[0],))
    low, high = engine.item_baseline(several), engine.item_baseline(one)
    assert 0.0 < low < high <= 1.0
    assert high > 0.9


def test_items_with_reference_answers_compute_no_baseline(engine):
    before = engine.baseline_computations
    engine.mark(
        MarkingRequest(
            question="Why do we apologise to a customer (calibration test four)?",
            answer="To show we understand their frustration.",
            marking_points=("Show empathy",),
            reference_answers=("It shows empathy for the customer's frustration.",),
        )
    )
    assert engine.baseline_computations == before


def test_calibrate_marker_reproduces_the_committed_artefact(tmp_path, monkeypatch):
    # Refits from the committed development sets (marks about 10,000 rows with the padded copies,
    # a few minutes) into a temporary file and checks the numbers equal the committed artefact's:
    # to four significant figures (or 1e-5 for a coefficient near zero, which moves no decision),
    # since a text encoded in another batch (or read from the encoding cache) differs in the
    # seventh; a decision that close to one half may flip, so the cross-validated F1 may move by
    # one answer in a few hundred.
    target = tmp_path / "written_calibration.json"
    monkeypatch.setattr(calibration, "CALIBRATION_PATH", target)
    call_command("calibrate_marker", stdout=io.StringIO())
    fresh = json.loads(target.read_text(encoding="utf-8"))
    committed = json.loads(CALIBRATION_PATH.read_text(encoding="utf-8"))
    assert set(fresh["models"]) == set(committed["models"]) == set(PATHS)
    for path in PATHS:
        for key in ("mean", "scale", "coef"):
            assert fresh["models"][path][key] == pytest.approx(
                committed["models"][path][key], rel=1e-4, abs=1e-5
            )
        assert fresh["models"][path]["intercept"] == pytest.approx(
            committed["models"][path]["intercept"], rel=1e-4, abs=1e-5
        )
    for key in ("leave_one_question_out_macro_f1_2way", "leave_one_author_out_macro_f1_2way"):
        assert fresh[key].keys() == committed[key].keys()
        for name, value in committed[key].items():
            assert fresh[key][name] == pytest.approx(value, abs=0.005), (key, name)


@pytest.mark.parametrize("path", ["scheme", "long_references"])
def test_the_decision_reads_the_answers_feature_row_against_the_points_or_the_model_answer(
    engine, unit_request, path
):
    answer = "I would listen, say sorry, find out why it was late and agree a fix."
    if path == "scheme":
        request = dataclasses.replace(unit_request, reference_answers=(), answer=answer)
        compared_with = " ".join(request.marking_points)
    else:
        request = MarkingRequest(
            question=unit_request.question, answer=answer, reference_answers=(MODEL_ANSWER,)
        )
        compared_with = MODEL_ANSWER
    result = engine.mark(request)
    signals = result.signals
    encoded = engine.embedder.encode([request.answer, request.question, compared_with])
    row = features.extract_encoded(
        encoded[request.question],
        [encoded[compared_with]],
        encoded[request.answer],
        features.answer_clause_spans(request.answer),
    )
    expected = calibration.feature_row_signals(row)
    assert list(expected) == list(calibration.FEATURE_ROW)
    assert [signals[name] for name in calibration.FEATURE_ROW] == pytest.approx(
        list(expected.values()), abs=1e-3
    )
    # The decision never reads the answer's length.
    assert not any("len" in name for name in calibration.FEATURE_ROW)
    assert FEATURES[path] == calibration.FEATURE_ROW
    assert signals["p_written"] == pytest.approx(
        engine.calibration.probability(path, signals), abs=1e-3
    )
    assert (result.label == "correct") == (
        signals["p_written"] >= engine.calibration.decision_probability
    )


def test_padding_adds_two_to_four_of_the_banks_sentences_the_same_way_for_the_same_key():
    answer = "Apologise and put it right."
    first = calibration.padded(answer, "set: a1", calibration.PADDING)
    assert first == calibration.padded(answer, "set: a1", calibration.PADDING)
    assert first.startswith(answer) or first.endswith(answer)
    added = first.replace(answer, "")
    assert 2 <= sum(sentence in added for sentence in calibration.PADDING) <= 4
    keys = [f"set: a{i}" for i in range(40)]
    padded = [calibration.padded(answer, key, calibration.PADDING) for key in keys]
    assert any(p.startswith(answer) for p in padded)
    assert any(p.endswith(answer) for p in padded)
    # The bank padding is measured with is never fitted on.
    assert not set(calibration.PADDING) & set(calibration.PADDING_CHECK)
