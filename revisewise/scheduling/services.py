"""Scheduling rules: review a card, correct a review, rebuild a card from its current logs, fit
a learner's parameters."""

from __future__ import annotations

from datetime import UTC, date, datetime
from importlib.metadata import version

from django.db import transaction
from django.utils import timezone

from revisewise.accounts.models import User
from revisewise.content.models import Qualification
from revisewise.practice.models import Item
from revisewise.scheduling.evaluation import LoggedReview, optimise_parameters
from revisewise.scheduling.memory import Card as MemoryCard
from revisewise.scheduling.memory import (
    QuizResult,
    Rating,
    State,
    elapsed_days,
    rating_for_result,
    validate_desired_retention,
)
from revisewise.scheduling.models import (
    Card,
    ExamPlan,
    LearnerSchedulerParameters,
    LearnerSchedulingSettings,
    ReviewLog,
    ReviewSource,
)
from revisewise.scheduling.selectors import scheduler_get_for_learner

# Below this many reviews the defaults (fitted on millions of reviews) predict better than
# parameters fitted to one learner; the fsrs optimiser itself needs 512 non-same-day reviews.
OPTIMISATION_MIN_REVIEWS = 400
# After the first fit, fit again every this many reviews, in the background.
OPTIMISATION_EVERY = 200


@transaction.atomic
def card_review(
    *,
    learner: User,
    item: Item,
    rating: int,
    reviewed_at: datetime,
    duration_ms: int | None = None,
    source: str = ReviewSource.PRACTICE,
) -> ReviewLog:
    """Record one review of `item` by `learner` and move its card on.

    Creates the card on the first review. Appends a ReviewLog with the fractional days elapsed
    and the recall probability predicted just before the review, then updates the card's
    derived state. Refuses naive times and reviews older than the card's last one, so the card
    can always be rebuilt by replaying its logs in time order.
    """
    reviewed_at = _as_utc(reviewed_at)
    card, _ = Card.objects.select_for_update().get_or_create(
        learner=learner, item=item, defaults={"due": reviewed_at}
    )
    if card.last_review is not None and reviewed_at < card.last_review:
        raise ValueError("A review cannot be earlier than the card's last review.")
    scheduler = scheduler_get_for_learner(learner=learner)
    memory = _memory_card(card)
    log = ReviewLog.objects.create(
        card=card,
        rating=Rating(rating),
        reviewed_at=reviewed_at,
        duration_ms=duration_ms,
        elapsed_days=_elapsed(card, reviewed_at),
        retrievability_before=(
            scheduler.get_card_retrievability(memory, reviewed_at) if card.last_review else None
        ),
        source=source,
    )
    reviewed, _ = scheduler.review_card(memory, Rating(rating), reviewed_at)
    _apply(card, reviewed, is_lapse=memory.state == State.Review and rating == Rating.Again)
    card.save()
    _optimise_when_due(learner)
    return log


def _optimise_when_due(learner: User) -> None:
    """Queue a fit of the learner's parameters at 400 reviews, then every 200 more."""
    reviews = ReviewLog.objects.current().filter(card__learner=learner).count()
    if reviews >= OPTIMISATION_MIN_REVIEWS and reviews % OPTIMISATION_EVERY == 0:
        from revisewise.scheduling.tasks import scheduler_optimise_for_learner_task

        transaction.on_commit(
            lambda: scheduler_optimise_for_learner_task.enqueue(learner_id=learner.pk)
        )


def card_review_answer(
    *,
    learner: User,
    item: Item,
    is_correct: bool,
    reviewed_at: datetime,
    duration_ms: int | None = None,
    score_fraction: float | None = None,
    self_rating: int | None = None,
    source: str = ReviewSource.PRACTICE,
) -> ReviewLog:
    """Rate an answer (right or wrong, pace, partial marks or self-rating) and review its card."""
    result = QuizResult(
        item_type=item.item_type,
        is_correct=is_correct,
        duration_ms=duration_ms,
        score_fraction=score_fraction,
        self_rating=self_rating,
    )
    return card_review(
        learner=learner,
        item=item,
        rating=rating_for_result(result),
        reviewed_at=reviewed_at,
        duration_ms=duration_ms,
        source=source,
    )


@transaction.atomic
def review_log_supersede(*, log: ReviewLog, rating: int) -> ReviewLog:
    """Correct a review's rating: append a copy rated `rating` that supersedes `log`.

    The new log has the same card, time, duration, elapsed days, predicted recall and source;
    `log` stays, marked superseded by it (learning records are append-only), and the card is
    rebuilt from its current logs, so its stability, difficulty and due date follow. Locks the
    card. Raises ReviewLogSuperseded, storing nothing, when `log` is already superseded: only
    the current review can be corrected, and the database sets `superseded_by` once.
    """
    card = Card.objects.select_for_update().get(pk=log.card_id)
    replacement = ReviewLog.objects.create(
        card=card,
        rating=Rating(rating),
        reviewed_at=log.reviewed_at,
        duration_ms=log.duration_ms,
        elapsed_days=log.elapsed_days,
        retrievability_before=log.retrievability_before,
        source=log.source,
    )
    superseded = ReviewLog.objects.current().filter(pk=log.pk).update(superseded_by=replacement)
    if superseded != 1:
        raise ReviewLogSuperseded(f"Review log {log.pk} is already superseded.")
    card_rebuild(card=card)
    return replacement


