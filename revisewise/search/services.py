"""Full-text search over all content: building the index and querying it.

One interface, two engines: SQLite's FTS5 (the `search_fts` virtual table) and PostgreSQL's
full-text search (`SearchDocument.search_vector`, GIN-indexed). Both get the same sanitised plain
terms, so no query can reach either engine's syntax, and both return `SearchHit`s with the same
safely escaped, highlighted snippets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Replace
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from revisewise.content.models import ContentItem, Qualification, Unit
from revisewise.content.selectors import (
    SECTION_ID_FOR_KIND,
    SECTION_OVERVIEW,
    SECTION_SYNOPSIS,
    section_title,
)
from revisewise.search.models import SearchDocument

# Private-use characters mark the highlighted words in snippets from either engine. They are
# removed from indexed text, so the only ones in a snippet are the engine's, and the snippet can
# be HTML-escaped before the markers become <mark> tags.
MARK_START = "\ue000"
MARK_STOP = "\ue001"
POSTGRES_CONFIG = "english"
MAX_TERMS = 12
MAX_TERM_LENGTH = 40
# A last term this long or longer also matches as a prefix, for results while typing.
PREFIX_MIN_LENGTH = 3
SNIPPET_WORDS = 24

_TERM = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class SearchHit:
    qualification: Qualification
    # None when the hit belongs to the whole qualification (its overview or shared items).
    unit: Unit | None
    section: str
    section_title: str
    snippet: SafeString
    # Higher is better; comparable only between hits of the same query.
    rank: float

    @property
    def url(self) -> str:
        page = self.unit or self.qualification
        return f"{page.get_absolute_url()}#{self.section}"


def search_terms(*, text: str) -> list[str]:
    """Reduce any input to plain lower-case words: no quotes, operators or column filters."""
    terms = [term[:MAX_TERM_LENGTH] for term in _TERM.findall(text.lower().replace("_", " "))]
    return terms[:MAX_TERMS]


# Private-use characters standing in for < and > while PostgreSQL builds a snippet.
_LT, _GT = "\ue002", "\ue003"


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text.replace(MARK_START, "").replace(MARK_STOP, "")).strip()


def _highlight(raw: str) -> SafeString:
    escaped = escape(_SPACE.sub(" ", raw).strip())
    return mark_safe(escaped.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))


def _item_body(item: ContentItem) -> str:
    return " — ".join(part for part in (item.name, item.text) if part.strip())


def _documents_for_qualification(qualification: Qualification) -> list[SearchDocument]:
    documents = []
    if qualification.overview.strip():
        documents.append(
            SearchDocument(
                qualification=qualification,
                section=SECTION_OVERVIEW,
                title=_clean(qualification.title),
                body=_clean(qualification.overview),
            )
        )
    shared = ContentItem.objects.filter(qualification=qualification, unit__isnull=True)
    documents.extend(_documents_for_items(shared, qualification=qualification, unit=None))
    return documents


def _documents_for_unit(unit: Unit) -> list[SearchDocument]:
    synopsis = SearchDocument(
        qualification=unit.qualification,
        unit=unit,
        section=SECTION_SYNOPSIS,
        title=_clean(unit.title),
        body=_clean(unit.synopsis),
    )
    items = ContentItem.objects.filter(unit=unit)
    return [synopsis, *_documents_for_items(items, qualification=unit.qualification, unit=unit)]


def _documents_for_items(
    items: Iterable[ContentItem], *, qualification: Qualification, unit: Unit | None
) -> list[SearchDocument]:
    return [
        SearchDocument(
            qualification=qualification,
            unit=unit,
            item=item,
            section=SECTION_ID_FOR_KIND[item.kind],
            body=_clean(_item_body(item)),
        )
        for item in items
    ]


def _index(documents: Sequence[SearchDocument]) -> None:
    created = SearchDocument.objects.bulk_create(documents)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, body) VALUES (%s, %s, %s)",
                [(document.pk, document.title, document.body) for document in created],
            )
    elif connection.vendor == "postgresql":
        vector = SearchVector("title", weight="A", config=POSTGRES_CONFIG) + SearchVector(
            "body", weight="B", config=POSTGRES_CONFIG
        )
        SearchDocument.objects.filter(pk__in=[d.pk for d in created]).update(search_vector=vector)


def _unindex(documents: Iterable[SearchDocument]) -> None:
    ids = [document.pk for document in documents]
    if connection.vendor == "sqlite" and ids:
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(pk,) for pk in ids])
    SearchDocument.objects.filter(pk__in=ids).delete()


@transaction.atomic
def search_index_rebuild() -> int:
    """Rebuild the whole index from the content; return the number of documents indexed.

    Also clears rows left behind by content deleted without reindexing.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")
    SearchDocument.objects.all().delete()
    documents: list[SearchDocument] = []
    for qualification in Qualification.objects.all():
        documents.extend(_documents_for_qualification(qualification))
    for unit in Unit.objects.select_related("qualification"):
        documents.extend(_documents_for_unit(unit))
    _index(documents)
    return len(documents)


