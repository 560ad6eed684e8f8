"""The exam-date plan: a day-by-day workload of new items and reviews up to the exam.

Pure Python, no ORM. The plan simulates FSRS-6 forward from the learner's current cards,
assuming every planned review is recalled (rated Good), so that:

- every new item is introduced before the exam, spread evenly over the introduction window (all
  days but the last quarter, at most 14 days, which are kept for consolidation);
- every review falls due at the learner's desired retention, so on exam day every card is at or
  above it (a card not due before the exam is, by definition of its due date, above it);
- overdue reviews (the backlog after missed days) are spread evenly over the next
  `BACKLOG_SPREAD_DAYS` days (or the days left, if fewer), most-forgotten first, rather than
  piling up on the first day back.

Recomputing the plan each day is what makes it adapt: it always starts from today's state.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from revisewise.scheduling.memory import (
    DEFAULT_DESIRED_RETENTION,
    DEFAULT_PARAMETERS,
    Card,
    FractionalScheduler,
    Rating,
    State,
    elapsed_days,
    retrievability,
)

BACKLOG_SPREAD_DAYS = 7
CONSOLIDATION_MAX_DAYS = 14


@dataclass(frozen=True)
class PlanCard:
    """One learner-item pair as the planner sees it; `stability` None means not yet learned."""

    key: int
    stability: float | None = None
    difficulty: float | None = None
    last_review: datetime | None = None
    due: datetime | None = None

    @property
    def is_new(self) -> bool:
        return self.stability is None or self.difficulty is None or self.last_review is None


@dataclass(frozen=True)
class PlanDay:
    day: date
    new_keys: tuple[int, ...]
    review_keys: tuple[int, ...]
    backlog_count: int

    @property
    def new_count(self) -> int:
        return len(self.new_keys)

    @property
    def review_count(self) -> int:
        return len(self.review_keys)

    @property
    def load(self) -> int:
        return self.new_count + self.review_count


@dataclass(frozen=True)
class StudyPlan:
    today: date
    exam_date: date
    daily_capacity: int
    days: tuple[PlanDay, ...]
    warnings: tuple[str, ...]
    # Predicted recall of each card at noon on exam day if the plan is followed.
    exam_day_recall: dict[int, float] = field(default_factory=dict)

    @property
    def is_feasible(self) -> bool:
        return not self.warnings

    @property
    def peak_load(self) -> int:
        return max((day.load for day in self.days), default=0)


def plan_build(
    *,
    cards: Sequence[PlanCard],
    today: date,
    exam_date: date,
    daily_capacity: int,
    desired_retention: float = DEFAULT_DESIRED_RETENTION,
    parameters: Sequence[float] = DEFAULT_PARAMETERS,
) -> StudyPlan:
    """Plan each day from `today` to the day before `exam_date`.

    Warns when the exam leaves no days to study, or when some day needs more items than
    `daily_capacity`.
    """
    days_left = (exam_date - today).days
    if days_left <= 0:
        warning = "The exam date has arrived or passed, so there are no study days left to plan."
        return StudyPlan(today, exam_date, daily_capacity, (), (warning,), {})
    scheduler = FractionalScheduler(
        parameters=tuple(parameters),
        desired_retention=desired_retention,
        learning_steps=(),
        relearning_steps=(),
        enable_fuzzing=False,
    )
    simulation = _Simulation(scheduler=scheduler, today=today, exam_date=exam_date)
    new_cards = [card for card in cards if card.is_new]
    simulation.schedule_learned([card for card in cards if not card.is_new])
    days = simulation.run(new_cards=new_cards)
    return StudyPlan(
        today,
        exam_date,
        daily_capacity,
        tuple(days),
        _warnings(days, daily_capacity),
        simulation.recall_on(exam_date),
    )


def _warnings(days: Sequence[PlanDay], daily_capacity: int) -> tuple[str, ...]:
    over = [day for day in days if day.load > daily_capacity]
    if not over:
        return ()
    peak = max(day.load for day in over)
    return (
        f"The time left cannot cover everything: {len(over)} of {len(days)} days need more "
        f"than your daily capacity of {daily_capacity} items (up to {peak}). Study more each "
        "day, move the exam date or lower your target retention.",
    )


def _at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


class _Simulation:
    def __init__(self, *, scheduler: FractionalScheduler, today: date, exam_date: date) -> None:
        self.scheduler = scheduler
        self.today = today
        self.exam_date = exam_date
        self.days_left = (exam_date - today).days
        self.cards: dict[int, Card] = {}
        self.due: dict[date, list[int]] = defaultdict(list)
        self.backlog: set[int] = set()

    def schedule_learned(self, learned: Sequence[PlanCard]) -> None:
        """Queue learned cards on their due days; spread the overdue ones, most-forgotten first."""
        overdue: list[tuple[float, int]] = []
        for plan_card in learned:
            assert plan_card.last_review is not None
            assert plan_card.stability is not None
            self.cards[plan_card.key] = Card(
                card_id=plan_card.key,
                state=State.Review,
                stability=plan_card.stability,
                difficulty=plan_card.difficulty,
                last_review=plan_card.last_review,
            )
            due_day = self._due_day(plan_card)
            if due_day < self.today:
                days = elapsed_days(since=plan_card.last_review, now=_at_noon(self.today))
                recall = retrievability(
                    stability=plan_card.stability,
                    days=days,
                    decay=self.scheduler.parameters[20],
                )
                overdue.append((recall, plan_card.key))
            elif due_day < self.exam_date:
                self.due[due_day].append(plan_card.key)
        overdue.sort()
        window = min(self.days_left, BACKLOG_SPREAD_DAYS)
        per_day = math.ceil(len(overdue) / window) if overdue else 0
        for position, (_, key) in enumerate(overdue):
            self.due[self.today + timedelta(days=position // per_day)].append(key)
            self.backlog.add(key)

    def _due_day(self, plan_card: PlanCard) -> date:
        """Return the card's due day, earlier if the plan's desired retention asks for it."""
        assert plan_card.last_review is not None
        assert plan_card.stability is not None
        decay = -self.scheduler.parameters[20]
        factor = 0.9 ** (1 / decay) - 1
        interval = (
            plan_card.stability / factor * (self.scheduler.desired_retention ** (1 / decay) - 1)
        )
        due = plan_card.last_review + timedelta(days=max(interval, 0.0))
        if plan_card.due is not None:
            due = min(due, plan_card.due)
        return due.date()

    def run(self, *, new_cards: Sequence[PlanCard]) -> list[PlanDay]:
        consolidation = min(self.days_left // 4, CONSOLIDATION_MAX_DAYS)
        intro_days = max(1, self.days_left - consolidation)
        waiting = [card.key for card in new_cards]
        plan = []
        for offset in range(self.days_left):
            day = self.today + timedelta(days=offset)
            reviews = self.due.pop(day, [])
            for key in reviews:
                self._review(key, day)
            quota = math.ceil(len(waiting) / max(1, intro_days - offset)) if waiting else 0
            introduced, waiting = waiting[:quota], waiting[quota:]
            for key in introduced:
                self.cards[key] = Card(card_id=key, state=State.Learning, step=0)
                self._review(key, day)
            plan.append(
                PlanDay(
                    day=day,
                    new_keys=tuple(introduced),
                    review_keys=tuple(reviews),
                    backlog_count=sum(1 for key in reviews if key in self.backlog),
                )
            )
            self.backlog.difference_update(reviews)
        return plan

    def recall_on(self, day: date) -> dict[int, float]:
        moment = _at_noon(day)
        return {
            key: self.scheduler.get_card_retrievability(card, moment)
            for key, card in self.cards.items()
        }

    def _review(self, key: int, day: date) -> None:
        card, _ = self.scheduler.review_card(self.cards[key], Rating.Good, _at_noon(day))
        self.cards[key] = card
        if card.due.date() < self.exam_date:
            self.due[card.due.date()].append(key)
