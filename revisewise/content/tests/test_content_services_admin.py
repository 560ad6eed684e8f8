from __future__ import annotations

import pytest
from django.urls import reverse

from revisewise.accounts.middleware import TWO_FACTOR_SESSION_KEY
from revisewise.accounts.tests.factories import UserFactory
from revisewise.content.models import ContentItem, ContentRevision, ItemKind
from revisewise.content.services import content_item_key, unit_save_revision
from revisewise.content.tests.factories import ContentItemFactory, UnitFactory


@pytest.fixture
def author(client):
    """A superuser signed in who has passed the second factor in this session."""
    user = UserFactory.create(is_staff=True, is_superuser=True)
    client.force_login(user)
    session = client.session
    session[TWO_FACTOR_SESSION_KEY] = True
    session.save()
    return user


def _unit_form(unit, items, extra_rows=()):
    rows = [
        {"id": i.pk, "kind": i.kind, "position": i.position, "name": i.name, "text": i.text}
        for i in items
    ] + list(extra_rows)
    data = {
        "qualification": unit.qualification.pk,
        "title": unit.title,
        "slug": unit.slug,
        "synopsis": unit.synopsis,
        "position": unit.position,
        "items-TOTAL_FORMS": len(rows),
        "items-INITIAL_FORMS": len(items),
        "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 1000,
    }
    for index, row in enumerate(rows):
        for field, value in row.items():
            data[f"items-{index}-{field}"] = value
        data[f"items-{index}-unit"] = unit.pk
    return data


@pytest.mark.django_db
def test_it_saves_an_authors_edit_with_a_fresh_key_and_a_revision(client, author):
    unit = UnitFactory.create()
    item = ContentItemFactory.create(unit=unit, kind=ItemKind.TIP, name="", text="Use examples.")
    data = _unit_form(unit, [item])
    data["items-0-text"] = "Use examples from your own workplace."

    response = client.post(reverse("admin:content_unit_change", args=[unit.pk]), data)

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.text == "Use examples from your own workplace."
    assert item.key == content_item_key(kind="tip", name="", text=item.text)
    revision = ContentRevision.objects.get(unit=unit)
    assert revision.origin == f"admin:{author}"
    assert revision.snapshot["items"][0]["text"] == item.text


@pytest.mark.django_db
def test_it_adds_an_item_recording_the_admin_as_its_source(client, author):
    unit = UnitFactory.create()
    new_row = {"kind": ItemKind.CONCEPT, "position": 0, "name": "Moments of truth", "text": "Key"}

    response = client.post(
        reverse("admin:content_unit_change", args=[unit.pk]), _unit_form(unit, [], [new_row])
    )

    assert response.status_code == 302
    item = ContentItem.objects.get(unit=unit)
    assert (item.qualification, item.source_file) == (unit.qualification, "admin")


@pytest.mark.django_db
def test_it_refuses_two_items_that_say_the_same_thing(client, author):
    unit = UnitFactory.create()
    rows = [{"kind": "tip", "position": n, "name": "", "text": "Same tip."} for n in (0, 1)]

    response = client.post(
        reverse("admin:content_unit_change", args=[unit.pk]), _unit_form(unit, [], rows)
    )

    assert response.status_code == 200
    assert "Two items of the same kind say the same thing" in response.content.decode()
    assert not ContentItem.objects.filter(unit=unit).exists()
    assert not ContentRevision.objects.exists()


@pytest.mark.django_db
def test_it_lets_authors_read_but_not_change_the_history(client, author):
    unit = UnitFactory.create()
    ContentItemFactory.create(unit=unit)
    revision = unit_save_revision(unit=unit, origin="import:x.txt")
    assert revision is not None

    page = client.get(reverse("admin:content_contentrevision_change", args=[revision.pk]))
    post = client.post(reverse("admin:content_contentrevision_delete", args=[revision.pk]))

    assert page.status_code == 200
    assert post.status_code == 403
    assert ContentRevision.objects.filter(pk=revision.pk).exists()
