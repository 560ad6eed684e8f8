"""Assignments: who may see them, their questions, and each learner's derived completion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from revisewise.accounts.models import Cohort, Role, User
from revisewise.centres.models import Assignment
from revisewise.centres.selectors.heatmap import cohort_learners
from revisewise.practice.models import LEARNER_VISIBLE_STATUSES, Attempt, Item

# Assignments -------------------------------------------------------------------------------


def assignment_items(*, assignment: Assignment) -> QuerySet[Item]:
    """Return the learner-visible items an assignment asks for: its unit's or its chosen ones."""
    items = Item.objects.filter(status__in=LEARNER_VISIBLE_STATUSES)
    if assignment.unit_id is not None:
        return items.filter(unit_id=assignment.unit_id)
    return items.filter(assignments=assignment)


@dataclass(frozen=True)
class AssignmentProgress:
    assignment: Assignment
    total: int
    # Per learner id: how many of the assignment's items they answered since it was set.
    done: dict[int, int]

    def done_by(self, learner: User) -> int:
        return self.done.get(learner.pk, 0)

    def is_complete_for(self, learner: User) -> bool:
        return self.total > 0 and self.done_by(learner) >= self.total

    def completed_count(self) -> int:
        return sum(1 for count in self.done.values() if self.total and count >= self.total)

    def started_count(self) -> int:
        """Return how many learners have answered some, but not all, of its questions."""
        return sum(1 for count in self.done.values() if 0 < count < self.total)


def assignment_progress(*, assignment: Assignment, learners: QuerySet[User]) -> AssignmentProgress:
    """Count, per learner, the assignment's items answered since it was set (two queries)."""
    items = assignment_items(assignment=assignment)
    done = dict(
        Attempt.objects.filter(
            learner_id__in=learners.values("pk"),
            item__in=items,
            created_at__gte=assignment.created_at,
        )
        .values("learner_id")
        .annotate(count=Count("item_id", distinct=True))
        .values_list("learner_id", "count")
    )
    return AssignmentProgress(assignment=assignment, total=items.count(), done=done)


def assignment_list_for_cohort(*, cohort: Cohort) -> list[AssignmentProgress]:
    """Return the cohort's open assignments, soonest due first, with everyone's progress."""
    learners = cohort_learners(cohort=cohort)
    assignments = (
        Assignment.objects.filter(cohort=cohort, retired_at__isnull=True)
        .select_related("unit", "set_by")
        .order_by("due_date", "pk")
    )
    return [assignment_progress(assignment=a, learners=learners) for a in assignments]


def assignment_get_for_tutor(*, user: User, assignment_uuid: str) -> Assignment:
    """Return an assignment of a cohort this person tutors or administers, or raise Http404."""
    assignment = (
        Assignment.objects.filter(
            Q(cohort__memberships__user=user, cohort__memberships__role=Role.TUTOR)
            | Q(
                cohort__centre__memberships__user=user,
                cohort__centre__memberships__role=Role.CENTRE_ADMIN,
            ),
            uuid=assignment_uuid,
        )
        .select_related("cohort__centre", "unit")
        .first()
    )
    if assignment is None:
        raise Http404("No such assignment.")
    return assignment


def assignment_get_for_learner(*, learner: User, assignment_uuid: str) -> Assignment:
    """Return an open assignment of one of the learner's cohorts, or raise Http404."""
    assignment = (
        Assignment.objects.filter(
            uuid=assignment_uuid,
            retired_at__isnull=True,
            cohort__memberships__user=learner,
            cohort__memberships__role=Role.LEARNER,
        )
        .select_related("cohort", "unit__qualification")
        .first()
    )
    if assignment is None:
        raise Http404("No such assignment.")
    return assignment


@dataclass(frozen=True)
class LearnerAssignment:
    assignment: Assignment
    total: int
    done: int
    is_overdue: bool

    @property
    def is_complete(self) -> bool:
        return self.total > 0 and self.done >= self.total

    @property
    def percent(self) -> int:
        return round(100 * min(self.done, self.total) / self.total) if self.total else 0


def assignment_list_for_learner(
    *, learner: User, today: date | None = None
) -> list[LearnerAssignment]:
    """Return the learner's open assignments: unfinished first, each by due date.

    Finished assignments stay listed until their due date has passed.
    """
    today = today or timezone.localdate()
    assignments = (
        Assignment.objects.filter(
            retired_at__isnull=True,
            cohort__memberships__user=learner,
            cohort__memberships__role=Role.LEARNER,
        )
        .select_related("unit", "cohort")
        .distinct()
        .order_by("due_date", "pk")
    )
    learners = User.objects.filter(pk=learner.pk)
    listed = []
    for assignment in assignments:
        progress = assignment_progress(assignment=assignment, learners=learners)
        entry = LearnerAssignment(
            assignment=assignment,
            total=progress.total,
            done=min(progress.done_by(learner), progress.total),
            is_overdue=assignment.due_date < today,
        )
        if not (entry.is_complete and entry.is_overdue):
            listed.append(entry)
    return sorted(listed, key=lambda entry: entry.is_complete)


def assignments_set_export(*, tutor: User) -> list[dict[str, Any]]:
    """Return the assignments this person set, for their data export."""
    return [
        {
            "title": assignment.title,
            "cohort": assignment.cohort.name,
            "due_date": assignment.due_date.isoformat(),
            "set_at": assignment.created_at.isoformat(),
            "retired_at": assignment.retired_at.isoformat() if assignment.retired_at else None,
        }
        for assignment in Assignment.objects.filter(set_by=tutor).select_related("cohort")
    ]
