"""Read a mock's answers from a form post, checking them against what the learner was shown."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict

from revisewise.practice.models import Item, ItemType

MAX_TEXT = 500


def field_name(position: int) -> str:
    return f"q{position}"


def answer_from_post(*, data: QueryDict, item: Item, position: int) -> Any | None:
    """Return the response for one question in `data`, or None when absent or not valid."""
    name = field_name(position)
    options = {str(o["id"]) for o in item.payload.get("options", [])}
    if item.item_type == ItemType.MCQ_MULTI:
        chosen = sorted(set(data.getlist(name)))
        return chosen if chosen and set(chosen) <= options else None
    value = (data.get(name) or "").strip()
    if not value:
        return None
    if item.item_type == ItemType.MCQ_SINGLE:
        return value if value in options else None
    if item.item_type == ItemType.TRUE_FALSE:
        return value if value in {"true", "false"} else None
    if item.item_type == ItemType.CLOZE:
        return value[:MAX_TEXT]
    return None
