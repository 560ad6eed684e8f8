"""The account forms tie each error and hint to its field, for screen readers."""

from __future__ import annotations

import re

from django.urls import reverse

from revisewise.accounts.models import Invitation
from revisewise.accounts.testing import force_login_verified


def _tag(html: str, element_id: str) -> str:
    match = re.search(rf'<(?:input|select|textarea)[^>]*\bid="{element_id}"[^>]*>', html)
    assert match, f"no control with id {element_id}"
    return match.group(0)


def _invite(client, cohort, data):
    return client.post(reverse("accounts:cohort-invite", args=[cohort.uuid]), data)


def test_an_invite_error_is_tied_to_the_email_field(client, centre_admin, cohort):
    force_login_verified(client, centre_admin)
    response = _invite(client, cohort, {"email": "not-an-email", "role": "learner"})
    html = response.content.decode()

    assert response.status_code == 400
    assert not Invitation.objects.exists()
    email = _tag(html, "id_email")
    assert 'aria-invalid="true"' in email
    described_by = re.search(r'aria-describedby="([^"]+)"', email)
    assert described_by, email
    error_ids = described_by.group(1).split()
    assert "id_email_error" in error_ids
    # The id it points at exists once, holds the message, and sits next to the field.
    assert html.count('id="id_email_error"') == 1
    error = re.search(r'<div class="field-error" id="id_email_error">(.*?)</div>', html, re.S)
    assert error
    assert "Enter a valid email address." in error.group(1)
    # The field without an error is neither marked invalid nor pointed at an error.
    role = _tag(html, "id_role")
    assert "aria-invalid" not in role
    assert "id_role_error" not in html
    # A field error is not repeated in a summary: that is for errors of the whole form.
    assert 'class="error-summary"' not in html


def test_the_cohort_page_before_any_error_marks_nothing_invalid(client, centre_admin, cohort):
    force_login_verified(client, centre_admin)
    html = client.get(reverse("accounts:cohort-detail", args=[cohort.uuid])).content.decode()

    assert "aria-invalid" not in html
    assert 'class="error-summary"' not in html
    for control in ("id_email", "id_role", "id_file"):
        assert f'<label for="{control}">' in html
    assert '<caption id="members-caption">' in html
    # Labels do not end in a colon.
    assert not re.search(r"<label[^>]*>[^<]*:</label>", html)


def test_the_password_hint_is_linked_to_the_password_field(client):
    html = client.get(reverse("accounts:sign-up")).content.decode()

    password = _tag(html, "id_password")
    assert 'aria-describedby="id_password_helptext"' in password
    assert 'id="id_password_helptext"' in html


def test_a_wrong_password_is_shown_in_the_summary_without_marking_a_field(client, learner):
    response = client.post(
        reverse("accounts:sign-in"), {"email": learner.email, "password": "not-the-password"}
    )
    html = response.content.decode()

    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert summary
    assert "That email address and password do not match an account." in summary.group(0)
    assert "aria-invalid" not in html
    main = html[html.index("<main") :]
    assert main.index('class="error-summary"') < main.index('<form method="post"')
