"""Generate, review and retire practice items; run practice sessions and store attempts."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import zip_longest
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from revisewise.accounts.models import User
from revisewise.content.models import ContentItem, Qualification, SourceDocument, Unit
from revisewise.marking.services import written_answer_create
from revisewise.marking.tasks import marking_encodings_warm_task
from revisewise.practice.generation import GENERATOR_VERSION, Candidate, UnitContent, generate_unit
from revisewise.practice.generation.sources import Source
from revisewise.practice.generation.validator import validate
from revisewise.practice.models import (
    Attempt,
    Item,
    ItemStatus,
    ItemType,
    PracticeSession,
    SessionScope,
)
from revisewise.practice.selectors import items_list_for_learner
from revisewise.scheduling.models import Card, ReviewSource
from revisewise.scheduling.selectors import cards_list_due
from revisewise.scheduling.services import card_review_answer

SOURCE_REMOVED = "its source is no longer in the content"
EDITED_SOURCE_CHANGED = "the source changed after an author edited this item: review it"


@dataclass
class UnitGeneration:
    """What one unit's generation did (or, in a dry run, would do)."""

    unit_title: str
    items_by_type: Counter[str] = field(default_factory=Counter)
    rejected: list[tuple[str, list[str]]] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    held_for_review: int = 0
    seconds: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit_title,
            "items_by_type": dict(sorted(self.items_by_type.items())),
            "rejected": len(self.rejected),
        }


def _sections_by_line() -> dict[tuple[str, int], str]:
    """Map (file name, line) of every imported bullet to the heading the page gives it."""
    headings: dict[tuple[str, int], str] = {}
    for path, parsed in SourceDocument.objects.values_list("path", "parsed"):
        name = PurePath(path).name
        for section in (parsed or {}).get("sections", []):
            for bullet in section.get("items", []):
                headings[(name, bullet.get("line"))] = section.get("heading", "")
    return headings


def _source(item: ContentItem, headings: dict[tuple[str, int], str]) -> Source:
    section = headings.get((PurePath(item.source_file).name, item.source_line or 0), "")
    return Source(
        pk=item.pk,
        key=item.key,
        kind=item.kind,
        name=item.name,
        text=item.text,
        unit_id=item.unit_id,
        section=section,
        position=item.position,
    )


def unit_content_load(
    *, unit: Unit, headings: dict[tuple[str, int], str] | None = None
) -> UnitContent:
    """Read the unit's content (its own and the qualification's shared items) as plain data."""
    headings = _sections_by_line() if headings is None else headings
    pool = [
        _source(item, headings)
        for item in ContentItem.objects.filter(qualification_id=unit.qualification_id).order_by(
            "unit_id", "kind", "position", "pk"
        )
    ]
    own = [source for source in pool if source.unit_id in (unit.pk, None)]
    own.sort(key=lambda source: (source.unit_id is None, source.position, source.pk))
    # Named models are quoted ("the 'HEAT' model"); other qualifications may spell them out too.
    everywhere = [
        _source(item, headings)
        for item in ContentItem.objects.filter(text__contains="'").order_by("pk")
    ]
    return UnitContent(unit.pk, unit.title, tuple(own), tuple(pool), tuple(everywhere))


def _status(candidate: Candidate) -> tuple[ItemStatus, list[str]]:
    if candidate.rejection_reasons:
        return ItemStatus.REJECTED, candidate.rejection_reasons
    if candidate.review_reasons:
        return ItemStatus.DRAFT, candidate.review_reasons
    return ItemStatus.AUTO_APPROVED, []


def _fill(item: Item, candidate: Candidate) -> None:
    item.item_type = candidate.item_type
    item.stem = candidate.stem
    item.payload = candidate.payload
    item.explanation = candidate.explanation
    item.objective_id = candidate.objective_pk
    item.source_item_id = candidate.source.pk
    item.source_section = candidate.source.heading
    item.source_sentence = candidate.source_sentence or candidate.source.sentence
    item.content_hash = candidate.content_hash
    item.generator_version = GENERATOR_VERSION


def _refresh(item: Item, candidate: Candidate) -> None:
    """Bring an existing row up to date with its changed source, keeping author decisions."""
    is_author_retired = item.status == ItemStatus.RETIRED and item.reviewed_by_id is not None
    if item.is_edited:
        item.content_hash = candidate.content_hash
        item.source_sentence = candidate.source_sentence or candidate.source.sentence
        status, reasons = ItemStatus.DRAFT, [EDITED_SOURCE_CHANGED]
    else:
        _fill(item, candidate)
        status, reasons = _status(candidate)
    if not is_author_retired:
        item.status, item.rejection_reasons = status, reasons
        item.reviewed_by, item.reviewed_at = None, None


