"""A learner with some of everything the site keeps about a person, for export and erasure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from revisewise.accounts.models import Cohort, Role, SignInAttempt, TotpDevice, User
from revisewise.accounts.tests.factories import MembershipFactory
from revisewise.accounts.totp import totp_secret_seal
from revisewise.audit.models import AuditAction
from revisewise.audit.services import audit_record
from revisewise.llmlog.services import llm_call_record
from revisewise.practice.models import Attempt, ItemType, SessionScope
from revisewise.practice.services import attempt_submit, practice_session_start
from revisewise.practice.tests.factories import items_of_every_type
from revisewise.scheduling.services import exam_plan_set, learner_settings_update

STARTED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ANSWER = "consumer rights act 2015"


@dataclass(frozen=True)
class LearnerHistory:
    learner: User
    tutor: User
    cohort: Cohort
    attempt: Attempt


def learner_with_history(
    *, cohort: Cohort | None = None, answer: str = ANSWER, exam_date: date = date(2027, 1, 20)
) -> LearnerHistory:
    """Create a learner and their tutor in one cohort, with an answered practice session, a
    review, an exam plan, settings, an LLM call, a sign-in attempt, an authenticator and an
    audit event of the tutor viewing them."""
    membership = (
        MembershipFactory.create(cohort=cohort, role=Role.LEARNER)
        if cohort
        else MembershipFactory.create(role=Role.LEARNER)
    )
    learner, cohort = membership.user, membership.cohort
    assert cohort is not None
    tutor = MembershipFactory.create(cohort=cohort, role=Role.TUTOR).user
    items = items_of_every_type()
    cloze = items[ItemType.CLOZE]
    session = practice_session_start(
        learner=learner, scope=SessionScope.UNIT, unit=cloze.unit, now=STARTED
    )
    session.item_order = [str(cloze.uuid)]
    session.save(update_fields=["item_order"])
    attempt = attempt_submit(
        learner=learner,
        session=session,
        position=0,
        response=answer,
        client_token="history-1",
        duration_ms=3000,
        now=STARTED,
    )
    assert cloze.unit.qualification is not None
    exam_plan_set(learner=learner, qualification=cloze.unit.qualification, exam_date=exam_date)
    learner_settings_update(learner=learner, desired_retention=0.85, daily_capacity=30)
    llm_call_record(
        feature="tutor", model="m", started_at=STARTED, latency_ms=10, outcome="ok", user=learner
    )
    SignInAttempt.objects.create(
        email=learner.email, ip_address="192.0.2.7", attempted_at=STARTED, succeeded=True
    )
    TotpDevice.objects.create(user=learner, secret_encrypted=totp_secret_seal("JBSWY3DPEHPK3PXP"))
    audit_record(
        actor=tutor, action=AuditAction.LEARNER_VIEWED, subject=learner, centre=cohort.centre
    )
    return LearnerHistory(learner=learner, tutor=tutor, cohort=cohort, attempt=attempt)
