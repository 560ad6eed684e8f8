from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from revisewise.accounts.models import User
from revisewise.content.models import ContentItem, Unit


@pytest.mark.django_db
def test_it_loads_the_seed_units_and_people_and_is_idempotent(settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo")
    first = capsys.readouterr().out
    units, items = Unit.objects.count(), ContentItem.objects.count()
    call_command("seed_demo")
    second = capsys.readouterr().out

    assert units == 4
    assert items > 50
    assert (Unit.objects.count(), ContentItem.objects.count()) == (units, items)
    assert User.objects.filter(email__endswith="@demo.revisewise.test").count() == 2
    passwords = json.loads((tmp_path / "demo_logins.json").read_text())
    learner = User.objects.get(email="learner@demo.revisewise.test")
    assert learner.check_password(passwords[learner.email])
    # The same logins are printed on every run.
    assert passwords[learner.email] in first
    assert passwords[learner.email] in second
