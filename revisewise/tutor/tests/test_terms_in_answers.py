"""Comparisons, acronyms typed in lower case and conflicting versions, end to end: real model,
real database, the tutor's own services."""

from __future__ import annotations

from typing import cast

import pytest
from django.urls import reverse

from revisewise.accounts.models import User
from revisewise.accounts.tests.factories import UserFactory
from revisewise.content.models import ItemKind
from revisewise.content.tests.factories import ContentItemFactory, UnitFactory
from revisewise.tutor.answer import OfflineComposer
from revisewise.tutor.retrieval import RELEVANCE_THRESHOLD, retrieve
from revisewise.tutor.selectors import tutor_data_export_for_learner
from revisewise.tutor.services import tutor_answer, tutor_ask, tutor_index_refresh
from revisewise.tutor.tests.llm_replies import grounded_reply, sources_of

CSAT = (
    "Customer Satisfaction Score (CSAT): A score from a short survey asking customers how "
    "satisfied they were with one interaction."
)
NPS = (
    "Net Promoter Score: How likely customers are to recommend the organisation, from 0 to 10, "
    "with detractors subtracted from promoters."
)
LATER_EXPLAIN = (
    "Structured processes that often follow the 'LATER' model (Listen, Apologise, Thank, "
    "Explain, Resolve)."
)
LATER_EMPATHISE = (
    "Applying structured approaches like the 'LATER' method (Listen, Apologise, Thank, "
    "Empathise, Resolve) to de-escalate issues."
)


def _term(unit, text: str):
    name, explanation = text.split(": ", 1)
    return ContentItemFactory(unit=unit, kind=ItemKind.TERM, name=name, text=explanation)


def _concept(unit, name: str, text: str):
    return ContentItemFactory(unit=unit, kind=ItemKind.CONCEPT, name=name, text=text)


@pytest.fixture
def defined(corpus):
    """CSAT and NPS each defined in the performance unit's Key Terminology."""
    _term(corpus.performance, CSAT)
    _term(corpus.performance, NPS)
    tutor_index_refresh()
    return corpus


# (b) Comparison questions


@pytest.mark.parametrize(
    "question",
    [
        "what's the difference between CSAT and NPS?",
        "csat vs net promoter scores",
        "how is customer satisfaction score different from NPS?",
        "compare CSATs with the nps",
    ],
)
def test_a_comparison_quotes_each_definition_under_a_lead_in(defined, question):
    answer = tutor_answer(question=question, qualification=defined.service)

    assert answer.lead.endswith(", as your unit defines them:")
    assert [part.text for part in answer.parts] == [CSAT, NPS]
    for part in answer.parts:
        assert part.citation.label == "Customer service performance: Key Terminology"
        assert part.citation.url == f"{defined.performance.get_absolute_url()}#key-terms"
    assert answer.notes == ()


def test_the_lead_in_names_the_terms_with_acronyms_in_capitals(defined):
    answer = tutor_answer(
        question="what's the difference between csat and nps?", qualification=defined.service
    )
    assert answer.lead == "CSAT and NPS, as your unit defines them:"


def test_definitions_from_two_units_say_units(defined):
    _term(defined.journey, "Moment of truth: Any point where a customer forms an opinion.")
    tutor_index_refresh()
    answer = tutor_answer(
        question="difference between a moment of truth and CSAT", qualification=defined.service
    )
    assert answer.lead == "Moment of truth and CSAT, as your units define them:"
    assert [p.citation.unit_title for p in answer.parts] == [
        defined.journey.title,
        defined.performance.title,
    ]


def test_with_one_term_undefined_it_answers_as_before_and_says_which(corpus):
    _term(corpus.performance, CSAT)
    tutor_index_refresh()
    question = "what's the difference between CSAT and NPS?"

    answer = tutor_answer(question=question, qualification=corpus.service)
    plain = OfflineComposer().compose(
        question=question, hits=retrieve(question=question, qualification_id=corpus.service.pk)
    )

    assert answer.lead == ""
    assert [p.text for p in answer.parts] == [p.text for p in plain.parts]
    assert answer.notes == (
        "Your course notes do not define NPS; they give only what it stands for: "
        "“Net Promoter Score”.",
    )


def test_with_neither_term_defined_it_says_so_for_both(corpus):
    answer = tutor_answer(
        question="what's the difference between CSAT and stock rotation?",
        qualification=corpus.service,
    )
    assert answer.lead == ""
    assert answer.is_answered
    # Stock rotation is defined, but only in another qualification: it does not count here.
    assert answer.notes == (
        "Your course notes do not define CSAT; they give only what it stands for: "
        "“Customer Satisfaction Score”. Your course notes do not define stock rotation.",
    )


