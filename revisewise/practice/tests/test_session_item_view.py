from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from revisewise.accounts.tests.factories import UserFactory
from revisewise.practice.models import Attempt, Item, ItemType, PracticeSession, SessionScope
from revisewise.practice.services import practice_session_start
from revisewise.practice.tests.factories import items_of_every_type
from revisewise.scheduling.models import ReviewLog

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TOKEN = re.compile(r'name="token" value="([^"]+)"')


@pytest.fixture
def learner():
    return UserFactory.create()


@pytest.fixture
def items() -> dict[str, Item]:
    return items_of_every_type()


def _session(learner, items, *item_types) -> PracticeSession:
    session = practice_session_start(
        learner=learner, scope=SessionScope.UNIT, unit=items[ItemType.CLOZE].unit, now=NOW
    )
    session.item_order = [str(items[item_type].uuid) for item_type in item_types]
    session.save(update_fields=["item_order"])
    return session


def _item_url(session, number):
    return reverse("practice:session-item", kwargs={"session_uuid": session.uuid, "number": number})


def _submit_url(session, number):
    return reverse(
        "practice:answer-submit", kwargs={"session_uuid": session.uuid, "number": number}
    )


def correct_answer(item: Item) -> dict[str, object]:
    """Return the POST data of a right answer to `item`."""
    payload = item.payload
    kind = item.item_type
    if kind == ItemType.MCQ_SINGLE:
        return {"response": payload["answer"]}
    if kind == ItemType.MCQ_MULTI:
        return {"response": payload["answers"]}
    if kind == ItemType.TRUE_FALSE:
        return {"response": "true" if payload["answer"] else "false"}
    if kind == ItemType.CLOZE:
        return {"response": payload["answer"].upper()}
    if kind == ItemType.ORDERING:
        return {f"step_{n}": step["id"] for n, step in enumerate(payload["steps"], start=1)}
    if kind == ItemType.MATCHING:
        return {f"match_{pair['left_id']}": pair["right_id"] for pair in payload["pairs"]}
    if kind == ItemType.FLASHCARD:
        return {"response": "good"}
    return {"response": "Acknowledge the frustration, apologise and act."}


def _token(client, session, number):
    page = client.get(_item_url(session, number) + "?reveal=1")
    found = TOKEN.search(page.content.decode())
    assert found is not None
    return found.group(1)


def test_it_asks_anonymous_visitors_to_sign_in(client, learner, items):
    session = _session(learner, items, ItemType.CLOZE)

    response = client.get(_item_url(session, 1))

    assert response.status_code == 302
    assert reverse("accounts:sign-in") in response["Location"]


def test_another_learner_gets_404_on_a_session(client, learner, items):
    session = _session(learner, items, ItemType.CLOZE)
    client.force_login(UserFactory.create())

    assert client.get(_item_url(session, 1)).status_code == 404
    assert client.post(_submit_url(session, 1), {"response": "x"}).status_code == 404
    summary = reverse("practice:session-summary", kwargs={"session_uuid": session.uuid})
    assert client.get(summary).status_code == 404
    assert not Attempt.objects.exists()


@pytest.mark.parametrize("item_type", ItemType.values)
def test_the_key_is_not_in_the_page_before_answering(client, learner, items, item_type):
    item = items[item_type]
    item.explanation = "SECRET EXPLANATION"
    item.source_sentence = "SECRET SOURCE SENTENCE"
    item.save()
    session = _session(learner, items, item_type)
    client.force_login(learner)

    html = client.get(_item_url(session, 1)).content.decode()

    assert item.stem in html
    for secret in ("SECRET EXPLANATION", "SECRET SOURCE SENTENCE", "checked", "selected"):
        assert secret not in html
    key_texts = {
        ItemType.FLASHCARD: [item.payload.get("back")],
        ItemType.CLOZE: [item.payload.get("answer")],
        ItemType.WRITTEN: [
            item.payload.get("model_answer"),
            *item.payload.get("marking_points", []),
        ],
    }.get(item_type, [])
    for text in key_texts:
        assert text not in html
    if item_type == ItemType.ORDERING:
        shown = re.findall(r'<option value="([0-9a-f]+)">', html)
        steps = [step["id"] for step in item.payload["steps"]]
        assert shown[: len(steps)] != steps


def test_a_flashcard_shows_its_back_only_when_revealed(client, learner, items):
    session = _session(learner, items, ItemType.FLASHCARD)
    client.force_login(learner)

    revealed = client.get(_item_url(session, 1) + "?reveal=1").content.decode()

    assert items[ItemType.FLASHCARD].payload["back"] in revealed
    for rating in ("Again", "Hard", "Good", "Easy"):
        assert f">{rating}</button>" in revealed


@pytest.mark.parametrize("item_type", ItemType.values)
def test_each_type_is_graded_on_the_server(client, learner, items, item_type):
    item = items[item_type]
    session = _session(learner, items, item_type)
    client.force_login(learner)
    data = {**correct_answer(item), "token": _token(client, session, 1)}

    response = client.post(_submit_url(session, 1), data, follow=True)

    attempt = Attempt.objects.get()
    html = response.content.decode()
    if item_type == ItemType.WRITTEN:
        assert attempt.graded_at is None
        # Marking runs after commit (never inside this test's transaction): still pending.
        assert "Your answer is saved and is being marked." in html
    else:
        assert (attempt.is_correct, attempt.score) == (True, 1.0)
        assert ("Recorded: Good." if item_type == ItemType.FLASHCARD else "Correct.") in html


