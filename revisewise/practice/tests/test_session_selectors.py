from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.http import Http404

from revisewise.accounts.models import Role
from revisewise.accounts.tests.factories import MembershipFactory
from revisewise.practice.models import SessionScope
from revisewise.practice.selectors import (
    next_unanswered_position,
    practice_session_get_for_learner,
)
from revisewise.practice.services import attempt_submit, practice_session_start
from revisewise.practice.tests.factories import ItemFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def membership():
    return MembershipFactory.create()


@pytest.fixture
def session(membership):
    item = ItemFactory.create()
    return practice_session_start(
        learner=membership.user, scope=SessionScope.UNIT, unit=item.unit, now=NOW
    )


def test_the_learner_gets_their_own_session(membership, session):
    found = practice_session_get_for_learner(learner=membership.user, session_uuid=session.uuid)

    assert found == session


def test_their_tutor_does_not_get_the_session_itself(membership, session):
    tutor = MembershipFactory.create(cohort=membership.cohort, role=Role.TUTOR).user

    # Tutors see a learner's progress, derived from the logs, not their raw sessions.
    with pytest.raises(Http404):
        practice_session_get_for_learner(learner=tutor, session_uuid=session.uuid)


def test_a_learner_from_another_centre_gets_404(session):
    stranger = MembershipFactory.create().user

    with pytest.raises(Http404):
        practice_session_get_for_learner(learner=stranger, session_uuid=session.uuid)


def test_the_next_position_skips_answered_items(membership):
    first = ItemFactory.create()
    ItemFactory.create(unit=first.unit)
    session = practice_session_start(
        learner=membership.user, scope=SessionScope.UNIT, unit=first.unit, now=NOW
    )
    assert next_unanswered_position(session=session) == 0

    attempt_submit(
        learner=membership.user,
        session=session,
        position=0,
        response="x",
        client_token="t1",
        duration_ms=None,
        now=NOW,
    )
    assert next_unanswered_position(session=session) == 1
    attempt_submit(
        learner=membership.user,
        session=session,
        position=1,
        response="x",
        client_token="t2",
        duration_ms=None,
        now=NOW,
    )
    assert next_unanswered_position(session=session) is None
