from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json

import numpy as np
import pytest

from revisewise.marking import text as t
from revisewise.marking.engine import ENGINE_VERSION, MAX_SPANS
from revisewise.marking.features import ALL_FEATURES
from revisewise.marking.model import (
    CLASSIFIER_PATH,
    MANIFEST_PATH,
    Embedder,
    _chunks,
    length_batches,
)
from revisewise.marking.tests.conftest import GOOD_ANSWER

FILLER = "The weather on the day was dry and the office was busy with other work. "
LONG_TAIL = "I would investigate the cause of the delay with the courier."


def test_capped_clauses_stay_within_the_limit_and_cover_every_sentence():
    answer = FILLER * 60 + LONG_TAIL
    spans = t.capped_clauses(answer, MAX_SPANS)
    assert len(spans) <= MAX_SPANS
    for span in spans:
        assert answer[span.start : span.end] == span.text
    for sentence in t.CLAUSE_RE.finditer(answer):
        if sentence.group().strip():
            assert any(s.start <= sentence.start() + 1 and sentence.end() <= s.end for s in spans)


def test_capped_clauses_leave_a_short_answer_alone():
    assert t.capped_clauses(GOOD_ANSWER, MAX_SPANS) == t.clauses(GOOD_ANSWER)


def test_a_point_made_at_the_end_of_a_long_answer_is_still_found(engine, unit_request):
    answer = FILLER * 60 + LONG_TAIL
    result = engine.mark(dataclasses.replace(unit_request, answer=answer))
    verdicts = {v.point: v for v in result.point_verdicts}
    investigate = verdicts["Investigate the cause of the delay"]
    assert investigate.verdict in ("met", "partly_met")
    assert investigate.evidence is not None
    assert "investigate the cause of the delay" in investigate.evidence.text
    assert answer[investigate.evidence.start : investigate.evidence.end] == (
        investigate.evidence.text
    )


def test_an_answer_costs_one_encoder_pass_once_its_question_is_cached(engine, unit_request):
    engine.mark(dataclasses.replace(unit_request, answer="I would apologise to them."))
    before = engine.embedder.encode_calls
    answer = GOOD_ANSWER + " I would also keep a record of the complaint, as the unit says."
    engine.mark(dataclasses.replace(unit_request, answer=answer))
    assert engine.embedder.encode_calls == before + 1


def test_long_texts_are_encoded_in_chunks_that_cover_all_of_them(engine):
    text = ("Sentence number one is here. " * 80).strip()
    chunks = _chunks(text)
    assert len(chunks) > 1
    assert "".join(chunk for _, chunk in chunks) == text
    for offset, chunk in chunks:
        assert text[offset : offset + len(chunk)] == chunk
    encoded = engine.embedder.get(text)
    assert int(encoded.ends.max()) > len(text) - 10  # the last words have token vectors


def _cost(batches: list[list[int]], lengths: list[int], overhead: int) -> int:
    return sum(len(b) * max(lengths[i] for i in b) + overhead for b in batches)


@pytest.mark.parametrize(
    "lengths",
    [[39, 51, 61, 68, 97], [25, 36, 43, 65, 72, 83, 130], [40] * 5, [12], [200, 8, 190, 9, 11]],
)
def test_length_batches_cover_every_piece_once_at_the_least_padded_cost(lengths):
    overhead, limit = 32, 3
    batches = length_batches(lengths, overhead=overhead, limit=limit)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    assert all(1 <= len(b) <= limit for b in batches)
    # No split of the pieces in order of length into batches of at most `limit` costs less.
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    splits = [
        [order[a:b] for a, b in itertools.pairwise((0, *cuts, len(order)))]
        for n in range(len(order))
        for cuts in itertools.combinations(range(1, len(order)), n)
    ]
    cheapest = min(
        _cost(split, lengths, overhead) for split in splits if all(len(b) <= limit for b in split)
    )
    assert _cost(batches, lengths, overhead) == cheapest


def test_length_batches_keep_short_and_long_pieces_apart():
    # The question, the answer and two long references of an item's first answer.
    batches = length_batches([20, 25, 130, 128])
    assert sorted(map(sorted, batches)) == [[0, 1], [2, 3]]
    assert length_batches([]) == []


def test_texts_encoded_together_match_each_text_encoded_alone(engine):
    """Batching (and the padding it adds) must not change an encoding beyond float noise."""
    texts = [
        "Apologise.",
        "Say sorry to the customer and find out what went wrong with the delivery.",
        ("I would listen to the customer, apologise and then investigate the cause. " * 6),
    ]
    together = Embedder(engine.embedder.model_name, cache_dir="")
    together._model = engine.embedder._load()
    alone = Embedder(engine.embedder.model_name, cache_dir="")
    alone._model = together._model
    batch = together.encode(texts)
    for text in texts:
        single = alone.encode([text])[text]
        assert np.allclose(batch[text].vector, single.vector, atol=1e-5)
        assert np.allclose(
            batch[text].tokens.astype(np.float32), single.tokens.astype(np.float32), atol=2e-3
        )
        assert np.array_equal(batch[text].starts, single.starts)


def test_pooled_vectors_match_a_separate_model_for_the_whole_text(engine):
    other = Embedder(engine.embedder.model_name)
    other._model = engine.embedder._load()
    text = "Let the water evaporate and the salt is left behind."
    vector = other.get(text).vector
    direct = other._model.encode([text], normalize_embeddings=True)[0]
    assert float(vector @ direct) > 0.9999


def test_the_artefact_manifest_matches_the_engine_version_and_the_classifier_file():
    manifest = json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))
    assert manifest["engine_version"] == ENGINE_VERSION
    digest = hashlib.sha256(CLASSIFIER_PATH.read_bytes()).hexdigest()
    assert manifest["classifier_sha256"] == digest
    assert set(manifest["features"]) <= set(ALL_FEATURES)
    assert CLASSIFIER_PATH.stat().st_size < 25 * 1024 * 1024
