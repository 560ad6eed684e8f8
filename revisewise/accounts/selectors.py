"""Reads about people and their roles; tenancy (centre, cohort) is enforced here, once.

A selector that fetches something for a person raises Http404 when that person may not see it,
so a tutor of another centre learns nothing, not even that the learner exists.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from revisewise.accounts.models import (
    CONTENT_AUTHORS_GROUP,
    Cohort,
    Membership,
    Role,
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


def cohort_members(*, cohort: Cohort) -> QuerySet[Membership]:
    """Return the cohort's memberships with their people, tutors first."""
    return (
        Membership.objects.filter(cohort=cohort)
        .select_related("user")
        .order_by("-role", "user__display_name", "user__email")
    )
