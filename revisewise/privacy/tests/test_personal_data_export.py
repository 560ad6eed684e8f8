from __future__ import annotations

import json

import pytest

from revisewise.accounts.models import User
from revisewise.accounts.tests.factories import UserFactory
from revisewise.audit.models import AuditAction, AuditEvent
from revisewise.practice.models import Attempt
from revisewise.privacy.services import (
    EXPORT_SCHEMA_VERSION,
    account_delete,
    personal_data_export,
    personal_data_summary,
)
from revisewise.privacy.tests.factories import ANSWER, learner_with_history

pytestmark = pytest.mark.django_db


def _section(export, name):
    return next(section["data"] for section in export["sections"] if section["name"] == name)


def test_it_exports_the_account_memberships_and_every_registered_section(history):
    export = personal_data_export(user=history.learner)

    assert export["schema_version"] == EXPORT_SCHEMA_VERSION
    assert export["account"]["email"] == history.learner.email
    assert export["memberships"] == [
        {
            "centre": history.cohort.centre.name,
            "cohort": history.cohort.name,
            "role": "Learner",
            "since": export["memberships"][0]["since"],
        }
    ]
    names = {section["name"] for section in export["sections"]}
    assert {"practice", "scheduling", "sign_in", "llm_calls", "audit"} <= names
    json.dumps(export)


def test_it_exports_every_answer_review_plan_and_llm_call(history):
    export = personal_data_export(user=history.learner)

    practice = _section(export, "practice")
    assert [a["response"] for a in practice["attempts"]] == [ANSWER]
    assert practice["attempts"][0]["uuid"] == str(history.attempt.uuid)
    scheduling = _section(export, "scheduling")
    assert len(scheduling["reviews"]) == 1
    assert scheduling["exam_plans"][0]["exam_date"] == "2027-01-20"
    assert scheduling["settings"] == {"desired_retention": 0.85, "daily_capacity": 30}
    assert _section(export, "llm_calls")[0]["feature"] == "tutor"
    assert _section(export, "audit")[0]["who"] == history.tutor.email


def test_it_never_exports_the_password_hash_or_the_authenticator_secret(history):
    text = json.dumps(personal_data_export(user=history.learner))

    assert history.learner.password not in text
    assert "JBSWY3DPEHPK3PXP" not in text
    assert '"enrolled_at"' in text


def test_it_exports_nothing_of_another_learner(history):
    other = learner_with_history(cohort=history.cohort)

    text = json.dumps(personal_data_export(user=history.learner))

    assert other.learner.email not in text
    assert str(other.attempt.uuid) not in text


def test_it_records_the_export_in_the_centres_audit_log(history):
    personal_data_export(user=history.learner)

    event = AuditEvent.objects.get(action=AuditAction.DATA_EXPORTED)
    assert (event.actor, event.subject, event.centre) == (
        history.learner,
        history.learner,
        history.cohort.centre,
    )


def test_it_summarises_the_export_in_readable_tables(history):
    summary = personal_data_summary(export=personal_data_export(user=history.learner))

    practice = next(section for section in summary if section.name == "practice")
    attempts = next(table for table in practice.tables if table.title == "Attempts")
    assert attempts.total == 1
    assert ANSWER in attempts.rows[0]
    account = summary[0]
    assert ("Email", history.learner.email) in account.facts


def test_it_exports_and_deletes_a_person_with_no_records(db):

    person = UserFactory.create()

    export = personal_data_export(user=person)
    json.dumps(export)
    account_delete(user=person, confirm_password="correct-horse-battery-staple")

    assert export["memberships"] == []
    assert not User.objects.filter(pk=person.pk).exists()
    # Someone studying alone has no centre: the events are kept with no centre.
    assert AuditEvent.objects.filter(centre__isnull=True).count() == 2


def test_it_deletes_a_tutor_and_keeps_their_learners_records(history):

    account_delete(user=history.tutor, confirm_password="correct-horse-battery-staple")

    assert Attempt.objects.filter(learner=history.learner).count() == 1
    viewed = AuditEvent.objects.get(action=AuditAction.LEARNER_VIEWED)
    assert viewed.actor is None
    assert viewed.actor_label.startswith("deleted-person-")
    assert viewed.subject == history.learner
