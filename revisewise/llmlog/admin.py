from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from revisewise.llmlog.models import LlmCall


@admin.register(LlmCall)
class LlmCallAdmin(admin.ModelAdmin[LlmCall]):
    """Read-only: the log is append-only and written by the LLM client alone."""

    list_display = [
        "started_at",
        "feature",
        "model",
        "outcome",
        "latency_ms",
        "prompt_tokens",
        "completion_tokens",
        "user",
    ]
    list_filter = ["outcome", "feature", "model"]
    date_hierarchy = "started_at"
    raw_id_fields = ["user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: LlmCall | None = None) -> bool:
        return False
