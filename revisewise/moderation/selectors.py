"""Reads for moderation: a tutor's queue, one mark a tutor may moderate, agreement with tutors.

Tenancy is checked here: a tutor reaches only the answers of learners in cohorts they tutor (or
in centres they administer); anything else is a 404, so another centre learns nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404
from django.utils.translation import gettext as _

from revisewise.accounts.models import Cohort, Membership, Role, User
from revisewise.accounts.selectors import user_is_tutor_of
from revisewise.marking.models import (
    MachineMark,
    MarkFlag,
    MarkingStatus,
    Moderation,
    PersonMark,
    WrittenAnswer,
)
from revisewise.moderation.services import LABEL_CHOICES

QUEUE_LIMIT = 200
LABEL_NAMES = dict(LABEL_CHOICES)


@dataclass(frozen=True)
class QueueEntry:
    """One written answer in a tutor's queue, with its newest machine mark."""

    answer: WrittenAnswer
    mark: MachineMark
    has_open_flag: bool
    moderated_label: str | None
    moderated_at: datetime | None

    @property
    def is_moderated(self) -> bool:
        return self.moderated_at is not None

    @property
    def machine_label_name(self) -> str:
        return str(LABEL_NAMES.get(self.mark.label, self.mark.label))

    @property
    def moderated_label_name(self) -> str:
        label = self.moderated_label or ""
        return str(LABEL_NAMES.get(label, label))


@dataclass(frozen=True)
class Queue:
    entries: list[QueueEntry]
    total: int


@dataclass(frozen=True)
class ModerationSummary:
    """How the engine agrees with tutors, and how many answers each learner has waiting.

    `agreement_percent`, `kappa` and `n` compare verdicts per marking point (n pairs); the
    `label_` fields compare the overall label, one pair per moderated mark. Only the newest
    moderation of each mark counts. Kappa is None when there is nothing to compare or when
    both sides used one single category (chance agreement is then total and kappa undefined).
    """

    awaiting_by_learner: dict[int, int]
    agreement_percent: float | None
    kappa: float | None
    n: int
    label_agreement_percent: float | None = None
    label_kappa: float | None = None
    label_n: int = 0

    @property
    def awaiting_total(self) -> int:
        return sum(self.awaiting_by_learner.values())

    @property
    def kappa_strength(self) -> str:
        return kappa_strength(self.kappa)


def cohorts_tutored_by(*, tutor: User) -> QuerySet[Cohort]:
    """Return the cohorts this person tutors, or belongs to a centre this person administers."""
    mine = Membership.objects.filter(user=tutor)
    return Cohort.objects.filter(
        Q(pk__in=mine.filter(role=Role.TUTOR).values("cohort"))
        | Q(centre__in=mine.filter(role=Role.CENTRE_ADMIN).values("centre"))
    ).select_related("centre")


def learner_ids_for_tutor(*, tutor: User, cohort: Cohort | None = None) -> list[int]:
    """Return the ids of learners in the tutor's cohorts (or in `cohort`, already checked)."""
    cohorts = Cohort.objects.filter(pk=cohort.pk) if cohort else cohorts_tutored_by(tutor=tutor)
    learners = Membership.objects.filter(role=Role.LEARNER, cohort__in=cohorts.values("pk"))
    return sorted(set(learners.values_list("user_id", flat=True)))


