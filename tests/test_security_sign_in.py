"""Sign-in lockout, and rate limits on sign-up and password reset, against a real client."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from revisewise.accounts.models import RateLimitHit, SignInAttempt, User
from revisewise.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple"
START = dt.datetime(2027, 1, 11, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(START, tick=False)


def _sign_in(client, email, password, **headers):
    return client.post(
        reverse("accounts:sign-in"), {"email": email, "password": password}, **headers
    )


def test_it_ignores_a_forged_x_forwarded_for_when_counting_failures(client):
    UserFactory.create(email="ben@example.org")
    for number in range(5):
        _sign_in(
            client,
            "ben@example.org",
            "guess",
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{number}",
        )

    response = _sign_in(
        client,
        "ben@example.org",
        PASSWORD,
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="1.1.1.1",
    )

    assert "paused for 15 minutes" in response.content.decode()
    assert set(SignInAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


def test_it_keeps_other_accounts_open_while_one_is_locked(client):
    UserFactory.create(email="ben@example.org")
    UserFactory.create(email="chloe@example.org")
    for _ in range(5):
        _sign_in(client, "ben@example.org", "guess")

    response = _sign_in(client, "chloe@example.org", PASSWORD)

    assert response.status_code == 302


def _sign_up(client, number, address="203.0.113.9"):
    return client.post(
        reverse("accounts:sign-up"),
        {
            "email": f"learner{number}@example.org",
            "display_name": "",
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
        REMOTE_ADDR=address,
    )


def test_it_limits_sign_ups_from_one_address_with_a_clear_message(client, settings):
    settings.ACCOUNTS_SIGN_UP_PER_HOUR = 3
    for number in range(3):
        client.logout()
        assert _sign_up(client, number).status_code == 302

    client.logout()
    refused = _sign_up(client, 99)

    assert refused.status_code == 429
    assert "Too many requests from here" in refused.content.decode()
    assert "wait 60 minutes" in refused.content.decode()
    assert not User.objects.filter(email="learner99@example.org").exists()
    # Another address is not held back by this one.
    assert _sign_up(client, 100, address="198.51.100.1").status_code == 302


def test_it_lifts_the_sign_up_limit_after_an_hour(client, settings, time_machine):
    settings.ACCOUNTS_SIGN_UP_PER_HOUR = 1
    assert _sign_up(client, 1).status_code == 302
    client.logout()
    assert _sign_up(client, 2).status_code == 429

    time_machine.move_to(START + dt.timedelta(minutes=61), tick=False)

    assert _sign_up(client, 3).status_code == 302


def _reset(client, email, address="203.0.113.9"):
    return client.post(reverse("accounts:password-reset"), {"email": email}, REMOTE_ADDR=address)


def test_it_limits_password_resets_per_email(client, settings):
    settings.ACCOUNTS_PASSWORD_RESET_PER_HOUR = 2
    UserFactory.create(email="dylan@example.org")
    for _ in range(2):
        assert _reset(client, "dylan@example.org").status_code == 302

    refused = _reset(client, "DYLAN@example.org", address="198.51.100.5")

    assert refused.status_code == 429
    assert "Too many requests from here" in refused.content.decode()
    assert len(mail.outbox) == 2


def test_it_limits_password_resets_per_address_across_emails(client, settings):
    settings.ACCOUNTS_PASSWORD_RESET_PER_HOUR = 1
    for number in range(4):
        assert _reset(client, f"person{number}@example.org").status_code == 302

    assert _reset(client, "person9@example.org").status_code == 429


def test_it_stores_rate_limit_keys_only_as_hashes(client):
    _reset(client, "erin@example.org")

    keys = " ".join(RateLimitHit.objects.values_list("key_hash", flat=True))
    assert "erin" not in keys
    assert "203.0.113.9" not in keys
    assert RateLimitHit.objects.count() == 2
