"""Reading terms from the content: comparisons, lower-case acronyms, conflicting versions."""

from __future__ import annotations

import pytest

from revisewise.tutor.terms import (
    ComparedTerms,
    Glossary,
    acronyms_named_in_lower_case,
    compared_terms,
    conflicting_versions,
    letter_expansions,
    ranking_sentence,
    term_key,
)

PASSAGES = [
    (
        "Key Concepts",
        "Performance metrics: Key performance indicators (KPIs) such as Customer Satisfaction "
        "Score (CSAT) and Net Promoter Score (NPS) measure how effective the service is.",
    ),
    (
        "Key Concepts",
        "Service level agreements (SLAs): Formal agreements that define the expected level of "
        "service.",
    ),
    (
        "Key Concepts",
        "Complaint handling: Structured processes, often following the 'LATER' model (Listen, "
        "Apologise, Thank, Explain, Resolve).",
    ),
    ("Key Terminology", "Team leadership - Motivating and coaching a customer service team."),
    ("Assessment Guidance", "Quality improvement: not a definition, this is a tip."),
]


@pytest.fixture
def glossary() -> Glossary:
    return Glossary.build(PASSAGES)


@pytest.mark.parametrize(
    ("phrase", "key"),
    [
        ("the LATER model", "later"),
        ("later", "later"),
        ("SLAs", "sla"),
        ("KPIs", "kpi"),
        ("Service level agreements", "service level agreement"),
        ("a KPI", "kpi"),
        ("the process", "process"),
    ],
)
def test_names_of_one_term_share_a_key(phrase, key):
    assert term_key(phrase) == key


def test_it_reads_definitions_from_named_items_and_spelt_out_letters(glossary):
    assert glossary.definitions_of("SLA")[0].quote.startswith("Service level agreements (SLAs):")
    assert glossary.definitions_of("service level agreements") == glossary.definitions_of("slas")
    assert glossary.definitions_of("the later model")[0].name == "LATER"
    assert glossary.definitions_of("team leadership")[0].row == 3
    # An acronym the content only spells out is known but not defined.
    assert glossary.knows("CSAT")
    assert glossary.definitions_of("CSAT") == []
    assert glossary.expansion_of("csat") == "Customer Satisfaction Score"
    # Only Key Concepts and Key Terminology items are read as "Name: explanation".
    assert glossary.definitions_of("quality improvement") == []


@pytest.mark.parametrize(
    ("question", "terms"),
    [
        ("what's the difference between CSAT and NPS?", ("CSAT", "NPS")),
        ("what is the difference between an SLA and a KPI", ("an SLA", "a KPI")),
        ("CSAT vs NPS, which is which?", ("CSAT", "NPS")),
        ("csat versus net promoter score", ("csat", "net promoter score")),
        ("compare the LATER model with team leadership", ("the LATER model", "team leadership")),
        ("how is an SLA different from a KPI in this unit?", ("an SLA", "a KPI")),
        ("how does team leadership differ from performance metrics?", None),
        ("differences between service level agreements and KPIs?", None),
    ],
)
def test_it_reads_the_two_terms_a_comparison_compares(glossary, question, terms):
    found = compared_terms(question, glossary)
    if terms is None:  # the term pair is checked by key instead
        assert found is not None
        assert glossary.knows(found.first)
        assert glossary.knows(found.second)
    else:
        assert found == ComparedTerms(*terms)


@pytest.mark.parametrize(
    ("question", "terms"),
    [
        ("which is better, CSAT or NPS?", ("CSAT", "NPS")),
        ("CSAT or NPS, which should I use?", ("CSAT", "NPS")),
        ("CSAT or NPS: which one do I use for loyalty?", ("CSAT", "NPS")),
        ("which is better csat or nps", ("csat", "nps")),
        ("which one is more useful, the LATER model or team leadership?", None),
        ("which should I use for complaints, the later model or team leadership?", None),
        ("is an SLA better than a KPI?", ("an SLA", "a KPI")),
        ("is CSAT more useful than NPS for a small business?", ("CSAT", "NPS")),
        ("should I use CSAT or NPS?", ("CSAT", "NPS")),
        ("is it better to use CSAT or net promoter score?", ("CSAT", "net promoter score")),
        ("CSAT vs NPS, which is better?", ("CSAT", "NPS")),
        # A choice with one term the notes do not know is still a comparison: the note says so.
        ("which is better, CSAT or FCR?", ("CSAT", "FCR")),
    ],
)
def test_it_reads_a_question_asking_which_term_is_better_as_a_choice(glossary, question, terms):
    found = compared_terms(question, glossary)
    assert found is not None
    assert found.is_choice
    if terms is None:
        assert glossary.knows(found.first)
        assert glossary.knows(found.second)
    else:
        assert (found.first, found.second) == terms


