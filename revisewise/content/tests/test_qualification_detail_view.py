from __future__ import annotations

import pytest
from django.urls import reverse

from revisewise.content.models import ItemKind
from revisewise.content.tests.factories import (
    ContentItemFactory,
    QualificationFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def _html(client, qualification) -> str:
    return client.get(qualification.get_absolute_url()).content.decode()


def test_it_shows_the_overview_units_and_counts(client):
    qualification = QualificationFactory.create(overview="First paragraph.\n\nSecond paragraph.")
    first = UnitFactory.create(qualification=qualification, title="Customer journey", position=1)
    UnitFactory.create(qualification=qualification, title="Customer performance", position=2)
    for n in range(3):
        ContentItemFactory.create(unit=first, kind=ItemKind.CRITERION, name="", text=f"Credit {n}.")

    html = _html(client, qualification)

    assert "<p>First paragraph.</p>" in html
    assert "<p>Second paragraph.</p>" in html
    assert html.index("Customer journey") < html.index("Customer performance")
    assert "2 units" in html
    assert "3 assessment criteria" in html
    assert "3 content items" in html


def test_it_shows_the_shared_items_once(client):
    qualification = QualificationFactory.create()
    UnitFactory.create(qualification=qualification)
    ContentItemFactory.create(
        unit=None,
        qualification=qualification,
        kind=ItemKind.MISCONCEPTION,
        name="Complaints are always negative.",
        text="They are feedback.",
    )

    html = _html(client, qualification)

    assert 'id="misconceptions"' in html
    assert html.count("Complaints are always negative.") == 2  # the item and its source line


def test_it_escapes_the_overview(client):
    qualification = QualificationFactory.create(overview="<script>alert(1)</script>")

    html = _html(client, qualification)

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_it_answers_404_for_an_unknown_qualification(client):
    url = reverse("content:qualification-detail", kwargs={"slug": "no-such-qualification"})

    assert client.get(url).status_code == 404


def test_it_uses_a_fixed_number_of_queries(client, django_assert_num_queries):
    qualification = QualificationFactory.create()
    for _n in range(4):
        unit = UnitFactory.create(qualification=qualification)
        ContentItemFactory.create(unit=unit)

    # The fourth query looks up the qualification's assessment plan (epa/_plan.html).
    with django_assert_num_queries(4):
        response = client.get(qualification.get_absolute_url())

    assert response.status_code == 200
