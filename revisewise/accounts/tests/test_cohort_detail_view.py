from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse

from revisewise.accounts.models import Invitation, Membership, Role
from revisewise.accounts.testing import force_login_verified
from revisewise.accounts.tests.factories import MembershipFactory


def _url(cohort, name="accounts:cohort-detail"):
    return reverse(name, args=[cohort.uuid])


def test_it_shows_the_members_to_the_centre_administrator(client, centre_admin, learner, cohort):
    force_login_verified(client, centre_admin)
    response = client.get(_url(cohort))
    assert response.status_code == 200
    assert learner.email in response.content.decode()


@pytest.mark.parametrize(
    "persona", ["learner", "tutor", "other_tutor", "other_learner", "other_centre_admin"]
)
def test_it_gives_404_to_everyone_else(client, request, cohort, persona):
    force_login_verified(client, request.getfixturevalue(persona))
    assert client.get(_url(cohort)).status_code == 404
    response = client.post(_url(cohort, "accounts:cohort-invite"), {"email": "x@example.org"})
    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_it_sends_anonymous_visitors_to_sign_in(client, cohort):
    response = client.get(_url(cohort))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_it_escapes_names_people_wrote(client, centre_admin, cohort):
    MembershipFactory.create(cohort=cohort, user__display_name="<script>alert(1)</script>")
    force_login_verified(client, centre_admin)
    html = client.get(_url(cohort)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_it_escapes_a_hostile_cohort_name(client, centre_admin, cohort):
    cohort.name = '"><img src=x onerror=alert(1)>'
    cohort.save()
    force_login_verified(client, centre_admin)
    html = client.get(_url(cohort)).content.decode()
    assert "<img src=x" not in html


@pytest.mark.django_db(transaction=True)
def test_it_invites_by_email(client, centre_admin, cohort):
    force_login_verified(client, centre_admin)
    data = {"email": "erin@example.org", "role": Role.TUTOR}
    response = client.post(_url(cohort, "accounts:cohort-invite"), data)
    assert response.status_code == 302
    assert Invitation.objects.get().email == "erin@example.org"


def test_it_lists_import_errors_with_row_numbers_and_imports_nothing(client, centre_admin, cohort):
    force_login_verified(client, centre_admin)
    upload = io.BytesIO(b"email,display_name\n<b>bad</b>,Someone\n")
    upload.name = "learners.csv"
    response = client.post(_url(cohort, "accounts:cohort-import"), {"file": upload})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Row 2: &#x27;&lt;b&gt;bad&lt;/b&gt;&#x27; is not a valid email address." in html
    assert not Membership.objects.filter(cohort=cohort, role=Role.LEARNER).exists()


def test_it_refuses_an_invitation_without_a_csrf_token(centre_admin, cohort):
    client = Client(enforce_csrf_checks=True)
    force_login_verified(client, centre_admin)
    data = {"email": "erin@example.org", "role": Role.TUTOR}
    response = client.post(_url(cohort, "accounts:cohort-invite"), data)
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_it_lists_cohorts_linking_only_the_administered_ones(
    client, centre_admin, tutor, other_tutor, cohort
):
    detail = _url(cohort)
    force_login_verified(client, centre_admin)
    assert detail in client.get(reverse("accounts:cohort-list")).content.decode()
    force_login_verified(client, tutor)
    html = client.get(reverse("accounts:cohort-list")).content.decode()
    assert f"{cohort.name} · {cohort.centre.name}" in html
    assert detail not in html
    force_login_verified(client, other_tutor)
    html = client.get(reverse("accounts:cohort-list")).content.decode()
    assert f"{cohort.name} · {cohort.centre.name}" not in html


def test_it_lists_invitations_waiting_but_not_accepted_or_expired_ones(
    client, centre_admin, cohort
):
    from datetime import timedelta

    from django.utils import timezone

    force_login_verified(client, centre_admin)
    for email in ("waiting@example.org", "accepted@example.org", "expired@example.org"):
        client.post(_url(cohort, "accounts:cohort-invite"), {"email": email, "role": Role.TUTOR})
    Invitation.objects.filter(email="accepted@example.org").update(accepted_at=timezone.now())
    Invitation.objects.filter(email="expired@example.org").update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )

    html = client.get(_url(cohort)).content.decode()

    waiting = html.split("Invitations waiting to be accepted", 1)[1].split("</table>", 1)[0]
    assert "waiting@example.org" in waiting
    assert "accepted@example.org" not in waiting
    assert "expired@example.org" not in waiting
