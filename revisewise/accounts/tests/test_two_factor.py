from __future__ import annotations

import datetime as dt
import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.urls import reverse

from revisewise.accounts import services, totp
from revisewise.accounts.middleware import TWO_FACTOR_SESSION_KEY, TwoFactorMiddleware
from revisewise.accounts.models import TotpDevice
from revisewise.accounts.tests.conftest import PASSWORD
from revisewise.accounts.tests.factories import UserFactory

NOW = dt.datetime(2027, 1, 11, 9, 0, 5, tzinfo=dt.UTC)
ENROL = reverse("accounts:two-factor-enrol")
VERIFY = reverse("accounts:two-factor-verify")
MIDDLEWARE = "revisewise.accounts.middleware.TwoFactorMiddleware"


@pytest.fixture(autouse=True)
def _two_factor_middleware(settings):
    # Until config/settings.py lists it (other apps' staff tests must sign in verified first).
    if MIDDLEWARE not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, MIDDLEWARE]


def _sign_in(client, user):
    response = client.post(reverse("accounts:sign-in"), {"email": user.email, "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(user.pk)
    return response


def _code(user, *, offset=0):
    secret = TotpDevice.objects.get(user=user).secret
    return totp.totp_code(secret=secret, unix_time=time.time() + offset)


def _enrol(client, user):
    client.get(ENROL)
    response = client.post(ENROL, {"code": _code(user)})
    assert response.status_code == 302


def test_it_sends_a_tutor_to_enrol_before_any_page(client, tutor, time_machine):
    time_machine.move_to(NOW, tick=False)
    _sign_in(client, tutor)
    response = client.get(reverse("content:home"))
    assert response.status_code == 302
    assert response["Location"] == ENROL


@pytest.mark.parametrize("persona", ["tutor", "centre_admin"])
def test_it_lets_staff_in_after_enrolling_with_a_code(client, request, persona, time_machine):
    time_machine.move_to(NOW, tick=False)
    user = request.getfixturevalue(persona)
    _sign_in(client, user)
    page = client.get(ENROL)
    secret = TotpDevice.objects.get(user=user).secret
    assert secret in page.content.decode()
    assert "otpauth://totp/" in page.content.decode()
    _enrol(client, user)
    assert TotpDevice.objects.get(user=user).is_confirmed
    assert client.get(reverse("content:home")).status_code == 200


@pytest.mark.django_db
def test_it_keeps_a_staff_member_out_of_the_admin_until_verified(client, time_machine):
    time_machine.move_to(NOW, tick=False)
    admin = UserFactory.create(is_staff=True, is_superuser=True)
    _sign_in(client, admin)
    assert client.get("/admin/")["Location"] == ENROL
    _enrol(client, admin)
    assert client.get("/admin/").status_code == 200
    # A new session asks for a code again, and the admin stays closed until it is given.
    client.post(reverse("accounts:sign-out"))
    time_machine.move_to(NOW + dt.timedelta(minutes=2), tick=False)
    _sign_in(client, admin)
    assert client.get("/admin/")["Location"].startswith(VERIFY)
    response = client.post(VERIFY, {"code": _code(admin), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_it_sends_the_admins_own_sign_in_page_to_ours(client):
    admin = UserFactory.create(is_staff=True, is_superuser=True)
    response = client.post(
        "/admin/login/?next=/admin/", {"username": admin.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sign-in") + "?next=/admin/"
    assert "_auth_user_id" not in client.session


def test_it_refuses_a_code_used_before(client, tutor, time_machine):
    time_machine.move_to(NOW, tick=False)
    _sign_in(client, tutor)
    client.get(ENROL)
    code = _code(tutor)
    assert services.totp_device_verify(user=tutor, code=code)
    assert not services.totp_device_verify(user=tutor, code=code)
    # An older step inside the window is refused too once a later one was used.
    assert not services.totp_device_verify(user=tutor, code=_code(tutor, offset=-30))
    assert services.totp_device_verify(user=tutor, code=_code(tutor, offset=30))


def test_it_refuses_a_wrong_code_on_the_verify_page(client, tutor, time_machine):
    time_machine.move_to(NOW, tick=False)
    _sign_in(client, tutor)
    _enrol(client, tutor)
    client.post(reverse("accounts:sign-out"))
    _sign_in(client, tutor)
    wrong = "000000" if _code(tutor) != "000000" else "111111"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert client.get(reverse("content:home")).status_code == 302


def test_it_does_not_show_a_confirmed_secret_again(client, tutor, time_machine):
    time_machine.move_to(NOW, tick=False)
    _sign_in(client, tutor)
    _enrol(client, tutor)
    secret = TotpDevice.objects.get(user=tutor).secret
    client.post(reverse("accounts:sign-out"))
    _sign_in(client, tutor)
    response = client.get(ENROL, follow=True)
    assert secret not in response.content.decode()
    assert response.redirect_chain[-1][0].startswith(VERIFY)


def test_it_leaves_two_factor_optional_for_learners(client, learner):
    _sign_in(client, learner)
    assert client.get(reverse("content:home")).status_code == 200


def test_it_asks_a_learner_who_enrolled_for_a_code(client, learner, time_machine):
    time_machine.move_to(NOW, tick=False)
    _sign_in(client, learner)
    _enrol(client, learner)
    client.post(reverse("accounts:sign-out"))
    _sign_in(client, learner)
    assert client.get(reverse("content:home"))["Location"].startswith(VERIFY)


def test_it_refuses_every_code_for_a_while_after_five_wrong_ones(client, tutor, time_machine):
    time_machine.move_to(NOW, tick=False)
    _sign_in(client, tutor)
    _enrol(client, tutor)
    time_machine.move_to(NOW + dt.timedelta(minutes=1), tick=False)
    right = _code(tutor)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _ in range(5):
        assert not services.totp_device_verify(user=tutor, code=wrong)
    assert not services.totp_device_verify(user=tutor, code=right)
    time_machine.move_to(NOW + dt.timedelta(minutes=17), tick=False)
    assert services.totp_device_verify(user=tutor, code=_code(tutor))


def test_it_costs_one_query_per_request_for_a_learner_and_none_once_verified(
    rf, learner, django_assert_num_queries
):
    middleware = TwoFactorMiddleware(lambda request: HttpResponse("ok"))
    request = rf.get("/")
    request.user = learner
    request.session = SessionStore()
    with django_assert_num_queries(1):
        assert middleware(request).status_code == 200
    request.session[TWO_FACTOR_SESSION_KEY] = True
    with django_assert_num_queries(0):
        assert middleware(request).status_code == 200
