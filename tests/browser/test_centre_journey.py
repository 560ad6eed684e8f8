"""A centre's whole journey through the real pages (issue #5, "Done means").

A centre administrator invites a tutor and a learner by email; the tutor accepts and sets up
two-factor sign-in; the learner accepts and practises, writing an answer the marking engine marks;
the tutor signs in, sees the learner on the cohort dashboard and overrides one marking point; the
learner sees the moderated mark, downloads their data and deletes their account.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import Browser, BrowserContext, Page, expect

from revisewise.accounts.models import Membership, Role, User
from revisewise.accounts.tests.factories import CentreAdminMembershipFactory, CohortFactory
from revisewise.accounts.totp import STEP_SECONDS, totp_code, totp_step
from revisewise.content.models import Unit
from revisewise.marking.engine import get_engine
from revisewise.marking.models import MachineMark, Moderation, WrittenAnswer
from revisewise.practice.models import Attempt, Item, ItemType, PracticeSession
from tests.browser.conftest import SignIn

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]

SCREENS = Path("/tmp/screens")
COHORT = "Customer Service L2, Jan 2027"
TUTOR_EMAIL = "tutor.patel@example.org"
LEARNER_EMAIL = "learner.jones@example.org"
LEARNER_NAME = "Rhys Jones"
TUTOR_NAME = "Priya Patel"
PASSWORD = "a-long-revision-passphrase-2027"
COMMENT = "I marked this point myself: we will go through it at our next session."
VERDICT_NAMES = {"met": "Met", "partly_met": "Partly met", "not_met": "Not met"}
LEARNER_WORDS = {"met": "Covered", "partly_met": "Partly covered", "not_met": "Missing"}


@pytest.fixture
def new_person(browser: Browser, live_server) -> Iterator[Callable[[], Page]]:
    """Open a separate browser context per person; any script or console error fails the test."""
    contexts: list[BrowserContext] = []
    errors: list[str] = []

    def open_page() -> Page:
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-GB"
        )
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(live_server.url)
                else route.abort()
            ),
        )
        contexts.append(context)
        person = context.new_page()
        person.set_default_timeout(10_000)
        person.on("pageerror", lambda error: errors.append(str(error)))
        person.on(
            "console",
            lambda message: errors.append(message.text) if message.type == "error" else None,
        )
        return person

    yield open_page
    for context in contexts:
        context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


@pytest.fixture
def cohort(seeded):
    call_command("generate_items", stdout=StringIO())
    # The live server runs in this process: load the engine's model before the journey starts.
    get_engine().warm()
    unit = Unit.objects.get(title="Customer service performance")
    return CohortFactory.create(name=COHORT, qualification=unit.qualification)


def _shot(page: Page, name: str) -> None:
    SCREENS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENS / f"journey-{name}.png"), full_page=True)


def _invite(page: Page, email: str, role: str) -> str:
    """Send an invitation from the cohort page and return the link from the email."""
    sent = len(mail.outbox)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Role").select_option(label=role)
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text(f"Invitation sent to {email}.")).to_be_visible()
    assert len(mail.outbox) == sent + 1
    message = mail.outbox[-1]
    assert message.to == [email]
    links = re.findall(r"https?://\S+/accounts/invitations/\S+/", str(message.body))
    assert len(links) == 1, message.body
    return links[0]


def _accept(page: Page, link: str, name: str) -> None:
    page.goto(link)
    expect(page.get_by_role("heading", name="Accept your invitation")).to_be_visible()
    expect(page.get_by_text(COHORT)).to_be_visible()
    page.get_by_label("Your name").fill(name)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Join").click()


def _sign_in(page: Page, email: str) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _code_after(secret: str, used_step: int) -> tuple[str, int]:
    """The authenticator's code for the first time step after `used_step` (codes work once)."""
    step = max(totp_step(unix_time=time.time()), used_step + 1)
    return totp_code(secret=secret, unix_time=step * STEP_SECONDS), step


def _written_answer(item: Item) -> str:
    points = " ".join(item.payload["marking_points"])
    return (
        f"In my workplace this means {points[0].lower()}{points[1:]} For example, when a "
        "customer complained about a late delivery, I listened, apologised and explained what "
        "we would do next, because that keeps their trust."
    )


