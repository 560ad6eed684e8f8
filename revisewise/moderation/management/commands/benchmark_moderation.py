"""Measure the moderation queue, the agreement summary and the list of answers tutors marked
with a large synthetic cohort.

It writes a synthetic centre, cohort, answers, marks, moderations and tutors' marks into the
configured
database and deletes them afterwards. Run it on a scratch database, for example:
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 ./manage.py migrate
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 ./manage.py benchmark_moderation --learners 500
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from revisewise.accounts.testing import force_login_verified
from revisewise.centres.benchmarks import synthetic_cohort_delete
from revisewise.centres.management.commands.benchmark_dashboard import percentile
from revisewise.moderation.benchmarks import synthetic_moderation_build
from revisewise.moderation.selectors import moderation_summary_for_learners


class Command(BaseCommand):
    help = (
        "Time the moderation queue page, the agreement summary and the answers tutors marked; "
        "print p50/p95 and queries."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--learners", type=int, default=500, help="learners in the cohort")
        parser.add_argument("--answers", type=int, default=4, help="written answers per learner")
        parser.add_argument(
            "--person-marked",
            type=int,
            default=1,
            help="answers per learner the engine gave up on and the tutor marked",
        )
        parser.add_argument("--renders", type=int, default=30, help="timed repetitions")

    def handle(self, *args: Any, **options: Any) -> None:
        for name in ("learners", "answers", "renders"):
            if options[name] < 1:
                raise CommandError(f"--{name} must be at least 1.")
        started = time.perf_counter()
        if options["person_marked"] < 0:
            raise CommandError("--person-marked must be at least 0.")
        built = synthetic_moderation_build(
            learners=options["learners"],
            answers_per_learner=options["answers"],
            now=timezone.now(),
            person_marked_per_learner=options["person_marked"],
        )
        self.stdout.write(
            f"built {options['learners']} learners, {built.answers} answers, "
            f"{built.moderated} moderated, {built.flagged} flagged, "
            f"{built.person_marked} marked by a tutor ({built.revised} revised) "
            f"in {time.perf_counter() - started:.1f} s"
        )
        try:
            with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
                client = Client()
                force_login_verified(client, built.cohort.tutor)
                url = reverse("moderation:queue")
                self._report("queue GET", lambda: client.get(url), options["renders"])
                marked = reverse("moderation:marked-list")
                self._report("marked GET", lambda: client.get(marked), options["renders"])
                ids = built.cohort.learner_ids
                self._report(
                    "summary",
                    lambda: moderation_summary_for_learners(learner_ids=ids),
                    options["renders"],
                )
        finally:
            synthetic_cohort_delete(built.cohort)

    def _report(self, name: str, run: Callable[[], Any], renders: int) -> None:
        queries: list[str] = []

        def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            first = run()
        if getattr(first, "status_code", 200) != 200:
            raise CommandError(f"The {name} answered {first.status_code}.")
        samples, cpu = [], []
        for _ in range(renders):
            tick, cpu_tick = time.perf_counter(), time.process_time()
            run()
            samples.append((time.perf_counter() - tick) * 1000)
            cpu.append((time.process_time() - cpu_tick) * 1000)
        samples.sort()
        cpu.sort()
        # CPU time is this process's own work (SQLite runs in-process): on a busy machine it
        # says more about the code than wall time, which includes waiting for a core.
        self.stdout.write(
            f"{name}: n={renders} p50={percentile(samples, 50):.1f} ms "
            f"p95={percentile(samples, 95):.1f} ms max={samples[-1]:.1f} ms "
            f"cpu p50={percentile(cpu, 50):.1f} ms cpu p95={percentile(cpu, 95):.1f} ms "
            f"queries={len(queries)}"
        )
