"""Reads for the progress pages: one learner's mastery, activity and exam plans.

Everything here is read-only over the scheduling logs and always for the signed-in learner.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from revisewise.accounts.models import User
from revisewise.content.models import ContentItem, Qualification, Unit
from revisewise.epa.models import MockTest, QuestionKind
from revisewise.epa.selectors import MockScore, mock_results_for, plan_get_for_qualification
from revisewise.practice.models import LEARNER_VISIBLE_STATUSES, Item
from revisewise.practice.selectors import practice_units_list
from revisewise.progress.readiness import (
    FOUR_OPTION_GUESS,
    MASTERY_ONLY,
    Boundaries,
    MockEvidence,
    ObjectiveEvidence,
    Readiness,
    readiness_predict,
)
from revisewise.scheduling.mastery import (
    CardValues,
    Mastery,
    MasteryReport,
    mastery_layout,
    mastery_report_from_cards,
)
from revisewise.scheduling.memory import DEFAULT_PARAMETERS
from revisewise.scheduling.models import Card, ExamPlan, LearnerSchedulerParameters
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
    readiness: Readiness | None = None

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
    labels = {objective.pk: objective.text or objective.name for objective in objectives}
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
            readiness=readiness_get_for_learner(
                learner=learner,
                qualification=group.qualification,
                now=now,
                objective_labels=labels,
                unit_labels={unit.pk: unit.title for unit in group.units},
            ),
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


# Readiness (docs/readiness.md): the evidence is gathered here, the maths is in readiness.py.


def readiness_boundaries_for(*, qualification: Qualification) -> Boundaries:
    """Return the knowledge test's marks for pass and distinction from the assessment plan.

    Without a plan, or a plan without a knowledge test with a pass boundary, readiness is
    about mastery only (`MASTERY_ONLY`). Three queries (the plan, its methods, boundaries).
    """
    plan = plan_get_for_qualification(qualification=qualification)
    test = plan.knowledge_test if plan is not None else None
    if plan is None or test is None:
        return MASTERY_ONLY
    bands = sorted(test.boundaries.all(), key=lambda b: b.min_marks)
    named = {b.grade.strip().lower(): b for b in bands}
    passing = named.get("pass") or (bands[1] if len(bands) > 1 else None)
    if passing is None:
        return MASTERY_ONLY
    distinction = named.get("distinction") or (bands[2] if len(bands) > 2 else None)
    source = " ".join(
        part for part in (plan.standard_code, plan.source_title, plan.source_version) if part
    )
    return Boundaries(
        has_knowledge_test=True,
        question_count=test.question_count or max(b.max_marks for b in bands),
        pass_marks=passing.min_marks,
        distinction_marks=distinction.min_marks if distinction else None,
        guess_rate=FOUR_OPTION_GUESS if test.question_kind == QuestionKind.MCQ_FOUR_OPTION else 0.0,
        source=source,
        pass_grade=passing.grade,
        distinction_grade=distinction.grade if distinction else "Distinction",
        fail_grade=bands[0].grade if bands[0] is not passing else "Fail",
    )


def readiness_from_report(
    *,
    report: MasteryReport,
    objective_labels: dict[int, str],
    unit_labels: dict[int, str],
    mocks: Sequence[MockScore],
    boundaries: Boundaries,
) -> Readiness:
    """Return readiness from a mastery report (by objective, else by unit) and mock scores."""
    groups, labels = report.by_objective, objective_labels
    if not groups:
        # Questions not linked to objectives: the units stand in for them.
        groups, labels = report.by_unit, unit_labels
    evidence = [
        ObjectiveEvidence(
            key=key,
            label=labels.get(key, "") if isinstance(key, int) else "",
            mastery=mastery.value,
            items=mastery.items,
            seen_items=mastery.seen_items,
            reviews=mastery.reviews,
        )
        for key, mastery in groups.items()
    ]
    readiness = readiness_predict(
        objectives=evidence,
        mocks=[MockEvidence(percent=m.percent, finished_at=m.finished_at) for m in mocks],
        boundaries=boundaries,
    )
    # Count every question, linked to an objective or not, as the mastery figures do.
    whole = next(iter(report.by_qualification.values()), None)
    if whole is None:
        return readiness
    return replace(readiness, questions=whole.items, practised_questions=whole.seen_items)


# Readiness reads mastery a week ahead: what survives, not the recall of a question answered a
# minute ago (FSRS puts that near 100% whatever the answer was).
READINESS_HORIZON = timedelta(days=7)


def readiness_get_for_learner(
    *,
    learner: User,
    qualification: Qualification,
    now: datetime,
    objective_labels: dict[int, str] | None = None,
    unit_labels: dict[int, str] | None = None,
) -> Readiness:
    """Return the signed-in learner's readiness for one qualification.

    Labels the caller already has are used as they are; missing ones cost a query each.
    """
    report = _reports_for([learner.pk], qualification, now + READINESS_HORIZON)[learner.pk]
    if objective_labels is None:
        objective_labels = _objective_labels(report.by_objective)
    if unit_labels is None:
        unit_labels = _unit_labels(qualification)
    return readiness_from_report(
        report=report,
        objective_labels=objective_labels,
        unit_labels=unit_labels,
        mocks=mock_results_for(learner=learner, qualification=qualification),
        boundaries=readiness_boundaries_for(qualification=qualification),
    )


def _objective_labels(keys: Iterable[Hashable]) -> dict[int, str]:
    ids = [key for key in keys if isinstance(key, int)]
    rows = ContentItem.objects.filter(pk__in=ids).values_list("pk", "name", "text")
    return {pk: text or name for pk, name, text in rows}


def _unit_labels(qualification: Qualification) -> dict[int, str]:
    return dict(Unit.objects.filter(qualification=qualification).values_list("pk", "title"))


def _reports_for(
    ids: list[int], qualification: Qualification, when: datetime
) -> dict[int, MasteryReport]:
    """Return each learner's mastery report at `when` (three queries for any number)."""
    items = list(
        Item.objects.filter(qualification=qualification, status__in=LEARNER_VISIBLE_STATUSES)
        .order_by("unit_id", "pk")
        .values_list("pk", "unit_id", "objective_id")
    )
    layout = mastery_layout(items, qualification_key=qualification.pk)
    cards: dict[int, list[tuple[Hashable, CardValues]]] = defaultdict(list)
    rows = Card.objects.filter(learner_id__in=ids, item__qualification=qualification).values_list(
        "learner_id", "item_id", "stability", "last_review", "review_count"
    )
    for learner_id, item_id, stability, last_review, review_count in rows:
        cards[learner_id].append((item_id, (stability, last_review, review_count)))
    decay = _decays(ids)
    return {
        learner_id: mastery_report_from_cards(
            layout,
            cards[learner_id],
            now=when,
            decay=decay.get(learner_id, DEFAULT_PARAMETERS[20]),
        )
        for learner_id in ids
    }


