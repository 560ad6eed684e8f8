"""Mark written answers in the product: the answer ledger, engine runs, flags, retries, sweeps.

The only module that maps between the ORM and the engine's frozen dataclasses. The ledger row
(`WrittenAnswer`) is created in the transaction that stores the practice `Attempt`, so an
acknowledged answer always has one; marking runs after commit as a background task that
claims the row with a time limit (lease). A task lost with its worker leaves the row in
`marking` past its lease, and the sweep puts it back in the queue. Every row ends `marked`
(with exactly one `MachineMark`), `marked_by_person` (a tutor marked what the engine could not:
a `PersonMark`, perhaps revised by later ones) or `needs_person` (waiting for a tutor or a
retry).

Whichever verdict counts (the machine's, a tutor's mark, the newest moderation) grades the
practice attempt and is the rating of the one FSRS review the answer wrote
(`WrittenAnswer.review_log`).
"""

from __future__ import annotations

import dataclasses
import logging
import time
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Prefetch, Q
from django.utils import timezone

from revisewise.accounts.models import User
from revisewise.content.models import ContentItem, ItemKind
from revisewise.marking.models import (
    MachineMark,
    MarkFlag,
    MarkingStatus,
    Moderation,
    PersonMark,
    WrittenAnswer,
)
from revisewise.marking.selectors import person_mark_current
from revisewise.marking.types import MarkingRequest, MarkResult, Misconception
from revisewise.practice.generation.normalise import overlap
from revisewise.practice.models import (
    Attempt,
    Item,
    ItemStatus,
    ItemType,
    PracticeSession,
    SessionScope,
)
from revisewise.scheduling.memory import QuizResult, rating_for_result
from revisewise.scheduling.models import Card, ReviewLog, ReviewSource
from revisewise.scheduling.services import card_review_answer, review_log_supersede

logger = logging.getLogger(__name__)

# Queued rows untouched for this long have probably lost their task: the sweep enqueues again.
QUEUED_GRACE = timedelta(seconds=60)
# The unit's tips closest to the question that a distinction answer would act on.
DISTINCTION_TIPS = 2
GUIDANCE_MARK = "\N{ELECTRIC LIGHT BULB}"
FLAG_REASON_MAX_CHARS = 2000
# Namespace for the one-question sessions of the written-answer page (uuid5 of learner + token).
_SESSION_NAMESPACE = uuid.UUID("6f1d8a4e-3b9c-4c57-9a8e-2f0b7c1d5e93")


def _time_limit() -> timedelta:
    return timedelta(seconds=settings.MARKING_TIME_LIMIT_SECONDS)


def _enqueue_mark(answer_id: int) -> None:
    """Queue marking once the current transaction commits; a failure here is left to the sweep."""

    def enqueue() -> None:
        from revisewise.marking.tasks import written_answer_mark_task

        try:
            written_answer_mark_task.enqueue(answer_id=answer_id)
        except Exception:
            # The row stays queued and the sweep enqueues it again: nothing is lost.
            logger.exception("Could not enqueue marking of written answer %s", answer_id)

    transaction.on_commit(enqueue)


# Creating the ledger row ---------------------------------------------------------------------


def written_answer_create(*, attempt: Attempt) -> WrittenAnswer:
    """Record a written attempt in the ledger (status queued) and queue its marking.

    Call inside the transaction that creates the attempt, so both commit or neither does.
    Returns the existing row when the attempt already has one.
    """
    if attempt.item.item_type != ItemType.WRITTEN:
        raise ValueError("Only answers to written items are marked by the engine.")
    answer, created = WrittenAnswer.objects.get_or_create(
        attempt=attempt,
        defaults={
            "learner_id": attempt.learner_id,
            "item_id": attempt.item_id,
            "text": str(attempt.response or ""),
        },
    )
    if created:
        _enqueue_mark(answer.pk)
    return answer


