from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from revisewise.accounts.models import TotpDevice
from revisewise.accounts.totp import totp_code
from revisewise.core.services import DEMO_DOMAIN


class Command(BaseCommand):
    help = "Print a demo person's current two-factor code (demo people only, never in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        email: str = options["email"].strip().lower()
        if settings.IS_PRODUCTION or not email.endswith(f"@{DEMO_DOMAIN}"):
            raise CommandError(f"Only demo people (…@{DEMO_DOMAIN}) outside production.")
        device = TotpDevice.objects.filter(user__email__iexact=email).first()
        if device is None:
            raise CommandError(f"{email} has no authenticator enrolled.")
        self.stdout.write(totp_code(secret=device.secret, unix_time=time.time()))
