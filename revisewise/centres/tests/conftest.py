from __future__ import annotations

from datetime import UTC, datetime

import pytest

from revisewise.accounts.models import Cohort, Role, User
from revisewise.accounts.tests.factories import (
    CentreAdminMembershipFactory,
    CohortFactory,
    MembershipFactory,
)
from revisewise.content.models import ItemKind, Unit
from revisewise.content.tests.factories import ContentItemFactory, UnitFactory
from revisewise.practice.models import Item
from revisewise.practice.tests.factories import ItemFactory

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def unit(db) -> Unit:
    return UnitFactory.create(title="Customer service performance", position=1)


@pytest.fixture
def objectives(unit):
    """Two learning objectives of the unit, each practised by two items."""
    return [
        ContentItemFactory.create(
            unit=unit, kind=ItemKind.OBJECTIVE, name="", text=text, position=position
        )
        for position, text in enumerate(
            ["Maintain a positive relationship", "Review history before referring"]
        )
    ]


@pytest.fixture
def items(unit, objectives) -> list[Item]:
    """Four items: two per objective, in objective order."""
    return [
        ItemFactory.create(unit=unit, objective=objective, stem=f"Question {n} on {objective.pk}")
        for objective in objectives
        for n in range(2)
    ]


@pytest.fixture
def cohort(unit) -> Cohort:
    return CohortFactory.create(qualification=unit.qualification, name="Business Admin L3")


@pytest.fixture
def learner(cohort) -> User:
    return MembershipFactory.create(
        cohort=cohort, role=Role.LEARNER, user__display_name="Amira Khan"
    ).user


@pytest.fixture
def tutor(cohort) -> User:
    return MembershipFactory.create(cohort=cohort, role=Role.TUTOR).user


@pytest.fixture
def centre_admin(cohort) -> User:
    return CentreAdminMembershipFactory.create(centre=cohort.centre).user


@pytest.fixture
def other_tutor(unit) -> User:
    other = CohortFactory.create(qualification=unit.qualification)
    return MembershipFactory.create(cohort=other, role=Role.TUTOR).user


@pytest.fixture
def other_learner(unit) -> User:
    other = CohortFactory.create(qualification=unit.qualification)
    return MembershipFactory.create(cohort=other, role=Role.LEARNER).user
