"""Reads about people and their roles; tenancy (centre, cohort) is enforced here, once.

A selector that fetches something for a person raises Http404 when that person may not see it,
so a tutor of another centre learns nothing, not even that the learner exists.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from revisewise.accounts.models import (
    CONTENT_AUTHORS_GROUP,
    Cohort,
    Invitation,
    Membership,
    Role,
    SignInAttempt,
    TotpDevice,
    User,
)

STAFF_ROLES = (Role.TUTOR, Role.CENTRE_ADMIN)


def user_get_by_email(*, email: str) -> User | None:
    """Return the person with this email, ignoring case, or None."""
    return User.objects.filter(email__iexact=email.strip()).first()


def user_is_content_author(*, user: User) -> bool:
    return user.is_active and user.groups.filter(name=CONTENT_AUTHORS_GROUP).exists()


def user_is_site_admin(*, user: User) -> bool:
    return user.is_active and user.is_superuser


CENTRE_STAFF_SESSION_KEY = "accounts_centre_staff"


def user_has_centre_role(*, user: User) -> bool:
    """Say whether this person tutors a cohort or administers a centre (one query)."""
    return Membership.objects.filter(user=user, role__in=STAFF_ROLES).exists()


def user_requires_two_factor(*, user: User) -> bool:
    """Say whether this person must pass a second factor: staff, authors, tutors and admins.

    One query, or none for Django staff; learners may still choose to enrol.
    """
    if user.is_staff or user.is_superuser:
        return True
    return (
        User.objects.filter(pk=user.pk)
        .filter(Q(memberships__role__in=STAFF_ROLES) | Q(groups__name=CONTENT_AUTHORS_GROUP))
        .exists()
    )


def user_two_factor_state(*, user: User) -> tuple[bool, bool]:
    """Return (has a confirmed authenticator, must use two-factor sign-in), in one query."""
    has_device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False)
    must = Q(memberships__role__in=STAFF_ROLES) | Q(groups__name=CONTENT_AUTHORS_GROUP)
    state = (
        User.objects.filter(pk=user.pk)
        .annotate(has_device=Exists(has_device), must=Exists(User.objects.filter(must, pk=user.pk)))
        .values_list("has_device", "must")
        .first()
    )
    has, required = state or (False, False)
    return bool(has), bool(required or user.is_staff or user.is_superuser)


def user_is_tutor_of(*, tutor: User, learner: User) -> bool:
    """Say whether `tutor` tutors a cohort `learner` is in, or administers its centre."""
    learner_cohorts = Membership.objects.filter(user=learner, role=Role.LEARNER)
    return Membership.objects.filter(
        Q(role=Role.TUTOR, cohort__in=learner_cohorts.values("cohort"))
        | Q(role=Role.CENTRE_ADMIN, centre__in=learner_cohorts.values("centre")),
        user=tutor,
    ).exists()


def user_is_centre_admin_of(*, user: User, cohort: Cohort) -> bool:
    return Membership.objects.filter(
        user=user, role=Role.CENTRE_ADMIN, centre_id=cohort.centre_id
    ).exists()


def learner_get_for_tutor(*, tutor: User, learner_uuid: str) -> User:
    """Return a learner this tutor may see, or raise Http404 (also for another centre's tutor)."""
    learner = User.objects.filter(uuid=learner_uuid, is_active=True).first()
    if learner is None or not user_is_tutor_of(tutor=tutor, learner=learner):
        raise Http404("No such learner.")
    return learner


def cohort_list_for_user(*, user: User) -> QuerySet[Cohort]:
    """Return the cohorts this person learns in, tutors, or administers through their centre.

    Each cohort carries `is_administered`: whether this person administers its centre.
    """
    administers = Membership.objects.filter(
        user=user, role=Role.CENTRE_ADMIN, centre=OuterRef("centre")
    )
    return (
        Cohort.objects.filter(
            Q(memberships__user=user, memberships__role__in=[Role.LEARNER, Role.TUTOR])
            | Q(centre__memberships__user=user, centre__memberships__role=Role.CENTRE_ADMIN)
        )
        .annotate(is_administered=Exists(administers))
        .select_related("centre", "qualification")
        .distinct()
    )


def cohort_get_for_tutor(*, user: User, cohort_uuid: str) -> Cohort:
    """Return a cohort this person tutors or administers, or raise Http404."""
    cohort = (
        Cohort.objects.filter(
            Q(memberships__user=user, memberships__role=Role.TUTOR)
            | Q(centre__memberships__user=user, centre__memberships__role=Role.CENTRE_ADMIN),
            uuid=cohort_uuid,
        )
        .select_related("centre", "qualification")
        .first()
    )
    if cohort is None:
        raise Http404("No such cohort.")
    return cohort


def cohort_get_for_centre_admin(*, user: User, cohort_uuid: str) -> Cohort:
    """Return a cohort of a centre this person administers, or raise Http404."""
    cohort = (
        Cohort.objects.filter(
            uuid=cohort_uuid,
            centre__memberships__user=user,
            centre__memberships__role=Role.CENTRE_ADMIN,
        )
        .select_related("centre", "qualification")
        .first()
    )
    if cohort is None:
        raise Http404("No such cohort.")
    return cohort


def cohort_invitations_pending(*, cohort: Cohort, now: datetime) -> QuerySet[Invitation]:
    """Return the cohort's invitations not yet accepted and not expired, newest first."""
    return Invitation.objects.filter(
        cohort=cohort, accepted_at__isnull=True, expires_at__gt=now
    ).order_by("-created_at")


def cohort_members(*, cohort: Cohort) -> QuerySet[Membership]:
    """Return the cohort's memberships with their people, tutors first."""
    return (
        Membership.objects.filter(cohort=cohort)
        .select_related("user")
        .order_by("-role", "user__display_name", "user__email")
    )


def account_export_for_user(*, user: User) -> dict[str, Any]:
    """Return the person's account details for their data export (never the password hash)."""
    return {
        "uuid": str(user.uuid),
        "email": user.email,
        "display_name": user.display_name,
        "joined_at": user.date_joined.isoformat(),
        "last_sign_in": user.last_login.isoformat() if user.last_login else None,
        "can_sign_in_with_password": user.has_usable_password(),
    }


def memberships_export_for_user(*, user: User) -> list[dict[str, Any]]:
    """Return each role the person holds, with its centre and cohort, for their data export."""
    memberships = Membership.objects.filter(user=user).select_related("centre", "cohort")
    return [
        {
            "centre": membership.centre.name,
            "cohort": membership.cohort.name if membership.cohort else None,
            "role": membership.get_role_display(),
            "since": membership.created_at.isoformat(),
        }
        for membership in memberships.order_by("created_at", "pk")
    ]


def sign_in_records_export_for_user(*, user: User) -> dict[str, Any]:
    """Return the person's sign-in attempts, second factor and invitations (never the secret)."""
    device = TotpDevice.objects.filter(user=user).first()
    attempts = SignInAttempt.objects.filter(email__iexact=user.email).order_by("attempted_at")
    invitations = Invitation.objects.filter(email__iexact=user.email).select_related("cohort")
    return {
        "two_factor": (
            {
                "enrolled_at": device.created_at.isoformat(),
                "confirmed_at": device.confirmed_at.isoformat() if device.confirmed_at else None,
            }
            if device
            else None
        ),
        "sign_in_attempts": [
            {
                "at": attempt.attempted_at.isoformat(),
                "ip_address": attempt.ip_address,
                "succeeded": attempt.succeeded,
                "from_a_device_that_signed_in_before": bool(attempt.device),
            }
            for attempt in attempts
        ],
        "invitations": [
            {
                "cohort": invitation.cohort.name,
                "role": invitation.get_role_display(),
                "sent_at": invitation.created_at.isoformat(),
                "accepted_at": (
                    invitation.accepted_at.isoformat() if invitation.accepted_at else None
                ),
            }
            for invitation in invitations.order_by("created_at")
        ],
    }