def written_answer_submit(
    *,
    learner: User,
    item: Item,
    text: str,
    client_token: str,
    duration_ms: int | None,
    now: datetime | None = None,
) -> WrittenAnswer:
    """Answer one written item outside a practice session, as a one-question session.

    The session's uuid is derived from the learner and the form's token, so a repeated submit
    of the same form (a double click, a reload) finds the same session and stores nothing new.
    """
    from revisewise.practice.services import attempt_submit

    if item.item_type != ItemType.WRITTEN:
        raise ValueError("This question is not a written one.")
    now = now or timezone.now()
    session_uuid = uuid.uuid5(_SESSION_NAMESPACE, f"{learner.pk}:{client_token}")
    session, _ = PracticeSession.objects.get_or_create(
        uuid=session_uuid,
        defaults={
            "learner": learner,
            "scope": SessionScope.UNIT,
            "unit_id": item.unit_id,
            "qualification_id": item.qualification_id,
            "item_order": [str(item.uuid)],
            "started_at": now,
        },
    )
    if session.learner_id != learner.pk or session.item_order != [str(item.uuid)]:
        raise ValueError("This form belongs to another question: answer again.")
    attempt = attempt_submit(
        learner=learner,
        session=session,
        position=0,
        response=text.strip(),
        client_token=client_token,
        duration_ms=duration_ms,
        now=now,
    )
    return WrittenAnswer.objects.get(attempt=attempt)


# Marking -------------------------------------------------------------------------------------


def _claim(*, answer_id: int, now: datetime) -> int | None:
    """Move a queued row to marking with a lease; return its try number, None if not claimed."""
    claimed = WrittenAnswer.objects.filter(pk=answer_id, status=MarkingStatus.QUEUED).update(
        status=MarkingStatus.MARKING,
        lease_expires_at=now + _time_limit(),
        marking_attempts=F("marking_attempts") + 1,
        updated_at=now,
    )
    if claimed != 1:
        return None
    attempts: int = WrittenAnswer.objects.values_list("marking_attempts", flat=True).get(
        pk=answer_id
    )
    return attempts


def written_answer_mark(*, answer_id: int, now: datetime | None = None) -> MachineMark | None:
    """Mark one queued answer with the engine and store the result; safe to run twice.

    Claims the row (queued -> marking, lease = now + MARKING_TIME_LIMIT_SECONDS, one more
    try), runs the engine, then in one transaction stores one `MachineMark`, sets the row
    `marked` and grades the attempt (feeding FSRS), but only while this try still holds the
    row. On an error the row goes back to the queue (and is enqueued again) until
    MARKING_MAX_ATTEMPTS tries, then to `needs_person`. Returns the stored mark, or None when
    there was nothing to do (already claimed or done) or the try failed.
    """
    now = now or timezone.now()
    try_number = _claim(answer_id=answer_id, now=now)
    if try_number is None:
        return None
    try:
        answer = WrittenAnswer.objects.select_related("item", "attempt").get(pk=answer_id)
        request = marking_request_build(item=answer.item, answer=answer.text)
        result = _engine_mark(request)
        return _mark_store(answer=answer, try_number=try_number, request=request, result=result)
    except Exception as error:
        logger.exception("Marking written answer %s failed (try %s)", answer_id, try_number)
        _mark_failed(answer_id=answer_id, try_number=try_number, error=error)
        return None


def _engine_mark(request: MarkingRequest) -> MarkResult:
    # Imported here: the engine loads numpy and, on first use, the embedding model.
    from revisewise.marking.engine import mark

    return mark(request)


@transaction.atomic
def _mark_store(
    *, answer: WrittenAnswer, try_number: int, request: MarkingRequest, result: MarkResult
) -> MachineMark | None:
    now = timezone.now()
    # Only the try that still holds the row stores: a try that outlived its lease and was
    # swept back into the queue must not add a second mark.
    won = WrittenAnswer.objects.filter(
        pk=answer.pk, status=MarkingStatus.MARKING, marking_attempts=try_number
    ).update(
        status=MarkingStatus.MARKED,
        marked_at=now,
        lease_expires_at=None,
        last_error="",
        updated_at=now,
    )
    if won != 1:
        return None
    mark = MachineMark.objects.create(
        answer=answer,
        engine_name=result.engine_name,
        engine_version=result.engine_version,
        label=result.label,
        score=result.score,
        grade_band=result.grade_band or "",
        result=mark_result_as_json(request=request, result=result),
    )
    _answer_grade(answer=answer, label=result.label, score=result.score, now=now)
    return mark


def _mark_failed(*, answer_id: int, try_number: int, error: Exception) -> None:
    now = timezone.now()
    is_last = try_number >= settings.MARKING_MAX_ATTEMPTS
    status = MarkingStatus.NEEDS_PERSON if is_last else MarkingStatus.QUEUED
    with transaction.atomic():
        moved = WrittenAnswer.objects.filter(
            pk=answer_id, status=MarkingStatus.MARKING, marking_attempts=try_number
        ).update(
            status=status,
            lease_expires_at=None,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            updated_at=now,
        )
        if moved == 1 and not is_last:
            _enqueue_mark(answer_id)


