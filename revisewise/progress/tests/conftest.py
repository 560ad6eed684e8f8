from __future__ import annotations

import pytest

from revisewise.accounts.models import User
from revisewise.accounts.tests.factories import UserFactory
from revisewise.practice.models import Item
from revisewise.practice.tests.factories import items_of_every_type


@pytest.fixture
def learner(db) -> User:
    return UserFactory.create()


@pytest.fixture
def other_learner(db) -> User:
    return UserFactory.create()


@pytest.fixture
def items(db) -> dict[str, Item]:
    return items_of_every_type()
