from __future__ import annotations

import json
import time

import pytest
from django.core.management import CommandError, call_command

from revisewise.accounts.models import Cohort, TotpDevice, User
from revisewise.accounts.totp import totp_code
from revisewise.content.models import ContentItem, Unit
from revisewise.practice.models import Item


@pytest.mark.django_db
def test_it_loads_content_items_and_people_and_is_idempotent(settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo")
    first = capsys.readouterr().out
    counts = (Unit.objects.count(), ContentItem.objects.count(), Item.objects.count())
    call_command("seed_demo")
    second = capsys.readouterr().out

    assert counts[0] == 4
    assert counts[1] > 50
    assert counts[2] > 120
    assert (Unit.objects.count(), ContentItem.objects.count(), Item.objects.count()) == counts
    assert User.objects.filter(email__endswith="@demo.revisewise.test").count() == 7
    assert Cohort.objects.get().memberships.count() == 5
    passwords = json.loads((tmp_path / "demo_logins.json").read_text())
    for email in ("learner@demo.revisewise.test", "tutor@demo.revisewise.test"):
        assert User.objects.get(email=email).check_password(passwords[email])
        # The same logins are printed on every run.
        assert passwords[email] in first
        assert passwords[email] in second


@pytest.mark.django_db
def test_it_prints_a_demo_persons_current_code_and_nobody_elses(settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo")
    capsys.readouterr()
    call_command("demo_code", "author@demo.revisewise.test")
    printed = capsys.readouterr().out.strip()
    secret = TotpDevice.objects.get(user__email="author@demo.revisewise.test").secret
    now = time.time()
    assert printed in {totp_code(secret=secret, unix_time=now + d) for d in (-30, 0)}
    with pytest.raises(CommandError, match="Only demo people"):
        call_command("demo_code", "someone@example.org")
