"""A learner answers a few questions in a practice session, then sees it on the progress page."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from revisewise.accounts.tests.factories import UserFactory
from revisewise.content.models import Unit
from revisewise.practice.models import Item, ItemType, SessionScope
from revisewise.practice.services import practice_session_start
from revisewise.scheduling.models import ReviewLog
from revisewise.scheduling.services import card_review_answer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("seeded"),
]

SCREENS = "/tmp/screens"
ANSWERS = 4


@pytest.fixture
def learner(seeded, page: Page, live_server):
    call_command("generate_items", stdout=StringIO())
    learner = UserFactory.create()
    client = Client()
    client.force_login(learner)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return learner


def _answer_with_the_mouse(page: Page, item: Item) -> None:
    """Answer a true/false or single-answer item rightly by clicking its option."""
    shown = item.presentation()
    answer = item.payload["answer"]
    if item.item_type == ItemType.TRUE_FALSE:
        page.get_by_label("True" if answer else "False", exact=True).check()
    else:
        text = next(option["text"] for option in shown["options"] if option["id"] == answer)
        page.get_by_label(text, exact=True).check()
    page.get_by_role("button", name=re.compile("Check", re.IGNORECASE)).click()


def test_the_progress_page_shows_a_practice_sessions_effect(page: Page, learner):
    unit = Unit.objects.get(title="Customer service performance")
    items = list(
        Item.objects.filter(
            unit=unit, item_type__in=[ItemType.TRUE_FALSE, ItemType.MCQ_SINGLE]
        ).order_by("pk")[:ANSWERS]
    )
    session = practice_session_start(
        learner=learner, scope=SessionScope.UNIT, unit=unit, limit=ANSWERS, now=timezone.now()
    )
    session.item_order = [str(item.uuid) for item in items]
    session.save(update_fields=["item_order"])

    page.goto(f"/practice/sessions/{session.uuid}/")
    for number, item in enumerate(items, start=1):
        expect(page.get_by_role("heading", name=f"Question {number} of {ANSWERS}")).to_be_visible()
        _answer_with_the_mouse(page, item)
        expect(page.locator(".verdict")).to_have_text("Correct.")
        page.locator("#next-link").click()
    expect(page.get_by_role("heading", name="Your results")).to_be_visible()
    assert ReviewLog.objects.filter(card__learner=learner).count() == ANSWERS

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Progress").click()

    expect(page.get_by_role("heading", name="Your progress", level=1)).to_be_visible()
    reviews_today = page.locator(".reviews-today").inner_text()
    assert int(reviews_today.split()[0]) >= ANSWERS
    section = page.get_by_role("region", name=unit.qualification.title)
    percent = section.locator(".mastery-percent").first.inner_text()
    assert percent == "under 1%" or int(percent.rstrip("%")) > 0
    expect(section.get_by_role("row", name=re.compile(unit.title))).not_to_contain_text("None yet")
    expect(page.get_by_role("img", name="Reviews per day")).to_be_visible()
    page.screenshot(path=f"{SCREENS}/progress-overview.png", full_page=True)

    page.get_by_role("link", name="Plan your revision to the exam date").click()
    page.get_by_role("combobox", name="Qualification").select_option(label=unit.qualification.title)
    page.get_by_role("textbox", name="Exam date").fill("2099-01-01")
    page.get_by_role("button", name="Save and show my plan").click()
    expect(page.locator(".field-error")).to_have_text(
        "Choose an exam date within the next two years."
    )
    exam_date = timezone.now().date().replace(day=1)
    exam_date = exam_date.replace(year=exam_date.year + 1)
    page.get_by_role("textbox", name="Exam date").fill(exam_date.isoformat())
    page.get_by_role("button", name="Save and show my plan").click()
    expect(page.get_by_text("Your exam date and plan are saved.")).to_be_visible()
    expect(page.get_by_role("table", name="Day by day")).to_be_visible()
    page.screenshot(path=f"{SCREENS}/progress-plan.png", full_page=True)

    page.get_by_role("combobox", name="Qualification").select_option(label=unit.qualification.title)
    page.get_by_role("textbox", name="Exam date").fill(
        (timezone.now().date() + timedelta(days=3)).isoformat()
    )
    page.get_by_role("spinbutton", name="Questions a day").fill("5")
    page.get_by_role("button", name="Save and show my plan").click()
    expect(page.get_by_role("alert")).to_contain_text("The time left cannot cover everything")
    page.screenshot(path=f"{SCREENS}/progress-plan-warning.png", full_page=True)


def test_the_progress_pages_fit_a_phone_screen(mobile_page: Page, learner, live_server):
    unit = Unit.objects.get(title="Customer service performance")
    for item in Item.objects.filter(unit=unit).order_by("pk")[:3]:
        card_review_answer(learner=learner, item=item, is_correct=True, reviewed_at=timezone.now())
    client = Client()
    client.force_login(learner)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    mobile_page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
    )
    for name, path in (("overview", "/progress/"), ("plan", "/progress/plan/")):
        mobile_page.goto(path)
        mobile_page.screenshot(path=f"{SCREENS}/progress-mobile-{name}.png", full_page=True)
        assert mobile_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
