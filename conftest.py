"""Personas and shared fixtures for the whole suite."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing is deliberately slow (about 0.3 s a sign-in); tests check behaviour, not cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_encoding_files(settings):
    # The marker's persistent encoding cache would write into var/; its tests use a tmp dir.
    settings.MARKING_ENCODING_CACHE_DIR = ""


# The personas (house style 12): a learner and their tutor in `cohort`, the centre's administrator,
# and a learner, a tutor and an administrator of another centre. An app's conftest overrides
# `cohort` or `other_cohort` when its cohorts need more (a qualification, a name); the people
# follow. Factories are imported inside the fixtures: this module loads before Django is set up.


@pytest.fixture
def cohort(db):
    from revisewise.accounts.tests.factories import CohortFactory

    return CohortFactory.create()


@pytest.fixture
def other_cohort(db):
    from revisewise.accounts.tests.factories import CohortFactory

    return CohortFactory.create()


def _member(cohort, role):
    from revisewise.accounts.tests.factories import MembershipFactory

    return MembershipFactory.create(cohort=cohort, role=role).user


@pytest.fixture
def learner(cohort):
    return _member(cohort, "learner")


@pytest.fixture
def tutor(cohort):
    return _member(cohort, "tutor")


@pytest.fixture
def centre_admin(cohort):
    from revisewise.accounts.tests.factories import CentreAdminMembershipFactory

    return CentreAdminMembershipFactory.create(centre=cohort.centre).user


@pytest.fixture
def other_learner(other_cohort):
    return _member(other_cohort, "learner")


@pytest.fixture
def other_tutor(other_cohort):
    return _member(other_cohort, "tutor")


@pytest.fixture
def other_centre_admin(other_cohort):
    from revisewise.accounts.tests.factories import CentreAdminMembershipFactory

    return CentreAdminMembershipFactory.create(centre=other_cohort.centre).user
