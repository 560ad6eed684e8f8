from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from revisewise.accounts.tests.factories import UserFactory


@pytest.mark.django_db
def test_it_emails_a_reset_link_that_sets_a_new_password(client):
    user = UserFactory.create(email="ben.hughes@example.org")
    response = client.post(reverse("accounts:password-reset"), {"email": "ben.hughes@example.org"})
    assert response["Location"] == reverse("accounts:password-reset-sent")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ben.hughes@example.org"]
    assert mail.outbox[0].subject == "Reset your Revisewise password"
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", str(mail.outbox[0].body))
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    assert form_page.context["validlink"] is True
    new = "a-fresh-and-long-passphrase"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done["Location"] == reverse("accounts:password-reset-complete")
    user.refresh_from_db()
    assert user.check_password(new)


@pytest.mark.django_db
def test_it_rejects_a_weak_new_password(client):
    UserFactory.create(email="ben.hughes@example.org")
    client.post(reverse("accounts:password-reset"), {"email": "ben.hughes@example.org"})
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", str(mail.outbox[0].body))
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "12345678", "new_password2": "12345678"}
    )
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()


@pytest.mark.django_db
def test_it_sends_nothing_for_an_unknown_email_but_says_the_same(client):
    response = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.org"})
    assert response["Location"] == reverse("accounts:password-reset-sent")
    assert mail.outbox == []
