# mypy: disallow-untyped-defs, disallow-incomplete-defs
"""Authors' edits (the Django admin): save items with their keys and record the revision."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from revisewise.content.models import ContentItem, ContentRevision, Qualification, Unit
from revisewise.content.services.common import content_item_key
from revisewise.content.services.revisions import (
    qualification_save_revision,
    unit_save_revision,
)
from revisewise.search.services import search_index_rebuild

AUTHOR_SOURCE = "admin"


@transaction.atomic
def content_items_save(
    *,
    qualification: Qualification,
    unit: Unit | None,
    items: Sequence[ContentItem],
    deleted: Sequence[ContentItem] = (),
) -> None:
    """Save edited or new items of a unit (or the qualification's shared items) and delete some.

    Keys are recomputed from the edited text, so a re-import still recognises an edited item.
    An item an author creates records "admin" as its source file.
    """
    for item in deleted:
        if item.pk is not None:
            item.delete()
    for item in items:
        item.qualification = qualification
        item.unit = unit
        item.key = content_item_key(kind=item.kind, name=item.name, text=item.text)
        item.source_file = item.source_file or AUTHOR_SOURCE
        item.save()


def content_save_revision(
    *, qualification: Qualification, unit: Unit | None, author: str
) -> ContentRevision | None:
    """Record a revision of what an author just saved, if its content changed."""
    origin = f"admin:{author}"
    # The whole index rebuilds in about 0.1 s for the seeds; simpler than tracking what moved.
    transaction.on_commit(search_index_rebuild)
    if unit is not None:
        return unit_save_revision(unit=unit, origin=origin, summary="Edited in the admin")
    return qualification_save_revision(
        qualification=qualification, origin=origin, summary="Edited in the admin"
    )
