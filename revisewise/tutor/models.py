"""The tutor's retrieval index: one row per passage of content, with its embedding.

A passage is derived data (it can be rebuilt from the content at any time), so rows are updated
in place by `tutor_index_refresh`, which re-embeds only passages whose text or model changed.
"""

from __future__ import annotations

from django.db import models

from revisewise.content.models import ContentItem, Qualification, Unit
from revisewise.core.models import TimeStampedModel


class Passage(TimeStampedModel):
    """A retrievable piece of content: a unit's synopsis, one item, or an overview paragraph."""

    # Stable identity across refreshes: "item:<uuid>", "synopsis:<uuid>", "overview:<uuid>:<n>".
    source_key = models.CharField(max_length=120, unique=True)
    qualification = models.ForeignKey(
        Qualification, on_delete=models.CASCADE, related_name="tutor_passages"
    )
    # Null for the qualification's own content, which belongs to every unit of it.
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="tutor_passages"
    )
    content_item = models.ForeignKey(
        ContentItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tutor_passages",
    )
    # The section heading as the seed pages name it, e.g. "Common Mistakes".
    section = models.CharField(max_length=100)
    position = models.PositiveIntegerField(default=0)
    text = models.TextField()
    # sha256 of the text and the embedding model: a change of either means re-embedding.
    content_hash = models.CharField(max_length=64)
    embedding = models.BinaryField()
    embedding_model = models.CharField(max_length=300)

    class Meta:
        ordering = ["qualification_id", "unit_id", "section", "position", "pk"]
        indexes = [models.Index(fields=["qualification", "unit"])]

    def __str__(self) -> str:
        return f"{self.section}: {self.text[:60]}"
