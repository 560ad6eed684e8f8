"""A synthetic cohort, built with bulk inserts, for the dashboard benchmark and its query test.

Nothing here goes through the services: the point is to get tens of thousands of cards into the
database in a second or two. The rows are valid (constraints hold) but their review logs are
not written, so a card cannot be rebuilt from them: never use this outside benchmarks and tests.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction

from revisewise.accounts.models import Centre, Cohort, Membership, Role, User
from revisewise.audit.models import AuditEvent
from revisewise.content.models import (
    AwardingBody,
    ContentItem,
    ItemKind,
    Qualification,
    Subject,
    Unit,
)
from revisewise.practice.models import Item, ItemStatus, ItemType
from revisewise.scheduling.models import (
    Card,
    CardState,
    ExamPlan,
    LearnerSchedulingSettings,
)

OBJECTIVES_PER_UNIT = 10


@dataclass(frozen=True)
class SyntheticCohort:
    cohort: Cohort
    tutor: User
    learner_ids: list[int]
    card_count: int


@transaction.atomic
def synthetic_cohort_build(
    *,
    learners: int,
    objectives: int,
    items_per_objective: int = 2,
    practised_share: float = 0.6,
    now: datetime,
    seed: int = 5,
) -> SyntheticCohort:
    """Create a centre, a qualification, a cohort of `learners` and their cards, in bulk.

    Each learner has practised about `practised_share` of the items (some not at all), half
    have an exam date, a few have set a small daily capacity.
    """
    rng = random.Random(seed)
    tag = secrets.token_hex(4)
    qualification = _qualification(tag, objectives, items_per_objective)
    centre = Centre.objects.create(name=f"Benchmark centre {tag}", slug=f"benchmark-{tag}")
    cohort = Cohort.objects.create(
        centre=centre, name="Benchmark cohort", qualification=qualification
    )
    tutor = User.objects.create(
        username=f"bench-tutor-{tag}", email=f"bench-tutor-{tag}@example.invalid", password="!"
    )
    Membership.objects.create(user=tutor, centre=centre, cohort=cohort, role=Role.TUTOR)
    people = User.objects.bulk_create(
        User(
            username=f"bench-{tag}-{n}",
            email=f"bench-{tag}-{n}@example.invalid",
            display_name=f"Learner {n:04d}",
            password="!",
        )
        for n in range(learners)
    )
    Membership.objects.bulk_create(
        Membership(user=person, centre=centre, cohort=cohort, role=Role.LEARNER)
        for person in people
    )
    items = list(Item.objects.filter(qualification=qualification).values_list("pk", flat=True))
    cards = [
        _card(rng, person, item, now)
        for person in people
        for item in items
        if rng.random() < practised_share * rng.choice((0.0, 0.5, 1.0, 1.5))
    ]
    Card.objects.bulk_create(cards, batch_size=2000)
    ExamPlan.objects.bulk_create(
        ExamPlan(
            learner=person,
            qualification=qualification,
            exam_date=(now + timedelta(days=rng.randint(3, 120))).date(),
        )
        for person in people[::2]
    )
    LearnerSchedulingSettings.objects.bulk_create(
        LearnerSchedulingSettings(learner=person, daily_capacity=rng.randint(3, 20))
        for person in people[::5]
    )
    return SyntheticCohort(
        cohort=cohort, tutor=tutor, learner_ids=[p.pk for p in people], card_count=len(cards)
    )


def _qualification(tag: str, objectives: int, items_per_objective: int) -> Qualification:
    subject, _ = Subject.objects.get_or_create(slug="benchmark", defaults={"name": "Benchmark"})
    body, _ = AwardingBody.objects.get_or_create(
        slug="benchmark", defaults={"name": "Benchmark awarding body"}
    )
    qualification = Qualification.objects.create(
        subject=subject, awarding_body=body, title=f"Benchmark {tag}", slug=f"benchmark-{tag}"
    )
    units = Unit.objects.bulk_create(
        Unit(
            qualification=qualification,
            title=f"Unit {n + 1}",
            slug=f"unit-{n + 1}",
            position=n,
        )
        for n in range(-(-objectives // OBJECTIVES_PER_UNIT))
    )
    goals = ContentItem.objects.bulk_create(
        ContentItem(
            qualification=qualification,
            unit=units[n // OBJECTIVES_PER_UNIT],
            kind=ItemKind.OBJECTIVE,
            position=n % OBJECTIVES_PER_UNIT,
            text=f"Learning objective {n + 1}: explain one part of the standard.",
            key=f"{tag}-objective-{n}",
        )
        for n in range(objectives)
    )
    Item.objects.bulk_create(
        Item(
            qualification=qualification,
            unit=units[n // OBJECTIVES_PER_UNIT],
            objective=goal,
            item_type=ItemType.TRUE_FALSE,
            stem=f"Statement {k + 1} about objective {goal.position + 1}.",
            payload={"answer": True},
            source_key=f"{tag}-{goal.pk}-{k}",
            status=ItemStatus.AUTO_APPROVED,
        )
        for n, goal in enumerate(goals)
        for k in range(items_per_objective)
    )
    return qualification


def _card(rng: random.Random, person: User, item_id: int, now: datetime) -> Card:
    stability = rng.uniform(0.5, 60.0)
    last_review = now - timedelta(days=rng.uniform(0, 40))
    reviews = rng.randint(1, 6)
    return Card(
        learner=person,
        item_id=item_id,
        state=CardState.REVIEW,
        stability=stability,
        difficulty=rng.uniform(1, 10),
        due=last_review + timedelta(days=stability),
        last_review=last_review,
        review_count=reviews,
        lapse_count=rng.randint(0, reviews - 1),
    )


@transaction.atomic
def synthetic_cohort_delete(synthetic: SyntheticCohort) -> None:
    """Remove everything `synthetic_cohort_build` created, and the benchmark's audit events."""
    qualification = synthetic.cohort.qualification
    AuditEvent.objects.filter(actor=synthetic.tutor).delete()
    Card.objects.filter(learner_id__in=synthetic.learner_ids).delete()
    User.objects.filter(pk__in=[*synthetic.learner_ids, synthetic.tutor.pk]).delete()
    synthetic.cohort.centre.delete()
    if qualification is not None:
        qualification.delete()
