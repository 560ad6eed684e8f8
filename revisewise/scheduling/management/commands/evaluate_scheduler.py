"""Replay a review log through FSRS-6 and print log loss, RMSE(bins) and AUC per model."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from revisewise.scheduling.evaluation import (
    FoldResult,
    evaluate,
    load_review_log,
    summarise,
)


class Command(BaseCommand):
    help = (
        "Evaluate the FSRS-6 memory model on a review log CSV with a time-series split: "
        "optimised and default parameters against a constant baseline."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--log", required=True, type=Path, help="review log CSV")
        parser.add_argument("--folds", type=int, default=5, help="time-series folds (5)")
        parser.add_argument(
            "--no-optimise", action="store_true", help="skip fitting parameters per fold"
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["log"])
        if not path.is_file():
            raise CommandError(f"No review log at {path}.")
        try:
            reviews = load_review_log(path)
            results = evaluate(
                reviews,
                folds=options["folds"],
                optimise=not options["no_optimise"],
                progress=None if options["json"] else self.stderr.write,
            )
        except (ValueError, KeyError) as error:
            raise CommandError(f"Cannot evaluate {path}: {error}") from error
        summary = summarise(results)
        if options["json"]:
            payload = {
                "log": str(path),
                "reviews": len(reviews),
                "folds": [_fold_dict(result) for result in results],
                "summary": summary,
            }
            self.stdout.write(json.dumps(payload))
            return
        self.stdout.write(f"{len(reviews)} reviews, {len(results)} time-series folds")
        self.stdout.write(f"{'model':<10} {'log loss':>9} {'RMSE(bins)':>11} {'AUC':>7} {'n':>7}")
        for name, scores in summary.items():
            self.stdout.write(
                f"{name:<10} {scores['log_loss']:>9.4f} {scores['rmse_bins']:>11.4f} "
                f"{scores['auc']:>7.4f} {int(scores['count']):>7}"
            )


def _fold_dict(result: FoldResult) -> dict[str, Any]:
    return {
        "fold": result.fold,
        "train_reviews": result.train_reviews,
        "test_predictions": result.test_predictions,
        "optimised": result.optimised.as_dict() if result.optimised else None,
        "default": result.default.as_dict(),
        "baseline": result.baseline.as_dict(),
        "parameters": [round(value, 4) for value in result.parameters],
        "seconds": round(result.seconds, 1),
    }
