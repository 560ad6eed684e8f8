"""Retrain the committed marking classifier from the shared ASAG data, deterministically."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from revisewise.marking.engine import ENGINE_VERSION
from revisewise.marking.training import (
    CORRECT_THRESHOLD,
    DEFAULT_DATA_DIR,
    cross_validate,
    train_and_save,
)


class Command(BaseCommand):
    help = "Train the marking classifier on SciEntsBank and Beetle and write the artefact."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
        parser.add_argument(
            "--classifier", default="ensemble", choices=["ensemble", "hgb", "logreg"]
        )
        parser.add_argument(
            "--cross-validate",
            action="store_true",
            help="print the grouped cross-validation estimates instead of training",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["cross_validate"]:
            thresholds = (0.35, CORRECT_THRESHOLD, 0.4, 0.45)
            scores = cross_validate(
                data_dir=options["data_dir"], kind=options["classifier"], thresholds=thresholds
            )
            self.stdout.write(
                "macro-F1 3-way / 2-way: SciEntsBank by question | Beetle by question | "
                "SciEntsBank by module"
            )
            for threshold, s in scores.items():
                self.stdout.write(
                    f"P(correct) >= {threshold:.3f}: "
                    f"{s.scientsbank_by_question[0]:.3f} / {s.scientsbank_by_question[1]:.3f} | "
                    f"{s.beetle_by_question[0]:.3f} / {s.beetle_by_question[1]:.3f} | "
                    f"{s.scientsbank_by_module[0]:.3f} / {s.scientsbank_by_module[1]:.3f}"
                )
            return
        manifest = train_and_save(
            data_dir=options["data_dir"], kind=options["classifier"], engine_version=ENGINE_VERSION
        )
        self.stdout.write(
            f"Trained {manifest['classifier']} on {manifest['n_examples']} answers; "
            "wrote revisewise/marking/artefacts/."
        )
