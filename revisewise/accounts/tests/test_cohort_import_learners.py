from __future__ import annotations

import pytest
from django.core import mail

from revisewise.accounts import services
from revisewise.accounts.models import Invitation, Membership, Role, User
from revisewise.accounts.tests.factories import MembershipFactory


def _import(cohort, centre_admin, csv_text):
    return services.cohort_import_learners(
        cohort=cohort, csv_text=csv_text, invited_by=centre_admin, base_url="http://testserver/"
    )


@pytest.mark.django_db(transaction=True)
def test_it_adds_and_invites_every_learner(cohort, centre_admin):
    csv_text = "email,display_name\namira@example.org,Amira Khan\nBen@Example.org,Ben Hughes\n"
    invitations = _import(cohort, centre_admin, csv_text)
    assert len(invitations) == 2
    learners = User.objects.filter(memberships__cohort=cohort, memberships__role=Role.LEARNER)
    assert sorted(learners.values_list("email", flat=True)) == [
        "amira@example.org",
        "ben@example.org",
    ]
    assert not learners.get(email="amira@example.org").has_usable_password()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "amira@example.org",
        "ben@example.org",
    ]


@pytest.mark.django_db
def test_it_reports_every_bad_row_by_number_and_creates_nothing(cohort, centre_admin):
    member = MembershipFactory.create(cohort=cohort, role=Role.LEARNER).user
    users_before = User.objects.count()
    csv_text = (
        "email,display_name\n"
        "amira@example.org,Amira Khan\n"
        "not-an-email,Ben Hughes\n"
        "AMIRA@example.org,Amira again\n"
        f"{member.email},Already Here\n"
    )
    with pytest.raises(services.CohortImportError) as caught:
        _import(cohort, centre_admin, csv_text)
    assert [(error.row, error.message) for error in caught.value.errors] == [
        (3, "'not-an-email' is not a valid email address."),
        (4, "amira@example.org is also on row 2."),
        (5, f"{member.email} is already a learner in this cohort."),
    ]
    assert User.objects.count() == users_before
    assert Membership.objects.filter(cohort=cohort).count() == 1
    assert not Invitation.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_it_refuses_a_file_without_an_email_column(cohort, centre_admin):
    with pytest.raises(services.CohortImportError) as caught:
        _import(cohort, centre_admin, "name\nAmira\n")
    assert caught.value.errors[0].row == 1


@pytest.mark.django_db
def test_it_refuses_an_empty_file(cohort, centre_admin):
    with pytest.raises(services.CohortImportError) as caught:
        _import(cohort, centre_admin, "email,display_name\n")
    assert caught.value.errors[0].message == "The file has no learners in it."
