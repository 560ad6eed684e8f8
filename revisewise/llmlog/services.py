from __future__ import annotations

import datetime as dt

from revisewise.accounts.models import User
from revisewise.llmlog.models import LlmCall, LlmOutcomeCode


def llm_call_record(
    *,
    feature: str,
    model: str,
    started_at: dt.datetime,
    latency_ms: int,
    outcome: LlmOutcomeCode | str,
    prompt_tokens: int = 0,
    completion_tokens: int = 0,
    attempts: int = 1,
    user: User | None = None,
) -> LlmCall:
    """Append one call to the log; the caller passes counts only, never prompt or key text."""
    return LlmCall.objects.create(
        feature=feature[:64],
        model=model[:200],
        started_at=started_at,
        latency_ms=max(0, latency_ms),
        attempts=max(1, attempts),
        prompt_tokens=max(0, prompt_tokens),
        completion_tokens=max(0, completion_tokens),
        outcome=LlmOutcomeCode(outcome),
        user=user if user is not None and user.is_authenticated else None,
    )


def llm_calls_anonymise(*, user: User) -> None:
    """Detach the person from their LLM calls: the counts stay for budgets and monitoring."""
    LlmCall.objects.filter(user=user).update(user=None)
