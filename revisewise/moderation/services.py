"""Record a tutor's moderation of a machine mark or mark of an answer the engine could not
mark, and export moderations as labelled data.

A moderation is a new `Moderation` row, never an update: the machine's mark and every earlier
moderation stay, and the newest moderation of a mark is the one the learner sees and the one
that counts for learning (the attempt's grade, the FSRS review). A tutor's mark of an answer
the engine gave up on is a `PersonMark`; a tutor revises it with a later one (the newest
counts).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from revisewise.accounts.models import Centre, Membership, Role, User
from revisewise.accounts.selectors import user_is_tutor_of
from revisewise.audit.models import AuditAction
from revisewise.audit.services import audit_record
from revisewise.marking.models import (
    MachineMark,
    MarkingStatus,
    Moderation,
    ModerationDecision,
    PersonMark,
    WrittenAnswer,
)
from revisewise.marking.services import (
    Regrade,
    written_answer_mark_by_person,
    written_answer_mark_revise,
    written_answer_regrade,
)

VERDICTS = ("met", "partly_met", "not_met")
# Credit per verdict, as the engine counts coverage of the marking points.
VERDICT_CREDIT = {"met": 1.0, "partly_met": 0.5, "not_met": 0.0}
LABELS = ("correct", "partially_correct", "incorrect", "contradictory")
# A mark with no marking points is moderated as a whole: the tutor picks the label.
LABEL_SCORE = {"correct": 1.0, "partially_correct": 0.5, "incorrect": 0.0, "contradictory": 0.0}
# The engine caps a contradictory answer's score here (engine.py, `_score`).
CONTRADICTORY_CAP = 0.3
MAX_COMMENT_CHARS = 2000
EXPORT_DATASET = "revisewise-moderations"
VERDICT_CHOICES = [
    ("met", _("Met")),
    ("partly_met", _("Partly met")),
    ("not_met", _("Not met")),
]
LABEL_CHOICES = [
    ("correct", _("Correct")),
    ("partially_correct", _("Partially correct")),
    ("incorrect", _("Incorrect")),
    ("contradictory", _("Contradictory")),
]


class TutorVerdict(TypedDict):
    point: str
    verdict: str
    comment: str


@dataclass(frozen=True)
class Derived:
    label: str
    score: float


def machine_verdicts(mark: MachineMark) -> list[tuple[str, str]]:
    """Return the machine's (point, verdict) pairs, in the engine's order."""
    rows = mark.result.get("point_verdicts") or []
    return [(str(row["point"]), str(row["verdict"])) for row in rows]


def machine_showed_misconception(mark: MachineMark) -> bool:
    return bool(mark.result.get("misconceptions_shown"))


def mark_derive(*, verdicts: Sequence[str], misconception_shown: bool) -> Derived:
    """Return the label and score a set of per-point verdicts earns.

    The engine's own point rules, without its classifier: every point met is correct, none met
    or partly met is incorrect, anything between is partially correct; the score is the mean
    credit (met 1, partly met 0.5, not met 0). A misconception the tutor upholds makes any
    answer that is not incorrect contradictory, with the score capped at 0.3, as the engine does.
    """
    if not verdicts:
        raise ValueError("A label is derived from at least one marking point.")
    score = sum(VERDICT_CREDIT[v] for v in verdicts) / len(verdicts)
    if all(v == "met" for v in verdicts):
        label = "correct"
    elif all(v == "not_met" for v in verdicts):
        label = "incorrect"
    else:
        label = "partially_correct"
    if misconception_shown and label != "incorrect":
        label, score = "contradictory", min(score, CONTRADICTORY_CAP)
    return Derived(label=label, score=round(score, 4))


def _clean_comment(comment: str, *, field: str) -> str:
    comment = comment.strip()
    if len(comment) > MAX_COMMENT_CHARS:
        raise ValidationError(
            {field: f"Keep the comment to {MAX_COMMENT_CHARS:,} characters or fewer."}
        )
    return comment


def _clean_verdicts(
    mark: MachineMark, point_verdicts: Iterable[Mapping[str, str]]
) -> list[dict[str, str]]:
    """Check the tutor gave one known verdict for each of the mark's points, in any order."""
    given: dict[str, Mapping[str, str]] = {}
    for row in point_verdicts:
        point = str(row.get("point", ""))
        if point in given:
            raise ValidationError({"point_verdicts": f"The point “{point}” was given twice."})
        given[point] = row
    machine = machine_verdicts(mark)
    unknown = set(given) - {point for point, _ in machine}
    if unknown:
        raise ValidationError({"point_verdicts": "A verdict was given for an unknown point."})
    cleaned: list[dict[str, str]] = []
    for index, (point, machine_verdict) in enumerate(machine):
        if point not in given:
            raise ValidationError({"point_verdicts": f"Choose a verdict for “{point}”."})
        row = given[point]
        verdict = str(row.get("verdict", ""))
        if verdict not in VERDICTS:
            raise ValidationError({"point_verdicts": f"Choose a verdict for “{point}”."})
        comment = _clean_comment(str(row.get("comment", "")), field=f"point_{index}_comment")
        cleaned.append(
            {"point": point, "machine": machine_verdict, "tutor": verdict, "comment": comment}
        )
    return cleaned


