"""Offline evaluation of the memory model: replay a review log in time order and score it.

Pure Python; the FSRS optimiser (torch) is imported lazily, only when parameters are fitted.
Metrics follow the FSRS benchmark: log loss, RMSE(bins) and AUC, each against a constant
baseline that always predicts the average recall of the training part.
"""

from __future__ import annotations

import csv
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from revisewise.scheduling.memory import (
    DEFAULT_PARAMETERS,
    Card,
    Rating,
    elapsed_days,
    scheduler_for,
)

PROBABILITY_FLOOR = 1e-6
RMSE_BINS = 20


@dataclass(frozen=True)
class LoggedReview:
    """One row of a review log: which card, how it was rated, when, and for how long."""

    card_id: int
    rating: int
    reviewed_at: datetime
    duration_ms: int | None = None

    @property
    def is_recalled(self) -> bool:
        return self.rating != Rating.Again


@dataclass(frozen=True)
class Prediction:
    """The recall probability predicted before a review, and what happened."""

    index: int
    probability: float
    recalled: int
    elapsed_days: float
    is_later_day: bool

    @property
    def is_scored(self) -> bool:
        """Score only reviews on a later (UTC) day than the card's last one, as the benchmark."""
        return self.is_later_day


@dataclass(frozen=True)
class Scores:
    log_loss: float
    rmse_bins: float
    auc: float
    count: int

    def as_dict(self) -> dict[str, float]:
        return {
            "log_loss": round(self.log_loss, 4),
            "rmse_bins": round(self.rmse_bins, 4),
            "auc": round(self.auc, 4),
            "count": self.count,
        }


@dataclass
class FoldResult:
    fold: int
    train_reviews: int
    test_predictions: int
    optimised: Scores | None
    default: Scores
    baseline: Scores
    parameters: list[float] = field(default_factory=list)
    seconds: float = 0.0


def load_review_log(path: Path | str) -> list[LoggedReview]:
    """Read a review log CSV (card_id, review_rating, review_time, review_duration), by time."""
    with Path(path).open(newline="", encoding="utf-8") as handle:
        rows = [
            LoggedReview(
                card_id=int(row["card_id"]),
                rating=int(row["review_rating"]),
                reviewed_at=datetime.fromisoformat(row["review_time"]),
                duration_ms=int(row["review_duration"]) if row.get("review_duration") else None,
            )
            for row in csv.DictReader(handle)
        ]
    if any(row.reviewed_at.tzinfo is None for row in rows):
        raise ValueError("Every review_time must carry a time zone.")
    if any(not 1 <= row.rating <= 4 for row in rows):
        raise ValueError("Every review_rating must be 1, 2, 3 or 4.")
    return sorted(rows, key=lambda row: row.reviewed_at)


def replay(
    reviews: Sequence[LoggedReview],
    *,
    parameters: Sequence[float] = DEFAULT_PARAMETERS,
) -> list[Prediction]:
    """Replay `reviews` in time order; predict recall before every review of a seen card.

    The prediction for a review uses only the memory state built from the earlier reviews.
    First reviews of a card have no memory state and are not predicted.
    """
    scheduler = scheduler_for(parameters=parameters)
    cards: dict[int, Card] = {}
    predictions: list[Prediction] = []
    for index, review in enumerate(reviews):
        card = cards.get(review.card_id)
        if card is None:
            card = Card(card_id=review.card_id, due=review.reviewed_at)
        elif card.last_review is not None:
            predictions.append(
                Prediction(
                    index=index,
                    probability=scheduler.get_card_retrievability(card, review.reviewed_at),
                    recalled=int(review.is_recalled),
                    elapsed_days=elapsed_days(since=card.last_review, now=review.reviewed_at),
                    is_later_day=review.reviewed_at.date() > card.last_review.date(),
                )
            )
        cards[review.card_id], _ = scheduler.review_card(
            card, Rating(review.rating), review.reviewed_at
        )
    return predictions


def log_loss(probabilities: Sequence[float], outcomes: Sequence[int]) -> float:
    """Return the mean binary cross-entropy of the predictions."""
    total = 0.0
    for p, y in zip(probabilities, outcomes, strict=True):
        p = min(max(p, PROBABILITY_FLOOR), 1 - PROBABILITY_FLOOR)
        total -= y * math.log(p) + (1 - y) * math.log(1 - p)
    return total / len(outcomes)


def rmse_bins(
    probabilities: Sequence[float], outcomes: Sequence[int], *, bins: int = RMSE_BINS
) -> float:
    """Return the calibration error: bin by predicted probability, then count-weighted RMSE.

    Within each of `bins` equal-width bins, compare the mean prediction with the observed
    recall rate; weight each bin's squared error by its number of reviews.
    """
    sums: dict[int, list[float]] = {}
    for p, y in zip(probabilities, outcomes, strict=True):
        key = min(int(p * bins), bins - 1)
        total = sums.setdefault(key, [0.0, 0.0, 0.0])
        total[0] += p
        total[1] += y
        total[2] += 1
    squared = sum(count * ((p_sum - y_sum) / count) ** 2 for p_sum, y_sum, count in sums.values())
    return math.sqrt(squared / len(outcomes))


