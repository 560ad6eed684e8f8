from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from revisewise.accounts.models import User
from revisewise.audit.models import AuditAction, AuditEvent
from revisewise.practice.models import Attempt
from revisewise.privacy.tests.factories import ANSWER

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def learner_client(client, history):
    client.force_login(history.learner, backend="revisewise.accounts.backends.EmailBackend")
    return client


def test_it_shows_the_privacy_notice_to_anyone(client):
    response = client.get(reverse("privacy:notice"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "UK General Data Protection Regulation" in page
    assert "Legitimate interests" in page
    assert settings.PRIVACY_CONTACT_EMAIL in page
    assert "Information Commissioner" in page
    assert "Sign-in attempts (time, network address, whether it worked): 30 days" in page
    assert "learners' records: 6 years, for the centre" in page
    # Every registered entry says what it keeps, and what stays after deletion is listed.
    assert "Your practice sessions and every answer you gave" in page
    assert "replaced by a code that cannot be traced back to you" in page


def test_it_links_the_notice_from_every_page_footer(client):
    page = client.get(reverse("content:home")).content.decode()

    assert f'href="{reverse("privacy:notice")}"' in page


def test_it_asks_people_to_sign_in_to_see_their_data(client):
    for name in ("privacy:my-data", "privacy:account-delete"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_it_summarises_the_learners_own_data(learner_client, history):
    response = learner_client.get(reverse("privacy:my-data"))

    page = response.content.decode()
    assert response.status_code == 200
    assert history.learner.email in page
    assert ANSWER in page
    assert history.cohort.name in page
    assert 'action="/privacy/my-data/download/"' in page
    # Personal data is never kept by a shared computer's browser cache.
    assert "no-store" in response["Cache-Control"]


def test_it_downloads_the_learners_data_as_json_and_logs_it(learner_client, history):
    response = learner_client.post(reverse("privacy:my-data-download"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="revisewise-my-data-')
    assert response["Cache-Control"] == "no-store"
    export = json.loads(response.content)
    practice = next(s for s in export["sections"] if s["name"] == "practice")["data"]
    assert [attempt["response"] for attempt in practice["attempts"]] == [ANSWER]
    assert AuditEvent.objects.filter(
        action=AuditAction.DATA_EXPORTED, subject=history.learner
    ).exists()


def test_it_refuses_a_download_without_the_csrf_token(history):
    client = Client(enforce_csrf_checks=True)
    client.force_login(history.learner, backend="revisewise.accounts.backends.EmailBackend")

    response = client.post(reverse("privacy:my-data-download"))

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.DATA_EXPORTED).exists()


def test_it_refuses_deletion_with_the_wrong_password(learner_client, history):
    response = learner_client.post(
        reverse("privacy:account-delete"), {"password": "wrong", "confirm": "DELETE"}
    )

    assert response.status_code == 200
    assert "That password is not right, so nothing was deleted." in response.content.decode()
    assert User.objects.filter(pk=history.learner.pk).exists()


def test_it_refuses_deletion_without_delete_typed(learner_client, history):
    response = learner_client.post(
        reverse("privacy:account-delete"), {"password": PASSWORD, "confirm": "delete"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert '<p class="field-error" id="id_confirm_error">Type DELETE in capital' in page
    assert 'aria-describedby="id_confirm_error id_confirm_helptext"' in page
    assert 'aria-invalid="true"' in page
    assert Attempt.objects.filter(learner=history.learner).exists()


def test_it_deletes_the_account_signs_out_and_confirms(learner_client, history):
    response = learner_client.post(
        reverse("privacy:account-delete"), {"password": PASSWORD, "confirm": "DELETE"}, follow=True
    )

    assert response.redirect_chain == [(reverse("privacy:account-deleted"), 302)]
    assert "Your account has been deleted" in response.content.decode()
    assert not response.context["user"].is_authenticated
    assert not User.objects.filter(email=history.learner.email).exists()
    signed_in = learner_client.post(
        reverse("accounts:sign-in"), {"email": history.learner.email, "password": PASSWORD}
    )
    assert "do not match an account" in signed_in.content.decode()
