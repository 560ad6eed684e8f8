from __future__ import annotations

import pytest

from revisewise.practice.generation import payloads
from revisewise.practice.grading import cloze_matches, grade


def _grade(item_type, payload, response):
    return grade(item_type=item_type, payload=payload, explanation="Because.", response=response)


def test_it_grades_a_single_answer_item_by_option_id():
    payload = payloads.single(answer="Hear", distractors=["Listen", "Thank"])
    right, wrong = payload["options"][0]["id"], payload["options"][1]["id"]
    assert _grade("mcq_single", payload, right).is_correct
    result = _grade("mcq_single", payload, wrong)
    assert (result.is_correct, result.score, result.expected) == (False, 0.0, "Hear")
    assert result.explanation == "Because."


def test_it_gives_partial_credit_on_multi_select_and_penalises_wrong_picks():
    payload = payloads.multi(answers=["Hear", "Empathise"], distractors=["Listen", "Thank"])
    hear, empathise, listen, _ = (option["id"] for option in payload["options"])
    assert _grade("mcq_multi", payload, [hear, empathise]).is_correct
    half = _grade("mcq_multi", payload, [hear])
    assert (half.is_correct, half.score) == (False, 0.5)
    assert _grade("mcq_multi", payload, [hear, listen]).score == 0.0
    assert _grade("mcq_multi", payload, "not a list").score == 0.0


@pytest.mark.parametrize(("response", "expected"), [(False, True), ("false", True), (True, False)])
def test_it_grades_true_false_from_booleans_or_words(response, expected):
    assert _grade("true_false", {"answer": False}, response).is_correct is expected


def test_it_grades_ordering_by_exact_sequence_with_partial_score():
    payload = payloads.ordering(["Hear", "Empathise", "Apologise", "Take action"])
    ids = [step["id"] for step in payload["steps"]]
    assert _grade("ordering", payload, ids).is_correct
    swapped = _grade("ordering", payload, [ids[1], ids[0], ids[2], ids[3]])
    assert (swapped.is_correct, swapped.score) == (False, 0.5)
    assert swapped.expected == "Hear → Empathise → Apologise → Take action"


def test_it_grades_matching_pair_by_pair():
    payload = payloads.matching([("SLA", "Agreement"), ("FCR", "Resolution"), ("NPS", "Score")])
    pairs = payload["pairs"]
    answer = {pair["left_id"]: pair["right_id"] for pair in pairs}
    assert _grade("matching", payload, answer).is_correct
    answer[pairs[0]["left_id"]], answer[pairs[1]["left_id"]] = (
        pairs[1]["right_id"],
        pairs[0]["right_id"],
    )
    result = _grade("matching", payload, answer)
    assert (result.is_correct, round(result.score, 2)) == (False, 0.33)


def test_it_grades_flashcards_by_self_rating():
    payload = {"back": "Formal agreements on service levels."}
    assert not _grade("flashcard", payload, "again").is_correct
    assert _grade("flashcard", payload, "good").score == 1.0
    assert _grade("flashcard", payload, "hard").score == 0.5


def test_it_leaves_written_answers_to_the_marking_engine():
    payload = {"marking_points": ["Defines CRM."], "model_answer": "CRM is ..."}
    result = _grade("written", payload, "CRM means managing relationships.")
    assert result.needs_marking
    assert result.expected == "CRM is ..."


@pytest.mark.parametrize(
    ("typed", "expected", "accepted"),
    [
        ("customer relationship management", "Customer Relationship Management", True),
        ("Customer-Relationship Management!", "Customer Relationship Management", True),
        ("Custmer Relationship Management", "Customer Relationship Management", True),
        ("Cusotmer Relationship Managment", "Customer Relationship Management", True),
        ("Customer Relashonship Management", "Customer Relationship Management", True),
        ("Customer Relxxxxnship Management", "Customer Relationship Management", False),
        ("Heer", "Hear", False),
        ("Apologize", "Apologise", True),
        ("Apolgoize", "Apologise", True),
        ("Apolgoyze", "Apologise", False),
        ("2016", "2015", False),
        ("2015", "2015", True),
        ("Customer Management", "Customer Relationship Management", False),
    ],
)
def test_it_tolerates_case_punctuation_and_small_typos_in_cloze(typed, expected, accepted):
    assert cloze_matches(typed, expected) is accepted


def test_it_accepts_a_clozes_accepted_alternatives():
    payload = payloads.cloze(answer="Service level agreements (SLAs)", accepted=["SLA"])
    assert _grade("cloze", payload, "sla").is_correct
    assert _grade("cloze", payload, "service level agreements slas").is_correct
    assert not _grade("cloze", payload, "KPI").is_correct
    assert _grade("cloze", payload, "KPI").expected == "Service level agreements (SLAs)"
