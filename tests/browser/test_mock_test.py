"""A learner sits a short timed mock: answers, reloads and resumes with the time left, lets the
clock run out, and sees the grade and the breakdown."""

from __future__ import annotations

import re
import time

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from revisewise.accounts.tests.factories import UserFactory
from revisewise.epa.models import MockAnswer, MockTest
from revisewise.epa.selectors import mock_items
from revisewise.epa.tests.factories import item_bank, knowledge_test_plan, right_answer

pytestmark = pytest.mark.browser
SECONDS = 20


@pytest.fixture
def learner_page(transactional_db, page: Page, live_server, settings):
    settings.EPA_MOCK_QUESTION_COUNT = 4
    settings.EPA_MOCK_SECONDS = SECONDS
    method = knowledge_test_plan()
    item_bank(qualification=method.plan.qualification, units=2, objectives=2, per_objective=2)
    learner = UserFactory.create()
    client = Client()
    client.force_login(learner)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return page, method.plan.qualification, learner


def _shown_seconds(page: Page) -> int:
    text = page.locator("#mock-timer").inner_text()
    minutes, seconds = re.fullmatch(r"(\d+):(\d\d)", text.strip()).groups()  # type: ignore[union-attr]
    return int(minutes) * 60 + int(seconds)


def test_a_learner_sits_a_short_mock_resumes_after_a_reload_and_runs_out_of_time(learner_page):
    page, qualification, learner = learner_page
    page.goto(f"/epa/{qualification.slug}/mock/")
    page.get_by_role("button", name="Start a mock test").click()
    expect(page.get_by_role("heading", name="Mock knowledge test")).to_be_visible()
    expect(page.locator("#mock-timer")).to_have_text(re.compile(r"0:(1\d|20)"))

    mock = MockTest.objects.get(learner=learner)
    first = mock_items(mock=mock)[0]
    page.locator(f'input[name="q0"][value="{right_answer(first)}"]').check()
    expect(page.locator("#status-1")).to_have_text("Saved")
    assert MockAnswer.objects.filter(mock=mock, position=0, counts=True).count() == 1

    time.sleep(4)
    page.reload()
    expected = (mock.deadline - timezone.now()).total_seconds()
    assert abs(_shown_seconds(page) - expected) <= 2
    assert expected < SECONDS - 3  # the clock kept running while away
    expect(page.locator(f'input[name="q0"][value="{right_answer(first)}"]')).to_be_checked()
    page.screenshot(path="/tmp/screens/mock_take.png", full_page=True)

    # Nothing more is answered: the countdown submits the form at zero.
    page.wait_for_url(re.compile(r"/result/$"), timeout=(SECONDS + 5) * 1000)
    expect(page.locator("#mock-grade")).to_have_text("1 out of 4 (25.0%): Fail")
    expect(page.get_by_text("Time ran out; the answers given in time were marked.")).to_be_visible()
    expect(page.get_by_role("heading", name="By unit")).to_be_visible()
    expect(
        page.get_by_role("heading", name="By learning objective (weakest first)")
    ).to_be_visible()
    expect(page.locator(".review-item")).to_have_count(4)
    expect(page.get_by_role("button", name="Practise what is due now")).to_be_visible()
    page.screenshot(path="/tmp/screens/mock_result.png", full_page=True)
    mock.refresh_from_db()
    assert (mock.correct_count, mock.grade, mock.finish_reason) == (1, "Fail", "timed_out")
    assert settings.EPA_ANSWER_GRACE_SECONDS == 2
