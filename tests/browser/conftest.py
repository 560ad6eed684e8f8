"""Helpers shared by the browser tests (the browser and page fixtures are in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page

from revisewise.accounts.models import User
from revisewise.accounts.testing import force_login_verified

SignIn = Callable[..., None]


@pytest.fixture
def sign_in(live_server) -> SignIn:
    """Return `sign_in(page, user, *, verified)`: make `page` signed in as `user`, and only them.

    `verified` signs in with two-factor done (staff pages need it); otherwise a plain session.
    """

    def _sign_in(page: Page, user: User, *, verified: bool) -> None:
        client = Client()
        if verified:
            force_login_verified(client, user)
        else:
            client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.clear_cookies()
        page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
        )

    return _sign_in