@transaction.atomic
def items_generate_for_unit(
    *,
    unit: Unit,
    dry_run: bool = False,
    headings: dict[tuple[str, int], str] | None = None,
) -> UnitGeneration:
    """Generate the unit's items and store them idempotently.

    Same source key -> same row (and uuid): unchanged items are left untouched, changed ones
    updated, items whose source disappeared retired, new ones created. Nothing is written on a
    dry run. `headings` lets a caller generating many units read the page sections once.
    """
    started = time.perf_counter()
    result = UnitGeneration(unit_title=unit.title)
    candidates = generate_unit(unit_content_load(unit=unit, headings=headings))
    existing = {item.source_key: item for item in Item.objects.filter(unit=unit)}
    to_create: list[Item] = []
    to_update: list[Item] = []
    for candidate in candidates:
        if candidate.rejection_reasons:
            result.rejected.append((candidate.stem, candidate.rejection_reasons))
        else:
            result.items_by_type[candidate.item_type] += 1
            result.held_for_review += bool(candidate.review_reasons)
        item = existing.get(candidate.source_key)
        if item is None:
            item = Item(
                qualification_id=unit.qualification_id, unit=unit, source_key=candidate.source_key
            )
            _fill(item, candidate)
            item.status, item.rejection_reasons = _status(candidate)
            to_create.append(item)
        elif item.content_hash != candidate.content_hash or _was_removed(item):
            _refresh(item, candidate)
            to_update.append(item)
        else:
            result.unchanged += 1
    seen = {candidate.source_key for candidate in candidates}
    to_retire = [
        item
        for key, item in existing.items()
        if key not in seen and item.generator_version and item.status != ItemStatus.RETIRED
    ]
    for item in to_retire:
        item.status, item.rejection_reasons = ItemStatus.RETIRED, [SOURCE_REMOVED]
        item.reviewed_by, item.reviewed_at = None, None
    result.created, result.updated, result.retired = len(to_create), len(to_update), len(to_retire)
    if not dry_run:
        Item.objects.bulk_create(to_create)
        now = timezone.now()
        for item in [*to_update, *to_retire]:
            item.updated_at = now
        Item.objects.bulk_update([*to_update, *to_retire], _UPDATED_FIELDS, batch_size=200)
    result.seconds = time.perf_counter() - started
    return result


def _was_removed(item: Item) -> bool:
    return item.status == ItemStatus.RETIRED and item.rejection_reasons == [SOURCE_REMOVED]


_UPDATED_FIELDS = [
    "item_type",
    "stem",
    "payload",
    "explanation",
    "objective",
    "source_item",
    "source_section",
    "source_sentence",
    "content_hash",
    "generator_version",
    "status",
    "rejection_reasons",
    "reviewed_by",
    "reviewed_at",
    "updated_at",
]


def items_generate_all(
    *, unit_slug: str | None = None, dry_run: bool = False
) -> list[UnitGeneration]:
    """Generate items for every unit (or the units with `unit_slug`), in catalogue order.

    When items were created or updated, queue the marker's encoding warm-up after commit, so the
    new written items' texts are encoded ahead of the first learner (every caller: the
    `generate_items` command, the demo seed, the benchmark).
    """
    units = Unit.objects.select_related("qualification").order_by(
        "qualification__title", "position", "title"
    )
    if unit_slug:
        units = units.filter(Q(slug=unit_slug))
    headings = _sections_by_line()
    results = [
        items_generate_for_unit(unit=unit, dry_run=dry_run, headings=headings) for unit in units
    ]
    if not dry_run and any(result.created or result.updated for result in results):
        transaction.on_commit(lambda: marking_encodings_warm_task.enqueue())
    return results


def _review(item: Item, author: User, status: str) -> None:
    item.status = status
    item.reviewed_by = author
    item.reviewed_at = timezone.now()


def item_approve(*, item: Item, author: User) -> Item:
    """Approve an item for learners; refuse while the validator still rejects it."""
    reasons = validate(
        item_type=item.item_type,
        stem=item.stem,
        payload=item.payload,
        source_text=item.source_sentence,
    )
    if reasons:
        raise ValidationError(reasons)
    _review(item, author, ItemStatus.APPROVED)
    item.rejection_reasons = []
    item.save()
    return item


