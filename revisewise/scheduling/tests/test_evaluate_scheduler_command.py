from __future__ import annotations

import csv
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from revisewise.scheduling.tests.factories import synthetic_review_log


@pytest.fixture
def review_log_csv(tmp_path):
    path = tmp_path / "reviews.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["card_id", "review_rating", "review_time", "review_duration"])
        for review in synthetic_review_log(cards=40, days=60):
            writer.writerow(
                [review.card_id, review.rating, review.reviewed_at.isoformat(), review.duration_ms]
            )
    return path


def test_it_prints_one_json_object_with_the_three_models(review_log_csv):
    out = StringIO()
    call_command("evaluate_scheduler", log=str(review_log_csv), folds=3, json=True, stdout=out)
    payload = json.loads(out.getvalue())
    assert [fold["fold"] for fold in payload["folds"]] == [1, 2, 3]
    assert set(payload["summary"]) == {"optimised", "default", "baseline"}
    assert payload["summary"]["baseline"]["auc"] == 0.5
    assert payload["summary"]["default"]["auc"] > 0.6
    # Too few reviews to fit: the optimiser falls back to the default parameters.
    assert payload["summary"]["optimised"] == payload["summary"]["default"]


def test_it_prints_a_table_without_json(review_log_csv):
    out = StringIO()
    call_command(
        "evaluate_scheduler",
        "--log",
        str(review_log_csv),
        "--no-optimise",
        stdout=out,
        stderr=StringIO(),
    )
    text = out.getvalue()
    assert "RMSE(bins)" in text
    assert "default" in text
    assert "baseline" in text
    assert "optimised" not in text


def test_it_refuses_a_missing_log(tmp_path):
    with pytest.raises(CommandError, match="No review log"):
        call_command("evaluate_scheduler", log=str(tmp_path / "absent.csv"))


def test_it_refuses_a_log_without_time_zones(tmp_path):
    path = tmp_path / "naive.csv"
    path.write_text(
        "card_id,review_rating,review_time,review_duration\n"
        "1,3,2026-01-01T10:00:00,100\n1,3,2026-01-02T10:00:00,100\n"
        "1,3,2026-01-03T10:00:00,100\n"
    )
    with pytest.raises(CommandError, match="time zone"):
        call_command("evaluate_scheduler", log=str(path), folds=1)
