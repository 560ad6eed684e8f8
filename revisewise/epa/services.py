"""Mock knowledge tests: assembly from the item bank, answers against a server-side clock,
finalising and grading against the assessment plan's boundaries.

The server is the only clock: `deadline = started_at + duration` is stored at start, answers
are accepted until `deadline + EPA_ANSWER_GRACE_SECONDS`, and any read of a mock past its
deadline finalises it (`mock_finalise_if_overdue`), so nothing depends on the browser.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import zip_longest
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from revisewise.content.importers.common import ContentFileError
from revisewise.content.importers.plans import PLAN_MARKER, PLAN_VERSION, CanonicalPlan
from revisewise.epa.models import (
    AssessmentMethod,
    AssessmentPlan,
    FinishReason,
    GradeBoundary,
    MethodKind,
    MockAnswer,
    MockTest,
)
from revisewise.practice.models import Item, ItemType
from revisewise.practice.selectors import items_list_for_learner
from revisewise.scheduling.models import Card, ReviewSource
from revisewise.scheduling.services import card_review_answer

if TYPE_CHECKING:
    from revisewise.accounts.models import User
    from revisewise.content.models import Qualification

# Types a mock can mark on its own, best first: four-option multiple choice is what the real
# knowledge test asks. Flashcards (self-rated) and written answers (marked later) never appear.
# Ordering and matching are left out: a mock is one form of many questions, and they need a
# page of their own.
MOCK_ITEM_TYPES = (
    ItemType.MCQ_SINGLE,
    ItemType.TRUE_FALSE,
    ItemType.MCQ_MULTI,
    ItemType.CLOZE,
)


class MockError(Exception):
    """A mock cannot be started or answered; the message is for the learner."""


class LateAnswerError(MockError):
    """An answer arrived after the deadline (and its grace); it was kept but does not count."""


@dataclass(frozen=True)
class Boundary:
    grade: str
    min_marks: int
    max_marks: int


def grade_for(*, correct: int, total: int, boundaries: Sequence[Boundary], plan_total: int) -> str:
    """Return the grade for `correct` out of `total` against boundaries over `plan_total`.

    A mock shorter than the plan's test is graded proportionally: a grade whose lowest mark is
    `m` of `plan_total` needs `correct / total >= m / plan_total`, compared in whole numbers so
    the full-length test lands exactly on the plan's edges (29 fails, 30 passes).
    """
    if total <= 0 or not boundaries:
        return ""
    ordered = sorted(boundaries, key=lambda b: b.min_marks)
    earned = ordered[0].grade
    for boundary in ordered:
        if correct * plan_total >= boundary.min_marks * total:
            earned = boundary.grade
    return earned


def _preference(item: Item) -> int:
    if item.item_type == ItemType.MCQ_SINGLE and len(item.payload.get("options", [])) == 4:
        return 0
    return 1 + MOCK_ITEM_TYPES.index(ItemType(item.item_type))


def _balanced(items: Iterable[Item], rng: random.Random) -> list[Item]:
    """Order items so units take turns and, within a unit, objectives take turns.

    Inside one objective the preferred item types come first, shuffled by `rng` within a type
    so different mocks draw different items. The first N of the result cover the units (and
    their objectives) as evenly as the bank allows.
    """
    by_unit: dict[int, dict[int | None, list[Item]]] = {}
    for item in items:
        by_unit.setdefault(item.unit_id, {}).setdefault(item.objective_id, []).append(item)
    unit_queues = []
    for unit_id in sorted(by_unit):
        objective_queues = []
        for objective_id in sorted(by_unit[unit_id], key=lambda key: (key is None, key or 0)):
            queue = by_unit[unit_id][objective_id]
            rng.shuffle(queue)
            queue.sort(key=_preference)
            objective_queues.append(queue)
        unit_queues.append(_round_robin(objective_queues))
    return _round_robin(unit_queues)


def _round_robin(queues: list[list[Item]]) -> list[Item]:
    ordered: list[Item] = []
    for row in zip_longest(*queues):
        ordered.extend(item for item in row if item is not None)
    return ordered


def mock_assemble(
    *, learner: User, qualification: Qualification, count: int, seed: str
) -> tuple[list[Item], list[str]]:
    """Choose `count` auto-markable items, balanced, avoiding the learner's last mock.

    Returns the items and plain notes on how the choice falls short of the plan.
    """
    bank = [
        item
        for item in items_list_for_learner(learner=learner, qualification=qualification)
        if item.item_type in MOCK_ITEM_TYPES
    ]
    last = (
        MockTest.objects.filter(learner=learner, qualification=qualification)
        .order_by("-started_at", "-pk")
        .first()
    )
    recent = set(last.item_order) if last else set()
    rng = random.Random(seed)
    fresh = _balanced([item for item in bank if str(item.uuid) not in recent], rng)
    repeated = _balanced([item for item in bank if str(item.uuid) in recent], rng)
    chosen = (fresh + repeated)[:count]
    notes = []
    if len(bank) < count:
        notes.append(
            f"The question bank has only {len(bank)} questions for this qualification, fewer "
            f"than the {count} this test should have, so this mock has {len(bank)}."
        )
    reused = sum(1 for item in chosen if str(item.uuid) in recent)
    if reused:
        notes.append(
            f"{reused} of these questions were also in your last mock: the bank has too few "
            "new ones."
        )
    return chosen, notes


def _configured(method: AssessmentMethod) -> tuple[int, int, list[str]]:
    """Return the question count and seconds for a new mock, with a note when not the plan's."""
    assert method.question_count is not None
    assert method.duration_minutes is not None
    count = settings.EPA_MOCK_QUESTION_COUNT or method.question_count
    seconds = settings.EPA_MOCK_SECONDS or method.duration_minutes * 60
    notes = []
    if (count, seconds) != (method.question_count, method.duration_minutes * 60):
        notes.append(
            f"This is a short practice mock ({count} questions in {_duration(seconds)}) rather "
            f"than the full test ({method.question_count} questions in "
            f"{method.duration_minutes} minutes); its grade boundaries are scaled to match."
        )
    return count, seconds, notes


