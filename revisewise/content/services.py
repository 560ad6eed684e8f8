"""Content services: import files, export the canonical YAML, record revisions.

Each imported file is one transaction: a file that fails writes nothing and is reported with its
name, line and reason, while the other files of the run still import. Items are matched on
re-import by their key (`content_item_key`), so re-importing is idempotent and an edited item
keeps its uuid. Each item remembers the file that first brought it (`source_file`); a file only
updates or deletes the items it brought, so a tabbed file merged into a page's unit, or a second
unit repeating the qualification's generic tips, never fights the first source.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Max
from django.utils.text import slugify

from revisewise.content.importers.canonical import (
    FORMAT_MARKER,
    FORMAT_VERSION,
    CanonicalFile,
    CanonicalItem,
    CanonicalQualification,
    dump_canonical,
    parse_canonical,
)
from revisewise.content.importers.common import (
    FORMAT_TABBED,
    ContentFileError,
    ItemDraft,
    ParsedDocument,
    document_items,
    item_key,
    normalise,
)
from revisewise.content.importers.files import ContentFile, find_content_files, parse_text_document
from revisewise.content.models import (
    AwardingBody,
    ContentItem,
    ContentRevision,
    ItemKind,
    Qualification,
    QualificationType,
    SourceDocument,
    Subject,
    Unit,
)

# Two items of one kind whose normalised texts are at least this similar are one item told twice
# (e.g. the same misconception with a reworded correction on another unit).
NEAR_IDENTICAL_RATIO = 0.9
KIND_ORDER = [kind.value for kind in ItemKind]

ProgressCallback = Callable[[int, int, str], None]


@dataclass(frozen=True)
class ImportResult:
    """What importing one unit from one file did."""

    file: str
    unit_uuid: str
    unit_title: str
    qualification_title: str
    status: str  # "created", "updated" or "unchanged"
    items_created: int = 0
    items_updated: int = 0
    items_deleted: int = 0
    items_total: int = 0


@dataclass(frozen=True)
class ImportFileError:
    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass
class ImportReport:
    dry_run: bool = False
    files_seen: int = 0
    files_imported: int = 0
    results: list[ImportResult] = field(default_factory=list)
    errors: list[ImportFileError] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def items_total(self) -> int:
        return sum(r.items_total for r in self.results)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _ItemCounts:
    created: int = 0
    updated: int = 0
    deleted: int = 0


def content_item_key(*, kind: str, name: str, text: str) -> str:
    """Return sha256 hex of the kind and the normalised name (or text when there is no name)."""
    return item_key(kind=kind, name=name, text=text)


def content_import_paths(
    *,
    paths: Sequence[str | Path],
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Import every content file under `paths`, each file in its own transaction.

    Page and YAML files go before tabbed files, which merge into units that pages create.
    With `dry_run` everything is rolled back at the end, so the report is exact and nothing stays.
    """
    files, missing = find_content_files([Path(p) for p in paths])
    report = ImportReport(dry_run=dry_run, files_seen=len(files) + len(missing))
    report.errors.extend(ImportFileError(e.file, e.line, e.reason) for e in missing)
    with transaction.atomic():
        for done, content_file in enumerate(_import_order(files), 1):
            _import_one(content_file, report)
            if progress is not None:
                progress(done, len(files), content_file.name)
        if dry_run:
            transaction.set_rollback(True)
    return report


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
        counts = _ItemCounts()
        _replace_items(qualification, None, data.shared_items, document.path, counts)
        for position, unit_data in enumerate(data.units):
            unit_counts = _ItemCounts()
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
    qualification.subject = _subject_get_or_create(name=data.subject)
    qualification.awarding_body = _awarding_body_get_or_create(name=data.awarding_body)
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
    counts: _ItemCounts,
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
    return dump_canonical([_qualification_document(q) for q in ordered])


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


def _import_order(files: list[ContentFile]) -> list[ContentFile]:
    def rank(content_file: ContentFile) -> tuple[int, str]:
        if content_file.is_yaml:
            return (0, content_file.name)
        return (2 if _peek_is_tabbed(content_file) else 1, content_file.name)

    return sorted(files, key=rank)


