"""Encode every written item's marking texts into the persistent cache: `manage.py warm_marker`."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from revisewise.marking.services import marking_encodings_warm


class Command(BaseCommand):
    help = (
        "Encode every written item's question, points, model answer, misconceptions and "
        "criteria into MARKING_ENCODING_CACHE_DIR, so each worker's first answers are marked "
        "warm. Safe to run again: stored texts are read back, not encoded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print one JSON line.")

    def handle(self, *args: Any, **options: Any) -> None:
        result = marking_encodings_warm()
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json()))
        elif not result.enabled:
            self.stdout.write("MARKING_ENCODING_CACHE_DIR is empty: no encoding cache to warm.")
        else:
            self.stdout.write(
                f"Warmed {result.items} written item(s): {result.texts} text(s), "
                f"{result.encoded} newly encoded, in {result.seconds:.1f} s "
                f"({settings.MARKING_ENCODING_CACHE_DIR})."
            )
