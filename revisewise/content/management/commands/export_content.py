"""Export qualifications as canonical YAML (docs/content-format.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from revisewise.content.models import Qualification
from revisewise.content.services import qualification_export_yaml


class Command(BaseCommand):
    help = "Export one or every qualification, its units and every item, as canonical YAML."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--qualification", metavar="SLUG", help="Export only this one.")
        parser.add_argument("--output", metavar="PATH", help="Write to this file, not stdout.")

    def handle(self, *args: Any, **options: Any) -> None:
        qualifications = Qualification.objects.select_related("subject", "awarding_body")
        if options["qualification"]:
            qualifications = qualifications.filter(slug=options["qualification"])
            if not qualifications.exists():
                raise CommandError(f"No qualification has the slug {options['qualification']!r}.")
        text = qualification_export_yaml(qualifications=qualifications)
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            count = len(qualifications)
            self.stderr.write(f"Wrote {count} qualification(s) to {options['output']}.")
        else:
            self.stdout.write(text, ending="")
