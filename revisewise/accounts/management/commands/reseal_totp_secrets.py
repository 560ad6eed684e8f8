"""Re-encrypt every authenticator secret with the current SECRET_KEY after a key rotation."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from revisewise.accounts.services import totp_devices_reseal


class Command(BaseCommand):
    help = (
        "Re-encrypt authenticator secrets with DJANGO_SECRET_KEY. Run after moving the old key "
        "to DJANGO_SECRET_KEY_FALLBACKS; then the old key can be removed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count; change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            count = totp_devices_reseal()
            if options["dry_run"]:
                transaction.set_rollback(True)
        verb = "Would re-encrypt" if options["dry_run"] else "Re-encrypted"
        self.stdout.write(f"{verb} {count} authenticator secrets with the current key.")
