"""Reads for scheduling: due cards, a learner's scheduler, mastery and the exam-date plan.

Each selector reads one learner's own data; callers pass the signed-in learner, never an id
from the request.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncDate

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
    ReviewLog,
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


def review_counts_by_day(*, learner: User, start: date, end: date) -> list[tuple[date, int]]:
    """Return the learner's number of reviews on each UTC day from `start` to `end` inclusive.

    A corrected review counts once: superseded logs are left out.
    """
    counts = dict(
        ReviewLog.objects.current()
        .filter(
            card__learner=learner,
            reviewed_at__gte=_midnight(start),
            reviewed_at__lt=_midnight(end + timedelta(days=1)),
        )
        .annotate(day=TruncDate("reviewed_at", tzinfo=UTC))
        .values("day")
        .annotate(count=Count("pk"))
        .values_list("day", "count")
    )
    return _each_day(start, end, counts)


def due_forecast(*, learner: User, today: date, days: int = 14) -> list[tuple[date, int]]:
    """Return how many of the learner's cards fall due on each of the next `days` UTC days.

    Cards already overdue are counted on `today`.
    """
    end = today + timedelta(days=days - 1)
    counts: dict[date, int] = {}
    dues = Card.objects.filter(
        learner=learner,
        due__lt=_midnight(end + timedelta(days=1)),
        item__status__in=LEARNER_VISIBLE_STATUSES,
    ).values_list("due", flat=True)
    for due in dues:
        day = max(today, due.astimezone(UTC).date())
        counts[day] = counts.get(day, 0) + 1
    return _each_day(today, end, counts)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def _each_day(start: date, end: date, counts: dict[date, int]) -> list[tuple[date, int]]:
    length = (end - start).days + 1
    days = [start + timedelta(days=offset) for offset in range(length)]
    return [(day, counts.get(day, 0)) for day in days]


def scheduling_data_export_for_learner(*, learner: User) -> dict[str, Any]:
    """Return the learner's cards, every review, their settings, fitted parameters and plans.

    Every review includes superseded ones (a tutor's correction keeps the review it corrects):
    each has its `id`, and `superseded_by` is the id of the review that replaced it, or None.
    """
    cards = Card.objects.filter(learner=learner).select_related("item").order_by("pk")
    logs = ReviewLog.objects.filter(card__learner=learner).select_related("card__item")
    preferences = LearnerSchedulingSettings.objects.filter(learner=learner).first()
    parameters = LearnerSchedulerParameters.objects.filter(learner=learner)
    plans = ExamPlan.objects.filter(learner=learner).select_related("qualification")
    return {
        "cards": [
            {
                "item": str(card.item.uuid),
                "state": card.get_state_display(),
                "stability_days": card.stability,
                "difficulty": card.difficulty,
                "due": card.due.isoformat(),
                "last_review": card.last_review.isoformat() if card.last_review else None,
                "review_count": card.review_count,
                "lapse_count": card.lapse_count,
            }
            for card in cards
        ],
        "reviews": [
            {
                "id": log.pk,
                "item": str(log.card.item.uuid),
                "rating": log.get_rating_display(),
                "reviewed_at": log.reviewed_at.isoformat(),
                "duration_ms": log.duration_ms,
                "elapsed_days": log.elapsed_days,
                "predicted_recall": log.retrievability_before,
                "source": log.source,
                "superseded_by": log.superseded_by_id,
            }
            for log in logs.order_by("reviewed_at", "pk")
        ],
        "settings": (
            {
                "desired_retention": preferences.desired_retention,
                "daily_capacity": preferences.daily_capacity,
            }
            if preferences
            else None
        ),
        "fitted_parameters": [
            {
                "parameters": entry.parameters,
                "review_count": entry.review_count,
                "optimised_at": entry.optimised_at.isoformat(),
                "fsrs_version": entry.fsrs_version,
            }
            for entry in parameters.order_by("optimised_at", "pk")
        ],
        "exam_plans": [
            {"qualification": plan.qualification.title, "exam_date": plan.exam_date.isoformat()}
            for plan in plans
        ],
    }
