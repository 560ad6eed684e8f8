from __future__ import annotations

import pytest
from django.core.management import call_command

from revisewise.search.services import search_query


@pytest.mark.django_db
def test_it_finds_imported_content_straight_after_import_content():
    assert search_query(text="order fulfilment") == []
    call_command("import_content", "demo/seeds")
    hits = search_query(text="order fulfilment")
    assert hits
    assert hits[0].unit is not None
    assert hits[0].unit.title == "Customer journey knowledge"
