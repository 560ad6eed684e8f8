"""Authors ask the AI model for draft questions; only supported, validated drafts are stored."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from revisewise.accounts.models import CONTENT_AUTHORS_GROUP
from revisewise.accounts.models import Role as CentreRole
from revisewise.accounts.testing import force_login_verified
from revisewise.accounts.tests.factories import MembershipFactory, UserFactory
from revisewise.core.llm.tests.server import Received, Reply
from revisewise.llmlog.models import LlmCall
from revisewise.practice.models import Item, ItemStatus
from revisewise.tutor.tests.llm_replies import sources_of

EVIDENCE = "Cite policy, risk and the customer's wellbeing, not personal opinion."


@pytest.fixture
def author(db):
    user = UserFactory.create()
    user.groups.add(Group.objects.get_or_create(name=CONTENT_AUTHORS_GROUP)[0])
    return user


def _url(corpus) -> str:
    return reverse("tutor:draft-items", args=[corpus.journey.uuid])


def _label_of(received: Received, words: str) -> str:
    return next(label for label, text in sources_of(received).items() if words in text)


def _drafts(received: Received) -> Reply:
    label = _label_of(received, "justify escalation")
    good: dict[str, Any] = {
        "question": "What should support a decision to escalate in a scenario question?",
        "answer": "Policy, risk and the customer's wellbeing",
        "distractors": [
            "Your own personal opinion of the customer",
            "How busy the team happens to be that day",
            "Whichever option closes the call quickest",
        ],
        "source": label,
        "evidence": EVIDENCE,
    }
    invented = {
        **good,
        "question": "Who invented escalation?",
        "evidence": "Escalation was invented in 1850.",
    }
    leaky = {
        **good,
        "question": "Is policy, risk and the customer's wellbeing what supports escalation?",
    }
    return Reply.json(json.dumps({"items": [good, invented, leaky]}))


def test_an_author_gets_supported_validated_drafts_waiting_for_approval(
    client, author, corpus, llm_server
):
    llm_server.respond_with(_drafts)
    force_login_verified(client, author)

    response = client.post(_url(corpus), {"count": 3})

    html = response.content.decode()
    assert response.status_code == 200
    draft = Item.objects.get(status=ItemStatus.DRAFT)
    assert draft.source_item == corpus.escalation_tip
    assert draft.source_sentence == EVIDENCE
    assert draft.source_section == "AI draft: Assessment Guidance"
    assert draft.generator_version == ""
    rejected = Item.objects.get(status=ItemStatus.REJECTED)
    assert "answer leaked in the stem" in rejected.rejection_reasons
    assert not Item.objects.filter(stem__contains="invented").exists()
    assert "1 drafts wait for approval; 1 were rejected" in html
    assert "1 were dropped because their evidence is not in the content" in html
    assert LlmCall.objects.get().feature == "item_draft"
    assert "justify escalation" in llm_server.requests[0].prompt_text


def test_asking_again_does_not_duplicate_a_draft(client, author, corpus, llm_server):
    llm_server.respond_with(_drafts)
    force_login_verified(client, author)

    client.post(_url(corpus), {"count": 3})
    html = client.post(_url(corpus), {"count": 3}).content.decode()

    assert Item.objects.count() == 2
    assert "2 repeated existing questions" in html


def test_it_says_why_nothing_was_drafted_when_the_model_fails(client, author, corpus, llm_server):
    llm_server.respond_with(lambda received: Reply.error(500))
    force_login_verified(client, author)

    html = client.post(_url(corpus), {"count": 2}).content.decode()

    assert "The AI service reported an error, so no questions were drafted." in html
    assert not Item.objects.exists()


def test_it_says_no_ai_service_is_set_up(client, author, corpus):
    force_login_verified(client, author)

    html = client.get(_url(corpus)).content.decode()

    assert "No AI service is set up on this site" in html


@pytest.mark.parametrize("person", ["learner", "tutor"])
def test_only_content_authors_may_draft(client, corpus, llm_server, person):
    role = CentreRole.LEARNER if person == "learner" else CentreRole.TUTOR
    force_login_verified(client, MembershipFactory.create(role=role).user)

    assert client.get(_url(corpus)).status_code == 404
    assert client.post(_url(corpus), {"count": 2}).status_code == 404
    assert llm_server.requests == []


def test_authors_find_every_unit_to_draft_for_and_learners_get_404(client, author, corpus):
    force_login_verified(client, author)

    html = client.get(reverse("tutor:authoring")).content.decode()

    assert reverse("tutor:draft-items", args=[corpus.journey.uuid]) in html
    assert reverse("tutor:draft-items", args=[corpus.stock.uuid]) in html
    force_login_verified(client, UserFactory.create())
    assert client.get(reverse("tutor:authoring")).status_code == 404
