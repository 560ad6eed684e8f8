from __future__ import annotations

import pytest

from revisewise.privacy.tests.factories import LearnerHistory, learner_with_history


@pytest.fixture
def history(db) -> LearnerHistory:
    return learner_with_history()
