from __future__ import annotations

import pytest

from revisewise.discussion.structure import sentences, structure_detect
from revisewise.discussion.tests.factories import GOOD_ANSWER


def _parts(answer: str) -> dict[str, str]:
    return {p.part: (p.evidence.text if p.evidence else "") for p in structure_detect(answer)}


def test_it_finds_every_part_of_a_star_answer_with_its_sentence():
    parts = structure_detect(GOOD_ANSWER)

    assert all(part.is_present for part in parts)
    found = _parts(GOOD_ANSWER)
    assert found["situation"].startswith("Last year a customer rang")
    assert found["task"].startswith("My role was")
    assert found["action"].startswith("I listened to her")
    assert found["result"].startswith("As a result")
    for part in parts:
        assert part.evidence is not None
        assert GOOD_ANSWER[part.evidence.start : part.evidence.end] == part.evidence.text


def test_it_says_what_is_missing_from_a_textbook_answer():
    answer = "Escalation is important. Complex issues should go to a specialist."

    parts = structure_detect(answer)

    assert [p.is_present for p in parts] == [False, False, False, False]
    assert all(p.evidence is None and p.advice for p in parts)


@pytest.mark.parametrize(
    ("answer", "present"),
    [
        ("When I worked at a bank, a customer complained about fees.", {"situation"}),
        ("I was asked to sort out the backlog of refunds.", {"task"}),
        ("I had to calm the caller down.", {"task"}),
        ("I called the courier and arranged a new delivery.", {"action"}),
        ("I then spoke to the warehouse.", {"action"}),
        ("In the end the complaint was resolved.", {"result"}),
        ("I learned to check the history first.", {"result"}),
        ("We escalated it.", set()),
    ],
)
def test_it_detects_each_part_by_its_cues(answer, present):
    found = {p.part for p in structure_detect(answer) if p.is_present}

    assert found == present


def test_it_does_not_count_the_task_as_an_action():
    parts = {p.part: p for p in structure_detect("I was told to help. I needed to act fast.")}

    assert parts["task"].is_present
    assert not parts["action"].is_present


def test_it_splits_sentences_with_exact_offsets():
    answer = "  First one.  Second one!\nThird"

    split = sentences(answer)

    assert [s.text for s in split] == ["First one.", "Second one!", "Third"]
    assert all(answer[s.start : s.end] == s.text for s in split)


def test_it_quotes_the_outcome_from_the_end_and_each_sentence_once_where_it_can():
    answer = (
        "Last year a customer rang about a refund. "
        "My role was to get the best outcome within policy. "
        "I checked the order. "
        "In the end she got her refund."
    )

    found = _parts(answer)

    assert found["task"] == "My role was to get the best outcome within policy."
    assert found["result"] == "In the end she got her refund."
