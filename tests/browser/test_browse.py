from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from revisewise.content.models import Unit

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]

# What seed 000 shows, in the unit page's order; its FAQ section is empty on the page.
SEED_000_SECTIONS = [
    ("synopsis", "Synopsis"),
    ("key-concepts", "Key concepts"),
    ("exam-tips", "Exam tips and revision strategies"),
    ("misconceptions", "Misconceptions and common mistakes"),
    ("marking-points", "Examiner marking points"),
    ("learning-objectives", "Learning objectives"),
    ("key-terms", "Key terms"),
    ("before-you-start", "Before you start"),
    ("topic-overview", "Topic overview of the qualification"),
]


def _unit_url(title: str) -> str:
    return Unit.objects.select_related("qualification").get(title=title).get_absolute_url()


def test_it_navigates_from_home_to_a_unit_by_clicking(page: Page):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Revise for your qualification")

    page.get_by_role("link", name="Business Administration").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Business Administration")
    page.get_by_role("link", name=re.compile("Diploma for Customer Service Skills")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Customer Service Skills")
    expect(page.locator(".card-title")).to_have_count(2)
    page.get_by_role("link", name="Customer journey knowledge").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Customer journey knowledge")
    breadcrumbs = page.get_by_role("navigation", name="Breadcrumb")
    expect(breadcrumbs.get_by_role("link")).to_have_count(4)


def test_it_shows_every_section_of_a_seed_unit(page: Page):
    page.goto(_unit_url("Customer journey knowledge"))

    headings = page.locator(".unit-sections h2")
    expect(headings).to_have_text([title for _id, title in SEED_000_SECTIONS])
    ids = headings.evaluate_all("elements => elements.map(element => element.id)")
    assert ids == [section_id for section_id, _title in SEED_000_SECTIONS]
    expect(page.get_by_text("Complaint Handling", exact=True)).to_be_visible()
    expect(page.get_by_text("Tips for every unit of this qualification")).to_be_visible()
    expect(page.locator(".item-misconception").first).to_contain_text("Correction:")
    expect(page.get_by_text("4 assessment criteria").first).to_be_visible()
    expect(page.locator("#faq")).to_have_count(0)


def test_it_opens_a_section_from_the_contents_list(page: Page):
    page.goto(_unit_url("Customer journey knowledge"))

    page.get_by_role("navigation", name="On this page").get_by_role(
        "link", name="Examiner marking points"
    ).click()

    expect(page).to_have_url(re.compile("#marking-points$"))
    expect(page.locator("#marking-points")).to_be_in_viewport()
