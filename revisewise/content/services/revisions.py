# mypy: disallow-untyped-defs, disallow-incomplete-defs
"""Content revisions: append-only snapshots of a unit or a qualification after each change."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from revisewise.content.models import (
    ContentItem,
    ContentRevision,
    Qualification,
    Unit,
)
from revisewise.content.services.common import (
    KIND_ORDER,
)


def _items_snapshot(items: Iterable[ContentItem]) -> list[dict[str, str]]:
    ordered = sorted(items, key=lambda i: (KIND_ORDER.index(i.kind), i.position, i.pk))
    return [{"uuid": str(i.uuid), "kind": i.kind, "name": i.name, "text": i.text} for i in ordered]


def unit_snapshot(*, unit: Unit) -> dict[str, Any]:
    """Return the unit's content as plain data: what a revision records and compares."""
    return {
        "uuid": str(unit.uuid),
        "title": unit.title,
        "slug": unit.slug,
        "synopsis": unit.synopsis,
        "items": _items_snapshot(unit.items.all()),
    }


def qualification_snapshot(*, qualification: Qualification) -> dict[str, Any]:
    """Return the qualification's own content (fields and shared items) as plain data."""
    return {
        "uuid": str(qualification.uuid),
        "title": qualification.title,
        "slug": qualification.slug,
        "subject": qualification.subject.name,
        "awarding_body": qualification.awarding_body.name,
        "level": qualification.level,
        "qualification_type": qualification.qualification_type,
        "reference": qualification.reference,
        "family": qualification.family,
        "overview": qualification.overview,
        "items": _items_snapshot(qualification.content_items.filter(unit__isnull=True)),
    }


def _snapshot_sha256(snapshot: dict[str, Any]) -> str:
    encoded = json.dumps(snapshot, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


def unit_save_revision(*, unit: Unit, origin: str, summary: str = "") -> ContentRevision | None:
    """Append a revision of the unit if its content differs from the last one; else do nothing."""
    snapshot = unit_snapshot(unit=unit)
    digest = _snapshot_sha256(snapshot)
    last = ContentRevision.objects.filter(unit=unit).order_by("-pk").first()
    if last is not None and last.snapshot_sha256 == digest:
        return None
    return ContentRevision.objects.create(
        qualification=unit.qualification,
        unit=unit,
        snapshot=snapshot,
        snapshot_sha256=digest,
        origin=origin[:500],
        summary=summary[:500],
    )


def qualification_save_revision(
    *, qualification: Qualification, origin: str, summary: str = ""
) -> ContentRevision | None:
    """Append a revision of the qualification's own content if it changed; else do nothing."""
    snapshot = qualification_snapshot(qualification=qualification)
    digest = _snapshot_sha256(snapshot)
    last = (
        ContentRevision.objects.filter(qualification=qualification, unit__isnull=True)
        .order_by("-pk")
        .first()
    )
    if last is not None and last.snapshot_sha256 == digest:
        return None
    return ContentRevision.objects.create(
        qualification=qualification,
        unit=None,
        snapshot=snapshot,
        snapshot_sha256=digest,
        origin=origin[:500],
        summary=summary[:500],
    )
