from __future__ import annotations

from unittest import mock

import pytest

from revisewise.accounts.models import Invitation, Membership, SignInAttempt, TotpDevice, User
from revisewise.accounts.tests.factories import UserFactory
from revisewise.audit.models import AuditAction, AuditEvent
from revisewise.audit.services import audit_pseudonym
from revisewise.llmlog.models import LlmCall
from revisewise.practice.models import Attempt, PracticeSession
from revisewise.privacy.registry import PersonalData
from revisewise.privacy.services import AccountDeleteError, account_delete
from revisewise.privacy.tests.factories import learner_with_history
from revisewise.scheduling.models import (
    Card,
    ExamPlan,
    LearnerSchedulingSettings,
    ReviewLog,
)

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple"


def test_it_erases_every_learning_record_and_the_account(history):
    learner_id = history.learner.pk
    email = history.learner.email

    account_delete(user=history.learner, confirm_password=PASSWORD)

    assert not User.objects.filter(pk=learner_id).exists()
    for model in (Attempt, PracticeSession, Card, ExamPlan, LearnerSchedulingSettings):
        assert not model.objects.filter(learner_id=learner_id).exists(), model
    assert ReviewLog.objects.count() == 0
    assert not Membership.objects.filter(user_id=learner_id).exists()
    assert not TotpDevice.objects.filter(user_id=learner_id).exists()
    assert not SignInAttempt.objects.filter(email=email).exists()


def test_it_keeps_another_learners_records(history):
    other = learner_with_history(cohort=history.cohort)

    account_delete(user=history.learner, confirm_password=PASSWORD)

    assert Attempt.objects.filter(learner=other.learner).count() == 1
    assert ReviewLog.objects.filter(card__learner=other.learner).count() == 1
    assert Membership.objects.filter(user=other.learner).exists()


def test_it_keeps_llm_usage_without_the_person(history):
    account_delete(user=history.learner, confirm_password=PASSWORD)

    call = LlmCall.objects.get()
    assert call.user is None
    assert call.feature == "tutor"


def test_it_pseudonymises_the_person_in_the_audit_log(history):
    email = history.learner.email
    pseudonym = audit_pseudonym(user=history.learner)

    assert account_delete(user=history.learner, confirm_password=PASSWORD) == pseudonym

    assert not AuditEvent.objects.filter(subject_label=email).exists()
    assert not AuditEvent.objects.filter(actor_label=email).exists()
    viewed = AuditEvent.objects.get(action=AuditAction.LEARNER_VIEWED)
    assert (viewed.actor, viewed.subject_label) == (history.tutor, pseudonym)
    deleted = AuditEvent.objects.get(action=AuditAction.ACCOUNT_DELETED)
    assert (deleted.centre, deleted.actor_label, deleted.subject_label) == (
        history.cohort.centre,
        pseudonym,
        pseudonym,
    )
    assert email not in str(deleted.detail)


def test_it_deletes_invitations_to_the_person_and_keeps_those_they_sent(history):
    cohort = history.cohort
    Invitation.objects.create(
        email=history.learner.email,
        role="learner",
        cohort=cohort,
        token_hash="a" * 64,
        expires_at=history.attempt.created_at,
    )
    sent = Invitation.objects.create(
        email="friend@example.org",
        role="learner",
        cohort=cohort,
        token_hash="b" * 64,
        expires_at=history.attempt.created_at,
        invited_by=history.learner,
    )

    account_delete(user=history.learner, confirm_password=PASSWORD)

    assert list(Invitation.objects.all()) == [sent]
    sent.refresh_from_db()
    assert sent.invited_by is None


def test_it_refuses_a_wrong_password_and_deletes_nothing(history):
    with pytest.raises(AccountDeleteError, match="not right"):
        account_delete(user=history.learner, confirm_password="wrong")

    assert User.objects.filter(pk=history.learner.pk).exists()
    assert Attempt.objects.count() == 1
    assert not AuditEvent.objects.filter(action=AuditAction.ACCOUNT_DELETED).exists()


def test_it_refuses_a_site_administrator(db):
    admin = UserFactory.create(is_superuser=True, is_staff=True)

    with pytest.raises(AccountDeleteError, match="site administrator"):
        account_delete(user=admin, confirm_password=PASSWORD)

    assert User.objects.filter(pk=admin.pk).exists()


def test_it_deletes_nothing_when_an_erasure_fails(history):
    def broken(user):
        raise RuntimeError("disk on fire")

    failing = PersonalData(name="zz_broken", describe="", export=lambda user: [], erase=broken)
    entries = "revisewise.privacy.services.personal_data_entries"
    from revisewise.privacy.registry import personal_data_entries

    with (
        mock.patch(entries, return_value=[*personal_data_entries(), failing]),
        pytest.raises(RuntimeError),
    ):
        account_delete(user=history.learner, confirm_password=PASSWORD)

    assert User.objects.filter(pk=history.learner.pk).exists()
    assert Attempt.objects.count() == 1
    assert ReviewLog.objects.count() == 1
    assert AuditEvent.objects.filter(subject=history.learner).exists()
