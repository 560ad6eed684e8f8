"""Record audit events. Call `audit_record` wherever learner data is viewed by someone else,
changed, exported or deleted."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from typing import Any

from django.conf import settings

from revisewise.accounts.models import Centre, User
from revisewise.audit.models import AuditAction, AuditEvent


def audit_record(
    *,
    actor: User | None,
    action: AuditAction,
    subject: User | None = None,
    centre: Centre | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Labels are the people's emails at the time (pseudonymised on deletion)."""
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=actor.email if actor is not None else "system",
        action=action,
        subject=subject,
        subject_label=subject.email if subject is not None else "",
        centre=centre,
        detail=detail or {},
    )


def audit_pseudonym(*, user: User) -> str:
    """Return the label that replaces a deleted person's email in the log.

    A keyed hash of their uuid: the same for all their events, so an administrator can still see
    that several events were about one person, but not who they were.
    """
    digest = hmac.new(
        settings.SECRET_KEY.encode("utf-8"), str(user.uuid).encode("utf-8"), hashlib.sha256
    ).hexdigest()
    return f"deleted-person-{digest[:12]}"


def audit_events_pseudonymise(*, user: User) -> None:
    """Replace the person's email with their pseudonym in every event by or about them.

    The one exception to "never updated": events must outlive the person, their name must not.
    """
    label = audit_pseudonym(user=user)
    AuditEvent.objects.filter(actor=user).update(actor=None, actor_label=label)
    AuditEvent.objects.filter(subject=user).update(subject=None, subject_label=label)
    AuditEvent.objects.filter(actor_label__iexact=user.email).update(actor_label=label)
    AuditEvent.objects.filter(subject_label__iexact=user.email).update(subject_label=label)


def audit_events_prune(*, older_than: datetime) -> int:
    """Delete events older than the retention period (AUDIT_RETENTION_DAYS); return how many."""
    deleted, _ = AuditEvent.objects.filter(created_at__lt=older_than).delete()
    return deleted