def _peek_is_tabbed(content_file: ContentFile) -> bool:
    from revisewise.content.importers.tabbed import looks_like_tabbed

    try:
        head = content_file.location.read_bytes()[: settings.CONTENT_MAX_FILE_BYTES]
        return looks_like_tabbed(head.decode("utf-8", errors="replace"))
    except OSError:
        return False


def _import_one(content_file: ContentFile, report: ImportReport) -> None:
    try:
        raw = content_file.location.read_bytes()
        with transaction.atomic():
            if content_file.is_yaml:
                canonical = parse_canonical(
                    raw, name=content_file.name, max_bytes=settings.CONTENT_MAX_FILE_BYTES
                )
                results = qualification_import(
                    document=canonical, origin=f"yaml:{content_file.name}"
                )
            else:
                document = parse_text_document(
                    raw, name=content_file.name, max_bytes=settings.CONTENT_MAX_FILE_BYTES
                )
                results = [unit_import(document=document, origin=f"import:{content_file.name}")]
    except ContentFileError as exc:
        report.errors.append(ImportFileError(content_file.name, exc.line, exc.reason))
        return
    except OSError as exc:
        report.errors.append(ImportFileError(content_file.name, 0, f"cannot read: {exc}"))
        return
    except DatabaseError as exc:
        report.errors.append(ImportFileError(content_file.name, 1, f"cannot be stored: {exc}"))
        return
    report.files_imported += 1
    report.results.extend(results)


@transaction.atomic
def unit_import(*, document: ParsedDocument, origin: str) -> ImportResult:
    """Store one parsed page or tabbed file as a unit, its items and the qualification's items.

    A tabbed file merges into the unit its synopsis and key concepts match, and raises
    `ContentFileError` when none does. Records a revision of the unit (and of the qualification)
    only when their content changed, and refreshes the file's `SourceDocument`.
    """
    if document.format == FORMAT_TABBED:
        unit = _unit_matching_tabbed(document)
        qualification = unit.qualification
        created = False
    else:
        qualification = _qualification_from_page(document)
        unit, created = _unit_from_page(document, qualification)
    _merge_synopsis(unit, document.synopsis)
    drafts = document_items(document)
    counts = _ItemCounts()
    _sync_items(
        qualification=qualification,
        unit=unit,
        drafts=[d for d in drafts if not d.is_generic],
        source_file=document.path,
        counts=counts,
    )
    _sync_items(
        qualification=qualification,
        unit=None,
        drafts=[d for d in drafts if d.is_generic],
        source_file=document.path,
        counts=counts,
    )
    SourceDocument.objects.update_or_create(
        path=document.path,
        defaults={
            "sha256": document.sha256,
            "format": document.format,
            "unit": unit,
            "parsed": document.as_parsed(),
        },
    )
    unit_changed = unit_save_revision(unit=unit, origin=origin) is not None
    qualification_changed = (
        qualification_save_revision(qualification=qualification, origin=origin) is not None
    )
    status = "created" if created else "updated" if unit_changed or qualification_changed else ""
    return ImportResult(
        file=document.path,
        unit_uuid=str(unit.uuid),
        unit_title=unit.title,
        qualification_title=qualification.title,
        status=status or "unchanged",
        items_created=counts.created,
        items_updated=counts.updated,
        items_deleted=counts.deleted,
        items_total=len(drafts),
    )


def _qualification_from_page(document: ParsedDocument) -> Qualification:
    if document.qualification is None:
        raise ContentFileError(
            "the page names no qualification (expected its title before 'Topic Overview')",
            line=document.unit_title_line or 1,
            file=document.path,
        )
    header = document.header
    if not header.get("subject") or not header.get("awarding_body"):
        raise ContentFileError(
            "the title line names no awarding body and subject "
            "('<unit> <awarding body> <family> <subject> Revision')",
            line=1,
            file=document.path,
        )
    title = document.qualification.title
    subject = _subject_get_or_create(name=header["subject"])
    awarding_body = _awarding_body_get_or_create(name=header["awarding_body"])
    qualification, created = Qualification.objects.get_or_create(
        slug=slugify(title)[:300],
        defaults={
            "title": title,
            "subject": subject,
            "awarding_body": awarding_body,
            "level": _level(title),
            "qualification_type": _qualification_type(title),
            "family": header.get("family", ""),
            "overview": document.qualification.overview,
        },
    )
    # The first overview imported wins; later pages' overviews stay in SourceDocument.parsed.
    if not created and not qualification.overview and document.qualification.overview:
        qualification.overview = document.qualification.overview
        qualification.save(update_fields=["overview", "updated_at"])
    return qualification


