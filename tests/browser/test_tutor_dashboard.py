"""A tutor opens the cohort dashboard, a learner's page and sets an assignment; the learner sees
it first on the practice page and starts it."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from revisewise.accounts.models import Role, User
from revisewise.accounts.tests.factories import CohortFactory, MembershipFactory
from revisewise.centres.models import Assignment
from revisewise.content.models import Qualification, Unit
from revisewise.practice.models import Item, PracticeSession
from revisewise.scheduling.services import card_review_answer

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]

SCREENS = "/tmp/screens"


@pytest.fixture
def cohort(seeded):
    call_command("generate_items", stdout=StringIO())
    unit = Unit.objects.get(title="Customer service performance")
    return CohortFactory.create(
        qualification=unit.qualification, name="Business Admin L3, Jan 2027"
    )


def _learner(cohort, name: str) -> User:
    return MembershipFactory.create(cohort=cohort, role=Role.LEARNER, user__display_name=name).user


def test_a_tutor_sees_the_cohort_and_sets_an_assignment_the_learner_sees_first(
    page: Page, live_server, cohort, sign_in
):
    amira, ben = _learner(cohort, "Amira Khan"), _learner(cohort, "Ben Hughes")
    tutor = MembershipFactory.create(cohort=cohort, role=Role.TUTOR).user
    qualification: Qualification = cohort.qualification
    practised = Item.objects.filter(qualification=qualification, objective__isnull=False)[:12]
    for item in practised:
        card_review_answer(
            learner=amira,
            item=item,
            is_correct=True,
            reviewed_at=timezone.now() - timedelta(days=2),
        )
    sign_in(page, tutor, verified=True)

    page.goto("/centre/")
    page.get_by_role("link", name="Business Admin L3, Jan 2027").click()

    expect(page.get_by_role("heading", name="Business Admin L3, Jan 2027", level=1)).to_be_visible()
    table = page.get_by_role("table", name=re.compile("Mastery of 2 learners"))
    expect(table).to_be_visible()
    expect(table.get_by_role("rowheader", name="Amira Khan")).to_be_visible()
    expect(table.get_by_role("rowheader", name="Ben Hughes")).to_be_visible()
    ben_row = table.get_by_role("row", name=re.compile("Ben Hughes"))
    expect(ben_row).to_contain_text("Never practised")
    amira_row = table.get_by_role("row", name=re.compile("Amira Khan"))
    expect(amira_row.locator("td.heat").first).to_have_text(re.compile(r"^(<1|\d+)%$"))
    page.screenshot(path=f"{SCREENS}/centres-dashboard.png", full_page=True)

    page.get_by_label("Sort by").select_option("mastery")
    page.get_by_role("button", name="Apply").click()
    expect(table.get_by_role("rowheader").first).to_have_text("Ben Hughes")

    table.get_by_role("link", name="Amira Khan").click()
    expect(page.get_by_role("heading", name="Amira Khan", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Recent answers")).to_be_visible()
    page.screenshot(path=f"{SCREENS}/centres-learner.png", full_page=True)
    page.go_back()

    form = page.get_by_role("form", name="Set an assignment")
    form.get_by_role("button", name="Set the assignment").click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    form = page.get_by_role("form", name="Set an assignment")
    form.get_by_label("Title").fill("Revise customer service performance")
    form.get_by_label("Due date").fill((timezone.localdate() + timedelta(days=7)).isoformat())
    form.get_by_label("Unit", exact=True).select_option(label="Customer service performance")
    form.get_by_role("button", name="Set the assignment").click()
    expect(page.get_by_text("The assignment is set.")).to_be_visible()
    expect(page.get_by_role("heading", name="Revise customer service performance")).to_be_visible()
    assert Assignment.objects.get().set_by == tutor
    # The readiness panel loads after the page (htmx); let it arrive before the browser changes
    # user, or its request goes out with the learner's cookie and is (rightly) refused.
    expect(
        page.get_by_role("table", name=re.compile("Predicted grade, chance of passing"))
    ).to_be_visible()

    sign_in(page, ben, verified=False)
    page.goto("/practice/")
    headings = page.locator("main h2").all_inner_texts()
    assert headings[:2] == ["Set by your tutor", "Due now"]
    expect(page.get_by_text("0 of ")).to_be_visible()
    page.screenshot(path=f"{SCREENS}/centres-learner-assignments.png", full_page=True)
    page.get_by_role(
        "button", name=re.compile(r"^Start\W+Revise customer service performance$")
    ).click()

    expect(page.get_by_role("heading", name=re.compile(r"Question 1 of \d+"))).to_be_visible()
    session = PracticeSession.objects.get(learner=ben)
    unit = Unit.objects.get(title="Customer service performance")
    assert set(
        Item.objects.filter(uuid__in=session.item_order).values_list("unit_id", flat=True)
    ) == {unit.pk}


def test_the_dashboard_fits_a_phone_and_the_table_scrolls_inside_it(
    mobile_page: Page, live_server, cohort, sign_in
):
    for name in ("Amira Khan", "Ben Hughes"):
        _learner(cohort, name)
    tutor = MembershipFactory.create(cohort=cohort, role=Role.TUTOR).user
    sign_in(mobile_page, tutor, verified=True)

    mobile_page.goto(f"/centre/cohorts/{cohort.uuid}/")

    expect(
        mobile_page.get_by_role("region", name=re.compile("Mastery of 2 learners"))
    ).to_be_visible()
    mobile_page.screenshot(path=f"{SCREENS}/centres-dashboard-mobile.png", full_page=True)
    assert mobile_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
