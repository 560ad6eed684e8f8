from __future__ import annotations

from revisewise.practice.models import ItemStatus
from revisewise.practice.tests.factories import ItemFactory
from revisewise.tutor.answer import best_sentences
from revisewise.tutor.services import tutor_answer


def test_it_cites_the_unit_and_section_with_a_link_to_its_anchor(corpus):
    answer = tutor_answer(
        question="what's the difference between CSAT and NPS?", qualification=corpus.service
    )
    citation = answer.parts[0].citation
    assert citation.unit_title == "Customer service performance"
    assert citation.section == "Key Concepts"
    assert citation.url == f"{corpus.performance.get_absolute_url()}#key-concepts"
    assert answer.mode == "offline"


def test_it_cites_shared_content_on_a_unit_of_its_qualification(corpus):
    answer = tutor_answer(
        question="are complaints always a bad thing?", qualification=corpus.service
    )
    part = next(p for p in answer.parts if "Complaints" in p.text)
    assert part.citation.unit_title is None
    assert part.citation.qualification_title == corpus.service.title
    assert part.citation.url == f"{corpus.journey.get_absolute_url()}#misconceptions"


def test_every_citation_points_to_a_section_shown_on_a_real_unit_page(corpus, client):
    answer = tutor_answer(question="how do I handle escalation?", qualification=corpus.service)
    assert answer.parts
    for part in answer.parts:
        path, anchor = part.citation.url.split("#")
        response = client.get(path)
        assert response.status_code == 200
        assert f'id="{anchor}"' in response.content.decode()


def test_it_keeps_the_sentences_that_answer_the_question(embedding_model):
    text = (
        "Loyalty programmes reward repeat custom. "
        "Escalate a complaint when it is beyond your authority. "
        "Mystery shopping checks service standards."
    )
    kept = best_sentences("when do I escalate a complaint?", text, limit=1)
    assert kept == "Escalate a complaint when it is beyond your authority."


def test_it_offers_only_learner_visible_practice_on_the_cited_units(corpus):
    ItemFactory(unit=corpus.performance, stem="What does NPS measure?")
    ItemFactory(unit=corpus.performance, stem="A draft item", status=ItemStatus.DRAFT)
    ItemFactory(unit=corpus.stock, stem="What is stock rotation?")
    answer = tutor_answer(question="what does NPS stand for?", qualification=corpus.service)
    assert [link.text for link in answer.practice] == ["What does NPS measure?"]


def test_it_offers_practice_made_from_the_cited_passage_first(corpus):
    ItemFactory(unit=corpus.performance, stem="An unrelated earlier item")
    ItemFactory(unit=corpus.performance, stem="Another unrelated item")
    ItemFactory(unit=corpus.performance, stem="Yet another unrelated item")
    metrics = corpus.performance.items.get(name="Performance metrics")
    ItemFactory(unit=corpus.performance, stem="Which metric is NPS?", source_item=metrics)
    answer = tutor_answer(question="what does NPS stand for?", qualification=corpus.service)
    assert answer.practice[0].text == "Which metric is NPS?"
    assert len(answer.practice) == 3