class ReviewLogSuperseded(Exception):
    """The review log was corrected already: correct its replacement instead."""


@transaction.atomic
def card_rebuild(*, card: Card) -> Card:
    """Recompute the card's state by replaying its current (not superseded) review logs."""
    card = Card.objects.select_for_update().get(pk=card.pk)
    scheduler = scheduler_get_for_learner(learner=card.learner)
    card.state, card.step, card.stability, card.difficulty = State.Learning, 0, None, None
    card.last_review, card.review_count, card.lapse_count = None, 0, 0
    memory = _memory_card(card)
    for log in card.review_logs.current().order_by("reviewed_at", "pk"):
        before = memory.state
        memory, _ = scheduler.review_card(memory, Rating(log.rating), _as_utc(log.reviewed_at))
        _apply(card, memory, is_lapse=before == State.Review and log.rating == Rating.Again)
    if card.last_review is None:
        card.due = card.created_at
    card.save()
    return card


def learner_settings_update(
    *,
    learner: User,
    desired_retention: float | None = None,
    daily_capacity: int | None = None,
) -> LearnerSchedulingSettings:
    """Change the learner's desired retention (0.7-0.97) and/or daily capacity (at least 1)."""
    settings, _ = LearnerSchedulingSettings.objects.get_or_create(learner=learner)
    if desired_retention is not None:
        settings.desired_retention = validate_desired_retention(desired_retention)
    if daily_capacity is not None:
        if daily_capacity < 1:
            raise ValueError("The daily capacity must be at least one item.")
        settings.daily_capacity = daily_capacity
    settings.save()
    return settings


def exam_plan_set(*, learner: User, qualification: Qualification, exam_date: date) -> ExamPlan:
    """Set (or move) the learner's exam date for a qualification."""
    plan, _ = ExamPlan.objects.update_or_create(
        learner=learner, qualification=qualification, defaults={"exam_date": exam_date}
    )
    return plan


def scheduler_optimise_for_learner(
    *, learner: User, now: datetime | None = None, rebuild_cards: bool = True
) -> LearnerSchedulerParameters | None:
    """Fit FSRS-6 parameters to the learner's current reviews once there are enough of them.

    Returns None (and stores nothing) below OPTIMISATION_MIN_REVIEWS, and the newest stored row
    when there has been no review since it was fitted (so running twice fits once). Otherwise
    appends a LearnerSchedulerParameters row with the date and review count and, by default,
    rebuilds the learner's cards so their due dates follow the new parameters. Slow (seconds to
    a minute): run it from a command or a background task, never in a request.
    """
    logs = list(
        ReviewLog.objects.current()
        .filter(card__learner=learner)
        .order_by("reviewed_at", "pk")
        .values_list("card_id", "rating", "reviewed_at", "duration_ms")
    )
    if len(logs) < OPTIMISATION_MIN_REVIEWS:
        return None
    newest = LearnerSchedulerParameters.objects.filter(learner=learner).first()
    if newest is not None and newest.review_count == len(logs):
        return newest
    parameters = optimise_parameters(
        [LoggedReview(card_id, rating, _as_utc(at), ms) for card_id, rating, at, ms in logs]
    )
    row = LearnerSchedulerParameters.objects.create(
        learner=learner,
        parameters=parameters,
        review_count=len(logs),
        optimised_at=now or timezone.now(),
        fsrs_version=version("fsrs"),
    )
    if rebuild_cards:
        for card in Card.objects.filter(learner=learner):
            card_rebuild(card=card)
    return row


def _as_utc(moment: datetime) -> datetime:
    if timezone.is_naive(moment):
        raise ValueError("Review times must be timezone-aware.")
    return moment.astimezone(UTC)


def _elapsed(card: Card, reviewed_at: datetime) -> float | None:
    if card.last_review is None:
        return None
    return elapsed_days(since=card.last_review, now=reviewed_at)


def _memory_card(card: Card) -> MemoryCard:
    return MemoryCard(
        card_id=card.pk,
        state=State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=_as_utc(card.due),
        last_review=_as_utc(card.last_review) if card.last_review else None,
    )


def _apply(card: Card, memory: MemoryCard, *, is_lapse: bool) -> None:
    card.state = int(memory.state)
    card.step = memory.step
    card.stability = memory.stability
    card.difficulty = memory.difficulty
    card.due = memory.due
    card.last_review = memory.last_review
    card.review_count += 1
    card.lapse_count += int(is_lapse)


@transaction.atomic
def scheduling_data_erase(*, learner: User) -> None:
    """Delete the learner's review logs, cards, settings, fitted parameters and exam plans.

    Review logs refuse UPDATE (migrations 0002, 0003) but not DELETE: erasure removes rows
    whole, superseded ones too.
    """
    ReviewLog.objects.filter(card__learner=learner).delete()
    Card.objects.filter(learner=learner).delete()
    LearnerSchedulerParameters.objects.filter(learner=learner).delete()
    LearnerSchedulingSettings.objects.filter(learner=learner).delete()
    ExamPlan.objects.filter(learner=learner).delete()