def _score_fraction(label: str, score: float) -> float:
    """Map a mark to the share of marks FSRS rates: correct 1, partial its score, wrong < 0.5."""
    if label == "correct":
        return 1.0
    if label == "partially_correct":
        return min(score, 0.99)
    return min(score, 0.49)


def _answer_grade(*, answer: WrittenAnswer, label: str, score: float, now: datetime) -> None:
    """Grade the attempt once (like practice grading), review the item's FSRS card once and
    link that review to the answer, so a tutor's later verdict can correct it."""
    attempt = answer.attempt
    is_correct = label == "correct"
    updated = Attempt.objects.filter(pk=attempt.pk, graded_at__isnull=True).update(
        is_correct=is_correct, score=score, graded_at=now
    )
    if updated != 1:
        return
    item = attempt.item
    last_review = (
        Card.objects.filter(learner_id=attempt.learner_id, item=item)
        .values_list("last_review", flat=True)
        .first()
    )
    # The review happened when the learner answered; a later review of the same card (another
    # answer marked first) moves it on, since reviews are replayed in time order.
    reviewed_at = max(attempt.created_at, last_review) if last_review else attempt.created_at
    log = card_review_answer(
        learner=attempt.learner,
        item=item,
        is_correct=is_correct,
        reviewed_at=reviewed_at,
        duration_ms=attempt.duration_ms,
        score_fraction=_score_fraction(label, score),
        source=ReviewSource.WRITTEN,
    )
    WrittenAnswer.objects.filter(pk=answer.pk).update(review_log=log)


def mark_rating(*, attempt: Attempt, label: str, score: float) -> int:
    """Return the FSRS rating a mark gives: `card_review_answer`'s rule on the machine's inputs."""
    result = QuizResult(
        item_type=attempt.item.item_type,
        is_correct=label == "correct",
        duration_ms=attempt.duration_ms,
        score_fraction=_score_fraction(label, score),
    )
    return int(rating_for_result(result))


@dataclasses.dataclass(frozen=True)
class Regrade:
    """What re-grading an answer changed: the attempt's grade, the review's rating."""

    attempt_changed: bool
    rating_before: int | None
    rating_after: int | None
    card_corrected: bool

    @property
    def changed(self) -> bool:
        return self.attempt_changed or self.card_corrected

    def as_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@transaction.atomic
def written_answer_regrade(*, answer: WrittenAnswer, label: str, score: float) -> Regrade:
    """Make a tutor's verdict the answer's grade and the rating of its FSRS review; idempotent.

    Locks the answer. Sets the attempt's is_correct and score from the verdict (graded_at stays
    when the attempt was graded, else is set now). When the rating that verdict gives differs
    from the linked review's, a review identical but for the rating supersedes it (the old log
    stays, marked superseded; `review_log_supersede`), the link moves to it and the card is
    rebuilt from its current logs, so its due date follows. Calling it again with the same
    verdict changes nothing. An answer with no linked review (marked before the link existed
    and not recognisable) keeps its card as it is.
    """
    answer = (
        WrittenAnswer.objects.select_for_update().select_related("attempt__item").get(pk=answer.pk)
    )
    attempt = answer.attempt
    now = timezone.now()
    is_correct = label == "correct"
    if attempt.graded_at is None:
        _answer_grade(answer=answer, label=label, score=score, now=now)
        answer.refresh_from_db(fields=["review_log"])
        rating = answer.review_log.rating if answer.review_log else None
        return Regrade(True, None, rating, card_corrected=False)
    attempt_changed = (attempt.is_correct, attempt.score) != (is_correct, score)
    if attempt_changed:
        Attempt.objects.filter(pk=attempt.pk).update(is_correct=is_correct, score=score)
    log = answer.review_log
    if log is None:
        logger.warning("Written answer %s has no linked review: its card is unchanged", answer.pk)
        return Regrade(attempt_changed, None, None, card_corrected=False)
    wanted = mark_rating(attempt=attempt, label=label, score=score)
    if log.rating == wanted:
        return Regrade(attempt_changed, log.rating, wanted, card_corrected=False)
    _review_replace(answer=answer, log=log, rating=wanted)
    return Regrade(attempt_changed, log.rating, wanted, card_corrected=True)


