from __future__ import annotations

import pytest

from revisewise.content.models import Qualification
from revisewise.epa.tests.factories import item_bank, knowledge_test_plan


@pytest.fixture
def small_mock(settings) -> None:
    settings.EPA_MOCK_QUESTION_COUNT = 4
    settings.EPA_MOCK_SECONDS = 120


@pytest.fixture
def qualification(db) -> Qualification:
    """A qualification whose plan has the ST0070 knowledge test, with 12 questions in its bank
    (2 units x 2 objectives x 3)."""
    method = knowledge_test_plan()
    item_bank(qualification=method.plan.qualification, units=2, objectives=2, per_objective=3)
    return method.plan.qualification
