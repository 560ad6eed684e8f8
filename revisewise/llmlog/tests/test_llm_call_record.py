from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError
from django.utils import timezone

from revisewise.accounts.tests.factories import UserFactory
from revisewise.llmlog.models import LlmCall
from revisewise.llmlog.services import llm_call_record

pytestmark = pytest.mark.django_db


def test_it_records_counts_and_the_user():
    user = UserFactory.create()
    started = timezone.now()
    call = llm_call_record(
        feature="tutor_answer",
        model="m",
        started_at=started,
        latency_ms=250,
        outcome="timeout",
        prompt_tokens=40,
        completion_tokens=0,
        attempts=2,
        user=user,
    )
    call.refresh_from_db()
    assert (call.feature, call.outcome, call.latency_ms, call.attempts, call.user) == (
        "tutor_answer",
        "timeout",
        250,
        2,
        user,
    )
    assert call.total_tokens == 40


def test_it_stores_no_user_for_an_anonymous_visitor():
    call = llm_call_record(
        feature="f",
        model="m",
        started_at=timezone.now(),
        latency_ms=1,
        outcome="ok",
        user=AnonymousUser(),  # type: ignore[arg-type]
    )
    assert call.user is None


def test_it_refuses_an_unknown_outcome():
    with pytest.raises(ValueError, match="exploded"):
        llm_call_record(
            feature="f", model="m", started_at=timezone.now(), latency_ms=1, outcome="exploded"
        )


def test_the_database_refuses_an_unknown_outcome_too():
    with pytest.raises(IntegrityError):
        LlmCall.objects.create(
            feature="f", model="m", started_at=timezone.now(), latency_ms=1, outcome="exploded"
        )


def test_it_keeps_the_call_when_the_user_is_deleted():
    user = UserFactory.create()
    llm_call_record(
        feature="f",
        model="m",
        started_at=timezone.now() - dt.timedelta(seconds=1),
        latency_ms=1,
        outcome="ok",
        prompt_tokens=5,
        user=user,
    )
    user.delete()
    assert LlmCall.objects.get().user is None
