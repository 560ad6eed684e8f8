from __future__ import annotations

import os
from itertools import pairwise
from pathlib import Path

import pytest
from playwright.sync_api import Page

from revisewise.content.models import Unit

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]


def _pages() -> dict[str, str]:
    unit = Unit.objects.select_related("qualification").get(title="Customer journey knowledge")
    return {
        "home": "/",
        "qualification": unit.qualification.get_absolute_url(),
        "unit": unit.get_absolute_url(),
        "search": "/search/?q=complaint+handling",
    }


def _screens(tmp_path: Path) -> Path:
    # REVISEWISE_SCREENSHOT_DIR keeps the screenshots for people to look at.
    directory = Path(os.environ.get("REVISEWISE_SCREENSHOT_DIR") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _overflow(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_it_fits_a_phone_screen_without_sideways_scrolling(mobile_page: Page, tmp_path: Path):
    screens = _screens(tmp_path)

    for name, url in _pages().items():
        mobile_page.goto(url)
        mobile_page.screenshot(path=screens / f"{name}-mobile.png", full_page=True)

        assert _overflow(mobile_page) <= 0, f"{name} scrolls sideways at 390px"


def test_it_lays_out_the_desktop_pages(page: Page, tmp_path: Path):
    screens = _screens(tmp_path)

    for name, url in _pages().items():
        page.goto(url)
        page.screenshot(path=screens / f"{name}-desktop.png", full_page=True)

        assert _overflow(page) <= 0, f"{name} scrolls sideways at 1280px"
        assert page.locator("h1").count() == 1


HEADING_LEVELS = """
[...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => Number(h.tagName[1]))
"""
UNLABELLED_CONTROLS = """
[...document.querySelectorAll('input, select, textarea, button')]
  .filter(control => !(control.labels && control.labels.length) && !control.textContent.trim()
          && !control.getAttribute('aria-label'))
  .map(control => control.outerHTML)
"""


def test_it_keeps_headings_in_order_and_labels_every_control(page: Page):
    for name, url in _pages().items():
        page.goto(url)

        levels = page.evaluate(HEADING_LEVELS)
        assert levels[0] == 1, name
        assert levels.count(1) == 1, name
        skips = [(a, b) for a, b in pairwise(levels) if b > a + 1]
        assert skips == [], f"{name} skips heading levels: {skips}"
        assert page.evaluate(UNLABELLED_CONTROLS) == [], name
        assert page.locator("header.site-header, main, footer, nav").count() >= 3, name
