"""Send one tiny request to the configured LLM endpoint and report how it went."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from revisewise.core.llm.client import llm_complete, llm_is_configured


class Command(BaseCommand):
    help = "Check that the configured LLM endpoint answers, and how fast (logged as llm_check)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not llm_is_configured():
            self.stdout.write("No LLM endpoint is configured (LLM_BASE_URL is empty): offline.")
            return
        outcome = llm_complete(
            feature="llm_check",
            messages=[{"role": "user", "content": "Reply with the single word OK."}],
            max_tokens=5,
        )
        if not outcome.ok:
            raise CommandError(f"The LLM endpoint failed ({outcome.failure}): {outcome.reason}")
        self.stdout.write(
            f"The LLM endpoint answered in {outcome.latency_ms} ms "
            f"({outcome.prompt_tokens} prompt and {outcome.completion_tokens} completion tokens): "
            f"{outcome.content.strip()[:60]!r}"
        )
