"""Record audit events. Call `audit_record` wherever learner data is viewed by someone else,
changed, exported or deleted."""

from __future__ import annotations

from typing import Any

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
