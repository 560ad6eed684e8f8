"""A learner answers every written item of the seed units and reads the engine's feedback."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from revisewise.accounts.tests.factories import UserFactory
from revisewise.marking.engine import get_engine
from revisewise.marking.models import MachineMark, MarkFlag, MarkingStatus, WrittenAnswer
from revisewise.marking.services import written_answer_mark
from revisewise.practice.models import Attempt, Item, ItemType, PracticeSession, SessionScope
from revisewise.practice.selectors import items_list_for_learner

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]

SCREENS = "/tmp/screens"


@pytest.fixture
def learner(seeded, page: Page, live_server):
    call_command("generate_items", stdout=StringIO())
    # The live server runs in this process: load the engine's model once, before the clock.
    get_engine().warm()
    learner = UserFactory.create()
    client = Client()
    client.force_login(learner)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return learner


def _answer_for(item: Item) -> str:
    """An answer in a learner's words that works the item's marking points into an example."""
    points = " ".join(item.payload["marking_points"])
    return (
        f"In my workplace this means {points[0].lower()}{points[1:]} For example, when a "
        "customer complained about a late delivery, I listened, apologised and explained what "
        "we would do next, because that keeps their trust."
    )


def test_a_learner_answers_every_written_item_and_sees_the_feedback(page: Page, learner):
    items = list(items_list_for_learner(learner=learner).filter(item_type=ItemType.WRITTEN))
    assert len(items) >= 10

    for number, item in enumerate(items):
        page.goto(f"/marking/questions/{item.uuid}/")
        expect(page.locator(".stem")).to_have_text(item.stem)
        page.get_by_label("Your answer").fill(_answer_for(item))
        page.get_by_role("button", name="Submit for marking").click()

        panel = page.locator("#answer-panel")
        expect(panel.get_by_role("heading", name="Mark and feedback")).to_be_visible()
        expect(panel.locator(".verdict")).to_contain_text("% of the marks")
        points = panel.locator(".marking-points li")
        expect(points).to_have_count(len(item.payload["marking_points"]))
        expect(panel.locator("mark.evidence").first).to_be_visible()
        expect(panel.locator(".point-met, .point-partly_met").first).to_be_visible()
        expect(panel.locator(".engine-note")).to_contain_text("revisewise-feature-marker")
        if number == 0:
            model = panel.locator(".model-answer p")
            expect(model).to_be_hidden()
            panel.get_by_text("Show a model answer").click()
            expect(model).to_have_text(item.payload["model_answer"])
            page.screenshot(path=f"{SCREENS}/written-feedback.png", full_page=True)

    answers = WrittenAnswer.objects.filter(learner=learner)
    assert answers.count() == len(items)
    assert set(answers.values_list("status", flat=True)) == {MarkingStatus.MARKED}
    assert MachineMark.objects.filter(answer__learner=learner).count() == len(items)

    # The last answer's learner disagrees with its mark.
    page.get_by_text("I disagree with this mark").click()
    page.get_by_label("Why do you disagree? Your tutor will read this.").fill(
        "I gave a workplace example for every point."
    )
    page.get_by_role("button", name="Send to my tutor").click()
    expect(page.locator(".messages")).to_contain_text("your tutor will look at this mark")
    expect(page.locator(".flagged")).to_contain_text("You told your tutor you disagree")
    assert MarkFlag.objects.get().reason == "I gave a workplace example for every point."

    page.goto("/marking/answers/")
    expect(page.locator("table.answers tbody tr")).to_have_count(len(items))
    page.screenshot(path=f"{SCREENS}/written-answers-list.png", full_page=True)


def test_a_pending_answer_shows_its_feedback_when_marking_finishes(page: Page, learner):
    item = items_list_for_learner(learner=learner).filter(item_type=ItemType.WRITTEN).first()
    assert item is not None
    session = PracticeSession.objects.create(
        learner=learner,
        scope=SessionScope.UNIT,
        unit=item.unit,
        item_order=[str(item.uuid)],
        started_at=timezone.now(),
    )
    attempt = Attempt.objects.create(
        session=session,
        learner=learner,
        item=item,
        position=0,
        response=_answer_for(item),
        client_token="pending",
    )
    # Stored but not marked yet, as while a worker is busy: the ledger row waits in the queue.
    answer = WrittenAnswer.objects.create(
        attempt=attempt, learner=learner, item=item, text=_answer_for(item)
    )

    page.goto(f"/marking/answers/{answer.uuid}/")
    expect(page.locator(".marking-status")).to_contain_text("being marked")
    expect(page.get_by_role("link", name="Refresh to see the feedback")).to_be_visible()

    written_answer_mark(answer_id=answer.pk)

    # htmx polls the panel every 2 seconds and swaps in the feedback without a reload.
    expect(page.locator(".marking-points")).to_be_visible(timeout=8_000)
    expect(page.locator(".marking-status")).to_have_count(0)
