# mypy: disallow-untyped-defs, disallow-incomplete-defs
"""Import content files: revision pages, tabbed files and canonical YAML.

Each imported file is one transaction: a file that fails writes nothing and is reported with its
name, line and reason, while the other files of the run still import. Items are matched on
re-import by their key (`content_item_key`), so re-importing is idempotent and an edited item
keeps its uuid. Each item remembers the file that first brought it (`source_file`); a file only
updates or deletes the items it brought, so a tabbed file merged into a page's unit, or a second
unit repeating the qualification's generic tips, never fights the first source.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Max
from django.utils.text import slugify

from revisewise.content.importers.canonical import (
    parse_canonical,
)
from revisewise.content.importers.common import (
    FORMAT_TABBED,
    GENERIC_CAPABLE,
    HEADING_KINDS,
    ContentFileError,
    ItemDraft,
    ParsedDocument,
    bullet_drafts,
    document_items,
    normalise,
)
from revisewise.content.importers.files import (
    ContentFile,
    find_content_files,
    parse_text_document,
    read_content_bytes,
)
from revisewise.content.importers.tabbed import looks_like_tabbed
from revisewise.content.models import (
    ContentItem,
    ItemKind,
    Qualification,
    QualificationType,
    SourceDocument,
    Unit,
)
from revisewise.content.services.canonical import qualification_import
from revisewise.content.services.common import (
    KIND_ORDER,
    NEAR_IDENTICAL_RATIO,
    ImportFileError,
    ImportReport,
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
from revisewise.search.services import search_index_rebuild

ProgressCallback = Callable[[int, int, str], None]


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
    # A dry run holds every file in one transaction rolled back at the end, so tabbed files can
    # still merge into the units their pages would create; a real run commits file by file.
    with transaction.atomic() if dry_run else nullcontext():
        for done, content_file in enumerate(_import_order(files), 1):
            _import_one(content_file, report)
            if progress is not None:
                progress(done, len(files), content_file.name)
        if dry_run:
            transaction.set_rollback(True)
    if not dry_run and report.files_imported:
        search_index_rebuild()
    return report


def _import_order(files: list[ContentFile]) -> list[ContentFile]:
    def rank(content_file: ContentFile) -> tuple[int, str]:
        if content_file.is_yaml:
            return (0, content_file.name)
        return (2 if _peek_is_tabbed(content_file) else 1, content_file.name)

    return sorted(files, key=rank)


def _peek_is_tabbed(content_file: ContentFile) -> bool:
    try:
        with content_file.location.open("rb") as handle:
            head = handle.read(settings.CONTENT_MAX_FILE_BYTES)
        return looks_like_tabbed(head.decode("utf-8", errors="replace"))
    except OSError:
        return False


def _import_one(content_file: ContentFile, report: ImportReport) -> None:
    try:
        raw = read_content_bytes(content_file, max_bytes=settings.CONTENT_MAX_FILE_BYTES)
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
        document = _generic_start_from_similarity(document, qualification)
    _merge_synopsis(unit, document.synopsis)
    drafts = document_items(document)
    counts = ItemCounts()
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


def _generic_start_from_similarity(
    document: ParsedDocument, qualification: Qualification
) -> ParsedDocument:
    """Where the page gives no evidence, call a section's tail generic if other units share it.

    A section without a boundary from the page itself (no criteria, no counters, no run of
    misconceptions) gets one where its trailing bullets all match the qualification's shared
    items of the same kind, as stated by the units imported before.
    """
    shared = list(ContentItem.objects.filter(qualification=qualification, unit__isnull=True))
    if not shared:
        return document
    found = dict(document.generic_start)
    for section in document.sections:
        if section.heading not in GENERIC_CAPABLE or section.heading in found:
            continue
        kind = HEADING_KINDS[section.heading]
        start = len(section.items)
        while start > 0 and all(
            _near_identical(ItemDraft(k, name, text, line, 0), shared, set()) is not None
            for k, name, text, line in bullet_drafts(kind=kind, item=section.items[start - 1])
        ):
            start -= 1
        if start < len(section.items):
            found[section.heading] = start
    return replace(document, generic_start=found) if found != document.generic_start else document


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
    subject = subject_get_or_create(name=header["subject"])
    awarding_body = awarding_body_get_or_create(name=header["awarding_body"])
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
        unit = _unit_renamed_in_its_page(document, qualification, slug)
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


def _unit_renamed_in_its_page(
    document: ParsedDocument, qualification: Qualification, slug: str
) -> Unit | None:
    """Return the unit this file created before, renamed to the page's new title; or None."""
    previous = (
        SourceDocument.objects.filter(path=document.path, unit__qualification=qualification)
        .select_related("unit")
        .first()
    )
    if previous is None or previous.unit is None:
        return None
    unit = previous.unit
    unit.title, unit.slug = document.unit_title, slug
    unit.save(update_fields=["title", "slug", "updated_at"])
    return unit


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
    counts: ItemCounts,
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
    wanted = normalise(draft.name or draft.text).split()
    key = content_item_key(kind=draft.kind, name=draft.name, text=draft.text)
    for item in existing:
        if item.kind != draft.kind or item.pk in matched:
            continue
        if item.key == key:
            return item
        words = normalise(item.name or item.text).split()
        ratio = difflib.SequenceMatcher(None, wanted, words, autojunk=False).ratio()
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
