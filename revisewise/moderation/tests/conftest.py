"""The people of two centres: a learner and a tutor in each."""

from __future__ import annotations

import pytest

from revisewise.accounts.models import Cohort, User
from revisewise.accounts.tests.factories import CohortFactory
from revisewise.moderation.tests.factories import learner_in, tutor_of


@pytest.fixture
def cohort(db) -> Cohort:
    return CohortFactory.create(name="Business Admin L3, Jan 2027")


@pytest.fixture
def other_cohort(db) -> Cohort:
    return CohortFactory.create(name="Customer Service L2, Mar 2027")


@pytest.fixture
def learner(cohort) -> User:
    return learner_in(cohort)


@pytest.fixture
def tutor(cohort) -> User:
    return tutor_of(cohort)


@pytest.fixture
def other_learner(other_cohort) -> User:
    return learner_in(other_cohort)


@pytest.fixture
def other_tutor(other_cohort) -> User:
    return tutor_of(other_cohort)
