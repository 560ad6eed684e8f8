from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from revisewise.core.services import demo_seed


class Command(BaseCommand):
    help = "Load the demo content and demo people (idempotent) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        result = demo_seed()
        report = result.import_report
        if report.errors:
            raise CommandError("\n".join(str(error) for error in report.errors))
        self.stdout.write(
            f"Demo content: {report.files_imported} files, {len(report.results)} units "
            f"({report.count('created')} new, {report.count('updated')} updated), "
            f"{report.items_total} content items."
        )
        self.stdout.write("Demo logins (sign in at http://127.0.0.1:8000/admin/):")
        for login in result.logins:
            self.stdout.write(f"  {login.role:<30} {login.email:<32} {login.password}")
