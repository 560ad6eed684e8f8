from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import call_command

from revisewise.accounts.models import User
from revisewise.accounts.tests.factories import UserFactory
from revisewise.content.models import Unit


@pytest.fixture
def seeded_units(db) -> list[Unit]:
    """Import the real seed pages, as `import_content demo/seeds` does."""
    seeds = str(settings.BASE_DIR / "demo" / "seeds")
    call_command("import_content", seeds, verbosity=0, stdout=io.StringIO())
    return list(Unit.objects.order_by("pk"))


@pytest.fixture
def author(db) -> User:
    return UserFactory.create(is_staff=True)
