from __future__ import annotations

import dataclasses
import hashlib
import json

from revisewise.marking import text as t
from revisewise.marking.engine import ENGINE_VERSION, MAX_SPANS
from revisewise.marking.features import ALL_FEATURES
from revisewise.marking.model import CLASSIFIER_PATH, MANIFEST_PATH, Embedder, _chunks
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
