"""Retrain the committed marking classifier from the shared ASAG data, deterministically."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from revisewise.marking.engine import ENGINE_VERSION
from revisewise.marking.training import DEFAULT_DATA_DIR, train_and_save


class Command(BaseCommand):
    help = "Train the marking classifier on SciEntsBank and Beetle and write the artefact."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
        parser.add_argument(
            "--classifier", default="ensemble", choices=["ensemble", "hgb", "logreg"]
        )

    def handle(self, *args: Any, **options: Any) -> None:
        manifest = train_and_save(
            data_dir=options["data_dir"], kind=options["classifier"], engine_version=ENGINE_VERSION
        )
        self.stdout.write(
            f"Trained {manifest['classifier']} on {manifest['n_examples']} answers; "
            "wrote revisewise/marking/artefacts/."
        )
