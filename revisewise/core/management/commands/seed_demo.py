from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from revisewise.core.services import demo_seed


class Command(BaseCommand):
    help = "Load the demo content, items and people (idempotent) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        result = demo_seed()
        report = result.import_report
        if report.errors:
            raise CommandError("\n".join(str(error) for error in report.errors))
        self.stdout.write(
            f"Demo content: {report.files_imported} files, "
            f"{len({result.unit_uuid for result in report.results})} units, "
            f"{report.items_total} content items, {result.items_generated} practice items."
        )
        self.stdout.write("Demo logins (sign in at http://127.0.0.1:8000/accounts/sign-in/):")
        for login in result.logins:
            self.stdout.write(f"  {login.role:<40} {login.email:<34} {login.password}")
        self.stdout.write(
            "Staff sign in with a second factor. Add the secret to an authenticator app, or "
            "print the current code with `python manage.py demo_code EMAIL` (demo only):"
        )
        for login in result.logins:
            if login.totp_secret:
                self.stdout.write(f"  {login.email:<34} secret {login.totp_secret}")
