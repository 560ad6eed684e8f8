from __future__ import annotations

import numpy as np

from revisewise.marking.model import Embedder
from revisewise.marking.training import Example, cv_scores, decide


def test_decide_says_correct_at_the_threshold_and_else_the_likelier_other_label():
    proba = np.array([[0.40, 0.50, 0.10], [0.39, 0.50, 0.11], [0.10, 0.20, 0.70]])
    assert list(decide(proba, 0.40)) == ["correct", "contradictory", "incorrect"]
    assert list(decide(proba, 0.41)) == ["contradictory", "contradictory", "incorrect"]


def _example(dataset: str, label: str) -> Example:
    return Example(
        dataset=dataset,
        question_id="q",
        module="",
        question="q?",
        references=("r",),
        answer="a",
        label_3way=label,
        label_2way="correct" if label == "correct" else "incorrect",
    )


def test_cv_scores_report_each_dataset_on_its_own_answers():
    examples = [_example("scientsbank", "correct"), _example("scientsbank", "incorrect")]
    examples += [_example("beetle", "correct"), _example("beetle", "incorrect")]
    right = np.array([[0.9, 0.0, 0.1], [0.1, 0.0, 0.9], [0.9, 0.0, 0.1], [0.1, 0.0, 0.9]])
    wrong_beetle = right.copy()
    wrong_beetle[2:] = right[2:][::-1]
    scores = cv_scores(wrong_beetle, right, examples, 0.4)
    assert scores.scientsbank_by_question == (1.0, 1.0)
    assert scores.beetle_by_question == (0.0, 0.0)
    assert scores.scientsbank_by_module == (1.0, 1.0)


def test_the_embedding_cache_keeps_the_most_recently_used_texts(engine):
    embedder = Embedder(engine.embedder.model_name)
    embedder._model = engine.embedder._load()
    embedder.cache_limit = 3
    embedder.encode(["one", "two", "three"])
    embedder.encode(["one"])  # used again: now the most recent
    embedder.encode(["four", "five"])
    assert list(embedder.cache) == ["one", "four", "five"]
    calls = embedder.encode_calls
    embedder.encode(["four", "five", "one"])
    assert embedder.encode_calls == calls  # all cached: no encoder pass
