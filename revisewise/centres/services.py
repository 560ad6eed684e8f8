"""Set and retire assignments, start a practice session for one, and seed demo history."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from revisewise.accounts.models import Cohort, User
from revisewise.audit.models import AuditAction
from revisewise.audit.services import audit_record
from revisewise.centres.models import Assignment
from revisewise.centres.selectors import assignment_items
from revisewise.content.models import Unit
from revisewise.practice.models import (
    LEARNER_VISIBLE_STATUSES,
    Attempt,
    Item,
    ItemType,
    PracticeSession,
    SessionScope,
)
from revisewise.practice.services import attempt_submit, practice_session_start
from revisewise.scheduling.models import Card
from revisewise.scheduling.services import exam_plan_set, learner_settings_update


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


# Demo history -----------------------------------------------------------------------------

DEMO_CENTRE_SLUG = "demo-training"
DEMO_TUTOR_EMAIL = "tutor@demo.revisewise.test"
HISTORY_DAYS = 42
SESSION_SIZE = 6


@dataclass(frozen=True)
class DemoProfile:
    """How one demo learner practised over the last six weeks."""

    email: str
    # Share of right answers on a question seen before (first sight is `- 0.2`).
    accuracy: float
    # Chance of a practice session on any one day, and the days ago the practice stopped.
    daily_chance: float
    stopped_days_ago: int = 1
    # Days from now to the exam (None: no exam date), and the questions a day they plan.
    exam_in_days: int | None = None
    daily_capacity: int | None = None


DEMO_PROFILES = (
    # On track: steady practice, exam in ten weeks.
    DemoProfile("learner1@demo.revisewise.test", 0.85, 0.6, exam_in_days=70),
    # Behind plan: practised a little, exam in twelve days, six questions a day.
    DemoProfile("learner2@demo.revisewise.test", 0.6, 0.2, exam_in_days=12, daily_capacity=6),
    # Stopped ten days ago after a good start.
    DemoProfile("learner3@demo.revisewise.test", 0.75, 0.5, stopped_days_ago=10),
    # Practises but struggles.
    DemoProfile("learner4@demo.revisewise.test", 0.45, 0.4),
    # The learner without a centre: light practice, so their progress page has something.
    DemoProfile("learner@demo.revisewise.test", 0.7, 0.25),
)


@dataclass(frozen=True)
class DemoHistory:
    learners: int
    attempts: int
    assignments: int


def centres_seed_demo_history(*, now: datetime) -> DemoHistory:
    """Give the demo learners six weeks of practice through the real services, once.

    Sessions start with `practice_session_start` and every answer goes through
    `attempt_submit`, so FSRS cards, review logs and mastery are real. Random but seeded, so
    every run builds the same history. A learner who has practised already is left alone, so
    running the seed again adds nothing. Written questions are left out (they need marking).
    """
    cohort = Cohort.objects.filter(
        centre__slug=DEMO_CENTRE_SLUG, qualification__isnull=False
    ).first()
    if cohort is None or cohort.qualification is None:
        return DemoHistory(0, 0, 0)
    items = list(
        Item.objects.filter(qualification=cohort.qualification, status__in=LEARNER_VISIBLE_STATUSES)
        .exclude(item_type=ItemType.WRITTEN)
        .select_related("unit")
    )
    if not items:
        return DemoHistory(0, 0, 0)
    learners = attempts = 0
    for profile in DEMO_PROFILES:
        learner = User.objects.filter(email=profile.email).first()
        if learner is None or PracticeSession.objects.filter(learner=learner).exists():
            continue
        attempts += _demo_practise(learner, profile, cohort, items, now)
        learners += 1
    assignments = _demo_assignments(cohort, items, now)
    return DemoHistory(learners=learners, attempts=attempts, assignments=assignments)


@transaction.atomic
def _demo_practise(
    learner: User, profile: DemoProfile, cohort: Cohort, items: list[Item], now: datetime
) -> int:
    rng = random.Random(profile.email)
    assert cohort.qualification is not None
    if profile.exam_in_days is not None:
        exam_plan_set(
            learner=learner,
            qualification=cohort.qualification,
            exam_date=(now + timedelta(days=profile.exam_in_days)).date(),
        )
    if profile.daily_capacity is not None:
        learner_settings_update(learner=learner, daily_capacity=profile.daily_capacity)
    answered = 0
    for days_ago in range(HISTORY_DAYS, profile.stopped_days_ago - 1, -1):
        if rng.random() > profile.daily_chance:
            continue
        start = now - timedelta(days=days_ago, hours=rng.uniform(0, 10))
        answered += _demo_session(learner, profile, items, start, rng)
    return answered


def _demo_session(
    learner: User,
    profile: DemoProfile,
    items: list[Item],
    start: datetime,
    rng: random.Random,
) -> int:
    seen = set(Card.objects.filter(learner=learner).values_list("item_id", flat=True))
    # A session on one unit, as learners choose on the practice page, so every unit gets some.
    unit = rng.choice(sorted({item.unit for item in items}, key=lambda unit: unit.pk))
    session = practice_session_start(
        learner=learner,
        scope=SessionScope.UNIT,
        unit=unit,
        only=items,
        limit=SESSION_SIZE,
        now=start,
    )
    by_uuid = {str(item.uuid): item for item in items}
    for position, key in enumerate(session.item_order):
        item = by_uuid[key]
        accuracy = profile.accuracy - (0 if item.pk in seen else 0.2)
        is_right = rng.random() < accuracy
        moment = start + timedelta(seconds=40 * (position + 1))
        attempt_submit(
            learner=learner,
            session=session,
            position=position,
            response=demo_response(item, is_right=is_right),
            client_token=f"demo-{session.uuid}-{position}",
            duration_ms=rng.randint(6_000, 40_000),
            now=moment,
        )
    return session.item_count


def demo_response(item: Item, *, is_right: bool) -> Any:
    """Return a right or a wrong response to `item`, in the shape `Item.grade` takes."""
    payload = item.payload
    kind = item.item_type
    if kind == ItemType.FLASHCARD:
        return "good" if is_right else "again"
    if kind == ItemType.TRUE_FALSE:
        return bool(payload["answer"]) is is_right
    if kind == ItemType.MCQ_SINGLE:
        wrong = [o["id"] for o in payload["options"] if o["id"] != payload["answer"]]
        return payload["answer"] if is_right or not wrong else wrong[0]
    if kind == ItemType.MCQ_MULTI:
        return list(payload["answers"]) if is_right else list(payload["answers"])[:1]
    if kind == ItemType.CLOZE:
        return payload["answer"] if is_right else "I am not sure"
    if kind == ItemType.ORDERING:
        steps = [step["id"] for step in payload["steps"]]
        return steps if is_right else steps[::-1]
    pairs = payload["pairs"]
    rights = [pair["right_id"] for pair in pairs]
    if not is_right:
        rights = rights[1:] + rights[:1]
    return {pair["left_id"]: right for pair, right in zip(pairs, rights, strict=True)}


@transaction.atomic
def _demo_assignments(cohort: Cohort, items: list[Item], now: datetime) -> int:
    """Set two assignments once (a unit and a few questions); one learner starts the unit."""
    tutor = User.objects.filter(email=DEMO_TUTOR_EMAIL).first()
    if tutor is None or Assignment.objects.filter(cohort=cohort).exists():
        return 0
    today = timezone.localdate(now)
    unit = items[0].unit
    unit_work = assignment_create(
        tutor=tutor,
        cohort=cohort,
        title=f"Revise {unit.title}",
        due_date=today + timedelta(days=7),
        today=today,
        unit=unit,
    )
    chosen = [item for item in items if item.unit_id != unit.pk][:6] or items[:6]
    assignment_create(
        tutor=tutor,
        cohort=cohort,
        title="Six questions before Friday's session",
        due_date=today + timedelta(days=3),
        today=today,
        items=chosen,
    )
    learner = User.objects.filter(email=DEMO_PROFILES[0].email).first()
    if learner is not None:
        rng = random.Random("assignment")
        session = assignment_session_start(learner=learner, assignment=unit_work, now=now)
        by_uuid = {str(item.uuid): item for item in items}
        # Written answers would go to the marking engine: the demo answers the others.
        answerable = [
            (p, by_uuid[key]) for p, key in enumerate(session.item_order) if key in by_uuid
        ]
        for position, item in answerable[:5]:
            attempt_submit(
                learner=learner,
                session=session,
                position=position,
                response=demo_response(item, is_right=rng.random() < 0.8),
                client_token=f"demo-{session.uuid}-{position}",
                duration_ms=rng.randint(6_000, 30_000),
                now=now,
            )
    return 2
