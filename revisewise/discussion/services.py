"""Rules of discussion practice: start a session, store an answer, mark it, finish.

An answer is committed before the marking engine sees it, so a failure in marking never loses
it; marking adds a `DiscussionMark` row (a re-mark adds another).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q

from revisewise.accounts.models import User
from revisewise.content.models import ContentItem, ItemKind, Unit
from revisewise.discussion.models import (
    MAX_ANSWER_CHARS,
    DiscussionAnswer,
    DiscussionMark,
    DiscussionSession,
)
from revisewise.discussion.prompts import (
    Source,
    criterion_core,
    prompts_for_session,
    prompts_for_unit,
)
from revisewise.discussion.selectors import time_guidance_for
from revisewise.discussion.structure import structure_detect
from revisewise.marking.engine import mark
from revisewise.marking.types import MarkingRequest, MarkResult, Misconception


class DiscussionError(Exception):
    """A request the rules refuse, with a message fit to show the learner."""


def _sources(items: list[ContentItem], kind: str) -> list[Source]:
    chosen = sorted((i for i in items if i.kind == kind), key=lambda i: (i.position, i.pk))
    return [Source(id=i.pk, text=(i.text or i.name).strip()) for i in chosen]


_PROMPT_KINDS = (ItemKind.OBJECTIVE, ItemKind.CRITERION, ItemKind.TIP)


@transaction.atomic
def discussion_session_start(
    *, learner: User, unit: Unit, prompt_count: int, now: datetime
) -> DiscussionSession:
    """Start a discussion on `unit` with up to `prompt_count` prompts (2 to 6)."""
    items = list(ContentItem.objects.filter(unit=unit, kind__in=_PROMPT_KINDS))
    prompts = prompts_for_unit(
        objectives=_sources(items, ItemKind.OBJECTIVE),
        criteria=_sources(items, ItemKind.CRITERION),
        guidance=_sources(items, ItemKind.TIP),
    )
    chosen = [p for p in prompts_for_session(prompts, count=prompt_count) if p.pass_criteria]
    if not chosen:
        raise DiscussionError("This unit has no assessment criteria to discuss yet.")
    minutes, source = time_guidance_for(qualification=unit.qualification)
    return DiscussionSession.objects.create(
        learner=learner,
        qualification_id=unit.qualification_id,
        unit=unit,
        started_at=now,
        time_guidance_minutes=minutes,
        time_guidance_source=source,
        prompts=[prompt.as_json() for prompt in chosen],
    )


@transaction.atomic
def discussion_answer_submit(
    *, session: DiscussionSession, position: int, text: str
) -> DiscussionAnswer:
    """Store one answer to the prompt at `position` (from 1) before anything marks it."""
    if session.finished_at is not None:
        raise DiscussionError("This discussion has finished; start a new one to answer again.")
    if not 1 <= position <= len(session.prompts):
        raise DiscussionError("There is no such question in this discussion.")
    cleaned = text.strip()
    if not cleaned:
        raise DiscussionError("Write an answer before sending it.")
    if len(cleaned) > MAX_ANSWER_CHARS:
        raise DiscussionError(f"Answers can be at most {MAX_ANSWER_CHARS:,} characters long.")
    prompt = session.prompts[position - 1]
    return DiscussionAnswer.objects.create(
        session=session,
        position=position,
        prompt_key=prompt["key"],
        prompt_text=prompt["text"],
        text=cleaned,
    )


def _misconceptions(unit_id: int, qualification_id: int) -> tuple[Misconception, ...]:
    rows = ContentItem.objects.filter(
        Q(unit_id=unit_id) | Q(unit__isnull=True, qualification_id=qualification_id),
        kind=ItemKind.MISCONCEPTION,
    ).order_by("position", "pk")
    return tuple(Misconception(statement=r.name, correction=r.text) for r in rows if r.name)


def marking_requests(
    *, prompt: dict[str, Any], answer: str, misconceptions: tuple[Misconception, ...] = ()
) -> tuple[MarkingRequest, MarkingRequest]:
    """Return the request marking the pass criteria and the one marking each distinction one."""
    points = tuple(criterion_core(c["text"]) for c in prompt["pass_criteria"])
    distinction = tuple(c["text"] for c in prompt["distinction_criteria"])
    main = MarkingRequest(
        question=prompt["text"],
        answer=answer,
        marking_points=points,
        misconceptions=misconceptions,
        pass_criteria=points,
        distinction_criteria=distinction,
        guidance=distinction,
    )
    per_distinction = MarkingRequest(
        question=prompt["text"], answer=answer, marking_points=distinction
    )
    return main, per_distinction


def _result_json(result: MarkResult) -> dict[str, Any]:
    return dataclasses.asdict(result)


def discussion_answer_mark(*, answer: DiscussionAnswer) -> DiscussionMark:
    """Mark a stored answer with the marking engine and store the result as a new row.

    Raises whatever the engine raises; the answer stays stored and can be marked again.
    """
    session = answer.session
    prompt = session.prompts[answer.position - 1]
    misconceptions = _misconceptions(session.unit_id, session.qualification_id)
    main, per_distinction = marking_requests(
        prompt=prompt, answer=answer.text, misconceptions=misconceptions
    )
    result = mark(main)
    distinction = mark(per_distinction)
    structure = [
        {
            "part": part.part,
            "is_present": part.is_present,
            "cue": part.cue,
            "evidence": dataclasses.asdict(part.evidence) if part.evidence else None,
        }
        for part in structure_detect(answer.text)
    ]
    return DiscussionMark.objects.create(
        answer=answer,
        engine_name=result.engine_name,
        engine_version=result.engine_version,
        label=result.label,
        score=result.score,
        grade_band=result.grade_band or "",
        result={
            "pass": _result_json(result),
            "distinction": _result_json(distinction),
            "structure": structure,
        },
    )


def discussion_session_finish(*, session: DiscussionSession, now: datetime) -> DiscussionSession:
    """Mark the session finished (once; finishing again keeps the first time)."""
    if session.finished_at is None:
        session.finished_at = max(now, session.started_at)
        session.save(update_fields=["finished_at", "updated_at"])
    return session


def discussion_data_erase(*, learner: User) -> None:
    """Delete the learner's sessions, with their answers and marks (for account deletion)."""
    DiscussionSession.objects.filter(learner=learner).delete()
