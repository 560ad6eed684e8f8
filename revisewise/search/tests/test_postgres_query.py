from __future__ import annotations

import pytest

from revisewise.search.models import SearchDocument
from revisewise.search.services import postgres_search_query

pytestmark = pytest.mark.django_db


def _sql(terms: list[str]) -> str:
    # Compiling the lookup needs no PostgreSQL server, so this runs on SQLite too; CI's
    # PostgreSQL leg executes the whole query through search_query.
    query = postgres_search_query(terms=terms)
    return str(SearchDocument.objects.filter(search_vector=query).query)


def test_it_builds_a_websearch_query_with_a_prefix_for_the_last_word():
    sql = _sql(["complaint", "handling"])

    assert "@@" in sql
    assert "websearch_to_tsquery" in sql
    assert "to_tsquery(english::regconfig, handling:*)" in sql
    assert "plainto_tsquery(english::regconfig, handling)" in sql


def test_it_uses_only_websearch_when_the_last_word_is_short():
    sql = _sql(["customer", "kp"])

    assert 'websearch_to_tsquery(english::regconfig, "customer" "kp")' in sql
    assert ":*" not in sql


def test_it_quotes_every_term_so_websearch_operators_are_words():
    sql = _sql(["or", "customer", "journey"])

    assert '"or" "customer"' in sql
