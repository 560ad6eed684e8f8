"""Browser fixtures: a real Chromium (Debian's package) driven by Playwright's sync API.

`browser` is one Chromium for the whole session; `page` is a fresh context per test, pointed at
pytest-django's `live_server` and allowed to reach nothing else. Tests that use them are marked
`@pytest.mark.browser`. Install the browser with `apt-get install -y chromium`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, BrowserContext, Page, Route, ViewportSize, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SEEDS = Path(__file__).resolve().parent.parent / "demo" / "seeds"
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
MOBILE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"Browser tests need {CHROMIUM}: run `apt-get install -y chromium`.")

    # Playwright's sync API keeps an asyncio event loop running in this thread for as long as
    # the browser is open, and Django refuses ORM calls from a thread with a running loop
    # (SynchronousOnlyOperation). The tests only drive the browser synchronously, in step with
    # their own queries, so the check guards against nothing here: switch it off while the
    # browser is open and restore it afterwards.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _new_page(
    browser: Browser, base_url: str, viewport: ViewportSize
) -> tuple[BrowserContext, Page]:
    context = browser.new_context(base_url=base_url, viewport=viewport, locale="en-GB")

    # Keep tests offline: anything but the live server is refused.
    def only_live_server(route: Route) -> None:
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_live_server)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:
    """A desktop-sized page on the live server; fails the test on any script or console error.

    Console errors include Content-Security-Policy violations and failed requests.
    """
    context, page = _new_page(browser, live_server.url, DESKTOP)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    yield page
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


@pytest.fixture
def mobile_page(browser: Browser, live_server) -> Iterator[Page]:
    """A page 390 pixels wide, the width of a common phone."""
    context, page = _new_page(browser, live_server.url, MOBILE)
    yield page
    context.close()


@pytest.fixture
def seeded(transactional_db) -> None:
    """Import the demo seeds, as the run command does, and build the search index."""
    from revisewise.search.services import search_index_rebuild

    call_command("import_content", str(SEEDS), stdout=StringIO(), stderr=StringIO())
    search_index_rebuild()
