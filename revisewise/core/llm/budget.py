"""Daily token budgets, per user and for the whole site, checked before each call."""

from __future__ import annotations

import math

from django.conf import settings

from revisewise.accounts.models import User
from revisewise.llmlog.selectors import (
    llm_tokens_used_today_for_user,
    llm_tokens_used_today_global,
)

CHARS_PER_TOKEN = 4


def tokens_estimate(text: str) -> int:
    """Estimate tokens as about four characters each, the usual rule for English text."""
    return math.ceil(len(text) / CHARS_PER_TOKEN) if text else 0


def budget_allows(*, user: User | None, tokens_wanted: int) -> bool:
    """Say whether a call needing `tokens_wanted` more tokens fits today's budgets.

    A limit of 0 means no limit. Budgets are soft: two calls checked at the same moment may both
    pass and together overshoot by one call.
    """
    global_limit: int = settings.LLM_DAILY_TOKENS_GLOBAL
    if global_limit and llm_tokens_used_today_global() + tokens_wanted > global_limit:
        return False
    user_limit: int = settings.LLM_DAILY_TOKENS_PER_USER
    if user is None or not user.is_authenticated or not user_limit:
        return True
    return llm_tokens_used_today_for_user(user=user) + tokens_wanted <= user_limit
