from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from revisewise.accounts.tests.factories import UserFactory
from revisewise.practice.models import ItemStatus
from revisewise.practice.selectors import items_list_for_learner
from revisewise.practice.services import item_approve, item_retire, item_update
from revisewise.practice.tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def test_it_shows_learners_only_approved_or_auto_approved_items():
    unit = ItemFactory.create(status=ItemStatus.AUTO_APPROVED).unit
    approved = ItemFactory.create(unit=unit, status=ItemStatus.APPROVED)
    for status in (ItemStatus.DRAFT, ItemStatus.REJECTED, ItemStatus.RETIRED):
        ItemFactory.create(unit=unit, status=status)
    ItemFactory.create(status=ItemStatus.AUTO_APPROVED)
    shown = items_list_for_learner(learner=UserFactory.create(), unit=unit)
    assert {item.status for item in shown} == {ItemStatus.AUTO_APPROVED, ItemStatus.APPROVED}
    assert approved in shown
    assert len(shown) == 2


def test_it_approves_a_valid_item_and_records_the_author(author):
    item = item_approve(item=ItemFactory.create(status=ItemStatus.DRAFT), author=author)
    assert (item.status, item.reviewed_by) == (ItemStatus.APPROVED, author)


def test_it_refuses_to_approve_an_item_the_validator_rejects(author):
    item = ItemFactory.create(status=ItemStatus.REJECTED, stem="Why?")
    with pytest.raises(ValidationError, match="stem is empty or too short"):
        item_approve(item=item, author=author)
    item.refresh_from_db()
    assert item.status == ItemStatus.REJECTED


def test_it_retires_an_item(author):
    item = item_retire(item=ItemFactory.create(), author=author)
    assert item.status == ItemStatus.RETIRED
    assert item.reviewed_by == author


def test_it_saves_a_valid_edit_and_approves_it(author):
    item = item_update(
        item=ItemFactory.create(), author=author, stem="Which option describes complaint handling?"
    )
    item.refresh_from_db()
    assert item.is_edited
    assert (item.stem, item.status) == (
        "Which option describes complaint handling?",
        ItemStatus.APPROVED,
    )


def test_it_rejects_an_edit_that_leaks_the_answer(author):
    item = ItemFactory.create()
    answer = item.payload["options"][0]["text"]
    with pytest.raises(ValidationError, match="answer leaked"):
        item_update(item=item, author=author, stem=f"Is it this: {answer}")
    item.refresh_from_db()
    assert not item.is_edited