@transaction.atomic
def search_index_unit(*, unit: Unit) -> int:
    """Reindex one unit and its qualification's shared content; return the documents indexed.

    Call after importing or editing the unit. Its qualification's overview and shared items are
    reindexed too, since an import of any of its units may change them.
    """
    stale = SearchDocument.objects.filter(
        Q(unit=unit) | Q(qualification_id=unit.qualification_id, unit__isnull=True)
    ).only("pk")
    _unindex(list(stale))
    documents = [
        *_documents_for_qualification(unit.qualification),
        *_documents_for_unit(unit),
    ]
    _index(documents)
    return len(documents)


def _fts5_query(terms: list[str]) -> str:
    phrases = [f'"{term}"' for term in terms]
    last = terms[-1]
    if len(last) >= PREFIX_MIN_LENGTH:
        phrases[-1] = f'("{last}" OR "{last}"*)'
    return " AND ".join(phrases)


def _sqlite_ranked(terms: list[str], limit: int) -> list[tuple[int, str, float]]:
    sql = (
        "SELECT search_fts.rowid, snippet(search_fts, 1, %s, %s, '…', %s), "
        "bm25(search_fts, 5.0, 1.0) AS score "
        "FROM search_fts JOIN search_searchdocument ON search_searchdocument.id = search_fts.rowid "
        "WHERE search_fts MATCH %s ORDER BY score, search_fts.rowid LIMIT %s"
    )
    params = (MARK_START, MARK_STOP, SNIPPET_WORDS, _fts5_query(terms), limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        # bm25 is lower for better matches; negate it so that higher is better on both engines.
        return [(pk, snippet or "", -float(score)) for pk, snippet, score in cursor.fetchall()]


def postgres_search_query(*, terms: list[str]) -> SearchQuery:
    """Return the tsquery for plain terms: all must match, the last also as a prefix."""
    last = terms[-1]
    quoted = " ".join(f'"{term}"' for term in terms)
    query = SearchQuery(quoted, config=POSTGRES_CONFIG, search_type="websearch")
    if len(last) >= PREFIX_MIN_LENGTH:
        # Terms are \w+ only, so they cannot carry tsquery operators into the raw query.
        head = " ".join(f'"{term}"' for term in terms[:-1])
        prefix = SearchQuery(f"{last}:*", config=POSTGRES_CONFIG, search_type="raw")
        last_word = SearchQuery(last, config=POSTGRES_CONFIG, search_type="plain")
        query = last_word | prefix
        if head:
            query = SearchQuery(head, config=POSTGRES_CONFIG, search_type="websearch") & query
    return query


def _postgres_ranked_rows(terms: list[str]) -> QuerySet[SearchDocument, Any]:
    query = postgres_search_query(terms=terms)
    return (
        SearchDocument.objects.filter(search_vector=query)
        .annotate(
            score=SearchRank(F("search_vector"), query),
            snippet=SearchHeadline(
                # ts_headline drops anything that looks like an HTML tag; hide angle brackets
                # from it so "<script>" written in content is shown (escaped) like on SQLite.
                Replace(Replace(F("body"), Value("<"), Value(_LT)), Value(">"), Value(_GT)),
                query,
                config=POSTGRES_CONFIG,
                start_sel=MARK_START,
                stop_sel=MARK_STOP,
                max_words=SNIPPET_WORDS,
                min_words=SNIPPET_WORDS // 2,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-score", "pk")
        .values_list("pk", "snippet", "score")
    )


def _postgres_ranked(terms: list[str], limit: int) -> list[tuple[int, str, float]]:
    rows = _postgres_ranked_rows(terms)[:limit]
    return [
        (pk, (snippet or "").replace(_LT, "<").replace(_GT, ">"), float(score))
        for pk, snippet, score in rows
    ]


def search_query(*, text: str, limit: int = 50) -> list[SearchHit]:
    """Return the best matches for `text`, best first; any input is safe, none raises.

    The text is reduced to plain words (see `search_terms`) which must all occur in a hit; the
    last word also matches as a prefix so results can follow typing.
    """
    terms = search_terms(text=text)
    if not terms or limit < 1:
        return []
    if connection.vendor == "postgresql":
        ranked = _postgres_ranked(terms, limit)
    else:
        ranked = _sqlite_ranked(terms, limit)
    documents = SearchDocument.objects.select_related(
        "qualification", "unit__qualification"
    ).in_bulk([pk for pk, _snippet, _score in ranked])
    return [
        SearchHit(
            qualification=documents[pk].qualification,
            unit=documents[pk].unit,
            section=documents[pk].section,
            section_title=section_title(documents[pk].section),
            snippet=_highlight(snippet),
            rank=score,
        )
        for pk, snippet, score in ranked
        if pk in documents
    ]
