"""Recover written answers whose marking was lost: `manage.py sweep_marking [--every SECONDS]`."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from revisewise.marking.services import QUEUED_GRACE, written_answers_sweep


class Command(BaseCommand):
    help = (
        "Put answers stuck in marking past their time limit back in the queue (or leave them "
        "for a person after the last try) and enqueue queued answers whose task was lost."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            help="Sweep again every this many seconds, until stopped (a worker process).",
        )
        parser.add_argument(
            "--queued-older-than",
            type=int,
            default=int(QUEUED_GRACE.total_seconds()),
            help="Enqueue queued answers untouched for this many seconds (default 60).",
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON line per sweep.")

    def handle(self, *args: Any, **options: Any) -> None:
        grace = timedelta(seconds=max(0, options["queued_older_than"]))
        while True:
            result = written_answers_sweep(queued_older_than=grace)
            if options["json"]:
                self.stdout.write(json.dumps(result.as_json()))
            else:
                self.stdout.write(
                    f"Swept: {result.requeued} back in the queue, {result.needs_person} left "
                    f"for a person, {result.enqueued} enqueued, {result.backfilled} added to "
                    "the ledger."
                )
            if options["every"] <= 0:
                return
            time.sleep(options["every"])