def item_retire(*, item: Item, author: User) -> Item:
    """Withdraw an item from learners; regeneration keeps it retired."""
    _review(item, author, ItemStatus.RETIRED)
    item.save()
    return item


def item_update(
    *,
    item: Item,
    author: User,
    stem: str | None = None,
    payload: dict[str, Any] | None = None,
    explanation: str | None = None,
) -> Item:
    """Apply an author's edit, validate it and approve the edited item.

    Regeneration never overwrites an edited item's text; when its source changes the item
    goes back to draft for the author to review.
    """
    new_stem = item.stem if stem is None else stem
    new_payload = item.payload if payload is None else payload
    reasons = validate(
        item_type=item.item_type,
        stem=new_stem,
        payload=new_payload,
        source_text=item.source_sentence,
    )
    if reasons:
        raise ValidationError(reasons)
    item.stem, item.payload = new_stem, new_payload
    if explanation is not None:
        item.explanation = explanation
    item.is_edited = True
    item.rejection_reasons = []
    _review(item, author, ItemStatus.APPROVED)
    item.save()
    return item


# Practice sessions and attempts ------------------------------------------------------------

# Types marked in parts: their share of marks tells FSRS "hard" from "again".
PARTIAL_CREDIT_TYPES = frozenset({ItemType.MCQ_MULTI, ItemType.ORDERING, ItemType.MATCHING})
FLASHCARD_RATINGS = {"again": 1, "hard": 2, "good": 3, "easy": 4}


def interleave(items: Iterable[Item]) -> list[Item]:
    """Order items so that units and item types alternate, deterministically.

    Within a unit, types take turns (round robin in type order); across units, units take
    turns. Ties keep the input order, so the same items always give the same session.
    """
    by_unit: dict[int, dict[str, list[Item]]] = {}
    for item in items:
        by_unit.setdefault(item.unit_id, {}).setdefault(item.item_type, []).append(item)
    unit_queues = [_round_robin(list(by_type.values())) for by_type in by_unit.values()]
    return _round_robin(unit_queues)


def _round_robin(queues: list[list[Item]]) -> list[Item]:
    ordered: list[Item] = []
    for row in zip_longest(*queues):
        ordered.extend(item for item in row if item is not None)
    return ordered


def _session_candidates(
    *,
    learner: User,
    scope: str,
    unit: Unit | None,
    qualification: Qualification | None,
    now: datetime,
    only: Collection[Item] | None = None,
) -> list[Item]:
    if scope == SessionScope.DUE:
        due = cards_list_due(learner=learner, now=now, qualification=qualification, limit=500)
        return [card.item for card in due]
    visible = items_list_for_learner(learner=learner, unit=unit, qualification=qualification)
    if only is not None:
        visible = visible.filter(pk__in=[item.pk for item in only])
    items = list(visible)
    # Due and never-seen items come first; items reviewed and not yet due fill any space left.
    waiting = set(
        Card.objects.filter(learner=learner, item__in=items, due__gt=now).values_list(
            "item_id", flat=True
        )
    )
    return [item for item in items if item.pk not in waiting] + [
        item for item in items if item.pk in waiting
    ]


def practice_session_start(
    *,
    learner: User,
    scope: str,
    unit: Unit | None = None,
    qualification: Qualification | None = None,
    limit: int = 20,
    now: datetime,
    only: Collection[Item] | None = None,
) -> PracticeSession:
    """Start a session of up to `limit` items, fixing their interleaved order now.

    A unit session needs `unit`, a qualification session `qualification`; a due session takes
    the learner's due cards (optionally within `qualification`). `only` narrows a unit or
    qualification session to those items (a tutor's assignment). Raises ValueError when the
    scope has nothing to practise.
    """
    if scope == SessionScope.UNIT and unit is None:
        raise ValueError("A unit session needs a unit.")
    if scope == SessionScope.QUALIFICATION and qualification is None:
        raise ValueError("A qualification session needs a qualification.")
    candidates = _session_candidates(
        learner=learner, scope=scope, unit=unit, qualification=qualification, now=now, only=only
    )
    chosen = interleave(candidates[: max(limit * 3, limit)])[:limit]
    if not chosen:
        raise ValueError("There is nothing to practise here yet.")
    return PracticeSession.objects.create(
        learner=learner,
        scope=scope,
        unit=unit,
        qualification=qualification or (unit.qualification if unit else None),
        item_order=[str(item.uuid) for item in chosen],
        started_at=now,
    )


