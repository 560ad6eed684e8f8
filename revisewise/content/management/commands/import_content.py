"""Import content files (revision pages, tabbed files, canonical YAML) from files or folders."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from revisewise.content.services import ImportReport, content_import_paths


class Command(BaseCommand):
    help = (
        "Import content from files or folders (recursively: .txt, .md, .yaml, .yml). "
        "Each file imports in its own transaction; a bad file imports nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="Files or folders to import.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Read and check everything, write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        bar: tqdm[Any] | None = None

        def progress(done: int, total: int, name: str) -> None:
            nonlocal bar
            if bar is None:
                # disable=None: the bar only shows when stderr is a terminal.
                bar = tqdm(
                    total=total, unit="file", file=self.stderr._out, leave=False, disable=None
                )
            bar.set_postfix_str(name, refresh=False)
            bar.update(1)

        report = content_import_paths(
            paths=options["paths"], dry_run=options["dry_run"], progress=progress
        )
        if bar is not None:
            bar.close()
        self._print_summary(report)
        if report.errors:
            raise CommandError(f"{len(report.errors)} file(s) could not be imported.")

    def _print_summary(self, report: ImportReport) -> None:
        prefix = "Dry run, nothing written. " if report.dry_run else ""
        self.stdout.write(
            f"{prefix}Files imported: {report.files_imported} of {report.files_seen}. "
            f"Units created: {report.count('created')}, updated: {report.count('updated')}, "
            f"unchanged: {report.count('unchanged')}. Items: {report.items_total}."
        )
        for result in report.results:
            self.stdout.write(
                f"  {result.file}: {result.unit_title} ({result.status}; "
                f"{result.items_created} items added, {result.items_updated} changed, "
                f"{result.items_deleted} removed)"
            )
        for error in report.errors:
            self.stderr.write(f"Error: {error}")