def _answer(page: Page, item: Item) -> None:
    """Answer `item` rightly from the control the page focuses, keyboard only."""
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
    elif kind in (ItemType.ORDERING, ItemType.MATCHING):
        if kind == ItemType.ORDERING:
            ids = [step["id"] for step in shown["steps"]]
            wanted = [step["id"] for step in payload["steps"]]
        else:
            ids = [right["id"] for right in shown["rights"]]
            pairs = {pair["left_id"]: pair["right_id"] for pair in payload["pairs"]}
            wanted = [pairs[left["id"]] for left in shown["lefts"]]
        for choice in wanted:
            for _step in range(ids.index(choice) + 1):
                page.keyboard.press("ArrowDown")
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
    elif kind == ItemType.FLASHCARD:
        page.keyboard.press("Enter")
        expect(page.get_by_role("button", name="Good")).to_be_focused()
        page.keyboard.press("Enter")
    else:
        page.get_by_label("Your answer").fill(_written_answer(item))
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")


def test_a_centre_invites_a_tutor_and_a_learner_who_practise_moderate_export_and_delete(
    page: Page, live_server, cohort, new_person, tmp_path, sign_in: SignIn
):
    # 1. The centre administrator (already set up with two-factor sign-in) invites both people.
    admin = CentreAdminMembershipFactory.create(centre=cohort.centre).user
    sign_in(page, admin, verified=True)
    page.goto("/accounts/cohorts/")
    page.get_by_role("link", name=COHORT).click()
    expect(page.get_by_role("heading", name=COHORT, level=1)).to_be_visible()
    tutor_link = _invite(page, TUTOR_EMAIL, "Tutor")
    learner_link = _invite(page, LEARNER_EMAIL, "Learner")
    _shot(page, "01-admin-invited")

    # 2. The tutor accepts, and cannot go on until two-factor sign-in is set up.
    tutor_page = new_person()
    _accept(tutor_page, tutor_link, TUTOR_NAME)
    expect(tutor_page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    tutor_page.goto("/centre/")
    expect(tutor_page).to_have_url(re.compile(r"/accounts/two-factor/set-up/$"))
    secret = tutor_page.locator("dd code").first.inner_text().strip()
    _shot(tutor_page, "02-tutor-enrol")
    now = totp_step(unix_time=time.time())
    valid = {totp_code(secret=secret, unix_time=(now + d) * STEP_SECONDS) for d in (-1, 0, 1, 2)}
    wrong = next(code for code in ("000000", "123456", "999999") if code not in valid)
    tutor_page.get_by_label("Six-digit code from your authenticator app").fill(wrong)
    tutor_page.get_by_role("button", name="Confirm").click()
    expect(tutor_page.get_by_text("That code is not right.")).to_be_visible()
    code, used_step = _code_after(secret, totp_step(unix_time=time.time()) - 1)
    tutor_page.get_by_label("Six-digit code from your authenticator app").fill(code)
    tutor_page.get_by_role("button", name="Confirm").click()
    expect(tutor_page.get_by_text("Two-factor sign-in is set up.")).to_be_visible()
    tutor = User.objects.get(email=TUTOR_EMAIL)
    assert tutor.totp_device.is_confirmed
    assert Membership.objects.filter(user=tutor, cohort=cohort, role=Role.TUTOR).exists()
    tutor_page.get_by_role("button", name="Sign out").click()

    # 3. The learner accepts and practises a unit from the practise page.
    learner_page = new_person()
    _accept(learner_page, learner_link, LEARNER_NAME)
    expect(learner_page.get_by_text(f"Welcome. You have joined {COHORT}.")).to_be_visible()
    learner = User.objects.get(email=LEARNER_EMAIL)
    assert Membership.objects.filter(user=learner, cohort=cohort, role=Role.LEARNER).exists()
    page.reload()
    members = page.get_by_role("table").first
    expect(members.get_by_role("row", name=re.compile(TUTOR_NAME))).to_contain_text("Tutor")
    expect(members.get_by_role("row", name=re.compile(LEARNER_NAME))).to_contain_text("Learner")
    learner_page.get_by_role("link", name="Practise", exact=True).click()
    learner_page.get_by_role("button", name="Practise Customer service performance").click()
    expect(
        learner_page.get_by_role("heading", name=re.compile(r"Question 1 of \d+"))
    ).to_be_visible()
    session = PracticeSession.objects.get(learner=learner)
    items = [Item.objects.get(uuid=key) for key in session.item_order]
    assert any(item.item_type == ItemType.WRITTEN for item in items)
    # Answer at least three questions, exactly one of them written.
    answered, wrote = 0, False
    for number, item in enumerate(items, start=1):
        heading = f"Question {number} of {len(items)}"
        expect(learner_page.get_by_role("heading", name=heading)).to_be_visible()
        if wrote and item.item_type == ItemType.WRITTEN:
            break
        # The page's script focuses the first control after load: keys typed before that land
        # on the body (an ordering question was once submitted with every step unchosen).
        expect(learner_page.locator("main :focus")).to_have_count(1)
        _answer(learner_page, item)
        expect(learner_page.locator("#next-link")).to_be_focused()
        answered = number
        if item.item_type == ItemType.WRITTEN:
            # Marked inline by the real engine: the feedback is on the page straight away.
            expect(learner_page.locator(".feedback")).to_contain_text("% of the marks")
            _shot(learner_page, "03-learner-written-feedback")
            wrote = True
        if wrote and answered >= 3:
            break
        learner_page.keyboard.press("Enter")
    assert wrote
    assert answered >= 3
    assert Attempt.objects.filter(learner=learner).count() == answered
    answer = WrittenAnswer.objects.get(learner=learner)
    mark = MachineMark.objects.get(answer=answer)
    points = answer.item.payload["marking_points"]

    # 4. The tutor signs in with a password and a code, and lands on their cohorts.
    _sign_in(tutor_page, TUTOR_EMAIL)
    expect(tutor_page.get_by_role("heading", name="Enter your code")).to_be_visible()
    code, used_step = _code_after(secret, used_step)
    tutor_page.get_by_label("Six-digit code from your authenticator app").fill(code)
    tutor_page.get_by_role("button", name="Continue").click()
    expect(tutor_page).to_have_url(f"{live_server.url}/centre/")
    tutor_page.get_by_role("link", name=COHORT).click()
    expect(tutor_page.get_by_role("heading", name=COHORT, level=1)).to_be_visible()
    heatmap = tutor_page.get_by_role("table", name=re.compile("Mastery of 1 learner"))
    expect(heatmap.get_by_role("rowheader", name=LEARNER_NAME)).to_be_visible()
    expect(heatmap.get_by_role("row", name=re.compile(LEARNER_NAME))).not_to_contain_text(
        "Never practised"
    )
    expect(
        tutor_page.get_by_text("1 written answer from this cohort is waiting for a tutor")
    ).to_be_visible()
    _shot(tutor_page, "04-tutor-dashboard")

    # 5. The tutor overrides one marking point of the learner's written answer, with a comment.
    machine = {row["point"]: row["verdict"] for row in mark.result["point_verdicts"]}
    target = next((p for p in reversed(points) if machine[p] != "met"), points[-1])
    wanted = "met" if machine[target] != "met" else "not_met"
    number = points.index(target) + 1
    tutor_page.get_by_role("link", name="Moderation", exact=True).first.click()
    expect(tutor_page.get_by_role("heading", name="Moderation", exact=True)).to_be_visible()
    tutor_page.get_by_role("link", name=re.compile(re.escape(answer.item.stem[:40]))).click()
    expect(tutor_page.get_by_role("heading", name="Moderate a written answer")).to_be_visible()
    group = tutor_page.get_by_role("group", name=re.compile(f"Marking point {number}:"))
    expect(group.get_by_label(VERDICT_NAMES[machine[target]], exact=True)).to_be_checked()
    group.get_by_label(VERDICT_NAMES[wanted], exact=True).check()
    group.get_by_label("Comment on this point").fill(COMMENT)
    tutor_page.get_by_role("button", name="Save moderation").click()
    expect(tutor_page.get_by_text("Moderation saved")).to_be_visible()
    _shot(tutor_page, "05-tutor-moderated")
    moderation = Moderation.objects.get(mark=mark)
    assert moderation.tutor == tutor
    assert moderation.point_verdicts[number - 1]["tutor"] == wanted

    # 6. The learner finds the moderated mark from their list of written answers.
    learner_page.goto("/marking/answers/")
    expect(learner_page.get_by_role("heading", name="My written answers")).to_be_visible()
    row = learner_page.locator("table.answers tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("(moderated)")
    row.get_by_role("link").click()
    expect(learner_page).to_have_url(f"{live_server.url}/marking/answers/{answer.uuid}/")
    expect(learner_page.get_by_text("Your tutor has moderated this mark")).to_be_visible()
    point = learner_page.locator("ol.marking-points li").nth(number - 1)
    expect(point.locator(".point-verdict")).to_contain_text(LEARNER_WORDS[wanted])
    expect(point).to_contain_text(COMMENT)
    percent = round(moderation.score * 100)
    expect(learner_page.locator(".mark-summary .verdict")).to_contain_text(f"{percent}% of the")
    # The machine's mark stays beside the tutor's (learning records are append-only).
    expect(learner_page.get_by_text("Machine mark (before moderation):").first).to_be_visible()
    _shot(learner_page, "06-learner-sees-moderation")

    # 7. The learner downloads their data: attempts and the moderated written answer are in it.
    learner_page.get_by_role("link", name="My data").first.click()
    expect(learner_page.get_by_role("heading", name="My data", level=1)).to_be_visible()
    with learner_page.expect_download() as download_info:
        learner_page.get_by_role("button", name="Download all my data (JSON)").click()
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    export = json.loads(saved.read_text(encoding="utf-8"))
    sections = {section["name"]: section["data"] for section in export["sections"]}
    assert export["account"]["email"] == LEARNER_EMAIL
    attempts = sections["practice"]["attempts"]
    assert len(attempts) == answered
    assert {a["uuid"] for a in attempts} == {
        str(u) for u in Attempt.objects.filter(learner=learner).values_list("uuid", flat=True)
    }
    [written] = sections["marking"]["written_answers"]
    assert written["uuid"] == str(answer.uuid)
    assert written["answer"] == answer.text
    [exported_mark] = written["marks"]
    [exported_moderation] = exported_mark["moderations"]
    assert COMMENT in json.dumps(exported_moderation)

    # 8. The learner deletes their account and can no longer sign in.
    learner_page.get_by_role("link", name="delete your account").click()
    expect(learner_page.get_by_role("heading", name="Delete your account")).to_be_visible()
    learner_page.get_by_label("Your password").fill(PASSWORD)
    learner_page.get_by_label("Type DELETE to confirm").fill("DELETE")
    learner_page.get_by_role("button", name="Delete my account").click()
    expect(
        learner_page.get_by_role("heading", name="Your account has been deleted")
    ).to_be_visible()
    assert not User.objects.filter(email=LEARNER_EMAIL).exists()
    assert not Attempt.objects.filter(uuid__in=[a["uuid"] for a in attempts]).exists()
    _sign_in(learner_page, LEARNER_EMAIL)
    expect(
        learner_page.get_by_text("That email address and password do not match an account.")
    ).to_be_visible()
    _shot(learner_page, "07-learner-deleted")

    # The tutor's dashboard no longer lists the learner.
    tutor_page.goto(f"/centre/cohorts/{cohort.uuid}/")
    expect(tutor_page.get_by_role("rowheader", name=LEARNER_NAME)).to_have_count(0)

    # The centre administrator reads the deletion in the audit log, without the learner's email.
    page.goto("/privacy/audit/")
    expect(page.get_by_role("heading", name="Audit log", level=1)).to_be_visible()
    expect(page.locator("table.privacy-table tbody")).to_contain_text("Deleted a learner's account")
    assert LEARNER_EMAIL not in page.content()
    _shot(page, "08-admin-audit-log")
