from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command

from revisewise.accounts.models import User
from revisewise.practice.models import Attempt, PracticeSession


def test_it_times_submits_through_the_views_and_cleans_up(seeded_units):
    out = io.StringIO()

    call_command("benchmark_practice", submits=5, stdout=out)

    text = out.getvalue()
    for unit in seeded_units:
        assert f"generation (first run) {unit.title}: " in text
    assert re.search(r"answer submit POST: n=5 p50=[\d.]+ ms p95=[\d.]+ ms", text)
    assert re.search(r"item page GET: n=5 ", text)
    assert not User.objects.filter(username__startswith="benchmark-").exists()
    assert not PracticeSession.objects.exists()
    assert not Attempt.objects.exists()


def test_it_refuses_an_empty_bank(db):
    with pytest.raises(CommandError, match="No practice items"):
        call_command("benchmark_practice", submits=5, stdout=io.StringIO())