def _decide(
    mark: MachineMark,
    rows: list[dict[str, str]],
    label: str | None,
    misconception_upheld: bool | None,
) -> tuple[str, Derived]:
    """Return the decision and the moderated label and score."""
    shown = machine_showed_misconception(mark)
    upheld = shown if misconception_upheld is None else misconception_upheld
    if rows:
        same = all(r["machine"] == r["tutor"] for r in rows) and upheld == shown
        derived = mark_derive(verdicts=[r["tutor"] for r in rows], misconception_shown=upheld)
    else:
        if label not in LABELS:
            raise ValidationError({"label": "Choose a mark for the answer."})
        same = label == mark.label
        derived = Derived(label=label, score=LABEL_SCORE[label])
    if same:
        # Confirming keeps the machine's mark as it stands, classifier score included.
        return ModerationDecision.CONFIRMED, Derived(label=mark.label, score=mark.score)
    return ModerationDecision.OVERRIDDEN, derived


def centre_shared(*, tutor: User, learner: User) -> Centre | None:
    """Return a centre where this tutor tutors or administers the learner, for the audit log."""
    learns = Membership.objects.filter(user=learner, role=Role.LEARNER)
    shared = Membership.objects.filter(
        Q(role=Role.TUTOR, cohort__in=learns.values("cohort"))
        | Q(role=Role.CENTRE_ADMIN, centre__in=learns.values("centre")),
        user=tutor,
    )
    membership = shared.select_related("centre").order_by("pk").first()
    return membership.centre if membership is not None else None


@transaction.atomic
def moderation_record(
    *,
    tutor: User,
    mark: MachineMark,
    point_verdicts: Iterable[Mapping[str, str]],
    comment: str,
    label: str | None = None,
    misconception_upheld: bool | None = None,
) -> Moderation:
    """Append the tutor's verdict on a machine mark; the newest moderation is the mark shown.

    `point_verdicts` holds one `{"point", "verdict", "comment"}` per marking point of the mark
    (verdict: met, partly_met or not_met). A mark with no marking points is moderated as a
    whole with `label`. `misconception_upheld` says whether the misconception the machine found
    is really there (None: as the machine said). Identical to the machine is a confirmation,
    anything else an override. Raises PermissionDenied unless `tutor` tutors the learner, and
    ValidationError for a missing or unknown verdict. Records a MARK_MODERATED audit event.
    """
    learner = mark.answer.learner
    if not user_is_tutor_of(tutor=tutor, learner=learner):
        raise PermissionDenied("Only the learner's tutor can moderate this mark.")
    rows = _clean_verdicts(mark, point_verdicts)
    overall = _clean_comment(comment, field="comment")
    decision, derived = _decide(mark, rows, label, misconception_upheld)
    moderation = Moderation.objects.create(
        mark=mark,
        tutor=tutor,
        decision=decision,
        point_verdicts=rows,
        label=derived.label,
        score=derived.score,
        comment=overall,
    )
    regrade = _moderation_regrade(mark)
    audit_record(
        actor=tutor,
        action=AuditAction.MARK_MODERATED,
        subject=learner,
        centre=centre_shared(tutor=tutor, learner=learner),
        detail={
            "mark": str(mark.uuid),
            "moderation": str(moderation.uuid),
            "decision": decision,
            "machine_label": mark.label,
            "label": derived.label,
            "regrade": regrade.as_json() if regrade else None,
        },
    )
    return moderation


def _moderation_regrade(mark: MachineMark) -> Regrade | None:
    """Make the newest moderation count for learning when it is of the mark the learner sees.

    Only the newest machine mark of a machine-marked answer is shown, so a moderation of an
    older one, or of a re-mark of an answer a tutor marked (whose mark is final), changes
    nothing. The answer is locked first and the newest moderation read after, so of two tutors
    saving at once the one who commits last applies the newest verdict, whichever it is.
    Idempotent: a confirmation of an unmoderated mark leaves grade and card as they are.
    """
    answer = WrittenAnswer.objects.select_for_update().get(pk=mark.answer_id)
    newest = answer.marks.order_by("-created_at", "-pk").values_list("pk", flat=True).first()
    if answer.status != MarkingStatus.MARKED or newest != mark.pk:
        return None
    current = mark.moderations.order_by("-created_at", "-pk").first()
    if current is None:
        return None
    return written_answer_regrade(answer=answer, label=current.label, score=current.score)


