from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from revisewise.accounts.models import User
from revisewise.marking.models import MachineMark, WrittenAnswer
from revisewise.practice.models import Attempt

pytestmark = pytest.mark.django_db


def test_it_prints_store_and_mark_times_and_writes_nothing(written_item):
    out = StringIO()

    call_command("benchmark_written_answers", "--answers", "3", "--json", stdout=out)

    report = json.loads(out.getvalue().strip().splitlines()[-1])
    assert report["answers"] == 3
    assert report["items"] == 1
    assert 0 < report["mark_ms_p50"] <= report["mark_ms_p95"]
    assert 0 < report["store_ms_p50"] <= report["store_ms_p95"]
    assert not WrittenAnswer.objects.exists()
    assert not MachineMark.objects.exists()
    assert not Attempt.objects.exists()
    assert not User.objects.filter(username="benchmark-written").exists()
