from __future__ import annotations

import pytest
from django.urls import reverse

from revisewise.accounts.testing import force_login_verified
from revisewise.accounts.tests.factories import UserFactory
from revisewise.audit.models import AuditAction
from revisewise.audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_it_lets_site_admins_read_but_never_change_events(client):
    admin = UserFactory.create(is_superuser=True, is_staff=True)
    event = audit_record(actor=admin, action=AuditAction.COHORT_VIEWED)
    force_login_verified(client, admin)

    listing = client.get(reverse("admin:audit_auditevent_changelist"))
    change = client.post(
        reverse("admin:audit_auditevent_change", args=[event.pk]), {"actor_label": "someone"}
    )
    add = client.get(reverse("admin:audit_auditevent_add"))

    assert listing.status_code == 200
    assert admin.email in listing.content.decode()
    assert change.status_code == 403
    assert add.status_code == 403
    event.refresh_from_db()
    assert event.actor_label == admin.email