def answer_marking_points(answer: WrittenAnswer) -> list[str]:
    """Return the item's marking points, as the engine would have been given them."""
    payload = answer.item.payload if isinstance(answer.item.payload, dict) else {}
    return [str(p) for p in payload.get("marking_points", []) if str(p).strip()]


def _clean_person_verdicts(
    points: list[str], point_verdicts: Iterable[Mapping[str, str]]
) -> list[dict[str, str]]:
    """Check the tutor gave one known verdict for each marking point, in any order."""
    given: dict[str, Mapping[str, str]] = {}
    for row in point_verdicts:
        point = str(row.get("point", ""))
        if point in given:
            raise ValidationError({"point_verdicts": f"The point “{point}” was given twice."})
        given[point] = row
    if set(given) - set(points):
        raise ValidationError({"point_verdicts": "A verdict was given for an unknown point."})
    cleaned: list[dict[str, str]] = []
    for index, point in enumerate(points):
        verdict = str(given.get(point, {}).get("verdict", ""))
        if verdict not in VERDICTS:
            raise ValidationError({"point_verdicts": f"Choose a verdict for “{point}”."})
        comment = _clean_comment(
            str(given[point].get("comment", "")), field=f"point_{index}_comment"
        )
        cleaned.append({"point": point, "verdict": verdict, "comment": comment})
    return cleaned


def _person_derive(rows: list[dict[str, str]], label: str | None) -> Derived:
    """Return a tutor's mark's label and score: from the verdicts, else the label given."""
    if rows:
        return mark_derive(verdicts=[r["verdict"] for r in rows], misconception_shown=False)
    if label in LABELS:
        return Derived(label=label, score=LABEL_SCORE[label])
    raise ValidationError({"label": "Choose a mark for the answer."})


def _person_mark_checked(
    *,
    tutor: User,
    answer: WrittenAnswer,
    point_verdicts: Iterable[Mapping[str, str]],
    comment: str,
    label: str | None,
    refusal: str,
) -> tuple[list[dict[str, str]], str, Derived]:
    """Check a tutor's mark of an answer (first or revision) before anything is stored: the
    tutor's right to mark it, one known verdict per point, the comment; return the cleaned
    verdicts, the comment and the derived label and score."""
    if not user_is_tutor_of(tutor=tutor, learner=answer.learner):
        raise PermissionDenied(refusal)
    rows = _clean_person_verdicts(answer_marking_points(answer), point_verdicts)
    return rows, _clean_comment(comment, field="comment"), _person_derive(rows, label)


@transaction.atomic
def person_mark_record(
    *,
    tutor: User,
    answer: WrittenAnswer,
    point_verdicts: Iterable[Mapping[str, str]],
    comment: str,
    label: str | None = None,
) -> PersonMark:
    """Mark an answer the engine gave up on, as its learner's tutor (`person_mark_revise`
    changes it later).

    `point_verdicts` holds one `{"point", "verdict", "comment"}` per marking point of the item
    (verdict: met, partly_met or not_met); the label and score follow by the engine's point
    rules (`mark_derive`, no misconception). An item with no marking points is marked as a
    whole with `label`. Raises PermissionDenied unless `tutor` tutors the learner,
    ValidationError for a missing or unknown verdict, and `AnswerNotAwaitingPerson` when the
    answer is no longer `needs_person` (another tutor was first, or the learner asked the
    engine to try again). Grades the attempt, reviews the card and records an ANSWER_MARKED
    audit event (`detail.kind` = "person_mark"), all in one transaction.
    """
    learner = answer.learner
    rows, overall, derived = _person_mark_checked(
        tutor=tutor,
        answer=answer,
        point_verdicts=point_verdicts,
        comment=comment,
        label=label,
        refusal="Only the learner's tutor can mark this answer.",
    )
    person_mark = written_answer_mark_by_person(
        answer=answer,
        tutor=tutor,
        point_verdicts=rows,
        label=derived.label,
        score=derived.score,
        comment=overall,
    )
    audit_record(
        actor=tutor,
        action=AuditAction.ANSWER_MARKED,
        subject=learner,
        centre=centre_shared(tutor=tutor, learner=learner),
        detail={
            "kind": "person_mark",
            "answer": str(answer.uuid),
            "person_mark": str(person_mark.uuid),
            "label": derived.label,
        },
    )
    return person_mark


