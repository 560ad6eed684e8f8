"""Reads of written answers and their marks, with the permission checks (404 for strangers)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from revisewise.accounts.models import User
from revisewise.accounts.selectors import user_is_tutor_of
from revisewise.marking import feedback as messages
from revisewise.marking.models import (
    MachineMark,
    MarkFlag,
    MarkingStatus,
    Moderation,
    PersonMark,
    WrittenAnswer,
)
from revisewise.practice.models import Item, ItemType
from revisewise.practice.selectors import items_list_for_learner

LABELS = {
    "correct": _("Correct"),
    "partially_correct": _("Partly correct"),
    "incorrect": _("Not yet correct"),
    "contradictory": _("Contradicts the unit"),
}
VERDICTS = {
    "met": _("Covered"),
    "partly_met": _("Partly covered"),
    "not_met": _("Missing"),
}
BANDS = {"pass": _("Pass"), "distinction": _("Distinction"), "fail": _("Not yet a pass")}
FLAG_MESSAGES = {
    "empty": messages.EMPTY_MESSAGE,
    "non_english": messages.NON_ENGLISH_MESSAGE,
    "copied_question": messages.COPIED_MESSAGE,
    "off_topic": messages.OFF_TOPIC_MESSAGE,
    "injection_attempt": messages.INJECTION_MESSAGE,
    "bare_list": messages.BARE_LIST_MESSAGE,
}


def written_answer_get_for_viewer(*, viewer: User, answer_uuid: UUID) -> WrittenAnswer:
    """Return the answer to its learner or one of their tutors; raise 404 for anyone else."""
    answer = (
        WrittenAnswer.objects.select_related("item__unit", "learner", "attempt__session")
        .filter(uuid=answer_uuid)
        .first()
    )
    if answer is None:
        raise Http404("No such answer.")
    if answer.learner_id == viewer.pk:
        return answer
    if viewer.is_active and user_is_tutor_of(tutor=viewer, learner=answer.learner):
        return answer
    raise Http404("No such answer.")


def written_answer_get_for_learner(*, learner: User, answer_uuid: UUID) -> WrittenAnswer:
    """Return the learner's own answer (to act on it); raise 404 for anyone else, tutors too."""
    answer = (
        WrittenAnswer.objects.select_related("item__unit", "learner", "attempt__session")
        .filter(uuid=answer_uuid, learner=learner)
        .first()
    )
    if answer is None:
        raise Http404("No such answer.")
    return answer


def written_answer_get_for_attempt(*, learner: User, attempt_id: int) -> WrittenAnswer | None:
    """Return the ledger row of the learner's own attempt, if it has one."""
    return (
        WrittenAnswer.objects.select_related("item__unit", "learner", "attempt__session")
        .filter(attempt_id=attempt_id, learner=learner)
        .first()
    )


def written_answers_list_for_learner(*, learner: User) -> QuerySet[WrittenAnswer]:
    """Return the learner's own answers, newest first, with the item and their marks."""
    return (
        WrittenAnswer.objects.filter(learner=learner)
        .select_related("item__unit")
        .prefetch_related("marks__moderations", "person_marks")
        .order_by("-created_at", "-pk")
    )


def written_item_get_for_learner(*, learner: User, item_uuid: UUID) -> Item:
    """Return a written item the learner may answer, or raise 404."""
    item = (
        items_list_for_learner(learner=learner)
        .filter(uuid=item_uuid, item_type=ItemType.WRITTEN)
        .first()
    )
    if item is None:
        raise Http404("No such question.")
    return item


def written_items_list_for_learner(*, learner: User) -> QuerySet[Item]:
    """Return every written item the learner may answer, in unit order."""
    return items_list_for_learner(learner=learner).filter(item_type=ItemType.WRITTEN)


# The feedback panel --------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A piece of the learner's answer; `marks` name the points (or "!" misconceptions) it shows."""

    text: str
    marks: tuple[str, ...] = ()
    kind: str = ""


@dataclass(frozen=True)
class PointRow:
    number: int
    point: str
    verdict: str
    verdict_label: str
    evidence: str
    tutor_verdict: str = ""
    tutor_verdict_label: str = ""
    tutor_comment: str = ""


