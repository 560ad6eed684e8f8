"""Time the product path of written answers: store, mark, grade, review. Writes nothing.

`manage.py benchmark_written_answers [--answers N] [--json]` answers the written items (in
turn) with the items' own marking points worked into a sentence, as a throwaway learner, inside
one transaction that is rolled back at the end. It prints the time to store an answer (attempt +
ledger row), the time to mark it (claim, engine, mark, grade, FSRS review), both as p50/p95 in
milliseconds, and the engine's load time.
"""

from __future__ import annotations

import json
import statistics
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from revisewise.accounts.models import User
from revisewise.marking.engine import get_engine
from revisewise.marking.services import written_answer_mark, written_answer_submit
from revisewise.practice.models import Item, ItemStatus, ItemType


class _Rollback(Exception):
    pass


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "Time storing and marking written answers through the product path (rolled back)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--answers", type=int, default=50)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        items = list(
            Item.objects.filter(
                item_type=ItemType.WRITTEN,
                status__in=(ItemStatus.AUTO_APPROVED, ItemStatus.APPROVED),
            ).order_by("pk")
        )
        if not items:
            raise CommandError("No written items: run seed_demo or generate_items first.")
        started = time.perf_counter()
        get_engine().warm()
        load_s = time.perf_counter() - started
        store_ms: list[float] = []
        mark_ms: list[float] = []
        try:
            with transaction.atomic():
                learner = User.objects.create(username="benchmark-written", email="b@invalid")
                for n in range(options["answers"]):
                    item = items[n % len(items)]
                    points = " ".join(item.payload.get("marking_points", []))
                    text = f"In my workplace this means {points} For example, I did this daily."
                    t0 = time.perf_counter()
                    answer = written_answer_submit(
                        learner=learner,
                        item=item,
                        text=text,
                        client_token=f"b{n}",
                        duration_ms=None,
                    )
                    t1 = time.perf_counter()
                    written_answer_mark(answer_id=answer.pk)
                    t2 = time.perf_counter()
                    store_ms.append((t1 - t0) * 1000)
                    mark_ms.append((t2 - t1) * 1000)
                raise _Rollback
        except _Rollback:
            pass
        report = {
            "answers": len(mark_ms),
            "items": len(items),
            "engine_load_s": round(load_s, 2),
            "store_ms_p50": round(statistics.median(store_ms), 1),
            "store_ms_p95": round(_percentile(store_ms, 0.95), 1),
            "mark_ms_p50": round(statistics.median(mark_ms), 1),
            "mark_ms_p95": round(_percentile(mark_ms, 0.95), 1),
        }
        if options["json"]:
            self.stdout.write(json.dumps(report))
            return
        self.stdout.write(
            f"{report['answers']} answers to {report['items']} written items; engine load "
            f"{report['engine_load_s']} s\n"
            f"store (attempt + ledger row): p50 {report['store_ms_p50']} ms, "
            f"p95 {report['store_ms_p95']} ms\n"
            f"mark (claim, engine, mark, grade, review): p50 {report['mark_ms_p50']} ms, "
            f"p95 {report['mark_ms_p95']} ms"
        )