def test_a_wrong_answer_shows_the_right_one_why_and_the_source(client, learner, items):
    item = items[ItemType.CLOZE]
    session = _session(learner, items, ItemType.CLOZE)
    client.force_login(learner)

    response = client.post(
        _submit_url(session, 1),
        {"response": "Equality Act", "token": _token(client, session, 1)},
        follow=True,
    )

    html = response.content.decode()
    assert "Not quite." in html
    assert "Consumer Rights Act 2015" in html
    assert item.explanation in html
    assert item.source_sentence in html
    assert item.unit.title in html
    assert f'href="{item.unit.get_absolute_url()}' in html


def test_the_plain_flow_redirects_to_feedback_that_survives_a_reload(client, learner, items):
    session = _session(learner, items, ItemType.TRUE_FALSE, ItemType.CLOZE)
    client.force_login(learner)
    token = _token(client, session, 1)

    first = client.post(_submit_url(session, 1), {"response": "false", "token": token})
    repeated = client.post(_submit_url(session, 1), {"response": "true", "token": token})
    reloaded = client.get(_item_url(session, 1))

    assert first.status_code == repeated.status_code == 302
    assert first["Location"] == _item_url(session, 1)
    assert Attempt.objects.count() == 1
    assert ReviewLog.objects.count() == 1
    html = reloaded.content.decode()
    assert "Correct." in html
    assert "1 of 2 answered" in html
    assert f'href="{_item_url(session, 2)}"' in html


def test_it_leads_back_to_the_next_unanswered_item_when_skipping_ahead(client, learner, items):
    session = _session(learner, items, ItemType.TRUE_FALSE, ItemType.CLOZE)
    client.force_login(learner)

    response = client.get(_item_url(session, 2))

    assert response.status_code == 302
    assert response["Location"] == _item_url(session, 1)


def test_htmx_gets_the_feedback_partial_and_the_url_to_push(client, learner, items):
    session = _session(learner, items, ItemType.TRUE_FALSE, ItemType.CLOZE)
    client.force_login(learner)

    response = client.post(
        _submit_url(session, 1),
        {"response": "false", "token": _token(client, session, 1)},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="practice-item"')
    assert "<html" not in html
    assert "Correct." in html
    assert response["HX-Push-Url"] == _item_url(session, 1)


def test_an_incomplete_answer_is_shown_again_with_its_error(client, learner, items):
    session = _session(learner, items, ItemType.ORDERING)
    item = items[ItemType.ORDERING]
    client.force_login(learner)
    first = item.payload["steps"][0]["id"]
    data = {f"step_{n}": first for n in range(1, 5)}

    response = client.post(_submit_url(session, 1), {**data, "token": _token(client, session, 1)})

    assert response.status_code == 200
    assert "Use each step once." in response.content.decode()
    assert not Attempt.objects.exists()


def test_a_forged_token_is_refused(client, learner, items):
    session = _session(learner, items, ItemType.CLOZE)
    client.force_login(learner)

    response = client.post(_submit_url(session, 1), {"response": "x", "token": "forged"})

    assert "This form has expired" in response.content.decode()
    assert not Attempt.objects.exists()


def test_the_summary_shows_the_score_and_each_result(client, learner, items):
    session = _session(learner, items, ItemType.TRUE_FALSE, ItemType.CLOZE, ItemType.WRITTEN)
    client.force_login(learner)
    for number, response in ((1, "false"), (2, "wrong"), (3, "My answer.")):
        token = _token(client, session, number)
        client.post(_submit_url(session, number), {"response": response, "token": token})

    html = client.get(
        reverse("practice:session-summary", kwargs={"session_uuid": session.uuid})
    ).content.decode()

    assert "1 of 2 marked answers right" in html
    assert "3 answered in all" in html
    for result in ("Right", "Wrong", "Saved for marking"):
        assert f">{result}</td>" in html
    assert f'href="{_item_url(session, 3)}"' in html


def test_the_item_page_and_the_submit_use_a_fixed_number_of_queries(
    client, learner, items, django_assert_num_queries
):
    session = _session(learner, items, ItemType.MATCHING, ItemType.CLOZE)
    client.force_login(learner)
    client.get(_item_url(session, 1))

    # Session and user, the two-factor state (learners may opt in), then the session, its item,
    # attempt, next position and answered count.
    with django_assert_num_queries(8):
        page = client.get(_item_url(session, 1))
    found = TOKEN.search(page.content.decode())
    assert found is not None
    data = {**correct_answer(items[ItemType.MATCHING]), "token": found.group(1)}
    # The submit also counts the learner's reviews to know when to refit their FSRS parameters.
    with django_assert_num_queries(25):
        client.post(_submit_url(session, 1), data)
    with django_assert_num_queries(8):
        client.get(_item_url(session, 1))
