from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from revisewise.practice.models import ItemType, SessionScope
from revisewise.practice.services import attempt_submit, practice_session_start
from revisewise.scheduling.models import ReviewLog
from revisewise.scheduling.services import card_review_answer

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
