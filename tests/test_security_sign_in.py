"""Sign-in lockout, and rate limits on sign-up and password reset, against a real client."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
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


def _sign_out_keeping_the_device_cookie(client):
    # The test client's logout() forgets every cookie; a real browser keeps this one.
    device = client.cookies["rw_device"].value
    client.logout()
    client.cookies["rw_device"] = device


def test_a_stranger_guessing_cannot_lock_the_owner_out_of_a_device_they_signed_in_with(client):
    UserFactory.create(email="ben@example.org")
    owner = client
    assert _sign_in(owner, "ben@example.org", PASSWORD).status_code == 302
    assert owner.cookies["rw_device"]["httponly"]
    _sign_out_keeping_the_device_cookie(owner)
    stranger = Client()
    for _ in range(5):
        _sign_in(stranger, "ben@example.org", "guess", REMOTE_ADDR="198.51.100.66")

    locked = _sign_in(stranger, "ben@example.org", PASSWORD, REMOTE_ADDR="198.51.100.66")
    owner_back = _sign_in(owner, "ben@example.org", PASSWORD)

    assert "except on devices that have signed in with it before" in locked.content.decode()
    assert owner_back.status_code == 302
    assert "rw_device" not in owner_back.cookies  # a valid cookie is kept, not reissued
    assert SignInAttempt.objects.filter(succeeded=False, device="").count() == 5


def test_a_known_device_has_a_lockout_of_its_own(client):
    UserFactory.create(email="ben@example.org")
    _sign_in(client, "ben@example.org", PASSWORD)
    _sign_out_keeping_the_device_cookie(client)
    for _ in range(5):
        _sign_in(client, "ben@example.org", "guess")

    locked = _sign_in(client, "ben@example.org", PASSWORD)
    elsewhere = _sign_in(Client(), "ben@example.org", PASSWORD)

    assert "paused for 15 minutes on this device" in locked.content.decode()
    assert elsewhere.status_code == 302


@pytest.mark.parametrize("tamper", ["other-email", "forged", "expired"])
def test_a_device_cookie_counts_only_for_its_own_email_unaltered_and_in_date(
    client, tamper, time_machine
):
    UserFactory.create(email="ben@example.org")
    UserFactory.create(email="chloe@example.org")
    if tamper == "other-email":
        _sign_in(client, "chloe@example.org", PASSWORD)
    elif tamper == "forged":
        _sign_in(client, "ben@example.org", PASSWORD)
        value = client.cookies["rw_device"].value
        client.cookies["rw_device"] = value[:-2] + ("AA" if not value.endswith("AA") else "BB")
    else:
        _sign_in(client, "ben@example.org", PASSWORD)
        time_machine.move_to(START + dt.timedelta(days=366), tick=False)
    _sign_out_keeping_the_device_cookie(client)
    for _ in range(5):
        _sign_in(Client(), "ben@example.org", "guess")

    response = _sign_in(client, "ben@example.org", PASSWORD)

    assert "except on devices that have signed in with it before" in response.content.decode()