def _subject_get_or_create(*, name: str) -> Subject:
    subject, _ = Subject.objects.get_or_create(slug=slugify(name)[:200], defaults={"name": name})
    return subject


def _awarding_body_get_or_create(*, name: str) -> AwardingBody:
    body, _ = AwardingBody.objects.get_or_create(slug=slugify(name)[:200], defaults={"name": name})
    return body


def _level(title: str) -> int | None:
    match = re.search(r"\bLevel\s+([1-8])\b", title)
    return int(match.group(1)) if match else None


def _qualification_type(title: str) -> str:
    if "(RQF)" in title:
        for word, kind in (
            ("Diploma", QualificationType.RQF_DIPLOMA),
            ("Certificate", QualificationType.RQF_CERTIFICATE),
            ("Award", QualificationType.RQF_AWARD),
        ):
            if re.search(rf"\b{word}\b", title):
                return kind.value
    if re.search(r"\bST\d{4}\b", title):
        return QualificationType.APPRENTICESHIP_STANDARD.value
    return QualificationType.OTHER.value


def _unit_from_page(document: ParsedDocument, qualification: Qualification) -> tuple[Unit, bool]:
    slug = slugify(document.unit_title)[:300]
    unit = Unit.objects.filter(qualification=qualification, slug=slug).first()
    if unit is None:
        position = qualification.units.aggregate(top=Max("position"))["top"]
        unit = Unit.objects.create(
            qualification=qualification,
            title=document.unit_title,
            slug=slug,
            synopsis=document.synopsis,
            position=0 if position is None else position + 1,
            stated_counts=document.stated_counts,
        )
        return unit, True
    changed: list[str] = []
    if unit.title != document.unit_title:
        unit.title, changed = document.unit_title, [*changed, "title"]
    if document.stated_counts and unit.stated_counts != document.stated_counts:
        unit.stated_counts, changed = document.stated_counts, [*changed, "stated_counts"]
    if changed:
        unit.save(update_fields=[*changed, "updated_at"])
    return unit, False


def _merge_synopsis(unit: Unit, synopsis: str) -> None:
    """Keep the fuller synopsis when one source cut it short (a prefix of the other)."""
    if not synopsis or synopsis == unit.synopsis:
        return
    if unit.synopsis and unit.synopsis.startswith(synopsis):
        return
    unit.synopsis = synopsis
    unit.save(update_fields=["synopsis", "updated_at"])


def _unit_matching_tabbed(document: ParsedDocument) -> Unit:
    """Find the unit a tabbed file describes, by its synopsis or teaser and key concept names."""
    concepts = {
        normalise(d.name) for d in document_items(document) if d.kind == ItemKind.CONCEPT and d.name
    }
    synopsis = normalise(document.synopsis)
    teaser = normalise(document.teaser)
    scored: list[tuple[int, Unit]] = []
    for unit in Unit.objects.select_related("qualification").prefetch_related("items"):
        stored = normalise(unit.synopsis)
        score = 0
        if stored and synopsis and (stored.startswith(synopsis) or synopsis.startswith(stored)):
            score += 2
        elif stored and teaser and stored.startswith(teaser):
            score += 1
        names = {normalise(i.name) for i in unit.items.all() if i.kind == ItemKind.CONCEPT}
        if concepts and len(concepts & names) * 2 >= len(concepts):
            score += 1
        if score >= 2:
            scored.append((score, unit))
    scored.sort(key=lambda pair: -pair[0])
    if not scored or (len(scored) > 1 and scored[0][0] == scored[1][0]):
        reason = "matches more than one unit" if scored else "matches no unit"
        raise ContentFileError(
            f"this tabbed file names no unit and {reason} by synopsis and key concepts; "
            "import the unit's revision page first",
            line=document.synopsis_line or 1,
            file=document.path,
        )
    return scored[0][1]


