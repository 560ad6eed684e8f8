from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from revisewise.discussion.models import DiscussionAnswer, DiscussionSession
from revisewise.discussion.services import discussion_answer_submit, discussion_session_start
from revisewise.discussion.tests.factories import GOOD_ANSWER
from revisewise.privacy.registry import personal_data_entries

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _entry():
    return next(entry for entry in personal_data_entries() if entry.name == "discussion")


def test_it_registers_its_models_and_exports_the_learners_answers(learner, unit):
    session = discussion_session_start(learner=learner, unit=unit, prompt_count=2, now=NOW)
    discussion_answer_submit(session=session, position=1, text=GOOD_ANSWER)

    entry = _entry()
    export = entry.export(learner)

    assert set(entry.models) >= {"discussion.DiscussionSession", "discussion.DiscussionAnswer"}
    assert export["sessions"][0]["answers"][0]["answer"] == GOOD_ANSWER
    json.dumps(export)


def test_it_erases_only_the_learners_own_sessions(learner, unit):
    from revisewise.accounts.tests.factories import UserFactory

    other = UserFactory.create()
    for person in (learner, other):
        session = discussion_session_start(learner=person, unit=unit, prompt_count=2, now=NOW)
        discussion_answer_submit(session=session, position=1, text=GOOD_ANSWER)

    _entry().erase(learner)

    assert list(DiscussionSession.objects.values_list("learner", flat=True)) == [other.pk]
    assert DiscussionAnswer.objects.count() == 1
