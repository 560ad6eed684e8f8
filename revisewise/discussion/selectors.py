"""Reads for discussion practice; each one that fetches learner data checks who is asking.

A session and its answers are the learner's; their tutor (or their centre's admin) may read
them; anyone else gets a 404, learning nothing, not even that the session exists.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.http import Http404

from revisewise.accounts.models import User
from revisewise.accounts.selectors import user_is_tutor_of
from revisewise.content.models import ItemKind, Qualification, Unit
from revisewise.discussion.models import (
    DEFAULT_TIME_GUIDANCE_MINUTES,
    DiscussionAnswer,
    DiscussionMark,
    DiscussionSession,
)
from revisewise.epa.models import MethodKind
from revisewise.epa.selectors import plan_get_for_qualification


@dataclass(frozen=True)
class DiscussionGroup:
    qualification: Qualification
    units: list[Unit]


@dataclass(frozen=True)
class AnsweredPrompt:
    """One prompt of a session with its newest answer and that answer's newest mark, if any."""

    position: int
    prompt: dict[str, Any]
    answer: DiscussionAnswer | None
    mark: DiscussionMark | None

    @property
    def is_marked(self) -> bool:
        return self.mark is not None


def discussion_units_list() -> list[DiscussionGroup]:
    """Return, per qualification, the units that have assessment criteria to discuss."""
    units = (
        Unit.objects.annotate(
            criterion_count=Count("items", filter=Q(items__kind=ItemKind.CRITERION))
        )
        .filter(criterion_count__gt=0)
        .select_related("qualification")
        .order_by("qualification__title", "position", "pk")
    )
    groups: dict[int, DiscussionGroup] = {}
    for unit in units:
        group = groups.setdefault(unit.qualification_id, DiscussionGroup(unit.qualification, []))
        group.units.append(unit)
    return list(groups.values())


def unit_get_for_discussion(*, unit_uuid: str) -> Unit:
    """Return a unit by its public id, or raise 404."""
    unit = Unit.objects.select_related("qualification").filter(uuid=unit_uuid).first()
    if unit is None:
        raise Http404("No such unit.")
    return unit


def _sessions() -> Any:
    return DiscussionSession.objects.select_related("unit", "qualification", "learner")


def discussion_session_get_for_learner(*, learner: User, session_uuid: str) -> DiscussionSession:
    """Return the learner's own session, or raise 404 (also for anyone else's)."""
    session = _sessions().filter(uuid=session_uuid, learner=learner).first()
    if session is None:
        raise Http404("No such discussion.")
    return session


def discussion_session_get_for_viewer(*, user: User, session_uuid: str) -> DiscussionSession:
    """Return a session its learner or their tutor may read, or raise 404."""
    session = _sessions().filter(uuid=session_uuid).first()
    if session is None:
        raise Http404("No such discussion.")
    if session.learner_id != user.pk and not user_is_tutor_of(tutor=user, learner=session.learner):
        raise Http404("No such discussion.")
    return session


def discussion_sessions_list_for_learner(
    *, learner: User, limit: int = 10
) -> list[DiscussionSession]:
    """Return the learner's newest sessions with how many prompts they answered."""
    return list(
        _sessions()
        .filter(learner=learner)
        .annotate(answered=Count("answers__position", distinct=True))
        .order_by("-started_at", "-pk")[:limit]
    )


def discussion_prompts_answered(*, session: DiscussionSession) -> list[AnsweredPrompt]:
    """Return every prompt of the session with its newest answer and mark (two queries)."""
    answers: dict[int, DiscussionAnswer] = {}
    for answer in DiscussionAnswer.objects.filter(session=session).order_by("created_at", "pk"):
        answers[answer.position] = answer
    marks: dict[int, DiscussionMark] = {}
    newest = DiscussionMark.objects.filter(answer__in=list(answers.values())).order_by(
        "created_at", "pk"
    )
    for mark in newest:
        marks[mark.answer_id] = mark
    return [
        AnsweredPrompt(
            position=position,
            prompt=prompt,
            answer=answers.get(position),
            mark=marks.get(answers[position].pk) if position in answers else None,
        )
        for position, prompt in enumerate(session.prompts, start=1)
    ]


def discussion_answer_get_for_viewer(
    *, user: User, session: DiscussionSession, answer_uuid: str
) -> tuple[DiscussionAnswer, DiscussionMark | None]:
    """Return one answer of a session the caller may read, with its newest mark, or 404."""
    answer = DiscussionAnswer.objects.filter(session=session, uuid=answer_uuid).first()
    if answer is None:
        raise Http404("No such answer.")
    answer.session = session
    mark = DiscussionMark.objects.filter(answer=answer).order_by("-created_at", "-pk").first()
    return answer, mark


def time_guidance_for(*, qualification: Qualification) -> tuple[int, str]:
    """Return the discussion's time guidance in minutes and where it comes from.

    From the qualification's assessment plan: its professional discussion's duration, else an
    interview's; otherwise the default (60 minutes), recorded as "default".
    """
    plan = plan_get_for_qualification(qualification=qualification)
    methods = list(plan.methods.all()) if plan is not None else []
    for kind in _TIMED_KINDS:
        for method in methods:
            if method.kind == kind and method.duration_minutes:
                assert plan is not None
                source = ", ".join(
                    part for part in (method.name, plan.source_title, plan.source_version) if part
                )
                return method.duration_minutes, source[:500]
    return DEFAULT_TIME_GUIDANCE_MINUTES, "default"


_TIMED_KINDS = (
    MethodKind.PROFESSIONAL_DISCUSSION,
    MethodKind.PORTFOLIO_INTERVIEW,
    MethodKind.PROJECT_WITH_INTERVIEW,
)


def discussion_data_export_for_learner(*, learner: User) -> dict[str, Any]:
    """Return the learner's discussion sessions, answers and marks, for their data export."""
    sessions = DiscussionSession.objects.filter(learner=learner).select_related("unit")
    answers = DiscussionAnswer.objects.filter(session__learner=learner).order_by("created_at")
    marks = DiscussionMark.objects.filter(answer__session__learner=learner).order_by("created_at")
    by_answer: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for mark in marks:
        by_answer[mark.answer_id].append(
            {
                "engine": f"{mark.engine_name} {mark.engine_version}",
                "grade_band": mark.grade_band,
                "score": mark.score,
                "marked_at": mark.created_at.isoformat(),
            }
        )
    by_session: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for answer in answers:
        by_session[answer.session_id].append(
            {
                "question": answer.prompt_text,
                "answer": answer.text,
                "answered_at": answer.created_at.isoformat(),
                "marks": by_answer[answer.pk],
            }
        )
    return {
        "sessions": [
            {
                "id": str(session.uuid),
                "unit": session.unit.title,
                "started_at": session.started_at.isoformat(),
                "finished_at": session.finished_at.isoformat() if session.finished_at else None,
                "answers": by_session[session.pk],
            }
            for session in sessions
        ]
    }