@dataclass(frozen=True)
class Feedback:
    """Everything the feedback panel shows about one answer, in plain data."""

    answer: WrittenAnswer
    is_pending: bool
    needs_person: bool
    mark: MachineMark | None
    moderation: Moderation | None
    label: str = ""
    label_key: str = ""
    percent: int = 0
    band: str = ""
    machine_label: str = ""
    machine_percent: int = 0
    segments: tuple[Segment, ...] = ()
    points: tuple[PointRow, ...] = ()
    misconceptions: tuple[dict[str, str], ...] = ()
    distinction: tuple[str, ...] = ()
    is_distinction: bool = False
    guidance: tuple[str, ...] = ()
    model_answer: str = ""
    notices: tuple[str, ...] = ()
    engine: str = ""
    flag: MarkFlag | None = None
    # A tutor marked the answer the engine could not: theirs is the mark, with no machine's.
    person_mark: PersonMark | None = None


def _verdict_key(verdict: object) -> str:
    return verdict if isinstance(verdict, str) and verdict in VERDICTS else "not_met"


def highlight(text: str, spans: list[tuple[int, int, str, str]]) -> tuple[Segment, ...]:
    """Cut `text` into segments at evidence spans (start, end, mark, kind); text stays as given.

    Spans that do not fit the text are ignored; overlapping spans share the overlap, which
    names both marks. Escaping is left to the template, which escapes every segment.
    """
    valid = [(s, e, m, k) for s, e, m, k in spans if 0 <= s < e <= len(text)]
    cuts = sorted({0, len(text), *(s for s, *_ in valid), *(e for _, e, *_ in valid)})
    segments: list[Segment] = []
    for start, end in itertools.pairwise(cuts):
        covering = [(m, k) for s, e, m, k in valid if s <= start and end <= e]
        marks = tuple(dict.fromkeys(m for m, _ in covering))
        kind = "misconception" if any(k == "misconception" for _, k in covering) else ""
        kind = kind or next((k for _, k in covering), "")
        segments.append(Segment(text=text[start:end], marks=marks, kind=kind))
    return tuple(segments)


def _evidence_span(answer_text: str, evidence: Any) -> tuple[int, int] | None:
    if not isinstance(evidence, dict):
        return None
    start, end = evidence.get("start"), evidence.get("end")
    if not isinstance(start, int) or not isinstance(end, int):
        return None
    # Only highlight what the engine quoted exactly: offsets into this very text.
    if answer_text[start:end] != evidence.get("text"):
        return None
    return start, end


def _person_mark_feedback(answer: WrittenAnswer, person_mark: PersonMark) -> Feedback:
    """Build the panel of an answer a tutor marked: their verdict and comment per point."""
    points = []
    for number, row in enumerate(person_mark.point_verdicts or [], start=1):
        key = _verdict_key(row.get("verdict"))
        points.append(
            PointRow(
                number=number,
                point=str(row.get("point", "")),
                verdict=key,
                verdict_label=str(VERDICTS[key]),
                evidence="",
                tutor_verdict=key,
                tutor_verdict_label=str(VERDICTS[key]),
                tutor_comment=str(row.get("comment", "")),
            )
        )
    payload = answer.item.payload if isinstance(answer.item.payload, dict) else {}
    return Feedback(
        answer=answer,
        is_pending=False,
        needs_person=False,
        mark=None,
        moderation=None,
        person_mark=person_mark,
        label=str(LABELS.get(person_mark.label, person_mark.label)),
        label_key=person_mark.label,
        percent=round(person_mark.score * 100),
        segments=(Segment(text=answer.text),),
        points=tuple(points),
        model_answer=str(payload.get("model_answer") or ""),
    )


def person_mark_current(*, answer_id: int) -> PersonMark | None:
    """Return the answer's newest tutor's mark (the one that counts), if it has one."""
    marks = PersonMark.objects.select_related("tutor", "revises").filter(answer_id=answer_id)
    return marks.order_by("-created_at", "-pk").first()


