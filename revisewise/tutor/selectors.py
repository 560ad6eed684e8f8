"""Reads for the tutor: links to cite, the qualification to search, practice to offer.

Published content is visible to anyone who can see the unit pages, so no per-learner permission
applies to it; conversations are read only through selectors that check the learner.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Count, Max, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse

from revisewise.accounts.models import User
from revisewise.accounts.selectors import user_is_content_author
from revisewise.content.models import ContentItem, Qualification, Unit
from revisewise.practice.models import LEARNER_VISIBLE_STATUSES, Item
from revisewise.tutor.models import Conversation, Message, Passage, UnitDraft

PRACTICE_LIMIT = 3


@dataclass(frozen=True)
class UnitLink:
    title: str
    url: str


@dataclass(frozen=True)
class QualificationLink:
    title: str
    url: str
    first_unit_url: str | None


@dataclass(frozen=True)
class PracticeLink:
    text: str
    url: str | None


def unit_links(*, unit_ids: Iterable[int]) -> dict[int, UnitLink]:
    units = Unit.objects.filter(pk__in=set(unit_ids)).select_related("qualification")
    return {unit.pk: UnitLink(unit.title, unit.get_absolute_url()) for unit in units}


def qualification_links(*, qualification_ids: Iterable[int]) -> dict[int, QualificationLink]:
    qualifications = Qualification.objects.filter(pk__in=set(qualification_ids)).prefetch_related(
        "units"
    )
    links = {}
    for qualification in qualifications:
        first = next(iter(qualification.units.all()), None)
        links[qualification.pk] = QualificationLink(
            qualification.title,
            qualification.get_absolute_url(),
            first.get_absolute_url() if first else None,
        )
    return links


def content_fingerprint() -> tuple[object, ...]:
    """Return a value that changes whenever indexed content is added, edited or removed."""
    parts: list[object] = []
    for model in (Qualification, Unit, ContentItem):
        parts.extend(
            model.objects.aggregate(n=Count("pk"), last=Max("pk"), at=Max("updated_at")).values()
        )
    return tuple(parts)


def qualification_get_by_slug(*, slug: str) -> Qualification:
    """Return a qualification to scope the tutor to, or raise 404."""
    return get_object_or_404(Qualification, slug=slug)


def qualification_list_for_tutor() -> list[Qualification]:
    """Return the qualifications a learner can ask about, for the scope picker."""
    return list(Qualification.objects.order_by("title"))


def practice_links_for_passages(
    *, passage_ids: Iterable[int], unit_ids: Iterable[int]
) -> list[PracticeLink]:
    """Offer a few learner-visible practice items: first those made from the cited passages'
    own content, then others on the cited units."""
    units = set(unit_ids)
    if not units:
        return []
    sources = Passage.objects.filter(pk__in=set(passage_ids), content_item__isnull=False)
    source_ids = set(sources.values_list("content_item_id", flat=True))
    visible = Item.objects.filter(unit_id__in=units, status__in=LEARNER_VISIBLE_STATUSES)
    from_sources = list(
        visible.filter(source_item_id__in=source_ids).order_by("pk")[:PRACTICE_LIMIT]
    )
    others = list(
        visible.exclude(pk__in=[item.pk for item in from_sources]).order_by("pk")[
            : PRACTICE_LIMIT - len(from_sources)
        ]
    )
    return [
        PracticeLink(text=str(item.stem), url=_practice_url()) for item in from_sources + others
    ]


def _practice_url() -> str | None:
    try:
        return reverse("practice:home")
    except NoReverseMatch:
        return None


def conversation_get_for_learner(*, learner: User, conversation_uuid: UUID) -> Conversation:
    """Return one of the learner's own conversations, or raise 404.

    Nobody else may read it, not even the learner's tutor (docs/tutor.md, privacy).
    """
    return get_object_or_404(
        Conversation.objects.select_related("qualification"),
        uuid=conversation_uuid,
        learner=learner,
    )


def conversation_list_for_learner(*, learner: User, limit: int = 50) -> list[Conversation]:
    """Return the learner's conversations, most recently used first."""
    return list(Conversation.objects.filter(learner=learner).order_by("-updated_at", "-pk")[:limit])


def message_list_for_conversation(*, conversation: Conversation) -> list[Message]:
    """Return a conversation's messages in order (the caller fetched it with a checked selector)."""
    return list(conversation.messages.order_by("created_at", "pk"))


def tutor_data_export_for_learner(*, learner: User) -> dict[str, Any]:
    """Return the person's conversations with their messages, and unit drafts they asked for."""
    conversations = Conversation.objects.filter(learner=learner).prefetch_related("messages")
    drafts = UnitDraft.objects.filter(requested_by=learner).order_by("created_at", "pk")
    return {
        "conversations": _conversations_export(conversations),
        "unit_drafts_requested": [
            {"title": d.title, "status": d.status, "created_at": d.created_at.isoformat()}
            for d in drafts
        ],
    }


def _conversations_export(conversations: QuerySet[Conversation]) -> list[dict[str, Any]]:
    return [
        {
            "id": str(conversation.uuid),
            "title": conversation.title,
            "qualification": conversation.qualification.title
            if conversation.qualification
            else None,
            "created_at": conversation.created_at.isoformat(),
            "messages": [
                {
                    "role": message.role,
                    "text": message.text,
                    "mode": message.mode,
                    "citations": message.citations,
                    "notice": message.notice,
                    "follows": message.follows,
                    "notes": message.notes,
                    "created_at": message.created_at.isoformat(),
                }
                for message in conversation.messages.all()
            ],
        }
        for conversation in conversations.order_by("created_at", "pk")
    ]


def unit_get_for_author(*, author: User, unit_uuid: UUID) -> Unit:
    """Return a unit for a content author to draft questions for; 404 for anyone else."""
    if not user_is_content_author(user=author):
        raise Http404
    return get_object_or_404(Unit.objects.select_related("qualification"), uuid=unit_uuid)


def unit_list_for_author(*, author: User) -> list[Unit]:
    """Return every unit, by qualification, for a content author; 404 for anyone else."""
    if not user_is_content_author(user=author):
        raise Http404
    return list(
        Unit.objects.select_related("qualification").order_by(
            "qualification__title", "position", "title"
        )
    )


def qualification_get_for_author(*, author: User, qualification_uuid: UUID) -> Qualification:
    if not user_is_content_author(user=author):
        raise Http404
    return get_object_or_404(Qualification, uuid=qualification_uuid)


def unit_draft_get_for_author(*, author: User, draft_uuid: UUID) -> UnitDraft:
    """Return a unit draft for any content author (drafts are shared work); 404 for others."""
    if not user_is_content_author(user=author):
        raise Http404
    return get_object_or_404(
        UnitDraft.objects.select_related("qualification", "unit"), uuid=draft_uuid
    )


def unit_draft_list_for_author(*, author: User) -> list[UnitDraft]:
    if not user_is_content_author(user=author):
        raise Http404
    return list(UnitDraft.objects.select_related("qualification").order_by("-created_at")[:50])
