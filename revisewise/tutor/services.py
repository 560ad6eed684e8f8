"""The tutor's services: keep the retrieval index in step with the content, answer questions,
keep each learner's conversations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from revisewise.accounts.models import User
from revisewise.content.models import Qualification
from revisewise.core.llm.client import llm_is_configured
from revisewise.core.llm.sanitise import clean, request_refusal_kind
from revisewise.tutor import dense
from revisewise.tutor.answer import OFFLINE, Answer, OfflineComposer
from revisewise.tutor.followup import Turn, question_read
from revisewise.tutor.llm_answer import LlmComposer, refusal_text
from revisewise.tutor.models import Conversation, Message, Passage, Role, UnitDraft
from revisewise.tutor.passages import PassageSpec, passages_for_qualification
from revisewise.tutor.retrieval import compare, retrieve
from revisewise.tutor.selectors import content_fingerprint


@dataclass(frozen=True)
class RefreshResult:
    created: int
    updated: int
    unchanged: int
    deleted: int

    @property
    def embedded(self) -> int:
        return self.created + self.updated


@transaction.atomic
def tutor_index_refresh(*, qualification: Qualification | None = None) -> RefreshResult:
    """Bring the passages of one qualification (or all) in line with the content.

    Embeds only passages that are new or whose text, section or model changed; deletes passages
    whose content is gone.
    """
    qualifications = [qualification] if qualification else list(Qualification.objects.all())
    model = dense.model_name()
    wanted: dict[str, PassageSpec] = {}
    for each in qualifications:
        for spec in passages_for_qualification(each):
            wanted[spec.source_key] = spec
    existing = Passage.objects.filter(qualification__in=qualifications)
    stored = {p.source_key: p for p in existing}
    stale = [key for key in stored if key not in wanted]
    Passage.objects.filter(source_key__in=stale).delete()
    changed = [
        spec
        for key, spec in wanted.items()
        if key not in stored or stored[key].content_hash != spec.content_hash(model)
    ]
    vectors = dense.embed([spec.index_text for spec in changed])
    created = 0
    for spec, vector in zip(changed, vectors, strict=True):
        _, is_created = Passage.objects.update_or_create(
            source_key=spec.source_key,
            defaults={
                "qualification_id": spec.qualification_id,
                "unit_id": spec.unit_id,
                "content_item_id": spec.content_item_id,
                "section": spec.section,
                "position": spec.position,
                "text": spec.text,
                "context": spec.context,
                "content_hash": spec.content_hash(model),
                "embedding": dense.to_bytes(vector),
                "embedding_model": model,
            },
        )
        created += int(is_created)
    return RefreshResult(
        created=created,
        updated=len(changed) - created,
        unchanged=len(wanted) - len(changed),
        deleted=len(stale),
    )


_last_fingerprint: list[tuple[object, ...]] = []


def tutor_index_refresh_if_stale() -> RefreshResult | None:
    """Refresh the index when the content changed since this process last looked; cheap if not."""
    fingerprint = content_fingerprint()
    if _last_fingerprint and _last_fingerprint[0] == fingerprint:
        return None
    result = tutor_index_refresh()
    _last_fingerprint[:] = [fingerprint]
    return result


def tutor_answer(
    *,
    question: str,
    qualification: Qualification | None = None,
    user: User | None = None,
    limit: int = 5,
    earlier: Sequence[Turn] = (),
) -> Answer:
    """Answer a learner's question from the content, citing each passage used.

    Requests to ignore instructions, reveal the prompt or mark work are refused before anything
    else. Refreshes the index first if the content changed, so answers never quote stale text.
    `earlier` holds the conversation's earlier exchanges (oldest first): a follow-up question
    ("what about complaints?") is searched for together with the question it follows, and the
    answer says which one (`Answer.follows`). With an LLM configured the model writes the answer
    from the retrieved passages (and sees a follow-up's earlier turns, fenced as data); on any
    failure the offline answer is returned with a notice.
    """
    if request_refusal_kind(question):
        return Answer(question=question, mode=OFFLINE, refusal=refusal_text())
    tutor_index_refresh_if_stale()
    reading = question_read(question=question, earlier=earlier)
    qualification_id = qualification.pk if qualification else None
    hits = retrieve(question=clean(reading.query), qualification_id=qualification_id, limit=limit)
    # "What is the difference between X and Y?": where the content defines X and Y.
    comparison = compare(question=clean(question), qualification_id=qualification_id, hits=hits)
    # Sentences are chosen for what is searched for, so "an example of that?" quotes the topic.
    offline = OfflineComposer().compose(question=reading.query, hits=hits, comparison=comparison)
    offline = replace(offline, question=question, follows=reading.follows)
    if not llm_is_configured():
        return offline
    composer = LlmComposer(user=user, qualification=qualification)
    answer = composer.compose(
        question=question,
        hits=hits,
        fallback=offline,
        earlier=reading.earlier,
        comparison=comparison,
    )
    return replace(answer, follows=reading.follows)


class TutorRateLimited(Exception):
    """The learner asked too many questions too quickly; the message says when to try again."""


def _questions_since(*, learner: User, since: dt.datetime) -> int:
    return Message.objects.filter(
        conversation__learner=learner, role=Role.LEARNER, created_at__gte=since
    ).count()


def tutor_rate_limit_check(*, learner: User) -> None:
    """Raise `TutorRateLimited` if the learner reached the per-minute or per-day limit."""
    now = timezone.now()
    per_minute: int = settings.TUTOR_QUESTIONS_PER_MINUTE
    per_day: int = settings.TUTOR_QUESTIONS_PER_DAY
    if per_minute and _questions_since(learner=learner, since=now - dt.timedelta(minutes=1)) >= (
        per_minute
    ):
        raise TutorRateLimited(
            ngettext(
                "You have asked %(count)d question in the last minute, the most allowed. "
                "Wait a minute, then ask again: your question is still in the box.",
                "You have asked %(count)d questions in the last minute, the most allowed. "
                "Wait a minute, then ask again: your question is still in the box.",
                per_minute,
            )
            % {"count": per_minute}
        )
    if per_day and _questions_since(learner=learner, since=now - dt.timedelta(days=1)) >= per_day:
        raise TutorRateLimited(
            ngettext(
                "You have asked %(count)d question in the last 24 hours, the most allowed. "
                "Try again later: your question is still in the box.",
                "You have asked %(count)d questions in the last 24 hours, the most allowed. "
                "Try again later: your question is still in the box.",
                per_day,
            )
            % {"count": per_day}
        )


def _title(question: str) -> str:
    words = " ".join(question.split())
    return words if len(words) <= 80 else words[:79].rstrip() + "…"


@transaction.atomic
def conversation_question_add(
    *,
    learner: User,
    question: str,
    conversation: Conversation | None = None,
    qualification: Qualification | None = None,
) -> Message:
    """Store a learner's question first (starting a conversation if none); check the limit first.

    Raises `TutorRateLimited` before storing anything when the learner is over a limit.
    """
    tutor_rate_limit_check(learner=learner)
    if conversation is None:
        conversation = Conversation.objects.create(
            learner=learner, qualification=qualification, title=_title(question)
        )
    message = Message.objects.create(conversation=conversation, role=Role.LEARNER, text=question)
    conversation.save(update_fields=["updated_at"])
    return message


def _citation_rows(answer: Answer) -> list[dict[str, Any]]:
    return [
        {
            "text": part.text,
            "quote": part.quote,
            "label": part.citation.label,
            "url": part.citation.url,
            "is_shared": part.citation.unit_title is None,
        }
        for part in answer.parts
    ]


def _answer_text(message: Message) -> str:
    """Return a tutor message's cited answer as one text: each part and its source."""
    return " ".join(f"{part['text']} ({part['label']})" for part in message.citations)


def conversation_earlier_turns(*, question: Message, limit: int = 4) -> list[Turn]:
    """Return the exchanges before a question in its conversation, oldest first (at most `limit`).

    Only this conversation's messages, so only this learner's own questions and the tutor's
    cited answers; questions the request check refused are left out, and so is any answer that
    was a refusal or "not found" (it carries nothing to build on).
    """
    earlier = list(
        Message.objects.filter(
            conversation_id=question.conversation_id, pk__lt=question.pk
        ).order_by("-created_at", "-pk")[: 2 * limit + 1]
    )[::-1]
    turns: list[Turn] = []
    for message in earlier:
        if message.role == Role.LEARNER:
            if not request_refusal_kind(message.text):
                turns.append(Turn(question=message.text))
        elif turns and not turns[-1].answer and message.citations:
            turns[-1] = Turn(question=turns[-1].question, answer=_answer_text(message))
    return turns[-limit:]


def conversation_answer(*, question: Message, learner: User) -> Message:
    """Answer a stored question, read in the light of the conversation's earlier turns, and
    append the answer to its conversation.

    Runs outside a transaction: the model may take seconds, and the question is already stored.
    """
    conversation = question.conversation
    answer = tutor_answer(
        question=question.text,
        qualification=conversation.qualification,
        user=learner,
        earlier=conversation_earlier_turns(question=question),
    )
    text = answer.refusal or answer.lead
    if not answer.parts and not text:
        text = _(
            "I could not find anything in the course notes that answers this, so I will not "
            "guess. Try asking about a topic from your units, or use different words."
        )
    message = Message.objects.create(
        conversation=conversation,
        role=Role.TUTOR,
        text=text,
        mode=answer.mode,
        citations=_citation_rows(answer),
        practice=[{"text": link.text, "url": link.url} for link in answer.practice],
        notice=answer.notice[:300],
        prompt_key=answer.prompt_key,
        follows=answer.follows,
        notes=list(answer.notes),
    )
    conversation.save(update_fields=["updated_at"])
    return message


def tutor_ask(
    *,
    learner: User,
    question: str,
    conversation: Conversation | None = None,
    qualification: Qualification | None = None,
) -> Message:
    """Store the question, then answer it; return the answer. Raises `TutorRateLimited`."""
    stored = conversation_question_add(
        learner=learner,
        question=question,
        conversation=conversation,
        qualification=qualification,
    )
    return conversation_answer(question=stored, learner=learner)


def conversation_delete(*, conversation: Conversation) -> None:
    """Delete a conversation and its messages (the learner's choice; the caller checked it)."""
    conversation.delete()


def tutor_data_erase(*, learner: User) -> None:
    """Delete every conversation of a learner and unlink unit drafts they asked for."""
    Conversation.objects.filter(learner=learner).delete()
    UnitDraft.objects.filter(requested_by=learner).update(requested_by=None)
