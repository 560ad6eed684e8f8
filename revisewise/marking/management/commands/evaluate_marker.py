"""Print how closely the marking engine agrees with human labels on a JSONL dataset."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from revisewise.marking.calibration import CALIBRATION_PATH
from revisewise.marking.evaluation import evaluate_dataset, to_3way
from revisewise.marking.model import load_classifier
from revisewise.marking.training import Example, file_sha256
from revisewise.marking.types import MarkResult


class Command(BaseCommand):
    help = "Mark every answer in a JSONL file and print F1, accuracy, latency and memory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dataset", required=True, type=Path, help="a .jsonl file")
        parser.add_argument("--json", action="store_true", help="end with one JSON line")
        parser.add_argument("--limit", type=int, default=None, help="mark only the first N")
        parser.add_argument(
            "--split", default=None, help='mark only rows whose "split" field is this, e.g. test'
        )
        parser.add_argument(
            "--predictions",
            type=Path,
            default=None,
            help="also write each answer's mark to this JSONL file (answer_id, question_id, "
            "human labels, the engine's label, score and flags), to read errors or cut a set "
            "into parts without marking it again",
        )
        parser.add_argument(
            "--warm-cache",
            action="store_true",
            help="read item texts' encodings from MARKING_ENCODING_CACHE_DIR (default: measure "
            "cold, the cache off)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["dataset"]
        if not path.is_file():
            raise CommandError(f"No such dataset file: {path}")
        out: Path | None = options["predictions"]
        rows: list[dict[str, Any]] = []

        def keep(example: Example, mark: MarkResult) -> None:
            rows.append(
                {
                    "answer_id": example.answer_id,
                    "question_id": example.question_id,
                    "label_2way": example.label_2way,
                    "label_3way": example.label_3way,
                    "predicted": mark.label,
                    "predicted_2way": "correct" if mark.label == "correct" else "incorrect",
                    "predicted_3way": to_3way(mark.label),
                    "score": mark.score,
                    "flags": list(mark.flags),
                    "engine": f"{mark.engine_name} {mark.engine_version}",
                }
            )

        result = evaluate_dataset(
            path,
            limit=options["limit"],
            split=options["split"],
            warm_cache=options["warm_cache"],
            on_each=keep if out else None,
        )
        if out:
            out.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        if result.n == 0:
            raise CommandError(f"No answers to mark in {path} (split {options['split']!r}).")
        data = result.as_dict()
        if data["encoding_cache"] == "on":
            self.stdout.write(
                "Encoding cache on: item texts already in MARKING_ENCODING_CACHE_DIR were not "
                "encoded again, so first-pass latency is that of a warmed production worker."
            )
        else:
            self.stdout.write(
                "Encoding cache off: every item text is encoded on its first answer, as in a "
                "new process with nothing stored (--warm-cache measures with the cache)."
            )
        data["seen_in_training"] = _seen_in_training(path)
        if data["seen_in_training"]:
            self.stdout.write(
                "Note: this file was used to train the classifier or to fit the written-item "
                "calibration, so these numbers are for questions seen in fitting; see "
                "docs/marking.md for the grouped and leave-one-question-out cross-validation."
            )
        for key, value in data.items():
            self.stdout.write(f"{key:>18}: {value}")
        if options["json"]:
            self.stdout.write(json.dumps(data, sort_keys=True))


def _seen_in_training(path: Path) -> bool:
    """Return whether the file trained the classifier or fitted the written-item calibration."""
    _, manifest = load_classifier()
    fitted = set(manifest.get("training_files", {}).values())
    calibration = json.loads(CALIBRATION_PATH.read_text(encoding="utf-8"))
    fitted |= set(calibration.get("fitted_on", {}).values())
    return file_sha256(path) in fitted