def test_a_question_that_is_not_a_comparison_gets_no_lead_in_or_notes(defined):
    answer = tutor_answer(question="what does NPS stand for?", qualification=defined.service)
    assert answer.lead == ""
    assert answer.notes == ()
    assert answer.is_answered


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("which is better, CSAT or NPS?", "CSAT and NPS"),
        ("CSAT or NPS, which should I use?", "CSAT and NPS"),
        # The terms as the learner named them, as in the lead-in.
        ("is csat better than net promoter score?", "CSAT and net promoter score"),
    ],
)
def test_a_question_asking_which_is_better_gets_the_definitions_and_no_verdict(
    defined, question, named
):
    answer = tutor_answer(question=question, qualification=defined.service)

    assert answer.lead == f"{named}, as your unit defines them:"
    assert [part.text for part in answer.parts] == [CSAT, NPS]
    assert answer.notes == (f"Your course notes do not say which of {named} is better.",)


def test_a_passage_that_ranks_the_two_terms_is_quoted_instead_of_the_note(defined):
    ranks = "NPS is a better guide to loyalty than CSAT, which measures one interaction."
    ContentItemFactory(unit=defined.performance, kind=ItemKind.TIP, name="", text=ranks)
    tutor_index_refresh()

    answer = tutor_answer(question="which is better, CSAT or NPS?", qualification=defined.service)

    assert [part.text for part in answer.parts] == [CSAT, NPS, ranks]
    assert answer.parts[2].citation.label == "Customer service performance: Assessment Guidance"
    assert answer.notes == ()


def test_a_choice_between_undefined_terms_says_both_what_is_missing_and_no_ranking(corpus):
    answer = tutor_answer(question="CSAT or NPS, which is best?", qualification=corpus.service)
    assert answer.lead == ""
    assert answer.is_answered
    assert answer.notes == (
        "Your course notes do not define CSAT; they give only what it stands for: "
        "“Customer Satisfaction Score”. Your course notes do not define NPS; they give only what "
        "it stands for: “Net Promoter Score”.",
        "Your course notes do not say which of CSAT and NPS is better.",
    )


def test_a_choice_between_actions_is_answered_as_an_ordinary_question(defined):
    question = "is it better to email or phone an angry customer?"

    answer = tutor_answer(question=question, qualification=defined.service)
    plain = OfflineComposer().compose(
        question=question, hits=retrieve(question=question, qualification_id=defined.service.pk)
    )

    assert answer.lead == ""
    assert answer.notes == ()
    assert answer.parts == plain.parts


def test_the_page_shows_the_lead_in_and_the_notes_and_the_export_keeps_them(defined, client):
    learner = cast(User, UserFactory())
    client.force_login(learner)
    url = reverse("tutor:ask-qualification", args=[defined.service.slug])

    response = client.post(url, {"question": "CSAT vs NPS?"}, follow=True)
    html = response.content.decode()
    assert '<p class="tutor-lead">CSAT and NPS, as your unit defines them:</p>' in html
    assert html.index("tutor-lead") < html.index("answer-parts")

    message = tutor_ask(
        learner=learner, question="difference between CSAT and FCR?", qualification=defined.service
    )
    assert message.notes == ["Your course notes do not define FCR."]
    response = client.get(message.conversation.get_absolute_url())
    assert "<li>Your course notes do not define FCR.</li>" in response.content.decode()
    exported = tutor_data_export_for_learner(learner=learner)
    answers = [m for c in exported["conversations"] for m in c["messages"] if m["role"] == "tutor"]
    assert {"CSAT and NPS, as your unit defines them:"} <= {m["text"] for m in answers}
    assert ["Your course notes do not define FCR."] in [m["notes"] for m in answers]


def test_with_a_model_the_definitions_are_its_first_sources(defined, llm_server):
    llm_server.respond_with(grounded_reply)

    answer = tutor_answer(
        question="what is the difference between CSAT and NPS?",
        qualification=defined.service,
        user=cast(User, UserFactory()),
    )

    sources = sources_of(llm_server.requests[0])
    assert sources["S1"] == CSAT
    assert sources["S2"] == NPS
    assert len(sources) == len(set(sources.values())), "each passage is sent once"
    assert answer.mode == "llm"
    assert answer.prompt_key == "tutor_answer.v3"


# (a) Acronym-models typed in lower case


@pytest.fixture
def later(corpus):
    _concept(corpus.performance, "Complaint handling procedures", LATER_EXPLAIN)
    tutor_index_refresh()
    return corpus


