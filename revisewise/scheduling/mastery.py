"""Mastery per learning objective, unit and qualification, from FSRS retrievability now.

Pure Python, no ORM. An item's mastery is the probability that the learner would recall it right
now: FSRS-6 retrievability from its card's stability and the fractional days since its last
review; an item the learner has never seen counts as 0. A group's mastery (objective, unit,
qualification) is the mean over all its items, seen or not, so it can only be high when most of
the group has been practised and is still remembered.

Confidence says how much evidence lies behind the number: an item reviewed n times contributes
1 - 0.5 ** n (0 unseen, 0.5 after one review, 0.875 after three), and a group's confidence is the
mean over its items.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from revisewise.scheduling.memory import DEFAULT_PARAMETERS, elapsed_days, retrievability

EVIDENCE_HALF_LIFE_REVIEWS = 1.0


@dataclass(frozen=True)
class ItemMemory:
    """The memory evidence for one item: where it belongs and its card, if any."""

    item_key: Hashable
    unit_key: Hashable
    qualification_key: Hashable
    objective_key: Hashable | None = None
    stability: float | None = None
    last_review: datetime | None = None
    review_count: int = 0


@dataclass(frozen=True)
class Mastery:
    value: float
    confidence: float
    items: int
    seen_items: int
    reviews: int


@dataclass(frozen=True)
class MasteryReport:
    by_objective: dict[Hashable, Mastery]
    by_unit: dict[Hashable, Mastery]
    by_qualification: dict[Hashable, Mastery]


def item_mastery(
    memory: ItemMemory, *, now: datetime, decay: float = DEFAULT_PARAMETERS[20]
) -> float:
    """Return the probability of recalling the item now (0 if it was never reviewed)."""
    if memory.stability is None or memory.last_review is None:
        return 0.0
    days = elapsed_days(since=memory.last_review, now=now)
    return retrievability(stability=memory.stability, days=days, decay=decay)


def item_confidence(review_count: int) -> float:
    """Return how much evidence `review_count` reviews give: 1 - 0.5 ** reviews."""
    return 1.0 - 0.5 ** (review_count / EVIDENCE_HALF_LIFE_REVIEWS)


def mastery_aggregate(
    memories: Sequence[ItemMemory], *, now: datetime, decay: float = DEFAULT_PARAMETERS[20]
) -> Mastery:
    """Return the mastery of one group of items (unseen items count as 0)."""
    if not memories:
        return Mastery(value=0.0, confidence=0.0, items=0, seen_items=0, reviews=0)
    values = [item_mastery(memory, now=now, decay=decay) for memory in memories]
    return Mastery(
        value=sum(values) / len(values),
        confidence=sum(item_confidence(m.review_count) for m in memories) / len(memories),
        items=len(memories),
        seen_items=sum(1 for m in memories if m.review_count > 0),
        reviews=sum(m.review_count for m in memories),
    )


def mastery_report(
    memories: Iterable[ItemMemory], *, now: datetime, decay: float = DEFAULT_PARAMETERS[20]
) -> MasteryReport:
    """Return mastery per objective, unit and qualification for one learner's items."""
    by_objective: dict[Hashable, list[ItemMemory]] = defaultdict(list)
    by_unit: dict[Hashable, list[ItemMemory]] = defaultdict(list)
    by_qualification: dict[Hashable, list[ItemMemory]] = defaultdict(list)
    for memory in memories:
        if memory.objective_key is not None:
            by_objective[memory.objective_key].append(memory)
        by_unit[memory.unit_key].append(memory)
        by_qualification[memory.qualification_key].append(memory)
    return MasteryReport(
        by_objective=_aggregate_all(by_objective, now=now, decay=decay),
        by_unit=_aggregate_all(by_unit, now=now, decay=decay),
        by_qualification=_aggregate_all(by_qualification, now=now, decay=decay),
    )


def _aggregate_all(
    groups: dict[Hashable, list[ItemMemory]], *, now: datetime, decay: float
) -> dict[Hashable, Mastery]:
    return {key: mastery_aggregate(items, now=now, decay=decay) for key, items in groups.items()}


