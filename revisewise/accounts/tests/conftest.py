from __future__ import annotations

import pytest

from revisewise.accounts.models import Cohort, Role, User
from revisewise.accounts.tests.factories import (
    CentreAdminMembershipFactory,
    CohortFactory,
    MembershipFactory,
    UserFactory,
)

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real PBKDF2 costs a quarter of a second per check; these tests check hundreds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def cohort(db) -> Cohort:
    return CohortFactory.create()


@pytest.fixture
def learner(cohort) -> User:
    return MembershipFactory.create(cohort=cohort, role=Role.LEARNER).user


@pytest.fixture
def tutor(cohort) -> User:
    return MembershipFactory.create(cohort=cohort, role=Role.TUTOR).user


@pytest.fixture
def centre_admin(cohort) -> User:
    return CentreAdminMembershipFactory.create(centre=cohort.centre).user


@pytest.fixture
def other_tutor(db) -> User:
    return MembershipFactory.create(role=Role.TUTOR).user


@pytest.fixture
def other_learner(db) -> User:
    return MembershipFactory.create(role=Role.LEARNER).user


@pytest.fixture
def other_centre_admin(db) -> User:
    return CentreAdminMembershipFactory.create().user


@pytest.fixture
def solo_learner(db) -> User:
    return UserFactory.create()
