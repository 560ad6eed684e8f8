"""Encode every written item's marking texts into the persistent cache: `manage.py warm_marker`."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from revisewise.marking.model import CachePrune
from revisewise.marking.services import marking_encodings_warm


class Command(BaseCommand):
    help = (
        "Encode every written item's question, points, model answer, misconceptions and "
        "criteria into MARKING_ENCODING_CACHE_DIR, so each worker's first answers are marked "
        "warm. Safe to run again: stored texts are read back, not encoded. With --prune, then "
        "delete the files of other models, library versions or formats (never read again)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print one JSON line.")
        parser.add_argument(
            "--prune",
            action="store_true",
            help="After warming, delete the cache files whose fingerprint is not the current one.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="With --prune: warm nothing, delete nothing, report what would be deleted.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dry_run"] and not options["prune"]:
            raise CommandError("--dry-run only applies to --prune.")
        report: dict[str, Any] = {}
        if not options["dry_run"]:
            result = marking_encodings_warm()
            report = result.as_json()
            if not options["json"]:
                self._write_warm(result.enabled, report)
        if options["prune"]:
            pruned = _prune(dry_run=options["dry_run"])
            report["prune"] = pruned.as_json() if pruned else None
            if not options["json"]:
                self._write_prune(pruned)
        if options["json"]:
            self.stdout.write(json.dumps(report))

    def _write_warm(self, enabled: bool, report: dict[str, Any]) -> None:
        if not enabled:
            self.stdout.write("MARKING_ENCODING_CACHE_DIR is empty: no encoding cache to warm.")
            return
        self.stdout.write(
            f"Warmed {report['items']} written item(s): {report['texts']} text(s), "
            f"{report['encoded']} newly encoded, in {report['seconds']:.1f} s "
            f"({settings.MARKING_ENCODING_CACHE_DIR})."
        )

    def _write_prune(self, pruned: CachePrune | None) -> None:
        if pruned is None:
            self.stdout.write(
                "No persistent encoding cache (MARKING_ENCODING_CACHE_DIR is empty, or the model "
                "is not a local directory): nothing to prune."
            )
            return
        verb = "Would delete" if pruned.dry_run else "Deleted"
        line = (
            f"{verb} {pruned.files} file(s) of other fingerprints ({_size(pruned.bytes)}); "
            f"kept {pruned.kept_files} ({_size(pruned.kept_bytes)}) in {pruned.directory}."
        )
        if pruned.errors:
            line += f" {pruned.errors} file(s) could not be deleted (see the log)."
        self.stdout.write(line)


def _prune(*, dry_run: bool) -> CachePrune | None:
    # Imported here: the engine loads numpy and the classifier. Its embedder is the one marking
    # uses, so the generation kept is the one the workers read.
    from revisewise.marking.engine import get_engine

    return get_engine().embedder.prune_cache(dry_run=dry_run)


def _size(count: int) -> str:
    """Return a byte count for people: 512 bytes, 28.0 KB, 5.9 MB."""
    if count < 1_000:
        return f"{count} bytes"
    if count < 1_000_000:
        return f"{count / 1_000:.1f} KB"
    return f"{count / 1_000_000:.1f} MB"
