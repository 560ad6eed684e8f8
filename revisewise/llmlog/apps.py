from __future__ import annotations

from django.apps import AppConfig


class LlmlogConfig(AppConfig):
    name = "revisewise.llmlog"
    label = "llmlog"
    verbose_name = "LLM calls"
