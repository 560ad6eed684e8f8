from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command

from revisewise.accounts.models import User
from revisewise.marking.models import MachineMark, Moderation, PersonMark, WrittenAnswer


def test_it_prints_latency_and_queries_then_removes_what_it_built(db):
    out = io.StringIO()
    call_command(
        "benchmark_moderation", "--learners", "6", "--answers", "3", "--renders", "2", stdout=out
    )
    text = out.getvalue()
    assert "built 6 learners, 18 answers" in text
    assert re.search(r"6 marked by a tutor \(\d+ revised\)", text)
    timing = r"p50=[\d.]+ ms p95=[\d.]+ ms max=[\d.]+ ms cpu p50=[\d.]+ ms cpu p95=[\d.]+ ms"
    queue = re.search(rf"queue GET: n=2 {timing} queries=(\d+)", text)
    summary = re.search(r"summary: n=2 .* queries=(\d+)", text)
    marked = re.search(rf"marked GET: n=2 {timing} queries=(\d+)", text)
    assert queue
    assert summary
    assert marked
    assert int(summary.group(1)) == 2
    assert int(marked.group(1)) == 6
    assert not WrittenAnswer.objects.exists()
    assert not MachineMark.objects.exists()
    assert not Moderation.objects.exists()
    assert not PersonMark.objects.exists()
    assert not User.objects.exists()


def test_it_refuses_an_empty_cohort(db):
    with pytest.raises(CommandError, match="--learners must be at least 1"):
        call_command("benchmark_moderation", "--learners", "0")