def readiness_for_learners(
    *, learner_ids: Sequence[int], qualification: Qualification, now: datetime | None = None
) -> dict[int, Readiness]:
    """Return readiness per learner id for a tutor's dashboard, in a fixed number of queries.

    The caller checks that the tutor may see these learners. Mock results are read in one query
    of finished mocks; a mock abandoned past its deadline counts once it has been finalised
    (which happens when its learner next opens their mocks or progress page).
    """
    now = now or timezone.now()
    ids = sorted(set(learner_ids))
    reports = _reports_for(ids, qualification, now + READINESS_HORIZON)
    mocks = _finished_mocks(ids, qualification)
    boundaries = readiness_boundaries_for(qualification=qualification)
    keys = {key for report in reports.values() for key in report.by_objective}
    objective_labels = _objective_labels(keys)
    unit_labels = _unit_labels(qualification)
    return {
        learner_id: readiness_from_report(
            report=reports[learner_id],
            objective_labels=objective_labels,
            unit_labels=unit_labels,
            mocks=mocks[learner_id],
            boundaries=boundaries,
        )
        for learner_id in ids
    }


def _decays(learner_ids: list[int]) -> dict[int, float]:
    """Return each learner's newest fitted FSRS decay (learners without one are left out)."""
    newest: dict[int, float] = {}
    rows = LearnerSchedulerParameters.objects.filter(learner_id__in=learner_ids).order_by(
        "learner_id", "-optimised_at", "-pk"
    )
    for learner_id, parameters in rows.values_list("learner_id", "parameters"):
        newest.setdefault(learner_id, float(parameters[20]))
    return newest


def _finished_mocks(
    learner_ids: list[int], qualification: Qualification
) -> dict[int, list[MockScore]]:
    by_learner: dict[int, list[MockScore]] = defaultdict(list)
    finished = MockTest.objects.filter(
        learner_id__in=learner_ids, qualification=qualification, finished_at__isnull=False
    ).order_by("finished_at", "pk")
    for mock in finished.only("learner_id", "item_order", "correct_count", "grade", "finished_at"):
        assert mock.finished_at is not None
        by_learner[mock.learner_id].append(
            MockScore(
                percent=mock.percent,
                grade=mock.grade,
                finished_at=mock.finished_at,
                per_objective={},
            )
        )
    return by_learner
