from __future__ import annotations

import pytest
from django.urls import reverse

from revisewise.content.models import ItemKind
from revisewise.content.tests.factories import ContentItemFactory, UnitFactory
from revisewise.search.services import search_index_rebuild

pytestmark = pytest.mark.django_db

URL = reverse("content:search")


@pytest.fixture
def unit():
    unit = UnitFactory.create(title="Customer journey knowledge", synopsis="Mapping touchpoints.")
    ContentItemFactory.create(
        unit=unit,
        kind=ItemKind.TIP,
        name="",
        text="Justify escalation decisions with a clear rationale.",
    )
    ContentItemFactory.create(
        unit=unit,
        kind=ItemKind.CRITERION,
        name="",
        text="Award credit for clear escalation criteria.",
    )
    search_index_rebuild()
    return unit


def test_it_shows_a_labelled_search_form_without_results_at_first(client):
    html = client.get(URL).content.decode()

    assert '<label for="search-q">' in html
    assert 'id="search-q" type="search" name="q"' in html
    assert "Type a word or phrase" in html
    assert 'id="header-search-q"' not in html


def test_it_groups_hits_by_unit_and_links_to_the_sections(client, unit):
    html = client.get(URL, {"q": "escalation"}).content.decode()

    assert "2 results for “escalation”" in html
    assert html.count('class="result-group"') == 1
    assert f'href="{unit.get_absolute_url()}#exam-tips"' in html
    assert f'href="{unit.get_absolute_url()}#marking-points"' in html
    assert "<mark>escalation</mark>" in html


def test_it_returns_only_the_results_partial_to_htmx(client, unit):
    response = client.get(URL, {"q": "escalation"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert "<html" not in html
    assert "<h1" not in html
    assert "2 results for" in html
    assert "HX-Request" in response["Vary"]
    assert '<div id="search-announcer" hx-swap-oob="innerHTML">2 results for' in html


def test_it_has_an_empty_status_region_on_the_full_page(client, unit):
    html = client.get(URL, {"q": "escalation"}).content.decode()

    assert '<div id="search-announcer" class="visually-hidden" role="status"></div>' in html
    assert "hx-swap-oob" not in html


def test_it_uses_two_queries(client, unit, django_assert_num_queries):
    UnitFactory.create_batch(3, synopsis="More escalation advice.")
    search_index_rebuild()

    with django_assert_num_queries(2):
        response = client.get(URL, {"q": "escalation"})

    assert "5 results for" in response.content.decode()


def test_it_returns_the_whole_page_when_htmx_restores_history(client, unit):
    response = client.get(
        URL,
        {"q": "escalation"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )

    assert "<html" in response.content.decode()


def test_it_says_when_nothing_matches(client, unit):
    html = client.get(URL, {"q": "zebra"}).content.decode()

    assert "No results for “zebra”" in html


@pytest.mark.parametrize("query", ['"', "*", "NEAR(", "- -", '"); DROP TABLE x; --'])
def test_it_answers_punctuation_only_queries_without_failing(client, unit, query):
    response = client.get(URL, {"q": query})

    assert response.status_code == 200


def test_it_asks_for_words_when_the_query_has_none(client, unit):
    html = client.get(URL, {"q": '"*"'}).content.decode()

    assert "Please type some words" in html


def test_it_escapes_the_query_and_the_snippets(client):
    unit = UnitFactory.create()
    ContentItemFactory.create(
        unit=unit, kind=ItemKind.TIP, name="", text="Avoid <b>bold</b> claims."
    )
    search_index_rebuild()

    echoed = client.get(URL, {"q": "<i>bold</i>"}).content.decode()
    html = client.get(URL, {"q": "bold claims"}).content.decode()

    assert "<i>bold</i>" not in echoed
    assert "&lt;i&gt;bold&lt;/i&gt;" in echoed
    snippet = html.split('<p class="snippet">')[1].split("</p>")[0]
    assert "<b>" not in snippet
    assert "<mark>bold</mark>" in snippet


def test_it_keeps_the_query_in_the_box(client, unit):
    html = client.get(URL, {"q": 'escalation "x'}).content.decode()

    assert 'value="escalation &quot;x"' in html


def test_it_shows_the_header_search_box_on_other_pages(client):
    html = client.get(reverse("content:home")).content.decode()

    assert '<label for="header-search-q">Search revision content</label>' in html
    assert f'action="{URL}"' in html