def _review_replace(*, answer: WrittenAnswer, log: ReviewLog, rating: int) -> None:
    """Supersede the answer's review with one rated `rating` (the card is rebuilt); link it."""
    replacement = review_log_supersede(log=log, rating=rating)
    WrittenAnswer.objects.filter(pk=answer.pk).update(review_log=replacement)


def mark_result_as_json(*, request: MarkingRequest, result: MarkResult) -> dict[str, Any]:
    """Return the stored shape of a mark: the engine's result plus what it was marked against.

    Keys: label, score, point_verdicts [{point, verdict, evidence {start, end, text} | null,
    similarity}], misconceptions_shown [{misconception {statement, correction}, evidence}],
    grade_band, feedback, flags, engine_name, engine_version, probabilities, and `request`
    {question, marking_points, pass_criteria, distinction_criteria, guidance, model_answer,
    misconceptions}, so a mark can be explained and reproduced.
    """
    stored = dataclasses.asdict(result)
    stored["request"] = {
        "question": request.question,
        "marking_points": list(request.marking_points),
        "reference_answers": list(request.reference_answers),
        "pass_criteria": list(request.pass_criteria),
        "distinction_criteria": list(request.distinction_criteria),
        "guidance": list(request.guidance),
        "model_answer": request.model_answer,
        "misconceptions": [dataclasses.asdict(m) for m in request.misconceptions],
    }
    result_json: dict[str, Any] = _jsonable(stored)
    return result_json


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


# What an answer is marked against ---------------------------------------------------------


def _clean_tip(text: str) -> str:
    return text.replace(GUIDANCE_MARK, "").strip()


def _ranked(texts: Iterable[str], topic: str) -> list[str]:
    scored = [(overlap(text, topic), index, text) for index, text in enumerate(texts)]
    return [text for score, _, text in sorted(scored, key=lambda s: (-s[0], s[1])) if score > 0]


def marking_request_build(*, item: Item, answer: str) -> MarkingRequest:
    """Build the engine's request from the item and its unit's content, never inventing text.

    Marking points and the model answer come from the item; misconceptions (with their
    corrections) from the unit and its qualification; the unit's assessment guidance ("for
    higher grades") closest to the question becomes the distinction criteria, and the closest
    qualification-wide tip the guidance. The points are the pass criteria: they are the
    unit's assessment criteria the question was written from.
    """
    payload = item.payload or {}
    points = tuple(str(p) for p in payload.get("marking_points", []) if str(p).strip())
    topic = " ".join([item.stem, *points])
    content = list(
        ContentItem.objects.filter(qualification_id=item.qualification_id)
        .filter(Q(unit_id=item.unit_id) | Q(unit__isnull=True))
        .filter(kind__in=(ItemKind.MISCONCEPTION, ItemKind.TIP))
        .order_by(F("unit_id").asc(nulls_last=True), "position", "pk")
    )
    misconceptions: dict[str, Misconception] = {}
    for row in content:
        if row.kind == ItemKind.MISCONCEPTION and row.name.strip() and row.text.strip():
            key = " ".join(row.name.lower().split())
            misconceptions.setdefault(
                key, Misconception(statement=row.name.strip(), correction=row.text.strip())
            )
    unit_tips = [_clean_tip(r.text) for r in content if r.kind == ItemKind.TIP and r.unit_id]
    shared_tips = [
        _clean_tip(r.text) for r in content if r.kind == ItemKind.TIP and r.unit_id is None
    ]
    model_answer = str(payload.get("model_answer") or "").strip() or None
    return MarkingRequest(
        question=item.stem,
        answer=answer,
        marking_points=points,
        reference_answers=tuple(str(r) for r in payload.get("reference_answers", [])),
        misconceptions=tuple(misconceptions.values()),
        pass_criteria=points,
        distinction_criteria=tuple(_ranked(unit_tips, topic)[:DISTINCTION_TIPS]),
        guidance=tuple(_ranked(shared_tips, topic)[:1]),
        model_answer=model_answer,
    )


