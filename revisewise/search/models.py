"""The full-text search index: one row per searchable piece of content.

Rows are derived from the content and rebuilt by `search_index_rebuild`, never edited by hand.
The text index itself depends on the database: on SQLite an FTS5 virtual table `search_fts`
(rowid = `SearchDocument.id`, created by migration 0002); on PostgreSQL the `search_vector`
column with a GIN index (also migration 0002). On SQLite `search_vector` stays null.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models

from revisewise.content.models import ContentItem, Qualification, Unit


class SearchDocument(models.Model):
    qualification = models.ForeignKey(
        Qualification, on_delete=models.CASCADE, related_name="search_documents"
    )
    # Null for what belongs to the whole qualification (its overview and shared items).
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="search_documents"
    )
    item = models.ForeignKey(
        ContentItem, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The anchor of the section on the page ("exam-tips"), see content.selectors.
    section = models.CharField(max_length=40)
    # Weighted above the body: a unit's or qualification's title; blank for items.
    title = models.CharField(max_length=500, blank=True)
    body = models.TextField()
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["qualification", "unit"])]

    def __str__(self) -> str:
        return f"{self.section}: {(self.title or self.body)[:60]}"
