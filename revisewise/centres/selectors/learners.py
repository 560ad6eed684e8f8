"""What a tutor sees of one learner: mastery, exam plan, recent answers, assignments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from revisewise.accounts.models import Centre, Cohort, Role, User
from revisewise.centres.selectors.assignments import LearnerAssignment, assignment_list_for_learner
from revisewise.practice.models import Attempt
from revisewise.progress.selectors import (
    QualificationPlan,
    QualificationProgress,
    exam_plans_list_for_learner,
    qualification_progress_list_for_learner,
)

# One learner -------------------------------------------------------------------------------


def cohorts_shared_with_tutor(*, tutor: User, learner: User) -> list[Cohort]:
    """Return the learner's cohorts this person tutors or administers."""
    return list(
        Cohort.objects.filter(memberships__user=learner, memberships__role=Role.LEARNER)
        .filter(
            Q(memberships__user=tutor, memberships__role=Role.TUTOR)
            | Q(centre__memberships__user=tutor, centre__memberships__role=Role.CENTRE_ADMIN)
        )
        .select_related("centre", "qualification")
        .distinct()
        .order_by("name")
    )


@dataclass(frozen=True)
class LearnerProgress:
    """What a tutor sees of one learner: only within the cohorts they share."""

    learner: User
    cohorts: list[Cohort]
    progress: list[QualificationProgress]
    plans: list[QualificationPlan]
    attempts: list[Attempt]
    assignments: list[LearnerAssignment]

    @property
    def centre(self) -> Centre | None:
        return self.cohorts[0].centre if self.cohorts else None


def learner_progress_for_tutor(*, tutor: User, learner: User, now: datetime) -> LearnerProgress:
    """Return a learner's mastery, plans, recent answers and assignments for their tutor.

    The caller got `learner` from `learner_get_for_tutor`; only the qualifications of the
    cohorts the two share are shown.
    """
    cohorts = cohorts_shared_with_tutor(tutor=tutor, learner=learner)
    qualification_ids = [c.qualification_id for c in cohorts if c.qualification_id is not None]
    progress = [
        entry
        for entry in qualification_progress_list_for_learner(learner=learner, now=now)
        if entry.qualification.pk in qualification_ids
    ]
    plans = [
        plan
        for plan in exam_plans_list_for_learner(learner=learner, today=now.date())
        if plan.exam.qualification_id in qualification_ids
    ]
    assignments = [
        entry
        for entry in assignment_list_for_learner(learner=learner, today=now.date())
        if entry.assignment.cohort in cohorts
    ]
    return LearnerProgress(
        learner=learner,
        cohorts=cohorts,
        progress=progress,
        plans=plans,
        attempts=recent_attempts_for_tutor(learner=learner, qualification_ids=qualification_ids),
        assignments=assignments,
    )


def recent_attempts_for_tutor(
    *, learner: User, qualification_ids: list[int], limit: int = 30
) -> list[Attempt]:
    """Return the learner's latest answers in these qualifications, with written answers."""
    return list(
        Attempt.objects.filter(learner=learner, item__qualification_id__in=qualification_ids)
        .select_related("item", "item__unit", "written_answer")
        .order_by("-session__started_at", "-position", "-pk")[:limit]
    )
