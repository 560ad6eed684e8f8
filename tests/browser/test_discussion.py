"""A learner rehearses a professional discussion, then sees their readiness on the progress page."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from revisewise.accounts.tests.factories import UserFactory
from revisewise.content.models import Unit
from revisewise.discussion.models import DiscussionAnswer, DiscussionMark
from revisewise.marking.engine import get_engine
from revisewise.practice.models import LEARNER_VISIBLE_STATUSES, Item
from revisewise.scheduling.services import card_review_answer

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]

SCREENS = "/tmp/screens"
UNIT = "Customer service performance"
# The first marking loads the embedding model; under a shared machine that can take a while.
MARKING_TIMEOUT = 90_000
ANSWERS = (
    "Last year a customer rang because her replacement could not be sent in time for a "
    "birthday. My role was to keep her as a customer even though I could not deliver the "
    "outcome she expected. I acknowledged her frustration, apologised sincerely and explained "
    "what I could do instead. I kept a positive tone and focused on future solutions, so I "
    "offered a refund and a voucher. As a result she stayed with us and thanked me; I learned "
    "to lead with what I can do.",
    "I looked at the customer history before the referral.",
)


@pytest.fixture(scope="module", autouse=True)
def _warm_marker():
    # Pay the model's load before the first answer, as a server does at start-up.
    get_engine().warm()


@pytest.fixture
def learner(seeded, page: Page, live_server):
    learner = UserFactory.create()
    client = Client()
    client.force_login(learner)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return learner


def test_a_learner_completes_a_discussion_and_sees_criteria_feedback(page: Page, learner):
    page.goto("/discussion/")
    expect(page.get_by_role("heading", name="Discussion practice", level=1)).to_be_visible()
    page.get_by_role("radio", name=UNIT).check()
    page.get_by_role("combobox", name="Number of questions").select_option("2")
    page.get_by_role("button", name="Start the discussion").click()

    expect(page.get_by_role("heading", name="Question 1 of 2")).to_be_visible()
    expect(page.locator(".timing")).to_contain_text("minutes for the whole discussion")
    expect(page.locator(".prompt-source")).to_contain_text("From the learning objective:")
    page.screenshot(path=f"{SCREENS}/discussion-question.png", full_page=True)
    page.get_by_role("textbox", name="Your answer").fill(ANSWERS[0])
    page.get_by_role("button", name="Send my answer").click(timeout=MARKING_TIMEOUT)

    heading = page.get_by_role("heading", name="Feedback on question 1 of 2")
    expect(heading).to_be_visible(timeout=MARKING_TIMEOUT)
    expect(page.get_by_role("heading", name="Pass criteria")).to_be_visible()
    expect(page.get_by_role("heading", name="Distinction criteria")).to_be_visible()
    pass_table = page.get_by_role("table", name=re.compile("assessment criteria this question"))
    expect(pass_table.locator(".verdict").first).to_have_text(
        re.compile("Shown|Partly shown|Missing")
    )
    structure = page.locator(".structure")
    for part in ("Situation", "Task", "Action", "Result"):
        expect(structure).to_contain_text(part)
    expect(page.locator(".structure-result")).to_contain_text("shown in")
    expect(page.locator(".answer-text")).to_contain_text("As a result she stayed with us")
    expect(page.get_by_role("heading", name="What would lift it to distinction")).to_be_visible()
    page.screenshot(path=f"{SCREENS}/discussion-feedback.png", full_page=True)

    page.locator("#next-link").click()
    expect(page.get_by_role("heading", name="Question 2 of 2")).to_be_visible()
    page.get_by_role("textbox", name="Your answer").fill(ANSWERS[1])
    page.get_by_role("button", name="Send my answer").click(timeout=MARKING_TIMEOUT)
    expect(page.get_by_role("heading", name="Feedback on question 2 of 2")).to_be_visible(
        timeout=MARKING_TIMEOUT
    )
    expect(page.locator(".structure-situation")).to_contain_text("missing.")
    page.get_by_role("button", name="Finish and see the summary").click()

    expect(page.get_by_role("heading", name="Discussion summary")).to_be_visible()
    expect(page.locator(".band")).to_have_count(2)
    page.screenshot(path=f"{SCREENS}/discussion-summary.png", full_page=True)
    answers = DiscussionAnswer.objects.filter(session__learner=learner)
    assert sorted(answers.values_list("text", flat=True)) == sorted(ANSWERS)
    assert DiscussionMark.objects.filter(answer__in=answers).count() == 2


def test_a_too_long_answer_stays_in_the_box_with_a_message(page: Page, learner):
    page.goto("/discussion/")
    page.get_by_role("radio", name=UNIT).check()
    page.get_by_role("button", name="Start the discussion").click()
    text = "I helped. " * 1_001

    page.get_by_role("textbox", name="Your answer").fill(text)
    page.get_by_role("button", name="Send my answer").click()

    expect(page.get_by_role("alert")).to_contain_text("at most 10,000")
    kept = page.get_by_role("textbox", name="Your answer").input_value()
    assert kept.strip() == text.strip()
    assert not DiscussionAnswer.objects.exists()


def test_the_progress_page_shows_readiness(page: Page, learner):
    call_command("generate_items", stdout=StringIO())
    unit = Unit.objects.get(title=UNIT)
    qualification = unit.qualification
    items = list(
        Item.objects.filter(
            qualification=qualification, status__in=LEARNER_VISIBLE_STATUSES
        ).order_by("pk")
    )
    for item in items[:6]:
        card_review_answer(learner=learner, item=item, is_correct=True, reviewed_at=timezone.now())

    page.goto("/progress/")

    section = page.get_by_role("region", name=qualification.title)
    readiness = section.get_by_role("region", name="Readiness for the assessment")
    # Six right answers are too little to predict a grade from: the page says so.
    expect(readiness).to_contain_text(
        f"Not enough practice for a prediction yet: 6 of {len(items)} questions practised"
    )
    expect(readiness).not_to_contain_text("Predicted grade:")

    fifth = -(-len(items) // 5)
    for item in items[6:fifth]:
        card_review_answer(learner=learner, item=item, is_correct=True, reviewed_at=timezone.now())
    page.reload()

    expect(readiness).to_contain_text("Predicted grade:")
    expect(readiness).to_contain_text("Chance of a pass:")
    expect(readiness).to_contain_text("based on mastery only")
    expect(readiness.get_by_role("heading", name="Holding it down")).to_be_visible()
    readiness.scroll_into_view_if_needed()
    page.screenshot(path=f"{SCREENS}/progress-readiness.png", full_page=True)
