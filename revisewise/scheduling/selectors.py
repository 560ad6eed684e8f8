"""Reads for scheduling: due cards, a learner's scheduler, mastery and the exam-date plan.

Each selector reads one learner's own data; callers pass the signed-in learner, never an id
from the request.
"""

from __future__ import annotations

from datetime import date, datetime

from revisewise.accounts.models import User
from revisewise.content.models import Qualification
from revisewise.practice.models import LEARNER_VISIBLE_STATUSES, Item
from revisewise.scheduling.mastery import ItemMemory, MasteryReport, mastery_report
from revisewise.scheduling.memory import (
    DEFAULT_DESIRED_RETENTION,
    DEFAULT_PARAMETERS,
    FractionalScheduler,
    scheduler_for,
)
from revisewise.scheduling.models import (
    DEFAULT_DAILY_CAPACITY,
    Card,
    ExamPlan,
    LearnerSchedulerParameters,
    LearnerSchedulingSettings,
)
from revisewise.scheduling.plan import PlanCard, StudyPlan, plan_build


def cards_list_due(
    *,
    learner: User,
    now: datetime,
    qualification: Qualification | None = None,
    limit: int = 50,
) -> list[Card]:
    """Return the learner's cards due by `now` on items they may see, most overdue first."""
    cards = Card.objects.filter(
        learner=learner, due__lte=now, item__status__in=LEARNER_VISIBLE_STATUSES
    )
    if qualification is not None:
        cards = cards.filter(item__qualification=qualification)
    return list(cards.select_related("item", "item__unit").order_by("due", "pk")[:limit])


def scheduler_parameters_get_for_learner(*, learner: User) -> list[float]:
    """Return the learner's newest fitted FSRS-6 parameters, or the defaults."""
    newest = (
        LearnerSchedulerParameters.objects.filter(learner=learner)
        .order_by("-optimised_at", "-pk")
        .values_list("parameters", flat=True)
        .first()
    )
    return [float(value) for value in newest] if newest else list(DEFAULT_PARAMETERS)


def scheduling_settings_get_for_learner(*, learner: User) -> LearnerSchedulingSettings:
    """Return the learner's settings, unsaved defaults when they have never changed them."""
    settings = LearnerSchedulingSettings.objects.filter(learner=learner).first()
    return settings or LearnerSchedulingSettings(
        learner=learner,
        desired_retention=DEFAULT_DESIRED_RETENTION,
        daily_capacity=DEFAULT_DAILY_CAPACITY,
    )


def scheduler_get_for_learner(*, learner: User) -> FractionalScheduler:
    """Return the FSRS-6 scheduler with the learner's parameters and desired retention."""
    settings = scheduling_settings_get_for_learner(learner=learner)
    return scheduler_for(
        parameters=scheduler_parameters_get_for_learner(learner=learner),
        desired_retention=settings.desired_retention,
    )


def _items_with_cards(
    *, learner: User, qualification: Qualification
) -> tuple[list[Item], dict[int, Card]]:
    items = list(
        Item.objects.filter(qualification=qualification, status__in=LEARNER_VISIBLE_STATUSES)
        .only("pk", "unit_id", "qualification_id", "objective_id")
        .order_by("unit_id", "pk")
    )
    cards = {
        card.item_id: card
        for card in Card.objects.filter(learner=learner, item__qualification=qualification)
    }
    return items, cards


def mastery_get_for_learner(
    *, learner: User, qualification: Qualification, now: datetime
) -> MasteryReport:
    """Return mastery per objective, unit and qualification from the learner's cards now.

    Keys are ContentItem ids (objectives), Unit ids and the Qualification id.
    """
    items, cards = _items_with_cards(learner=learner, qualification=qualification)
    decay = scheduler_parameters_get_for_learner(learner=learner)[20]
    memories = []
    for item in items:
        card = cards.get(item.pk)
        memories.append(
            ItemMemory(
                item_key=item.pk,
                unit_key=item.unit_id,
                qualification_key=item.qualification_id,
                objective_key=item.objective_id,
                stability=card.stability if card else None,
                last_review=card.last_review if card else None,
                review_count=card.review_count if card else 0,
            )
        )
    return mastery_report(memories, now=now, decay=decay)


def study_plan_get_for_learner(
    *, learner: User, qualification: Qualification, today: date
) -> StudyPlan | None:
    """Return the day-by-day plan to the learner's exam, or None without an exam date."""
    exam = ExamPlan.objects.filter(learner=learner, qualification=qualification).first()
    if exam is None:
        return None
    items, cards = _items_with_cards(learner=learner, qualification=qualification)
    settings = scheduling_settings_get_for_learner(learner=learner)
    plan_cards = []
    for item in items:
        card = cards.get(item.pk)
        if card is None or card.last_review is None:
            plan_cards.append(PlanCard(key=item.pk))
        else:
            plan_cards.append(
                PlanCard(
                    key=item.pk,
                    stability=card.stability,
                    difficulty=card.difficulty,
                    last_review=card.last_review,
                    due=card.due,
                )
            )
    return plan_build(
        cards=plan_cards,
        today=today,
        exam_date=exam.exam_date,
        daily_capacity=settings.daily_capacity,
        desired_retention=settings.desired_retention,
        parameters=scheduler_parameters_get_for_learner(learner=learner),
    )