def attempt_submit(
    *,
    learner: User,
    session: PracticeSession,
    position: int,
    response: Any,
    client_token: str,
    duration_ms: int | None,
    now: datetime | None = None,
) -> Attempt:
    """Store a learner's answer, then grade it and review the item's FSRS card.

    The answer is committed on its own first, so nothing is lost if grading fails. A repeat
    submit for the same position or token (a reload, a dropped connection) stores nothing new
    and returns the first attempt; grading and the card review happen exactly once. A written
    answer enters the marking ledger in the same transaction as its attempt and is graded (and
    its card reviewed) when the marking engine marks it (`marking.services`).
    """
    if session.learner_id != learner.pk:
        raise PermissionError("This session belongs to another learner.")
    if not 0 <= position < session.item_count:
        raise ValueError("No such position in this session.")
    now = now or timezone.now()
    attempt = _attempt_store(
        learner=learner,
        session=session,
        position=position,
        response=response,
        client_token=client_token,
        duration_ms=duration_ms,
    )
    if attempt.item.item_type == ItemType.WRITTEN:
        # Marking may already have graded it (tasks run inline in a local run).
        attempt.refresh_from_db()
    if not attempt.is_graded:
        _attempt_grade(attempt=attempt, now=now)
    return attempt


def _attempt_store(
    *,
    learner: User,
    session: PracticeSession,
    position: int,
    response: Any,
    client_token: str,
    duration_ms: int | None,
) -> Attempt:
    existing = _attempt_existing(session=session, position=position, client_token=client_token)
    if existing is not None:
        return existing
    item = Item.objects.get(uuid=session.item_order[position])
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                session=session,
                learner=learner,
                item=item,
                position=position,
                response=response,
                duration_ms=duration_ms,
                client_token=client_token,
            )
            # A written answer enters the marking ledger with the attempt, in one transaction;
            # the engine marks it after commit (and grades the attempt then).
            if item.item_type == ItemType.WRITTEN:
                written_answer_create(attempt=attempt)
            return attempt
    except IntegrityError:
        # A concurrent submit of the same answer won the race: return its row.
        existing = _attempt_existing(session=session, position=position, client_token=client_token)
        if existing is None:
            raise
        return existing


def _attempt_existing(
    *, session: PracticeSession, position: int, client_token: str
) -> Attempt | None:
    return (
        Attempt.objects.select_related("item")
        .filter(Q(position=position) | Q(client_token=client_token), session=session)
        .order_by("position")
        .first()
    )


@transaction.atomic
def _attempt_grade(*, attempt: Attempt, now: datetime) -> None:
    item = attempt.item
    grade = item.grade(attempt.response)
    if grade.needs_marking:
        _session_finish_if_done(session=attempt.session, now=now)
        return
    # Written once: only the request that finds the grade empty records it and the review.
    updated = Attempt.objects.filter(pk=attempt.pk, graded_at__isnull=True).update(
        is_correct=grade.is_correct, score=grade.score, graded_at=now
    )
    if updated != 1:
        attempt.refresh_from_db()
        return
    attempt.is_correct, attempt.score, attempt.graded_at = grade.is_correct, grade.score, now
    is_flashcard = item.item_type == ItemType.FLASHCARD
    card_review_answer(
        learner=attempt.learner,
        item=item,
        is_correct=grade.is_correct,
        reviewed_at=now,
        duration_ms=attempt.duration_ms,
        score_fraction=grade.score if item.item_type in PARTIAL_CREDIT_TYPES else None,
        self_rating=FLASHCARD_RATINGS.get(str(attempt.response)) if is_flashcard else None,
        source=ReviewSource.FLASHCARD if is_flashcard else ReviewSource.PRACTICE,
    )
    _session_finish_if_done(session=attempt.session, now=now)


def _session_finish_if_done(*, session: PracticeSession, now: datetime) -> None:
    if session.finished_at is None and session.attempts.count() >= session.item_count:
        PracticeSession.objects.filter(pk=session.pk, finished_at__isnull=True).update(
            finished_at=max(now, session.started_at)
        )
        session.finished_at = max(now, session.started_at)


@transaction.atomic
def practice_data_erase(*, learner: User) -> None:
    """Delete the learner's answers and sessions when they delete their account.

    Items the person reviewed as a content author stay, without their name.
    """
    Attempt.objects.filter(learner=learner).delete()
    PracticeSession.objects.filter(learner=learner).delete()
    Item.objects.filter(reviewed_by=learner).update(reviewed_by=None)
