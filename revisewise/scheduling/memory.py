"""The memory model: FSRS-6 from the `fsrs` package, with time measured in fractional days.

Pure Python, no ORM. `fsrs.Scheduler.get_card_retrievability` counts whole days
(`timedelta.days`), so a review 12 hours after the last one would be predicted as certain
recall. `FractionalScheduler` measures the elapsed time in fractional days instead, which also
feeds the recall-stability update of a review.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from fsrs import Card, Rating, Scheduler, State
from fsrs.scheduler import DEFAULT_PARAMETERS

SECONDS_PER_DAY = 86_400.0

DEFAULT_DESIRED_RETENTION = 0.9
MIN_DESIRED_RETENTION = 0.7
MAX_DESIRED_RETENTION = 0.97

# Time a learner who knows the answer typically takes, per practice.ItemType, in milliseconds.
TYPICAL_RESPONSE_MS: dict[str, int] = {
    "flashcard": 8_000,
    "true_false": 8_000,
    "mcq_single": 15_000,
    "mcq_multi": 25_000,
    "cloze": 15_000,
    "ordering": 40_000,
    "matching": 45_000,
    "written": 180_000,
}
DEFAULT_TYPICAL_RESPONSE_MS = 20_000
# "Fast" is well under the typical time; "slow" is well over it.
FAST_FRACTION = 0.5
SLOW_FACTOR = 2.0
# Written answers: at least this share of the marks counts as recalled (Hard when partial).
PASS_FRACTION = 0.5

__all__ = [
    "DEFAULT_DESIRED_RETENTION",
    "DEFAULT_PARAMETERS",
    "Card",
    "FractionalScheduler",
    "QuizResult",
    "Rating",
    "State",
    "elapsed_days",
    "rating_for_result",
    "retrievability",
    "scheduler_for",
    "validate_desired_retention",
]


@dataclass(frozen=True)
class QuizResult:
    """What happened when a learner answered an item once.

    `score_fraction` is the share of marks for items marked in parts (written answers);
    `self_rating` (1 Again .. 4 Easy) is the learner's own rating of a flashcard.
    """

    item_type: str
    is_correct: bool
    duration_ms: int | None = None
    score_fraction: float | None = None
    self_rating: int | None = None


def rating_for_result(result: QuizResult) -> Rating:
    """Map one answer to an FSRS rating.

    Flashcard self-ratings map directly. Otherwise wrong is Again; right is Good, Easy when well
    under the item type's typical time, Hard when well over it or only partly right.
    """
    if result.self_rating is not None:
        return Rating(result.self_rating)
    if result.score_fraction is not None:
        if result.score_fraction < PASS_FRACTION:
            return Rating.Again
        if result.score_fraction < 1.0:
            return Rating.Hard
    elif not result.is_correct:
        return Rating.Again
    return _rating_for_speed(item_type=result.item_type, duration_ms=result.duration_ms)


def _rating_for_speed(*, item_type: str, duration_ms: int | None) -> Rating:
    if duration_ms is None:
        return Rating.Good
    typical = TYPICAL_RESPONSE_MS.get(item_type, DEFAULT_TYPICAL_RESPONSE_MS)
    if duration_ms <= typical * FAST_FRACTION:
        return Rating.Easy
    if duration_ms >= typical * SLOW_FACTOR:
        return Rating.Hard
    return Rating.Good


def elapsed_days(*, since: datetime, now: datetime) -> float:
    """Return the time from `since` to `now` in fractional days (never negative)."""
    return max(0.0, (now - since).total_seconds() / SECONDS_PER_DAY)


def retrievability(
    *, stability: float, days: float, decay: float = DEFAULT_PARAMETERS[20]
) -> float:
    """Return FSRS-6's probability of recall after `days` for a memory of `stability` days.

    The forgetting curve is R(t) = (1 + factor * t / S) ** -decay, with factor chosen so that
    R(S) = 0.9.
    """
    factor = 0.9 ** (1 / -decay) - 1
    return float((1 + factor * days / stability) ** -decay)


def validate_desired_retention(value: float) -> float:
    """Return `value` if it is an allowed desired retention, else raise ValueError."""
    if not MIN_DESIRED_RETENTION <= value <= MAX_DESIRED_RETENTION:
        raise ValueError(
            f"Desired retention must be between {MIN_DESIRED_RETENTION} and "
            f"{MAX_DESIRED_RETENTION}, not {value}."
        )
    return value


class FractionalScheduler(Scheduler):
    """An FSRS-6 scheduler that measures elapsed time in fractional days."""

    def get_card_retrievability(
        self, card: Card, current_datetime: datetime | None = None
    ) -> float:
        if card.last_review is None or card.stability is None:
            return 0.0
        if current_datetime is None:
            raise ValueError("A review time is required.")
        days = elapsed_days(since=card.last_review, now=current_datetime)
        return retrievability(stability=card.stability, days=days, decay=self.parameters[20])


def scheduler_for(
    *,
    parameters: Sequence[float] | None = None,
    desired_retention: float = DEFAULT_DESIRED_RETENTION,
) -> FractionalScheduler:
    """Build the scheduler for one learner.

    Fuzzing is off so that a card's state is a pure function of its review logs and can be
    rebuilt exactly.
    """
    return FractionalScheduler(
        parameters=tuple(parameters) if parameters is not None else DEFAULT_PARAMETERS,
        desired_retention=validate_desired_retention(desired_retention),
        learning_steps=(timedelta(minutes=1), timedelta(minutes=10)),
        relearning_steps=(timedelta(minutes=10),),
        enable_fuzzing=False,
    )
