from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from revisewise.content.models import Unit

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]

FOCUS_COLOUR = "rgb(255, 191, 71)"


def _focused(page: Page, script: str):
    return page.evaluate(
        f"(() => {{ const element = document.activeElement; return {script}; }})()"
    )


def test_it_skips_to_the_content_and_tabs_through_it_with_visible_focus(page: Page):
    unit = Unit.objects.select_related("qualification").get(title="Customer journey knowledge")
    page.goto(unit.get_absolute_url())

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert _focused(page, "element.id") == "main"

    page.keyboard.press("Tab")
    assert _focused(page, "element.textContent.trim()") == "Sign in to practise this unit"
    page.keyboard.press("Tab")
    assert _focused(page, "element.textContent.trim()") == "Synopsis"
    assert _focused(page, "getComputedStyle(element).backgroundColor") == FOCUS_COLOUR
    for _step in range(3):
        page.keyboard.press("Tab")
    assert _focused(page, "element.textContent.trim()") == "Misconceptions and common mistakes"
    page.keyboard.press("Enter")

    assert _focused(page, "element.id") == "misconceptions"
    expect(page.locator("#misconceptions")).to_be_in_viewport()


def test_it_reaches_the_header_search_by_keyboard(page: Page):
    page.goto("/")

    visited: list[str] = []
    while len(visited) < 10 and (not visited or visited[-1] != "header-search-q"):
        page.keyboard.press("Tab")
        visited.append(_focused(page, "element.id || element.textContent.trim()"))

    assert visited[0] == "Skip to main content"
    assert visited[-1] == "header-search-q"
    assert _focused(page, "getComputedStyle(element).outlineStyle") == "solid"
    page.keyboard.type("complaint")
    page.keyboard.press("Enter")
    expect(page.locator(".result-group").first).to_be_visible()
