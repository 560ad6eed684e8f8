from __future__ import annotations

import json

import pytest

from revisewise.practice.models import Item
from revisewise.practice.services import items_generate_for_unit
from revisewise.practice.tests.factories import ItemFactory, performance_unit

pytestmark = pytest.mark.django_db

KEY_FIELDS = {"answer", "answers", "accepted", "back", "marking_points", "model_answer", "pairs"}


def _hidden_answers(item: Item) -> list[str]:
    payload = item.payload
    if item.item_type == "cloze":
        return [payload["answer"], *payload["accepted"]]
    if item.item_type == "flashcard":
        return [payload["back"]]
    if item.item_type == "written":
        return [payload["model_answer"]]
    return []


def test_it_never_gives_the_learner_the_answer_key():
    items_generate_for_unit(unit=performance_unit())
    items = list(Item.objects.all())
    assert {item.item_type for item in items} >= {
        "flashcard",
        "mcq_single",
        "mcq_multi",
        "true_false",
        "cloze",
        "ordering",
        "matching",
        "written",
    }
    for item in items:
        shown = item.presentation()
        assert not KEY_FIELDS & set(shown), item.item_type
        text = json.dumps(shown)
        for answer in _hidden_answers(item):
            assert answer not in text, item.stem
        if item.item_type in ("true_false", "cloze", "flashcard", "written"):
            assert set(shown) == {"uuid", "item_type", "stem"}


def test_it_shuffles_options_deterministically_by_item():
    item = ItemFactory.create()
    first = item.presentation()["options"]
    assert Item.objects.get(pk=item.pk).presentation()["options"] == first
    assert sorted(option["text"] for option in first) == sorted(
        option["text"] for option in item.payload["options"]
    )


def test_it_does_not_always_show_the_correct_option_first():
    positions = set()
    for _ in range(12):
        item = ItemFactory.create()
        shown = [option["id"] for option in item.presentation()["options"]]
        positions.add(shown.index(item.payload["answer"]))
    assert len(positions) > 1


def test_it_keeps_matching_pairs_apart_in_the_presentation():
    items_generate_for_unit(unit=performance_unit())
    item = Item.objects.get(item_type="matching", stem__contains="key concept")
    shown = item.presentation()
    left_ids = {entry["id"] for entry in shown["lefts"]}
    right_ids = {entry["id"] for entry in shown["rights"]}
    assert not left_ids & right_ids
    assert [entry["text"] for entry in shown["rights"]] != [
        pair["right"] for pair in item.payload["pairs"]
    ] or len(item.payload["pairs"]) < 2


def test_it_grades_a_response_through_the_item():
    item = ItemFactory.create()
    assert item.grade(item.payload["answer"]).is_correct
    assert not item.grade("wrong").is_correct


def test_it_never_shows_ordering_steps_in_the_right_order():
    # Over many uuids some shuffles land on the right order; those must be moved on.
    for _ in range(60):
        item = ItemFactory.build(
            item_type="ordering",
            payload={
                "steps": [
                    {"id": "a1", "text": "Hear"},
                    {"id": "b2", "text": "Empathise"},
                    {"id": "c3", "text": "Apologise"},
                ]
            },
        )
        shown = [step["id"] for step in item.presentation()["steps"]]
        assert shown != ["a1", "b2", "c3"]
        assert sorted(shown) == ["a1", "b2", "c3"]


def test_it_never_lines_matching_pairs_up_or_keeps_their_stored_order():
    pairs = [
        {"left_id": f"l{n}", "left": f"Term {n}", "right_id": f"r{n}", "right": f"Meaning {n}"}
        for n in range(4)
    ]
    for _ in range(200):
        item = ItemFactory.build(item_type="matching", payload={"pairs": pairs})
        shown = item.presentation()
        beside = [entry["id"].replace("l", "r") for entry in shown["lefts"]]
        rights = [entry["id"] for entry in shown["rights"]]
        assert rights != beside
        assert rights != ["r0", "r1", "r2", "r3"]
        assert sorted(rights) == ["r0", "r1", "r2", "r3"]
