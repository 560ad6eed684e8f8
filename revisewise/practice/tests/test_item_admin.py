from __future__ import annotations

import json

import pytest
from django.urls import reverse

from revisewise.accounts.testing import force_login_verified
from revisewise.accounts.tests.factories import UserFactory
from revisewise.practice.models import ItemStatus
from revisewise.practice.tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    force_login_verified(client, UserFactory.create(is_staff=True, is_superuser=True))
    return client


def test_it_lists_items_with_filters(admin_client):
    item = ItemFactory.create()
    response = admin_client.get(
        reverse("admin:practice_item_changelist"), {"item_type": "mcq_single"}
    )
    assert response.status_code == 200
    assert item.stem[:40] in response.content.decode()


def test_it_shows_provenance_and_the_learner_view(admin_client):
    item = ItemFactory.create()
    response = admin_client.get(reverse("admin:practice_item_change", args=[item.pk]))
    body = response.content.decode()
    assert item.source_sentence in body
    assert "What learners see before answering" in body


def test_it_approves_items_through_the_action(admin_client):
    item = ItemFactory.create(status=ItemStatus.DRAFT)
    admin_client.post(
        reverse("admin:practice_item_changelist"),
        {"action": "approve_items", "_selected_action": [item.pk]},
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.APPROVED


def test_it_refuses_an_edit_that_leaks_the_answer(admin_client):
    item = ItemFactory.create()
    answer = item.payload["options"][0]["text"]
    response = admin_client.post(
        reverse("admin:practice_item_change", args=[item.pk]),
        {"stem": f"Is it {answer}", "payload": json.dumps(item.payload), "explanation": "x"},
    )
    assert response.status_code == 200
    assert "answer leaked in the stem" in response.content.decode()
    item.refresh_from_db()
    assert not item.is_edited
