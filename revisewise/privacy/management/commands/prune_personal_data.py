"""Delete personal data past its retention period: sign-in records and old audit events."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from revisewise.accounts.services import sign_in_records_prune
from revisewise.audit.services import audit_events_prune


class Command(BaseCommand):
    help = (
        "Delete sign-in attempts and rate-limit records older than ACCOUNTS_SIGN_IN_RECORD_DAYS "
        "and audit events older than AUDIT_RETENTION_DAYS. Run it daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would go; delete nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        with transaction.atomic():
            sign_in = sign_in_records_prune(now=now)
            audit = audit_events_prune(
                older_than=now - timedelta(days=settings.AUDIT_RETENTION_DAYS)
            )
            if options["dry_run"]:
                transaction.set_rollback(True)
        verb = "Would delete" if options["dry_run"] else "Deleted"
        self.stdout.write(
            f"{verb} {sign_in} sign-in records older than "
            f"{settings.ACCOUNTS_SIGN_IN_RECORD_DAYS} days and {audit} audit events older than "
            f"{settings.AUDIT_RETENTION_DAYS} days."
        )
