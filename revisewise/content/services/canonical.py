# mypy: disallow-untyped-defs, disallow-incomplete-defs
"""Import and export the canonical YAML format (docs/content-format.md)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from revisewise.content.importers.canonical import (
    FORMAT_MARKER,
    FORMAT_VERSION,
    CanonicalFile,
    CanonicalItem,
    CanonicalQualification,
    dump_canonical,
)
from revisewise.content.models import (
    ContentItem,
    Qualification,
    SourceDocument,
    Unit,
)
from revisewise.content.services.common import (
    KIND_ORDER,
    ImportResult,
    ItemCounts,
    awarding_body_get_or_create,
    content_item_key,
    subject_get_or_create,
)
from revisewise.content.services.revisions import (
    qualification_save_revision,
    unit_save_revision,
)


@transaction.atomic
def qualification_import(*, document: CanonicalFile, origin: str) -> list[ImportResult]:
    """Make each qualification in a canonical YAML file match the file exactly.

    Qualifications, units and items are matched by uuid, then by slug (units) or key (items);
    new ones keep the uuid the file gives. The items of each listed unit and the shared items
    are replaced by the file's, in the file's order. Units the file does not list are kept.
    """
    results: list[ImportResult] = []
    for data in document.qualifications:
        qualification, _ = _qualification_from_canonical(data)
        counts = ItemCounts()
        _replace_items(qualification, None, data.shared_items, document.path, counts)
        for position, unit_data in enumerate(data.units):
            unit_counts = ItemCounts()
            unit, created = _unit_from_canonical(qualification, unit_data, position)
            _replace_items(qualification, unit, unit_data.items, document.path, unit_counts)
            changed = unit_save_revision(unit=unit, origin=origin) is not None
            results.append(
                ImportResult(
                    file=document.path,
                    unit_uuid=str(unit.uuid),
                    unit_title=unit.title,
                    qualification_title=qualification.title,
                    status="created" if created else "updated" if changed else "unchanged",
                    items_created=unit_counts.created,
                    items_updated=unit_counts.updated,
                    items_deleted=unit_counts.deleted,
                    items_total=len(unit_data.items),
                )
            )
        qualification_save_revision(qualification=qualification, origin=origin)
    if document.plans:
        from revisewise.epa.services import plans_import

        plans_import(plans=document.plans, file=document.path)
    SourceDocument.objects.update_or_create(
        path=document.path,
        defaults={
            "sha256": document.sha256,
            "format": "yaml",
            "unit": None,
            "parsed": _canonical_parsed(document),
        },
    )
    return results


def _canonical_parsed(document: CanonicalFile) -> dict[str, Any]:
    return {
        "format": "yaml",
        "qualifications": [
            {
                "title": q.title,
                "overview": q.overview,
                "overview_line": q.line,
                "units": [u.title for u in q.units],
            }
            for q in document.qualifications
        ],
    }


def _qualification_from_canonical(data: CanonicalQualification) -> tuple[Qualification, bool]:
    slug = data.slug or slugify(data.title)[:300]
    qualification = None
    if data.uuid:
        qualification = Qualification.objects.filter(uuid=data.uuid).first()
    if qualification is None:
        qualification = Qualification.objects.filter(slug=slug).first()
    created = qualification is None
    if qualification is None:
        qualification = Qualification(**({"uuid": data.uuid} if data.uuid else {}))
    qualification.title = data.title
    qualification.slug = slug
    qualification.subject = subject_get_or_create(name=data.subject)
    qualification.awarding_body = awarding_body_get_or_create(name=data.awarding_body)
    qualification.level = data.level
    qualification.qualification_type = data.qualification_type
    qualification.reference = data.reference
    qualification.family = data.family
    qualification.overview = data.overview
    qualification.save()
    return qualification, created


def _unit_from_canonical(
    qualification: Qualification, data: Any, position: int
) -> tuple[Unit, bool]:
    slug = data.slug or slugify(data.title)[:300]
    units = Unit.objects.filter(qualification=qualification)
    unit = units.filter(uuid=data.uuid).first() if data.uuid else None
    unit = unit or units.filter(slug=slug).first()
    created = unit is None
    if unit is None:
        unit = Unit(qualification=qualification, **({"uuid": data.uuid} if data.uuid else {}))
    wanted = {
        "title": data.title,
        "slug": slug,
        "synopsis": data.synopsis,
        "stated_counts": data.stated_counts,
        "position": position,
    }
    if created or any(getattr(unit, k) != v for k, v in wanted.items()):
        for name, value in wanted.items():
            setattr(unit, name, value)
        unit.save()
    return unit, created


def _replace_items(
    qualification: Qualification,
    unit: Unit | None,
    items: tuple[CanonicalItem, ...],
    source_file: str,
    counts: ItemCounts,
) -> None:
    """Make a scope's items exactly the file's items, keeping the uuid of every match."""
    existing = list(ContentItem.objects.filter(qualification=qualification, unit=unit))
    by_uuid = {str(i.uuid): i for i in existing}
    by_key = {(i.kind, i.key): i for i in existing}
    kept: set[int] = set()
    positions: dict[str, int] = {}
    for data in items:
        key = content_item_key(kind=data.kind, name=data.name, text=data.text)
        item = (by_uuid.get(data.uuid) if data.uuid else None) or by_key.get((data.kind, key))
        if item is not None and item.pk in kept:
            item = None
        positions[data.kind] = positions.get(data.kind, -1) + 1
        wanted: dict[str, Any] = {
            "kind": data.kind,
            "name": data.name,
            "text": data.text,
            "key": key,
            "position": positions[data.kind],
            "source_file": data.source_file or source_file,
            "source_line": data.source_line,
        }
        if item is None:
            extra = {"uuid": data.uuid} if data.uuid else {}
            item = ContentItem.objects.create(
                qualification=qualification, unit=unit, **extra, **wanted
            )
            counts.created += 1
        else:
            changed = [k for k, v in wanted.items() if getattr(item, k) != v]
            if changed:
                for name in changed:
                    setattr(item, name, wanted[name])
                item.save(update_fields=[*changed, "updated_at"])
                counts.updated += 1
        kept.add(item.pk)
    for item in existing:
        if item.pk not in kept:
            item.delete()
            counts.deleted += 1


def qualification_export_yaml(*, qualifications: Iterable[Qualification]) -> str:
    """Return the canonical YAML of the qualifications (one document each, ordered by slug)."""
    ordered = sorted(qualifications, key=lambda q: q.slug)
    from revisewise.epa.services import plan_export_document

    documents = []
    for qualification in ordered:
        documents.append(_qualification_document(qualification))
        plan = plan_export_document(qualification=qualification)
        if plan is not None:
            documents.append(plan)
    return dump_canonical(documents)


def _qualification_document(qualification: Qualification) -> dict[str, Any]:
    items = list(
        qualification.content_items.select_related("unit").order_by("kind", "position", "pk")
    )
    shared = [i for i in items if i.unit_id is None]
    return {
        FORMAT_MARKER: FORMAT_VERSION,
        "qualification": {
            "uuid": str(qualification.uuid),
            "title": qualification.title,
            "slug": qualification.slug,
            "subject": qualification.subject.name,
            "awarding_body": qualification.awarding_body.name,
            "level": qualification.level,
            "type": qualification.qualification_type,
            "reference": qualification.reference,
            "family": qualification.family,
            "overview": qualification.overview,
            "shared_items": _items_document(shared),
        },
        "units": [
            {
                "uuid": str(unit.uuid),
                "title": unit.title,
                "slug": unit.slug,
                "synopsis": unit.synopsis,
                "stated_counts": dict(unit.stated_counts),
                "items": _items_document([i for i in items if i.unit_id == unit.pk]),
            }
            for unit in qualification.units.order_by("position", "title", "pk")
        ],
    }


def _items_document(items: list[ContentItem]) -> dict[str, list[dict[str, str]]]:
    grouped: dict[str, list[dict[str, str]]] = {}
    for kind in KIND_ORDER:
        entries = []
        for item in sorted((i for i in items if i.kind == kind), key=lambda i: (i.position, i.pk)):
            entry = {"uuid": str(item.uuid)}
            if item.name:
                entry["name"] = item.name
            if item.text:
                entry["text"] = item.text
            if item.source_file:
                entry["source"] = f"{item.source_file}:{item.source_line or 0}"
            entries.append(entry)
        if entries:
            grouped[kind] = entries
    return grouped