@pytest.mark.parametrize(
    ("question", "terms"),
    [
        ("CSAT compared with NPS", ("CSAT", "NPS")),
        ("team leadership compared to service level agreements", None),
        ("how does CSAT differ from NPS?", ("CSAT", "NPS")),
        ("how does the LATER model differ from an SLA?", ("the LATER model", "an SLA")),
        ("CSAT vs NPS, which is which?", ("CSAT", "NPS")),
        ("what's the difference between CSAT and NPS?", ("CSAT", "NPS")),
    ],
)
def test_a_question_about_how_terms_differ_is_not_a_choice(glossary, question, terms):
    found = compared_terms(question, glossary)
    assert found is not None
    assert not found.is_choice
    if terms is not None:
        assert (found.first, found.second) == terms


@pytest.mark.parametrize(
    "question",
    [
        "what is CSAT?",
        "how do I handle a complaint?",
        "what happens later in the journey?",
        "how is my grade compared to other learners?",
        "what's the difference between doing my homework at night and revising at the weekend?",
        # Choices between actions or things the notes do not name are ordinary questions: there
        # is no definition to quote, so the question is answered from the passages as usual.
        "is it better to email or phone an angry customer?",
        "which is better, tea or coffee?",
        "which is better for keeping customers, loyalty programmes or proactive service?",
        "should I escalate or resolve it myself?",
        "is it better than LATER?",
        # "or" without a choice: a list, not a comparison.
        "which KPIs or metrics does the unit cover?",
        "do I mention CSAT or FCR in my answer?",
    ],
)
def test_a_question_that_compares_nothing_is_not_a_comparison(glossary, question):
    assert compared_terms(question, glossary) is None


def test_it_finds_a_sentence_that_ranks_two_terms_but_not_one_that_lists_them(glossary):
    csat, nps = glossary.keys_for("CSAT"), glossary.keys_for("NPS")
    ranks = "Both are surveys. Net Promoter Score is a better guide to loyalty than CSAT. Use both."
    assert ranking_sentence(ranks, [csat, nps]) == (
        "Net Promoter Score is a better guide to loyalty than CSAT."
    )
    assert ranking_sentence("Use NPS rather than CSAT for loyalty.", [nps, csat]) != ""
    assert ranking_sentence(PASSAGES[0][1], [csat, nps]) == ""  # names both, ranks neither
    assert ranking_sentence("CSAT is better than nothing.", [csat, nps]) == ""  # one term only


def test_it_shows_an_acronym_in_capitals_as_the_learner_named_it(glossary):
    assert glossary.display("the later model") == "LATER model"
    assert glossary.display("slas") == "SLAs"
    assert glossary.display("kpis") == "KPIs"
    assert glossary.keys_for("kpis") == glossary.keys_for("KPIs") == glossary.keys_for("KPI")
    assert glossary.display("team leadership") == "team leadership"


@pytest.mark.parametrize(
    "question",
    [
        "what does later stand for?",
        "explain the later model",
        "later framework steps",
        "what do the letters in later mean?",
        "what is the acronym later about",
        "what does 'later' mean in complaints?",
        "what are the steps of later?",
        "what are the steps in later when a customer complains?",
        "what is the later model?",
    ],
)
def test_it_recognises_a_known_acronym_typed_in_lower_case_next_to_a_cue(question):
    assert acronyms_named_in_lower_case(question, {"LATER", "HEAT"}) == {"LATER"}


@pytest.mark.parametrize(
    "question",
    [
        "I'll revise it later",
        "what happens later in the journey?",
        "can I come back to escalation later?",
        "later on, how do I keep customers?",
        "what does SMART stand for?",
        # An ordinary noun after the word is the adjective, whatever the noun.
        "what are the later steps in the customer journey?",
        "how do the later steps work when a customer complains?",
        "what are the later stages of a complaint?",
        "what are the stages of later life?",
        "the letters in later years",
    ],
)
def test_it_leaves_the_ordinary_word_alone(question):
    assert acronyms_named_in_lower_case(question, {"LATER"}) == frozenset()


def test_it_finds_only_letters_that_spell_the_acronym():
    found = letter_expansions("Use the 'HEAT' model (Hear, Empathise, Apologise, Take action).")
    assert [(e.acronym, e.words) for e in found] == [
        ("HEAT", ("Hear", "Empathise", "Apologise", "Take action"))
    ]
    assert letter_expansions("Use the HEAT model (see page 4).") == []


def test_it_reports_different_words_for_the_same_letters_and_nothing_else():
    explain = "Follow the 'PACE' model (Prepare, Ask, Check, End)."
    confirm = "Use the PACE method (Prepare, Ask, Confirm, End) with customers."
    spelling = "The 'PACE' model (prepare, ask, check, end) helps."
    found = conflicting_versions([explain, spelling, confirm])
    assert len(found) == 1
    assert found[0].acronym == "PACE"
    assert [(e.spelt, position) for e, position in found[0].versions] == [
        ("Prepare, Ask, Check, End", 0),
        ("Prepare, Ask, Confirm, End", 2),
    ]
    assert conflicting_versions([explain, spelling]) == []
    assert (
        conflicting_versions(
            [
                "Apologise via the 'LAT' model (Listen, Apologise, Thank).",
                "'LAT' (Listen, Apologize, Thank)",
            ]
        )
        == []
    )
