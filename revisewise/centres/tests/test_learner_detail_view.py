from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from revisewise.accounts.testing import force_login_verified
from revisewise.audit.models import AuditAction, AuditEvent
from revisewise.centres.tests.conftest import NOW
from revisewise.marking.models import WrittenAnswer
from revisewise.practice.models import Attempt, SessionScope
from revisewise.practice.services import attempt_submit, practice_session_start
from revisewise.practice.tests.factories import ItemFactory
from revisewise.scheduling.services import exam_plan_set

pytestmark = pytest.mark.django_db


def _url(learner):
    return reverse("centres:learner-detail", args=[learner.uuid])


def _answer(learner, items, *, rightly):
    session = practice_session_start(
        learner=learner, scope=SessionScope.UNIT, unit=items[0].unit, now=NOW - timedelta(hours=1)
    )
    for position, key in enumerate(session.item_order):
        item = next(item for item in items if str(item.uuid) == key)
        answer = item.payload["answer"] if rightly else "wrong"
        attempt_submit(
            learner=learner,
            session=session,
            position=position,
            response=answer,
            client_token=f"t{position}",
            duration_ms=10_000,
            now=NOW - timedelta(hours=1),
        )
    return session


@time_machine.travel(NOW, tick=False)
def test_it_shows_the_learners_mastery_plan_and_recent_answers(client, tutor, learner, items):
    _answer(learner, items, rightly=True)
    exam_plan_set(
        learner=learner,
        qualification=items[0].qualification,
        exam_date=NOW.date() + timedelta(days=30),
    )
    force_login_verified(client, tutor)

    response = client.get(_url(learner))

    assert response.status_code == 200
    overview = response.context["overview"]
    assert len(overview.attempts) == 4
    assert all(attempt.is_correct for attempt in overview.attempts)
    assert overview.progress[0].mastery.seen_items == 4
    html = response.content.decode()
    assert "Amira Khan" in html
    assert "Maintain a positive relationship" in html
    assert "On track" in html
    assert html.count("<td>Correct</td>") == 4
    assert "<td>100%</td>" in html


@time_machine.travel(NOW, tick=False)
def test_it_links_written_answers_to_their_marking_page(client, tutor, learner, items):
    written = ItemFactory.create(
        unit=items[0].unit,
        item_type="written",
        payload={"marking_points": ["A point."], "model_answer": "A point."},
    )
    session = practice_session_start(
        learner=learner, scope=SessionScope.UNIT, unit=written.unit, now=NOW, only=[written]
    )
    attempt = Attempt.objects.create(
        session=session,
        learner=learner,
        item=written,
        position=0,
        response="My answer",
        client_token="w",
    )
    answer = WrittenAnswer.objects.create(
        attempt=attempt, learner=learner, item=written, text="My answer"
    )
    force_login_verified(client, tutor)

    html = client.get(_url(learner)).content.decode()

    assert f'href="/marking/answers/{answer.uuid}/"' in html
    assert "Awaiting marking" in html


def test_it_records_that_the_tutor_viewed_the_learner(client, tutor, learner, cohort):
    force_login_verified(client, tutor)

    client.get(_url(learner))

    event = AuditEvent.objects.get()
    assert (event.actor, event.subject, event.action) == (
        tutor,
        learner,
        AuditAction.LEARNER_VIEWED,
    )
    assert event.centre == cohort.centre


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("tutor", 200),
        ("centre_admin", 200),
        ("learner", 404),
        ("other_tutor", 404),
        ("other_learner", 404),
    ],
)
def test_only_the_learners_tutors_and_centre_admins_see_them(
    client, request, learner, persona, status
):
    force_login_verified(client, request.getfixturevalue(persona))

    response = client.get(_url(learner))

    assert response.status_code == status
    assert AuditEvent.objects.filter(action=AuditAction.LEARNER_VIEWED).count() == (status == 200)


def test_it_answers_404_for_an_unknown_learner(client, tutor):
    import uuid

    force_login_verified(client, tutor)

    assert client.get(reverse("centres:learner-detail", args=[uuid.uuid4()])).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_it_hides_answers_outside_the_shared_cohorts_qualification(client, tutor, learner, items):
    elsewhere = ItemFactory.create(stem="A question from another qualification")
    session = practice_session_start(
        learner=learner, scope=SessionScope.UNIT, unit=elsewhere.unit, now=NOW
    )
    attempt_submit(
        learner=learner,
        session=session,
        position=0,
        response="x",
        client_token="x",
        duration_ms=None,
        now=NOW,
    )
    force_login_verified(client, tutor)

    response = client.get(_url(learner))

    assert response.context["overview"].attempts == []
    assert "A question from another qualification" not in response.content.decode()
