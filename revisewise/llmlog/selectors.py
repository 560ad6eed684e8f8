from __future__ import annotations

import datetime as dt

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
