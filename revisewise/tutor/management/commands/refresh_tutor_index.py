from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from revisewise.tutor.selectors import qualification_get_by_slug
from revisewise.tutor.services import tutor_index_refresh


class Command(BaseCommand):
    help = "Bring the tutor's passages in line with the content, embedding only what changed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--qualification", help="slug of one qualification to refresh")

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["qualification"]
        qualification = qualification_get_by_slug(slug=slug) if slug else None
        result = tutor_index_refresh(qualification=qualification)
        self.stdout.write(
            f"Passages: {result.created} added, {result.updated} changed, "
            f"{result.unchanged} unchanged, {result.deleted} removed."
        )
