from __future__ import annotations

import re
from html import unescape
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse

from revisewise.content.models import ContentItem, ItemKind, Unit
from revisewise.content.tests.factories import ContentItemFactory, UnitFactory

pytestmark = pytest.mark.django_db

SEEDS = Path(settings.BASE_DIR) / "demo" / "seeds"


def _get(client, unit):
    return client.get(unit.get_absolute_url())


def _section_ids(html: str) -> list[str]:
    return re.findall(r'<h2 id="([a-z-]+)" tabindex="-1">', html)


def _full_unit():
    unit = UnitFactory.create(
        title="Customer journey knowledge", synopsis="Journeys from first contact."
    )
    kinds = [
        (ItemKind.PREREQUISITE, "", "A basic grasp of service."),
        (ItemKind.FAQ, "What is a touchpoint?", "Any contact with the customer."),
        (ItemKind.TERM, "Touchpoint", "A point of contact."),
        (ItemKind.OBJECTIVE, "", "Understand the customer journey."),
        (ItemKind.CRITERION, "", "Award credit for mapping a journey."),
        (ItemKind.MISTAKE, "", "Treating the journey as linear."),
        (ItemKind.MISCONCEPTION, "Complaints are always negative.", "They are feedback."),
        (ItemKind.TIP, "", "Use workplace examples."),
        (ItemKind.CONCEPT, "Moments of truth", "Points that shape loyalty."),
    ]
    for kind, name, text in kinds:
        ContentItemFactory.create(unit=unit, kind=kind, name=name, text=text)
    ContentItemFactory.create(
        unit=None,
        qualification=unit.qualification,
        kind=ItemKind.TIP,
        name="",
        text="Link your answers to the assessment criteria.",
    )
    return unit


def test_it_shows_sections_in_the_tabbed_order_then_the_rest(client):
    unit = _full_unit()

    html = _get(client, unit).content.decode()

    assert _section_ids(html) == [
        "synopsis",
        "key-concepts",
        "exam-tips",
        "misconceptions",
        "marking-points",
        "learning-objectives",
        "key-terms",
        "faq",
        "before-you-start",
        "topic-overview",
    ]


def test_it_hides_empty_sections(client):
    unit = UnitFactory.create(synopsis="Only a synopsis.", qualification__overview="")
    ContentItemFactory.create(
        unit=unit, kind=ItemKind.CRITERION, name="", text="Award credit for X."
    )

    html = _get(client, unit).content.decode()

    assert _section_ids(html) == ["synopsis", "marking-points"]
    assert 'href="#faq"' not in html


def test_it_lists_every_section_in_the_contents_with_anchor_links(client):
    unit = _full_unit()

    html = _get(client, unit).content.decode()

    toc = html.split('id="toc-title"')[1].split("</nav>")[0]
    assert re.findall(r'href="#([a-z-]+)"', toc) == _section_ids(html)


def test_it_shows_the_units_tips_then_the_qualifications_under_their_own_heading(client):
    unit = _full_unit()

    html = _get(client, unit).content.decode()

    tips = html.split('id="exam-tips"')[1].split("</section>")[0]
    assert tips.index("Use workplace examples.") < tips.index(
        "Tips for every unit of this qualification"
    )
    assert tips.index("Tips for every unit of this qualification") < tips.index(
        "Link your answers to the assessment criteria."
    )


def test_it_shows_misconceptions_as_misconception_and_correction(client):
    unit = _full_unit()

    html = _get(client, unit).content.decode()

    section = html.split('id="misconceptions"')[1].split("</section>")[0]
    assert re.search(r"Misconception:</span> Complaints are always negative\.", section)
    assert re.search(r"Correction:</span> They are feedback\.", section)
    assert "Treating the journey as linear." in section


def test_it_computes_counters_from_the_content_not_the_stated_counts(client):
    unit = _full_unit()
    unit.stated_counts = {"Assessment Criteria": 4, "Assessment Guidance": 4}
    unit.save()
    ContentItemFactory.create(
        unit=unit, kind=ItemKind.CRITERION, name="", text="Award credit for Y."
    )

    html = _get(client, unit).content.decode()

    assert "2 assessment criteria" in html
    assert "1 assessment criterion" not in html
    assert "4 assessment criteria" not in html
    assert "2 exam tips" in html


def test_it_escapes_html_in_content(client):
    unit = UnitFactory.create(synopsis="<b>bold</b> synopsis")
    ContentItemFactory.create(
        unit=unit,
        kind=ItemKind.CONCEPT,
        name="<script>alert('name')</script>",
        text="<script>alert('explanation')</script>",
    )

    html = _get(client, unit).content.decode()

    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(&#x27;name&#x27;)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(&#x27;explanation&#x27;)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_it_has_one_h1_breadcrumbs_and_landmarks(client):
    unit = _full_unit()

    html = _get(client, unit).content.decode()

    assert html.count("<h1") == 1
    assert 'aria-label="Breadcrumb"' in html
    assert '<main id="main"' in html
    assert 'href="#main"' in html
    crumbs = html.split('aria-label="Breadcrumb"')[1].split("</nav>")[0]
    assert unit.qualification.get_absolute_url() in crumbs
    assert '<span aria-current="page">Customer journey knowledge</span>' in crumbs


def test_it_shows_where_each_item_came_from(client):
    unit = UnitFactory.create()
    ContentItemFactory.create(
        unit=unit,
        kind=ItemKind.CRITERION,
        text="Award credit.",
        source_file="000_a.txt",
        source_line=61,
    )

    html = _get(client, unit).content.decode()

    assert "source: 000_a.txt line 61" in html


def test_it_links_to_the_previous_and_next_units(client):
    first = UnitFactory.create(position=1, title="First unit")
    second = UnitFactory.create(qualification=first.qualification, position=2, title="Second unit")

    html = _get(client, first).content.decode()

    assert f'rel="next" href="{second.get_absolute_url()}"' in html
    assert 'rel="prev"' not in html


def test_it_answers_404_for_a_unit_of_another_qualification(client):
    unit = UnitFactory.create()
    other = UnitFactory.create()

    url = reverse(
        "content:unit-detail",
        kwargs={"qualification_slug": other.qualification.slug, "slug": unit.slug},
    )

    assert client.get(url).status_code == 404


def test_it_uses_a_fixed_number_of_queries(client, django_assert_num_queries):
    unit = _full_unit()
    for n in range(10):
        ContentItemFactory.create(unit=unit, kind=ItemKind.TIP, name="", text=f"Tip {n}")

    with django_assert_num_queries(3):
        response = _get(client, unit)

    assert response.status_code == 200


def test_it_shows_every_item_of_every_seed_unit(client):
    call_command("import_content", str(SEEDS), stdout=StringIO(), stderr=StringIO())
    units = list(Unit.objects.select_related("qualification"))

    assert len(units) == 4
    for unit in units:
        html = unescape(_get(client, unit).content.decode())
        items = ContentItem.objects.filter(qualification=unit.qualification).filter(
            Q(unit=unit) | Q(unit__isnull=True)
        )
        missing = [
            item.pk
            for item in items
            if (item.name and item.name not in html) or (item.text and item.text not in html)
        ]
        assert missing == [], unit.title
        assert unit.synopsis in html
        assert 'id="synopsis"' in html
        assert 'id="key-concepts"' in html
        assert 'id="marking-points"' in html
