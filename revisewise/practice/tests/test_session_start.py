from __future__ import annotations

from datetime import UTC, datetime

import pytest

from revisewise.accounts.tests.factories import UserFactory
from revisewise.content.tests.factories import UnitFactory
from revisewise.practice.models import Item, ItemStatus, ItemType, SessionScope
from revisewise.practice.services import interleave, practice_session_start
from revisewise.practice.tests.factories import ItemFactory, items_of_every_type
from revisewise.scheduling.services import card_review

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

pytestmark = pytest.mark.django_db


def test_it_interleaves_units_and_types_deterministically():
    first, second = UnitFactory.create(), UnitFactory.create()
    items = [
        ItemFactory.create(unit=unit, item_type=item_type)
        for unit in (first, second)
        for item_type in (ItemType.CLOZE, ItemType.CLOZE, ItemType.TRUE_FALSE)
    ]

    ordered = interleave(items)

    assert [(item.unit, item.item_type) for item in ordered] == [
        (first, ItemType.CLOZE),
        (second, ItemType.CLOZE),
        (first, ItemType.TRUE_FALSE),
        (second, ItemType.TRUE_FALSE),
        (first, ItemType.CLOZE),
        (second, ItemType.CLOZE),
    ]
    assert interleave(list(reversed(items)))[0].unit == second
    assert interleave(items) == ordered


def test_it_fixes_the_item_order_at_start_and_respects_the_limit():
    learner = UserFactory.create()
    items = items_of_every_type()
    unit = items[ItemType.CLOZE].unit

    session = practice_session_start(
        learner=learner, scope=SessionScope.UNIT, unit=unit, limit=5, now=NOW
    )

    assert session.item_count == 5
    assert len(set(session.item_order)) == 5
    assert session.qualification == unit.qualification
    shown = Item.objects.filter(uuid__in=session.item_order)
    assert len({item.item_type for item in shown}) == 5
    again = practice_session_start(
        learner=learner, scope=SessionScope.UNIT, unit=unit, limit=5, now=NOW
    )
    assert again.item_order == session.item_order


def test_it_leaves_out_items_learners_may_not_see():
    learner = UserFactory.create()
    visible = ItemFactory.create()
    ItemFactory.create(unit=visible.unit, status=ItemStatus.DRAFT)
    ItemFactory.create(unit=visible.unit, status=ItemStatus.RETIRED)

    session = practice_session_start(
        learner=learner, scope=SessionScope.UNIT, unit=visible.unit, now=NOW
    )

    assert session.item_order == [str(visible.uuid)]


def test_it_puts_items_not_yet_due_last():
    learner = UserFactory.create()
    reviewed = ItemFactory.create()
    fresh = ItemFactory.create(unit=reviewed.unit)
    card_review(learner=learner, item=reviewed, rating=3, reviewed_at=NOW)

    session = practice_session_start(
        learner=learner, scope=SessionScope.UNIT, unit=reviewed.unit, now=NOW
    )

    assert session.item_order == [str(fresh.uuid), str(reviewed.uuid)]


def test_a_due_session_takes_only_the_learners_due_cards():
    learner, other = UserFactory.create(), UserFactory.create()
    due, later, never = ItemFactory.create_batch(3)
    card_review(learner=learner, item=due, rating=1, reviewed_at=NOW)
    card_review(learner=learner, item=later, rating=4, reviewed_at=NOW)
    card_review(learner=other, item=never, rating=1, reviewed_at=NOW)

    session = practice_session_start(
        learner=learner, scope=SessionScope.DUE, now=datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    )

    assert session.item_order == [str(due.uuid)]


def test_it_refuses_a_scope_with_nothing_to_practise():
    with pytest.raises(ValueError, match="nothing to practise"):
        practice_session_start(learner=UserFactory.create(), scope=SessionScope.DUE, now=NOW)
    with pytest.raises(ValueError, match="needs a unit"):
        practice_session_start(learner=UserFactory.create(), scope=SessionScope.UNIT, now=NOW)
