from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from revisewise.accounts.models import RateLimitHit, SignInAttempt
from revisewise.audit.models import AuditAction, AuditEvent
from revisewise.audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(settings):
    settings.ACCOUNTS_SIGN_IN_RECORD_DAYS = 30
    settings.AUDIT_RETENTION_DAYS = 365
    now = timezone.now()
    for days in (31, 29):
        SignInAttempt.objects.create(
            email="a@example.org", attempted_at=now - timedelta(days=days), succeeded=False
        )
        RateLimitHit.objects.create(
            scope="sign_up", key_hash="k", hit_at=now - timedelta(days=days)
        )
    for days in (366, 364):
        event = audit_record(actor=None, action=AuditAction.COHORT_VIEWED)
        AuditEvent.objects.filter(pk=event.pk).update(created_at=now - timedelta(days=days))


def _prune(*args):
    out = StringIO()
    call_command("prune_personal_data", *args, stdout=out)
    return out.getvalue()


def test_it_deletes_only_records_past_their_retention(records):
    output = _prune()

    assert "Deleted 2 sign-in records older than 30 days and 1 audit events" in output
    assert SignInAttempt.objects.count() == 1
    assert RateLimitHit.objects.count() == 1
    assert AuditEvent.objects.count() == 1


def test_it_deletes_nothing_on_a_dry_run(records):
    output = _prune("--dry-run")

    assert "Would delete 2 sign-in records" in output
    assert SignInAttempt.objects.count() == 2
    assert AuditEvent.objects.count() == 2
