"""Site-wide services: the demo data that `make run` loads."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from revisewise.accounts.models import User
from revisewise.accounts.services import accounts_seed_demo_centre, totp_device_enrol_demo
from revisewise.centres.services import centres_seed_demo_history
from revisewise.content.services import ImportReport, content_import_paths
from revisewise.epa.services import plans_seed_demo
from revisewise.practice.services import items_generate_all

DEMO_SEEDS_DIR = Path(settings.BASE_DIR) / "demo" / "seeds"
DEMO_DOMAIN = "demo.revisewise.test"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str
    # Staff must sign in with a second factor; demo staff are enrolled up front.
    totp_secret: str = ""


@dataclass(frozen=True)
class DemoSeedResult:
    import_report: ImportReport
    items_generated: int
    logins: tuple[DemoLogin, ...]


DEMO_PEOPLE = (
    # role, email, display name, is_staff, is_superuser
    ("content author and site administrator", f"author@{DEMO_DOMAIN}", "Ada Author", True, True),
    ("learner without a centre", f"learner@{DEMO_DOMAIN}", "Lee Learner", False, False),
)


def demo_seed(*, logins_file: Path | None = None) -> DemoSeedResult:
    """Load the demo content, its practice items and demo people; safe to run again.

    Passwords are generated on first run and kept in `var/demo_logins.json` (never in the
    repository), so every run can print the same logins.
    """
    report = content_import_paths(paths=[DEMO_SEEDS_DIR])
    plans_seed_demo()  # EPA assessment plans, which attach to the seeds' qualifications
    generations = items_generate_all()
    logins = _demo_people(logins_file or Path(settings.VAR_DIR) / "demo_logins.json")
    centres_seed_demo_history(now=timezone.now())  # practice history for the demo cohort
    return DemoSeedResult(
        import_report=report,
        items_generated=sum(sum(g.items_by_type.values()) for g in generations),
        logins=logins,
    )


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
        secret = totp_device_enrol_demo(user=user) if is_staff else ""
        known[email] = password
        logins.append(DemoLogin(role=role, email=email, password=password, totp_secret=secret))
    tutor, learner = f"tutor@{DEMO_DOMAIN}", f"learner1@{DEMO_DOMAIN}"
    known.setdefault(tutor, secrets.token_urlsafe(12))
    known.setdefault(learner, secrets.token_urlsafe(12))
    for centre_login in accounts_seed_demo_centre(
        tutor_password=known[tutor], learner_password=known[learner], learner_count=4
    ):
        logins.append(
            DemoLogin(
                role=centre_login.role,
                email=centre_login.email,
                password=centre_login.password,
                totp_secret=centre_login.totp_secret,
            )
        )
    logins_file.parent.mkdir(parents=True, exist_ok=True)
    logins_file.write_text(json.dumps(known, indent=2))
    logins_file.chmod(0o600)
    return tuple(logins)
