from __future__ import annotations

import pytest

from revisewise.tutor.retrieval import RELEVANCE_THRESHOLD, _fuse, retrieve
from revisewise.tutor.services import tutor_answer


def test_it_fuses_by_reciprocal_rank():
    lexical = [3.0, 0.0, 1.0]
    similarity = [0.2, 0.9, 0.5]
    fused = _fuse(lexical, similarity)
    assert fused[0] == pytest.approx(1 / 61 + 1 / 63)
    assert fused[2] == pytest.approx(1 / 62 + 1 / 62)
    # A passage sharing no word with the question gets no lexical vote, however similar.
    assert fused[1] == pytest.approx(1 / 61)
    assert min(fused) == fused[1]


def test_it_finds_a_passage_by_acronym(corpus):
    hits = retrieve(question="what does NPS mean?", qualification_id=corpus.service.pk)
    assert hits[0].text.startswith("Performance metrics")
    assert hits[0].unit_id == corpus.performance.pk


def test_it_searches_the_learners_qualification_first(corpus):
    hits = retrieve(
        question="when should I escalate a complaint?", qualification_id=corpus.retail.pk
    )
    assert hits[0].qualification_id == corpus.retail.pk
    in_scope = [hit.is_in_scope for hit in hits]
    assert in_scope == sorted(in_scope, reverse=True)
    assert any(not hit.is_in_scope for hit in hits)

    hits = retrieve(
        question="when should I escalate a complaint?", qualification_id=corpus.service.pk
    )
    assert hits[0].qualification_id == corpus.service.pk


def test_it_leaves_out_irrelevant_passages_of_other_qualifications(corpus):
    hits = retrieve(
        question="what is stock rotation?", qualification_id=corpus.service.pk, limit=50
    )
    others = [hit for hit in hits if not hit.is_in_scope]
    assert any(hit.text.startswith("Stock rotation") for hit in others)
    assert all(hit.similarity >= RELEVANCE_THRESHOLD for hit in others)

    off_topic = retrieve(
        question="what is the capital of France?", qualification_id=corpus.service.pk
    )
    assert all(hit.is_in_scope for hit in off_topic)


def test_it_refuses_an_off_topic_question(corpus):
    answer = tutor_answer(question="what is the capital of France?", qualification=corpus.service)
    assert not answer.is_answered
    assert answer.parts == ()


def test_it_answers_an_on_topic_question(corpus):
    answer = tutor_answer(question="how do I justify escalating?", qualification=corpus.service)
    assert answer.is_answered
    assert "justify escalation" in answer.parts[0].text