def _newest_marks(learner_ids: Any) -> QuerySet[Any]:
    """Return the newest machine mark of each answer by these learners (ids or a subquery)."""
    newer = MachineMark.objects.filter(answer=OuterRef("answer")).filter(
        Q(created_at__gt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
    )
    return MachineMark.objects.filter(answer__learner_id__in=learner_ids).filter(~Exists(newer))


def _queue_marks(learner_ids: Any) -> QuerySet[Any]:
    # Typed loosely: the stubs cannot follow annotations that refer to earlier annotations.
    newest_moderation = Moderation.objects.filter(mark=OuterRef("pk")).order_by(
        "-created_at", "-pk"
    )
    newest_flag = MarkFlag.objects.filter(mark=OuterRef("pk")).order_by("-created_at")
    open_flag = Q(flagged_at__isnull=False) & (
        Q(moderated_at__isnull=True) | Q(flagged_at__gt=F("moderated_at"))
    )
    return (
        _newest_marks(learner_ids)
        .annotate(
            moderated_at=Subquery(newest_moderation.values("created_at")[:1]),
            moderated_label=Subquery(newest_moderation.values("label")[:1]),
            flagged_at=Subquery(newest_flag.values("created_at")[:1]),
        )
        .annotate(
            has_open_flag=Case(
                When(open_flag, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
            is_moderated=Case(
                When(moderated_at__isnull=False, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
    )


def moderation_queue_for_tutor(
    *,
    tutor: User,
    cohort: Cohort | None = None,
    flagged_only: bool = False,
    limit: int = QUEUE_LIMIT,
) -> Queue:
    """Return answers of the tutor's learners: open flags first, then unmoderated, newest first.

    Each answer appears once, with its newest machine mark. `cohort` must already be one the
    tutor may see. One query, and a count when the queue is longer than `limit`.
    """
    cohorts = Cohort.objects.filter(pk=cohort.pk) if cohort else cohorts_tutored_by(tutor=tutor)
    learners = Membership.objects.filter(role=Role.LEARNER, cohort__in=cohorts.values("pk"))
    marks = _queue_marks(learners.values("user"))
    if flagged_only:
        marks = marks.filter(has_open_flag=True)
    page = list(
        marks.select_related("answer__learner", "answer__item")
        .defer("result")
        .order_by("-has_open_flag", "is_moderated", "-answer__created_at", "-pk")[:limit]
    )
    entries = [
        QueueEntry(
            answer=m.answer,
            mark=m,
            has_open_flag=m.has_open_flag,
            moderated_label=m.moderated_label,
            moderated_at=m.moderated_at,
        )
        for m in page
    ]
    total = len(page) if len(page) < limit else marks.count()
    return Queue(entries=entries, total=total)


def answers_unmarked_for_tutor(
    *, tutor: User, cohort: Cohort | None = None, limit: int = QUEUE_LIMIT
) -> list[WrittenAnswer]:
    """Return answers the engine gave up on (`needs_person`): there is no mark to moderate."""
    cohorts = Cohort.objects.filter(pk=cohort.pk) if cohort else cohorts_tutored_by(tutor=tutor)
    learners = Membership.objects.filter(role=Role.LEARNER, cohort__in=cohorts.values("pk"))
    return list(
        WrittenAnswer.objects.filter(
            learner__in=learners.values("user"), status=MarkingStatus.NEEDS_PERSON
        )
        .select_related("learner", "item")
        .order_by("-created_at", "-pk")[:limit]
    )


@dataclass(frozen=True)
class MarkedAnswer:
    """An answer a tutor marked (the engine could not), with its current tutor's mark."""

    answer: WrittenAnswer
    mark: PersonMark
    marks_count: int

    @property
    def is_revised(self) -> bool:
        return self.mark.revises_id is not None

    @property
    def label_name(self) -> str:
        return str(LABEL_NAMES.get(self.mark.label, self.mark.label))

    @classmethod
    def of(cls, mark: PersonMark) -> MarkedAnswer:
        """Wrap a row of `person_marks_current_for_tutor` (which annotates `marks_count`)."""
        return cls(answer=mark.answer, mark=mark, marks_count=getattr(mark, "marks_count", 1))


def person_marks_current_for_tutor(
    *, tutor: User, cohort: Cohort | None = None, mine_only: bool = False
) -> QuerySet[PersonMark]:
    """Return the current tutor's mark of each answer tutors marked, newest mark first.

    Answers of the tutor's learners (or of `cohort`, already checked) that are
    `marked_by_person`, one row each: the mark no later mark revises, with the answer, learner,
    question and marking tutor joined and `marks_count`, how many marks the answer has had.
    `mine_only` keeps the answers this tutor marked or revised at least once. Unevaluated, so
    a paginator can count it and fetch one page: one query each.
    """
    cohorts = Cohort.objects.filter(pk=cohort.pk) if cohort else cohorts_tutored_by(tutor=tutor)
    learners = Membership.objects.filter(role=Role.LEARNER, cohort__in=cohorts.values("pk"))
    same_answer = PersonMark.objects.filter(answer=OuterRef("answer")).order_by()
    marks_count = same_answer.values("answer").annotate(n=Count("pk")).values("n")
    marks = PersonMark.objects.filter(
        answer__learner__in=learners.values("user"),
        answer__status=MarkingStatus.MARKED_BY_PERSON,
        revised_by__isnull=True,
    )
    if mine_only:
        marks = marks.filter(Exists(same_answer.filter(tutor=tutor)))
    return (
        marks.annotate(marks_count=Subquery(marks_count))
        .select_related("answer__learner", "answer__item", "tutor")
        .defer("answer__text", "answer__last_error", "answer__item__payload")
        .order_by("-created_at", "-pk")
    )


def mark_get_for_tutor(*, tutor: User, mark_uuid: str) -> MachineMark:
    """Return a machine mark on an answer of a learner this person tutors, or raise Http404."""
    mark = (
        MachineMark.objects.select_related("answer__learner", "answer__item")
        .filter(uuid=mark_uuid)
        .first()
    )
    if mark is None or not user_is_tutor_of(tutor=tutor, learner=mark.answer.learner):
        raise Http404("No such mark.")
    return mark


def answer_get_for_tutor(*, tutor: User, answer_uuid: str) -> WrittenAnswer:
    """Return a written answer of a learner this person tutors, or raise Http404."""
    answer = (
        WrittenAnswer.objects.select_related("learner", "item", "attempt")
        .filter(uuid=answer_uuid)
        .first()
    )
    if answer is None or not user_is_tutor_of(tutor=tutor, learner=answer.learner):
        raise Http404("No such answer.")
    return answer


def person_mark_history(*, answer: WrittenAnswer) -> list[PersonMark]:
    """Return every tutor's mark of an answer the engine could not mark, newest (the one that
    counts) first."""
    return list(
        PersonMark.objects.select_related("tutor")
        .filter(answer=answer)
        .order_by("-created_at", "-pk")
    )


def newest_mark_for_answer(*, answer: WrittenAnswer) -> MachineMark | None:
    return answer.marks.order_by("-created_at", "-pk").first()


def moderation_history(*, mark: MachineMark) -> list[Moderation]:
    """Return every moderation of this mark, newest (the one the learner sees) first."""
    return list(mark.moderations.select_related("tutor").order_by("-created_at", "-pk"))


def flags_for_mark(*, mark: MachineMark) -> list[MarkFlag]:
    return list(mark.flags.order_by("-created_at"))


def moderations_newest_per_mark(
    *, learner_ids: Iterable[int] | None = None
) -> Iterator[Moderation]:
    """Yield the newest moderation of every moderated mark, marks in creation order."""
    rows = Moderation.objects.select_related("mark__answer__item").order_by(
        "mark__created_at", "mark_id", "-created_at", "-pk"
    )
    if learner_ids is not None:
        rows = rows.filter(mark__answer__learner_id__in=list(learner_ids))
    seen: int | None = None
    for moderation in rows.iterator(chunk_size=500):
        if moderation.mark_id != seen:
            seen = moderation.mark_id
            yield moderation


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Return Cohen's kappa for (rater A, rater B) pairs: (p_o - p_e) / (1 - p_e).

    p_o is the share of pairs that agree; p_e the agreement expected by chance from each
    rater's own category frequencies. None when there are no pairs, or when p_e is 1 (both
    raters used one single category), where kappa is undefined.
    """
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(1 for a, b in pairs if a == b) / n
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    expected = sum(first[c] * second[c] for c in first) / (n * n)
    if abs(1.0 - expected) < 1e-12:
        return None
    return (observed - expected) / (1.0 - expected)


def kappa_strength(kappa: float | None) -> str:
    """Name a kappa's strength on Landis and Koch's scale (1977)."""
    if kappa is None:
        return ""
    if kappa < 0:
        return _("worse than chance")
    for upper, name in (
        (0.2, _("slight")),
        (0.4, _("fair")),
        (0.6, _("moderate")),
        (0.8, _("substantial")),
    ):
        if kappa <= upper:
            return name
    return _("almost perfect")


def _percent(pairs: Sequence[tuple[str, str]]) -> float | None:
    if not pairs:
        return None
    return round(100.0 * sum(1 for a, b in pairs if a == b) / len(pairs), 1)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def moderation_summary_for_learners(*, learner_ids: Iterable[int]) -> ModerationSummary:
    """Return answers awaiting moderation per learner and the engine's agreement with tutors.

    The caller has already checked that it may see these learners. Two queries.
    """
    ids = list(learner_ids)
    waiting = (
        _newest_marks(ids)
        .filter(~Exists(Moderation.objects.filter(mark=OuterRef("pk"))))
        .values("answer__learner_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    awaiting = dict.fromkeys(ids, 0)
    awaiting.update({row["answer__learner_id"]: row["count"] for row in waiting})
    points: list[tuple[str, str]] = []
    labels: list[tuple[str, str]] = []
    rows = (
        Moderation.objects.filter(mark__answer__learner_id__in=ids)
        .order_by("mark_id", "-created_at", "-pk")
        .values_list("mark_id", "point_verdicts", "label", "mark__label")
    )
    seen: int | None = None
    for mark_id, verdicts, label, machine_label in rows:
        if mark_id == seen:
            continue
        seen = mark_id
        labels.append((machine_label, label))
        points.extend((str(v["machine"]), str(v["tutor"])) for v in verdicts)
    return ModerationSummary(
        awaiting_by_learner=awaiting,
        agreement_percent=_percent(points),
        kappa=_rounded(cohen_kappa(points)),
        n=len(points),
        label_agreement_percent=_percent(labels),
        label_kappa=_rounded(cohen_kappa(labels)),
        label_n=len(labels),
    )
