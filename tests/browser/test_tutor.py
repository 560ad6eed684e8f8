"""A learner asks the tutor in a real browser: offline, with the AI model, and with it failing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from revisewise.accounts.tests.factories import UserFactory
from revisewise.content.models import Qualification, Unit
from revisewise.core.llm.tests.server import LlmServer, Reply
from revisewise.tutor.models import Conversation
from revisewise.tutor.services import tutor_index_refresh_if_stale
from revisewise.tutor.tests.llm_replies import grounded_reply

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]

SCREENS = Path("/tmp/screens")
QUESTION = "what's the difference between CSAT and NPS?"
OFFLINE = "Answered from the course notes (offline)"
WITH_MODEL = "Answered with the AI model, from the course notes"
# Answering waits for the embedding model and, in the AI tests, the loopback server.
ANSWER_TIMEOUT_MS = 60_000


@pytest.fixture
def learner(page: Page, live_server):
    # Build the tutor's index before the browser asks, so no question waits for embedding.
    tutor_index_refresh_if_stale()
    learner = UserFactory.create()
    client = Client()
    client.force_login(learner)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return learner


@pytest.fixture
def loopback_llm(settings) -> Iterator[LlmServer]:
    """A loopback OpenAI-compatible server the live server's settings point at."""
    with LlmServer() as server:
        settings.LLM_BASE_URL = server.base_url
        settings.LLM_MODEL = "loopback-model"
        settings.LLM_TIMEOUT_SECONDS = 2.0
        yield server


def _ask(page: Page, question: str = QUESTION) -> None:
    slug = Qualification.objects.get(units__title="Customer service performance").slug
    page.goto(f"/tutor/{slug}/")
    page.get_by_label("Your question").fill(question)
    page.get_by_role("button", name="Ask").click()


def _answer(page: Page):
    return page.locator(".tutor-turn--tutor").last


def test_a_learner_gets_a_cited_answer_offline_and_keeps_the_conversation(page: Page, learner):
    _ask(page)

    answer = _answer(page)
    expect(answer.get_by_text(OFFLINE)).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    source = answer.get_by_role("link", name="Customer service performance: Key Concepts")
    unit = Unit.objects.get(title="Customer service performance")
    expect(source).to_have_attribute("href", f"{unit.get_absolute_url()}#key-concepts")
    conversation = Conversation.objects.get(learner=learner)
    expect(page).to_have_url(f"{page.url.split('/tutor/')[0]}{conversation.get_absolute_url()}")
    SCREENS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENS / "tutor-offline.png"), full_page=True)

    page.get_by_role("link", name="Start a new conversation").click()
    past = page.get_by_role("navigation", name="Your conversations")
    expect(past.get_by_role("link", name=QUESTION)).to_be_visible()
    past.get_by_role("button", name=f"Delete the conversation “{QUESTION}”").click()
    expect(page.get_by_text("You have not asked anything yet.")).to_be_visible()
    assert not Conversation.objects.exists()


def test_with_the_ai_model_the_answer_cites_checked_quotes(page: Page, learner, loopback_llm):
    loopback_llm.respond_with(grounded_reply)

    _ask(page)

    answer = _answer(page)
    expect(answer.get_by_text(WITH_MODEL)).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(answer.get_by_text("In plain words:").first).to_be_visible()
    expect(answer.locator("q.tutor-quote").first).to_be_visible()
    expect(
        answer.get_by_role("link", name="Customer service performance: Key Concepts")
    ).to_be_visible()
    expect(answer.locator(".tutor-notice")).to_have_count(0)
    past = page.get_by_role("navigation", name="Your conversations")
    expect(past.get_by_role("link", name=QUESTION)).to_have_attribute("aria-current", "page")
    assert loopback_llm.requests
    SCREENS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENS / "tutor-llm.png"), full_page=True)


def test_when_the_ai_model_fails_the_offline_answer_comes_with_a_notice(
    page: Page, learner, loopback_llm
):
    loopback_llm.respond_with(lambda received: Reply.error(500))

    _ask(page)

    answer = _answer(page)
    expect(answer.get_by_text(OFFLINE)).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(answer.locator(".tutor-notice")).to_have_text(
        "The AI service reported an error, so this answer comes from the course notes (offline)."
    )
    expect(
        answer.get_by_role("link", name="Customer service performance: Key Concepts")
    ).to_be_visible()
    SCREENS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENS / "tutor-fallback.png"), full_page=True)


def test_a_follow_up_question_is_answered_in_the_light_of_the_one_before(page: Page, learner):
    _ask(page, "what does FCR mean?")
    expect(_answer(page).get_by_text(OFFLINE)).to_be_visible(timeout=ANSWER_TIMEOUT_MS)

    page.get_by_label("Ask a follow-up question").fill("can you give an example of that?")
    page.get_by_role("button", name="Ask").click()

    expect(page.locator(".tutor-turn--tutor")).to_have_count(2, timeout=ANSWER_TIMEOUT_MS)
    answer = _answer(page)
    expect(answer.locator(".tutor-follows")).to_have_text(
        "Read as a follow-up to: “what does FCR mean?”"
    )
    expect(answer.get_by_text("First Contact Resolution").first).to_be_visible()
    SCREENS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENS / "tutor-follow-up.png"), full_page=True)


def test_a_comparison_quotes_both_definitions_under_a_lead_in(page: Page, learner):
    slug = Qualification.objects.get(
        units__title="Understand customers and customer retention"
    ).slug
    page.goto(f"/tutor/{slug}/")
    page.get_by_label("Your question").fill(
        "how is quality improvement different from performance management?"
    )
    page.get_by_role("button", name="Ask").click()

    answer = _answer(page)
    expect(answer.locator(".tutor-lead")).to_have_text(
        "Quality improvement and performance management, as your unit defines them:",
        timeout=ANSWER_TIMEOUT_MS,
    )
    parts = answer.locator(".answer-part")
    expect(parts).to_have_count(2)
    expect(parts.nth(0)).to_contain_text("Quality Improvement: Methods for identifying")
    expect(parts.nth(1)).to_contain_text("Performance Management: Techniques for monitoring")
    expect(
        answer.get_by_role("link", name="Understand customers and customer retention: Key Concepts")
    ).to_have_count(2)
    SCREENS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENS / "tutor-comparison.png"), full_page=True)


def test_later_in_lower_case_is_the_model_and_its_two_versions_are_pointed_out(page: Page, learner):
    page.goto("/tutor/")
    page.get_by_label("Your question").fill("what does later stand for?")
    page.get_by_role("button", name="Ask").click()

    answer = _answer(page)
    expect(answer.locator(".tutor-notes")).to_contain_text(
        "Your units give two versions of LATER: “Listen, Apologise, Thank, Explain, Resolve”",
        timeout=ANSWER_TIMEOUT_MS,
    )
    expect(answer.locator(".tutor-notes")).to_contain_text(
        "Check which one your awarding body uses."
    )
    expect(answer.locator(".answer-part").first).to_contain_text("'LATER'")
    SCREENS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENS / "tutor-later.png"), full_page=True)
