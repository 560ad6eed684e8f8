from __future__ import annotations

import pytest

from revisewise.content.models import ItemKind, Unit
from revisewise.content.tests.factories import ContentItemFactory, UnitFactory
from revisewise.tutor import dense
from revisewise.tutor.models import Passage
from revisewise.tutor.retrieval import (
    ASSESSMENT_INTENT,
    RELEVANCE_THRESHOLD,
    _fuse,
    current_index,
    retrieve,
)
from revisewise.tutor.services import tutor_answer, tutor_index_refresh


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


@pytest.fixture
def relationships(corpus):
    """A unit written like the seed pages: one-line objectives, criteria in assessors' words."""
    unit = UnitFactory(
        qualification=corpus.service,
        title="Build and maintain effective customer relations",
        synopsis=(
            "Establishing, nurturing and sustaining professional customer relationships, and "
            "evaluating how effective they are to drive continuous improvement."
        ),
    )
    for position, text in enumerate(
        [
            "Understand how to build effective relationships with customers",
            "Be able to review and improve relationships with customers",
        ]
    ):
        ContentItemFactory(
            unit=unit, kind=ItemKind.OBJECTIVE, name="", text=text, position=position
        )
    criteria = [
        ContentItemFactory(
            unit=unit,
            kind=ItemKind.CRITERION,
            name="",
            text=text,
            position=10 + position,
        )
        for position, text in enumerate(
            [
                "Award credit for explaining the key principles of building effective "
                "relationships with customers, such as trust and communication.",
                "Award credit for robust evidence of gathering and analysing feedback, "
                "identifying gaps and implementing changes.",
            ]
        )
    ]
    tutor_index_refresh()
    return unit, criteria


def test_it_indexes_a_criterion_with_the_objective_it_assesses(relationships):
    unit, (principles, feedback) = relationships
    passage = Passage.objects.get(content_item=feedback)
    assert passage.context == "Be able to review and improve relationships with customers"
    # The learner is shown the criterion alone; the objective only helps find it.
    assert passage.text == feedback.text
    assert Passage.objects.get(content_item=principles).context.startswith("Understand how")
    objective = Passage.objects.get(unit=unit, section="Learning Objectives", position=1)
    assert objective.context == ""


def test_it_reembeds_a_criterion_when_its_objective_changes(relationships):
    unit, (_, feedback) = relationships
    before = Passage.objects.get(content_item=feedback).content_hash
    objective = unit.items.get(kind=ItemKind.OBJECTIVE, position=1)
    objective.text = "Be able to review and improve customer relationships over time"
    objective.save()
    tutor_index_refresh()
    after = Passage.objects.get(content_item=feedback)
    assert after.content_hash != before
    assert after.context == objective.text


def test_a_question_about_evidence_finds_the_criterion_not_the_objective(relationships):
    unit, (_, feedback) = relationships
    hits = retrieve(
        question="what evidence do I need when reviewing and improving customer relationships?",
        qualification_id=corpus_of(unit),
    )
    assert hits[0].section == "Assessment Criteria"
    assert hits[0].text == feedback.text


def test_a_question_without_assessment_words_still_finds_the_objectives(relationships):
    unit, _ = relationships
    hits = retrieve(
        question="what are the learning outcomes for building customer relations?",
        qualification_id=corpus_of(unit),
    )
    assert "Learning Objectives" in [hit.section for hit in hits[:3]]


@pytest.mark.parametrize(
    ("question", "is_assessment"),
    [
        ("do I get marks for suggesting improvements?", True),
        ("what evidence shows I've improved a relationship?", True),
        ("what do assessors look for in my portfolio?", True),
        ("how do I get a higher grade in my assignments?", True),
        ("what does HEAT stand for?", False),
        ("how do I calm down a frustrated customer?", False),
        ("is it bad to escalate too quickly?", False),
    ],
)
def test_it_recognises_questions_in_the_vocabulary_of_assessment(question, is_assessment):
    assert bool(ASSESSMENT_INTENT.search(question)) is is_assessment


def test_an_assessment_question_ranks_criteria_and_guidance_above_restatements(relationships):
    unit, _ = relationships
    hits = retrieve(
        question="what gets credit for building relationships with customers?",
        qualification_id=unit.qualification_id,
        limit=4,
    )
    assert {hit.section for hit in hits} <= {"Assessment Criteria", "Assessment Guidance"}


def test_it_leans_towards_the_unit_the_question_is_about(corpus):
    index = current_index()
    affinity = index._unit_affinity(dense.embed(["what is a moment of truth on the journey?"])[0])
    assert affinity[corpus.journey.pk] > 0 > affinity[corpus.performance.pk]
    # Centred within each qualification: a unit alone in its qualification gets no lean.
    assert affinity[corpus.journey.pk] + affinity[corpus.performance.pk] == pytest.approx(0)
    assert affinity[corpus.stock.pk] == pytest.approx(0)


def corpus_of(unit: Unit) -> int:
    return unit.qualification_id


def test_a_question_naming_a_mnemonic_in_capitals_is_answered_from_the_passage_that_names_it(
    corpus,
):
    ContentItemFactory(
        unit=corpus.performance,
        kind=ItemKind.CONCEPT,
        name="Complaint handling procedures",
        text="Structured processes that often follow the 'LATER' model (Listen, Apologise, "
        "Thank, Explain, Resolve).",
    )
    tutor_index_refresh()
    question = "what do the letters in LATER mean?"

    hits = retrieve(question=question, qualification_id=corpus.service.pk)
    answer = tutor_answer(question=question, qualification=corpus.service)

    later = next(hit for hit in hits if "'LATER'" in hit.text)
    assert max(hit.similarity for hit in hits) < RELEVANCE_THRESHOLD, "cosine alone would refuse"
    assert later.is_relevant
    assert later.names_asked_term
    assert answer.is_answered
    assert any("LATER" in part.text for part in answer.parts)
    # Through the index's precomputed capitals: lower case without a cue is the ordinary word,
    # and a capitalised word the passage lacks counts for nothing.
    for other in ("what do I need to revise for later?", "what is SMART?"):
        passage = next(
            hit
            for hit in retrieve(question=other, qualification_id=corpus.service.pk, limit=50)
            if hit.passage_id == later.passage_id
        )
        assert not passage.names_asked_term, other
        assert not passage.spells_asked_term, other
