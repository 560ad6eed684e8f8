from __future__ import annotations

from django.apps import AppConfig


class LlmlogConfig(AppConfig):
    name = "revisewise.llmlog"
    label = "llmlog"
    verbose_name = "LLM calls"

    def ready(self) -> None:
        from revisewise.llmlog.selectors import llm_calls_export_for_user
        from revisewise.llmlog.services import llm_calls_anonymise
        from revisewise.privacy.registry import PersonalData, personal_data_register

        personal_data_register(
            PersonalData(
                name="llm_calls",
                title="Use of the language model",
                describe=(
                    "When a feature of yours called the optional language model: the time, "
                    "the number of words (tokens) used and the outcome, never the text."
                ),
                export=lambda user: llm_calls_export_for_user(user=user),
                erase=lambda user: llm_calls_anonymise(user=user),
                models=("llmlog.LlmCall",),
                retained=(
                    "The time, token counts and outcome of each call stay without your name, "
                    "so the site can keep to its daily budget and watch the service's health."
                ),
            )
        )
