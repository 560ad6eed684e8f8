"""Reads for the progress pages: one learner's mastery, activity and exam plans.

Everything here is read-only over the scheduling logs and always for the signed-in learner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from revisewise.accounts.models import User
from revisewise.content.models import ContentItem, Qualification, Unit
from revisewise.practice.selectors import practice_units_list
from revisewise.scheduling.mastery import Mastery
from revisewise.scheduling.models import ExamPlan
from revisewise.scheduling.plan import StudyPlan
from revisewise.scheduling.selectors import mastery_get_for_learner, study_plan_get_for_learner

NO_MASTERY = Mastery(value=0.0, confidence=0.0, items=0, seen_items=0, reviews=0)
# Confidence (mean of 1 - 0.5 ** reviews per item) at or above which it is called medium, high.
MEDIUM_CONFIDENCE = 0.35
HIGH_CONFIDENCE = 0.7


def mastery_percent_text(value: float) -> str:
    """Return mastery as a whole percentage, saying "under 1%" rather than rounding to 0."""
    if 0 < value < 0.005:
        return str(_("under 1%"))
    return f"{round(value * 100)}%"


def confidence_words(mastery: Mastery) -> Promise:
    """Return how much evidence lies behind a mastery figure, in words."""
    if mastery.reviews == 0:
        return _("none yet")
    if mastery.confidence >= HIGH_CONFIDENCE:
        return _("high")
    if mastery.confidence >= MEDIUM_CONFIDENCE:
        return _("medium")
    return _("low")


@dataclass(frozen=True)
class Level:
    """A mastery figure as the page shows it."""

    mastery: Mastery

    @property
    def percent(self) -> str:
        return mastery_percent_text(self.mastery.value)

    @property
    def confidence(self) -> Promise:
        return confidence_words(self.mastery)


@dataclass(frozen=True)
class UnitMastery(Level):
    unit: Unit


@dataclass(frozen=True)
class ObjectiveMastery(Level):
    objective: ContentItem


@dataclass(frozen=True)
class QualificationProgress(Level):
    qualification: Qualification
    units: list[UnitMastery]
    objectives: list[ObjectiveMastery]

    @property
    def is_started(self) -> bool:
        return self.mastery.seen_items > 0


@dataclass(frozen=True)
class QualificationPlan:
    exam: ExamPlan
    plan: StudyPlan

    @property
    def exam_day_recall_percent(self) -> int | None:
        """Return the mean predicted recall on exam day if the plan is followed, in percent."""
        recall = self.plan.exam_day_recall
        return round(100 * sum(recall.values()) / len(recall)) if recall else None


def qualification_progress_list_for_learner(
    *, learner: User, now: datetime
) -> list[QualificationProgress]:
    """Return mastery per qualification, unit and objective for every practisable qualification.

    Qualifications come in title order, units in their order, objectives in unit order.
    """
    reports = [
        (
            group,
            mastery_get_for_learner(learner=learner, qualification=group.qualification, now=now),
        )
        for group in practice_units_list(learner=learner)
    ]
    objective_keys: set[int] = set()
    for _group, report in reports:
        objective_keys.update(key for key in report.by_objective if isinstance(key, int))
    objectives = list(
        ContentItem.objects.filter(pk__in=objective_keys)
        .select_related("unit")
        .order_by("unit__position", "position", "pk")
    )
    return [
        QualificationProgress(
            mastery=report.by_qualification.get(group.qualification.pk, NO_MASTERY),
            qualification=group.qualification,
            units=[
                UnitMastery(unit=unit, mastery=report.by_unit.get(unit.pk, NO_MASTERY))
                for unit in group.units
            ],
            objectives=[
                ObjectiveMastery(objective=objective, mastery=report.by_objective[objective.pk])
                for objective in objectives
                if objective.pk in report.by_objective
            ],
        )
        for group, report in reports
    ]


def exam_plans_list_for_learner(*, learner: User, today: date) -> list[QualificationPlan]:
    """Return the learner's exam dates, soonest first, each with today's day-by-day plan."""
    exams = ExamPlan.objects.filter(learner=learner).select_related("qualification")
    plans = []
    for exam in exams.order_by("exam_date", "pk"):
        plan = study_plan_get_for_learner(
            learner=learner, qualification=exam.qualification, today=today
        )
        if plan is not None:
            plans.append(QualificationPlan(exam=exam, plan=plan))
    return plans
