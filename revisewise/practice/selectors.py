"""Read practice items, sessions and attempts for the people allowed to see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import Count, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from revisewise.accounts.models import User
from revisewise.content.models import Qualification, Unit
from revisewise.practice.models import (
    LEARNER_VISIBLE_STATUSES,
    Attempt,
    Item,
    PracticeSession,
)
from revisewise.scheduling.models import Card


def items_list_for_learner(
    *, learner: User, unit: Unit | None = None, qualification: Qualification | None = None
) -> QuerySet[Item]:
    """Return the items a learner may practise: approved, or auto-approved because valid.

    Content is published to every learner, so the only filter is the item's review status.
    """
    items = Item.objects.filter(status__in=LEARNER_VISIBLE_STATUSES).select_related(
        "unit", "qualification", "source_item", "objective"
    )
    if unit is not None:
        items = items.filter(unit=unit)
    if qualification is not None:
        items = items.filter(qualification=qualification)
    return items.order_by("unit__position", "pk")


def practice_session_get_for_learner(*, learner: User, session_uuid: UUID) -> PracticeSession:
    """Return the learner's own session, or raise 404 (for anyone else's too)."""
    return get_object_or_404(
        PracticeSession.objects.select_related("unit", "qualification"),
        uuid=session_uuid,
        learner=learner,
    )


def practice_session_items(*, session: PracticeSession) -> list[Item]:
    """Return the session's items in the order they are asked, with their units."""
    by_uuid = {
        str(item.uuid): item
        for item in Item.objects.filter(uuid__in=session.item_order).select_related(
            "unit__qualification", "source_item"
        )
    }
    return [by_uuid[key] for key in session.item_order]


def practice_session_item(*, session: PracticeSession, position: int) -> Item:
    """Return the item at `position` of the session, or raise 404."""
    if not 0 <= position < session.item_count:
        raise Http404("No such question in this session.")
    return get_object_or_404(
        Item.objects.select_related("unit__qualification", "source_item"),
        uuid=session.item_order[position],
    )


def attempts_by_position(*, session: PracticeSession) -> dict[int, Attempt]:
    """Return the session's attempts keyed by position."""
    return {attempt.position: attempt for attempt in session.attempts.all()}


def attempt_get_for_position(*, session: PracticeSession, position: int) -> Attempt | None:
    """Return the attempt at `position`, if the learner has answered it."""
    return session.attempts.select_related("item").filter(position=position).first()


def next_unanswered_position(*, session: PracticeSession) -> int | None:
    """Return the first position without an attempt, or None when all are answered."""
    answered = set(session.attempts.values_list("position", flat=True))
    return next((p for p in range(session.item_count) if p not in answered), None)


@dataclass(frozen=True)
class PractiseGroup:
    """A qualification and those of its units that have items to practise."""

    qualification: Qualification
    units: list[Unit]


def practice_units_list(*, learner: User) -> list[PractiseGroup]:
    """Return, per qualification, the units with items the learner may practise."""
    units = (
        Unit.objects.filter(practice_items__status__in=LEARNER_VISIBLE_STATUSES)
        .annotate(item_count=Count("practice_items"))
        .select_related("qualification")
        .order_by("qualification__title", "position", "pk")
    )
    groups: dict[int, PractiseGroup] = {}
    for unit in units:
        group = groups.setdefault(unit.qualification_id, PractiseGroup(unit.qualification, []))
        group.units.append(unit)
    return list(groups.values())


def due_count_for_learner(*, learner: User, now: datetime) -> int:
    """Return how many of the learner's cards are due now."""
    return Card.objects.filter(
        learner=learner, due__lte=now, item__status__in=LEARNER_VISIBLE_STATUSES
    ).count()


def practice_data_export_for_learner(*, learner: User) -> dict[str, Any]:
    """Return the learner's practice sessions and every answer they gave, for their data export."""
    sessions = PracticeSession.objects.filter(learner=learner).select_related(
        "unit", "qualification"
    )
    attempts = Attempt.objects.filter(learner=learner).select_related("session", "item")
    return {
        "sessions": [
            {
                "uuid": str(session.uuid),
                "scope": session.scope,
                "unit": session.unit.title if session.unit else None,
                "qualification": session.qualification.title if session.qualification else None,
                "started_at": session.started_at.isoformat(),
                "finished_at": session.finished_at.isoformat() if session.finished_at else None,
                "item_count": session.item_count,
            }
            for session in sessions.order_by("started_at", "pk")
        ],
        "attempts": [
            {
                "uuid": str(attempt.uuid),
                "session": str(attempt.session.uuid),
                "item": str(attempt.item.uuid),
                "question": attempt.item.stem,
                "position": attempt.position,
                "response": attempt.response,
                "is_correct": attempt.is_correct,
                "score": attempt.score,
                "answered_at": attempt.created_at.isoformat(),
                "duration_ms": attempt.duration_ms,
            }
            for attempt in attempts.order_by("created_at", "pk")
        ],
    }
