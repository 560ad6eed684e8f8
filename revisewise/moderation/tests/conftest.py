"""Two centres' cohorts, named as on the pages; their people are the root conftest's personas."""

from __future__ import annotations

import pytest
from django.db import connection

from revisewise.accounts.models import Cohort
from revisewise.accounts.tests.factories import CohortFactory


@pytest.fixture
def cohort(db) -> Cohort:
    return CohortFactory.create(name="Business Admin L3, Jan 2027")


@pytest.fixture
def other_cohort(db) -> Cohort:
    return CohortFactory.create(name="Customer Service L2, Mar 2027")


@pytest.fixture
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent writers need PostgreSQL's row locks (SQLite locks the file).")
