from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]

PHRASE = "handling complex problems beyond one's remit"


def test_it_finds_a_unit_by_a_phrase_and_lands_on_the_section(page: Page):
    page.goto("/")

    page.get_by_label("Search revision content").fill(PHRASE)
    page.get_by_label("Search revision content").press("Enter")

    expect(page).to_have_url(re.compile(r"/search/\?q="))
    group = page.locator(".result-group").first
    expect(group.get_by_role("heading", level=2)).to_have_text("Customer journey knowledge")
    expect(group.locator(".snippet mark").first).to_be_visible()
    group.get_by_role("link", name="Misconceptions and common mistakes").first.click()

    expect(page).to_have_url(re.compile(r"/units/customer-journey-knowledge/#misconceptions$"))
    expect(page.locator("#misconceptions")).to_be_in_viewport()
    expect(page.get_by_text("beyond one's remit")).to_be_visible()


def test_it_shows_results_while_typing_without_reloading(page: Page):
    page.goto("/search/")
    page.evaluate("window.notReloaded = true")

    page.get_by_label("Words to find").press_sequentially("escalation crite", delay=20)

    expect(page.locator(".results-summary")).to_contain_text("escalation crite")
    expect(page.locator(".result-group").first).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
    expect(page.get_by_role("status")).to_contain_text("for “escalation crite”")
    expect(page).to_have_url(re.compile(r"q=escalation(\+|%20)crite"))


def test_it_survives_search_syntax(page: Page):
    page.goto("/search/?q=%22NEAR(customer*+-journey")

    expect(page.get_by_role("heading", level=1)).to_have_text("Search revision content")
    expect(page.locator(".results-summary")).to_be_visible()