def written_answer_feedback(*, answer: WrittenAnswer) -> Feedback:
    """Build the feedback panel: a tutor's mark when the engine could not mark the answer, else
    the newest machine mark, or the newest moderation of it as THE mark."""
    if answer.status == MarkingStatus.MARKED_BY_PERSON:
        # A tutor's mark is final: a machine mark added later (a re-mark) never replaces it.
        # The newest tutor's mark counts: a revision replaces the one it revises.
        person_mark = person_mark_current(answer_id=answer.pk)
        if person_mark is not None:
            return _person_mark_feedback(answer, person_mark)
    mark = answer.marks.order_by("-created_at", "-pk").first()
    if mark is None or answer.status != MarkingStatus.MARKED:
        return Feedback(
            answer=answer,
            is_pending=answer.status in (MarkingStatus.QUEUED, MarkingStatus.MARKING),
            needs_person=answer.status == MarkingStatus.NEEDS_PERSON,
            mark=mark,
            moderation=None,
            segments=(Segment(text=answer.text),),
        )
    moderation = mark.moderations.select_related("tutor").order_by("-created_at", "-pk").first()
    result = mark.result if isinstance(mark.result, dict) else {}
    request = result.get("request") or {}
    tutor_points = {
        str(row.get("point")): row
        for row in (moderation.point_verdicts if moderation else [])
        if isinstance(row, dict)
    }
    points: list[PointRow] = []
    spans: list[tuple[int, int, str, str]] = []
    for number, verdict in enumerate(result.get("point_verdicts") or [], start=1):
        key = _verdict_key(verdict.get("verdict"))
        span = _evidence_span(answer.text, verdict.get("evidence"))
        if key != "not_met":
            # Since 2.1.0 a point covered idea by idea keeps every covering span; older marks
            # have only `evidence`.
            covering = verdict.get("evidence_spans") or [verdict.get("evidence")]
            for piece in covering:
                piece_span = _evidence_span(answer.text, piece)
                if piece_span is not None:
                    spans.append((*piece_span, str(number), key))
        tutor = tutor_points.get(str(verdict.get("point")), {})
        tutor_key = _verdict_key(tutor.get("tutor")) if tutor else ""
        points.append(
            PointRow(
                number=number,
                point=str(verdict.get("point", "")),
                verdict=key,
                verdict_label=str(VERDICTS[key]),
                evidence=answer.text[span[0] : span[1]] if span else "",
                tutor_verdict=tutor_key,
                tutor_verdict_label=str(VERDICTS[tutor_key]) if tutor_key else "",
                tutor_comment=str(tutor.get("comment", "")) if tutor else "",
            )
        )
    shown = []
    for number, item in enumerate(result.get("misconceptions_shown") or [], start=1):
        misconception = item.get("misconception") or {}
        span = _evidence_span(answer.text, item.get("evidence"))
        if span is not None:
            spans.append((*span, f"M{number}", "misconception"))
        shown.append(
            {
                "number": f"M{number}",
                "statement": str(misconception.get("statement", "")),
                "correction": str(misconception.get("correction", "")),
                "evidence": answer.text[span[0] : span[1]] if span else "",
            }
        )
    label_key = moderation.label if moderation else mark.label
    score = moderation.score if moderation else mark.score
    flags = [str(f) for f in result.get("flags") or []]
    return Feedback(
        answer=answer,
        is_pending=False,
        needs_person=False,
        mark=mark,
        moderation=moderation,
        label=str(LABELS.get(label_key, label_key)),
        label_key=label_key,
        percent=round(score * 100),
        band=str(BANDS.get(mark.grade_band, "")) if not moderation else "",
        machine_label=str(LABELS.get(mark.label, mark.label)),
        machine_percent=round(mark.score * 100),
        segments=highlight(answer.text, spans),
        points=tuple(points),
        misconceptions=tuple(shown),
        distinction=tuple(str(c) for c in request.get("distinction_criteria") or []),
        is_distinction=mark.grade_band == "distinction",
        guidance=tuple(str(g) for g in request.get("guidance") or []),
        model_answer=str(request.get("model_answer") or ""),
        notices=tuple(str(FLAG_MESSAGES[f]) for f in flags if f in FLAG_MESSAGES),
        engine=f"{mark.engine_name} {mark.engine_version}",
        flag=mark.flags.filter(learner_id=answer.learner_id).first(),
    )
