from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from revisewise.accounts.tests.factories import UserFactory
from revisewise.practice.models import ItemType, PracticeSession
from revisewise.practice.tests.factories import ItemFactory, items_of_every_type
from revisewise.scheduling.services import card_review

pytestmark = pytest.mark.django_db


def test_the_practise_page_lists_units_and_what_is_due(client):
    learner = UserFactory.create()
    items = items_of_every_type()
    unit = items[ItemType.CLOZE].unit
    card_review(
        learner=learner,
        item=items[ItemType.CLOZE],
        rating=1,
        reviewed_at=timezone.now() - timedelta(days=2),
    )
    client.force_login(learner)

    html = client.get(reverse("practice:home")).content.decode()

    assert unit.title in html
    assert unit.qualification.title in html
    assert "8 questions" in html
    assert "1 question is due for review." in html
    assert html.count('name="csrfmiddlewaretoken"') >= 3


def test_starting_a_unit_session_goes_to_its_first_item(client):
    learner = UserFactory.create()
    unit = items_of_every_type()[ItemType.CLOZE].unit
    client.force_login(learner)

    response = client.post(reverse("practice:session-start"), {"scope": "unit", "unit": unit.uuid})

    session = PracticeSession.objects.get()
    assert session.learner == learner
    assert session.unit == unit
    assert session.item_count == 8
    assert response["Location"] == reverse(
        "practice:session-item", kwargs={"session_uuid": session.uuid, "number": 1}
    )


def test_starting_a_qualification_session_interleaves_its_units(client):
    first = ItemFactory.create()
    second = ItemFactory.create(unit__qualification=first.qualification)
    client.force_login(UserFactory.create())

    client.post(
        reverse("practice:session-start"),
        {"scope": "qualification", "qualification": first.qualification.uuid},
    )

    assert set(PracticeSession.objects.get().item_order) == {str(first.uuid), str(second.uuid)}


def test_a_due_session_with_nothing_due_says_so(client):
    client.force_login(UserFactory.create())

    response = client.post(reverse("practice:session-start"), {"scope": "due"}, follow=True)

    assert "There is nothing to practise here yet." in response.content.decode()
    assert not PracticeSession.objects.exists()


def test_starting_a_session_needs_a_signed_in_post_and_a_get_goes_to_the_choice(client):
    assert client.post(reverse("practice:session-start"), {"scope": "due"}).status_code == 302
    client.force_login(UserFactory.create())
    response = client.get(reverse("practice:session-start"))
    assert response["Location"] == reverse("practice:home")
    assert not PracticeSession.objects.exists()
