from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from revisewise.accounts.models import SignInAttempt
from revisewise.accounts.tests.conftest import PASSWORD
from revisewise.accounts.tests.factories import UserFactory

SIGN_IN = reverse("accounts:sign-in")
START = dt.datetime(2027, 1, 11, 9, 0, tzinfo=dt.UTC)


def _sign_in(client, email, password=PASSWORD, ip="203.0.113.7"):
    return client.post(SIGN_IN, {"email": email, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_it_signs_in_by_email_ignoring_case(client):
    user = UserFactory.create(email="amira.khan@example.org")
    response = _sign_in(client, "Amira.KHAN@Example.org")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_it_gives_the_same_message_for_a_wrong_password_and_an_unknown_email(client):
    UserFactory.create(email="amira.khan@example.org")
    wrong = _sign_in(client, "amira.khan@example.org", password="not-it")
    unknown = _sign_in(client, "nobody@example.org", password="not-it")
    message = "That email address and password do not match an account."
    assert message in wrong.content.decode()
    assert message in unknown.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_it_locks_the_email_after_five_failures_even_with_the_right_password(client, time_machine):
    time_machine.move_to(START, tick=False)
    UserFactory.create(email="amira.khan@example.org")
    for _ in range(5):
        _sign_in(client, "amira.khan@example.org", password="guess")
    response = _sign_in(client, "amira.khan@example.org")
    assert (
        "Signing in with this email address is paused for 15 minutes" in response.content.decode()
    )
    assert "_auth_user_id" not in client.session
    # A locked attempt is not recorded, so waiting is enough to end the lock.
    assert SignInAttempt.objects.count() == 5


@pytest.mark.django_db
def test_it_locks_an_unknown_email_with_the_same_message(client, time_machine):
    time_machine.move_to(START, tick=False)
    for _ in range(5):
        _sign_in(client, "nobody@example.org", password="guess")
    response = _sign_in(client, "nobody@example.org", password="guess")
    assert "paused for 15 minutes" in response.content.decode()


@pytest.mark.django_db
def test_it_lifts_the_lock_after_fifteen_minutes(client, time_machine):
    time_machine.move_to(START, tick=False)
    user = UserFactory.create(email="amira.khan@example.org")
    for _ in range(5):
        _sign_in(client, "amira.khan@example.org", password="guess")
    time_machine.move_to(START + dt.timedelta(minutes=14), tick=False)
    assert "paused" in _sign_in(client, "amira.khan@example.org").content.decode()
    time_machine.move_to(START + dt.timedelta(minutes=15, seconds=1), tick=False)
    response = _sign_in(client, "amira.khan@example.org")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_it_does_not_lock_for_failures_older_than_the_window(client, time_machine):
    time_machine.move_to(START, tick=False)
    UserFactory.create(email="amira.khan@example.org")
    for minute in range(0, 50, 10):
        time_machine.move_to(START + dt.timedelta(minutes=minute), tick=False)
        _sign_in(client, "amira.khan@example.org", password="guess")
    assert _sign_in(client, "amira.khan@example.org").status_code == 302


@pytest.mark.django_db
def test_it_counts_failures_for_an_email_from_every_address(client, time_machine):
    time_machine.move_to(START, tick=False)
    UserFactory.create(email="amira.khan@example.org")
    for number in range(5):
        _sign_in(client, "amira.khan@example.org", password="guess", ip=f"198.51.100.{number}")
    response = _sign_in(client, "amira.khan@example.org", ip="192.0.2.99")
    assert "paused for 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_it_redirects_only_to_this_site_after_sign_in(client):
    UserFactory.create(email="amira.khan@example.org")
    response = client.post(
        SIGN_IN,
        {"email": "amira.khan@example.org", "password": PASSWORD, "next": "https://evil.example"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("content:home")


@pytest.mark.django_db
def test_it_refuses_a_sign_in_without_a_csrf_token():
    UserFactory.create(email="amira.khan@example.org")
    client = Client(enforce_csrf_checks=True)
    response = client.post(SIGN_IN, {"email": "amira.khan@example.org", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_it_signs_in_with_the_csrf_token_from_the_form():
    UserFactory.create(email="amira.khan@example.org")
    client = Client(enforce_csrf_checks=True)
    page = client.get(SIGN_IN)
    token = page.context["csrf_token"]
    response = client.post(
        SIGN_IN,
        {"email": "amira.khan@example.org", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_it_signs_out_only_by_post(client):
    user = UserFactory.create()
    client.force_login(user)
    assert client.get(reverse("accounts:sign-out")).status_code == 405
    assert "_auth_user_id" in client.session
    client.post(reverse("accounts:sign-out"))
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_it_labels_every_control_on_the_sign_in_page(client):
    html = client.get(SIGN_IN).content.decode()
    assert '<label for="id_email">' in html
    assert '<label for="id_password">' in html


@pytest.mark.django_db
def test_a_tutor_lands_on_their_cohorts_and_sees_the_centre_links(client):
    from revisewise.accounts.models import Role
    from revisewise.accounts.tests.factories import MembershipFactory

    tutor = MembershipFactory.create(role=Role.TUTOR, user__email="tutor@example.org").user

    # The form posts the default "next" back when the person did not ask for a page.
    client.get(SIGN_IN)
    response = client.post(SIGN_IN, {"email": tutor.email, "password": PASSWORD, "next": "/"})

    assert response.status_code == 302
    assert response["Location"] == reverse("centres:cohort-list")
    assert client.session["accounts_centre_staff"] is True


@pytest.mark.django_db
def test_a_learner_lands_where_they_asked_and_sees_no_centre_links(client):
    from revisewise.accounts.models import Role
    from revisewise.accounts.tests.factories import MembershipFactory

    learner = MembershipFactory.create(role=Role.LEARNER, user__email="amira@example.org").user
    response = client.post(
        SIGN_IN + "?next=/progress/", {"email": learner.email, "password": PASSWORD}
    )

    assert response["Location"] == "/progress/"
    page = client.get(reverse("content:home")).content.decode()
    assert f'href="{reverse("discussion:home")}"' in page
    assert f'href="{reverse("centres:cohort-list")}"' not in page
