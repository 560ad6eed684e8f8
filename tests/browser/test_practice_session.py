"""A learner practises a mixed session by keyboard only, reloads mid-way and loses nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from revisewise.accounts.tests.factories import UserFactory
from revisewise.content.models import Unit
from revisewise.practice.models import Attempt, Item, ItemType, PracticeSession, SessionScope
from revisewise.practice.services import practice_session_start
from revisewise.scheduling.models import ReviewLog

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("seeded"),
]

SCREENS = "/tmp/screens"


@pytest.fixture
def learner(seeded, page: Page, live_server):
    call_command("generate_items", stdout=StringIO())
    learner = UserFactory.create()
    client = Client()
    client.force_login(learner)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    learner.cookies = [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
    page.context.add_cookies(learner.cookies)
    return learner


def _focused(page: Page, script: str):
    return page.evaluate(
        f"(() => {{ const element = document.activeElement; return {script}; }})()"
    )


def _choose_in_select(page: Page, ids: list[str], wanted: str) -> None:
    """Move the focused select to `wanted` with the arrow keys (the first option is a prompt)."""
    for _step in range(ids.index(wanted) + 1):
        page.keyboard.press("ArrowDown")


def _answer_by_keyboard(page: Page, item: Item) -> None:
    """Answer `item` rightly, starting from the control the page focuses, keyboard only."""
    shown = item.presentation()
    payload = item.payload
    kind = item.item_type
    if kind in (ItemType.MCQ_SINGLE, ItemType.TRUE_FALSE):
        choices = (
            [o["id"] for o in shown["options"]] if kind == ItemType.MCQ_SINGLE else [True, False]
        )
        page.keyboard.press("Space")
        for _step in range(choices.index(payload["answer"])):
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
    elif kind == ItemType.MCQ_MULTI:
        for option in shown["options"]:
            if option["id"] in payload["answers"]:
                page.keyboard.press("Space")
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
    elif kind == ItemType.CLOZE:
        page.keyboard.type(payload["answer"].lower())
        page.keyboard.press("Enter")
    elif kind == ItemType.ORDERING:
        ids = [step["id"] for step in shown["steps"]]
        for step in payload["steps"]:
            _choose_in_select(page, ids, step["id"])
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
    elif kind == ItemType.MATCHING:
        ids = [right["id"] for right in shown["rights"]]
        wanted = {pair["left_id"]: pair["right_id"] for pair in payload["pairs"]}
        for left in shown["lefts"]:
            _choose_in_select(page, ids, wanted[left["id"]])
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
    elif kind == ItemType.FLASHCARD:
        page.keyboard.press("Enter")
        expect(page.get_by_role("button", name="Good")).to_be_focused()
        page.keyboard.press("Enter")
    else:
        page.keyboard.type("I would listen, acknowledge the frustration and apologise.")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")


def test_a_learner_completes_a_mixed_session_by_keyboard(page: Page, learner):
    unit = Unit.objects.get(title="Customer service performance")
    session = practice_session_start(
        learner=learner, scope=SessionScope.UNIT, unit=unit, limit=7, now=timezone.now()
    )
    items = [Item.objects.get(uuid=key) for key in session.item_order]
    assert len({item.item_type for item in items}) >= 5

    page.goto(f"/practice/sessions/{session.uuid}/")
    for number, item in enumerate(items, start=1):
        expect(page.get_by_role("heading", name=f"Question {number} of 7")).to_be_visible()
        page.screenshot(
            path=f"{SCREENS}/practice-item-{number}-{item.item_type}.png", full_page=True
        )
        # Keys typed before the page's script focuses the first control would land on the body.
        expect(page.locator("main :focus")).to_have_count(1)
        _answer_by_keyboard(page, item)

        next_link = page.locator("#next-link")
        expect(next_link).to_be_focused()
        expect(page.locator(".feedback")).to_contain_text(item.source_sentence[:40])
        source = page.locator(".feedback .source a")
        assert (source.get_attribute("href") or "").startswith(unit.get_absolute_url() + "#")
        if item.item_type != ItemType.WRITTEN:
            expect(page.locator(".verdict")).to_have_text(
                "Recorded: Good." if item.item_type == ItemType.FLASHCARD else "Correct."
            )
        page.screenshot(path=f"{SCREENS}/practice-feedback-{number}-{item.item_type}.png")

        if number == 3:
            page.reload()
            expect(page.locator(".practice-progress")).to_have_text("3 of 7 answered")
            expect(page.locator("#next-link")).to_be_focused()
            assert Attempt.objects.filter(session=session).count() == 3
        page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Your results")).to_be_visible()
    # Written answers are marked by the engine as they are submitted (tasks run inline here).
    wrong = Attempt.objects.filter(session=session, is_correct=False).count()
    assert wrong <= sum(1 for item in items if item.item_type == ItemType.WRITTEN)
    expect(page.locator(".score")).to_contain_text(f"{7 - wrong} of 7 marked answer")
    page.screenshot(path=f"{SCREENS}/practice-summary.png", full_page=True)
    assert Attempt.objects.filter(session=session).count() == 7
    assert ReviewLog.objects.filter(card__learner=learner).count() == 7
    session.refresh_from_db()
    assert session.is_finished


def test_a_learner_starts_a_unit_session_from_the_practise_page(page: Page, learner):
    page.goto("/practice/")
    page.screenshot(path=f"{SCREENS}/practice-home.png", full_page=True)

    for _step in range(80):
        page.keyboard.press("Tab")
        if _focused(page, "element.getAttribute('aria-label')") == (
            "Practise Customer service performance"
        ):
            break
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Question 1 of 20")).to_be_visible()
    assert PracticeSession.objects.get(learner=learner, unit__title="Customer service performance")


def test_the_basic_flow_works_without_javascript(browser, live_server, learner, page: Page):
    unit = Unit.objects.get(title="Customer journey knowledge")
    session = practice_session_start(
        learner=learner, scope=SessionScope.UNIT, unit=unit, limit=3, now=timezone.now()
    )
    items = [Item.objects.get(uuid=key) for key in session.item_order]
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.add_cookies(learner.cookies)
    plain = context.new_page()
    try:
        plain.goto(f"/practice/sessions/{session.uuid}/")
        for number, item in enumerate(items, start=1):
            expect(plain.get_by_role("heading", name=f"Question {number} of 3")).to_be_visible()
            _answer_by_keyboard(plain, item)
            expect(plain).to_have_url(
                f"{live_server.url}/practice/sessions/{session.uuid}/items/{number}/"
            )
            expect(plain.locator(".feedback .source a")).to_be_visible()
            plain.reload()
            expect(plain.locator(".practice-progress")).to_have_text(f"{number} of 3 answered")
            expect(plain.locator("#next-link")).to_be_focused()
            plain.keyboard.press("Enter")
        expect(plain.get_by_role("heading", name="Your results")).to_be_visible()
        plain.screenshot(path=f"{SCREENS}/practice-summary-no-js.png", full_page=True)
    finally:
        context.close()
    assert Attempt.objects.filter(session=session).count() == 3


def test_practice_pages_fit_a_phone_screen(mobile_page: Page, learner, page: Page):
    unit = Unit.objects.get(title="Customer service performance")
    session = practice_session_start(
        learner=learner, scope=SessionScope.UNIT, unit=unit, limit=5, now=timezone.now()
    )
    mobile_page.context.add_cookies(learner.cookies)
    for name, path in (
        ("home", "/practice/"),
        ("item", f"/practice/sessions/{session.uuid}/items/1/"),
        ("summary", f"/practice/sessions/{session.uuid}/summary/"),
    ):
        mobile_page.goto(path)
        mobile_page.screenshot(path=f"{SCREENS}/practice-mobile-{name}.png", full_page=True)
        assert mobile_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
