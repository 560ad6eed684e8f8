from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand

from revisewise.core.benchmarks import CONFIGURATIONS, sqlite_writers_run


class Command(BaseCommand):
    help = "Measure concurrent read-then-write transactions on SQLite under each configuration."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--processes", type=int, default=16)
        parser.add_argument("--transactions", type=int, default=200)
        parser.add_argument(
            "--configuration", choices=sorted(CONFIGURATIONS), action="append", default=None
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        names = options["configuration"] or list(CONFIGURATIONS)
        runs = [
            sqlite_writers_run(
                configuration=name,
                processes=options["processes"],
                transactions=options["transactions"],
            )
            for name in names
        ]
        if options["json"]:
            rows = [
                {**asdict(run), "transactions_per_second": run.transactions_per_second}
                for run in runs
            ]
            self.stdout.write(json.dumps(rows))
            return
        self.stdout.write(
            f"{'configuration':<16}{'committed':>10}{'failed':>8}{'counter':>9}{'tx/s':>9}"
        )
        for run in runs:
            self.stdout.write(
                f"{run.configuration:<16}{run.committed:>10}{run.failed:>8}"
                f"{run.final_counter:>9}{run.transactions_per_second:>9.0f}"
            )