@pytest.mark.parametrize(
    "question",
    [
        "what does later stand for?",
        "explain the later model",
        "later framework steps",
        "what are the steps of later?",
        "what is the later model?",
    ],
)
def test_a_lower_case_acronym_with_a_cue_is_answered_from_its_passage(later, question):
    hits = retrieve(question=question, qualification_id=later.service.pk)
    answer = tutor_answer(question=question, qualification=later.service)

    passage = next(hit for hit in hits if "'LATER'" in hit.text)
    assert passage.names_asked_term
    assert passage.spells_asked_term
    # The passage that spells out the letters is quoted first.
    assert "'LATER' model (Listen, Apologise, Thank, Explain, Resolve)" in answer.parts[0].text


def test_without_the_rule_the_cosine_alone_would_refuse(later):
    hits = retrieve(question="what does later stand for?", qualification_id=later.service.pk)
    passage = next(hit for hit in hits if "'LATER'" in hit.text)
    assert passage.similarity < RELEVANCE_THRESHOLD


@pytest.mark.parametrize(
    "question",
    [
        "I'll revise it later",
        "what happens later in the journey?",
        "what are the later steps in the customer journey?",
    ],
)
def test_the_ordinary_word_later_does_not_name_the_model(later, question):
    hits = retrieve(question=question, qualification_id=later.service.pk, limit=50)
    passage = next(hit for hit in hits if "'LATER'" in hit.text)
    assert not passage.names_asked_term
    assert not passage.spells_asked_term


# (c) Units that spell an acronym out differently


def test_it_says_when_the_cited_passages_give_two_versions_of_an_acronym(later):
    other = UnitFactory(qualification=later.service, title="Build customer relations")
    _concept(other, "Complaint handling and resolution", LATER_EMPATHISE)
    tutor_index_refresh()

    answer = tutor_answer(question="what does LATER stand for?", qualification=later.service)

    assert answer.notes == (
        "Your units give two versions of LATER: “Listen, Apologise, Thank, Explain, Resolve” "
        "(Customer service performance: Key Concepts) and “Listen, Apologise, Thank, Empathise, "
        "Resolve” (Build customer relations: Key Concepts). Check which one your awarding body "
        "uses.",
    )


def test_it_says_nothing_when_the_versions_agree(later):
    other = UnitFactory(qualification=later.service, title="Build customer relations")
    _concept(
        other,
        "Complaint handling and resolution",
        LATER_EXPLAIN.replace("Apologise", "Apologize").replace("'LATER' model", "LATER method"),
    )
    tutor_index_refresh()

    answer = tutor_answer(question="what does LATER stand for?", qualification=later.service)

    assert sum("LATER" in part.text for part in answer.parts) == 2
    assert answer.notes == ()


def test_versions_are_read_from_the_content_not_a_list_of_known_acronyms(corpus):
    other = UnitFactory(qualification=corpus.service, title="Calls")
    _concept(
        corpus.performance, "Call structure", "Use the 'PACE' model (Prepare, Ask, Check, End)."
    )
    _concept(other, "Call structure", "Follow the 'PACE' model (Prepare, Ask, Confirm, End).")
    tutor_index_refresh()

    answer = tutor_answer(question="what does pace stand for?", qualification=corpus.service)

    assert len(answer.notes) == 1
    assert answer.notes[0].startswith("Your units give two versions of PACE: ")
    assert "“Prepare, Ask, Check, End”" in answer.notes[0]
    assert "“Prepare, Ask, Confirm, End”" in answer.notes[0]


def test_with_a_model_the_notes_are_kept(corpus, later, llm_server):
    llm_server.respond_with(grounded_reply)
    other = UnitFactory(qualification=later.service, title="Build customer relations")
    _concept(other, "Complaint handling and resolution", LATER_EMPATHISE)
    tutor_index_refresh()
    learner = cast(User, UserFactory())

    undefined = tutor_answer(
        question="what's the difference between CSAT and NPS?",
        qualification=corpus.service,
        user=learner,
    )
    versions = tutor_answer(
        question="what does LATER stand for?", qualification=corpus.service, user=learner
    )
    choice = tutor_answer(
        question="which is better, CSAT or NPS?", qualification=corpus.service, user=learner
    )

    assert undefined.mode == "llm"
    assert undefined.notes[0].startswith("Your course notes do not define CSAT")
    assert versions.mode == "llm"
    assert choice.mode == "llm"
    assert choice.notes[-1] == "Your course notes do not say which of CSAT and NPS is better."
    cited = {part.citation.unit_title for part in versions.parts}
    assert cited == {"Customer service performance", "Build customer relations"}
    assert versions.notes[0].startswith("Your units give two versions of LATER: ")