@transaction.atomic
def person_mark_revise(
    *,
    tutor: User,
    answer: WrittenAnswer,
    revises_uuid: UUID | str,
    point_verdicts: Iterable[Mapping[str, str]],
    comment: str,
    label: str | None = None,
) -> PersonMark:
    """Revise the current tutor's mark of an answer, as any tutor who may mark it.

    `revises_uuid` is the mark the tutor saw as current; the arguments are otherwise those of
    `person_mark_record`, checked the same way. Appends a `PersonMark` that revises it, then
    re-grades the attempt and, if the rating changes, supersedes the answer's review, all in
    one transaction. Raises `PersonMarkStale` (nothing stored) when another revision came
    first. The same verdicts again are stored and change no grade. Records an
    ANSWER_MARK_REVISED audit event with both marks' uuids and what the re-grade changed.
    """
    learner = answer.learner
    rows, overall, derived = _person_mark_checked(
        tutor=tutor,
        answer=answer,
        point_verdicts=point_verdicts,
        comment=comment,
        label=label,
        refusal="Only the learner's tutor can revise this mark.",
    )
    revision, regrade = written_answer_mark_revise(
        answer=answer,
        tutor=tutor,
        revises_uuid=revises_uuid,
        point_verdicts=rows,
        label=derived.label,
        score=derived.score,
        comment=overall,
    )
    revised = revision.revises
    assert revised is not None
    audit_record(
        actor=tutor,
        action=AuditAction.ANSWER_MARK_REVISED,
        subject=learner,
        centre=centre_shared(tutor=tutor, learner=learner),
        detail={
            "answer": str(answer.uuid),
            "person_mark": str(revision.uuid),
            "revises": str(revised.uuid),
            "label_before": revised.label,
            "label": derived.label,
            "regrade": regrade.as_json(),
        },
    )
    return revision


def answer_opaque_id(answer_uuid: str) -> str:
    """Return a stable id for an answer that cannot be joined back to the database without
    the site's secret key."""
    return salted_hmac("revisewise.moderation.export", answer_uuid).hexdigest()[:24]


def to_3way(label: str) -> str:
    """Fold four labels into SemEval's three, as `marking.evaluation` does."""
    return "incorrect" if label == "partially_correct" else label


def moderation_export_row(moderation: Moderation) -> dict[str, Any]:
    """Return one moderation as a line of the shared ASAG JSONL format, with no personal data.

    The question and references are what the answer was marked against (the mark's stored
    request), falling back on the item for marks stored without it.
    """
    mark = moderation.mark
    answer = mark.answer
    item = answer.item
    payload = item.payload if isinstance(item.payload, dict) else {}
    request = mark.result.get("request") or {}
    references = [str(r) for r in request.get("reference_answers") or [] if str(r).strip()]
    model_answer = str(request.get("model_answer") or payload.get("model_answer") or "").strip()
    if not references and model_answer:
        references = [model_answer]
    return {
        "dataset": EXPORT_DATASET,
        "split": "moderated",
        "question_id": str(item.uuid),
        "question": str(request.get("question") or item.stem),
        "reference_answers": references,
        "marking_points": [point for point, _ in machine_verdicts(mark)],
        "answer_id": answer_opaque_id(str(answer.uuid)),
        "answer": answer.text,
        "label": moderation.label,
        "label_3way": to_3way(moderation.label),
        "label_2way": "correct" if moderation.label == "correct" else "incorrect",
        "score": moderation.score,
        "max_score": 1.0,
        "point_labels": [
            {"point": row["point"], "verdict": row["tutor"]} for row in moderation.point_verdicts
        ],
        "decision": moderation.decision,
        "machine_label": mark.label,
        "machine_score": mark.score,
        "machine_point_labels": [
            {"point": point, "verdict": verdict} for point, verdict in machine_verdicts(mark)
        ],
        "engine": f"{mark.engine_name} {mark.engine_version}",
    }


def moderations_export(
    *, actor: User | None, write: Callable[[str], object], overrides_only: bool = False
) -> int:
    """Write the newest moderation of every moderated mark as JSONL lines; return the count.

    Records a MODERATIONS_EXPORTED audit event (with the count, never the rows).
    """
    from revisewise.moderation.selectors import moderations_newest_per_mark

    count = 0
    for moderation in moderations_newest_per_mark():
        if overrides_only and moderation.decision != ModerationDecision.OVERRIDDEN:
            continue
        write(json.dumps(moderation_export_row(moderation), ensure_ascii=False) + "\n")
        count += 1
    audit_record(
        actor=actor,
        action=AuditAction.MODERATIONS_EXPORTED,
        detail={"rows": count, "overrides_only": overrides_only, "dataset": EXPORT_DATASET},
    )
    return count
