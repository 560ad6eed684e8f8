from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import factory

from revisewise.accounts.models import User
from revisewise.accounts.tests.factories import UserFactory
from revisewise.practice.models import Item
from revisewise.practice.tests.factories import ItemFactory
from revisewise.scheduling.evaluation import LoggedReview
from revisewise.scheduling.memory import retrievability
from revisewise.scheduling.models import Card

LOG_START = datetime(2026, 1, 5, 9, tzinfo=UTC)


def synthetic_review_log(*, cards: int, days: int, seed: int = 7) -> list[LoggedReview]:
    """Build a review log whose outcomes follow a forgetting curve, sorted by time.

    Each card has a hidden memory stability; reviews come at irregular intervals, are recalled
    with the curve's probability, and strengthen (or, when forgotten, weaken) the memory.
    """
    rng = random.Random(seed)
    reviews = []
    for card_id in range(1, cards + 1):
        at = LOG_START + timedelta(hours=rng.uniform(0, 24 * 5))
        stability = rng.uniform(0.5, 4.0)
        reviews.append(LoggedReview(card_id, 3, at, 5_000))
        while True:
            at += timedelta(days=stability * rng.uniform(0.3, 3.0))
            if at > LOG_START + timedelta(days=days):
                break
            elapsed = (at - reviews[-1].reviewed_at).total_seconds() / 86_400
            recalled = rng.random() < retrievability(stability=stability, days=elapsed)
            stability = stability * 2.5 if recalled else max(0.5, stability * 0.3)
            reviews.append(LoggedReview(card_id, 3 if recalled else 1, at, 5_000))
    return sorted(reviews, key=lambda review: review.reviewed_at)


# Everything a card derives from its reviews: two cards with equal values schedule alike.
CARD_STATE_FIELDS = (
    "state",
    "step",
    "stability",
    "difficulty",
    "due",
    "last_review",
    "review_count",
    "lapse_count",
)


def card_state(card: Card) -> dict[str, object]:
    """Return the card's derived state, to compare with another card or a rebuild."""
    return {name: getattr(card, name) for name in CARD_STATE_FIELDS}


class CardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Card

    learner = factory.SubFactory(UserFactory)
    item = factory.SubFactory(ItemFactory)
    due = LOG_START


def review_history(*, learner: User, items: list[Item], reviews_per_item: int) -> int:
    """Review each item `reviews_per_item` times through the service, days apart; return count."""
    from revisewise.scheduling.services import card_review

    count = 0
    for position, item in enumerate(items):
        at = LOG_START + timedelta(minutes=position)
        for review in range(reviews_per_item):
            rating = 1 if (position + review) % 4 == 0 else 3
            card_review(learner=learner, item=item, rating=rating, reviewed_at=at)
            at += timedelta(days=1 + review * 1.5)
            count += 1
    return count