@dataclasses.dataclass(frozen=True)
class EncodingsWarm:
    """What `marking_encodings_warm` did: items and texts covered, texts the model encoded."""

    enabled: bool
    items: int = 0
    texts: int = 0
    encoded: int = 0
    seconds: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def marking_encodings_warm(*, items: Iterable[Item] | None = None) -> EncodingsWarm:
    """Encode every written item's marking texts into the persistent encoding cache, so the
    first answer to an item in any worker process finds them (docs/marking.md, "Encoding
    cache"). Idempotent: texts already stored are read back, not encoded again. Rejected and
    retired items are left out, and nothing is done when MARKING_ENCODING_CACHE_DIR is empty.
    """
    # Imported here: the engine loads numpy and, on first use, the embedding model.
    from revisewise.marking.engine import get_engine

    if not settings.MARKING_ENCODING_CACHE_DIR:
        return EncodingsWarm(enabled=False)
    started = time.perf_counter()
    if items is None:
        items = (
            Item.objects.filter(item_type=ItemType.WRITTEN)
            .exclude(status__in=(ItemStatus.REJECTED, ItemStatus.RETIRED))
            .order_by("pk")
        )
    engine = get_engine()
    before = engine.embedder.texts_encoded
    count = texts = 0
    for item in items:
        if item.item_type != ItemType.WRITTEN:
            continue
        texts += engine.warm_item(marking_request_build(item=item, answer=""))
        count += 1
    return EncodingsWarm(
        enabled=True,
        items=count,
        texts=texts,
        encoded=engine.embedder.texts_encoded - before,
        seconds=round(time.perf_counter() - started, 3),
    )


# Learners: retry and flag ------------------------------------------------------------------


@transaction.atomic
def written_answer_retry(*, answer: WrittenAnswer, learner: User) -> WrittenAnswer:
    """Put an answer that needs a person back in the queue for the engine, with fresh tries."""
    if answer.learner_id != learner.pk:
        raise PermissionError("Only the learner who wrote the answer can ask to mark it again.")
    now = timezone.now()
    moved = WrittenAnswer.objects.filter(pk=answer.pk, status=MarkingStatus.NEEDS_PERSON).update(
        status=MarkingStatus.QUEUED, marking_attempts=0, lease_expires_at=None, updated_at=now
    )
    if moved != 1:
        raise ValueError("Only an answer that could not be marked can be marked again.")
    _enqueue_mark(answer.pk)
    answer.refresh_from_db()
    return answer


@transaction.atomic
def mark_flag_create(*, mark: MachineMark, learner: User, reason: str) -> MarkFlag:
    """Record that the learner disagrees with a mark of their own answer (once per mark)."""
    if mark.answer.learner_id != learner.pk:
        raise PermissionError("Only the learner who wrote the answer can flag its mark.")
    reason = reason.strip()
    if not reason:
        raise ValueError("Say why you disagree with the mark.")
    if len(reason) > FLAG_REASON_MAX_CHARS:
        raise ValueError(f"Keep your reason under {FLAG_REASON_MAX_CHARS:,} characters.")
    # Lock the answer so that two submits of the form store one flag.
    WrittenAnswer.objects.select_for_update().get(pk=mark.answer_id)
    existing = MarkFlag.objects.filter(mark=mark, learner=learner).first()
    if existing is not None:
        return existing
    return MarkFlag.objects.create(mark=mark, learner=learner, reason=reason)


# Tutors: mark what the engine could not -----------------------------------------------------


class AnswerNotAwaitingPerson(ValueError):
    """The answer no longer waits for a person: someone marked it, or the engine has it again."""


@transaction.atomic
def written_answer_mark_by_person(
    *,
    answer: WrittenAnswer,
    tutor: User,
    point_verdicts: list[dict[str, str]],
    label: str,
    score: float,
    comment: str,
    now: datetime | None = None,
) -> PersonMark:
    """Store a tutor's first mark of an answer the engine gave up on: once, graded, reviewed.

    The caller has checked that `tutor` may mark it and derived `label` and `score`. One
    conditional UPDATE moves the row from `needs_person` to `marked_by_person`; if the row is
    no longer `needs_person` (another tutor marked it first, or the learner sent it back to the
    engine), nothing is stored and `AnswerNotAwaitingPerson` is raised. In the same transaction:
    the `PersonMark`, the attempt's grade and one FSRS review dated when the learner answered.
    A tutor changes it later with `written_answer_mark_revise`.
    """
    now = now or timezone.now()
    won = WrittenAnswer.objects.filter(pk=answer.pk, status=MarkingStatus.NEEDS_PERSON).update(
        status=MarkingStatus.MARKED_BY_PERSON, marked_at=now, lease_expires_at=None, updated_at=now
    )
    if won != 1:
        raise AnswerNotAwaitingPerson(
            "This answer is no longer waiting for a person: it has been marked, or the engine "
            "is marking it again."
        )
    person_mark = PersonMark.objects.create(
        answer_id=answer.pk,
        tutor=tutor,
        point_verdicts=point_verdicts,
        label=label,
        score=score,
        comment=comment,
    )
    written_answer_regrade(answer=answer, label=label, score=score)
    answer.refresh_from_db()
    return person_mark