def _duration(seconds: int) -> str:
    if seconds % 60 == 0:
        return f"{seconds // 60} minutes"
    return f"{seconds} seconds"


def _knowledge_test(qualification: Qualification) -> AssessmentMethod:
    method = (
        AssessmentMethod.objects.filter(
            plan__qualification=qualification, kind=MethodKind.KNOWLEDGE_TEST
        )
        .prefetch_related("boundaries")
        .first()
    )
    if method is None:
        raise MockError("This qualification's end-point assessment has no knowledge test.")
    if method.question_count is None or method.duration_minutes is None:
        raise MockError("The assessment plan does not say how long the knowledge test is.")
    return method


@transaction.atomic
def mock_start(*, learner: User, qualification: Qualification, now: datetime) -> MockTest:
    """Start a mock knowledge test shaped by the qualification's assessment plan.

    Finalises the learner's overdue mocks first. Raises MockError when the plan has no
    knowledge test or the bank has no questions; resumes an unfinished mock instead of
    starting a second one.
    """
    mocks_finalise_overdue(learner=learner, now=now)
    running = MockTest.objects.filter(
        learner=learner, qualification=qualification, finished_at__isnull=True
    ).first()
    if running is not None:
        return running
    method = _knowledge_test(qualification)
    count, seconds, notes = _configured(method)
    items, bank_notes = mock_assemble(
        learner=learner, qualification=qualification, count=count, seed=f"{learner.uuid}{now}"
    )
    if not items:
        raise MockError("There are no questions for this qualification yet.")
    return MockTest.objects.create(
        learner=learner,
        qualification=qualification,
        method=method,
        item_order=[str(item.uuid) for item in items],
        planned_count=count,
        duration_seconds=seconds,
        started_at=now,
        deadline=now + timedelta(seconds=seconds),
        boundaries=[
            {"grade": b.grade, "min": b.min_marks, "max": b.max_marks}
            for b in method.boundaries.all()
        ],
        plan_total=method.question_count or count,
        assembly_note=" ".join(notes + bank_notes),
    )


