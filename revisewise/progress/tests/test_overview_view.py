from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from revisewise.accounts.models import Role
from revisewise.accounts.testing import force_login_verified
from revisewise.accounts.tests.factories import MembershipFactory
from revisewise.content.models import ItemKind
from revisewise.content.tests.factories import ContentItemFactory, UnitFactory
from revisewise.practice.models import Item, ItemType, PracticeSession, SessionScope
from revisewise.practice.services import attempt_submit, practice_session_start
from revisewise.practice.tests.factories import items_of_every_type
from revisewise.scheduling.models import ReviewLog
from revisewise.scheduling.services import card_review_answer, exam_plan_set

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
URL = reverse("progress:overview")


def _answer_rightly(learner, items, item_types):
    session = practice_session_start(
        learner=learner, scope=SessionScope.UNIT, unit=items[ItemType.CLOZE].unit, now=NOW
    )
    session.item_order = [str(items[kind].uuid) for kind in item_types]
    session.save(update_fields=["item_order"])
    answers = {ItemType.TRUE_FALSE: False, ItemType.CLOZE: "Consumer Rights Act 2015"}
    for position, kind in enumerate(item_types):
        attempt_submit(
            learner=learner,
            session=session,
            position=position,
            response=answers[kind],
            client_token=f"token-{position}",
            duration_ms=6_000,
            now=NOW,
        )
    return session


@time_machine.travel(NOW + timedelta(minutes=5), tick=False)
def test_it_shows_a_practice_sessions_reviews_and_mastery(client, learner, items):
    _answer_rightly(learner, items, [ItemType.TRUE_FALSE, ItemType.CLOZE])
    assert ReviewLog.objects.filter(card__learner=learner).count() == 2
    client.force_login(learner)

    response = client.get(URL)

    assert response.status_code == 200
    progress = response.context["progress"]
    assert len(progress) == 1
    entry = progress[0]["entry"]
    assert entry.mastery.value > 0
    assert entry.mastery.seen_items == 2
    assert response.context["reviews_today"] == 2
    html = response.content.decode()
    assert "2 reviews today" in html
    assert "Customer service performance" in html
    assert '<svg role="img"' in html


@time_machine.travel(NOW, tick=False)
def test_it_shows_only_the_signed_in_learners_own_reviews(client, learner, other_learner, items):
    for kind in (ItemType.TRUE_FALSE, ItemType.CLOZE, ItemType.MCQ_SINGLE):
        card_review_answer(
            learner=other_learner, item=items[kind], is_correct=True, reviewed_at=NOW
        )
    client.force_login(learner)

    response = client.get(URL)

    assert response.context["reviews_today"] == 0
    assert response.context["progress"][0]["entry"].mastery.seen_items == 0
    assert "0 reviews today" in response.content.decode()


def test_it_sends_an_anonymous_visitor_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(("extra_qualifications", "queries"), [(0, 16), (1, 25)])
def test_it_pins_its_query_count(
    client, learner, items, extra_qualifications, queries, django_assert_num_queries
):
    for kind in (ItemType.TRUE_FALSE, ItemType.CLOZE, ItemType.MCQ_SINGLE):
        card_review_answer(learner=learner, item=items[kind], is_correct=True, reviewed_at=NOW)
    for _extra in range(extra_qualifications):
        items_of_every_type(unit=UnitFactory.create(title="Another qualification's unit"))
    client.force_login(learner)
    client.get(URL)

    with django_assert_num_queries(queries):
        assert client.get(URL).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_it_charts_mastery_by_learning_objective(client, learner, items):
    unit = items[ItemType.CLOZE].unit
    practised = ContentItemFactory.create(
        unit=unit, kind=ItemKind.OBJECTIVE, name="", text="Explain the <HEAT> model", position=1
    )
    untouched = ContentItemFactory.create(
        unit=unit, kind=ItemKind.OBJECTIVE, name="", text="Name the relevant acts", position=2
    )
    Item.objects.filter(pk=items[ItemType.CLOZE].pk).update(objective=practised)
    Item.objects.filter(pk=items[ItemType.MCQ_SINGLE].pk).update(objective=untouched)
    card_review_answer(
        learner=learner, item=items[ItemType.CLOZE], is_correct=True, reviewed_at=NOW
    )
    client.force_login(learner)

    response = client.get(URL)

    chart = response.context["progress"][0]["objective_chart"]
    assert [bar.label for bar in chart.bars] == [
        "Explain the <HEAT> model",
        "Name the relevant acts",
    ]
    assert chart.bars[0].value > 0.9
    assert chart.bars[1].width == 0
    html = response.content.decode()
    assert "Explain the &lt;HEAT&gt; model" in html
    assert "Explain the <HEAT> model" not in html
    assert '<title id="objectives-' in html


@time_machine.travel(NOW + timedelta(days=30), tick=False)
def test_it_offers_a_due_now_session_that_starts_from_the_page(client, learner, items):
    card_review_answer(
        learner=learner, item=items[ItemType.CLOZE], is_correct=True, reviewed_at=NOW
    )
    client.force_login(learner)

    html = client.get(URL).content.decode()

    assert f'action="{reverse("practice:session-start")}"' in html
    assert '<input type="hidden" name="scope" value="due">' in html
    assert "1 question due now" in html
    response = client.post(reverse("practice:session-start"), {"scope": "due"})
    session = PracticeSession.objects.get(learner=learner)
    assert session.scope == SessionScope.DUE
    assert session.item_order == [str(items[ItemType.CLOZE].uuid)]
    assert response.status_code == 302


@time_machine.travel(NOW, tick=False)
def test_it_says_when_nothing_is_due(client, learner, items):
    client.force_login(learner)

    html = client.get(URL).content.decode()

    assert "Nothing is due for review right now." in html
    assert 'name="scope" value="due"' not in html
    assert "Not started: 8 questions to practise." in html


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("viewer", ["tutor", "other_centre_learner"])
def test_it_never_shows_a_learners_progress_to_anyone_else(client, items, viewer):
    learner_membership = MembershipFactory.create(role=Role.LEARNER)
    people = {
        "tutor": MembershipFactory.create(role=Role.TUTOR, cohort=learner_membership.cohort).user,
        "other_centre_learner": MembershipFactory.create(role=Role.LEARNER).user,
    }
    learner = learner_membership.user
    for kind in (ItemType.TRUE_FALSE, ItemType.CLOZE):
        card_review_answer(learner=learner, item=items[kind], is_correct=True, reviewed_at=NOW)
    exam_plan_set(
        learner=learner,
        qualification=items[ItemType.CLOZE].qualification,
        exam_date=NOW.date() + timedelta(days=30),
    )
    force_login_verified(client, people[viewer])

    overview = client.get(URL)
    plan = client.get(reverse("progress:plan"))

    assert overview.context["reviews_today"] == 0
    assert overview.context["progress"][0]["entry"].mastery.seen_items == 0
    assert plan.context["plans"] == []
    force_login_verified(client, learner)
    assert client.get(URL).context["reviews_today"] == 2
    assert len(client.get(reverse("progress:plan")).context["plans"]) == 1
