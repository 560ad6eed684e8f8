"""An automated WCAG 2.1 A and AA audit (axe-core) of every page a learner and a tutor see.

Each page is its own test: it is reached in a real Chromium, signed in as the role that sees it,
and axe-core (bundled by `axe-playwright-python`, injected into the page, so nothing is fetched)
checks it against the rules tagged wcag2a, wcag2aa, wcag21a and wcag21aa. Any violation fails
the test with its rule, impact, the elements' selectors and axe's help text.

The content the pages show (the demo seeds, generated questions, a marked written answer, a
tutor's answer, a mock test, a discussion, a cohort) is built once for the module rather than
per test: see `transactional_db` below.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from io import StringIO

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.template.loader import render_to_string
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from revisewise.accounts.models import Role, User
from revisewise.accounts.tests.factories import CohortFactory, MembershipFactory
from revisewise.content.models import Unit
from revisewise.discussion.services import (
    discussion_answer_mark,
    discussion_answer_submit,
    discussion_session_finish,
    discussion_session_start,
)
from revisewise.epa.models import AssessmentPlan
from revisewise.epa.services import mock_start, mock_submit
from revisewise.epa.tests.factories import knowledge_test_plan
from revisewise.marking.engine import get_engine
from revisewise.marking.models import MachineMark, MarkingStatus
from revisewise.marking.services import written_answer_submit
from revisewise.practice.models import Item, ItemType, SessionScope
from revisewise.practice.services import attempt_submit, practice_session_start
from revisewise.scheduling.services import card_review_answer
from revisewise.search.services import search_index_rebuild
from revisewise.tutor.services import tutor_ask, tutor_index_refresh_if_stale
from tests.browser.conftest import SignIn
from tests.conftest import DESKTOP, MOBILE, SEEDS, _new_page

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    "resultTypes": ["violations", "incomplete"],
}
UNIT = "Customer service performance"
WRITTEN_ANSWER = (
    "I would listen and acknowledge the customer's frustration, apologise sincerely and explain "
    "what happens next and when they will hear from me, because that keeps their trust."
)
# Answering and marking wait for the embedding model on a shared machine.
SLOW_MS = 60_000


@pytest.fixture(scope="module")
def transactional_db(django_db_setup, django_db_blocker) -> Iterator[None]:
    """One database for the whole module, emptied at its end.

    pytest-django's own `transactional_db` (which `live_server` pulls in) empties the database
    after every test. The audit reads pages (the few tests that submit a form either answer a
    practice session of their own or are refused as invalid), so the content they show is built
    once here and the tests do not depend on each other's order; overriding the fixture for this
    module keeps that content across its tests, and the flush afterwards leaves the next module
    an empty database as usual.
    """
    with django_db_blocker.unblock():
        yield
        call_command("flush", interactive=False, verbosity=0)


@dataclass(frozen=True)
class Site:
    learner: User
    tutor: User
    urls: dict[str, str]


@pytest.fixture(scope="module")
def site(transactional_db, browser) -> Site:
    """The demo seeds plus one of everything a learner and a tutor look at.

    Depends on `browser` so that its fixture has allowed ORM calls beside Playwright's loop.
    """
    call_command("import_content", str(SEEDS), stdout=StringIO(), stderr=StringIO())
    search_index_rebuild()
    call_command("generate_items", stdout=StringIO())
    get_engine().warm()
    tutor_index_refresh_if_stale()
    now = timezone.now()

    unit = Unit.objects.select_related("qualification").get(title=UNIT)
    qualification = unit.qualification
    cohort = CohortFactory.create(name="Customer Service L2, Jan 2027", qualification=qualification)
    learner = MembershipFactory.create(
        cohort=cohort, role=Role.LEARNER, user__display_name="Amira Khan"
    ).user
    tutor = MembershipFactory.create(
        cohort=cohort, role=Role.TUTOR, user__display_name="Priya Patel"
    ).user

    items = Item.objects.filter(unit=unit)
    mcq = items.filter(item_type=ItemType.MCQ_SINGLE).first()
    written = items.filter(item_type=ItemType.WRITTEN).first()
    assert mcq is not None
    assert written is not None
    for item in Item.objects.filter(qualification=qualification, objective__isnull=False)[:12]:
        card_review_answer(
            learner=learner, item=item, is_correct=True, reviewed_at=now - timedelta(days=2)
        )

    def session_url(item: Item) -> str:
        session = practice_session_start(
            learner=learner, scope=SessionScope.UNIT, unit=unit, only=[item], now=now
        )
        return f"/practice/sessions/{session.uuid}/"

    answer = written_answer_submit(
        learner=learner,
        item=written,
        text=WRITTEN_ANSWER,
        client_token=str(uuid.uuid4()),
        duration_ms=None,
    )
    answer.refresh_from_db()
    assert answer.status == MarkingStatus.MARKED, answer.last_error
    mark = MachineMark.objects.get(answer=answer)

    conversation = tutor_ask(
        learner=learner,
        question="What is the difference between CSAT and NPS?",
        qualification=qualification,
    ).conversation

    if not AssessmentPlan.objects.filter(qualification=qualification).exists():
        knowledge_test_plan(qualification=qualification, questions=6, minutes=10)
    finished = mock_submit(
        learner=learner,
        mock=mock_start(learner=learner, qualification=qualification, now=now),
        now=now + timedelta(minutes=1),
    )
    running = mock_start(learner=learner, qualification=qualification, now=now)
    assert running.pk != finished.pk

    discussion = discussion_session_start(learner=learner, unit=unit, prompt_count=2, now=now)
    discussed = discussion_session_start(learner=learner, unit=unit, prompt_count=2, now=now)
    spoken = discussion_answer_submit(session=discussed, position=1, text=WRITTEN_ANSWER)
    discussion_answer_mark(answer=spoken)
    discussion_session_finish(session=discussed, now=now + timedelta(minutes=5))

    practised = practice_session_start(
        learner=learner, scope=SessionScope.UNIT, unit=unit, only=[mcq], now=now
    )
    attempt_submit(
        learner=learner,
        session=practised,
        position=0,
        response=mcq.payload["answer"],
        client_token=str(uuid.uuid4()),
        duration_ms=None,
    )

    return Site(
        learner=learner,
        tutor=tutor,
        urls={
            "qualification": qualification.get_absolute_url(),
            "unit": unit.get_absolute_url(),
            "practice-mcq": session_url(mcq),
            "practice-written": session_url(written),
            "practice-mcq-to-answer": session_url(mcq),
            "written-feedback": f"/marking/answers/{answer.uuid}/",
            "tutor-answer": conversation.get_absolute_url(),
            "mock-home": f"/epa/{qualification.slug}/mock/",
            "mock": f"/epa/mocks/{running.uuid}/",
            "mock-result": f"/epa/mocks/{finished.uuid}/result/",
            "practice-summary": f"/practice/sessions/{practised.uuid}/summary/",
            "discussion": f"/discussion/sessions/{discussion.uuid}/",
            "discussion-feedback": (
                f"/discussion/sessions/{discussed.uuid}/answers/{spoken.uuid}/"
            ),
            "discussion-summary": f"/discussion/sessions/{discussed.uuid}/summary/",
            "cohort": f"/centre/cohorts/{cohort.uuid}/",
            "learner-detail": f"/centre/learners/{learner.uuid}/",
            "learner-discussions": f"/discussion/learners/{learner.uuid}/",
            "moderation-mark": f"/moderation/{mark.uuid}/",
        },
    )


def _readiness_loaded(page: Page) -> None:
    # The readiness panel arrives after the page (htmx): audit it too.
    expect(
        page.get_by_role("table", name=re.compile("Predicted grade, chance of passing"))
    ).to_be_visible(timeout=SLOW_MS)


def _assignment_errors(page: Page) -> None:
    _readiness_loaded(page)
    form = page.get_by_role("form", name="Set an assignment")
    form.get_by_role("button", name="Set the assignment").click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    _readiness_loaded(page)


def _answer_multiple_choice(page: Page) -> None:
    page.locator("main input[type=radio]").first.check()
    page.get_by_role("button", name="Check answer").click()
    expect(page.locator("#next-link")).to_be_visible()


def _submit_empty(button: str) -> Callable[[Page], None]:
    def submit(page: Page) -> None:
        page.get_by_role("button", name=button).click()
        expect(page.locator("[aria-invalid=true]").first).to_be_visible()

    return submit


def _sign_in_errors(page: Page) -> None:
    page.get_by_label("Email address").fill("nobody@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("do not match an account")).to_be_visible()


@dataclass(frozen=True)
class Audit:
    """A page to audit: who sees it, where it is (a path or a key of `Site.urls`), what to do."""

    role: str  # "learner", "tutor" (two-factor done), "tutor-unverified" or "anonymous"
    where: str
    then: Callable[[Page], None] | None = None  # run on the page before the audit
    status: int = 200


PAGES: dict[str, Audit] = {
    "home": Audit("learner", "/"),
    "unit-list": Audit("learner", "qualification"),
    "unit": Audit("learner", "unit"),
    "search-results": Audit("learner", "/search/?q=complaint+handling"),
    "practice-start": Audit("learner", "/practice/"),
    "practice-question-multiple-choice": Audit("learner", "practice-mcq"),
    "practice-question-written": Audit("learner", "practice-written"),
    "practice-question-answered": Audit(
        "learner", "practice-mcq-to-answer", then=_answer_multiple_choice
    ),
    "practice-session-summary": Audit("learner", "practice-summary"),
    "written-answer-feedback": Audit("learner", "written-feedback"),
    "my-written-answers": Audit("learner", "/marking/answers/"),
    "progress": Audit("learner", "/progress/"),
    "study-plan": Audit("learner", "/progress/plan/"),
    "study-plan-form-with-errors": Audit(
        "learner", "/progress/plan/", then=_submit_empty("Save and show my plan")
    ),
    "tutor-ask": Audit("learner", "/tutor/"),
    "tutor-answer": Audit("learner", "tutor-answer"),
    "mock-test-start": Audit("learner", "mock-home"),
    "mock-test": Audit("learner", "mock"),
    "mock-test-result": Audit("learner", "mock-result"),
    "discussion-start": Audit("learner", "/discussion/"),
    "discussion-question": Audit("learner", "discussion"),
    "discussion-feedback": Audit("learner", "discussion-feedback"),
    "discussion-summary": Audit("learner", "discussion-summary"),
    "privacy-notice": Audit("learner", "/privacy/"),
    "privacy-my-data": Audit("learner", "/privacy/my-data/"),
    "privacy-delete-account": Audit("learner", "/privacy/delete/"),
    "privacy-delete-account-with-errors": Audit(
        "learner", "/privacy/delete/", then=_submit_empty("Delete my account")
    ),
    "sign-in": Audit("anonymous", "/accounts/sign-in/"),
    "sign-in-with-errors": Audit("anonymous", "/accounts/sign-in/", then=_sign_in_errors),
    "sign-up": Audit("anonymous", "/accounts/sign-up/"),
    "sign-up-with-errors": Audit(
        "anonymous", "/accounts/sign-up/", then=_submit_empty("Create account")
    ),
    "two-factor-set-up": Audit("tutor-unverified", "/accounts/two-factor/set-up/"),
    "centre-cohorts": Audit("tutor", "/centre/"),
    "centre-dashboard": Audit("tutor", "cohort", then=_readiness_loaded),
    "centre-assignment-form-with-errors": Audit("tutor", "cohort", then=_assignment_errors),
    "centre-learner-detail": Audit("tutor", "learner-detail"),
    "centre-learner-discussions": Audit("tutor", "learner-discussions"),
    "moderation-queue": Audit("tutor", "/moderation/"),
    "moderation-mark": Audit("tutor", "moderation-mark"),
    "moderation-marked-answers": Audit("tutor", "/moderation/marked/"),
    "not-found": Audit("learner", "/no-such-page/", status=404),
}


def _violations(page: Page) -> list[dict]:
    """axe's WCAG violations, plus any control described by or labelled by an id not on the page.

    axe files a reference to a missing id under "incomplete" (a script might add the element
    later); on these server-rendered pages nothing does, so a missing id is a broken reference.
    """
    results = Axe().run(page, options=AXE_OPTIONS).response
    broken = [
        {**result, "nodes": nodes}
        for result in results["incomplete"]
        if result["id"] == "aria-valid-attr-value"
        and (nodes := [n for n in result["nodes"] if _missing_id(n)])
    ]
    return list(results["violations"]) + broken


def _missing_id(node: dict) -> bool:
    checks = node["any"] + node["all"] + node["none"]
    return any("does not exist" in check["message"] for check in checks)


def _report(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(str(t) for t in node['target'])}")
    return "\n".join(lines)


@dataclass(frozen=True)
class Tab:
    page: Page
    errors: list[str]


@pytest.fixture
def tab(request: pytest.FixtureRequest, browser: Browser, live_server) -> Iterator[Tab]:
    """Like the shared `page` (desktop-sized unless parametrised with a viewport), but hands the
    script and console errors to the test.

    The 404 page's own load is reported on the console as a failed request: the test lets
    that one through and fails on any other error.
    """
    context, page = _new_page(browser, live_server.url, getattr(request, "param", DESKTOP))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    yield Tab(page, errors)
    context.close()


# The pages whose layout changes most on a phone (stacked navigation, tables that scroll inside
# their region, the mock's timer) are audited again at 390 pixels wide.
PHONE_PAGES = [
    "home",
    "unit",
    "practice-question-multiple-choice",
    "written-answer-feedback",
    "progress",
    "tutor-answer",
    "mock-test",
    "privacy-my-data",
    "centre-dashboard",
    "moderation-mark",
]
CASES = [pytest.param(name, DESKTOP, id=name) for name in PAGES] + [
    pytest.param(name, MOBILE, id=f"{name}-phone") for name in PHONE_PAGES
]


@pytest.mark.parametrize(("name", "tab"), CASES, indirect=["tab"])
def test_the_page_has_no_wcag_violations(name: str, tab: Tab, site: Site, sign_in: SignIn):
    page = tab.page
    audit = PAGES[name]
    if audit.role == "learner":
        sign_in(page, site.learner, verified=False)
    elif audit.role.startswith("tutor"):
        sign_in(page, site.tutor, verified=audit.role == "tutor")
    url = site.urls.get(audit.where, audit.where)

    response = page.goto(url)

    assert response is not None, url
    assert response.status == audit.status, url
    expect(page.locator("h1")).to_have_count(1)
    if audit.then is not None:
        audit.then(page)
    violations = _violations(page)
    assert violations == [], f"{name} ({url}) breaks WCAG rules:\n{_report(violations)}"
    expected = [f"status of {audit.status}"] if audit.status != 200 else []
    assert [e for e in tab.errors if not any(x in e for x in expected)] == [], tab.errors


BROKEN = """
const main = document.querySelector('main');
main.insertAdjacentHTML('beforeend', '<input type="text"><p id="faint">Faint</p><a href="/"></a>'
  + '<label>Name <input aria-describedby="nowhere"></label>');
// Through the style object: the Content-Security-Policy refuses inline style attributes.
Object.assign(document.getElementById('faint').style, {color: '#bbb', background: '#fff'});
"""


def test_the_audit_finds_violations_put_into_a_page(tab: Tab, site: Site, sign_in: SignIn):
    # The audit is only worth its passes if it fails: break the home page on purpose.
    page = tab.page
    sign_in(page, site.learner, verified=False)
    page.goto("/")
    page.evaluate(BROKEN)

    violations = _violations(page)

    assert {v["id"] for v in violations} >= {"label", "color-contrast", "link-name"}
    assert "aria-valid-attr-value" in {v["id"] for v in violations}
    assert "label" in _report(violations)


def test_the_server_error_page_has_no_wcag_violations(tab: Tab, site: Site):
    # Django renders 500.html without a request; nothing on the live server fails on purpose,
    # so the rendered page is loaded into the browser at the site's address, styles and all.
    page = tab.page
    page.goto("/privacy/")
    page.set_content(render_to_string("500.html"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sorry, there is a problem with the service"
    )

    violations = _violations(page)

    assert violations == [], f"500.html breaks WCAG rules:\n{_report(violations)}"