def mock_remaining_seconds(*, mock: MockTest, now: datetime) -> int:
    """Return the seconds left before the deadline, rounded up (0 once it has passed).

    Rounded up so a countdown started from it reaches zero at the deadline, never before.
    """
    return max(0, math.ceil((mock.deadline - now).total_seconds()))


def mock_answer_submit(
    *, learner: User, mock: MockTest, position: int, response: Any, now: datetime
) -> MockAnswer:
    """Store an answer, counting it only if it arrived in time.

    The answer is stored first, always. Within the deadline plus the grace it counts (the
    latest counting answer per question is marked; repeating the same answer stores nothing
    new). Later it is kept with `counts` false, the mock is finalised, and LateAnswerError is
    raised. Raises MockError for a finished mock or a position that does not exist.
    """
    if mock.learner_id != learner.pk:
        raise PermissionError("This mock belongs to another learner.")
    if not 0 <= position < mock.question_count:
        raise MockError("There is no such question in this mock.")
    grace = timedelta(seconds=settings.EPA_ANSWER_GRACE_SECONDS)
    is_late = now > mock.deadline + grace
    with transaction.atomic():
        locked = MockTest.objects.select_for_update().get(pk=mock.pk)
        if locked.finished_at is not None and not is_late:
            raise MockError("This mock has been submitted; answers can no longer be changed.")
        answer = _answer_store(
            mock=locked, position=position, response=response, now=now, counts=not is_late
        )
    if is_late:
        mock_finalise_if_overdue(mock=mock, now=now)
        raise LateAnswerError(
            "Time was up before this answer arrived, so it does not count. Your answers given "
            "in time have been marked."
        )
    return answer


def _answer_store(
    *, mock: MockTest, position: int, response: Any, now: datetime, counts: bool
) -> MockAnswer:
    latest = (
        MockAnswer.objects.filter(mock=mock, position=position, counts=True)
        .order_by("-created_at", "-pk")
        .first()
    )
    if counts and latest is not None and latest.response == response:
        return latest
    item = Item.objects.get(uuid=mock.item_order[position])
    return MockAnswer.objects.create(
        mock=mock,
        position=position,
        item=item,
        response=response,
        is_correct=item.grade(response).is_correct,
        counts=counts,
        created_at=now,
    )


def mock_submit(*, learner: User, mock: MockTest, now: datetime) -> MockTest:
    """Finish a mock at the learner's request (or as timed out, if already past its deadline)."""
    if mock.learner_id != learner.pk:
        raise PermissionError("This mock belongs to another learner.")
    reason = FinishReason.TIMED_OUT if now >= mock.deadline else FinishReason.SUBMITTED
    return _finalise(mock=mock, finished_at=min(now, mock.deadline), reason=reason)


def mock_finalise_if_overdue(*, mock: MockTest, now: datetime) -> MockTest:
    """Finalise a mock whose deadline (plus grace) has passed; otherwise leave it alone."""
    grace = timedelta(seconds=settings.EPA_ANSWER_GRACE_SECONDS)
    if mock.finished_at is None and now > mock.deadline + grace:
        return _finalise(mock=mock, finished_at=mock.deadline, reason=FinishReason.TIMED_OUT)
    return mock