def _sync_items(
    *,
    qualification: Qualification,
    unit: Unit | None,
    drafts: list[ItemDraft],
    source_file: str,
    counts: _ItemCounts,
) -> None:
    """Bring the items of one scope (a unit, or the qualification's shared items) in line.

    Items this file brought are created, updated in place (same uuid) or deleted. An item another
    file brought that matches a draft by key or near-identical text is left as it is: the draft
    is a variant and stays only in the file's SourceDocument.
    """
    scope = ContentItem.objects.filter(qualification=qualification, unit=unit)
    existing = list(scope.order_by("kind", "position", "pk"))
    by_key = {(i.kind, i.key): i for i in existing}
    matched: set[int] = set()
    shared_kinds = {i.kind for i in existing if i.source_file != source_file}
    next_position = {
        kind: max((i.position for i in existing if i.kind == kind), default=-1) + 1
        for kind in KIND_ORDER
    }
    for draft in drafts:
        key = content_item_key(kind=draft.kind, name=draft.name, text=draft.text)
        item = by_key.get((draft.kind, key)) or _near_identical(draft, existing, matched)
        if item is None:
            position = draft.position
            if draft.kind in shared_kinds:
                position = next_position[draft.kind]
                next_position[draft.kind] += 1
            item = ContentItem.objects.create(
                qualification=qualification,
                unit=unit,
                kind=draft.kind,
                name=draft.name,
                text=draft.text,
                key=key,
                position=position,
                source_file=source_file,
                source_line=draft.line,
            )
            counts.created += 1
        elif item.source_file == source_file and item.pk not in matched:
            keep_position = draft.kind in shared_kinds
            if _update_item(item, draft, key, keep_position=keep_position):
                counts.updated += 1
        matched.add(item.pk)
    for item in existing:
        if item.pk not in matched and item.source_file == source_file:
            if unit is None and _hand_over(item, qualification, existing):
                counts.updated += 1
                continue
            item.delete()
            counts.deleted += 1


def _hand_over(item: ContentItem, qualification: Qualification, scope: list[ContentItem]) -> bool:
    """Give a shared item its file dropped to another page that still states it; else False.

    Pages of one qualification repeat its generic items, but only the first page's variant is
    stored. When that page drops one, the next page's variant (kept in its SourceDocument)
    takes over the same row, so the item and its uuid survive.
    """
    others = SourceDocument.objects.filter(unit__qualification=qualification).exclude(
        path=item.source_file
    )
    for document in others.order_by("path"):
        parsed = ParsedDocument.from_parsed(path=document.path, parsed=document.parsed)
        for draft in document_items(parsed):
            if not draft.is_generic or draft.kind != item.kind:
                continue
            if _near_identical(draft, [item], set()) is None:
                continue
            key = content_item_key(kind=draft.kind, name=draft.name, text=draft.text)
            if any(other.key == key and other.pk != item.pk for other in scope):
                continue
            item.name, item.text, item.key = draft.name, draft.text, key
            item.source_file, item.source_line = document.path, draft.line
            item.save()
            return True
    return False


def _near_identical(
    draft: ItemDraft, existing: list[ContentItem], matched: set[int]
) -> ContentItem | None:
    wanted = normalise(draft.name or draft.text)
    key = content_item_key(kind=draft.kind, name=draft.name, text=draft.text)
    for item in existing:
        if item.kind != draft.kind or item.pk in matched:
            continue
        if item.key == key:
            return item
        ratio = difflib.SequenceMatcher(None, wanted, normalise(item.name or item.text)).ratio()
        if ratio >= NEAR_IDENTICAL_RATIO:
            return item
    return None


def _update_item(item: ContentItem, draft: ItemDraft, key: str, *, keep_position: bool) -> bool:
    """Apply a draft to the item it matched; return whether its content changed."""
    wanted: dict[str, Any] = {
        "name": draft.name,
        "text": draft.text,
        "key": key,
        "source_line": draft.line,
    }
    if not keep_position:
        wanted["position"] = draft.position
    changed = [name for name, value in wanted.items() if getattr(item, name) != value]
    if not changed:
        return False
    for name in changed:
        setattr(item, name, wanted[name])
    item.save(update_fields=[*changed, "updated_at"])
    return bool(set(changed) - {"source_line"})


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
