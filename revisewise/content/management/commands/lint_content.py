"""`manage.py lint_content [--json] [--qualification SLUG]`: list content defects for authors."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from revisewise.content.lint import LintReport, content_lint
from revisewise.content.models import Qualification


class Command(BaseCommand):
    help = "Find defects in the imported content; exits non-zero when any is an error."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print findings as JSON.")
        parser.add_argument(
            "--qualification", default="", metavar="SLUG", help="Only this qualification."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["qualification"]
        if slug and not Qualification.objects.filter(slug=slug).exists():
            raise CommandError(f"No qualification has the slug '{slug}'.")
        report = content_lint(qualification_slug=slug)
        if options["json"]:
            self.stdout.write(json.dumps([f.as_dict() for f in report.findings], indent=2))
        else:
            self._print(report)
        if report.has_errors:
            raise CommandError(f"Content lint: {report.summary}.", returncode=1)

    def _print(self, report: LintReport) -> None:
        style: dict[str, Callable[[str], str]] = {
            "error": self.style.ERROR,
            "warning": self.style.WARNING,
            "info": str,
        }
        for finding in report.findings:
            where = " ".join(p for p in (finding.qualification, finding.unit) if p)
            self.stdout.write(
                style[finding.severity](f"{finding.code} {finding.severity}")
                + f" {where} [{finding.location}]\n    {finding.message}"
            )
        self.stdout.write(f"Content lint: {report.summary}.")
