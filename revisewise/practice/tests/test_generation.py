from __future__ import annotations

import pytest

from revisewise.practice.generation.named_models import (
    find_acronyms,
    find_models,
    same_step,
)
from revisewise.practice.generation.objectives import exam_question, marking_point
from revisewise.practice.generation.sources import Source
from revisewise.practice.generation.tips import as_advice, practice


def _source(text: str, name: str = "", kind: str = "concept") -> Source:
    return Source(pk=1, key="k", kind=kind, name=name, text=text, unit_id=1)


def test_it_finds_an_acronym_model_and_a_framework_named_by_its_steps():
    heat = _source(
        "Applying a structured approach, such as the 'HEAT' model (Hear, Empathise, Apologise, "
        "Take action), and understanding its impact."
    )
    framework = _source(
        "Use the 'Acknowledge, Apologize, Act' framework when you cannot deliver the expected "
        "outcome, and explain each step.",
        kind="tip",
    )
    [first, second] = find_models([heat, framework])
    assert (first.name, first.steps) == ("HEAT", ("Hear", "Empathise", "Apologise", "Take action"))
    assert second.steps == ("Acknowledge", "Apologize", "Act")
    assert second.title == "the framework to use when you cannot deliver the expected outcome"


def test_it_expands_acronyms_from_the_words_before_them():
    source = _source(
        "Key performance indicators (KPIs) such as First Contact Resolution (FCR), Customer "
        "Satisfaction Score (CSAT), and data protection (GDPR)."
    )
    found = {entry.letters: entry.expansion for entry in find_acronyms([source])}
    assert found == {
        "KPI": "Key Performance Indicator",
        "FCR": "First Contact Resolution",
        "CSAT": "Customer Satisfaction Score",
    }


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("Apologise", "Apologize", True),
        ("Hear", "Listen", True),
        ("Act", "Take action", True),
        ("Thank", "Resolve", False),
        ("Explain", "Empathise", False),
    ],
)
def test_it_never_uses_another_spelling_or_synonym_of_a_step_as_a_distractor(first, second, same):
    assert same_step(first, second) is same


@pytest.mark.parametrize(
    ("mistake", "gerund", "advice"),
    [
        (
            "Treating the customer journey as a simple process.",
            "Treating the customer journey as a simple process.",
            "Treat the customer journey as a simple process.",
        ),
        (
            "Students often confuse transactions with relationships.",
            "Confusing transactions with relationships.",
            None,
        ),
        (
            "Another common mistake is treating all customers identically.",
            "Treating all customers identically.",
            "Treat all customers identically.",
        ),
        (
            "Failing to document feedback is a critical error, as it prevents review.",
            "Failing to document feedback.",
            None,
        ),
        (
            "Escalating issues prematurely, or conversely, handling problems beyond one's remit.",
            "Escalating issues prematurely, or conversely, handling problems beyond one's remit.",
            "Escalate issues prematurely, or conversely, handle problems beyond one's remit.",
        ),
    ],
)
def test_it_rewrites_mistakes_as_practices_and_as_wrong_advice(mistake, gerund, advice):
    assert practice(mistake) == gerund
    assert as_advice(mistake) == advice


@pytest.mark.parametrize(
    ("objective", "question"),
    [
        (
            "Understand and critically evaluate the possible journeys of your customers",
            "Critically evaluate the possible journeys of your customers.",
        ),
        (
            "Understand customer retention",
            "Explain what is meant by customer retention and why it matters to an organisation.",
        ),
        (
            "Be able to develop effective relationships with customers",
            "Describe how you would develop effective relationships with customers.",
        ),
        (
            "When managing referrals or escalations take into account historical interactions",
            "Explain how, when managing referrals or escalations, you would take into account "
            "historical interactions.",
        ),
    ],
)
def test_it_phrases_objectives_as_exam_questions(objective, question):
    assert exam_question(objective) == question


def test_it_strips_the_assessor_wording_from_marking_points():
    assert marking_point("Credit should be given for identifying two strategies.") == (
        "Identifying two strategies."
    )