# A card read as plain values: (stability, last review, number of reviews).
CardValues = tuple[float | None, datetime | None, int]


@dataclass(frozen=True)
class MasteryLayout:
    """Which unit and objective each item belongs to, and each group's size, worked out once
    for a whole cohort (`mastery_layout`)."""

    qualification_key: Hashable
    groups_of: dict[Hashable, tuple[Hashable, Hashable | None]]
    unit_sizes: dict[Hashable, int]
    objective_sizes: dict[Hashable, int]


def mastery_layout(
    items: Sequence[tuple[Hashable, Hashable, Hashable | None]], *, qualification_key: Hashable
) -> MasteryLayout:
    """Return the layout of (item key, unit key, objective key or None) rows, groups in the
    order they first appear (as `mastery_report` orders them)."""
    groups_of: dict[Hashable, tuple[Hashable, Hashable | None]] = {}
    unit_sizes: dict[Hashable, int] = {}
    objective_sizes: dict[Hashable, int] = {}
    for item_key, unit_key, objective_key in items:
        groups_of[item_key] = (unit_key, objective_key)
        unit_sizes[unit_key] = unit_sizes.get(unit_key, 0) + 1
        if objective_key is not None:
            objective_sizes[objective_key] = objective_sizes.get(objective_key, 0) + 1
    return MasteryLayout(qualification_key, groups_of, unit_sizes, objective_sizes)


def mastery_report_from_cards(
    layout: MasteryLayout,
    cards: Iterable[tuple[Hashable, CardValues]],
    *,
    now: datetime,
    decay: float = DEFAULT_PARAMETERS[20],
) -> MasteryReport:
    """Return the same report as `mastery_report`, computing each card's recall once.

    `cards` are the learner's (item key, card values); items without a card are unseen and
    cards of items outside the layout are ignored. Made for dashboards over many learners: no
    `ItemMemory` objects, and only the learner's cards are visited.
    """
    factor = 0.9 ** (1 / -decay) - 1
    # Per (unit, objective) pair, summed into units and objectives at the end:
    # [recall sum, confidence sum, seen items, reviews].
    leaves: dict[tuple[Hashable, Hashable | None], list[float]] = {}
    groups_of = layout.groups_of
    for item_key, (stability, last_review, reviews) in cards:
        leaf = groups_of.get(item_key)
        if leaf is None:
            continue
        recall = 0.0
        if stability is not None and last_review is not None:
            days = elapsed_days(since=last_review, now=now)
            recall = (1 + factor * days / stability) ** -decay
        sums = leaves.get(leaf)
        if sums is None:
            sums = leaves[leaf] = [0.0, 0.0, 0.0, 0.0]
        sums[0] += recall
        sums[1] += item_confidence(reviews)
        sums[2] += reviews > 0
        sums[3] += reviews
    objectives: dict[Hashable, list[float]] = {}
    units: dict[Hashable, list[float]] = {}
    whole = [0.0, 0.0, 0.0, 0.0]
    for (unit_key, objective_key), sums in leaves.items():
        targets = [whole, units.setdefault(unit_key, [0.0, 0.0, 0.0, 0.0])]
        if objective_key is not None:
            targets.append(objectives.setdefault(objective_key, [0.0, 0.0, 0.0, 0.0]))
        for target in targets:
            for index in range(4):
                target[index] += sums[index]
    total = sum(layout.unit_sizes.values())
    return MasteryReport(
        by_objective={
            key: _from_sums(objectives.get(key), size)
            for key, size in layout.objective_sizes.items()
        },
        by_unit={key: _from_sums(units.get(key), size) for key, size in layout.unit_sizes.items()},
        by_qualification={layout.qualification_key: _from_sums(whole, total)} if total else {},
    )


_NOTHING = (0.0, 0.0, 0.0, 0.0)


def _from_sums(sums: Sequence[float] | None, count: int) -> Mastery:
    recall, confidence, seen, reviews = sums or _NOTHING
    return Mastery(
        value=recall / count,
        confidence=confidence / count,
        items=count,
        seen_items=int(seen),
        reviews=int(reviews),
    )
