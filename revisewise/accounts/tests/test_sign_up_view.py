from __future__ import annotations

import pytest
from django.urls import reverse

from revisewise.accounts.models import Membership, User
from revisewise.accounts.tests.factories import UserFactory

SIGN_UP = reverse("accounts:sign-up")


def _data(email="chloe@example.org", password="revision-every-morning"):
    return {
        "email": email,
        "display_name": "Chloe Evans",
        "password": password,
        "password_again": password,
    }


@pytest.mark.django_db
def test_it_creates_a_learner_without_a_centre_and_signs_them_in(client):
    response = client.post(SIGN_UP, _data(email="Chloe@Example.org"))
    assert response.status_code == 302
    user = User.objects.get(email="chloe@example.org")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert not Membership.objects.filter(user=user).exists()
    assert not user.is_staff


@pytest.mark.django_db
def test_it_checks_the_password_with_djangos_validators(client):
    response = client.post(SIGN_UP, _data(password="password"))
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_it_refuses_an_email_already_in_use_in_any_case(client):
    UserFactory.create(email="chloe@example.org")
    response = client.post(SIGN_UP, _data(email="CHLOE@example.org"))
    assert response.status_code == 200
    assert "We could not create an account with that email address" in response.content.decode()
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_it_requires_the_two_passwords_to_match(client):
    data = _data() | {"password_again": "something-else-entirely"}
    response = client.post(SIGN_UP, data)
    assert "The two passwords do not match." in response.content.decode()
    assert not User.objects.exists()
