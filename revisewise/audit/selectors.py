"""Read the audit log: a person's own events for their data export, a centre's for its admins."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from revisewise.accounts.models import Membership, Role, User
from revisewise.audit.models import AuditEvent


def audit_events_export_for_user(*, user: User) -> list[dict[str, Any]]:
    """Return who viewed or changed this person's data, and what they did to others' data."""
    events = AuditEvent.objects.filter(Q(subject=user) | Q(actor=user)).select_related("centre")
    return [
        {
            "at": event.created_at.isoformat(),
            "who": event.actor_label,
            "action": event.get_action_display(),
            "about": event.subject_label,
            "centre": event.centre.name if event.centre else None,
        }
        for event in events.order_by("created_at", "pk")
    ]


def audit_events_list_for_user(
    *, user: User, learner_uuid: str | None = None
) -> QuerySet[AuditEvent]:
    """Return the events this person may read, newest first: their centres', or all for a
    site administrator; nothing for anyone else. Optionally only those about one learner."""
    events = AuditEvent.objects.select_related("centre", "actor", "subject")
    if not (user.is_active and user.is_superuser):
        centres = Membership.objects.filter(user=user, role=Role.CENTRE_ADMIN).values("centre")
        events = events.filter(centre__in=centres)
    if learner_uuid:
        events = events.filter(subject__uuid=learner_uuid)
    return events.order_by("-created_at", "-pk")


def audit_subjects_list_for_user(*, user: User) -> QuerySet[User]:
    """Return the people the readable events are about, for the learner filter."""
    events = audit_events_list_for_user(user=user)
    return User.objects.filter(pk__in=events.values("subject")).order_by("display_name", "email")


def audit_log_is_visible_to(*, user: User) -> bool:
    """Say whether this person administers a centre or the site, so may read an audit log."""
    if user.is_active and user.is_superuser:
        return True
    return Membership.objects.filter(user=user, role=Role.CENTRE_ADMIN).exists()
