"""Set and retire assignments, start a practice session for one, and seed demo history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from revisewise.accounts.models import Cohort, User
from revisewise.audit.models import AuditAction
from revisewise.audit.services import audit_record
from revisewise.centres.models import Assignment
from revisewise.centres.selectors import assignment_items
from revisewise.content.models import Unit
from revisewise.practice.models import Attempt, Item, PracticeSession, SessionScope
from revisewise.practice.services import practice_session_start


def _assignment_errors(
    *,
    cohort: Cohort,
    title: str,
    due_date: date,
    unit: Unit | None,
    items: Sequence[Item],
    today: date,
) -> dict[str, str]:
    errors = {}
    if not title:
        errors["title"] = "Give the assignment a title."
    if due_date < today:
        errors["due_date"] = "Choose a due date from today onwards."
    if cohort.qualification_id is None:
        errors["unit"] = "This cohort studies no qualification yet, so there is nothing to assign."
    elif unit is None and not items:
        errors["unit"] = "Choose a unit, or choose at least one question."
    elif unit is not None and items:
        errors["items"] = "Choose a unit or some questions, not both."
    elif unit is not None and unit.qualification_id != cohort.qualification_id:
        errors["unit"] = "Choose a unit of the cohort's qualification."
    elif any(
        item.qualification_id != cohort.qualification_id or not item.is_visible_to_learners
        for item in items
    ):
        errors["items"] = "Choose questions learners of this cohort can practise."
    return errors


@transaction.atomic
def assignment_create(
    *,
    tutor: User,
    cohort: Cohort,
    title: str,
    due_date: date,
    today: date,
    unit: Unit | None = None,
    items: Sequence[Item] = (),
) -> Assignment:
    """Ask the cohort to practise a unit or some questions by `due_date`, and audit it.

    The caller has checked that `tutor` tutors or administers the cohort. Raises
    ValidationError (keyed by field) for an empty title, a past date, neither or both of unit
    and items, or content outside the cohort's qualification.
    """
    title = title.strip()
    errors = _assignment_errors(
        cohort=cohort, title=title, due_date=due_date, unit=unit, items=items, today=today
    )
    if errors:
        raise ValidationError(errors)
    assignment = Assignment.objects.create(
        cohort=cohort, set_by=tutor, title=title, unit=unit, due_date=due_date
    )
    if items:
        assignment.items.set(items)
    audit_record(
        actor=tutor,
        action=AuditAction.ASSIGNMENT_SET,
        centre=cohort.centre,
        detail={"cohort": str(cohort.uuid), "assignment": str(assignment.uuid), "title": title},
    )
    return assignment


@transaction.atomic
def assignment_retire(*, tutor: User, assignment: Assignment, now: datetime) -> Assignment:
    """Withdraw an assignment from learners; it stays in the database, marked retired."""
    if assignment.retired_at is None:
        assignment.retired_at = now
        assignment.save(update_fields=["retired_at", "updated_at"])
        audit_record(
            actor=tutor,
            action=AuditAction.ASSIGNMENT_SET,
            centre=assignment.cohort.centre,
            detail={
                "cohort": str(assignment.cohort.uuid),
                "assignment": str(assignment.uuid),
                "retired": True,
            },
        )
    return assignment


def assignment_session_start(
    *, learner: User, assignment: Assignment, now: datetime, limit: int = 20
) -> PracticeSession:
    """Start a practice session on the assignment's questions, those not yet answered first.

    Once every question has been answered since the assignment was set, the session revises
    all of them again. Raises ValueError when there is nothing to practise.
    """
    items = list(assignment_items(assignment=assignment))
    answered = set(
        Attempt.objects.filter(
            learner=learner, item__in=items, created_at__gte=assignment.created_at
        ).values_list("item_id", flat=True)
    )
    remaining = [item for item in items if item.pk not in answered] or items
    if assignment.unit is not None:
        return practice_session_start(
            learner=learner,
            scope=SessionScope.UNIT,
            unit=assignment.unit,
            only=remaining,
            limit=limit,
            now=now,
        )
    return practice_session_start(
        learner=learner,
        scope=SessionScope.QUALIFICATION,
        qualification=assignment.cohort.qualification,
        only=remaining,
        limit=limit,
        now=now,
    )


def assignments_set_erase(*, tutor: User) -> None:
    """Remove a deleted tutor's name from the assignments they set; the cohort keeps them."""
    Assignment.objects.filter(set_by=tutor).update(set_by=None)
