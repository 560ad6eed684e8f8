"""Question-level features (engine 2.1.0) and the classifier members that see them."""

from __future__ import annotations

import math

import numpy as np

from revisewise.marking import features
from revisewise.marking import text as t
from revisewise.marking.training import BOOSTING_EXCLUDED, make_classifier

QUESTION = "How did you separate the salt from the water?"
REFERENCE = "The water was evaporated, leaving the salt behind in the dish."


def _named(vector: np.ndarray) -> dict[str, float]:
    return dict(zip(features.ALL_FEATURES, (float(v) for v in vector), strict=True))


def test_question_features_come_from_the_question_and_references_alone(engine):
    right = _named(
        features.extract(QUESTION, (REFERENCE,), "We let the water evaporate.", engine.embedder)
    )
    wrong = _named(features.extract(QUESTION, (REFERENCE,), "We used a magnet.", engine.embedder))
    for name in ("ref_len_log", "ref_dem_len_log", "question_len_log", "cos_question_ref"):
        assert right[name] == wrong[name], name
    ref_words = t.content_words(REFERENCE)
    q_stems = set(t.stems(t.content_words(QUESTION)))
    beyond = [w for w in ref_words if t.stem(w) not in q_stems]
    assert 0 < len(beyond) < len(ref_words)  # "water" and "salt" are the question's
    assert right["ref_len_log"] == math.log1p(len(ref_words))
    assert right["ref_dem_len_log"] == math.log1p(len(beyond))
    assert right["question_len_log"] == math.log1p(len(t.content_words(QUESTION)))
    assert math.isclose(right["ref_dem_share"], len(beyond) / len(ref_words))
    # The normalised gain follows the answer: the room between the reference's similarity to
    # the question and a perfect match that the answer takes up.
    for row in (right, wrong):
        expected = (row["cos_max"] - row["cos_question_ref"]) / (1 - row["cos_question_ref"] + 1e-3)
        assert math.isclose(row["cos_gain_norm"], expected, rel_tol=1e-9)
    assert right["cos_gain_norm"] > wrong["cos_gain_norm"]


def test_reference_lengths_are_averaged_over_the_references(engine):
    short, long = "Evaporation.", REFERENCE
    row = _named(features.extract(QUESTION, (short, long), "It evaporated.", engine.embedder))
    expected = math.log1p(len(t.content_words(short))) + math.log1p(len(t.content_words(long)))
    assert math.isclose(row["ref_len_log"], expected / 2)


def test_the_boosting_member_never_sees_the_question_level_lengths():
    rng = np.random.default_rng(0)
    names = features.CLASSIFIER_FEATURES
    x = rng.normal(size=(300, len(names)))
    y = np.asarray(["correct", "contradictory", "incorrect"] * 100)
    x[y == "correct", 0] += 2.0
    excluded = [i for i, n in enumerate(names) if n in BOOSTING_EXCLUDED]
    assert len(excluded) == len(BOOSTING_EXCLUDED) == 4
    x[:, excluded] += (y == "correct")[:, None] * 3.0  # informative, so the regression uses them
    model = make_classifier("ensemble").fit(x, y)
    changed = x[:20].copy()
    changed[:, excluded] = -changed[:, excluded]
    boosting = model.named_estimators_["hgb"]
    regression = model.named_estimators_["logreg"]
    assert np.array_equal(boosting.predict_proba(x[:20]), boosting.predict_proba(changed))
    assert not np.allclose(regression.predict_proba(x[:20]), regression.predict_proba(changed))
