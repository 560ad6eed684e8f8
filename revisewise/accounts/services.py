"""Rules about people: signing up and in, lockout, roles, invitations, imports, second factor."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import math
import re
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.text import slugify

from revisewise.accounts import totp
from revisewise.accounts.models import (
    Centre,
    Cohort,
    Invitation,
    Membership,
    RateLimitHit,
    Role,
    SignInAttempt,
    TotpDevice,
    User,
)
from revisewise.accounts.selectors import user_get_by_email

INVITATION_LIFETIME = timedelta(days=7)


class SignInLockedError(Exception):
    """Too many failed sign-ins for this email (from this device, if known): wait and try again."""

    def __init__(self, *, known_device: bool = False) -> None:
        super().__init__("Too many failed sign-ins; try again later.")
        self.known_device = known_device


class RateLimitedError(Exception):
    """Too many requests of one kind from one address or for one email: wait and try again."""

    def __init__(self, minutes: int) -> None:
        super().__init__(f"Too many requests; try again in {minutes} minutes.")
        self.minutes = minutes


class InvitationError(Exception):
    """An invitation link that cannot be used; the message says why, for the person holding it."""


@dataclass(frozen=True)
class ImportRowError:
    row: int
    message: str


class CohortImportError(Exception):
    """One or more rows of a learner import were wrong; nothing was created."""

    def __init__(self, errors: list[ImportRowError]) -> None:
        super().__init__(f"{len(errors)} row(s) could not be imported")
        self.errors = errors


@dataclass(frozen=True)
class DemoCentreLogin:
    role: str
    email: str
    password: str
    # The base32 authenticator secret of people who must use two-factor sign-in, else empty.
    totp_secret: str = ""


def _username_for(email: str) -> str:
    base = slugify(email.split("@")[0])[:120] or "person"
    return f"{base}-{secrets.token_hex(4)}"


@transaction.atomic
def user_create(
    *, email: str, display_name: str = "", password: str | None = None, is_active: bool = True
) -> User:
    """Create a person; without a password they cannot sign in until they accept an invitation."""
    user = User(
        email=email.strip().lower(),
        username=_username_for(email),
        display_name=display_name.strip(),
        is_active=is_active,
    )
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


RATE_LIMIT_WINDOW = timedelta(hours=1)
PASSWORD_RESETS_PER_ADDRESS_FACTOR = 4


def _rate_key(value: str) -> str:
    secret = settings.SECRET_KEY.encode("utf-8")
    return hmac.new(secret, value.strip().lower().encode("utf-8"), hashlib.sha256).hexdigest()


@transaction.atomic
def rate_limit_hit(*, scope: str, limits: dict[str, int], now: datetime | None = None) -> None:
    """Count one request against each key's limit per RATE_LIMIT_WINDOW (keys: an address, an
    email). Raises RateLimitedError, counting nothing, if any key has reached its limit.

    Keys are stored as keyed hashes; a key that is empty (no address known) is not limited.
    """
    now = now or timezone.now()
    hashes = {_rate_key(key): limit for key, limit in limits.items() if key}
    for key_hash, limit in hashes.items():
        hits = RateLimitHit.objects.filter(
            scope=scope, key_hash=key_hash, hit_at__gt=now - RATE_LIMIT_WINDOW
        )
        if hits.count() >= limit:
            oldest = hits.order_by("hit_at").values_list("hit_at", flat=True).first() or now
            wait = oldest + RATE_LIMIT_WINDOW - now
            raise RateLimitedError(minutes=max(1, math.ceil(wait.total_seconds() / 60)))
    RateLimitHit.objects.bulk_create(
        RateLimitHit(scope=scope, key_hash=key_hash, hit_at=now) for key_hash in hashes
    )


def sign_up_rate_limit(*, ip_address: str | None) -> None:
    """Count a sign-up from this address; raise RateLimitedError past ACCOUNTS_SIGN_UP_PER_HOUR."""
    rate_limit_hit(scope="sign_up", limits={ip_address or "": settings.ACCOUNTS_SIGN_UP_PER_HOUR})


def password_reset_rate_limit(*, email: str, ip_address: str | None) -> None:
    """Count a reset request for this email from this address; raise RateLimitedError past
    ACCOUNTS_PASSWORD_RESET_PER_HOUR for the email (four times as many for the address)."""
    per_email = settings.ACCOUNTS_PASSWORD_RESET_PER_HOUR
    rate_limit_hit(
        scope="password_reset",
        limits={
            f"email:{email}": per_email,
            f"address:{ip_address or ''}" if ip_address else "": per_email
            * PASSWORD_RESETS_PER_ADDRESS_FACTOR,
        },
    )


def sign_in_records_prune(*, now: datetime | None = None) -> int:
    """Delete sign-in attempts and rate-limit hits older than ACCOUNTS_SIGN_IN_RECORD_DAYS.

    The lockout and the limits look back an hour at most, so older rows serve no purpose.
    Returns how many rows were deleted.
    """
    cutoff = (now or timezone.now()) - timedelta(days=settings.ACCOUNTS_SIGN_IN_RECORD_DAYS)
    attempts, _ = SignInAttempt.objects.filter(attempted_at__lt=cutoff).delete()
    hits, _ = RateLimitHit.objects.filter(hit_at__lt=cutoff).delete()
    return attempts + hits


def user_sign_up(*, email: str, password: str, display_name: str = "") -> User:
    """Create a learner who studies alone, without a centre."""
    return user_create(email=email, password=password, display_name=display_name)


# Device cookies (OWASP's "slow brute force" defence): a browser that has signed in to an email
# before holds a signed cookie naming a random device id and a keyed tag of that email. Its
# failures are counted apart from everyone else's, so a stranger guessing at an email locks out
# only browsers that never signed in to it, never its owner's. The cookie proves nothing by
# itself: the password (and second factor) are still required.
DEVICE_COOKIE_NAME = "rw_device"
DEVICE_COOKIE_MAX_AGE = timedelta(days=365)
_DEVICE_SALT = "revisewise.accounts.device"
_DEVICE_ID = re.compile(r"[0-9a-f]{32}")


def _email_tag(email: str) -> str:
    return salted_hmac(_DEVICE_SALT, email.strip().lower()).hexdigest()[:32]


def device_token_issue(*, email: str) -> str:
    """Return a new signed device cookie value for a browser that just signed in to `email`."""
    payload = {"e": _email_tag(email), "d": secrets.token_hex(16)}
    return signing.dumps(payload, salt=_DEVICE_SALT)


def device_id_for(*, token: str | None, email: str) -> str:
    """Return the device id of a valid cookie issued for this email; "" for anything else."""
    if not token:
        return ""
    try:
        payload = signing.loads(token, salt=_DEVICE_SALT, max_age=DEVICE_COOKIE_MAX_AGE)
    except signing.BadSignature:
        return ""
    if not isinstance(payload, dict):
        return ""
    tag, device = str(payload.get("e", "")), str(payload.get("d", ""))
    if not hmac.compare_digest(tag, _email_tag(email)) or not _DEVICE_ID.fullmatch(device):
        return ""
    return device


def _failures_locking(*, email: str, device: str, now: datetime) -> bool:
    # Counted per email from every address together: a guesser gains nothing by changing
    # address, and the address is REMOTE_ADDR (never X-Forwarded-For, which anyone can write).
    # A known device ("" is every unknown browser together) has a count of its own.
    window = timedelta(minutes=settings.ACCOUNTS_SIGN_IN_LOCKOUT_MINUTES)
    failures = SignInAttempt.objects.filter(
        email=email, device=device, succeeded=False, attempted_at__gt=now - window
    ).count()
    return failures >= settings.ACCOUNTS_SIGN_IN_MAX_FAILURES


def sign_in_check(
    *,
    request: HttpRequest | None,
    email: str,
    password: str,
    ip_address: str | None,
    device_token: str | None = None,
) -> User | None:
    """Return the person if the email and password match, recording the attempt.

    Raises SignInLockedError, without checking the password, once this email has failed
    ACCOUNTS_SIGN_IN_MAX_FAILURES times within the lockout window, from any addresses: counted
    per known device (`device_token`, a cookie from `device_token_issue`) and for all unknown
    browsers together. The lock lifts as those failures age out of the window. The answer is
    the same whether or not the account exists.
    """
    email = email.strip().lower()
    now = timezone.now()
    device = device_id_for(token=device_token, email=email)
    if _failures_locking(email=email, device=device, now=now):
        raise SignInLockedError(known_device=bool(device))
    user = authenticate(request, username=email, password=password)
    SignInAttempt.objects.create(
        email=email,
        ip_address=ip_address,
        attempted_at=now,
        succeeded=user is not None,
        device=device,
    )
    return user if isinstance(user, User) else None


@transaction.atomic
def membership_grant(*, user: User, cohort: Cohort | None, centre: Centre, role: str) -> Membership:
    """Give a person a role in a cohort (learners, tutors) or a centre (administrators)."""
    membership, _ = Membership.objects.get_or_create(
        user=user, centre=centre, cohort=cohort, role=role
    )
    return membership


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def invitation_create(
    *, invited_by: User, cohort: Cohort, email: str, role: str, base_url: str
) -> Invitation:
    """Invite someone to a cohort by email with a single-use link that lasts seven days.

    The link's token is sent once and only its SHA-256 is stored. The email goes after commit.
    """
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email.strip().lower(),
        role=role,
        cohort=cohort,
        invited_by=invited_by,
        token_hash=_token_hash(token),
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    link = base_url.rstrip("/") + reverse("accounts:invitation-accept", args=[token])
    context = {"invitation": invitation, "link": link, "inviter": invited_by}
    body = render_to_string("accounts/emails/invitation.txt", context)
    subject = f"You are invited to {cohort.centre.name} on Revisewise"
    transaction.on_commit(lambda: send_mail(subject, body, None, [invitation.email]))
    return invitation


def invitation_get_usable(*, token: str) -> Invitation:
    """Return the invitation for this link, or raise InvitationError saying why it is unusable."""
    invitation = (
        Invitation.objects.filter(token_hash=_token_hash(token))
        .select_related("cohort__centre")
        .first()
    )
    if invitation is None:
        raise InvitationError("This invitation link is not valid. Check that you copied all of it.")
    if invitation.accepted_at is not None:
        raise InvitationError(
            "This invitation has already been used. Sign in, or ask your centre for a new one."
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationError(
            "This invitation has expired. Ask your centre administrator to send a new one."
        )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str, display_name: str = "") -> User:
    """Accept an invitation: create or complete the account, set its password, join the cohort.

    An existing account that can already sign in keeps its password. Raises InvitationError
    when the link is unknown, used or expired, and ValidationError for a weak password.
    """
    invitation = invitation_get_usable(token=token)
    Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
    user = user_get_by_email(email=invitation.email)
    if user is None:
        user = user_create(email=invitation.email, display_name=display_name, password=password)
    elif not user.has_usable_password():
        validate_password(password, user)
        user.set_password(password)
        user.display_name = display_name.strip() or user.display_name
        user.is_active = True
        user.save(update_fields=["password", "display_name", "is_active"])
    membership_grant(
        user=user, cohort=invitation.cohort, centre=invitation.cohort.centre, role=invitation.role
    )
    updated = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=timezone.now(), accepted_by=user
    )
    if updated != 1:
        raise InvitationError("This invitation has already been used.")
    return user


def _import_rows(csv_text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff")))
    fields = {(name or "").strip().lower() for name in reader.fieldnames or []}
    if "email" not in fields:
        raise CohortImportError([ImportRowError(1, "The first row must name an 'email' column.")])
    return [
        {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k}
        for row in reader
    ]


def _import_errors(cohort: Cohort, rows: list[dict[str, str]]) -> list[ImportRowError]:
    errors: list[ImportRowError] = []
    seen: dict[str, int] = {}
    members = set(
        Membership.objects.filter(cohort=cohort, role=Role.LEARNER).values_list(
            "user__email", flat=True
        )
    )
    members = {email.lower() for email in members}
    for number, row in enumerate(rows, start=2):
        email = row.get("email", "").lower()
        try:
            validate_email(email)
        except ValidationError:
            errors.append(ImportRowError(number, f"'{email}' is not a valid email address."))
            continue
        if email in seen:
            errors.append(ImportRowError(number, f"{email} is also on row {seen[email]}."))
        elif email in members:
            errors.append(ImportRowError(number, f"{email} is already a learner in this cohort."))
        seen.setdefault(email, number)
        if len(row.get("display_name", "")) > 150:
            errors.append(ImportRowError(number, "The display name is longer than 150 characters."))
    return errors


@transaction.atomic
def cohort_import_learners(
    *, cohort: Cohort, csv_text: str, invited_by: User, base_url: str
) -> list[Invitation]:
    """Add the learners listed in a CSV (email, display_name) to a cohort and invite each one.

    Every row is checked first; if any is wrong, CohortImportError lists them all with their row
    numbers (the header is row 1) and nothing is created.
    """
    rows = _import_rows(csv_text)
    if not rows:
        raise CohortImportError([ImportRowError(2, "The file has no learners in it.")])
    errors = _import_errors(cohort, rows)
    if errors:
        raise CohortImportError(errors)
    invitations = []
    for row in rows:
        email = row["email"].lower()
        user = user_get_by_email(email=email) or user_create(
            email=email, display_name=row.get("display_name", "")
        )
        membership_grant(user=user, cohort=cohort, centre=cohort.centre, role=Role.LEARNER)
        invitations.append(
            invitation_create(
                invited_by=invited_by,
                cohort=cohort,
                email=email,
                role=Role.LEARNER,
                base_url=base_url,
            )
        )
    return invitations


@transaction.atomic
def totp_device_start(*, user: User) -> TotpDevice:
    """Give a person a new, unconfirmed authenticator secret (replacing any unconfirmed one)."""
    device, created = TotpDevice.objects.get_or_create(
        user=user, defaults={"secret_encrypted": totp.totp_secret_seal(totp.totp_new_secret())}
    )
    if not created and not device.is_confirmed:
        device.secret = totp.totp_new_secret()
        device.save(update_fields=["secret_encrypted", "updated_at"])
    return device


TOTP_MAX_FAILURES = 5


@transaction.atomic
def totp_device_verify(*, user: User, code: str) -> bool:
    """Check a code from the person's authenticator; a code's time step is accepted only once.

    The first accepted code confirms an enrolling device. After TOTP_MAX_FAILURES wrong codes in
    a row the device refuses every code for the sign-in lockout period, so codes cannot be
    guessed.
    """
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    now = timezone.now()
    if device is None or (device.locked_until is not None and device.locked_until > now):
        return False
    step = totp.totp_match_step(secret=device.secret, code=code, unix_time=time.time())
    if step is None or (device.last_used_step is not None and step <= device.last_used_step):
        device.failed_attempts += 1
        if device.failed_attempts >= TOTP_MAX_FAILURES:
            minutes = settings.ACCOUNTS_SIGN_IN_LOCKOUT_MINUTES
            device.locked_until = now + timedelta(minutes=minutes)
            device.failed_attempts = 0
        device.save(update_fields=["failed_attempts", "locked_until", "updated_at"])
        return False
    device.last_used_step = step
    device.failed_attempts = 0
    device.confirmed_at = device.confirmed_at or now
    device.save(update_fields=["last_used_step", "failed_attempts", "confirmed_at", "updated_at"])
    return True


@transaction.atomic
def accounts_seed_demo_centre(
    *, tutor_password: str, learner_password: str, learner_count: int = 4
) -> tuple[DemoCentreLogin, ...]:
    """Create (or refresh) the demo centre, its cohort, a tutor and learners; return their logins.

    The cohort studies the first qualification, if any. Safe to run again: it updates passwords
    and never duplicates people or memberships.
    """
    from revisewise.content.models import Qualification

    centre, _ = Centre.objects.get_or_create(
        slug="demo-training", defaults={"name": "Demo Training Centre"}
    )
    # The demo seeds are customer-service units (the ST0071 plan hangs on the first diploma).
    cohort, _ = Cohort.objects.get_or_create(centre=centre, name="Customer Service L3, Jan 2027")
    qualification = Qualification.objects.order_by("pk").first()
    if qualification is not None and cohort.qualification_id != qualification.pk:
        cohort.qualification = qualification
        cohort.save(update_fields=["qualification", "updated_at"])
    people = [("tutor", "tutor@demo.revisewise.test", "Tara Tutor", tutor_password)]
    names = ["Amira Khan", "Ben Hughes", "Chloe Evans", "Dylan Price", "Erin Walsh", "Femi Ade"]
    for number in range(learner_count):
        name = names[number % len(names)]
        email = f"learner{number + 1}@demo.revisewise.test"
        people.append(("learner", email, name, learner_password))
    logins = []
    for role, email, name, password in people:
        user = user_get_by_email(email=email) or user_create(email=email, display_name=name)
        user.set_password(password)
        user.save(update_fields=["password"])
        membership_grant(user=user, cohort=cohort, centre=centre, role=role)
        secret = totp_device_enrol_demo(user=user) if role == Role.TUTOR else ""
        label = f"{role} ({cohort.name})"
        logins.append(
            DemoCentreLogin(role=label, email=email, password=password, totp_secret=secret)
        )
    return tuple(logins)


def totp_device_enrol_demo(*, user: User) -> str:
    """Enrol a demo person's authenticator up front, so the run command can print its secret."""
    device, _ = TotpDevice.objects.get_or_create(
        user=user,
        defaults={
            "secret_encrypted": totp.totp_secret_seal(totp.totp_new_secret()),
            "confirmed_at": timezone.now(),
        },
    )
    return device.secret


@transaction.atomic
def account_records_erase(*, user: User) -> None:
    """Delete the person's roles, second factor, sign-in attempts and invitations to them.

    Invitations they sent to other people stay with the centre, without the sender.
    """
    Membership.objects.filter(user=user).delete()
    TotpDevice.objects.filter(user=user).delete()
    SignInAttempt.objects.filter(email__iexact=user.email).delete()
    Invitation.objects.filter(email__iexact=user.email).delete()
    RateLimitHit.objects.filter(key_hash=_rate_key(f"email:{user.email}")).delete()
    Invitation.objects.filter(invited_by=user).update(invited_by=None)
    Invitation.objects.filter(accepted_by=user).update(accepted_by=None)


def totp_devices_reseal() -> int:
    """Re-encrypt every authenticator secret with the current SECRET_KEY; return how many.

    Run after rotating the key (the old one in SECRET_KEY_FALLBACKS), then drop the old key.
    """
    count = 0
    for device in TotpDevice.objects.only("pk", "secret_encrypted").iterator():
        resealed = totp.totp_secret_reseal(device.secret_encrypted)
        TotpDevice.objects.filter(pk=device.pk).update(secret_encrypted=resealed)
        count += 1
    return count
