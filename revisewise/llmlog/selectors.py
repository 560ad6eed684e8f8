from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, QuerySet, Sum
from django.utils import timezone

from revisewise.accounts.models import User
from revisewise.llmlog.models import LlmCall


def _today_start() -> dt.datetime:
    """Midnight at the start of today in the site's time zone, as an aware datetime."""
    today = timezone.localdate()
    return timezone.make_aware(dt.datetime.combine(today, dt.time.min))


def _tokens(calls: QuerySet[LlmCall]) -> int:
    total = calls.aggregate(total=Sum(F("prompt_tokens") + F("completion_tokens")))["total"]
    return int(total or 0)


def llm_tokens_used_today_for_user(*, user: User) -> int:
    """Tokens this user's calls have spent since midnight (site time zone)."""
    return _tokens(LlmCall.objects.filter(user=user, started_at__gte=_today_start()))


def llm_tokens_used_today_global() -> int:
    """Tokens every call on the site has spent since midnight (site time zone)."""
    return _tokens(LlmCall.objects.filter(started_at__gte=_today_start()))


def llm_calls_export_for_user(*, user: User) -> list[dict[str, Any]]:
    """Return the person's calls to the optional LLM (counts and outcomes; no text is kept)."""
    return [
        {
            "feature": call.feature,
            "model": call.model,
            "started_at": call.started_at.isoformat(),
            "latency_ms": call.latency_ms,
            "prompt_tokens": call.prompt_tokens,
            "completion_tokens": call.completion_tokens,
            "outcome": call.outcome,
        }
        for call in LlmCall.objects.filter(user=user).order_by("started_at", "pk")
    ]