class PersonMarkStale(ValueError):
    """The mark a revision starts from is no longer the answer's current mark."""

    def __init__(self, current: PersonMark | None) -> None:
        super().__init__("This mark has been revised since the form was opened.")
        self.current = current


@transaction.atomic
def written_answer_mark_revise(
    *,
    answer: WrittenAnswer,
    tutor: User,
    revises_uuid: uuid.UUID | str,
    point_verdicts: list[dict[str, str]],
    label: str,
    score: float,
    comment: str,
) -> tuple[PersonMark, Regrade]:
    """Store a tutor's revision of the answer's current tutor's mark; re-grade from it.

    The caller has checked that `tutor` may mark it and derived `label` and `score`.
    `revises_uuid` is the mark the tutor saw as current. One conditional UPDATE of the answer
    (still `marked_by_person`) takes its row lock, so of two tutors revising at once the second
    waits and then reads the first one's revision as current; if the current mark is not
    `revises_uuid`, nothing is stored and `PersonMarkStale` (naming the current mark) is raised.
    The unique `revises` backs this in the database. In the same transaction the attempt is
    re-graded and, when the rating changes, the answer's review is superseded
    (`written_answer_regrade`); the same verdicts again store the revision and change nothing.
    """
    locked = WrittenAnswer.objects.filter(
        pk=answer.pk, status=MarkingStatus.MARKED_BY_PERSON
    ).update(updated_at=timezone.now())
    current = person_mark_current(answer_id=answer.pk)
    if locked != 1 or current is None or str(current.uuid) != str(revises_uuid):
        raise PersonMarkStale(current)
    try:
        with transaction.atomic():
            revision = PersonMark.objects.create(
                answer_id=answer.pk,
                tutor=tutor,
                revises=current,
                point_verdicts=point_verdicts,
                label=label,
                score=score,
                comment=comment,
            )
    except IntegrityError as error:
        raise PersonMarkStale(person_mark_current(answer_id=answer.pk)) from error
    regrade = written_answer_regrade(answer=answer, label=label, score=score)
    answer.refresh_from_db()
    return revision, regrade


# The sweep ---------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class SweepResult:
    backfilled: int = 0
    requeued: int = 0
    needs_person: int = 0
    enqueued: int = 0

    def as_json(self) -> dict[str, int]:
        return dataclasses.asdict(self)


def _backfill(now: datetime) -> int:
    """Give every written attempt that has no ledger row one (answers stored before the ledger)."""
    missing = Attempt.objects.filter(
        item__item_type=ItemType.WRITTEN, written_answer__isnull=True
    ).select_related("item")
    created = 0
    for attempt in missing[:500]:
        with transaction.atomic():
            written_answer_create(attempt=attempt)
        created += 1
    return created


