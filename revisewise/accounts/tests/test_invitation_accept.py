from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from django.core import mail
from django.urls import reverse

from revisewise.accounts import services
from revisewise.accounts.models import Invitation, Membership, Role, User
from revisewise.accounts.tests.factories import UserFactory

NEW_PASSWORD = "revision-every-morning"


def _invite(cohort, centre_admin, *, email="dylan@example.org", role=Role.LEARNER):
    services.invitation_create(
        invited_by=centre_admin,
        cohort=cohort,
        email=email,
        role=role,
        base_url="http://testserver/",
    )
    match = re.search(
        r"http://testserver(/accounts/invitations/[^/\s]+/)", str(mail.outbox[-1].body)
    )
    assert match is not None
    return match.group(1)


def _accept(client, link, password=NEW_PASSWORD):
    data = {"display_name": "Dylan Price", "password": password, "password_again": password}
    return client.post(link, data)


@pytest.mark.django_db(transaction=True)
def test_it_emails_a_link_and_stores_only_the_tokens_hash(cohort, centre_admin):
    link = _invite(cohort, centre_admin)
    token = link.rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Invitation.objects.values().get())
    assert mail.outbox[0].to == ["dylan@example.org"]
    assert cohort.name in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_it_creates_the_account_and_membership_on_acceptance(client, cohort, centre_admin):
    link = _invite(cohort, centre_admin, role=Role.TUTOR)
    response = _accept(client, link)
    assert response.status_code == 302
    user = User.objects.get(email="dylan@example.org")
    assert user.check_password(NEW_PASSWORD)
    assert Membership.objects.filter(user=user, cohort=cohort, role=Role.TUTOR).exists()
    assert Invitation.objects.get().accepted_by == user


@pytest.mark.django_db(transaction=True)
def test_it_can_be_used_only_once(client, cohort, centre_admin):
    link = _invite(cohort, centre_admin)
    _accept(client, link)
    client.logout()
    response = _accept(client, link, password="another-long-passphrase")
    assert response.status_code == 410
    assert "This invitation has already been used." in response.content.decode()
    user = User.objects.get(email="dylan@example.org")
    assert user.check_password(NEW_PASSWORD)


@pytest.mark.django_db(transaction=True)
def test_it_expires_after_seven_days(client, cohort, centre_admin, time_machine):
    start = dt.datetime(2027, 1, 11, 9, 0, tzinfo=dt.UTC)
    time_machine.move_to(start, tick=False)
    link = _invite(cohort, centre_admin)
    time_machine.move_to(start + dt.timedelta(days=6, hours=23), tick=False)
    assert client.get(link).status_code == 200
    time_machine.move_to(start + dt.timedelta(days=7, seconds=1), tick=False)
    response = _accept(client, link)
    assert response.status_code == 410
    assert "This invitation has expired." in response.content.decode()
    assert not User.objects.filter(email="dylan@example.org").exists()


@pytest.mark.django_db
def test_it_says_an_unknown_link_is_not_valid(client):
    response = client.get(reverse("accounts:invitation-accept", args=["made-up-token"]))
    assert response.status_code == 410
    assert "This invitation link is not valid." in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_it_keeps_an_existing_accounts_password_and_asks_them_to_sign_in(
    client, cohort, centre_admin
):
    existing = UserFactory.create(email="dylan@example.org")
    link = _invite(cohort, centre_admin)
    response = _accept(client, link, password="attacker-chosen-passphrase")
    assert response["Location"] == reverse("accounts:sign-in")
    assert "_auth_user_id" not in client.session
    existing.refresh_from_db()
    assert existing.check_password("correct-horse-battery-staple")
    assert Membership.objects.filter(user=existing, cohort=cohort).exists()


@pytest.mark.django_db(transaction=True)
def test_it_refuses_a_weak_password_and_leaves_the_invitation_usable(client, cohort, centre_admin):
    link = _invite(cohort, centre_admin)
    response = _accept(client, link, password="password")
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    assert Invitation.objects.get().accepted_at is None
    assert not User.objects.filter(email="dylan@example.org").exists()
