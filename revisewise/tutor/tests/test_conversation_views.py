"""Conversations: kept per learner, readable and deletable by that learner only, rate limited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from revisewise.accounts.models import Role as CentreRole
from revisewise.accounts.testing import force_login_verified
from revisewise.accounts.tests.factories import MembershipFactory
from revisewise.privacy.registry import personal_data_entries
from revisewise.tutor import services
from revisewise.tutor.models import Conversation, Message, Role

QUESTION = "what does NPS stand for?"


@pytest.fixture
def membership(db):
    return MembershipFactory(role=CentreRole.LEARNER)


@pytest.fixture
def learner(membership):
    return membership.user


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


def _ask(client, url, question=QUESTION, **extra):
    return client.post(url, {"question": question}, **extra)


def test_it_stores_the_question_and_cited_answer_in_a_new_conversation(learner_client, corpus):
    response = _ask(learner_client, reverse("tutor:ask-qualification", args=[corpus.service.slug]))

    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == conversation.get_absolute_url()
    assert str(conversation.uuid) in response["Location"]
    question, answer = conversation.messages.order_by("created_at", "pk")
    assert (question.role, question.text, question.mode) == (Role.LEARNER, QUESTION, "")
    assert (answer.role, answer.mode) == (Role.TUTOR, "offline")
    assert answer.citations[0]["label"] == "Customer service performance: Key Concepts"
    assert conversation.qualification == corpus.service
    page = learner_client.get(conversation.get_absolute_url()).content.decode()
    assert QUESTION in page
    assert "Answered from the course notes (offline)" in page
    assert f'href="{corpus.performance.get_absolute_url()}#key-concepts"' in page


def test_a_follow_up_question_joins_the_same_conversation(learner_client, corpus):
    _ask(learner_client, reverse("tutor:ask"))
    conversation = Conversation.objects.get()

    _ask(learner_client, conversation.get_absolute_url(), "when should I escalate?")

    assert Conversation.objects.count() == 1
    assert conversation.messages.count() == 4


def test_htmx_gets_the_conversation_partial_and_its_address(learner_client, corpus):
    response = _ask(learner_client, reverse("tutor:ask"), headers={"HX-Request": "true"})

    html = response.content.decode()
    conversation = Conversation.objects.get()
    assert response.status_code == 200
    assert "<h1>" not in html
    assert "Key Concepts" in html
    assert response["HX-Push-Url"] == conversation.get_absolute_url()
    assert f'hx-post="{conversation.get_absolute_url()}"' in html
    assert 'id="tutor-past" aria-labelledby="past-heading" hx-swap-oob="true"' in html
    assert f'href="{conversation.get_absolute_url()}" aria-current="page"' in html


def test_it_lists_past_conversations_and_offers_a_new_one(learner_client, corpus):
    _ask(learner_client, reverse("tutor:ask"))
    _ask(learner_client, reverse("tutor:ask"), "are complaints always bad?")

    html = learner_client.get(reverse("tutor:ask")).content.decode()

    assert "Start a new conversation" in html
    assert html.index("are complaints always bad?") < html.index(QUESTION)
    assert html.count('class="tutor-delete"') == 2


def test_a_learner_can_delete_their_conversation(learner_client, corpus):
    _ask(learner_client, reverse("tutor:ask"))
    conversation = Conversation.objects.get()
    url = reverse("tutor:conversation-delete", args=[conversation.uuid])

    assert learner_client.get(url).status_code == 405
    response = learner_client.post(url)

    assert response.status_code == 302
    assert not Conversation.objects.exists()
    assert not Message.objects.exists()


@pytest.mark.parametrize("viewer", ["tutor", "other_centre_learner", "other_centre_tutor"])
def test_nobody_else_can_read_or_delete_a_learners_conversation(
    client, learner, membership, corpus, viewer
):
    services.tutor_ask(learner=learner, question=QUESTION, qualification=corpus.service)
    conversation = Conversation.objects.get()
    people = {
        "tutor": MembershipFactory.create(role=CentreRole.TUTOR, cohort=membership.cohort).user,
        "other_centre_learner": MembershipFactory.create(role=CentreRole.LEARNER).user,
        "other_centre_tutor": MembershipFactory.create(role=CentreRole.TUTOR).user,
    }
    force_login_verified(client, people[viewer])

    read = client.get(conversation.get_absolute_url())
    follow_up = _ask(client, conversation.get_absolute_url(), "and CSAT?")
    delete = client.post(reverse("tutor:conversation-delete", args=[conversation.uuid]))
    listing = client.get(reverse("tutor:ask")).content.decode()

    assert (read.status_code, follow_up.status_code, delete.status_code) == (404, 404, 404)
    assert conversation.messages.count() == 2
    assert QUESTION not in listing
    client.force_login(learner)
    assert client.get(conversation.get_absolute_url()).status_code == 200


def test_it_limits_questions_per_minute_and_keeps_the_question_in_the_box(
    learner_client, corpus, settings
):
    settings.TUTOR_QUESTIONS_PER_MINUTE = 2
    for _ in range(2):
        _ask(learner_client, reverse("tutor:ask"))

    response = _ask(learner_client, reverse("tutor:ask"), "is this one too many?")

    html = response.content.decode()
    assert response.status_code == 200
    assert "You have asked 2 questions in the last minute" in html
    assert "is this one too many?</textarea>" in html
    assert Message.objects.filter(role=Role.LEARNER).count() == 2


def test_it_limits_questions_per_day(learner, corpus, settings):
    settings.TUTOR_QUESTIONS_PER_MINUTE = 0
    settings.TUTOR_QUESTIONS_PER_DAY = 1
    services.tutor_ask(learner=learner, question=QUESTION)

    with pytest.raises(services.TutorRateLimited, match="last 24 hours"):
        services.tutor_ask(learner=learner, question="and CSAT?")


def test_the_question_is_stored_before_answering(learner, corpus, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the answer failed")

    monkeypatch.setattr(services, "tutor_answer", broken)

    with pytest.raises(RuntimeError):
        services.tutor_ask(learner=learner, question=QUESTION)

    assert Message.objects.get().text == QUESTION


def test_conversations_are_in_the_data_export_and_erased_with_the_account(learner, corpus):
    services.tutor_ask(learner=learner, question=QUESTION)
    entry = next(e for e in personal_data_entries() if e.name == "tutor")

    exported = entry.export(learner)
    entry.erase(learner)

    assert entry.models == ("tutor.Conversation", "tutor.Message", "tutor.UnitDraft")
    assert exported["conversations"][0]["messages"][0]["text"] == QUESTION
    assert exported["conversations"][0]["messages"][1]["citations"]
    assert not Conversation.objects.exists()
