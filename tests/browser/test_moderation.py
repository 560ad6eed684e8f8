"""A tutor overrides one point of a real machine mark; the learner then sees the moderated mark."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from revisewise.accounts.models import Role
from revisewise.accounts.tests.factories import CohortFactory, MembershipFactory
from revisewise.content.models import Unit
from revisewise.marking.models import MachineMark, MarkingStatus, Moderation
from revisewise.marking.services import written_answer_submit
from revisewise.practice.models import ItemType
from revisewise.practice.tests.factories import ItemFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]

SCREENS = "/tmp/screens"
POINTS = [
    "Acknowledge the customer's frustration.",
    "Apologise sincerely and personally.",
    "Explain the next steps and when the customer will hear back.",
]
ANSWER = (
    "First I would listen and acknowledge the customer's frustration. "
    "I would apologise sincerely for what went wrong. "
    "Then I would tell them what I will do next and when they will hear from me."
)
COMMENT = "I read this point differently from the machine: see your second sentence."


@pytest.fixture
def marked(seeded):
    """A learner's written answer in a tutor's cohort, marked by the real engine."""
    cohort = CohortFactory.create(name="Customer Service L2, Jan 2027")
    learner = MembershipFactory.create(cohort=cohort, role=Role.LEARNER).user
    tutor = MembershipFactory.create(cohort=cohort, role=Role.TUTOR).user
    unit = Unit.objects.get(title="Customer service performance")
    item = ItemFactory.create(
        unit=unit,
        item_type=ItemType.WRITTEN,
        stem="How would you de-escalate a customer who is angry about a late delivery?",
        payload={
            "marking_points": POINTS,
            "model_answer": "Acknowledge the frustration, apologise sincerely and explain the "
            "next steps with a time the customer will hear back.",
        },
    )
    answer = written_answer_submit(
        learner=learner, item=item, text=ANSWER, client_token=str(uuid.uuid4()), duration_ms=None
    )
    answer.refresh_from_db()
    assert answer.status == MarkingStatus.MARKED, answer.last_error
    return learner, tutor, answer, MachineMark.objects.get(answer=answer)


def test_a_tutor_overrides_a_point_and_the_learner_sees_the_moderated_mark(
    page: Page, sign_in, marked
):
    learner, tutor, answer, mark = marked
    machine = {row["point"]: row["verdict"] for row in mark.result["point_verdicts"]}
    # Override the last point the machine did not fully credit, else the last point.
    target = next((p for p in reversed(POINTS) if machine[p] != "met"), POINTS[-1])
    wanted = "met" if machine[target] != "met" else "not_met"
    names = {"met": "Met", "partly_met": "Partly met", "not_met": "Not met"}
    number = POINTS.index(target) + 1

    sign_in(page, tutor, verified=True)
    page.goto("/moderation/")
    expect(page.get_by_role("heading", name="Moderation", exact=True)).to_be_visible()
    expect(page.get_by_text("answer is waiting for moderation")).to_be_visible()
    page.get_by_role("link", name=re.compile("de-escalate a customer")).click()

    expect(page.get_by_role("heading", name="Moderate a written answer")).to_be_visible()
    expect(page.locator("blockquote.learner-answer")).to_have_text(re.compile("acknowledge"))
    group = page.get_by_role("group", name=re.compile(f"Marking point {number}:"))
    expect(group.get_by_label(names[machine[target]], exact=True)).to_be_checked()
    group.get_by_label(names[wanted], exact=True).check()
    group.get_by_label("Comment on this point").fill(COMMENT)
    page.get_by_label("Overall comment for the learner").fill("A clear, calm answer.")
    page.screenshot(path=f"{SCREENS}/moderation_form.png", full_page=True)
    page.get_by_role("button", name="Save moderation").click()

    expect(page.get_by_text("Moderation saved")).to_be_visible()
    history = page.locator("section.history")
    expect(history.get_by_role("heading", name=re.compile("Current mark:"))).to_contain_text(
        "Changed the machine mark"
    )
    expect(history).to_contain_text(f"{names[wanted]} (the machine said {names[machine[target]]})")
    page.screenshot(path=f"{SCREENS}/moderation_history.png", full_page=True)
    moderation = Moderation.objects.get(mark=mark)
    assert moderation.decision == "overridden"
    assert moderation.point_verdicts[number - 1]["tutor"] == wanted

    sign_in(page, learner, verified=False)
    page.goto(f"/marking/answers/{answer.uuid}/")
    expect(page.get_by_text("Your tutor has moderated this mark")).to_be_visible()
    expect(page.get_by_text("A clear, calm answer.")).to_be_visible()
    point = page.locator("ol.marking-points li").nth(number - 1)
    learner_words = {"met": "Covered", "partly_met": "Partly covered", "not_met": "Missing"}
    expect(point.locator(".point-verdict")).to_contain_text(learner_words[wanted])
    expect(point).to_contain_text(COMMENT)
    percent = round(moderation.score * 100)
    expect(page.locator(".mark-summary .verdict")).to_contain_text(f"{percent}% of the marks")
    page.screenshot(path=f"{SCREENS}/moderation_learner_sees.png", full_page=True)


def test_the_queue_is_usable_by_keyboard_and_on_a_phone(page: Page, sign_in, marked):
    _, tutor, _, _ = marked
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, tutor, verified=True)
    page.goto("/moderation/")
    page.screenshot(path=f"{SCREENS}/moderation_queue_phone.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    page.get_by_label("Only answers the learner has flagged").focus()
    page.keyboard.press("Space")
    expect(page.get_by_text("No answers to show.")).to_be_visible()
    assert "flagged=on" in page.url
