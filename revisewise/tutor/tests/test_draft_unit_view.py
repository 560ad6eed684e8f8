"""Authors ask the AI model to draft a new unit from a specification, linted, for approval."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from revisewise.accounts.models import CONTENT_AUTHORS_GROUP
from revisewise.accounts.models import Role as CentreRole
from revisewise.accounts.testing import force_login_verified
from revisewise.accounts.tests.factories import MembershipFactory, UserFactory
from revisewise.content.models import ContentItem, ItemKind, Unit
from revisewise.core.llm.tests.server import Reply
from revisewise.tutor.authoring import unit_draft_with_llm
from revisewise.tutor.models import UnitDraft, UnitDraftStatus

SPEC = {
    "title": "Handling complaints online",
    "objectives": (
        "Understand how to reply to complaints on social media\n"
        "- Know when to move a complaint to a private channel"
    ),
    "criteria": (
        "Award credit for a timely, polite public reply\n"
        "Award credit for moving personal details to a private channel"
    ),
}
DRAFTED = {
    "synopsis": "This unit covers replying to complaints made in public online.",
    "concepts": [
        {"name": "Public reply", "text": "A short, polite first answer where the customer posted."},
        {"name": "Private channel", "text": "Direct messages or email for personal details."},
    ],
    "mistakes": ["Arguing with a customer in public."],
    "tips": ["Quote the platform's response times when you explain your reply."],
}


@pytest.fixture
def author(db):
    user = UserFactory.create()
    user.groups.add(Group.objects.get_or_create(name=CONTENT_AUTHORS_GROUP)[0])
    return user


def _url(corpus) -> str:
    return reverse("tutor:draft-unit", args=[corpus.service.uuid])


def test_an_author_drafts_a_unit_that_waits_linted_and_unpublished(
    client, author, corpus, llm_server
):
    llm_server.script(Reply.json(json.dumps(DRAFTED)))
    force_login_verified(client, author)
    units_before = Unit.objects.count()

    response = client.post(_url(corpus), SPEC)

    draft = UnitDraft.objects.get()
    assert response["Location"] == reverse("tutor:unit-draft", args=[draft.uuid])
    assert draft.objectives[1] == "Know when to move a complaint to a private channel"
    assert draft.content["concepts"][0]["name"] == "Public reply"
    assert isinstance(draft.findings, list)
    assert Unit.objects.count() == units_before
    prompt = llm_server.requests[0].prompt_text
    assert "learning objectives>>" in prompt
    assert "reply to complaints on social media" in prompt
    page = client.get(response["Location"]).content.decode()
    assert "Arguing with a customer in public." in page
    assert "Waiting for an author" in page


def test_approving_a_draft_creates_the_unit_and_its_items(client, author, corpus, llm_server):
    llm_server.script(Reply.json(json.dumps(DRAFTED)))
    force_login_verified(client, author)
    client.post(_url(corpus), SPEC)
    draft = UnitDraft.objects.get()
    draft.findings = [f for f in draft.findings if f["severity"] != "error"]
    draft.save()

    response = client.post(reverse("tutor:unit-draft", args=[draft.uuid]), {"action": "approve"})

    unit = Unit.objects.get(title="Handling complaints online")
    assert response["Location"] == unit.get_absolute_url()
    kinds = list(ContentItem.objects.filter(unit=unit).values_list("kind", flat=True))
    assert kinds.count(ItemKind.OBJECTIVE) == 2
    assert kinds.count(ItemKind.CONCEPT) == 2
    draft.refresh_from_db()
    assert (draft.status, draft.unit) == (UnitDraftStatus.APPROVED, unit)


def test_a_draft_with_lint_errors_cannot_be_approved(client, author, corpus, llm_server):
    llm_server.script(Reply.json(json.dumps(DRAFTED)))
    force_login_verified(client, author)
    client.post(_url(corpus), SPEC)
    draft = UnitDraft.objects.get()
    draft.findings = [{"severity": "error", "code": "RW000", "message": "Broken"}]
    draft.save()
    units_before = Unit.objects.count()

    html = client.post(
        reverse("tutor:unit-draft", args=[draft.uuid]), {"action": "approve"}
    ).content.decode()

    assert "Fix the content checker" in html
    assert Unit.objects.count() == units_before


def test_the_content_lint_runs_over_the_draft(author, corpus, llm_server):
    american = {**DRAFTED, "mistakes": ["Forgetting to apologize to the customer."]}
    llm_server.script(Reply.json(json.dumps(american)))

    draft, notice = unit_draft_with_llm(
        author=author,
        qualification=corpus.service,
        title="Handling complaints online",
        objectives=["Understand replies"],
        criteria=["Award credit for replies"],
    )

    assert notice == ""
    assert draft is not None
    assert any(f["code"] == "RW103" and "apologize" in f["message"] for f in draft.findings)
    assert all(f["unit"] == "handling-complaints-online" for f in draft.findings)


def test_it_says_why_no_unit_was_drafted(client, author, corpus, llm_server):
    llm_server.respond_with(lambda received: Reply.json("not json"))
    force_login_verified(client, author)

    html = client.post(_url(corpus), SPEC).content.decode()

    assert "The AI service sent an answer we could not use, so no unit was drafted." in html
    assert not UnitDraft.objects.exists()


@pytest.mark.parametrize("role", [CentreRole.LEARNER, CentreRole.TUTOR])
def test_only_content_authors_may_draft_units(client, corpus, llm_server, role):
    force_login_verified(client, MembershipFactory.create(role=role).user)

    assert client.get(_url(corpus)).status_code == 404
    assert client.post(_url(corpus), SPEC).status_code == 404
    assert llm_server.requests == []