def written_answers_sweep(
    *, now: datetime | None = None, queued_older_than: timedelta = QUEUED_GRACE, limit: int = 200
) -> SweepResult:
    """Recover answers whose marking was lost; safe to run at any time, any number of times.

    Rows in `marking` past their lease go back to `queued` (or to `needs_person` once they have
    had MARKING_MAX_ATTEMPTS tries); queued rows untouched for `queued_older_than` are
    enqueued again (a claim makes a duplicate task harmless). Written attempts without a ledger
    row get one.
    """
    now = now or timezone.now()
    backfilled = _backfill(now)
    requeued = needs_person = 0
    stale = WrittenAnswer.objects.filter(
        status=MarkingStatus.MARKING, lease_expires_at__lt=now
    ).values_list("pk", "marking_attempts")[:limit]
    for pk, tries in list(stale):
        is_last = tries >= settings.MARKING_MAX_ATTEMPTS
        moved = WrittenAnswer.objects.filter(
            pk=pk, status=MarkingStatus.MARKING, lease_expires_at__lt=now
        ).update(
            status=MarkingStatus.NEEDS_PERSON if is_last else MarkingStatus.QUEUED,
            lease_expires_at=None,
            last_error="Marking did not finish within the time limit.",
            updated_at=now,
        )
        needs_person += moved if is_last else 0
        requeued += 0 if is_last else moved
    waiting = list(
        WrittenAnswer.objects.filter(
            Q(updated_at__lte=now - queued_older_than) | Q(updated_at=now),
            status=MarkingStatus.QUEUED,
        )
        .order_by("updated_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in waiting:
        _enqueue_mark(pk)
    return SweepResult(
        backfilled=backfilled, requeued=requeued, needs_person=needs_person, enqueued=len(waiting)
    )


# Privacy -----------------------------------------------------------------------------------


def _moderation_json(moderation: Moderation) -> dict[str, Any]:
    return {
        "decision": moderation.decision,
        "label": moderation.label,
        "score": moderation.score,
        "point_verdicts": moderation.point_verdicts,
        "comment": moderation.comment,
        "created_at": moderation.created_at.isoformat(),
    }


def _person_mark_json(person_mark: PersonMark) -> dict[str, Any]:
    return {
        "uuid": str(person_mark.uuid),
        "revises": str(person_mark.revises.uuid) if person_mark.revises else None,
        "label": person_mark.label,
        "score": person_mark.score,
        "point_verdicts": person_mark.point_verdicts,
        "comment": person_mark.comment,
        "created_at": person_mark.created_at.isoformat(),
    }


def marking_data_export(*, learner: User) -> dict[str, list[dict[str, Any]]]:
    """Return the person's written answers (with marks, flags, moderations, a tutor's mark)
    and, for a tutor, the moderations and marks they made, as JSON."""
    made = Moderation.objects.filter(tutor=learner).select_related("mark__answer__item")
    marked = PersonMark.objects.filter(tutor=learner).select_related("answer", "revises")
    return {
        "written_answers": _answers_export(learner),
        "moderations_made": [
            {"answer": str(m.mark.answer.uuid), **_moderation_json(m)}
            for m in made.order_by("created_at", "pk")
        ],
        "marks_made": [
            {"answer": str(p.answer.uuid), **_person_mark_json(p)}
            for p in marked.order_by("created_at", "pk")
        ],
    }


def _answers_export(learner: User) -> list[dict[str, Any]]:
    answers = (
        WrittenAnswer.objects.filter(learner=learner)
        .select_related("item")
        .prefetch_related(
            "marks__flags",
            "marks__moderations",
            Prefetch(
                "person_marks",
                queryset=PersonMark.objects.select_related("revises").order_by("created_at", "pk"),
            ),
        )
        .order_by("created_at", "pk")
    )
    return [
        {
            "uuid": str(answer.uuid),
            "question": answer.item.stem,
            "answer": answer.text,
            "status": answer.status,
            "submitted_at": answer.created_at.isoformat(),
            "marked_at": answer.marked_at.isoformat() if answer.marked_at else None,
            # The tutor's mark that counts (the newest), and every one with what it revised.
            "tutor_mark": _person_mark_newest_json(answer),
            "tutor_marks": [_person_mark_json(p) for p in answer.person_marks.all()],
            "marks": [
                {
                    "engine": f"{mark.engine_name} {mark.engine_version}",
                    "label": mark.label,
                    "score": mark.score,
                    "grade_band": mark.grade_band,
                    "result": mark.result,
                    "created_at": mark.created_at.isoformat(),
                    "flags": [
                        {"reason": flag.reason, "created_at": flag.created_at.isoformat()}
                        for flag in mark.flags.all()
                        if flag.learner_id == learner.pk
                    ],
                    "moderations": [_moderation_json(m) for m in mark.moderations.all()],
                }
                for mark in answer.marks.all()
            ],
        }
        for answer in answers
    ]


def _person_mark_newest_json(answer: WrittenAnswer) -> dict[str, Any] | None:
    marks = list(answer.person_marks.all())
    return _person_mark_json(marks[-1]) if marks else None


def marking_data_erase(*, learner: User) -> None:
    """Delete the learner's written answers, marks, flags and the moderations of those marks;
    a tutor's moderations and marks of other learners' answers stay, no longer linked to them."""
    Moderation.objects.filter(tutor=learner).update(tutor=None)
    PersonMark.objects.filter(tutor=learner).update(tutor=None)
    MarkFlag.objects.filter(learner=learner).delete()
    # Marks, their flags and moderations cascade from the answers.
    WrittenAnswer.objects.filter(learner=learner).delete()
