"""The marking pages start the sweep at most once per interval, with no cron needed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from revisewise.accounts.testing import force_login_verified
from revisewise.marking.models import MarkingStatus, WrittenAnswer
from revisewise.marking.services import written_answer_submit
from revisewise.marking.tests.conftest import GOOD_WRITTEN_ANSWER
from revisewise.marking.views import SWEEP_CACHE_KEY

pytestmark = pytest.mark.django_db


@pytest.fixture
def stuck(learner, written_item):
    answer = written_answer_submit(
        learner=learner,
        item=written_item,
        text=GOOD_WRITTEN_ANSWER,
        client_token="lost",
        duration_ms=None,
    )
    WrittenAnswer.objects.filter(pk=answer.pk).update(
        status=MarkingStatus.MARKING,
        marking_attempts=1,
        lease_expires_at=timezone.now() - timedelta(seconds=5),
    )
    return answer


def test_a_page_view_sweeps_a_stuck_answer_then_waits_for_the_interval(
    client, settings, learner, stuck, django_capture_on_commit_callbacks
):
    settings.MARKING_SWEEP_INTERVAL_SECONDS = 60
    cache.delete(SWEEP_CACHE_KEY)
    force_login_verified(client, learner)
    url = reverse("marking:answer-list")

    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)
    stuck.refresh_from_db()
    assert stuck.status == MarkingStatus.MARKED

    # Another stuck answer within the interval waits for the next sweep.
    WrittenAnswer.objects.filter(pk=stuck.pk).update(
        status=MarkingStatus.MARKING, lease_expires_at=timezone.now() - timedelta(seconds=5)
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)
    stuck.refresh_from_db()
    assert stuck.status == MarkingStatus.MARKING
    cache.delete(SWEEP_CACHE_KEY)


def test_an_interval_of_zero_leaves_the_sweep_to_the_command(
    client, settings, learner, stuck, django_capture_on_commit_callbacks
):
    settings.MARKING_SWEEP_INTERVAL_SECONDS = 0
    cache.delete(SWEEP_CACHE_KEY)
    force_login_verified(client, learner)

    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("marking:answer-list"))

    stuck.refresh_from_db()
    assert stuck.status == MarkingStatus.MARKING
