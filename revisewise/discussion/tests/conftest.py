from __future__ import annotations

import pytest

from revisewise.accounts.models import User
from revisewise.accounts.tests.factories import UserFactory
from revisewise.content.models import Unit
from revisewise.discussion.tests.factories import discussion_unit


@pytest.fixture
def learner(db) -> User:
    return UserFactory.create()


@pytest.fixture
def unit(db) -> Unit:
    return discussion_unit()
