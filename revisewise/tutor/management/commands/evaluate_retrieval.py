from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from revisewise.tutor.evaluation import (
    QuestionFileError,
    evaluate,
    load_questions,
    refusal_rate,
)
from revisewise.tutor.services import tutor_index_refresh


class Command(BaseCommand):
    help = "Measure the tutor's retrieval on a question file: recall@1/@3/@5 and MRR."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--questions", required=True, type=Path, help="JSON Lines file")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument(
            "--split", choices=["dev", "test"], help="only the questions of this split"
        )
        parser.add_argument(
            "--off-topic",
            type=Path,
            help="JSON Lines of questions the tutor should refuse; reports refusal_rate",
        )
        parser.add_argument(
            "--without-earlier",
            action="store_true",
            help="search for each question on its own, ignoring its earlier questions",
        )
        parser.add_argument(
            "--unscoped",
            action="store_true",
            help="search every qualification equally instead of the question's first",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["questions"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        tutor_index_refresh()
        try:
            questions = load_questions(path, split=options["split"])
        except QuestionFileError as error:
            raise CommandError(str(error)) from error
        report = evaluate(
            questions,
            is_scoped=not options["unscoped"],
            use_earlier=not options["without_earlier"],
        )
        metrics: dict[str, float | int] = report.as_dict()
        if options["off_topic"]:
            metrics["refusal_rate"] = round(refusal_rate(Path(options["off_topic"])), 4)
        if options["json"]:
            self.stdout.write(json.dumps(metrics))
            return
        for outcome in report.outcomes:
            if outcome.rank is None or outcome.rank > 3:
                top = outcome.retrieved[0] if outcome.retrieved else None
                found = f"{top.section}: {top.text[:70]}" if top else "nothing"
                self.stdout.write(
                    f"miss (rank {outcome.rank or '-'}): {outcome.question.text}\n"
                    f"    wanted {outcome.question.unit.title} / "
                    f"{', '.join(sorted(outcome.question.sections))}; top was {found}"
                )
        for name, value in metrics.items():
            self.stdout.write(f"{name}: {value}")
