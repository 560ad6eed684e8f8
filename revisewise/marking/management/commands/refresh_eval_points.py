"""Rewrite an evaluation set's marking points and model answers from the practice generator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from revisewise.content.models import Unit
from revisewise.practice.generation.objectives import generate
from revisewise.practice.services import unit_content_load


class Command(BaseCommand):
    help = (
        "Set each row's marking_points and model_answer to what the practice generator makes for "
        "its question from the imported units (run `import_content demo/seeds` first). "
        "Questions, answers and labels are never changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dataset", required=True, type=Path, help="a .jsonl file")
        parser.add_argument("--dry-run", action="store_true", help="report, write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["dataset"]
        if not path.is_file():
            raise CommandError(f"No such dataset file: {path}")
        written = _written_items()
        lines = path.read_text(encoding="utf-8").splitlines()
        rows = [json.loads(line) for line in lines]
        changed: set[str] = set()
        for row in rows:
            if row["question"] not in written:
                raise CommandError(f"The generator makes no written item {row['question']!r}.")
            points, model_answer = written[row["question"]]
            if row["marking_points"] != points or row["model_answer"] != model_answer:
                changed.add(row["question"])
            row["marking_points"], row["model_answer"] = points, model_answer
        for question in sorted(changed):
            self.stdout.write(f"changed: {question}")
        self.stdout.write(f"{len(changed)} of {len({r['question'] for r in rows})} questions.")
        if not options["dry_run"] and changed:
            path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


def _written_items() -> dict[str, tuple[list[str], str]]:
    """Return each generated written question's marking points and model answer."""
    items: dict[str, tuple[list[str], str]] = {}
    for unit in Unit.objects.order_by("pk"):
        for candidate in generate(unit_content_load(unit=unit)):
            payload = candidate.payload
            items[candidate.stem] = (list(payload["marking_points"]), payload["model_answer"])
    return items
