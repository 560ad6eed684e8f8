from __future__ import annotations

import pytest

from revisewise.content.models import ItemKind
from revisewise.content.tests.factories import ContentItemFactory, QualificationFactory, UnitFactory
from revisewise.search.services import search_index_rebuild, search_query, search_terms

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    unit = UnitFactory.create(
        title="Customer journey knowledge",
        synopsis="Learners evaluate end-to-end experiences, recognising pain points.",
    )
    ContentItemFactory.create(
        unit=unit,
        kind=ItemKind.CONCEPT,
        name="Complaint Handling",
        text="Applying the HEAT model: hear, empathise, apologise, take action.",
    )
    ContentItemFactory.create(
        unit=unit,
        kind=ItemKind.MISTAKE,
        name="",
        text="Escalating issues prematurely without exhausting first-line resolution options.",
    )
    ContentItemFactory.create(
        unit=None,
        qualification=unit.qualification,
        kind=ItemKind.TIP,
        name="",
        text="Always link your answers to the assessment criteria.",
    )
    search_index_rebuild()
    return unit


def test_it_finds_a_unit_by_a_phrase_from_an_item(unit):
    hits = search_query(text="exhausting first-line resolution", limit=10)

    assert len(hits) == 1
    assert hits[0].unit == unit
    assert hits[0].section == "misconceptions"
    assert hits[0].url == f"{unit.get_absolute_url()}#misconceptions"


def test_it_finds_words_in_other_forms_by_stemming(unit):
    hits = search_query(text="escalation", limit=10)

    assert [hit.section for hit in hits] == ["misconceptions"]


def test_it_matches_the_last_word_as_a_prefix_while_typing(unit):
    hits = search_query(text="complaint hand", limit=10)

    assert [hit.section for hit in hits] == ["key-concepts"]


def test_it_requires_every_word(unit):
    assert search_query(text="complaint zebra", limit=10) == []


def test_it_highlights_matches_in_an_escaped_snippet(unit):
    ContentItemFactory.create(
        unit=unit,
        kind=ItemKind.TIP,
        name="",
        text="Never paste <script>alert(1)</script> in answers.",
    )
    search_index_rebuild()

    [hit] = search_query(text="paste", limit=10)

    assert "<mark>paste</mark>" in hit.snippet
    assert "&lt;script&gt;" in hit.snippet
    assert "<script>" not in hit.snippet


def test_it_finds_the_qualifications_overview_and_shared_items(unit):
    qualification = unit.qualification

    hits = search_query(text="assessment criteria", limit=10)

    assert [(hit.unit, hit.section) for hit in hits] == [(None, "exam-tips")]
    assert hits[0].url == f"{qualification.get_absolute_url()}#exam-tips"


def test_it_ranks_title_matches_above_body_matches():
    in_title = UnitFactory.create(title="Retention strategies", synopsis="Keeping customers.")
    in_body = UnitFactory.create(title="Other unit", synopsis="Something about retention, briefly.")
    search_index_rebuild()

    hits = search_query(text="retention", limit=10)

    assert [hit.unit for hit in hits] == [in_title, in_body]
    assert hits[0].rank > hits[1].rank


def test_it_honours_the_limit(unit):
    for n in range(5):
        ContentItemFactory.create(
            unit=unit, kind=ItemKind.TIP, name="", text=f"Revise daily, tip {n}."
        )
    search_index_rebuild()

    assert len(search_query(text="revise", limit=3)) == 3


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '"unbalanced',
        "*",
        "customer*",
        "NEAR(customer journey)",
        "customer NEAR journey",
        "-customer",
        "customer -journey",
        "title:customer",
        "customer AND OR NOT",
        "(customer",
        "customer)",
        "^customer",
        "'; DROP TABLE search_fts; --",
        "customer & | ! : <-> journey",
        "\ue000customer\ue001",
        "",
        "   ",
        "🙂",
    ],
)
def test_it_never_fails_on_query_syntax(unit, text):
    hits = search_query(text=text, limit=10)

    assert isinstance(hits, list)


def test_it_treats_operators_as_plain_words(unit):
    hits = search_query(text="complaint -handling", limit=10)

    assert [hit.section for hit in hits] == ["key-concepts"]
    assert search_terms(text='"Customer" NEAR(journey*) -pain') == [
        "customer",
        "near",
        "journey",
        "pain",
    ]


def test_it_strips_syntax_and_still_finds_the_content(unit):
    hits = search_query(text='"pain-points"*', limit=10)

    assert [hit.unit for hit in hits] == [unit]


def test_it_returns_nothing_before_the_index_is_built():
    UnitFactory.create(title="Unindexed unit")

    assert search_query(text="unindexed", limit=10) == []


def test_it_keeps_qualifications_apart():
    first = QualificationFactory.create(overview="Covers warehousing and logistics.")
    QualificationFactory.create(overview="Covers retail.")
    search_index_rebuild()

    hits = search_query(text="warehousing", limit=10)

    assert [hit.qualification for hit in hits] == [first]