def auc(probabilities: Sequence[float], outcomes: Sequence[int]) -> float:
    """Return the area under the ROC curve (Mann-Whitney, ties counted half)."""
    ranked = sorted(zip(probabilities, outcomes, strict=True), key=lambda pair: pair[0])
    positives = sum(outcomes)
    negatives = len(outcomes) - positives
    if positives == 0 or negatives == 0:
        return 0.5
    rank_sum = 0.0
    start = 0
    while start < len(ranked):
        end = start
        while end < len(ranked) and ranked[end][0] == ranked[start][0]:
            end += 1
        # Tied predictions share the average of their ranks (1-based).
        mean_rank = (start + 1 + end) / 2
        rank_sum += mean_rank * sum(y for _, y in ranked[start:end])
        start = end
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def score(probabilities: Sequence[float], outcomes: Sequence[int]) -> Scores:
    """Score predictions with log loss, RMSE(bins) and AUC."""
    return Scores(
        log_loss=log_loss(probabilities, outcomes),
        rmse_bins=rmse_bins(probabilities, outcomes),
        auc=auc(probabilities, outcomes),
        count=len(outcomes),
    )


def optimise_parameters(reviews: Sequence[LoggedReview]) -> list[float]:
    """Fit FSRS-6 parameters to `reviews` with the package's optimiser (needs torch).

    Returns the default parameters when there are too few reviews to fit.
    """
    import torch
    from fsrs import Optimizer, ReviewLog

    logs = [
        ReviewLog(
            card_id=review.card_id,
            rating=Rating(review.rating),
            review_datetime=review.reviewed_at,
            review_duration=review.duration_ms,
        )
        for review in reviews
    ]
    # The machine is shared: one thread is enough for the optimiser's scalar-sized tensors.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return [float(value) for value in Optimizer(logs).compute_optimal_parameters()]
    finally:
        torch.set_num_threads(threads)


def time_series_folds(count: int, *, folds: int) -> list[tuple[int, int, int]]:
    """Split `count` time-ordered reviews into `folds` (train_end, test_start, test_end) splits.

    The reviews are cut into folds + 1 equal blocks; fold k trains on blocks 0..k-1 and tests
    on block k, so training always precedes testing (as sklearn's TimeSeriesSplit).
    """
    if folds < 1 or count < folds + 1:
        raise ValueError("Need at least one fold and more reviews than folds.")
    block = count // (folds + 1)
    splits = []
    for k in range(1, folds + 1):
        test_end = count if k == folds else block * (k + 1)
        splits.append((block * k, block * k, test_end))
    return splits


def evaluate(
    reviews: Sequence[LoggedReview],
    *,
    folds: int = 5,
    optimise: bool = True,
    optimiser: Callable[[Sequence[LoggedReview]], list[float]] = optimise_parameters,
    progress: Callable[[str], None] | None = None,
) -> list[FoldResult]:
    """Evaluate default and (optionally) optimised FSRS-6 with a time-series split.

    Memory states are replayed from the very first review; only predictions for reviews in the
    test block are scored, and parameters are fitted on the training blocks alone. Same-day
    repeats (learning steps minutes apart) are replayed but not scored, as in the FSRS
    benchmark; the baseline predicts the recall rate of the scored training reviews.
    """
    default_predictions = replay(reviews)
    results = []
    for number, (train_end, test_start, test_end) in enumerate(
        time_series_folds(len(reviews), folds=folds), start=1
    ):
        started = time.monotonic()
        train = reviews[:train_end]
        train_scored = _in_range(default_predictions, 0, train_end)
        base_rate = sum(p.recalled for p in train_scored) / max(1, len(train_scored))
        test_default = _in_range(default_predictions, test_start, test_end)
        outcomes = [p.recalled for p in test_default]
        optimised_scores = None
        parameters: list[float] = []
        if optimise:
            parameters = optimiser(train)
            test_fitted = _in_range(replay(reviews, parameters=parameters), test_start, test_end)
            optimised_scores = score([p.probability for p in test_fitted], outcomes)
        results.append(
            FoldResult(
                fold=number,
                train_reviews=len(train),
                test_predictions=len(test_default),
                optimised=optimised_scores,
                default=score([p.probability for p in test_default], outcomes),
                baseline=score([base_rate] * len(outcomes), outcomes),
                parameters=parameters,
                seconds=time.monotonic() - started,
            )
        )
        if progress is not None:
            progress(f"fold {number}/{folds} done in {results[-1].seconds:.0f}s")
    return results


def summarise(results: Sequence[FoldResult]) -> dict[str, dict[str, float]]:
    """Average each model's scores over the folds, weighted by the number of test predictions."""
    summary: dict[str, dict[str, float]] = {}
    for name in ("optimised", "default", "baseline"):
        scored = [(r.test_predictions, getattr(r, name)) for r in results]
        scored = [(n, s) for n, s in scored if s is not None]
        if not scored:
            continue
        total = sum(n for n, _ in scored)
        summary[name] = {
            metric: round(sum(n * getattr(s, metric) for n, s in scored) / total, 4)
            for metric in ("log_loss", "rmse_bins", "auc")
        }
        summary[name]["count"] = total
    return summary


def _in_range(predictions: Sequence[Prediction], start: int, end: int) -> list[Prediction]:
    return [p for p in predictions if start <= p.index < end and p.is_scored]
