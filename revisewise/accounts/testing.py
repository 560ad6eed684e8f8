"""Helpers for other apps' tests: sign someone in as if they had passed the second factor."""

from __future__ import annotations

from django.test import Client

from revisewise.accounts.middleware import TWO_FACTOR_SESSION_KEY
from revisewise.accounts.models import User


def force_login_verified(client: Client, user: User) -> None:
    """Sign `user` in on `client` with the session marked as having passed two-factor sign-in."""
    client.force_login(user, backend="revisewise.accounts.backends.EmailBackend")
    session = client.session
    session[TWO_FACTOR_SESSION_KEY] = True
    session.save()