def mocks_finalise_overdue(*, learner: User, now: datetime | None = None) -> int:
    """Finalise every mock of the learner past its deadline; return how many."""
    now = now or timezone.now()
    grace = timedelta(seconds=settings.EPA_ANSWER_GRACE_SECONDS)
    overdue = MockTest.objects.filter(
        learner=learner, finished_at__isnull=True, deadline__lt=now - grace
    )
    for mock in overdue:
        _finalise(mock=mock, finished_at=mock.deadline, reason=FinishReason.TIMED_OUT)
    return len(overdue)


@transaction.atomic
def _finalise(*, mock: MockTest, finished_at: datetime, reason: str) -> MockTest:
    """Mark the latest counting answers, grade, and review each answered item's FSRS card.

    Each card is reviewed at the time its answer was given.

    Written exactly once: a mock already finished is returned as it is.
    Wrong answers are reviewed as lapses (source "mock"), which makes those items due again,
    so the weakest objectives come back in the learner's "Due now" practice.
    """
    locked = MockTest.objects.select_for_update().get(pk=mock.pk)
    if locked.finished_at is not None:
        return locked
    from revisewise.epa.selectors import mock_latest_answers

    answers = mock_latest_answers(mock=locked)
    correct = sum(1 for answer in answers.values() if answer.is_correct)
    boundaries = [Boundary(b["grade"], b["min"], b["max"]) for b in locked.boundaries]
    locked.correct_count = correct
    locked.grade = grade_for(
        correct=correct,
        total=locked.question_count,
        boundaries=boundaries,
        plan_total=locked.plan_total,
    )
    locked.finished_at = max(finished_at, locked.started_at)
    locked.finish_reason = reason
    # Only the request that finds the mock unfinished writes the result and the reviews (SQLite
    # has no row locks: two requests finalising at once both get here).
    written = MockTest.objects.filter(pk=locked.pk, finished_at__isnull=True).update(
        correct_count=locked.correct_count,
        grade=locked.grade,
        finished_at=locked.finished_at,
        finish_reason=reason,
        updated_at=timezone.now(),
    )
    if written != 1:
        return MockTest.objects.get(pk=locked.pk)
    last_reviews = dict(
        Card.objects.filter(
            learner=locked.learner, item__in=[a.item_id for a in answers.values()]
        ).values_list("item_id", "last_review")
    )
    for answer in sorted(answers.values(), key=lambda a: a.created_at):
        last = last_reviews.get(answer.item_id)
        # Reviewed at the moment it was answered; a card reviewed since (in practice, while an
        # abandoned mock waited to be finalised) already holds newer evidence.
        if last is not None and last > answer.created_at:
            continue
        card_review_answer(
            learner=locked.learner,
            item=answer.item,
            is_correct=answer.is_correct,
            reviewed_at=answer.created_at,
            source=ReviewSource.MOCK,
        )
    return locked


def mock_data_erase(*, learner: User) -> None:
    """Delete the learner's mocks and every answer in them (privacy erasure)."""
    MockAnswer.objects.filter(mock__learner=learner).delete()
    MockTest.objects.filter(learner=learner).delete()


# Assessment plans: import and export of the canonical YAML plan documents ---------------------


@transaction.atomic
def plans_import(*, plans: Sequence[CanonicalPlan], file: str) -> list[AssessmentPlan]:
    """Make each plan's qualification carry exactly the plan in the file.

    The plan is matched by its qualification (one plan each); its methods by uuid, then by
    position; boundaries are replaced. Raises ContentFileError (naming the file and line) when
    the qualification does not exist, so the whole file imports nothing.
    """
    from revisewise.content.models import Qualification

    stored = []
    for data in plans:
        qualification = Qualification.objects.filter(slug=data.qualification_slug).first()
        if qualification is None:
            raise ContentFileError(
                f"no qualification with the slug {data.qualification_slug!r}; import its "
                "content first (or put its qualification document above the plan)",
                line=data.line,
                file=file,
            )
        stored.append(_plan_store(qualification, data, file))
    return stored


