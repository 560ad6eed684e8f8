from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

from revisewise.accounts.tests.factories import UserFactory
from revisewise.llmlog.selectors import (
    llm_tokens_used_today_for_user,
    llm_tokens_used_today_global,
)
from revisewise.llmlog.tests.factories import LlmCallFactory

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")


@time_machine.travel(dt.datetime(2026, 7, 1, 9, 0, tzinfo=LONDON), tick=False)
def test_it_counts_only_todays_tokens_in_the_site_time_zone():
    learner, other = UserFactory.create(), UserFactory.create()
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time): today.
    LlmCallFactory(
        user=learner,
        started_at=dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC),
        prompt_tokens=10,
        completion_tokens=5,
    )
    LlmCallFactory(
        user=learner,
        started_at=dt.datetime(2026, 6, 30, 22, 59, tzinfo=dt.UTC),
        prompt_tokens=1000,
        completion_tokens=0,
    )
    LlmCallFactory(user=other, prompt_tokens=7, completion_tokens=3)
    LlmCallFactory(user=None, prompt_tokens=100, completion_tokens=0)
    assert llm_tokens_used_today_for_user(user=learner) == 15
    assert llm_tokens_used_today_for_user(user=other) == 10
    assert llm_tokens_used_today_global() == 125


def test_it_counts_zero_for_a_user_without_calls():
    assert llm_tokens_used_today_for_user(user=UserFactory.create()) == 0
    assert llm_tokens_used_today_global() == 0
