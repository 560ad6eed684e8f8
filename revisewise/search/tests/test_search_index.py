from __future__ import annotations

import pytest
from django.db import connection

from revisewise.content.models import ItemKind
from revisewise.content.tests.factories import ContentItemFactory, UnitFactory
from revisewise.search.models import SearchDocument
from revisewise.search.services import (
    MARK_START,
    search_index_rebuild,
    search_index_unit,
    search_query,
)

pytestmark = pytest.mark.django_db


def _fts_rows() -> int:
    if connection.vendor != "sqlite":
        return SearchDocument.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_fts")
        return cursor.fetchone()[0]


def test_it_indexes_titles_synopses_items_and_the_overview():
    unit = UnitFactory.create(synopsis="A synopsis.", qualification__overview="An overview.")
    ContentItemFactory.create(unit=unit)
    ContentItemFactory.create(
        unit=None, qualification=unit.qualification, kind=ItemKind.TIP, text="Tip."
    )

    count = search_index_rebuild()

    sections = sorted(SearchDocument.objects.values_list("section", flat=True))
    assert sections == ["exam-tips", "key-concepts", "synopsis", "topic-overview"]
    assert count == 4
    assert _fts_rows() == 4


def test_it_rebuilds_idempotently():
    ContentItemFactory.create()

    first = search_index_rebuild()
    second = search_index_rebuild()

    assert first == second == SearchDocument.objects.count()
    assert _fts_rows() == first


def test_it_reindexes_one_unit_after_its_content_changes():
    unit = UnitFactory.create()
    other = UnitFactory.create(title="Untouched unit")
    item = ContentItemFactory.create(
        unit=unit, kind=ItemKind.TIP, name="", text="Revise on Mondays."
    )
    search_index_rebuild()
    before = SearchDocument.objects.count()

    item.text = "Revise on Thursdays."
    item.save()
    search_index_unit(unit=unit)

    assert search_query(text="mondays", limit=5) == []
    assert [hit.unit for hit in search_query(text="thursdays", limit=5)] == [unit]
    assert [hit.unit for hit in search_query(text="untouched", limit=5)] == [other]
    assert SearchDocument.objects.count() == before
    assert _fts_rows() == before


def test_it_indexes_a_new_unit_without_a_rebuild():
    search_index_rebuild()
    unit = UnitFactory.create(title="Brand new unit")

    search_index_unit(unit=unit)

    assert [hit.unit for hit in search_query(text="brand new", limit=5)] == [unit]


def test_it_forgets_deleted_content():
    unit = UnitFactory.create(title="Doomed unit")
    search_index_rebuild()

    unit.delete()

    assert search_query(text="doomed", limit=5) == []
    search_index_rebuild()
    assert _fts_rows() == SearchDocument.objects.count()


def test_it_removes_highlight_markers_from_indexed_text():
    unit = UnitFactory.create(synopsis=f"Sneaky {MARK_START}marker{MARK_START} text.")

    search_index_rebuild()

    document = SearchDocument.objects.get(unit=unit, section="synopsis")
    assert MARK_START not in document.body
    [hit] = search_query(text="sneaky", limit=5)
    assert hit.snippet.count("<mark>") == 1
