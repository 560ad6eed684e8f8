"""Time the marking of discussion answers with the real engine on the stored content."""

from __future__ import annotations

import statistics
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from revisewise.content.models import ContentItem, ItemKind, Unit
from revisewise.discussion.prompts import Source, prompts_for_unit
from revisewise.discussion.services import marking_requests
from revisewise.marking.engine import get_engine

SAMPLE_ANSWER = (
    "Last year a customer rang our helpdesk because a refund had been refused twice. "
    "My role was to resolve complaints at the first line within my authority limits. "
    "I listened to her, apologised and checked the order history. "
    "I escalated the issue to my team leader because the refund was above my authority limit. "
    "As a result the refund was approved the next day and she thanked me."
)


class Command(BaseCommand):
    help = (
        "Mark a sample answer to the stored units' discussion prompts with the real engine and "
        "print the load time and per-answer latency (both engine calls of one answer)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--answers", type=int, default=50, help="answers to mark (50)")

    def handle(self, *args: Any, **options: Any) -> None:
        prompts = [p.as_json() for unit in Unit.objects.order_by("pk") for p in _prompts(unit)]
        prompts = [p for p in prompts if p["pass_criteria"]]
        if not prompts:
            raise CommandError("No unit has assessment criteria: import content first.")
        started = time.perf_counter()
        engine = get_engine()
        engine.warm()
        load = time.perf_counter() - started
        timings = []
        for n in range(max(1, options["answers"])):
            main, per_distinction = marking_requests(
                prompt=prompts[n % len(prompts)], answer=f"{SAMPLE_ANSWER} It took {n} days."
            )
            started = time.perf_counter()
            engine.mark(main)
            engine.mark(per_distinction)
            timings.append(1000 * (time.perf_counter() - started))
        timings.sort()
        p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
        self.stdout.write(
            f"{len(timings)} answers over {len(prompts)} prompts; load and warm {load:.1f} s; "
            f"latency p50 {statistics.median(timings):.0f} ms, p95 {p95:.0f} ms, "
            f"max {timings[-1]:.0f} ms"
        )


def _prompts(unit: Unit) -> list[Any]:
    items = list(ContentItem.objects.filter(unit=unit).order_by("position", "pk"))

    def rows(kind: str) -> list[Source]:
        return [Source(id=i.pk, text=(i.text or i.name).strip()) for i in items if i.kind == kind]

    return prompts_for_unit(
        objectives=rows(ItemKind.OBJECTIVE),
        criteria=rows(ItemKind.CRITERION),
        guidance=rows(ItemKind.TIP),
    )
