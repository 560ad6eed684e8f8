"""Site-wide services: the demo data that `make run` loads."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from revisewise.accounts.models import User
from revisewise.content.services import ImportReport, content_import_paths

DEMO_SEEDS_DIR = Path(settings.BASE_DIR) / "demo" / "seeds"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str


@dataclass(frozen=True)
class DemoSeedResult:
    import_report: ImportReport
    logins: tuple[DemoLogin, ...]


DEMO_PEOPLE = (
    # role, email, display name, is_staff, is_superuser
    ("content author (admin site)", "author@demo.revisewise.test", "Ada Author", True, True),
    ("learner", "learner@demo.revisewise.test", "Lee Learner", False, False),
)


def demo_seed(*, logins_file: Path | None = None) -> DemoSeedResult:
    """Load the demo content and demo people; safe to run again (updates, never duplicates).

    Passwords are generated on first run and kept in `var/demo_logins.json` (never in the
    repository), so every run can print the same logins.
    """
    report = content_import_paths(paths=[DEMO_SEEDS_DIR])
    logins = _demo_people(logins_file or Path(settings.VAR_DIR) / "demo_logins.json")
    return DemoSeedResult(import_report=report, logins=logins)


@transaction.atomic
def _demo_people(logins_file: Path) -> tuple[DemoLogin, ...]:
    known: dict[str, str] = json.loads(logins_file.read_text()) if logins_file.exists() else {}
    logins = []
    for role, email, name, is_staff, is_superuser in DEMO_PEOPLE:
        password = known.get(email) or secrets.token_urlsafe(12)
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "username": email.split("@")[0],
                "display_name": name,
                "is_staff": is_staff,
                "is_superuser": is_superuser,
            },
        )
        if created or not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        known[email] = password
        logins.append(DemoLogin(role=role, email=email, password=password))
    logins_file.parent.mkdir(parents=True, exist_ok=True)
    logins_file.write_text(json.dumps(known, indent=2))
    logins_file.chmod(0o600)
    return tuple(logins)
