"""Generate practice items from unit content and print a summary per unit."""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from revisewise.practice.services import UnitGeneration, items_generate_all


class Command(BaseCommand):
    help = "Generate (or regenerate) practice items for every unit, or one unit with --unit."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", metavar="SLUG", help="only the unit(s) with this slug")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--dry-run", action="store_true", help="show what would change")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        results = items_generate_all(unit_slug=options["unit"], dry_run=options["dry_run"])
        if options["json"]:
            self.stdout.write(json.dumps({"units": [result.as_json() for result in results]}))
            return
        for result in results:
            self._summary(result)
        seconds = time.perf_counter() - started
        prefix = "Dry run: nothing written. " if options["dry_run"] else ""
        self.stdout.write(f"{prefix}{len(results)} unit(s) in {seconds:.2f} s.")

    def _summary(self, result: UnitGeneration) -> None:
        valid = sum(result.items_by_type.values())
        by_type = ", ".join(
            f"{kind} {count}" for kind, count in sorted(result.items_by_type.items())
        )
        self.stdout.write(self.style.MIGRATE_HEADING(result.unit_title))
        self.stdout.write(f"  valid items: {valid} ({by_type}) in {result.seconds * 1000:.0f} ms")
        if result.held_for_review:
            self.stdout.write(f"  held as drafts for an author: {result.held_for_review}")
        self.stdout.write(
            f"  created {result.created}, updated {result.updated}, unchanged {result.unchanged}, "
            f"retired {result.retired}, rejected {len(result.rejected)}"
        )
        for stem, reasons in result.rejected:
            first_line = stem.splitlines()[-1][:90]
            self.stdout.write(f"  rejected: {first_line!r}: {'; '.join(reasons)}")
