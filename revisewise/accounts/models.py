"""People and where they belong: users, centres, cohorts, memberships, invitations, sign-in.

Roles per centre or cohort are `Membership` rows (learner, tutor, centre administrator). The two
site-wide roles are not memberships: a content author is a member of the "Content authors" group
and a site administrator is a superuser.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from revisewise.accounts.totp import totp_secret_open, totp_secret_seal
from revisewise.core.models import PublicModel, TimeStampedModel

CONTENT_AUTHORS_GROUP = "Content authors"


class User(AbstractUser):
    """A person. `username` stays for Django's admin; people sign in with their email."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_case_insensitive_unique"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email or self.username


class Centre(PublicModel):
    """A training provider: the tenant that owns cohorts and sees its learners' data."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Cohort(PublicModel):
    """Learners studying one qualification together, e.g. "Business Admin L3, Jan 2027"."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(max_length=200)
    qualification = models.ForeignKey(
        "content.Qualification",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cohorts",
    )

    class Meta:
        ordering = ["centre__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "name"], name="cohort_name_unique_in_centre"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    LEARNER = "learner", "Learner"
    TUTOR = "tutor", "Tutor"
    CENTRE_ADMIN = "centre_admin", "Centre administrator"


class Membership(TimeStampedModel):
    """One role of one person at a centre: learners and tutors in a cohort, admins centre-wide."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="memberships")
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["centre__name", "role"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role=Role.CENTRE_ADMIN, cohort__isnull=True)
                    | Q(role__in=[Role.LEARNER, Role.TUTOR], cohort__isnull=False)
                ),
                name="membership_cohort_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "cohort", "role"],
                condition=Q(cohort__isnull=False),
                name="membership_unique_in_cohort",
            ),
            models.UniqueConstraint(
                fields=["user", "centre", "role"],
                condition=Q(cohort__isnull=True),
                name="membership_unique_in_centre",
            ),
        ]
        indexes = [models.Index(fields=["user", "role"], name="membership_user_role")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.cohort or self.centre}"


class Invitation(PublicModel):
    """A single-use, expiring invitation to join a cohort; only the token's SHA-256 is stored."""

    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role.choices)
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="invitations_sent",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=[Role.LEARNER, Role.TUTOR]),
                name="invitation_role_is_learner_or_tutor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.cohort}"


class SignInAttempt(models.Model):
    """One password sign-in attempt; failures per email and per device drive the lockout."""

    email = models.CharField(max_length=254)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    attempted_at = models.DateTimeField()
    succeeded = models.BooleanField()
    # The random id of a device cookie this email signed in with before (services.device_*), or
    # "" for any other browser: a known device has a lockout of its own, so failures from
    # elsewhere cannot lock its owner out.
    device = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        ordering = ["-attempted_at"]
        indexes = [
            models.Index(fields=["email", "attempted_at"], name="signin_attempt_email_time"),
            models.Index(fields=["attempted_at"], name="signin_attempt_time"),
        ]

    def __str__(self) -> str:
        return f"{self.email} at {self.attempted_at:%Y-%m-%d %H:%M}"


class RateLimitHit(models.Model):
    """One request counted against a rate limit (sign-up, password reset).

    The key is a keyed hash of the address or email, so the table names nobody in clear.
    """

    scope = models.CharField(max_length=40)
    key_hash = models.CharField(max_length=64)
    hit_at = models.DateTimeField()

    class Meta:
        ordering = ["-hit_at"]
        indexes = [
            models.Index(fields=["scope", "key_hash", "hit_at"], name="ratelimit_scope_key_time"),
            models.Index(fields=["hit_at"], name="ratelimit_time"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} at {self.hit_at:%Y-%m-%d %H:%M}"


class TotpDevice(TimeStampedModel):
    """A person's authenticator app: the shared secret and the last time step accepted."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device"
    )
    # The base32 secret, encrypted (accounts.totp.totp_secret_seal): it must be readable to check
    # codes, so it cannot be hashed, but a copy of the database alone does not reveal it.
    secret_encrypted = models.CharField(max_length=255)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_used_step = models.BigIntegerField(null=True, blank=True)
    # Wrong codes in a row; at the limit the device refuses every code until `locked_until`.
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Authenticator for {self.user}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def secret(self) -> str:
        """The base32 secret, decrypted."""
        return totp_secret_open(self.secret_encrypted)

    @secret.setter
    def secret(self, value: str) -> None:
        self.secret_encrypted = totp_secret_seal(value)
