"""Measure the cohort dashboard with a large synthetic cohort: latency p50/p95 and queries.

It writes a synthetic centre, qualification and cohort into the configured database and deletes
them afterwards (unless --keep). Run it on a scratch database, for example:
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 ./manage.py migrate
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 ./manage.py benchmark_dashboard --learners 500
"""

from __future__ import annotations

import math
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from revisewise.accounts.testing import force_login_verified
from revisewise.centres.benchmarks import synthetic_cohort_build, synthetic_cohort_delete


class Command(BaseCommand):
    help = "Render a synthetic cohort's dashboard N times; print p50/p95 and the query count."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--learners", type=int, default=500, help="learners in the cohort")
        parser.add_argument("--objectives", type=int, default=40, help="learning objectives")
        parser.add_argument(
            "--items-per-objective", type=int, default=2, help="questions per objective"
        )
        parser.add_argument("--renders", type=int, default=30, help="timed page renders")
        parser.add_argument("--keep", action="store_true", help="keep the synthetic cohort")

    def handle(self, *args: Any, **options: Any) -> None:
        for name in ("learners", "objectives", "items_per_objective", "renders"):
            if options[name] < 1:
                raise CommandError(f"--{name.replace('_', '-')} must be at least 1.")
        started = time.perf_counter()
        synthetic = synthetic_cohort_build(
            learners=options["learners"],
            objectives=options["objectives"],
            items_per_objective=options["items_per_objective"],
            now=timezone.now(),
        )
        self.stdout.write(
            f"built {options['learners']} learners x {options['objectives']} objectives, "
            f"{synthetic.card_count} cards in {time.perf_counter() - started:.1f} s"
        )
        try:
            with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
                self._measure(synthetic.tutor, synthetic.cohort.uuid, options["renders"])
        finally:
            if options["keep"]:
                self.stdout.write(f"kept cohort {synthetic.cohort.uuid}")
            else:
                synthetic_cohort_delete(synthetic)

    def _measure(self, tutor: Any, cohort_uuid: Any, renders: int) -> None:
        client = Client()
        force_login_verified(client, tutor)
        for name, path, headers in (
            ("dashboard GET", "centres:cohort-dashboard", {}),
            ("readiness panel GET (htmx)", "centres:cohort-readiness", {"HX-Request": "true"}),
        ):
            self._measure_page(client, name, reverse(path, args=[cohort_uuid]), headers, renders)

    def _measure_page(
        self, client: Client, name: str, url: str, headers: dict[str, str], renders: int
    ) -> None:
        queries: list[str] = []

        def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            first = client.get(url, headers=headers)
        if first.status_code != 200:
            raise CommandError(f"{name} answered {first.status_code}.")
        samples, cpu = [], []
        for _ in range(renders):
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(url, headers=headers)
            samples.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        samples.sort()
        cpu.sort()
        # CPU time counts SQLite's work too (it runs in this process) but not the time spent
        # waiting for a core, so on a busy machine it is the better guide to an idle one.
        self.stdout.write(
            f"{name}: n={renders} p50={percentile(samples, 50):.1f} ms "
            f"p95={percentile(samples, 95):.1f} ms max={samples[-1]:.1f} ms "
            f"(CPU p50={percentile(cpu, 50):.1f} ms p95={percentile(cpu, 95):.1f} ms) "
            f"queries={len(queries)} html={len(first.content) / 1024:.0f} KiB"
        )


def percentile(ordered: list[float], rank: float) -> float:
    """Return the nearest-rank percentile of sorted samples."""
    return ordered[max(0, math.ceil(rank / 100 * len(ordered)) - 1)]