def _plan_store(qualification: Qualification, data: CanonicalPlan, file: str) -> AssessmentPlan:
    plan = AssessmentPlan.objects.filter(qualification=qualification).first()
    if plan is None:
        plan = AssessmentPlan(
            qualification=qualification, **({"uuid": data.uuid} if data.uuid else {})
        )
    plan.standard_code = data.standard_code
    plan.standard_title = data.standard_title
    plan.source_title = data.source_title
    plan.source_version = data.source_version
    plan.source_date = data.source_date
    plan.source_url = data.source_url
    plan.grades = list(data.grades)
    plan.notes = data.notes
    plan.source_file = f"{file}:{data.line}"
    plan.save()
    existing = list(plan.methods.all())
    by_uuid = {str(m.uuid): m for m in existing}
    kept: set[int] = set()
    for position, method_data in enumerate(data.methods):
        method = by_uuid.get(method_data.uuid or "") or next(
            (m for m in existing if m.position == position and m.pk not in kept), None
        )
        if method is None:
            extra = {"uuid": method_data.uuid} if method_data.uuid else {}
            method = AssessmentMethod(plan=plan, **extra)
        method.position = position
        method.kind = method_data.kind
        method.name = method_data.name
        method.duration_minutes = method_data.duration_minutes
        method.question_count = method_data.question_count
        method.question_kind = method_data.question_kind
        method.grading_rules = method_data.grading_rules
        method.source = method_data.source
        method.uncertain_note = method_data.uncertain
        method.save()
        kept.add(method.pk)
        method.boundaries.all().delete()
        GradeBoundary.objects.bulk_create(
            GradeBoundary(
                method=method, grade=b.grade, min_marks=b.min_marks, max_marks=b.max_marks
            )
            for b in method_data.boundaries
        )
    for method in existing:
        if method.pk not in kept:
            method.delete()
    return plan


def plan_export_document(*, qualification: Qualification) -> dict[str, Any] | None:
    """Return the qualification's plan as a canonical plan document, or None without one."""
    plan = (
        AssessmentPlan.objects.filter(qualification=qualification)
        .prefetch_related("methods__boundaries")
        .first()
    )
    if plan is None:
        return None
    return {
        PLAN_MARKER: PLAN_VERSION,
        "uuid": str(plan.uuid),
        "qualification": qualification.slug,
        "standard": {"code": plan.standard_code, "title": plan.standard_title},
        "source": {
            "title": plan.source_title,
            "version": plan.source_version,
            "date": plan.source_date,
            "url": plan.source_url,
        },
        "grades": list(plan.grades),
        "notes": plan.notes,
        "methods": [_method_document(method) for method in plan.methods.all()],
    }


def _method_document(method: AssessmentMethod) -> dict[str, Any]:
    document: dict[str, Any] = {
        "uuid": str(method.uuid),
        "kind": method.kind,
        "name": method.name,
        "duration_minutes": method.duration_minutes,
        "question_count": method.question_count,
        "question_kind": method.question_kind,
    }
    if method.boundaries.all():
        document["boundaries"] = [
            {"grade": b.grade, "min": b.min_marks, "max": b.max_marks}
            for b in method.boundaries.all()
        ]
    document["grading_rules"] = method.grading_rules
    document["source"] = method.source
    document["uncertain"] = method.uncertain_note
    return document


DEMO_PLANS_DIR = Path(settings.BASE_DIR) / "demo" / "plans"


def plans_seed_demo() -> int:
    """Import the demo assessment plans (after the demo seeds they attach to); return how many.

    Raises RuntimeError naming each file:line that failed, so a broken plan never passes
    silently.
    """
    from revisewise.content.services import content_import_paths

    report = content_import_paths(paths=[DEMO_PLANS_DIR])
    if report.errors:
        problems = "; ".join(f"{e.file}:{e.line}: {e.reason}" for e in report.errors)
        raise RuntimeError(f"The demo assessment plans did not import: {problems}")
    return AssessmentPlan.objects.count()
