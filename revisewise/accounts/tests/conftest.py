from __future__ import annotations

import pytest

from revisewise.accounts.models import User
from revisewise.accounts.tests.factories import UserFactory

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def solo_learner(db) -> User:
    return UserFactory.create()
