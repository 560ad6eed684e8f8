"""The log of calls to the optional LLM: who, what feature, how long, how many tokens.

Rows never hold the prompt, the reply or the API key: only what budgets and monitoring need.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class LlmOutcomeCode(models.TextChoices):
    OK = "ok", "ok"
    TIMEOUT = "timeout", "timeout"
    HTTP_ERROR = "http_error", "HTTP error"
    RATE_LIMITED = "rate_limited", "rate limited"
    MALFORMED = "malformed", "malformed reply"
    BUDGET_EXCEEDED = "budget_exceeded", "budget exceeded"


class LlmCall(models.Model):
    """One request to the LLM from a feature, retries included; append-only."""

    feature = models.CharField(max_length=64)
    model = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(db_index=True)
    latency_ms = models.PositiveIntegerField()
    attempts = models.PositiveSmallIntegerField(default=1)
    prompt_tokens = models.PositiveIntegerField(default=0)
    completion_tokens = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=20, choices=LlmOutcomeCode.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="llm_calls",
    )

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["user", "started_at"], name="llmcall_user_started")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=LlmOutcomeCode.values),
                name="llmcall_outcome_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.feature} {self.outcome} at {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens
