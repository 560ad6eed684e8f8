from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

from revisewise.scheduling.evaluation import (
    LoggedReview,
    auc,
    evaluate,
    log_loss,
    replay,
    rmse_bins,
    summarise,
    time_series_folds,
)
from revisewise.scheduling.tests.factories import synthetic_review_log

START = datetime(2026, 1, 5, 9, tzinfo=UTC)


def test_it_gives_a_perfect_predictor_an_auc_of_one():
    assert auc([0.9, 0.8, 0.3, 0.1], [1, 1, 0, 0]) == 1.0


def test_it_gives_a_reversed_predictor_an_auc_of_zero():
    assert auc([0.1, 0.2, 0.8, 0.9], [1, 1, 0, 0]) == 0.0


def test_it_gives_a_constant_predictor_an_auc_of_one_half():
    assert auc([0.7] * 6, [1, 0, 1, 1, 0, 1]) == 0.5


def test_it_counts_tied_predictions_as_half():
    assert auc([0.5, 0.5, 0.9], [1, 0, 1]) == pytest.approx(0.75)


def test_it_computes_log_loss_as_mean_cross_entropy():
    expected = -(math.log(0.8) + math.log(0.6)) / 2
    assert log_loss([0.8, 0.4], [1, 0]) == pytest.approx(expected)


def test_it_gives_a_calibrated_predictor_no_binned_error():
    assert rmse_bins([0.75] * 4, [1, 1, 1, 0]) == pytest.approx(0.0)


def test_it_weights_bins_by_their_counts():
    # One bin of 3 predicting 0.9 with recall 1/3; one bin of 1 predicting 0.1 with recall 0.
    value = rmse_bins([0.9, 0.9, 0.9, 0.1], [1, 0, 0, 0])
    expected = math.sqrt((3 * (0.9 - 1 / 3) ** 2 + 1 * 0.1**2) / 4)
    assert value == pytest.approx(expected)


def test_it_predicts_each_review_from_the_earlier_ones_only():
    reviews = [
        LoggedReview(card_id=1, rating=3, reviewed_at=START),
        LoggedReview(card_id=1, rating=3, reviewed_at=START + timedelta(days=3)),
        LoggedReview(card_id=1, rating=1, reviewed_at=START + timedelta(days=10)),
    ]
    predictions = replay(reviews)
    changed = replay([*reviews[:2], LoggedReview(1, 3, START + timedelta(days=10))])
    assert [p.index for p in predictions] == [1, 2]
    assert predictions[1].recalled == 0
    assert changed[1].recalled == 1
    # Changing the outcome of the last review must not change its prediction.
    assert predictions[1].probability == changed[1].probability
    assert predictions[0].elapsed_days == pytest.approx(3.0)


def test_it_scores_only_reviews_on_a_later_day():
    reviews = [
        LoggedReview(card_id=1, rating=3, reviewed_at=START),
        LoggedReview(card_id=1, rating=3, reviewed_at=START + timedelta(minutes=10)),
        LoggedReview(card_id=1, rating=3, reviewed_at=START + timedelta(hours=20)),
    ]
    assert [p.is_scored for p in replay(reviews)] == [False, True]


def test_it_splits_time_so_training_precedes_testing():
    splits = time_series_folds(60, folds=5)
    assert splits == [(10, 10, 20), (20, 20, 30), (30, 30, 40), (40, 40, 50), (50, 50, 60)]


def test_it_fits_parameters_on_the_training_part_only():
    reviews = synthetic_review_log(cards=20, days=40)
    seen = []

    def optimiser(train):
        seen.append(len(train))
        return list(__import__("fsrs").scheduler.DEFAULT_PARAMETERS)

    results = evaluate(reviews, folds=3, optimiser=optimiser)
    assert seen == [r.train_reviews for r in results]
    assert all(r.train_reviews < len(reviews) for r in results)
    assert results[0].optimised == results[0].default


def test_it_beats_the_constant_baseline_on_a_memory_like_log():
    results = evaluate(synthetic_review_log(cards=60, days=90), folds=3, optimise=False)
    summary = summarise(results)
    assert summary["default"]["auc"] > 0.6
    assert summary["baseline"]["auc"] == 0.5
    assert summary["default"]["log_loss"] < summary["baseline"]["log_loss"]
