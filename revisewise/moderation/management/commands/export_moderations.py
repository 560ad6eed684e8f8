"""Write tutors' moderations as labelled data that `evaluate_marker --dataset` reads."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from revisewise.moderation.services import moderations_export


class Command(BaseCommand):
    help = (
        "Export the newest moderation of every moderated mark as JSONL in the shared ASAG "
        "format (question, reference answers, answer, labels), with no personal data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="file to write (default: standard output)")
        parser.add_argument("--format", choices=["jsonl"], default="jsonl", help="only jsonl")
        parser.add_argument(
            "--overrides-only", action="store_true", help="leave out confirmed marks"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path | None = options["output"]
        overrides_only: bool = options["overrides_only"]
        if path is None:
            count = moderations_export(
                actor=None, write=self.stdout.write, overrides_only=overrides_only
            )
            sys.stderr.write(f"Exported {count} moderations.\n")
            return
        if not path.parent.is_dir():
            raise CommandError(f"No such folder: {path.parent}")
        with path.open("w", encoding="utf-8") as stream:
            count = moderations_export(
                actor=None, write=stream.write, overrides_only=overrides_only
            )
        self.stdout.write(f"Exported {count} moderations to {path}.")
